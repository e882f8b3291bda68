"""``POST /api/ssri``, ``/api/snri`` and ``/api/select``: monoamine circuits and dose selection."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from allostasis.clinical import (
    AnxiolyticSelection,
    SSRICourse,
    TitrationStep,
    TransporterEngagement,
    select_anxiolytic,
    ssri_course,
    transporter_engagement,
)
from allostasis.interfaces.api._dataclass_models import response_model_of
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


# The responses are the library's result dataclasses as sent by their ``to_dict()``: one definition
# of each field (:func:`response_model_of`); the course sends its steps as plain objects and its
# DataFrame as daily lists.
TitrationStepOut = response_model_of(TitrationStep, "TitrationStepOut", module=__name__)
SSRIResponse = response_model_of(
    SSRICourse,
    "SSRIResponse",
    replace={
        "steps": ("steps", list[TitrationStepOut]),  # type: ignore[valid-type]
        "timecourse": ("timecourse_daily", dict[str, list[float | None]]),
    },
    module=__name__,
)


@router.post(
    "/ssri",
    response_model=SSRIResponse,
    summary="SSRI titration: delayed onset",
    description="Raphe firing, postsynaptic 5-HT and expected benefit over a titration: the early "
    "dip and the delayed onset (`allostasis ssri`)." + NOT_A_PRESCRIPTION,
)
def ssri(req: SSRIRequest) -> BaseModel:
    return SSRIResponse(**ssri_course(req.drug, req.titrate, req.weeks).to_dict())


class SNRIRequest(ApiRequest):
    drug: DrugName = Field(examples=["venlafaxine"])
    dose: Annotated[
        str,
        Quantity("mg/day", ("mg",), positive=True, example="75 mg/day", description="Daily dose"),
    ]


SNRIResponse = response_model_of(TransporterEngagement, "SNRIResponse", module=__name__)


@router.post(
    "/snri",
    response_model=SNRIResponse,
    summary="SERT and NET occupancy of a daily dose",
    description="Steady-state SERT and NET occupancy of a daily dose and the locus coeruleus "
    "consequence (`allostasis snri`)." + NOT_A_PRESCRIPTION,
)
def snri(req: SNRIRequest) -> BaseModel:
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


SelectResponse = response_model_of(AnxiolyticSelection, "SelectResponse", module=__name__)


@router.post(
    "/select",
    response_model=SelectResponse,
    summary="Anxiolytic dose-selection aid",
    description="Occupancy by dose, the dose for the target occupancy, a start-low course and the "
    "class profile (`allostasis select`)." + NOT_A_PRESCRIPTION,
)
def select(req: SelectRequest) -> BaseModel:
    return SelectResponse(
        **select_anxiolytic(req.drug, target_occupancy=req.target_occupancy).to_dict()
    )
