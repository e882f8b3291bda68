"""``POST /api/ssri``, ``/api/snri`` and ``/api/select``: monoamine circuits and dose selection."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from allostasis.clinical import select_anxiolytic, ssri_course, transporter_engagement
from allostasis.interfaces.api._fields import NOT_A_PRESCRIPTION, ApiRequest, DrugName, Quantity

__all__ = ["router"]

router = APIRouter(tags=["monoamine"])


class SSRIRequest(ApiRequest):
    drug: DrugName = Field(examples=["sertraline"])
    titrate: str = Field(
        min_length=1,
        max_length=200,
        description="Daily doses, e.g. '25 mg for 1 week, then 50 mg'.",
        examples=["25 mg for 1 week, then 50 mg"],
    )
    weeks: float = Field(8.0, gt=0, le=26, description="Weeks simulated from the first dose.")


class TitrationStepOut(BaseModel):
    daily_dose_mg: float
    duration_h: float | None


class SSRIResponse(BaseModel):
    drug: str
    steps: list[TitrationStepOut]
    weeks: float
    early_dip: float
    nadir_day: float
    firing_recovery_day: float | None
    benefit_half_day: float | None
    postsynaptic_final: float
    timecourse_daily: dict[str, list[float | None]]
    labels: list[str]
    basis: list[str]


@router.post(
    "/ssri",
    response_model=SSRIResponse,
    summary="SSRI titration: delayed onset",
    description="Raphe firing, postsynaptic 5-HT and expected benefit over a titration: the early "
    "dip and the delayed onset (`allostasis ssri`)." + NOT_A_PRESCRIPTION,
)
def ssri(req: SSRIRequest) -> SSRIResponse:
    return SSRIResponse(**ssri_course(req.drug, req.titrate, req.weeks).to_dict())


class SNRIRequest(ApiRequest):
    drug: DrugName = Field(examples=["venlafaxine"])
    dose: Annotated[
        str,
        Quantity("mg/day", ("mg",), positive=True, example="75 mg/day", description="Daily dose"),
    ]


class SNRIResponse(BaseModel):
    drug: str
    daily_dose_mg: float
    sert_mean: float
    sert_pet: float
    net_mean: float | None
    net_engaged: bool
    reaches_sert_threshold: bool
    postsynaptic_noradrenaline: float | None
    activation_index: float | None
    basis: list[str]


@router.post(
    "/snri",
    response_model=SNRIResponse,
    summary="SERT and NET occupancy of a daily dose",
    description="Steady-state SERT and NET occupancy of a daily dose and the locus coeruleus "
    "consequence (`allostasis snri`)." + NOT_A_PRESCRIPTION,
)
def snri(req: SNRIRequest) -> SNRIResponse:
    return SNRIResponse(**transporter_engagement(req.drug, req.dose).to_dict())


class SelectRequest(ApiRequest):
    drug: DrugName = Field(examples=["sertraline"])
    target_occupancy: float = Field(
        0.8,
        ge=0.05,
        le=0.95,
        description="Therapeutic SERT occupancy, PET scale (Meyer 2004: 0.8); 0.05-0.95 over the API "
        "(the dose search has no root for vanishing targets).",
    )


class SelectResponse(BaseModel):
    drug: str
    drug_class: str
    summary: dict[str, Any]
    labels: list[str]
    basis: list[str]


@router.post(
    "/select",
    response_model=SelectResponse,
    summary="Anxiolytic dose-selection aid",
    description="Occupancy by dose, the dose for the target occupancy, a start-low course and the "
    "class profile (`allostasis select`)." + NOT_A_PRESCRIPTION,
)
def select(req: SelectRequest) -> SelectResponse:
    return SelectResponse(
        **select_anxiolytic(req.drug, target_occupancy=req.target_occupancy).to_dict()
    )
