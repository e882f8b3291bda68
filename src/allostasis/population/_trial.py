"""In-silico taper trial: several strategies on the same virtual cohort, in 64-aligned chunks,
locally or on a Dask cluster; per-strategy outcomes with confidence intervals.

Every subject is the same person in every arm (same covariates and parameters, from its own random
stream), so arms differ only by strategy. Per strategy the summary gives the share of subjects whose
balance index crosses :data:`SEVERE_INDEX`, the share with seizure-risk time, the median and IQR of
time to completion (with an order-statistic CI; subjects still dosed at the horizon count as
above every completion time), the share with pauses and the median paused days, and the share
with protracted symptoms 6 months after the last dose (among subjects observed then); proportions
have Wilson 95% intervals.

A chunk runs every strategy: the use phase they share is simulated once and each strategy starts
from its end (``_use_phase``; outcomes equal separate runs to rounding), and an arm that holds steps
(symptom-guided) takes the blocks of 64 that would hold nothing from its hold-free twin
(direct-proportional) run earlier in the list, bit for bit.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from allostasis.engine import default_cohort_threads
from allostasis.errors import InvalidValueError
from allostasis.population._cohort_spec import CohortSpec
from allostasis.population._confidence_intervals import quantile_interval, wilson_interval
from allostasis.population._covariate_effects import covariate_basis
from allostasis.population._subgroup_outcomes import subgroup_outcomes, subject_covariates
from allostasis.population._taper_pace import parse_strategy_spec
from allostasis.population._taper_strategies import STRATEGIES, taper_strategy
from allostasis.population._trial_chunks import (
    MODERATE_INDEX,
    PROTRACTED_DAYS,
    PROTRACTED_INDEX,
    SEVERE_INDEX,
    check_chunks,
    simulate_chunk_strategies,
)

__all__ = ["TrialResult", "run_trial", "summarise_trial"]

#: Progress callback: (strategy, subjects done in it, cohort size, outcomes of the chunk just done).
Progress = Callable[[str, int, int, pd.DataFrame], None]


@dataclass(frozen=True)
class TrialResult:
    """Outcomes of an in-silico taper trial.

    Attributes
    ----------
    outcomes : pandas.DataFrame
        One row per subject and strategy (``_trial_chunks.OUTCOME_COLUMNS``).
    summary : pandas.DataFrame
        One row per strategy (:func:`summarise_trial`).
    cohort : CohortSpec
    strategies : list of str
        Canonical strategy specs (``NAME`` or ``NAME:STEP%/DAYSd``), which label the tables.
    basis : list of str
    subgroups : pandas.DataFrame
        Outcomes per strategy by subgroup with Wilson CIs (``_subgroup_outcomes``), computed on
        first use (it re-samples the cohort's covariates: about 2 s per 100,000 subjects).
    warnings : list of str
        Flags such as a pace outside the guideline.
    """

    outcomes: pd.DataFrame
    summary: pd.DataFrame
    cohort: CohortSpec
    strategies: list[str]
    basis: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @cached_property
    def subgroups(self) -> pd.DataFrame:
        """Outcomes per strategy, covariate and subgroup with Wilson 95% intervals."""
        return subgroup_outcomes(self.outcomes, subject_covariates(self.cohort))

    def __repr__(self) -> str:
        return (
            f"<TrialResult: {self.cohort.drug}, {self.cohort.n} subject(s) x "
            f"{len(self.strategies)} strateg(ies) {self.strategies}>"
        )

    def to_json(self) -> dict[str, Any]:
        """Summary, cohort and basis as JSON-ready data (infinite values as null)."""
        rows = json.loads(self.summary.to_json(orient="records"))
        return {
            "cohort": self.cohort.model_dump(),
            "strategies": self.strategies,
            "summary": rows,
            "subgroups": json.loads(self.subgroups.to_json(orient="records")),
            "warnings": self.warnings,
            "basis": self.basis,
        }


def summarise_trial(outcomes: pd.DataFrame) -> pd.DataFrame:
    """One row per strategy: shares with Wilson 95% CIs, median (order-statistic CI) and IQR of the
    time to completion, pauses and protracted symptoms.

    >>> o = pd.DataFrame({"strategy": ["a"] * 4, "severe": [True, False, False, False],
    ...     "moderate": [True, True, False, False],
    ...     "seizure_risk": [False] * 4, "completion_days": [100.0, 110.0, 120.0, np.inf],
    ...     "held_doses": [0, 2, 0, 0], "pause_days": [0.0, 1.0, 0.0, 0.0],
    ...     "protracted": [0.0, 1.0, np.nan, np.nan]})
    >>> s = summarise_trial(o).iloc[0]
    >>> float(s["severe_share"]), float(s["completed_share"]), float(s["completion_median_days"])
    (0.25, 0.75, 115.0)
    """
    rows = []
    for name, g in outcomes.groupby("strategy", sort=False):
        n = len(g)
        row: dict[str, Any] = {"strategy": name, "n": n}
        for col in ("moderate", "severe", "seizure_risk"):
            k = int(g[col].sum())
            lo, hi = wilson_interval(k, n)
            row |= {f"{col}_share": k / n, f"{col}_lo": lo, f"{col}_hi": hi}
        comp = g["completion_days"].to_numpy(dtype=float)
        done = np.isfinite(comp)
        row["completed_share"] = float(done.mean())
        med, lo, hi = quantile_interval(comp, 0.5)
        row |= {
            "completion_median_days": med,
            "completion_median_lo": lo,
            "completion_median_hi": hi,
        }
        for q in (25, 75):
            est, lo, hi = quantile_interval(comp, q / 100)
            row |= {
                f"completion_q{q}_days": est,
                f"completion_q{q}_lo": lo,
                f"completion_q{q}_hi": hi,
            }
        row["completion_iqr_days"] = row["completion_q75_days"] - row["completion_q25_days"]
        paused = g["held_doses"].to_numpy() > 0
        lo, hi = wilson_interval(int(paused.sum()), n)
        row |= {
            "paused_share": float(paused.mean()),
            "paused_lo": lo,
            "paused_hi": hi,
            "pause_median_days": float(np.median(g["pause_days"][paused])) if paused.any() else 0.0,
        }
        pr = g["protracted"].to_numpy(dtype=float)
        seen = pr[~np.isnan(pr)]
        k = int(seen.sum())
        lo, hi = wilson_interval(k, seen.size)
        row |= {
            "protracted_share": k / seen.size if seen.size else math.nan,
            "protracted_lo": lo,
            "protracted_hi": hi,
            "protracted_observed": int(seen.size),
        }
        rows.append(row)
    return pd.DataFrame(rows)


def run_trial(
    spec: CohortSpec,
    strategies: Sequence[str] = STRATEGIES,
    *,
    n: int | None = None,
    chunk_size: int = 4096,
    threads: int | None = None,
    scheduler: str | None = None,
    trajectories: str | Path | None = None,
    progress: Progress | None = None,
) -> TrialResult:
    """Run taper ``strategies`` on the cohort ``spec`` (``n`` subjects, default ``spec.n``).

    Parameters
    ----------
    spec : CohortSpec
    strategies : sequence of str
        Strategy specs ``NAME[:STEP%/DAYSd]``, names from
        :data:`~allostasis.population.STRATEGIES` (at least one; the same strategy may come twice
        with different paces, but no arm twice).
    n : int, optional
        Cohort size (overrides the file's).
    chunk_size : int
        Subjects per chunk, a multiple of 64 (default 4096); results do not depend on it.
    threads : int, optional
        Engine threads in a local run (default: all cores).
    scheduler : str, optional
        ``None``: in this process; ``"local"``: a Dask LocalCluster (2 worker processes, 1 thread
        each); otherwise the address of a running Dask scheduler (``"tcp://host:8786"``).
        Results are bit-identical in all cases.
    trajectories : path, optional
        Write every subject's daily balance index (from the taper start) to this Parquet file,
        chunk by chunk.
    progress : callable, optional
        Called after each chunk (see ``Progress``).

    Returns
    -------
    TrialResult

    Raises
    ------
    InvalidValueError
        On an unknown or repeated strategy, a bad chunk size or cohort size.
    """
    spec = spec.with_n(n) if n is not None else spec
    paces = [parse_strategy_spec(s) for s in strategies]  # validates names and paces
    names = [p.label for p in paces]
    if not names or len({p.key for p in paces}) != len(paces):
        raise InvalidValueError(
            f"strategies: need one or more distinct arms (strategy and pace); got {list(strategies)}"
        )
    strats = [taper_strategy(s, spec) for s in names]  # validates doses
    chunks = check_chunks(spec.n, chunk_size)
    want_traj = trajectories is not None
    writer = None
    if want_traj:
        from allostasis.population._trajectory_store import TrajectoryWriter

        writer = TrajectoryWriter(Path(str(trajectories)))
    done: dict[str, int] = dict.fromkeys(names, 0)
    parts: dict[tuple[str, int], pd.DataFrame] = {}

    def collect(
        chunk: tuple[int, int], res: list[tuple[pd.DataFrame, pd.DataFrame | None]]
    ) -> None:
        a, b = chunk
        for s, (out, traj) in zip(names, res, strict=True):
            parts[(s, a)] = out
            if writer is not None and traj is not None:
                writer.write(traj)
            done[s] += b - a
            if progress is not None:
                progress(s, done[s], spec.n, out)

    try:
        if scheduler is None:
            th = default_cohort_threads() if threads is None else threads
            for a, b in chunks:
                collect(
                    (a, b),
                    simulate_chunk_strategies(
                        spec, names, a, b, threads=th, trajectories=want_traj
                    ),
                )
        else:
            from allostasis.population._dask_backend import run_on_dask

            run_on_dask(spec, names, chunks, scheduler, want_traj, collect)
    finally:
        if writer is not None:
            writer.close()
    outcomes = pd.concat([parts[(s, a)] for s in names for (a, _) in chunks], ignore_index=True)
    outcomes["strategy"] = pd.Categorical(outcomes["strategy"], categories=names)
    basis = [
        f"cohort {spec.name!r}: {spec.drug} {spec.dose_mg:g} mg every {spec.interval_h:g} h for "
        f"{spec.use_days:g} days, n={spec.n}, seed {spec.seed} (one Philox stream per subject)",
        f"variability (log-normal CV): {spec.variability}; correlation of "
        f"{spec.correlation_parameters}: {spec.correlation}",
        *covariate_basis(spec.drug),
        *[f"{s.name}: {s.description}" for s in strats],
        f"moderate / severe: peak balance index >= {MODERATE_INDEX:g} / {SEVERE_INDEX:g}; protracted: index >= "
        f"{PROTRACTED_INDEX:g} {PROTRACTED_DAYS:g} days after the last dose (modelling assumptions)",
        f"simulation: {spec.end_days:g} days (use, {spec.taper_horizon_days:g}-day taper horizon, "
        f"{spec.follow_up_days:g}-day follow-up); compiled engine, tolerance {spec.tolerance:g}; "
        f"chunks of {chunk_size} subjects; scheduler {scheduler or 'in-process'}",
        "95% CIs: Wilson (proportions, also by subgroup), order statistics (median and quartiles "
        "of time to completion)",
    ]
    warnings = [s.warning for s in strats if s.warning is not None]
    basis += warnings
    return TrialResult(outcomes, summarise_trial(outcomes), spec, names, basis, warnings)
