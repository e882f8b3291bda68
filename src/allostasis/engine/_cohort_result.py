"""What a compiled cohort run returns: per-subject summaries, states and doses, as labelled data."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["CohortResult"]


@dataclass(frozen=True)
class CohortResult:
    """Per-subject results of :func:`simulate_cohort`.

    Attributes
    ----------
    summary : pandas.DataFrame
        One row per subject: ``subject_id``, ``peak_index``, ``peak_day``,
        ``days_above_seizure_threshold``, ``days_to_recovery`` (from the peak until the index stays
        below the recovery index; NaN if it never does), ``held_doses`` (doses given while the rule
        held a due step), ``final_index``.
    final_state : numpy.ndarray
        ``(n_subjects, 9)`` adaptation state at the end (columns ``STATE_NAMES``).
    dose_times_h : numpy.ndarray
        ``(n_slots,)`` dose times (h).
    doses_mg : numpy.ndarray
        ``(n_subjects, n_slots)`` doses the rule gave (mg; 0 = none).
    grid_times_h : numpy.ndarray
        Output grid (h); empty if none was asked for.
    index_grid : numpy.ndarray
        ``(n_subjects, n_grid)`` balance index on the output grid.
    parameters : pandas.DataFrame
        Per-subject sampled values of the varied parameters.
    solver : dict of str to int
        Solver counts summed over blocks: accepted steps, rejected steps, steps forced at the
        smallest length, right-hand-side evaluations (per block of 64), propagator entries formed.
    basis : list of str
    final_drive : numpy.ndarray
        ``(n_subjects,)`` drug drive :math:`y_B` (summed receptor-weighted unbound analytes) at the
        end, e.g. to hand over to another drug's run (``initial_drive``).
    final_pk : numpy.ndarray
        ``(n_subjects, n_pk)`` PK amounts (mg, the drug model's compartments) at the end, to
        continue the same drug exactly (``initial_pk``).
    final_step_h : numpy.ndarray
        ``(n_subjects, 2)`` the step controller at the end (next step, first step after a dose; h;
        shared by each block of 64), to continue with the same steps (``initial_step_h``).
    due_index_max : numpy.ndarray
        ``(n_subjects,)`` the largest balance index at a dose time when a taper step fell due
        (``-inf``: none fell due): a rule with ``hold_above`` at or above it would have held no
        step, so it would have given this run's doses.
    """

    summary: pd.DataFrame
    final_state: np.ndarray
    dose_times_h: np.ndarray
    doses_mg: np.ndarray
    grid_times_h: np.ndarray
    index_grid: np.ndarray
    parameters: pd.DataFrame
    solver: dict[str, int] = field(default_factory=dict)
    basis: list[str] = field(default_factory=list)
    final_drive: np.ndarray = field(default_factory=lambda: np.zeros(0))
    final_pk: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    final_step_h: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))
    due_index_max: np.ndarray = field(default_factory=lambda: np.zeros(0))

    def __repr__(self) -> str:
        return (
            f"<CohortResult: {len(self.summary)} subject(s), {self.dose_times_h.size} dose time(s), "
            f"{self.grid_times_h.size} grid time(s)>"
        )
