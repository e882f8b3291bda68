"""``POST /api/risk``: co-prescription overdose risk and a naloxone recommendation, with basis."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter
from pydantic import Field

from allostasis.clinical import DEFAULT_MME_FACTOR_SET, RiskAssessment, assess_risk
from allostasis.interfaces.api._fields import NOT_A_PRESCRIPTION, ApiRequest, MedicationText

__all__ = ["RiskRequest", "router"]

router = APIRouter(tags=["clinical: opioids"])


class RiskRequest(ApiRequest):
    meds: list[MedicationText] = Field(
        min_length=1,
        max_length=30,
        description="Every order (opioids, benzodiazepines, Z-drugs, gabapentinoids, naloxone...).",
        examples=[["oxycodone 10 mg BID", "alprazolam 1 mg TID"]],
    )
    age_years: Annotated[float | None, Field(ge=0, le=120)] = None
    abstinent_days: Annotated[
        int | None,
        Field(
            ge=0, le=36500, description="Days of a recent period without opioids (lost tolerance)."
        ),
    ] = None
    abstinent_reason: Literal["prison", "hospital", "taper", "other"] | None = None
    sleep_apnoea: bool = False
    prior_overdose: bool = False
    substance_use_disorder: bool = False
    renal_impairment: bool = False
    hepatic_impairment: bool = False
    alcohol: str | None = Field(
        None,
        max_length=40,
        description="Standard drinks, e.g. '2 drinks/day' or '10 drinks/week'.",
        examples=["2 drinks/day"],
    )
    has_rescue_naloxone: bool = False
    factor_set: str = Field(DEFAULT_MME_FACTOR_SET, max_length=40)
    equivalence_source: str = Field("ashton-2002", max_length=40)


@router.post(
    "/risk",
    response_model=RiskAssessment,
    summary="Co-prescription risk and naloxone",
    description="MME, diazepam equivalents, sedative burden (with the respiratory model's predicted "
    "ventilation), interactions with published estimates, and the naloxone recommendation, each with "
    "its basis and citations (`allostasis risk`)." + NOT_A_PRESCRIPTION,
)
def risk(req: RiskRequest) -> RiskAssessment:
    return assess_risk(
        req.meds,
        age_years=req.age_years,
        sleep_apnoea=req.sleep_apnoea,
        prior_overdose=req.prior_overdose,
        substance_use_disorder=req.substance_use_disorder,
        renal_impairment=req.renal_impairment,
        hepatic_impairment=req.hepatic_impairment,
        abstinent_days=req.abstinent_days,
        abstinent_reason=req.abstinent_reason,
        alcohol=req.alcohol,
        has_rescue_naloxone=req.has_rescue_naloxone,
        factor_set=req.factor_set,
        equivalence_source=req.equivalence_source,
    )
