"""The reduction steps of a taper, each a dispensable dose inside the guideline's limits.

Step :math:`k` aims at

.. math::

    \\text{proportional: } T_k = D_{k-1}(1 - p_k), \\qquad
    \\text{linear: } T_k = D_{k-1} - \\Delta, \\; \\Delta = p\\,D_0

where :math:`D_{k-1}` is the dose actually dispensed at the previous step (so rounding does not
accumulate) and :math:`p_k` is the initial step for the first reductions and the plan's step after.
Among the dispensable daily doses (:mod:`allostasis.clinical._dispensable_doses`) the planner takes
the one nearest :math:`T_k` whose fall :math:`r_k = 1 - D_k / D_{k-1}` lies in the allowed window:
5-10% for the first reductions and at most the 25%-per-2-weeks ceiling for all (Brunner et al.
2025), preferring, in this order, a dose within 5% of the target, the form the patient has now, and
keeping the patient's dose times (fewer times only for drugs whose own or active metabolite's
half-life is at least a day). A linear step larger than the ceiling is cut to the ceiling (and says so).
When the dose reaches the final dose the next step stops the drug; when no dispensable dose lies in
the window the plan stops short and says why rather than break the ceiling.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from allostasis.clinical._dispensable_doses import DailyOption, daily_options
from allostasis.clinical._taper_guideline import INITIAL_STEP_RANGE, INITIAL_STEPS, largest_step
from allostasis.clinical._taper_schedule import ScheduledDose, TaperStep
from allostasis.clinical._taper_switch import scheduled
from allostasis.knowledge import load_knowledge_base

__all__ = ["ReductionSettings", "reduction_steps"]

#: Most reduction steps in one plan (a guard; 10% steps from 100 mg to 1 mg take 44).
MAX_STEPS = 200
#: Rounding the planner accepts without preferring another option (as in dispense()).
ROUNDING_TOLERANCE = 0.05


@dataclass(frozen=True)
class ReductionSettings:
    """How to reduce: kind, steps (fractions), intervals (days), limits (mg/day), override."""

    kind: str
    initial_step: float
    initial_interval_days: float
    step: float
    interval_days: float
    final_dose_mg: float
    end_dose_mg: float = 0.0
    override: bool = False
    diazepam_eq_per_mg: float = 1.0
    notes: list[str] = field(default_factory=list)


#: Consolidating doses into fewer times a day needs an effective half-life this long, in h (assumption:
#: with a shorter one a dropped dose time leaves an interdose trough; Ashton 2002 consolidates only
#: diazepam-like long-acting drugs).
CONSOLIDATION_HALF_LIFE_H = 24.0


def longest_half_life_h(drug: str) -> float:
    """The longest elimination half-life (h) of the drug and its active metabolites (knowledge base)."""
    d = load_knowledge_base()[drug]
    values = [d.pk.half_life.to("h")] if d.pk and d.pk.half_life else [0.0]
    for m in d.metabolites:
        if m.active and m.pk is not None and m.pk.half_life is not None:
            values.append(m.pk.half_life.to("h"))
    return float(max(values))


def _kept_times(times: list[str], m: int) -> list[str]:
    """Which dose times to keep when a dose is taken fewer times a day: first and last first."""
    if m == 1:
        return [times[-1]]  # the night dose stays last
    idx = sorted({int(x) for x in np.rint(np.linspace(0, len(times) - 1, m))})
    return [times[i] for i in idx]


def _doses(drug: str, times: list[str], option: DailyOption) -> list[ScheduledDose]:
    kept = _kept_times(times, option.times)
    return [scheduled(t, drug, o) for t, o in zip(kept, option.per_dose, strict=True)]


def _products(option: DailyOption) -> int:
    """Distinct products (form and strength) a day's doses need: fewer is easier to dispense and take."""
    return len({(i.form, i.strength) for p in option.per_dose for i in p.items})


def _choose(
    options: list[DailyOption],
    target: float,
    prev: float,
    lo: float,
    hi: float,
    *,
    times: int,
    liquid_started: bool,
) -> DailyOption | None:
    """The option in the window nearest the target, preferring what is simplest and least changed.

    In order: within the rounding tolerance of the target; the same form as now (tablets until the
    liquid is needed, then the liquid, so the patient does not switch back and forth); the same
    number of dose times as now (never more); fewest products; nearest the target.
    """
    window = [
        o
        for o in options
        if prev * (1 - hi) - 1e-9 <= o.mg <= prev * (1 - lo) + 1e-9 and o.times <= times
    ]
    if not window:
        return None
    return min(
        window,
        key=lambda o: (
            abs(o.mg - target) > ROUNDING_TOLERANCE * target,
            o.liquid != liquid_started,
            o.times != times,
            _products(o),
            round(abs(o.mg - target), 9),
        ),
    )


