"""The taper strategies of an in-silico trial, as compiled-engine dosing rules.

All strategies start at the end of the cohort's use (``use_days``) and step, by default, every 14
days by 10% (of the starting dose, or of the current dose), the pace allostasis proposes by default
inside the Brunner 2025 guideline (first reductions 5-10% every 2-4 weeks, at most 25% per 2 weeks;
the clinical layer's ``default_pace``), and stop from 1 mg diazepam equivalent a day (Ashton 2002).
Another pace is part of the strategy spec, ``NAME:STEP%/DAYSd`` (``_taper_pace``; e.g.
``symptom-guided:25%/7d``); below, "10%" and "14 days" stand for the spec's pace:

- ``direct-linear``: the same drug, linear steps of 10% of the starting dose (zero after 10 steps);
- ``direct-proportional``: the same drug, 10% of the current dose per step (hyperbolic);
- ``diazepam-switch``: a gradual switch to the Ashton-equivalent dose of diazepam from the taper
  start (:func:`switch_schedule`: one dose time every 4 days, the day's last first, replaced by
  its diazepam equivalent; then diazepam once daily), 14 days from the start to the first step
  (Brunner 2025: switch over 1-2 weeks), then 10% of the current dose every 14 days. Both drugs
  are in the body together: the old one is carried over with its own kinetics and its remaining
  doses (``engine.PreviousDrug``, ``engine.CrossTaper``);
- ``symptom-guided``: as ``direct-proportional``, but a step that falls due while the balance index
  is above :data:`HOLD_INDEX` is held until it falls, and each hold stretches the step interval
  1.5-fold (the engine's state-dependent rule; Ashton 2002, Horowitz & Taylor 2024).

>>> from allostasis.population import cohort_spec
>>> spec = cohort_spec({"cohort": {"drug": "alprazolam", "dose": "0.5 mg", "interval": "12 h",
...                                "duration_of_use": "180 days", "n": 64}})
>>> s = taper_strategy("diazepam-switch", spec)
>>> [p.drug for p in s.phases], s.phases[1].rule.dose_mg, round(s.phases[1].rule.min_dose_mg, 3)
(['alprazolam', 'diazepam'], 20.0, 1.0)
>>> fast = taper_strategy("symptom-guided:25%/7d", spec)
>>> fast.name, fast.phases[0].rule.step_fraction, fast.phases[0].rule.step_every_h, fast.warning is None
('symptom-guided:25%/7d', 0.25, 168.0, False)
>>> taper_strategy("cold-turkey", spec)
Traceback (most recent call last):
...
allostasis.errors.InvalidValueError: strategy: unknown 'cold-turkey'; allowed ['direct-linear', 'direct-proportional', 'diazepam-switch', 'symptom-guided']
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Final

import numpy as np

from allostasis.engine import CrossTaper, DosingRule, dosing_rule
from allostasis.errors import InvalidValueError
from allostasis.knowledge import load_knowledge_base
from allostasis.population._cohort_spec import CohortSpec
from allostasis.population._taper_pace import (
    DEFAULT_STEP_DAYS,
    DEFAULT_STEP_FRACTION,
    STRATEGIES,
    StrategySpec,
    parse_strategy_spec,
)

__all__ = [
    "EQUIVALENCE_SOURCE",
    "FINAL_DOSE_DIAZEPAM_EQ_MG",
    "HOLD_INDEX",
    "STEP_EVERY_DAYS",
    "STEP_FRACTION",
    "STRATEGIES",
    "SWITCH_SETTLE_DAYS",
    "SWITCH_STEP_DAYS",
    "TaperPhase",
    "TaperStrategy",
    "switch_schedule",
    "taper_strategy",
]

#: Default step size (fraction) and interval (days): see ``_taper_pace``.
STEP_FRACTION: Final = DEFAULT_STEP_FRACTION
STEP_EVERY_DAYS: Final = DEFAULT_STEP_DAYS
#: Stop from this daily dose (mg diazepam equivalent; the Ashton Manual's schedules end at 1 mg).
FINAL_DOSE_DIAZEPAM_EQ_MG: Final = 1.0
#: Days between the switch to diazepam and its first step (Brunner 2025: switch over 1-2 weeks).
SWITCH_SETTLE_DAYS: Final = 14.0
#: Days between replacing one dose time and the next in the gradual switch (three dose times: 8
#: days in all, inside Brunner 2025's 1-2 weeks) -- a prescribing assumption, as in the clinical
#: planner's switch (``clinical._taper_switch``).
SWITCH_STEP_DAYS: Final = 4.0
#: Balance index above which the symptom-guided arm holds a due step: the anxiety domain's
#: half-maximal index (``physiology.SYMPTOM_DOMAINS``), i.e. marked anxiety -- assumption.
HOLD_INDEX: Final = 0.06
#: Step-interval multiplier after each hold (the engine rule's default) -- assumption.
SLOW_FACTOR: Final = 1.5
#: Equivalence table used for the switch and the final dose.
EQUIVALENCE_SOURCE: Final = "ashton-2002"


@dataclass(frozen=True)
class TaperPhase:
    """One engine run: ``drug`` under ``rule`` from ``start_day`` to ``end_day`` (absolute)."""

    drug: str
    rule: DosingRule
    start_day: float
    end_day: float
    cross_taper: CrossTaper | None = None


@dataclass(frozen=True)
class TaperStrategy:
    """A strategy: its phases (the last carries the taper) and the absolute taper start (days).

    ``name`` is the spec's canonical label (``"symptom-guided:25%/7d"``; the bare name for the
    default pace), ``pace`` the parsed spec, ``warning`` the "outside guideline" flag or None.
    """

    name: str
    phases: tuple[TaperPhase, ...]
    taper_start_day: float
    description: str
    pace: StrategySpec | None = None
    warning: str | None = None


def _per_diazepam_mg(drug: str) -> float:
    """mg of ``drug`` equivalent to 1 mg diazepam (Ashton 2002 table of the knowledge base)."""
    eq = load_knowledge_base().equivalence[EQUIVALENCE_SOURCE]
    if drug not in eq.doses:
        raise InvalidValueError(
            f"drug: {drug} has no {EQUIVALENCE_SOURCE} equivalent dose; allowed {sorted(eq.doses)}"
        )
    return float(eq.doses[drug].value or math.nan) / float(eq.reference_dose.value or math.nan)


def switch_schedule(
    dose_mg: float, interval_h: float, diazepam_per_dose_mg: float
) -> tuple[CrossTaper | None, float]:
    """The gradual switch: one dose time every :data:`SWITCH_STEP_DAYS` (shorter with more than 3
    dose times a day, so that it ends before the first taper step), the day's last first,
    replaced by its diazepam equivalent (Ashton 2002; Brunner 2025: over 1-2 weeks), and the day
    (from the switch) from which diazepam is given once daily at the full equivalent.

    With ``n`` doses a day the first ``n - 1`` dose times are replaced one by one on a fixed
    schedule (:class:`~allostasis.engine.CrossTaper`) and the last with the move to once-daily
    diazepam, after ``(n - 1)`` steps; once-daily use switches overnight (None, 0).

    >>> c, day = switch_schedule(1.0, 8.0, 20.0)
    >>> day, c.times_h[:4].tolist(), c.previous_mg[:3].tolist(), c.new_mg[:3].tolist()
    (8.0, [0.0, 8.0, 16.0, 24.0], [1.0, 1.0, 0.0], [0.0, 0.0, 20.0])
    >>> c.previous_mg[12:15].tolist(), c.new_mg[12:15].tolist()  # day 4: two of three replaced
    ([1.0, 0.0, 0.0], [0.0, 20.0, 20.0])
    >>> round(switch_schedule(0.5, 4.0, 10.0)[1], 2)  # six dose times: 2.33-day steps
    11.67
    """
    per_day = round(24.0 / interval_h)
    if per_day < 2 or abs(per_day * interval_h - 24.0) > 1e-9:
        return None, 0.0
    # with many dose times a day the steps shorten, so the switch ends before the first taper step
    step = min(SWITCH_STEP_DAYS, SWITCH_SETTLE_DAYS / per_day)
    full_day = (per_day - 1) * step
    times = np.arange(0.0, full_day * 24.0 - 1e-9, interval_h)
    slot = np.round((times % 24.0) / interval_h)
    replaced = 1 + np.floor(times / (step * 24.0) + 1e-9)
    swapped = slot >= per_day - replaced
    return (
        CrossTaper(
            times,
            np.where(swapped, diazepam_per_dose_mg, 0.0),
            np.where(swapped, 0.0, dose_mg),
        ),
        full_day,
    )


def taper_strategy(name: str, spec: CohortSpec) -> TaperStrategy:
    """The phases and dosing rules of strategy ``name`` (``NAME[:STEP%/DAYSd]``) for ``spec``.

    Raises
    ------
    InvalidValueError
        For an unknown strategy or a bad pace (naming the spec), or a drug without an equivalent
        dose.
    """
    pace = parse_strategy_spec(name)
    label, kind = pace.label, pace.strategy
    frac, every = pace.step_fraction, pace.step_days
    flag = pace.guideline_warning()
    d, ii = spec.dose_mg, spec.interval_h
    t0, end = spec.use_days, spec.end_days
    final = FINAL_DOSE_DIAZEPAM_EQ_MG * _per_diazepam_mg(spec.drug) * ii / 24.0
    step = f"{every:g} days"
    if kind == "diazepam-switch":
        daily_dz = d * 24.0 / ii / _per_diazepam_mg(spec.drug)
        hold = dosing_rule(f"{d} mg", f"{ii} h")
        cross, full_day = switch_schedule(d, ii, d / _per_diazepam_mg(spec.drug))
        taper = dosing_rule(
            f"{daily_dz} mg",
            "24 h",
            taper_start=f"{SWITCH_SETTLE_DAYS} days",
            step_every=step,
            step_fraction=frac,
            min_dose=f"{FINAL_DOSE_DIAZEPAM_EQ_MG} mg",
            first_dose=f"{full_day} days",
        )
        phases = (
            TaperPhase(spec.drug, hold, 0.0, t0),
            TaperPhase("diazepam", taper, t0, end, cross),
        )
        how = (
            f"one dose time every {SWITCH_STEP_DAYS:g} days, last of the day first, each "
            f"replaced by its diazepam equivalent; {spec.drug} still in the body eliminated with "
            f"its own kinetics; diazepam once daily from day {t0 + full_day:g}"
            if cross is not None
            else f"overnight: {spec.drug} still in the body eliminated with its own kinetics"
        )
        text = (
            f"switch to diazepam {daily_dz:g} mg/day ({EQUIVALENCE_SOURCE}) from day {t0:g} "
            f"({how}), then {frac:.0%} of the current dose every {step} "
            f"from day {t0 + SWITCH_SETTLE_DAYS:g}"
        )
        return TaperStrategy(label, phases, t0, _flagged(text, flag), pace, flag)
    rule = dosing_rule(
        f"{d} mg",
        f"{ii} h",
        taper_start=f"{t0} days",
        step_every=step,
        step_fraction=frac,
        linear=kind == "direct-linear",
        min_dose=f"{final} mg",
        hold_above=HOLD_INDEX if kind == "symptom-guided" else None,
        slow_factor=SLOW_FACTOR,
    )
    single = (TaperPhase(spec.drug, rule, 0.0, end),)
    return TaperStrategy(label, single, t0, _flagged(rule.describe(), flag), pace, flag)


def _flagged(text: str, flag: str | None) -> str:
    return text if flag is None else f"{text} [outside guideline: research pace]"
