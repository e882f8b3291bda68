"""``POST /api/mme``: morphine milligram equivalents of a medication list, by a named factor set."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import Field

from allostasis.clinical import DEFAULT_MME_FACTOR_SET, MMEResult, calculate_mme
from allostasis.interfaces.api._fields import NOT_A_PRESCRIPTION, ApiRequest, MedicationText

__all__ = ["MMERequest", "router"]

router = APIRouter(tags=["clinical: opioids"])


class MMERequest(ApiRequest):
    meds: list[MedicationText] = Field(
        min_length=1,
        max_length=30,
        description="Opioid orders as free-text sigs.",
        examples=[["oxycodone 5 mg 1 tab PO q6h PRN pain"]],
    )
    factor_set: str = Field(
        DEFAULT_MME_FACTOR_SET,
        max_length=40,
        description="cdc-2022 (clinical default), cdc-2016, cdc-2018-analytic.",
    )


@router.post(
    "/mme",
    response_model=MMEResult,
    summary="Morphine milligram equivalents",
    description="Total MME/day (PRN orders at their maximum), per order with its factor and source "
    "(`allostasis mme`). MME is a risk marker, not a conversion table." + NOT_A_PRESCRIPTION,
)
def mme(req: MMERequest) -> MMEResult:
    return calculate_mme(req.meds, factor_set=req.factor_set)
