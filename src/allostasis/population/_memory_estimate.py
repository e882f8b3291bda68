"""Memory a trial needs, estimated before it runs.

A trial holds the outcomes of every subject and strategy, and the arrays of one chunk at a time (per
worker): the doses the rule gave (one per dose slot; the use phase the strategies share, and
one strategy's phase after it), the daily balance index and the reductions of
both to outcomes; trajectories, when requested, add their tidy chunk before it is written.

.. math::

    M \\approx 2 N_{s} N \\cdot b_{out} + c\\,(8 S + 8 G) \\cdot k_{chunk} + M_0

with :math:`N` subjects, :math:`N_s` strategies, :math:`c` subjects per chunk, :math:`S` dose slots
and :math:`G` days; :math:`b_{out}` (bytes per outcome row), :math:`k_{chunk}` (copies of the chunk
arrays alive at the peak) and :math:`M_0` were measured with ``tracemalloc`` (tests check the
estimate against a measurement within 25%). It counts Python and NumPy allocations; the compiled
kernel's own workspace (propagator tables, about 0.1-1 MB per thread) comes on top.

>>> from allostasis.population import cohort_spec
>>> spec = cohort_spec({"cohort": {"drug": "alprazolam", "dose": "1 mg", "n": 1_000_000,
...                                "duration_of_use": "365 days"},
...                     "trial": {"taper_horizon": "1 day", "follow_up": "0 days"}})
>>> m = estimate_memory(spec, ["direct-proportional"])
>>> m.total_bytes < 4e9
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from allostasis.population._cohort_spec import CohortSpec
from allostasis.population._taper_strategies import taper_strategy
from allostasis.population._trial_chunks import hold_free_twin
from allostasis.population._use_phase import after_use_phase

__all__ = ["MemoryEstimate", "estimate_memory"]

#: Bytes per outcome row (12 columns, pandas) and copies alive at the end (parts + concatenation).
_OUTCOME_ROW_BYTES: Final = 145.0
_OUTCOME_COPIES: Final = 2.0
#: Copies of the chunk's per-slot and per-day arrays alive at the chunk's peak.
_CHUNK_COPIES: Final = 1.0
#: Per-subject overhead inside a chunk (parameter tables, PK matrices, summaries), bytes.
_CHUNK_SUBJECT_BYTES: Final = 800.0
#: Extra bytes per subject for each phase before the last (the diazepam switch).
_PHASE_SUBJECT_BYTES: Final = 3000.0
#: Tidy trajectory bytes per subject-day (subject_id, strategy, day, index + copies).
_TRAJECTORY_BYTES: Final = 60.0
#: Fixed overhead (bytes).
_BASE_BYTES: Final = 1.0e6


@dataclass(frozen=True)
class MemoryEstimate:
    """Estimated peak memory of a trial (bytes): outcomes of all subjects + one chunk per worker."""

    outcomes_bytes: float
    chunk_bytes: float
    workers: int
    total_bytes: float

    def describe(self) -> str:
        """One line for the CLI."""
        return (
            f"memory estimate: {self.total_bytes / 2**20:,.0f} MiB (outcomes "
            f"{self.outcomes_bytes / 2**20:,.0f} MiB + {self.workers} x chunk "
            f"{self.chunk_bytes / 2**20:,.0f} MiB)"
        )


def estimate_memory(
    spec: CohortSpec,
    strategies: Sequence[str],
    *,
    n: int | None = None,
    chunk_size: int = 4096,
    trajectories: bool = False,
    workers: int = 1,
) -> MemoryEstimate:
    """Estimate the peak memory of :func:`~allostasis.population.run_trial` before running it."""
    n = spec.n if n is None else n
    c = min(chunk_size, n)
    chunk = 0.0
    shared = 0.0
    twin_bytes = 0.0
    for name in strategies:
        strat = taper_strategy(name, spec)
        rest = after_use_phase(strat, spec)
        if rest is not None:  # the shared use phase's doses stay alive while strategies run
            shared = c * 8.0 * math.ceil(spec.use_days * 24.0 / spec.interval_h) * _CHUNK_COPIES
        ph = (strat.phases if rest is None else rest.phases)[-1]
        days = ph.end_day - ph.start_day
        slots = math.ceil(days * 24.0 / ph.rule.interval_h)
        grid = math.floor(days) + 1
        phases = len(taper_strategy(name, spec).phases)
        b = c * (
            8.0 * (slots + grid) * _CHUNK_COPIES
            + _CHUNK_SUBJECT_BYTES
            + _PHASE_SUBJECT_BYTES * (phases - 1)
        )
        if trajectories:
            b += c * (spec.end_days - spec.use_days + 1) * _TRAJECTORY_BYTES
        chunk = max(chunk, b)
        if hold_free_twin(strat, spec, strategies):  # its twin's arrays stay alive meanwhile
            twin_bytes = c * 8.0 * (slots + grid) * _CHUNK_COPIES
    chunk += shared + twin_bytes
    outcomes = _OUTCOME_COPIES * _OUTCOME_ROW_BYTES * n * len(strategies)
    return MemoryEstimate(outcomes, chunk, workers, outcomes + workers * chunk + _BASE_BYTES)
