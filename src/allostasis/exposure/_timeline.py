"""One shared sequence of steps for a cohort on a common regimen and output grid.

Actions (from :func:`~allostasis.exposure._kernel.build_actions`) and grid times are merged into a
single timeline, actions first at equal times (an output at a dose time sees the dose), and each
step is labelled with the index of its step length in a small table of distinct lengths, so the
batched kernel computes one propagator per subject per distinct length.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from allostasis.exposure._batched_kernel import OUTPUT
from allostasis.exposure._kernel import _A_RATE_OFF, _A_RESET, _A_SS, build_actions

__all__ = ["MAX_DISTINCT_STEPS", "SharedTimeline", "shared_timeline"]

#: Above this many distinct step lengths the per-subject kernel (with its propagator cache) is used.
MAX_DISTINCT_STEPS = 64


@dataclass(frozen=True)
class SharedTimeline:
    dts: np.ndarray
    step_dt: np.ndarray
    step_action: np.ndarray
    step_output: np.ndarray
    a_kind: np.ndarray
    a_cmt: np.ndarray
    a_val: np.ndarray
    a_ii: np.ndarray
    a_amt: np.ndarray


def shared_timeline(
    f: np.ndarray,
    tlag: np.ndarray,
    events: dict[str, np.ndarray],
    grid: np.ndarray,
) -> SharedTimeline | None:
    """The shared timeline, or None where subjects' timelines could differ or it would not pay.

    ``f`` and ``tlag`` are ``(n_subjects, n_states)``. Timelines coincide when lag times are equal
    across subjects and, if any zero-order input exists (its duration depends on F), so is F.
    """
    if not np.all(tlag == tlag[0]):
        return None
    has_rate = bool(np.any(events["RATE"] > 0))
    if has_rate and not np.all(f == f[0]):
        return None
    a_time, a_kind, a_cmt, a_val, a_ii, a_amt, order = build_actions(
        np.ascontiguousarray(f[0]),
        np.ascontiguousarray(tlag[0]),
        events["TIME"],
        events["EVID"],
        events["CMT"],
        events["AMT"],
        events["RATE"],
        events["II"],
        events["SS"],
        False,
    )
    a_ii = a_ii.copy()
    # an infusion stopped after a reset (EVID 3/4 or SS=1) was already ended by the reset
    last_reset = -np.inf
    for a in order:
        if a_kind[a] == _A_RESET or (a_kind[a] == _A_SS and a_amt[a] >= 0):
            last_reset = a_time[a]
        elif a_kind[a] == _A_RATE_OFF and a_ii[a] < last_reset:
            a_ii[a] = -1.0
    ordered_t = a_time[order]
    # merge: (time, 0 for actions / 1 for outputs, position)
    t_all = np.concatenate([ordered_t, grid])
    prio = np.concatenate(
        [np.zeros(len(order), dtype=np.int64), np.ones(grid.size, dtype=np.int64)]
    )
    ref = np.concatenate([order.astype(np.int64), np.arange(grid.size, dtype=np.int64)])
    seq = np.lexsort((np.arange(t_all.size), prio, t_all))
    t_all, prio, ref = t_all[seq], prio[seq], ref[seq]
    last_out = int(np.flatnonzero(prio == 1)[-1])
    t_all, prio, ref = t_all[: last_out + 1], prio[: last_out + 1], ref[: last_out + 1]
    dt = np.diff(np.concatenate([[t_all[0]], t_all]))
    dts, inv = np.unique(dt[dt > 0], return_inverse=True)
    if dts.size > MAX_DISTINCT_STEPS:
        return None
    step_dt = np.full(t_all.size, -1, dtype=np.int64)
    step_dt[dt > 0] = inv
    step_action = np.where(prio == 0, ref, OUTPUT).astype(np.int64)
    step_output = np.where(prio == 1, ref, -1).astype(np.int64)
    return SharedTimeline(
        dts=dts.astype(float),
        step_dt=step_dt,
        step_action=step_action,
        step_output=step_output,
        a_kind=a_kind,
        a_cmt=a_cmt,
        a_val=a_val,
        a_ii=a_ii,
        a_amt=a_amt,
    )
