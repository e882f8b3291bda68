"""The doses a taper plan dispenses, as simulation input: dose times per day, drug and amount.

The current regimen runs for the prior days of use, then each step of the plan runs from its start
until the next step (the last until the end of the follow-up); every dose time of a period is one
dose a day at its clock time (``08:00`` on day ``d`` is hour ``24 d + 8``). A switch, a dropped
dose time and a liquid dose are therefore simulated as dispensed. Both runners of
:func:`~allostasis.clinical.predict_taper` read the plan through this module.
"""

from __future__ import annotations

import datetime as dt

from allostasis.clinical._taper_schedule import TaperPlan

__all__ = ["DosePeriod", "clock_hours", "dose_periods", "dose_schedule"]

#: One period of the plan: first day, end day (exclusive, days from the start of the prior use) and
#: its doses as (clock time "HH:MM", drug, mg).
DosePeriod = tuple[int, int, list[tuple[str, str, float]]]


def clock_hours(clock: str) -> float:
    """Hours after midnight of a clock time.

    >>> clock_hours("20:30")
    20.5
    """
    h, m = clock.split(":")
    return int(h) + int(m) / 60.0


def dose_periods(plan: TaperPlan, prior_days: int, end_day: int) -> list[DosePeriod]:
    """The current regimen for ``prior_days``, then every step until ``end_day`` (days from the
    plan's first step) as :data:`DosePeriod` s on one day axis from the start of the prior use;
    empty periods are left out."""
    current = [
        (t, u.drug, mg)
        for u in plan.current
        for t, mg in zip(u.clock_times, u.doses_mg, strict=True)
    ]
    first = plan.steps[0].start if plan.steps else dt.date.fromisoformat(str(plan.patient["start"]))
    periods: list[DosePeriod] = [(0, prior_days, current)]
    for i, s in enumerate(plan.steps):
        a = prior_days + (s.start - first).days
        b = prior_days + (
            (plan.steps[i + 1].start - first).days if i + 1 < len(plan.steps) else end_day
        )
        periods.append((a, b, [(d.time, d.drug, d.mg) for d in s.doses]))
    return [p for p in periods if p[1] > p[0]]


def dose_schedule(periods: list[DosePeriod]) -> dict[float, dict[str, float]]:
    """Every dose of ``periods``: time (h from the start of the prior use) -> drug -> mg, in time
    order (doses of one drug at the same time add up; zero doses are left out).

    >>> dose_schedule([(0, 2, [("08:00", "diazepam", 5.0), ("20:00", "diazepam", 0.0)])])
    {8.0: {'diazepam': 5.0}, 32.0: {'diazepam': 5.0}}
    """
    out: dict[float, dict[str, float]] = {}
    for a, b, doses in periods:
        for clock, drug, mg in doses:
            if mg <= 0:
                continue
            h = clock_hours(clock)
            for day in range(a, b):
                at = out.setdefault(day * 24.0 + h, {})
                at[drug] = at.get(drug, 0.0) + mg
    return dict(sorted(out.items()))
