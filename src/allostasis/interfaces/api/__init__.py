"""REST API (``/api/...``): an endpoint for every CLI capability, typed with the library's models."""

from fastapi import APIRouter

__all__ = ["router"]

router = APIRouter(prefix="/api")
