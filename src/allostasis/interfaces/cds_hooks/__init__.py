"""CDS Hooks 2.0 service (``/cds-services``): order-select, order-sign, patient-view, feedback."""

from fastapi import APIRouter

__all__ = ["router"]

router = APIRouter()
