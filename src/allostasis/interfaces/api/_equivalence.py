"""``POST /api/convert``: an equivalent benzodiazepine or Z-drug dose by a named table."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import Field

from allostasis.clinical import EquivalentDose, convert_benzodiazepine
from allostasis.interfaces.api._fields import NOT_A_PRESCRIPTION, ApiRequest, DrugName, Quantity
from allostasis.units import magnitude

__all__ = ["ConvertRequest", "ConvertResponse", "router"]

router = APIRouter(tags=["clinical: benzodiazepines"])


class ConvertRequest(ApiRequest):
    from_drug: DrugName
    dose: Annotated[
        str,
        Quantity(
            "mg",
            ("mg/day",),
            positive=True,
            example="2 mg",
            description="Dose of from_drug; a daily dose ('2 mg/day') converts to a daily dose",
        ),
    ]
    to_drug: DrugName = "diazepam"
    source: str = Field(
        "ashton-2002",
        max_length=40,
        description="Equivalence table: ashton-2002, va-dod-2021, nhs-scotland-2024, who-2009.",
    )


class ConvertResponse(EquivalentDose):
    """The library's :class:`~allostasis.clinical.EquivalentDose` with the unit of both doses."""

    unit: str


@router.post(
    "/convert",
    response_model=ConvertResponse,
    summary="Equivalent dose of another benzodiazepine",
    description="Equivalent dose by one named table, with what every other table says and a flag "
    "when they disagree (`allostasis convert`). Equivalences are approximate; for switching under "
    "supervision." + NOT_A_PRESCRIPTION,
)
def convert(req: ConvertRequest) -> ConvertResponse:
    per_day = "/" in req.dose
    dose = (
        f"{magnitude(req.dose, field='dose', unit='mg/day', strictly_positive=True)} mg"
        if per_day
        else req.dose
    )
    r = convert_benzodiazepine(req.from_drug, dose, req.to_drug, source=req.source)
    return ConvertResponse(**r.model_dump(), unit="mg/day" if per_day else "mg")
