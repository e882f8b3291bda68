"""Web UI: server-rendered pages with plain JavaScript and offline Plotly charts."""

from fastapi import APIRouter

__all__ = ["router"]

router = APIRouter()
