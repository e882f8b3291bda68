"""``POST /api/pk``: plasma concentrations of a repeated regimen (``allostasis pk``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field, field_validator

from allostasis.errors import InvalidValueError
from allostasis.exposure import pk_model, time_grid
from allostasis.interfaces.api._fields import NOT_A_PRESCRIPTION, ApiRequest, DrugName, Quantity
from allostasis.interfaces.api._wire import columns
from allostasis.knowledge import load_knowledge_base
from allostasis.regimen import every
from allostasis.units import dose_per_weight, magnitude, ureg

__all__ = ["PKRequest", "PKResponse", "router"]

router = APIRouter(tags=["pharmacokinetics"])

#: Daily doses above this multiple of the label maximum are refused as implausible (as the CLI does).
ABSURD_MULTIPLE = 10.0


class PKRequest(ApiRequest):
    drug: DrugName
    dose: Annotated[
        str,
        Quantity(
            "mg",
            ("mg/kg",),
            positive=True,
            example="0.5 mg",
            description="Dose per administration (mg, or mg/kg with weight)",
        ),
    ]
    every: Annotated[str, Quantity("h", positive=True, maximum=24 * 28, example="8 h")]
    days: float = Field(14.0, gt=0, le=90, description="Days simulated (at most 90 over the API).")
    route: str = Field("oral", max_length=30, description="Route with data in the knowledge base.")
    step: Annotated[str, Quantity("h", positive=True, minimum=0.05, example="1 h")] = "1 h"
    unit: str = Field(
        "ng/mL",
        max_length=20,
        description="Concentration unit: mass per volume (ng/mL, mg/L) or molar (nM).",
        examples=["ng/mL"],
    )
    weight: Annotated[str, Quantity("kg", positive=True, maximum=400, example="70 kg")] = "70 kg"
    allow_supratherapeutic: bool = Field(
        False, description=f"Allow daily doses above {ABSURD_MULTIPLE:g}x the label maximum."
    )

    @field_validator("unit")
    @classmethod
    def _concentration_unit(cls, v: str) -> str:
        try:  # a unit expression only: pint refuses scaling factors ("10 ng/mL") here
            unit = ureg.Unit(v)
        except Exception:  # pint raises several types on malformed text
            unit = None
        for dim in ("mg/L", "nM"):
            if unit is not None and unit.dimensionality == ureg.Unit(dim).dimensionality:
                return v
        raise InvalidValueError(
            f"unit: {v!r} is not a concentration unit; use mass per volume (ng/mL) or molar (nM)"
        )


class PKResponse(BaseModel):
    drug: str
    route: str
    regimen: str
    units: dict[str, str]
    parameters: dict[str, float]
    parameter_units: dict[str, str]
    summary: list[dict[str, float | int | str | None]]
    """Cmax, tmax, Cmin, Cavg per subject and analyte over the last 24 h."""
    timecourse: dict[str, list[float | int | str | None]]
    warnings: list[str]
    basis: list[str]


@router.post(
    "/pk",
    response_model=PKResponse,
    summary="Plasma concentrations of a regimen",
    description="Simulate plasma concentrations of one drug given every `every` for `days` "
    "(`allostasis pk`): time course and a last-24-h summary, with the model's basis."
    + NOT_A_PRESCRIPTION,
)
def pk(req: PKRequest) -> PKResponse:
    kb = load_knowledge_base()
    d = kb[req.drug]
    model = pk_model(d, req.route, weight=req.weight)
    amt = magnitude(
        dose_per_weight(req.dose, req.weight, field="dose"),
        field="dose",
        unit="mg",
        strictly_positive=True,
    )
    tau = magnitude(req.every, field="every", unit="h", strictly_positive=True)
    daily = amt * 24.0 / tau
    warnings: list[str] = []
    if d.dosing:
        cap = d.dosing[0].max_daily_dose.to("mg")
        if daily > ABSURD_MULTIPLE * cap and not req.allow_supratherapeutic:
            raise InvalidValueError(
                f"dose: {daily:g} mg/day of {d.name} is more than {ABSURD_MULTIPLE:g}x the label maximum "
                f"({cap:g} mg/day); check the dose, or set allow_supratherapeutic to simulate an overdose"
            )
        if daily > cap:
            warnings.append(
                f"{daily:g} mg/day is above the label maximum of {cap:g} mg/day [{d.dosing[0].source}]"
            )
    regimen = every(f"{amt} mg", req.every, duration=f"{req.days} day", cmt=model.dose_compartment)
    res = model.simulate(regimen, time_grid(f"{req.days} day", req.step))
    df = res.to_dataframe(unit=req.unit)
    summary = res.summary(unit=req.unit, last="24 h")
    return PKResponse(
        drug=d.name,
        route=req.route,
        regimen=f"{d.name} {amt:g} mg every {tau:g} h ({req.route})",
        units={"time": "h", "concentration": req.unit},
        parameters=dict(model.typical()),
        parameter_units={k: p.unit for k, p in model.parameters.items()},
        summary=summary.to_dict(orient="records"),
        timecourse=columns(df[["subject_id", "time", "analyte", "concentration"]]),
        warnings=warnings,
        basis=list(model.basis),
    )
