"""``POST /api/taper`` (+ ``/adjust``, ``/pdf``, ``/ics``, ``/csv``): a dated benzodiazepine taper.

The API is stateless: every call sends the plan's inputs and gets the plan rebuilt (planning takes
milliseconds). Symptom reports in ``reports`` are applied in order, as ``allostasis taper --report``
does; ``/taper/adjust`` applies one more and returns the decision with the re-planned taper. The
neuroadaptation model's prediction takes seconds, so it runs only when ``predict`` is true.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, Field

from allostasis.clinical import (
    RED_FLAGS,
    TABLE3_DOMAINS,
    StepPrediction,
    TaperAdjustment,
    TaperPlan,
    TaperPrediction,
    adjust_taper,
    plan_taper,
    predict_taper,
    symptom_report,
)
from allostasis.interfaces.api._fields import (
    NOT_A_PRESCRIPTION,
    ApiRequest,
    MedicationText,
    Quantity,
)
from allostasis.interfaces.api._wire import columns
from allostasis.interfaces.reports import write_taper_csv, write_taper_ics, write_taper_pdf

__all__ = [
    "SymptomReportIn",
    "TaperAdjustRequest",
    "TaperPredictionOut",
    "TaperRequest",
    "TaperResponse",
    "router",
]

router = APIRouter(tags=["clinical: benzodiazepines"])

Fraction = Annotated[float, Field(gt=0, lt=1, description="A fraction, e.g. 0.1 for 10%.")]


class SymptomReportIn(ApiRequest):
    """A symptom report: scores 0-3 per Ashton/Table 3 domain (missing = 0) and red flags."""

    date: dt.date = Field(description="Date of the report, YYYY-MM-DD.", examples=["2027-02-01"])
    scores: dict[str, Annotated[int, Field(ge=0, le=3)]] = Field(
        default_factory=dict,
        description=f"Domain -> 0-3 (none to severe); domains: {', '.join(TABLE3_DOMAINS)}.",
        examples=[{"sleep": 2, "affective": 1}],
    )
    red_flags: list[str] = Field(
        default_factory=list, max_length=20, description=f"Any of: {', '.join(RED_FLAGS)}."
    )


class TaperRequest(ApiRequest):
    meds: list[MedicationText] = Field(
        min_length=1,
        max_length=6,
        description="Current benzodiazepine/Z-drug regimen; several drugs need switch_to.",
        examples=[["alprazolam 1 mg TID"]],
    )
    duration: Annotated[
        str,
        Quantity(
            "day",
            positive=True,
            maximum=36500,
            example="6 years",
            description="How long it has been taken",
        ),
    ]
    start: dt.date | None = Field(
        None, description="First day of the plan (default today).", examples=["2027-01-04"]
    )
    age_years: Annotated[float | None, Field(ge=0, le=120)] = None
    hepatic_impairment: bool = False
    seizure_history: bool = False
    previous_difficult_withdrawal: bool = False
    concurrent_opioid: bool = False
    switch_to: Literal["diazepam", "clonazepam", "chlordiazepoxide"] | None = None
    reduction: Literal["proportional", "linear"] = "proportional"
    step: Fraction | None = None
    interval: Annotated[
        str | None, Quantity("day", positive=True, maximum=365, example="2 weeks")
    ] = None
    initial_step: Fraction | None = None
    initial_interval: Annotated[
        str | None, Quantity("day", positive=True, maximum=365, example="1 week")
    ] = None
    end_dose: Annotated[
        str | None,
        Quantity("mg", positive=True, example="1 mg", description="Maintenance dose to stop at"),
    ] = None
    final_dose: Annotated[
        str | None,
        Quantity(
            "mg", positive=True, example="0.5 mg", description="Daily dose from which to stop"
        ),
    ] = None
    equivalence_source: str = Field("ashton-2002", max_length=40)
    override_reason: str | None = Field(
        None, max_length=500, description="Reason to go beyond the guideline limits (recorded)."
    )
    reports: list[SymptomReportIn] = Field(
        default_factory=list, max_length=50, description="Symptom reports applied in order."
    )
    predict: bool = Field(
        False,
        description="Run the neuroadaptation model for the predicted course (takes seconds).",
    )


class TaperPredictionOut(BaseModel):
    """The model's course of the plan for a typical patient (a prediction, not a forecast)."""

    steps: list[StepPrediction]
    peak_index: float
    seizure_threshold: float
    daily: dict[str, list[Any]]
    """Columns: day, date, balance_index and one per symptom domain."""
    labels: list[str]
    basis: list[str]


class TaperDecision(BaseModel):
    """What one symptom report decided (the re-planned taper is the response's ``plan``)."""

    decision: str
    urgent: bool
    reason: str
    message: str
    basis: list[str]


