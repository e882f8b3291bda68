"""Static assets: plotly.js from the installed ``plotly`` package, and this UI's script and style.

plotly.js is read from ``plotly/package_data/plotly.min.js`` (the file the Python package ships),
so the pages need no CDN and work offline.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

__all__ = ["PLOTLY_JS", "router"]

_STATIC = Path(__file__).parent / "static"
_CACHE = {"Cache-Control": "public, max-age=86400"}


def _plotly_js() -> Path:
    spec = importlib.util.find_spec("plotly")
    if spec is None or spec.origin is None:  # pragma: no cover - plotly is a dependency
        raise RuntimeError("the plotly package is not installed; pip install plotly")
    return Path(spec.origin).parent / "package_data" / "plotly.min.js"


PLOTLY_JS = _plotly_js()
"""Path of the plotly.js bundle shipped with the installed plotly package."""

router = APIRouter()


@router.get("/static/plotly.min.js")
def plotly_js() -> FileResponse:
    """plotly.js, from the installed plotly package."""
    return FileResponse(PLOTLY_JS, media_type="text/javascript", headers=_CACHE)


@router.get("/static/{name}")
def asset(name: str) -> FileResponse:
    """This UI's own script and style sheet."""
    path = _STATIC / name
    if name not in {"app.js", "style.css"} or not path.is_file():
        raise HTTPException(status_code=404, detail=f"no static file {name!r}")
    media = "text/javascript" if name.endswith(".js") else "text/css"
    return FileResponse(path, media_type=media)
