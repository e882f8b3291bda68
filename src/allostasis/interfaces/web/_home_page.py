"""The home page: what the UI offers, and the disclaimer."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from allostasis.interfaces.web._page import render

__all__ = ["router"]

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    """Links to the four pages."""
    return render(request, "index.html", {"active": "/"})
