"""One chunk of an in-silico trial: subjects ``[start, stop)`` through one strategy, reduced on the
fly to per-subject outcomes (and, on request, their daily balance index).

Chunks must start on a multiple of 64 (the engine's block size): the engine advances 64 subjects
with shared steps, so a subject's result depends (within the engine's accuracy) on its block's
members; 64-aligned chunks give every chunking the same blocks, hence bit-identical results.

Per-subject outcomes (days are from the taper start):

- ``peak_index``, ``peak_day``: largest balance index after the taper start;
- ``moderate``, ``severe``: ``peak_index >= MODERATE_INDEX`` / ``SEVERE_INDEX``; ``seizure_risk``: any time above the engine's
  seizure-risk threshold (``days_above_seizure_threshold > 0``);
- ``completion_days``: end of the last dose's interval (``inf``: still dosed at the horizon);
- ``held_doses``, ``pause_days``: doses given while the rule held a due step, and their days;
- ``protracted``: index >= ``PROTRACTED_INDEX`` 182 days after the last dose (NaN: not observed
  inside the simulation).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Final

import numpy as np
import pandas as pd

from allostasis.engine import LANES_PER_BLOCK, CohortResult, PreviousDrug, simulate_cohort
from allostasis.errors import InvalidValueError
from allostasis.population._cohort_spec import CohortSpec
from allostasis.population._taper_strategies import TaperPhase, TaperStrategy, taper_strategy
from allostasis.population._use_phase import after_use_phase, simulate_use_phase
from allostasis.population._virtual_cohort import sample_cohort, subject_parameters

__all__ = [
    "MODERATE_INDEX",
    "OUTCOME_COLUMNS",
    "PROTRACTED_DAYS",
    "PROTRACTED_INDEX",
    "SEVERE_INDEX",
    "check_chunks",
    "hold_free_twin",
    "simulate_chunk",
    "simulate_chunk_strategies",
]

#: Balance index counted as severe withdrawal: the cognitive domain's half-maximal index
#: (``physiology.SYMPTOM_DOMAINS``: confusion half-maximal, anxiety 80% and autonomic signs 59% of
#: maximal there) -- a modelling assumption.
SEVERE_INDEX: Final = 0.12
#: Balance index counted as moderate withdrawal: the anxiety domain's half-maximal index (marked
#: anxiety; the symptom-guided arm's hold threshold) -- assumption.
MODERATE_INDEX: Final = 0.06
#: Index counted as protracted symptoms 6 months after the last dose: the anxiety domain's
#: half-maximal index (marked anxiety) -- assumption.
PROTRACTED_INDEX: Final = 0.06
#: Protracted symptoms are assessed this many days after the last dose (6 months; Ashton 2002 and
#: the protracted-withdrawal literature use >= 6 months).
PROTRACTED_DAYS: Final = 182.0
OUTCOME_COLUMNS: Final = (
    "subject_id",
    "strategy",
    "peak_index",
    "peak_day",
    "moderate",
    "severe",
    "days_above_seizure_threshold",
    "seizure_risk",
    "completion_days",
    "held_doses",
    "pause_days",
    "protracted",
    "final_index",
)


def check_chunks(n: int, chunk_size: int) -> list[tuple[int, int]]:
    """``[start, stop)`` ranges of ``chunk_size`` subjects (a multiple of 64).

    >>> check_chunks(200, 128)
    [(0, 128), (128, 200)]
    >>> check_chunks(200, 100)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: chunk_size: must be a positive multiple of 64 (the engine's block size) so that every chunking gives the same blocks; got 100
    """
    if not isinstance(chunk_size, int) or chunk_size < 1 or chunk_size % LANES_PER_BLOCK:
        raise InvalidValueError(
            f"chunk_size: must be a positive multiple of {LANES_PER_BLOCK} (the engine's block "
            f"size) so that every chunking gives the same blocks; got {chunk_size!r}"
        )
    return [(s, min(s + chunk_size, n)) for s in range(0, n, chunk_size)]


def _outcomes(
    r: CohortResult, phase_start: float, strategy: TaperStrategy, interval_h: float
) -> dict[str, np.ndarray]:
    s = r.summary
    doses = r.doses_mg
    n = doses.shape[0]
    given = doses > 0.0
    last = doses.shape[1] - 1 - np.argmax(given[:, ::-1], axis=1)
    done = ~given[:, -1]
    # no dose in this phase (it continues a dosed phase up to its start): stopped at the start
    t_last = np.where(given.any(axis=1), r.dose_times_h[last] + interval_h, 0.0)
    completion = np.where(done, t_last / 24.0 + phase_start - strategy.taper_start_day, math.inf)
    protracted = np.full(n, math.nan)
    t_assess = t_last / 24.0 + PROTRACTED_DAYS  # days from the phase start
    j = np.ceil(t_assess - 1e-9).astype(np.int64)  # daily grid: grid[j] is day j
    ok = done & (j < r.grid_times_h.size)
    rows = np.nonzero(ok)[0]
    protracted[rows] = (r.index_grid[rows, j[rows]] >= PROTRACTED_INDEX).astype(float)
    return {
        "peak_index": s["peak_index"].to_numpy(),
        "peak_day": s["peak_day"].to_numpy() + phase_start - strategy.taper_start_day,
        "moderate": s["peak_index"].to_numpy() >= MODERATE_INDEX,
        "severe": s["peak_index"].to_numpy() >= SEVERE_INDEX,
        "days_above_seizure_threshold": s["days_above_seizure_threshold"].to_numpy(),
        "seizure_risk": s["days_above_seizure_threshold"].to_numpy() > 0.0,
        "completion_days": completion,
        "held_doses": s["held_doses"].to_numpy(),
        "pause_days": s["held_doses"].to_numpy() * interval_h / 24.0,
        "protracted": protracted,
        "final_index": s["final_index"].to_numpy(),
    }


def simulate_chunk(
    spec: CohortSpec,
    strategy: str,
    start: int,
    stop: int,
    *,
    threads: int | None = 1,
    trajectories: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Simulate subjects ``[start, stop)`` (``start`` a multiple of 64) through ``strategy``.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame or None)
        Outcomes (:data:`OUTCOME_COLUMNS`, one row per subject) and, if ``trajectories``, the
        daily balance index from the taper start (``subject_id``, ``strategy``, ``day``, ``index``).
    """
    return simulate_chunk_strategies(
        spec, [strategy], start, stop, threads=threads, trajectories=trajectories
    )[0]


def simulate_chunk_strategies(
    spec: CohortSpec,
    strategies: Sequence[str],
    start: int,
    stop: int,
    *,
    threads: int | None = 1,
    trajectories: bool = False,
) -> list[tuple[pd.DataFrame, pd.DataFrame | None]]:
    """Simulate subjects ``[start, stop)`` (``start`` a multiple of 64) through each of
    ``strategies``, simulating the use phase they share once (``_use_phase``).

    Returns
    -------
    list of (pandas.DataFrame, pandas.DataFrame or None)
        Per strategy, in order: as :func:`simulate_chunk`.
    """
    if start % LANES_PER_BLOCK:
        raise InvalidValueError(f"start: must be a multiple of {LANES_PER_BLOCK}; got {start}")
    strats = [taper_strategy(s, spec) for s in strategies]
    cohort = sample_cohort(spec, start, stop)
    params: dict[str, pd.DataFrame] = {}

    def subjects(drug: str) -> pd.DataFrame:
        if drug not in params:
            params[drug] = subject_parameters(spec, cohort, drug)
        return params[drug]

    use: CohortResult | None = None
    done: list[tuple[tuple[object, ...], CohortResult]] = []
    wanted = {k for k, held in map(lambda st: _strategy_key(st, spec), strats) if held}
    results = []
    for strat in strats:
        rest = after_use_phase(strat, spec)
        phases = strat.phases if rest is None else rest.phases
        state = drive = pk = steps = None
        # the drug of the run before (name, PK amounts): at a switch it stays in the body and is
        # eliminated with its own kinetics, with its cross-taper doses
        before: tuple[str, np.ndarray] | None = None
        if rest is not None:
            if use is None:
                use = simulate_use_phase(spec, subjects(spec.drug), threads=threads)
            state = use.final_state
            if rest.continues:
                pk, steps = use.final_pk, use.final_step_h
            else:
                before = (spec.drug, use.final_pk)
        key = _hold_free_key(phases, rest is not None and rest.continues)
        twin = next((r for k, r in done if k == key), None) if key is not None else None
        r: CohortResult | None = None
        for ph in phases:
            last = ph is phases[-1]
            kw = {
                "end": f"{ph.end_day - ph.start_day} days",
                "tolerance": spec.tolerance,
                "window_start": f"{max(0.0, strat.taper_start_day - ph.start_day)} days",
                "output_every": "24 h" if last else None,
                "threads": threads,
            }
            if twin is not None:
                r = _with_holds(twin, ph, subjects(ph.drug), (state, drive, pk, steps), kw)
                break
            carry = (
                None
                if before is None
                else PreviousDrug(
                    before[0], before[1], subjects(before[0]), cross_taper=ph.cross_taper
                )
            )
            r = simulate_cohort(
                ph.drug,
                ph.rule,
                subjects=subjects(ph.drug),
                initial_state=state,
                initial_pk=pk,
                initial_step_h=steps,
                carry_over=carry,
                **kw,  # type: ignore[arg-type]
            )
            state, pk, steps = r.final_state, None, None
            before = (ph.drug, r.final_pk)
        assert r is not None
        if key is not None and key in wanted and math.isinf(phases[0].rule.hold_above):
            done.append((key, r))  # kept only for a later arm that holds
        results.append(_chunk_result(r, phases[-1], strat, cohort, trajectories))
    return results


def hold_free_twin(strat: TaperStrategy, spec: CohortSpec, strategies: Sequence[str]) -> bool:
    """Does ``strat`` hold steps and run after its hold-free twin in ``strategies`` (then a chunk
    reuses the twin's blocks that would hold nothing, and keeps the twin's results meanwhile)?

    >>> from allostasis.population import cohort_spec
    >>> spec = cohort_spec({"cohort": {"drug": "alprazolam", "dose": "1 mg", "n": 64,
    ...                                "duration_of_use": "100 days"}})
    >>> names = ["direct-proportional", "symptom-guided"]
    >>> hold_free_twin(taper_strategy("symptom-guided", spec), spec, names)
    True
    >>> hold_free_twin(taper_strategy("symptom-guided", spec), spec, names[::-1])
    False
    """
    key, held = _strategy_key(strat, spec)
    if not held:
        return False
    for name in strategies:
        if name == strat.name:
            return False
        other, other_held = _strategy_key(taper_strategy(name, spec), spec)
        if other == key and not other_held:
            return True
    return False


def _strategy_key(strat: TaperStrategy, spec: CohortSpec) -> tuple[tuple[object, ...] | None, bool]:
    """:func:`_hold_free_key` of the strategy's phases after the shared use phase, and whether its
    rule holds steps."""
    rest = after_use_phase(strat, spec)
    phases = strat.phases if rest is None else rest.phases
    key = _hold_free_key(phases, rest is not None and rest.continues)
    return key, key is not None and math.isfinite(phases[-1].rule.hold_above)


def _hold_free_key(phases: Sequence[TaperPhase], continues: bool) -> tuple[object, ...] | None:
    """What a one-phase run is without its hold rule (None for several phases): runs with the same
    key give the same doses wherever no step would have been held."""
    if len(phases) != 1:
        return None
    ph = phases[0]
    free = dataclasses.replace(ph.rule, hold_above=math.inf, slow_factor=1.0)
    return (ph.drug, free, ph.start_day, ph.end_day, continues)


def _with_holds(
    twin: CohortResult,
    ph: TaperPhase,
    params: pd.DataFrame,
    start: tuple[np.ndarray | None, ...],
    kw: dict[str, object],
) -> CohortResult:
    """The run of ``ph`` (a rule that holds steps) from the run ``twin`` of the same rule without
    holds: a block of 64 in which no subject's index exceeded the hold threshold when a step fell
    due would have held nothing, so its results are the twin's (the same engine steps and doses,
    bit for bit); only the other blocks are simulated (whole blocks, so the same block members).
    ``start``: the initial state, drive, PK amounts and step controller (or None each)."""
    n = len(params)
    held = twin.due_index_max > ph.rule.hold_above
    blocks = np.unique(np.nonzero(held)[0] // LANES_PER_BLOCK)
    if blocks.size == 0:
        return twin
    rows = np.concatenate(
        [np.arange(b * LANES_PER_BLOCK, min(n, (b + 1) * LANES_PER_BLOCK)) for b in blocks]
    )

    def pick(a: np.ndarray | None) -> np.ndarray | None:
        return None if a is None else a[rows]

    state, drive, pk, steps = start
    part = simulate_cohort(
        ph.drug,
        ph.rule,
        subjects=params.iloc[rows].reset_index(drop=True),
        initial_state=pick(state),
        initial_drive=pick(drive),
        initial_pk=pick(pk),
        initial_step_h=pick(steps),
        **kw,  # type: ignore[arg-type]
    )

    def merge(a: np.ndarray, b: np.ndarray) -> np.ndarray:
        out = a.copy()
        out[rows] = b
        return out

    summary = twin.summary.copy()
    cols = [c for c in summary.columns if c != "subject_id"]
    summary.loc[rows, cols] = part.summary[cols].to_numpy()
    return dataclasses.replace(
        twin,
        summary=summary,
        final_state=merge(twin.final_state, part.final_state),
        doses_mg=merge(twin.doses_mg, part.doses_mg),
        index_grid=merge(twin.index_grid, part.index_grid),
        basis=part.basis,
        final_drive=merge(twin.final_drive, part.final_drive),
        final_pk=merge(twin.final_pk, part.final_pk),
        final_step_h=merge(twin.final_step_h, part.final_step_h),
        due_index_max=merge(twin.due_index_max, part.due_index_max),
    )


def _chunk_result(
    r: CohortResult,
    ph: TaperPhase,
    strat: TaperStrategy,
    cohort: pd.DataFrame,
    trajectories: bool,
) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """Outcomes (and daily trajectories) of the strategy's last phase ``r``."""
    out = pd.DataFrame({"subject_id": cohort["subject_id"].to_numpy(), "strategy": strat.name})
    for k, v in _outcomes(r, ph.start_day, strat, ph.rule.interval_h).items():
        out[k] = v
    traj = None
    if trajectories:
        day0 = strat.taper_start_day - ph.start_day
        keep = r.grid_times_h / 24.0 >= day0 - 1e-9
        days = r.grid_times_h[keep] / 24.0 - day0
        traj = pd.DataFrame(
            {
                "subject_id": np.repeat(cohort["subject_id"].to_numpy(), days.size),
                "strategy": strat.name,
                "day": np.tile(days, len(cohort)),
                "index": r.index_grid[:, keep].ravel(),
            }
        )
    return out, traj
