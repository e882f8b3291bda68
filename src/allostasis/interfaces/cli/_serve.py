"""``allostasis serve``: start the web server (REST API, CDS Hooks, web UI)."""

from __future__ import annotations

import threading
from typing import Annotated

import typer

from allostasis.interfaces.cli._app import app, out


def warm_engine() -> None:
    """Compile (or load from numba's cache) the compiled engine before the first request needs it.

    The taper planner's predicted course runs on it; without this the first /taper or /api/taper
    request after a fresh install waits for the compilation (about 15 s).
    """
    from allostasis.engine import dosing_rule, simulate_cohort

    simulate_cohort("alprazolam", dosing_rule("1 mg", "24 h"), end="2 days")


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port.", min=1, max=65535)] = 8000,
) -> None:
    """Serve the web UI, the REST API (/docs) and the CDS Hooks service (/cds-services)."""
    import uvicorn

    from allostasis.interfaces.server import create_app

    # in the background, so the server answers at once
    threading.Thread(target=warm_engine, name="engine-warm-up", daemon=True).start()
    out.print(f"allostasis serving on http://{host}:{port}/  (API docs: http://{host}:{port}/docs)")
    uvicorn.run(create_app(), host=host, port=port, log_level="warning")
