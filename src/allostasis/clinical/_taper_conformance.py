"""Check a taper plan against the guideline, step by step, after it is built.

The planner is built to respect these rules; this independent check reads only the finished
schedule, so a bug in the planner shows up as a violation rather than as a silently unsafe plan.
Doses are compared in diazepam equivalents (the plan's table) so a switch does not count as a step.

Rules (Brunner et al. 2025, J Gen Intern Med, doi:10.1007/s11606-025-09499-2):

1. over any 14 days the daily dose falls by at most 25%: :math:`D_j \\ge 0.75\\,D_{i-1}` for every
   step :math:`j` that starts less than 14 days after step :math:`i` (the final stop excepted);
2. the first two reductions are 5-10% each;
3. the dose never rises, except where a symptom-guided "return" asked for it, and a switch keeps
   the total within 5% (rounding to dispensable doses);
4. every dose is something a pharmacy can dispense (its items add up to it);
5. the stop comes from no more than the plan's final dose.

Rules 1-2 may be broken only under a recorded override.
"""

from __future__ import annotations

import datetime as dt

from allostasis.clinical._taper_guideline import (
    CEILING_FRACTION,
    CEILING_WINDOW_DAYS,
    INITIAL_STEP_RANGE,
    INITIAL_STEPS,
)
from allostasis.clinical._taper_schedule import TaperPlan
from allostasis.units import Q_

__all__ = ["check_taper_conformance"]

_TOL = 1e-6


def _item_mg(plan: TaperPlan) -> list[str]:
    out = []
    for s in plan.steps:
        for d in s.doses:
            total = 0.0
            for i in d.items:
                if i.volume_ml is not None:
                    total += float(
                        Q_(i.strength * i.volume_ml, f"({i.unit}) * mL").to("mg").magnitude
                    )
                else:
                    total += float(Q_(i.strength * (i.count or 0.0), i.unit).to("mg").magnitude)
            if not d.items or abs(total - d.mg) > 1e-6 * max(1.0, d.mg):
                out.append(
                    f"step {s.index}: {d.time} dose {d.mg:g} mg is not what its items add up to ({total:g} mg)"
                )
    return out


def check_taper_conformance(plan: TaperPlan) -> list[str]:
    """Every way ``plan`` breaks the guideline rules above (empty when it conforms).

    Examples
    --------
    >>> from allostasis.clinical import plan_taper
    >>> check_taper_conformance(plan_taper(["diazepam 5 mg TID"], duration="1 year", start="2027-01-04"))
    []
    """
    problems: list[str] = []
    strict = plan.override is None
    steps = plan.steps
    if not steps:
        return problems
    de0 = plan.current_diazepam_equivalent_mg
    before = [de0] + [s.diazepam_equivalent_mg for s in steps[:-1]]
    window = dt.timedelta(days=CEILING_WINDOW_DAYS)
    for i, s in enumerate(steps):
        if s.phase == "stop":
            last = (
                sum(steps[i - 1].daily_mg.values()) if i else sum(u.daily_mg for u in plan.current)
            )
            if last > plan.final_dose_mg + _TOL:
                problems.append(
                    f"step {s.index}: stops from {last:g} mg/day, above the plan's final dose "
                    f"{plan.final_dose_mg:g} mg/day"
                )
            continue
        if s.phase == "switch":
            if before[i] > 0 and abs(s.diazepam_equivalent_mg / before[i] - 1) > 0.05 + _TOL:
                problems.append(f"step {s.index}: the switch changes the total by more than 5%")
            continue
        if s.phase != "return" and s.diazepam_equivalent_mg > before[i] * (1 + _TOL):
            problems.append(f"step {s.index}: the dose rises without a 'return' decision")
        if not strict:
            continue
        for j in range(i, len(steps)):
            if steps[j].start - s.start >= window or steps[j].phase == "stop":
                break
            if steps[j].diazepam_equivalent_mg < (1 - CEILING_FRACTION) * before[i] - _TOL:
                problems.append(
                    f"steps {s.index}-{steps[j].index}: the dose falls by more than 25% within "
                    f"{CEILING_WINDOW_DAYS:g} days ({before[i]:.4g} -> {steps[j].diazepam_equivalent_mg:.4g} "
                    "mg diazepam equivalent)"
                )
    if strict:
        reductions = [s for s in steps if s.phase == "reduction"][:INITIAL_STEPS]
        for s in reductions:
            lo, hi = INITIAL_STEP_RANGE
            if not lo - _TOL <= s.reduction <= hi + _TOL:
                problems.append(
                    f"step {s.index}: a first reduction of {s.reduction:.1%} (allowed {lo:.0%}-{hi:.0%})"
                )
    problems.extend(_item_mg(plan))
    return problems
