"""Symptom-guided tapering: read a symptom report at a step, decide, and re-plan the rest.

A report rates the withdrawal domains of the 2025 guideline's Table 3 (Brunner et al., J Gen Intern
Med 2025, doi:10.1007/s11606-025-09499-2) from 0 (none) to 3 (severe) and lists red flags (seizure,
delirium, psychosis, suicidality). The guideline says: look for withdrawal with every reduction; if
significant signs or symptoms appear, slow or pause, and resume more slowly; staying on a lower dose
can be an end point. allostasis turns that into four decisions (the score thresholds are this
package's assumptions, stated in every result):

==========  =====================================================  =====================================
decision    when                                                   what happens to the plan
==========  =====================================================  =====================================
return      any red flag (and "seek urgent care"); any domain 3;   back to the previous step's dose now,
            three or more domains at 2                             hold 4 weeks, resume at half the step
pause       any domain at 2                                        hold the current dose 2 weeks (or one
                                                                   interval), resume at half the step
slow        two or more domains at 1                               same step size, intervals x 1.5 (the
                                                                   next step 1.5 intervals after this one)
continue    otherwise                                              the plan as it was
==========  =====================================================  =====================================

Half steps are kept inside the guideline's 5-10% for the first reductions after a change.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, ConfigDict

from allostasis.clinical._benzodiazepine_use import BenzodiazepineUse
from allostasis.clinical._taper_guideline import GUIDELINE_CITATION, INITIAL_STEP_RANGE
from allostasis.clinical._taper_plan import plan_taper
from allostasis.clinical._taper_schedule import TaperPlan, TaperStep
from allostasis.errors import InvalidValueError

__all__ = [
    "RED_FLAGS",
    "TABLE3_DOMAINS",
    "SymptomReport",
    "TaperAdjustment",
    "adjust_taper",
    "symptom_report",
]

#: Withdrawal sign and symptom domains of Brunner et al. 2025, Table 3.
TABLE3_DOMAINS = (
    "general",
    "affective",
    "cardiovascular",
    "gastrointestinal",
    "neurological",
    "neuromuscular",
    "neuropsychiatric",
    "sleep",
)
#: Signs that need urgent care, whatever the scores (Brunner et al. 2025, Table 3, starred signs).
RED_FLAGS = ("seizure", "delirium", "psychosis", "suicidality")
URGENT = "SEEK URGENT CARE (emergency department or emergency number) now"
Decision = Literal["continue", "slow", "pause", "return"]


class SymptomReport(BaseModel):
    """Scores 0-3 per Table 3 domain (missing = 0) and red flags, on a date."""

    model_config = ConfigDict(frozen=True)

    date: dt.date
    scores: dict[str, int]
    red_flags: list[str]


def symptom_report(
    date: dt.date | str, scores: dict[str, int] | None = None, red_flags: list[str] | None = None
) -> SymptomReport:
    """Check and build a report.

    Examples
    --------
    >>> symptom_report("2027-02-01", {"sleep": 2, "affective": 1}).scores["sleep"]
    2
    >>> symptom_report("2027-02-01", {"mood": 2})
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: scores: 'mood' is not a Table 3 domain; use general, affective, cardiovascular, gastrointestinal, neurological, neuromuscular, neuropsychiatric, sleep
    """
    try:
        day = date if isinstance(date, dt.date) else dt.date.fromisoformat(str(date))
    except ValueError:
        raise InvalidValueError(f"date: must be YYYY-MM-DD; got {date!r}") from None
    clean: dict[str, int] = {}
    for k, v in (scores or {}).items():
        if k not in TABLE3_DOMAINS:
            raise InvalidValueError(
                f"scores: {k!r} is not a Table 3 domain; use {', '.join(TABLE3_DOMAINS)}"
            )
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 3:
            raise InvalidValueError(
                f"scores: {k} must be an integer 0-3 (none to severe); got {v!r}"
            )
        clean[k] = v
    flags = [f.lower().strip() for f in red_flags or []]
    for f in flags:
        if f not in RED_FLAGS:
            raise InvalidValueError(f"red_flags: {f!r} is not one of {', '.join(RED_FLAGS)}")
    return SymptomReport(date=day, scores=clean, red_flags=flags)


class TaperAdjustment(BaseModel):
    """The decision, why, and the re-planned taper (history kept, the rest rebuilt)."""

    model_config = ConfigDict(frozen=True)

    decision: Decision
    urgent: bool
    reason: str
    message: str
    plan: TaperPlan
    basis: list[str]


def _decide(report: SymptomReport) -> tuple[Decision, str]:
    s = report.scores
    at = {k: [d for d, v in s.items() if v >= k] for k in (1, 2, 3)}
    if report.red_flags:
        return "return", f"red flag: {', '.join(report.red_flags)}"
    if at[3]:
        return "return", f"severe symptoms: {', '.join(at[3])}"
    if len(at[2]) >= 3:
        return "return", f"moderate symptoms in {len(at[2])} domains: {', '.join(at[2])}"
    if at[2]:
        return "pause", f"moderate symptoms: {', '.join(at[2])}"
    if len(at[1]) >= 2:
        return "slow", f"mild symptoms in {len(at[1])} domains: {', '.join(at[1])}"
    return "continue", "no more than one mild symptom"


def _uses(step: TaperStep) -> list[BenzodiazepineUse]:
    by_drug: dict[str, dict[str, float]] = {}
    for d in step.doses:
        by_drug.setdefault(d.drug, {})
        by_drug[d.drug][d.time] = by_drug[d.drug].get(d.time, 0.0) + d.mg
    return [
        BenzodiazepineUse(drug=drug, clock_times=sorted(t), doses_mg=[t[k] for k in sorted(t)])
        for drug, t in by_drug.items()
    ]


def adjust_taper(plan: TaperPlan, report: SymptomReport) -> TaperAdjustment:
    """Decide from ``report`` and re-plan the rest of ``plan`` from the report's date.

    Examples
    --------
    >>> from allostasis.clinical import plan_taper
    >>> plan = plan_taper(["diazepam 10 mg BID"], duration="2 years", start="2027-01-04")
    >>> adj = adjust_taper(plan, symptom_report("2027-01-20", {"sleep": 2}))
    >>> adj.decision, [(s.phase, s.start.isoformat()) for s in adj.plan.steps[1:4]]
    ('pause', [('reduction', '2027-01-18'), ('hold', '2027-01-20'), ('reduction', '2027-02-03')])
    >>> adjust_taper(plan, symptom_report("2027-01-20", red_flags=["seizure"])).message.startswith("SEEK URGENT CARE")
    True
    """
    decision, reason = _decide(report)
    urgent = bool(report.red_flags)
    done = [s for s in plan.steps if s.start <= report.date]
    if decision == "continue" or not done or (done[-1].phase == "stop"):
        msg = "continue the plan as it is" if decision == "continue" else reason
        if urgent:
            msg = f"{URGENT}: {reason}. Then " + msg
        return TaperAdjustment(
            decision=decision if done else "continue",
            urgent=urgent,
            reason=reason,
            message=msg,
            plan=plan,
            basis=[f"rule: {reason} -> {decision}", f"guideline: {GUIDELINE_CITATION}"],
        )
    now = done[-1]
    previous = done[-2] if len(done) > 1 else None
    pace = plan.pace
    half = max(INITIAL_STEP_RANGE[0], round(pace.step / 2, 4))
    step: float
    interval: float
    hold_days: int
    if decision == "slow":
        step, interval = pace.step, round(pace.interval_days * 1.5)
        hold_days = max(interval - (report.date - now.start).days, 1)  # the next step comes later
    elif decision == "pause":
        step, interval, hold_days = half, pace.interval_days, max(14, round(pace.interval_days))
    else:
        step, interval, hold_days = half, pace.interval_days, 28
    initial_step = min(max(step, INITIAL_STEP_RANGE[0]), INITIAL_STEP_RANGE[1])
    base = previous if decision == "return" and previous is not None else now
    hold = TaperStep(
        index=len(done) + 1,
        phase="return" if decision == "return" else ("hold" if decision == "pause" else "slow"),
        start=report.date,
        doses=list(base.doses),
        daily_mg=dict(base.daily_mg),
        diazepam_equivalent_mg=base.diazepam_equivalent_mg,
        target_mg=None,
        reduction=1.0 - base.diazepam_equivalent_mg / now.diazepam_equivalent_mg,
        rounding_error=0.0,
        note=f"{decision}: {reason}",
    )
    drugs = sorted(base.daily_mg)
    rest = plan_taper(
        _uses(base),
        duration=f"{plan.patient['duration_days']} days",
        start=report.date + dt.timedelta(days=max(hold_days, 1)),
        age_years=plan.patient["age_years"],  # type: ignore[arg-type]
        hepatic_impairment=bool(plan.patient["hepatic_impairment"]),
        seizure_history=bool(plan.patient["seizure_history"]),
        previous_difficult_withdrawal=bool(plan.patient["previous_difficult_withdrawal"]),
        concurrent_opioid=bool(plan.patient["concurrent_opioid"]),
        switch_to=plan.tapered_drug if len(drugs) > 1 else None,
        reduction=plan.reduction_kind,
        step=step,
        interval=f"{interval:g} days",
        initial_step=initial_step,
        initial_interval=f"{interval:g} days",
        end_dose=f"{plan.end_dose_mg} mg" if plan.end_dose_mg > 0 else None,
        final_dose=f"{plan.final_dose_mg} mg" if plan.end_dose_mg == 0 else None,
        equivalence_source=str(plan.patient["equivalence_source"]),
        override_reason=plan.override.reason if plan.override else None,
    )
    renumbered = [
        s.model_copy(update={"index": hold.index + 1 + k}) for k, s in enumerate(rest.steps)
    ]
    what = {
        "slow": f"continue at longer intervals ({interval:g} days between steps)",
        "pause": f"hold {now.diazepam_equivalent_mg:.3g} mg diazepam-equivalent for {hold_days} days, then steps of {step:.0%}",
        "return": f"go back to the previous dose ({sum(base.daily_mg.values()):g} mg/day) for {hold_days} days, then steps of {step:.0%}",
    }[decision]
    msg = (f"{URGENT}: {reason}. Then " if urgent else f"{reason}: ") + what
    new_plan = plan.model_copy(
        update={
            "steps": [*done, hold, *renumbered],
            "completed": rest.completed,
            "end_date": rest.end_date,
            "warnings": [*plan.warnings, f"{report.date.isoformat()}: {msg}", *rest.warnings[:1]],
            "basis": [
                *plan.basis,
                f"{report.date.isoformat()} symptom-guided re-plan: {decision} ({reason})",
            ],
        }
    )
    return TaperAdjustment(
        decision=decision,
        urgent=urgent,
        reason=reason,
        message=msg,
        plan=new_plan,
        basis=[
            f"rule: {reason} -> {decision} (thresholds are allostasis assumptions)",
            f"guideline: slow or pause when significant symptoms appear, resume more slowly ({GUIDELINE_CITATION})",
        ],
    )