def reduction_steps(
    drug: str,
    times: list[str],
    start_mg: float,
    settings: ReductionSettings,
    *,
    first_date: dt.date,
    first_index: int,
) -> tuple[list[TaperStep], bool, list[str]]:
    """Reduction steps from ``start_mg``/day of ``drug``: (steps, reached the end, warnings).

    Examples
    --------
    >>> s = ReductionSettings("proportional", 0.1, 14, 0.1, 14, final_dose_mg=1.0)
    >>> steps, done, _ = reduction_steps("diazepam", ["08:00", "21:00"], 10.0, s,
    ...                                  first_date=dt.date(2027, 1, 4), first_index=1)
    >>> done, len(steps), steps[0].daily_mg, steps[-1].phase
    (True, 22, {'diazepam': 9.0}, 'stop')
    """
    fewest = 1 if longest_half_life_h(drug) >= CONSOLIDATION_HALF_LIFE_H else len(times)
    options = [o for m in range(len(times), fewest - 1, -1) for o in daily_options(drug, m)]
    warnings: list[str] = []
    steps: list[TaperStep] = []
    prev, date, prev_interval = start_mg, first_date, float("inf")
    n_times, liquid_started = len(times), False
    linear_delta = settings.step * start_mg
    for k in range(1, MAX_STEPS + 1):
        index = first_index + k - 1
        eq = settings.diazepam_eq_per_mg
        if settings.end_dose_mg > 0 and prev <= settings.end_dose_mg * (1 + ROUNDING_TOLERANCE):
            return steps, True, warnings
        if settings.end_dose_mg == 0 and prev <= settings.final_dose_mg + 1e-9:
            steps.append(
                TaperStep(
                    index=index,
                    phase="stop",
                    start=date,
                    doses=[],
                    daily_mg={drug: 0.0},
                    diazepam_equivalent_mg=0.0,
                    target_mg=0.0,
                    reduction=1.0,
                    rounding_error=0.0,
                    note=f"stop from {prev:g} mg/day (final dose <= {settings.final_dose_mg:g} mg/day)",
                )
            )
            return steps, True, warnings
        initial = k <= INITIAL_STEPS
        interval = settings.initial_interval_days if initial else settings.interval_days
        # a step shares a 14-day window with the steps before and after it
        ceiling = largest_step(min(interval, prev_interval))
        note = ""
        if settings.kind == "proportional":
            p = settings.initial_step if initial else settings.step
            target = prev * (1 - p)
        else:
            target = prev - linear_delta
            p = 1 - target / prev
            if initial and not settings.override:
                p = min(max(p, INITIAL_STEP_RANGE[0]), INITIAL_STEP_RANGE[1])
                target = prev * (1 - p)
            if p > ceiling and not settings.override:
                p, target = ceiling, prev * (1 - ceiling)
                note = f"linear step cut to the ceiling ({ceiling:.0%} per step at this interval)"
        target = max(target, settings.end_dose_mg, 0.0)
        if settings.override:
            lo, hi = 0.25 * p, min(1.0, 1.5 * p)
        elif initial:
            lo, hi = INITIAL_STEP_RANGE[0], min(INITIAL_STEP_RANGE[1], ceiling)
        else:
            lo, hi = min(0.25 * p, ceiling), min(ceiling, 1.5 * p)
        kw = {"times": n_times, "liquid_started": liquid_started}
        choice = _choose(options, target, prev, lo, hi, **kw)  # type: ignore[arg-type]
        if choice is None and not initial:
            widest = 1.0 if settings.override else ceiling
            choice = _choose(options, target, prev, 0.005, widest, **kw)  # type: ignore[arg-type]
        if choice is None:
            warnings.append(
                f"plan stops at {prev:g} mg/day {drug}: no dispensable dose lies "
                f"{lo:.0%}-{hi:.0%} below it (the guideline's limits for this step); options: a "
                "liquid or smaller-strength formulation, a switch to diazepam (1 mg/mL solution), "
                f"final_dose={prev:g} mg to stop from this dose, or an explicit override"
            )
            return steps, False, warnings
        r = 1 - choice.mg / prev
        err = (choice.mg - target) / target if target > 0 else 0.0
        steps.append(
            TaperStep(
                index=index,
                phase="reduction",
                start=date,
                doses=_doses(drug, times, choice),
                daily_mg={drug: round(choice.mg, 9)},
                diazepam_equivalent_mg=choice.mg * eq,
                target_mg=round(target, 9),
                reduction=r,
                rounding_error=err,
                note=note,
            )
        )
        prev, prev_interval = choice.mg, interval
        n_times, liquid_started = choice.times, liquid_started or choice.liquid
        date = date + dt.timedelta(days=interval)
    warnings.append(f"plan stops after {MAX_STEPS} steps at {prev:g} mg/day; choose larger steps")
    return steps, False, warnings