class TaperResponse(BaseModel):
    plan: TaperPlan
    decisions: list[TaperDecision]
    prediction: TaperPredictionOut | None
    basis: list[str]


class TaperAdjustRequest(ApiRequest):
    taper: TaperRequest
    report: SymptomReportIn


def _plan(req: TaperRequest) -> tuple[TaperPlan, list[TaperDecision]]:
    plan = plan_taper(
        req.meds,
        duration=req.duration,
        start=req.start or dt.date.today(),
        age_years=req.age_years,
        hepatic_impairment=req.hepatic_impairment,
        seizure_history=req.seizure_history,
        previous_difficult_withdrawal=req.previous_difficult_withdrawal,
        concurrent_opioid=req.concurrent_opioid,
        switch_to=req.switch_to,
        reduction=req.reduction,
        step=req.step,
        interval=req.interval,
        initial_step=req.initial_step,
        initial_interval=req.initial_interval,
        end_dose=req.end_dose,
        final_dose=req.final_dose,
        equivalence_source=req.equivalence_source,
        override_reason=req.override_reason,
    )
    decisions = []
    for r in req.reports:
        adj = _adjust(plan, r)
        plan = adj.plan
        decisions.append(TaperDecision(**adj.model_dump(exclude={"plan"})))
    return plan, decisions


def _adjust(plan: TaperPlan, r: SymptomReportIn) -> TaperAdjustment:
    return adjust_taper(plan, symptom_report(r.date, dict(r.scores), list(r.red_flags)))


def _prediction(plan: TaperPlan, predict: bool) -> TaperPrediction | None:
    return predict_taper(plan) if predict and plan.steps else None


@router.post(
    "/taper",
    response_model=TaperResponse,
    summary="Plan a benzodiazepine taper",
    description="A dated, dispensable schedule per dose time with warnings and basis "
    "(`allostasis taper`). Symptom reports in `reports` re-plan it in order. Set `predict` for the "
    "neuroadaptation model's course (seconds, not milliseconds)." + NOT_A_PRESCRIPTION,
)
def taper(req: TaperRequest) -> TaperResponse:
    plan, decisions = _plan(req)
    pred = _prediction(plan, req.predict)
    out = None
    if pred is not None:
        out = TaperPredictionOut(
            steps=pred.steps,
            peak_index=pred.peak_index,
            seizure_threshold=pred.seizure_threshold,
            daily=columns(pred.daily),
            labels=pred.labels,
            basis=pred.basis,
        )
    return TaperResponse(plan=plan, decisions=decisions, prediction=out, basis=plan.basis)


@router.post(
    "/taper/adjust",
    response_model=TaperAdjustment,
    summary="Re-plan a taper after a symptom report",
    description="Continue, slow, pause or return to the last tolerated dose after a symptom report "
    "(red flags: seek urgent care), with the re-planned taper. `taper` holds the plan's inputs "
    "(and earlier reports); `report` is the new one." + NOT_A_PRESCRIPTION,
)
def taper_adjust(req: TaperAdjustRequest) -> TaperAdjustment:
    plan, _ = _plan(req.taper)
    return _adjust(plan, req.report)


_FILES = {
    "pdf": ("application/pdf", "patient handout"),
    "ics": ("text/calendar", "calendar of the dose changes"),
    "csv": ("text/csv", "schedule, one row per step and dose time"),
}


def _file(req: TaperRequest, kind: str) -> Response:
    plan, _ = _plan(req)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"taper.{kind}"
        if kind == "pdf":
            pred = _prediction(plan, req.predict)
            write_taper_pdf(plan, path, trajectory=pred.daily if pred else None)
        elif kind == "ics":
            write_taper_ics(plan, path)
        else:
            write_taper_csv(plan, path)
        body = path.read_bytes()
    media, _ = _FILES[kind]
    name = f"taper-{plan.tapered_drug}-{plan.steps[0].start if plan.steps else 'plan'}.{kind}"
    return Response(
        content=body,
        media_type=media,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _file_route(kind: str) -> None:
    media, what = _FILES[kind]

    def download(req: TaperRequest) -> Response:
        return _file(req, kind)

    router.add_api_route(
        f"/taper/{kind}",
        download,
        methods=["POST"],
        name=f"taper_{kind}",
        summary=f"Download the taper as {kind.upper()}",
        description=f"The plan's {what} ({media}), built from the same inputs as POST /api/taper."
        + NOT_A_PRESCRIPTION,
        response_class=Response,
        responses={200: {"content": {media: {}}, "description": f"The {what}."}},
    )


for _kind in _FILES:
    _file_route(_kind)
