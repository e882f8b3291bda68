"""The use phase that every taper strategy of a trial shares, simulated once per chunk.

Until the taper start (``use_days``) every strategy doses the cohort identically (``dose`` every
``interval`` from time 0), so a chunk simulates that phase once and starts each strategy from its
end:

- a strategy whose first phase *ends* at the taper start (the diazepam switch: the old drug until
  the switch) takes the shared run as that phase, bit-identically (it is the same engine call);
- a strategy whose first phase *goes on* past the taper start on the same drug (the direct tapers)
  continues the shared run: the engine starts from its adaptation state, PK amounts and step
  controller (``simulate_cohort(initial_state=, initial_pk=, initial_step_h=)``) with the rule's
  times shifted by the taper start :math:`T`,

  .. math:: t' = t - T, \\quad x(T^+) = x(T^-), \\quad \\text{same steps after } T

  which takes the same steps as one run from 0 when :math:`T` lies on the engine's 24-h grid and
  on a dose time (then the outcomes agree to rounding, about 1e-12; tests check 1e-9);
- any other strategy (or a taper start off the grid) runs from time 0 as before.

>>> from allostasis.population import cohort_spec, taper_strategy
>>> spec = cohort_spec({"cohort": {"drug": "alprazolam", "dose": "1 mg", "interval": "8 h",
...                                "duration_of_use": "365 days", "n": 64}})
>>> rest = after_use_phase(taper_strategy("direct-linear", spec), spec)
>>> rest.continues, rest.phases[0].start_day, rest.phases[0].rule.taper_start_h
(True, 365.0, 0.0)
>>> after_use_phase(taper_strategy("diazepam-switch", spec), spec).phases[0].drug
'diazepam'
"""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Final

import pandas as pd

from allostasis.engine import CohortResult, DosingRule, dosing_rule, simulate_cohort
from allostasis.population._cohort_spec import CohortSpec
from allostasis.population._taper_strategies import TaperPhase, TaperStrategy

__all__ = ["RemainingPhases", "after_use_phase", "simulate_use_phase", "use_rule"]

#: The engine's segment grid (``simulate_cohort``'s default ``max_segment``), h: a continued run
#: takes the same steps only if the split lies on it.
_GRID_H: Final = 24.0
_EPS: Final = 1e-9


@dataclass(frozen=True)
class RemainingPhases:
    """What a strategy runs after the shared use phase.

    Attributes
    ----------
    phases : tuple of TaperPhase
        The phases from the taper start (absolute days; the first one's rule in time from its
        ``start_day`` when ``continues``).
    continues : bool
        The first phase continues the use phase's run (PK, state and steps handed over); otherwise
        it is a new run that starts from the use phase's state and receptor drive.
    """

    phases: tuple[TaperPhase, ...]
    continues: bool


def use_rule(spec: CohortSpec) -> DosingRule:
    """The shared use-phase rule: ``dose`` every ``interval`` from time 0, no taper."""
    return dosing_rule(f"{spec.dose_mg} mg", f"{spec.interval_h} h")


def _doses_as_use(rule: DosingRule, spec: CohortSpec, t_h: float) -> bool:
    """Does ``rule`` give the use rule's doses at every slot before ``t_h``?"""
    return (
        rule.dose_mg == spec.dose_mg
        and rule.interval_h == spec.interval_h
        and rule.first_dose_h == 0.0
        and rule.taper_start_h >= t_h - _EPS
        and rule.last_dose_h >= t_h - _EPS
    )


def after_use_phase(strategy: TaperStrategy, spec: CohortSpec) -> RemainingPhases | None:
    """The phases ``strategy`` runs after the shared use phase, or None if it cannot share it."""
    t0 = spec.use_days
    t_h = t0 * 24.0
    first = strategy.phases[0]
    if (
        t0 <= 0.0
        or first.drug != spec.drug
        or first.start_day != 0.0
        or not _doses_as_use(first.rule, spec, t_h)
    ):
        return None
    if abs(first.end_day - t0) < _EPS:
        return (
            RemainingPhases(strategy.phases[1:], continues=False) if strategy.phases[1:] else None
        )
    aligned = (
        abs(t_h / _GRID_H - round(t_h / _GRID_H)) < _EPS
        and abs(t_h / spec.interval_h - round(t_h / spec.interval_h)) < _EPS
    )
    if first.end_day < t0 or not aligned:
        return None
    r = first.rule
    shifted = dataclasses.replace(
        r,
        taper_start_h=r.taper_start_h - t_h,
        last_dose_h=r.last_dose_h - t_h if math.isfinite(r.last_dose_h) else r.last_dose_h,
    )
    head = TaperPhase(first.drug, shifted, t0, first.end_day)
    return RemainingPhases((head, *strategy.phases[1:]), continues=True)


def simulate_use_phase(
    spec: CohortSpec, subjects: pd.DataFrame, *, threads: int | None = 1
) -> CohortResult:
    """The use phase of the chunk's ``subjects`` (engine parameters of the cohort's drug): the same
    engine call as a strategy's first phase that ends at the taper start."""
    return simulate_cohort(
        spec.drug,
        use_rule(spec),
        end=f"{spec.use_days} days",
        subjects=subjects,
        tolerance=spec.tolerance,
        window_start=f"{spec.use_days} days",
        threads=threads,
    )
