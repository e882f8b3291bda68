"""Rendering a page: the Jinja2 templates, the disclaimer every page carries, and Plotly figures as JSON.

Figures are built on the server as plain Plotly JSON (``{"data": [...], "layout": {...}}``) and
embedded in the page in a ``<script type="application/json">`` element; ``static/app.js`` draws them
with the plotly.js that this server serves from the installed ``plotly`` package, so a page makes no
outside request and works offline.

>>> fig = figure([{"x": [0, 1], "y": [0.0, float("nan")]}], title="t")
>>> figure_json(fig)
'{"data": [{"x": [0, 1], "y": [0.0, null]}], "layout": {"title": {"text": "t"}, "margin": {"t": 48, "r": 16, "b": 56, "l": 64}, "legend": {"orientation": "h", "y": -0.2}}}'
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from allostasis import __version__

__all__ = ["DISCLAIMER", "figure", "figure_json", "render"]

DISCLAIMER = (
    "Education and decision support for clinicians, not a prescription and not medical advice. "
    "Every number is a published value or a model output with its basis; check it, and decide with "
    "the patient."
)

_TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent / "templates"))

_NAV = (
    ("/taper", "Taper planner"),
    ("/risk", "Risk and MME"),
    ("/mechanisms", "Mechanism explorer"),
    ("/drugs", "Drug knowledge base"),
)


def _clean(value: Any) -> Any:
    """JSON-safe copy: NaN and infinities become null (JSON has neither)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if hasattr(value, "tolist"):
        return _clean(value.tolist())
    return value


def figure(
    data: list[dict[str, Any]],
    *,
    title: str,
    xlabel: str | None = None,
    ylabel: str | None = None,
    **layout: Any,
) -> dict[str, Any]:
    """A Plotly figure (plain JSON): traces, a title, axis labels and any further layout keys."""
    lay: dict[str, Any] = {
        "title": {"text": title},
        "margin": {"t": 48, "r": 16, "b": 56, "l": 64},
        "legend": {"orientation": "h", "y": -0.2},
    }
    if xlabel is not None:
        lay["xaxis"] = {"title": {"text": xlabel}, **layout.pop("xaxis", {})}
    if ylabel is not None:
        lay["yaxis"] = {"title": {"text": ylabel}, **layout.pop("yaxis", {})}
    lay.update(layout)
    return {"data": _clean(data), "layout": lay}


def figure_json(fig: dict[str, Any]) -> str:
    """The figure as JSON that is safe inside a ``<script>`` element (no ``</`` sequence)."""
    return json.dumps(_clean(fig), allow_nan=False).replace("</", "<\\/")


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    """Render a template with the navigation, the disclaimer and the version."""
    ctx = {"disclaimer": DISCLAIMER, "nav": _NAV, "version": __version__, **context}
    return _TEMPLATES.TemplateResponse(request, name, ctx, status_code=status_code)
