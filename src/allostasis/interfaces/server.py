"""The allostasis web server: REST API, CDS Hooks service and web UI in one FastAPI application.

``create_app()`` mounts three routers, each owned by its package: :mod:`allostasis.interfaces.api`
(``/api/...``, JSON, OpenAPI at ``/docs``), :mod:`allostasis.interfaces.cds_hooks` (``/cds-services``)
and :mod:`allostasis.interfaces.web` (server-rendered pages). Project errors become HTTP 422 with the
same one-line message the CLI prints, so bad input never surfaces as a 500. Start it with
``allostasis serve``.

>>> from fastapi.testclient import TestClient
>>> TestClient(create_app()).get("/healthz").json()["status"]
'ok'
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from allostasis import __version__
from allostasis.errors import AllostasisError
from allostasis.interfaces.api import router as api_router
from allostasis.interfaces.cds_hooks import router as cds_router
from allostasis.interfaces.web import router as web_router

__all__ = ["create_app"]

DISCLAIMER = "Education and decision support, not a prescription."


def create_app() -> FastAPI:
    """The application with every router mounted and project errors mapped to 422."""
    app = FastAPI(
        title="allostasis",
        version=__version__,
        description="Executable pharmacology of anxiety drugs. " + DISCLAIMER,
    )

    @app.exception_handler(AllostasisError)
    async def _project_error(request: Request, exc: AllostasisError) -> JSONResponse:
        field = str(exc).split(":", 1)[0] if ":" in str(exc) else None
        return JSONResponse(
            status_code=422,
            content={
                "detail": [
                    {
                        "loc": ["body", field] if field else ["body"],
                        "msg": str(exc),
                        "type": type(exc).__name__,
                    }
                ]
            },
        )

    @app.get("/healthz", tags=["meta"])
    def healthz() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    app.include_router(api_router)
    app.include_router(cds_router)
    app.include_router(web_router)
    return app
