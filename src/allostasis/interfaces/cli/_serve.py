"""``allostasis serve``: start the web server (REST API, CDS Hooks, web UI)."""

from __future__ import annotations

from typing import Annotated

import typer

from allostasis.interfaces.cli._app import app, out


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.", min=1, max=65535)] = 8000,
) -> None:
    """Serve the web UI, the REST API (/docs) and the CDS Hooks service (/cds-services)."""
    import uvicorn

    from allostasis.interfaces.server import create_app

    out.print(f"allostasis serving on http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(create_app(), host=host, port=port, log_level="warning")
