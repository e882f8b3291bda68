"""The risk and MME page: free-text orders read back line by line, then the co-prescription assessment.

``POST /risk`` calls :func:`allostasis.clinical.assess_risk` on the list. When the list cannot be
read, every line is read on its own (``assess_risk([line])``) so each unreadable line shows its own
message next to it, and no assessment is shown until all lines are read: leaving a medication out
would understate the risk.
"""

from __future__ import annotations

from typing import Any, Literal, cast

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from allostasis.clinical import DEFAULT_MME_FACTOR_SET, RiskAssessment, assess_risk
from allostasis.errors import AllostasisError, InvalidValueError
from allostasis.interfaces.web._page import figure, figure_json, render
from allostasis.knowledge import load_knowledge_base, load_mme_factor_sets

__all__ = ["router"]

router = APIRouter()

_FLAGS = ("sleep_apnoea", "prior_overdose", "sud", "renal", "hepatic", "has_naloxone")
_REASONS = ("prison", "hospital", "taper", "other")


def _options() -> dict[str, Any]:
    return {
        "factor_sets": sorted(load_mme_factor_sets()),
        "equivalence_sources": sorted(load_knowledge_base().equivalence),
        "reasons": _REASONS,
    }


def _number(text: str, field: str, kind: type[float] | type[int]) -> Any:
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        raise InvalidValueError(f"{field}: must be a number; got {text!r}") from None


def _assess(form: dict[str, Any]) -> RiskAssessment:
    reason = form["abstinent_reason"] or None
    if reason is not None and reason not in _REASONS:
        raise InvalidValueError(f"abstinent_reason: one of {', '.join(_REASONS)}; got {reason!r}")
    return assess_risk(
        form["lines"],
        age_years=_number(form["age"], "age", float),
        sleep_apnoea=form["sleep_apnoea"],
        prior_overdose=form["prior_overdose"],
        substance_use_disorder=form["sud"],
        renal_impairment=form["renal"],
        hepatic_impairment=form["hepatic"],
        abstinent_days=_number(form["abstinent_days"], "abstinent_days", int),
        abstinent_reason=cast(Literal["prison", "hospital", "taper", "other"] | None, reason),
        alcohol=form["alcohol"] or None,
        has_rescue_naloxone=form["has_naloxone"],
        factor_set=form["factor_set"],
        equivalence_source=form["equivalence_source"],
    )


def _line_feedback(lines: list[str]) -> list[dict[str, Any]]:
    """Each line read on its own: what it was read as, or why it could not be read."""
    out = []
    for line in lines:
        try:
            entry = assess_risk([line]).medications[0]
            out.append({"text": line, "entry": entry, "error": None})
        except AllostasisError as exc:
            out.append({"text": line, "entry": None, "error": str(exc)})
    return out


def _mme_chart(res: RiskAssessment) -> str | None:
    if res.mme is None:
        return None
    orders = [o for o in res.mme.orders if o.counted]
    fig = figure(
        [
            {
                "type": "bar",
                "x": [o.order for o in orders],
                "y": [o.mme_per_day for o in orders],
                "name": "MME/day",
                "marker": {"color": "#0b4f8a"},
            }
        ],
        title=f"MME/day by order ({res.factor_set}); total {res.total_mme_per_day:g}",
        xlabel="order",
        ylabel="MME/day",
        shapes=[
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": res.mme.reassessment_threshold,
                "y1": res.mme.reassessment_threshold,
                "line": {"color": "#8a1111", "dash": "dot"},
            }
        ],
    )
    return figure_json(fig)


def _form(fields: Any) -> dict[str, Any]:
    text = str(fields.get("meds") or "")
    return {
        "meds": text,
        "lines": [line.strip() for line in text.splitlines() if line.strip()],
        "age": str(fields.get("age") or "").strip(),
        "alcohol": str(fields.get("alcohol") or "").strip(),
        "abstinent_days": str(fields.get("abstinent_days") or "").strip(),
        "abstinent_reason": str(fields.get("abstinent_reason") or ""),
        "factor_set": str(fields.get("factor_set") or DEFAULT_MME_FACTOR_SET),
        "equivalence_source": str(fields.get("equivalence_source") or "ashton-2002"),
        **{name: name in fields for name in _FLAGS},
    }


def _compute(form: dict[str, Any]) -> dict[str, Any]:
    if not form["lines"]:
        raise InvalidValueError("medications: enter at least one order, e.g. 'oxycodone 10 mg BID'")
    try:
        res = _assess(form)
    except AllostasisError as exc:
        feedback = _line_feedback(form["lines"])
        if not any(f["error"] for f in feedback):  # the list is readable; the problem is elsewhere
            raise
        return {"feedback": feedback, "error": str(exc)}
    feedback = [{"text": m.text, "entry": m, "error": None} for m in res.medications]
    return {"feedback": feedback, "result": res, "mme_chart": _mme_chart(res)}


@router.get("/risk", response_class=HTMLResponse)
def risk_form(request: Request) -> HTMLResponse:
    """The empty form."""
    return render(request, "risk.html", {"active": "/risk", "form": _form({}), **_options()})


@router.post("/risk", response_class=HTMLResponse)
async def risk_assess(request: Request) -> HTMLResponse:
    """Read the orders back and assess them."""
    form = _form(await request.form())
    ctx: dict[str, Any] = {"active": "/risk", "form": form, "errors": [], **_options()}
    try:
        out = await run_in_threadpool(_compute, form)
    except AllostasisError as exc:
        ctx["errors"] = [str(exc)]
        return render(request, "risk.html", ctx, status_code=422)
    ctx.update(out)
    if "error" in out:
        ctx["errors"] = [
            "Some orders could not be read (see each line below); no assessment is shown until "
            "every order is read, because a missing medication would understate the risk."
        ]
        return render(request, "risk.html", ctx, status_code=422)
    return render(request, "risk.html", ctx)
