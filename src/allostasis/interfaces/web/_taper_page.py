"""The taper planner page: form -> dated schedule, predicted course, warnings, basis, handouts, re-planning.

``POST /taper`` calls :func:`allostasis.clinical.plan_taper`, replays each recorded symptom report
through :func:`~allostasis.clinical.adjust_taper` (``symptom_report``), and runs
:func:`~allostasis.clinical.predict_taper` for the chart. ``GET /taper/download/{pdf,ics,csv}`` re-plans
from the same inputs (carried in the query string) and returns the handout made by
:mod:`allostasis.interfaces.reports`. Predictions are cached by plan, so a download after the page
does not run the model again.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, Literal, cast

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from allostasis.clinical import (
    RED_FLAGS,
    SWITCH_TARGETS,
    TABLE3_DOMAINS,
    TaperPlan,
    TaperPrediction,
    adjust_taper,
    plan_taper,
    predict_taper,
    symptom_report,
)
from allostasis.errors import AllostasisError, InvalidValueError
from allostasis.interfaces.web._page import figure, figure_json, render
from allostasis.interfaces.web._taper_form import TaperForm, decode_report, encode_report

__all__ = ["router"]

router = APIRouter()

_DOMAIN_COLOURS = ("#0b4f8a", "#b35900", "#1e6b34", "#8a1111", "#6a1b9a", "#4a4a4a", "#00707a")
_MAX_CACHED = 16
_cache: OrderedDict[str, TaperPrediction] = OrderedDict()
_cache_lock = threading.Lock()


def _prediction(plan: TaperPlan) -> TaperPrediction:
    """The model course of a plan, cached by the plan's JSON (the model takes seconds)."""
    key = plan.model_dump_json()
    with _cache_lock:
        if key in _cache:
            _cache.move_to_end(key)
            return _cache[key]
    pred = predict_taper(plan)
    with _cache_lock:
        _cache[key] = pred
        while len(_cache) > _MAX_CACHED:
            _cache.popitem(last=False)
    return pred


def _plan(form: TaperForm) -> tuple[TaperPlan, list[dict[str, Any]]]:
    """The plan for the form, after replaying its symptom reports in order."""
    if not form.meds:
        raise InvalidValueError(
            "medications: enter the current regimen, one per line, e.g. 'alprazolam 1 mg TID'"
        )
    if not form.duration:
        raise InvalidValueError("duration: how long it has been taken, e.g. '6 years'")
    if form.reduction not in ("proportional", "linear"):
        raise InvalidValueError(f"reduction: 'proportional' or 'linear'; got {form.reduction!r}")
    plan = plan_taper(
        form.meds,
        duration=form.duration,
        start=form.start,
        age_years=form.age_years,
        hepatic_impairment=form.hepatic,
        seizure_history=form.seizures,
        previous_difficult_withdrawal=form.difficult,
        concurrent_opioid=form.opioid,
        switch_to=form.switch or None,
        reduction=cast(Literal["proportional", "linear"], form.reduction),
    )
    decisions: list[dict[str, Any]] = []
    for text in form.reports:
        date, scores, flags = decode_report(text)
        adj = adjust_taper(plan, symptom_report(date, scores, flags))
        plan = adj.plan
        decisions.append({"date": date, **adj.model_dump(mode="json", exclude={"plan"})})
    return plan, decisions


def _chart(plan: TaperPlan, pred: TaperPrediction) -> str:
    daily = pred.daily
    dates = [d.isoformat() for d in daily["date"]]
    traces: list[dict[str, Any]] = [
        {
            "x": dates,
            "y": daily["balance_index"].round(5).tolist(),
            "name": "excitation/inhibition index",
            "mode": "lines",
            "line": {"color": "#111111", "width": 3},
        }
    ]
    domains = [c for c in daily.columns if c not in ("day", "date", "balance_index")]
    for colour, name in zip(_DOMAIN_COLOURS, domains, strict=False):
        traces.append(
            {
                "x": dates,
                "y": daily[name].round(5).tolist(),
                "name": name,
                "mode": "lines",
                "line": {"color": colour, "width": 1.5},
                "visible": "legendonly" if name not in ("anxiety", "insomnia") else True,
            }
        )
    traces.append(
        {
            "x": [dates[0], dates[-1]],
            "y": [pred.seizure_threshold] * 2,
            "name": f"seizure-risk threshold {pred.seizure_threshold:g} (modelling assumption)",
            "mode": "lines",
            "line": {"color": "#8a1111", "dash": "dot"},
        }
    )
    fig = figure(
        traces,
        title=f"{plan.tapered_drug} taper: MODEL PREDICTION for a typical patient",
        xlabel="date",
        ylabel="balance index / symptom severity (0-1)",
    )
    return figure_json(fig)


