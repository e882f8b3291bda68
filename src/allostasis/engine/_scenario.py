"""A withdrawal scenario in clinical terms: chronic use, then an abrupt stop or a taper, plus events.

``withdrawal_scenario("alprazolam", "4 mg/day", "2 years", taper="proportional 10% every 2 weeks",
events=["flumazenil 2 mg IV at day 3"])`` builds the regimens (the daily dose split over the drug's
usual dosing times from the knowledge base; the taper starting when chronic use ends; event days
counted from that moment) and runs :func:`~allostasis.engine.simulate_adaptation`. Flumazenil and
ketamine events carry the model's HYPOTHESIS / INVESTIGATIONAL labels into the result.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from allostasis.engine._adaptation_runner import (
    AdaptationResult,
    WithdrawalSummary,
    simulate_adaptation,
)
from allostasis.errors import InvalidValueError
from allostasis.knowledge import KnowledgeBase, load_knowledge_base
from allostasis.regimen import (
    DosingRecords,
    every,
    iv_bolus,
    parse_reduction,
    reduction_taper,
)
from allostasis.units import magnitude

__all__ = ["WithdrawalRun", "parse_event", "withdrawal_scenario"]

_ROUTES = {
    "iv": "iv",
    "im": "im",
    "in": "intranasal",
    "intranasal": "intranasal",
    "po": "oral",
    "oral": "oral",
}
_EVENT = re.compile(
    r"^\s*(?P<drug>[a-zA-Z-]+)\s+(?P<dose>\d+(?:\.\d+)?\s*[a-zA-Z]+)\s+(?P<route>iv|im|in|intranasal|po|oral)"
    r"\s+at\s+(?:day\s+(?P<day>-?\d+(?:\.\d+)?)|(?P<time>\d+(?:\.\d+)?\s*[a-zA-Z]+))\s*$",
    re.IGNORECASE,
)


def parse_event(text: str) -> tuple[str, str, str, float]:
    """Read ``"flumazenil 2 mg IV at day 3"`` as (drug, dose, route, hours after chronic use ends).

    Examples
    --------
    >>> parse_event("flumazenil 2 mg IV at day 3")
    ('flumazenil', '2 mg', 'iv', 72.0)
    >>> parse_event("ketamine 35 mg IV at 12 h")
    ('ketamine', '35 mg', 'iv', 12.0)
    >>> parse_event("some flumazenil later")
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: --with: cannot read 'some flumazenil later'; write e.g. 'flumazenil 2 mg IV at day 3' (routes IV, IM, IN, PO; 'at day N' or 'at 12 h', counted from the end of chronic use)
    """
    m = _EVENT.match(text or "")
    if m is None:
        raise InvalidValueError(
            f"--with: cannot read {text!r}; write e.g. 'flumazenil 2 mg IV at day 3' (routes IV, IM, "
            "IN, PO; 'at day N' or 'at 12 h', counted from the end of chronic use)"
        )
    hours = (
        float(m["day"]) * 24.0
        if m["day"] is not None
        else magnitude(m["time"], field="--with", unit="h")
    )
    magnitude(m["dose"], field="--with dose", unit="mg", strictly_positive=True)
    return m["drug"].lower(), m["dose"], _ROUTES[m["route"].lower()], hours


@dataclass(frozen=True)
class WithdrawalRun:
    """The simulation, its per-subject summary, and what was simulated."""

    drug: str
    description: list[str]
    result: AdaptationResult
    summary: WithdrawalSummary
    stop_time_h: float
    basis: list[str] = field(default_factory=list)


def withdrawal_scenario(
    drug: str,
    daily_dose: Any,
    duration: Any,
    *,
    taper: str | None = None,
    events: Sequence[str] = (),
    follow_up: Any = "60 days",
    kb: KnowledgeBase | None = None,
) -> WithdrawalRun:
    """Chronic use of a benzodiazepine or Z-drug, then an abrupt stop (default) or a taper.

    Parameters
    ----------
    drug : str
        A benzodiazepine or Z-drug in the knowledge base.
    daily_dose : quantity
        Total daily dose, ``"4 mg/day"`` or ``"4 mg"``.
    duration : quantity
        Length of chronic use before the stop or taper, e.g. ``"2 years"``.
    taper : str, optional
        A reduction spec, e.g. ``"proportional 10% every 2 weeks"`` (see
        :func:`allostasis.regimen.parse_reduction`); without it the drug stops abruptly.
    events : sequence of str
        Extra doses, e.g. ``"flumazenil 2 mg IV at day 3"`` (days from the end of chronic use).
    follow_up : quantity
        Time simulated after the last benzodiazepine dose.

    Examples
    --------
    >>> run = withdrawal_scenario("alprazolam", "2 mg/day", "120 days", follow_up="30 days")
    >>> 1 <= run.summary.peak_day <= 3
    True
    >>> withdrawal_scenario("sertraline", "50 mg/day", "1 year")
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: drug: sertraline is a ssri; withdrawal scenarios cover benzodiazepines and Z-drugs
    """
    kb = kb or load_knowledge_base()
    d = kb[drug]
    if d.drug_class not in ("benzodiazepine", "z-drug"):
        raise InvalidValueError(
            f"drug: {d.name} is a {d.drug_class}; withdrawal scenarios cover benzodiazepines and Z-drugs"
        )
    text = str(daily_dose)
    daily = (
        magnitude(daily_dose, field="daily_dose", unit="mg/day", strictly_positive=True)
        if "/" in text
        else magnitude(daily_dose, field="daily_dose", unit="mg", strictly_positive=True)
    )
    use_h = magnitude(duration, field="duration", unit="h", strictly_positive=True)
    if use_h > 50 * 365 * 24:
        raise InvalidValueError(f"duration: at most 50 years; got {duration}")
    follow_h = magnitude(follow_up, field="follow_up", unit="h", strictly_positive=True)
    n = d.dosing[0].times_per_day if d.dosing else 1
    if d.dosing and daily > 10 * d.dosing[0].max_daily_dose.to("mg"):
        raise InvalidValueError(
            f"daily_dose: {daily:g} mg/day of {d.name} is more than 10x the label maximum "
            f"({d.dosing[0].max_daily_dose.to('mg'):g} mg/day); check the dose"
        )
    chronic = every(f"{daily / n} mg", f"{24.0 / n} h", duration=f"{use_h} h")
    description = [
        f"{d.name} {daily:g} mg/day ({n} x {daily / n:.3g} mg) for {use_h / 24:.0f} days"
    ]
    records = chronic
    if taper is not None:
        spec = parse_reduction(taper)
        records = chronic + reduction_taper(
            f"{daily} mg", times_per_day=n, start=f"{use_h} h", **spec
        )
        description.append(f"then taper: {taper}")
    else:
        description.append("then abrupt stop")
    doses = records.doses
    last_h = float((doses["TIME"] + doses["ADDL"] * doses["II"]).max())
    regimens: dict[str, DosingRecords] = {d.name: records}
    routes: dict[str, str] = {d.name: "oral"}
    for ev in events:
        ev_drug, ev_dose, route, at_h = parse_event(ev)
        t = use_h + at_h
        if t < 0:
            raise InvalidValueError(f"--with: {ev!r} falls before the start of the simulation")
        rec = (
            iv_bolus(ev_dose, at=f"{t} h")
            if route == "iv"
            else every(ev_dose, "24 h", n_doses=1, start=f"{t} h")
        )
        name = kb[ev_drug].name
        regimens[name] = regimens[name] + rec if name in regimens else rec
        routes[name] = route
        description.append(f"{ev} (at {t / 24:.2f} days)")
    event_h = [use_h + parse_event(e)[3] for e in events]
    end_h = max(last_h, max(event_h, default=0.0)) + follow_h
    result = simulate_adaptation(regimens, end=f"{end_h} h", routes=routes)
    # the withdrawal peak is sought from the end of chronic use (or an earlier event), not among
    # interdose swings while still on the drug
    window_h = min([use_h, *event_h])
    summary = result.summary(from_time=f"{window_h} h")[0]
    description.append(f"summary window from day {window_h / 24:.2f}")
    return WithdrawalRun(
        drug=d.name,
        description=description,
        result=result,
        summary=summary,
        stop_time_h=use_h,
        basis=[*description, *result.basis],
    )
