"""Switching to a long-acting benzodiazepine one dose at a time, over about 1-2 weeks.

Each dose the patient takes (drug, time of day) is replaced by the equivalent dose of the long-acting
drug, one dose time per sub-step, the night dose first (Ashton 2002 substitutes the night dose first
because the long-acting drug's sedation suits it), then the morning, then the others; the
sub-steps are spread evenly over ``switch_days`` (7-14 days; Brunner et al. 2025 advise about
1-2 weeks, not 1-2 days). A single daily dose is moved in two halves. Each replacement dose is the
dispensable dose nearest to the equivalent (rounding reported); the total in diazepam equivalents is
kept within that rounding.
"""

from __future__ import annotations

import datetime as dt

from allostasis.clinical._benzodiazepine_use import BenzodiazepineUse
from allostasis.clinical._dispensable_doses import PerDoseOption, per_dose_options
from allostasis.clinical._taper_schedule import ScheduledDose, TaperStep

__all__ = ["nearest_dose", "switch_steps"]


def nearest_dose(drug: str, mg: float) -> PerDoseOption:
    """The dispensable single dose nearest ``mg`` (solid preferred on a tie)."""
    return min(per_dose_options(drug), key=lambda o: (round(abs(o.mg - mg), 9), o.liquid))


def scheduled(time: str, drug: str, option: PerDoseOption) -> ScheduledDose:
    return ScheduledDose(
        time=time,
        drug=drug,
        mg=option.mg,
        description=option.describe(),
        liquid=option.liquid,
        items=list(option.items),
    )


def _order(times: list[str]) -> list[int]:
    """Night (last) dose first, then the first of the day, then the rest in order."""
    n = len(times)
    first = [n - 1, 0] if n > 1 else [0]
    return first + [i for i in range(1, n - 1)]


def switch_steps(
    current: list[BenzodiazepineUse],
    to_drug: str,
    mg_eq_per_mg: dict[str, float],
    diazepam_eq_per_mg: dict[str, float],
    *,
    start: dt.date,
    switch_days: float,
) -> list[TaperStep]:
    """Sub-steps that move every dose to ``to_drug``; ``mg_eq_per_mg[d]`` mg of it per mg of ``d``.

    Examples
    --------
    >>> from allostasis.clinical._benzodiazepine_use import benzodiazepine_use
    >>> steps = switch_steps([benzodiazepine_use("alprazolam 1 mg TID")], "diazepam",
    ...     {"alprazolam": 10.0, "diazepam": 1.0}, {"alprazolam": 20.0, "diazepam": 1.0},
    ...     start=dt.date(2027, 1, 4), switch_days=14)
    >>> [(s.start.isoformat(), s.daily_mg) for s in steps]
    [('2027-01-04', {'alprazolam': 2.0, 'diazepam': 10.0}), ('2027-01-09', {'alprazolam': 1.0, 'diazepam': 20.0}), ('2027-01-13', {'alprazolam': 0.0, 'diazepam': 30.0})]
    """
    # every (time, drug, mg) the patient takes now, then the order in which they are replaced
    entries: list[tuple[str, str, float]] = sorted(
        (t, u.drug, mg) for u in current for t, mg in zip(u.clock_times, u.doses_mg, strict=True)
    )
    times = sorted({t for t, _, _ in entries})
    order = [times[i] for i in _order(times)]
    moves: list[tuple[str, float]] = [(t, 1.0) for t in order]
    if len(times) == 1:
        moves = [(times[0], 0.5), (times[0], 1.0)]
    moved: dict[str, float] = {t: 0.0 for t in times}  # fraction of each time's dose already moved
    steps: list[TaperStep] = []
    prev_eq = sum(mg * diazepam_eq_per_mg[d] for _, d, mg in entries)
    for j, (time, fraction) in enumerate(moves):
        moved[time] = fraction
        day = round(j * switch_days / len(moves))
        doses: list[ScheduledDose] = []
        for t in times:
            old = [(d, mg) for tt, d, mg in entries if tt == t]
            f = moved[t]
            if f < 1.0:
                for d, mg in old:
                    doses.append(scheduled(t, d, nearest_dose(d, mg * (1.0 - f))))
            if f > 0.0:
                eq = sum(mg * mg_eq_per_mg[d] for d, mg in old) * f
                doses.append(scheduled(t, to_drug, nearest_dose(to_drug, eq)))
        daily: dict[str, float] = {u.drug: 0.0 for u in current}
        daily[to_drug] = 0.0
        for sd in doses:
            daily[sd.drug] = round(daily[sd.drug] + sd.mg, 9)
        eq_total = sum(mg * diazepam_eq_per_mg[d] for d, mg in daily.items())
        steps.append(
            TaperStep(
                index=j + 1,
                phase="switch",
                start=start + dt.timedelta(days=day),
                doses=doses,
                daily_mg=daily,
                diazepam_equivalent_mg=eq_total,
                target_mg=None,
                reduction=1.0 - eq_total / prev_eq,
                rounding_error=0.0,
                note=f"switch: {'half of ' if fraction < 1 else ''}the {time} dose now {to_drug}",
            )
        )
        prev_eq = eq_total
    return steps