def _rows(plan: TaperPlan, pred: TaperPrediction | None) -> list[dict[str, Any]]:
    peaks = {s.index: s for s in pred.steps} if pred else {}
    rows = []
    for s in plan.steps:
        p = peaks.get(s.index)
        rows.append(
            {
                "index": s.index,
                "start": s.start.isoformat(),
                "phase": s.phase,
                "daily": ", ".join(f"{k} {v:g} mg" for k, v in s.daily_mg.items() if v > 0)
                or "0 (stop)",
                "take": "; ".join(f"{d.time} {d.description}" for d in s.doses) or "stop",
                "dze": f"{s.diazepam_equivalent_mg:.3g}",
                "fall": f"{s.reduction:.0%}",
                "peak": "" if p is None else f"{p.peak_index:.3f}".replace("-0.000", "0.000"),
                "seizure": bool(p and p.seizure_risk),
                "note": s.note,
            }
        )
    return rows


def _result(form: TaperForm) -> dict[str, Any]:
    plan, decisions = _plan(form)
    pred = _prediction(plan) if form.predict and plan.steps else None
    return {
        "plan": plan,
        "current": "; ".join(u.describe() for u in plan.current),
        "rows": _rows(plan, pred),
        "decisions": decisions,
        "prediction": pred,
        "chart": _chart(plan, pred) if pred else None,
        "query": form.query(),
    }


def _context(form: TaperForm) -> dict[str, Any]:
    return {
        "active": "/taper",
        "form": form,
        "switch_targets": SWITCH_TARGETS,
        "domains": TABLE3_DOMAINS,
        "red_flags": RED_FLAGS,
        "errors": [],
    }


@router.get("/taper", response_class=HTMLResponse)
def taper_form(request: Request) -> HTMLResponse:
    """The planner, empty or pre-filled from a link (``?med=...&duration=...&age=...&opioid=true``,
    as the CDS Hooks taper card sends); nothing is planned until the user submits."""
    q = request.query_params
    form = TaperForm(
        meds=[m.strip() for m in q.getlist("med") if m.strip()],
        duration=q.get("duration", ""),
        age=q.get("age", ""),
        opioid=q.get("opioid", "").lower() in ("1", "true", "yes", "on"),
        predict=True,
        start=dt.date.today().isoformat(),
    )
    return render(request, "taper.html", _context(form))


@router.post("/taper", response_class=HTMLResponse)
async def taper_plan(request: Request) -> HTMLResponse:
    """Plan (and re-plan after a symptom report) and show the result."""
    body = await request.form()
    reports = [str(r) for r in body.getlist("report")]
    if body.get("new_report_date"):
        scores = {d: int(str(body.get(f"score_{d}") or 0)) for d in TABLE3_DOMAINS}
        flags = [f for f in RED_FLAGS if f"flag_{f}" in body]
        reports.append(
            encode_report(
                str(body["new_report_date"]), {k: v for k, v in scores.items() if v}, flags
            )
        )
    form = TaperForm.from_fields(body, reports)
    ctx = _context(form)
    try:
        ctx["result"] = await run_in_threadpool(_result, form)
    except AllostasisError as exc:
        ctx["errors"] = [str(exc)]
        return render(request, "taper.html", ctx, status_code=422)
    return render(request, "taper.html", ctx)


_MEDIA = {"pdf": "application/pdf", "ics": "text/calendar", "csv": "text/csv"}


def _handout(form: TaperForm, kind: str) -> bytes:
    from allostasis.interfaces.reports import write_taper_csv, write_taper_ics, write_taper_pdf

    plan, _ = _plan(form)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"taper.{kind}"
        if kind == "pdf":
            pred = _prediction(plan) if form.predict and plan.steps else None
            write_taper_pdf(plan, path, trajectory=pred.daily if pred else None)
        elif kind == "ics":
            write_taper_ics(plan, path)
        else:
            write_taper_csv(plan, path)
        return path.read_bytes()


@router.get("/taper/download/{kind}")
async def taper_download(request: Request, kind: str) -> Response:
    """The plan as a PDF handout, an ICS calendar or a CSV schedule."""
    if kind not in _MEDIA:
        raise InvalidValueError(f"kind: one of pdf, ics, csv; got {kind!r}")
    params = request.query_params
    form = TaperForm.from_fields(params, params.getlist("report"))
    content = await run_in_threadpool(_handout, form, kind)
    return Response(
        content,
        media_type=_MEDIA[kind],
        headers={"Content-Disposition": f'attachment; filename="taper-plan.{kind}"'},
    )
