"""``POST /api/breathe``: ventilation after CNS depressants, with naloxone, tolerance and age."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from allostasis.engine import simulate_breathing
from allostasis.interfaces.api._fields import NOT_A_PRESCRIPTION, ApiRequest, DrugName, Quantity
from allostasis.interfaces.api._wire import columns

__all__ = ["BreatheRequest", "BreatheResponse", "router"]

router = APIRouter(tags=["respiration"])


class DoseIn(ApiRequest):
    """One dose at t = 0 (or at ``at``)."""

    drug: DrugName = Field(examples=["oxycodone"])
    dose: Annotated[str, Quantity("mg", positive=True, maximum=10000, example="20 mg")]
    route: str = Field(
        "PO", max_length=20, description="PO, IV, IM, IN, SL, SC, TD or buccal (as the data allow)."
    )
    at: Annotated[str | None, Quantity("h", minimum=0.0, maximum=72, example="30 min")] = None


class BreatheRequest(ApiRequest):
    meds: list[DoseIn] = Field(min_length=1, max_length=8)
    age_years: Annotated[float | None, Field(ge=18, le=110)] = None
    tolerance: str = Field(
        "naive",
        max_length=30,
        description="naive, chronic, lost:<time> (e.g. lost:14d) or a factor >= 1.",
        examples=["naive"],
    )
    naloxone: str | None = Field(
        None, max_length=60, description="e.g. '4 mg IN at 30 min'.", examples=["4 mg IN at 30 min"]
    )
    alcohol: Annotated[
        str | None,
        Quantity("g/L", minimum=0.0, maximum=10, example="0.8 g/L", description="Blood alcohol"),
    ] = None
    duration: Annotated[str, Quantity("h", positive=True, maximum=24, example="8 h")] = "8 h"


class BreatheResponse(BaseModel):
    medications: list[str]
    tolerance: str
    age_years: float | None
    naloxone: str | None
    nadir_ventilation: float
    """Lowest minute ventilation, fraction of the drug-free resting value."""
    apnoea: bool
    longest_apnoea_s: float
    min_spo2: float
    peak_co2_mmhg: float
    attribution: dict[str, float]
    single_drug_depression: dict[str, float]
    bliss_expected_depression: float | None
    time_course: dict[str, list[Any]]
    """One row per minute: time_h, minute_ventilation_rel, spo2, co2_mmHg, mor_activation, ..."""
    basis: dict[str, Any]


@router.post(
    "/breathe",
    response_model=BreatheResponse,
    summary="Breathing after opioids and sedatives",
    description="Ventilation time course, nadir, apnoea, SpO2 and each drug's share of the "
    "depression, with naloxone, tolerance, age and alcohol (`allostasis breathe`). The API "
    "simulates at most 24 h." + NOT_A_PRESCRIPTION,
)
def breathe(req: BreatheRequest) -> BreatheResponse:
    meds = [
        (m.drug, m.dose, m.route) if m.at is None else (m.drug, m.dose, m.route, m.at)
        for m in req.meds
    ]
    r = simulate_breathing(
        meds,
        age_years=req.age_years,
        tolerance=req.tolerance,
        naloxone=req.naloxone,
        duration=req.duration,
        alcohol=req.alcohol,
    )
    return BreatheResponse(
        **r.model_dump(exclude={"time_course"}), time_course=columns(r.time_course)
    )
