"""Per-subject summaries accumulated at every accepted step of the engine.

At each step end, per lane: the peak balance index (refined by the parabola through the largest
value and its two neighbours where the index is smooth, i.e. not at a dose entry), the time above
the seizure-risk threshold and the recovery time (both with linear interpolation of the crossing
inside the step), and the last value.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from allostasis.engine._block_model import LANES

__all__ = ["observe", "refined_peak"]


@njit(nogil=True)
def observe(
    ta: float,
    tb: float,
    xa: np.ndarray,
    xb: np.ndarray,
    kink: bool,
    window_start: float,
    thr: float,
    rec: float,
    acc: np.ndarray,
) -> None:  # pragma: no cover - compiled
    """Update the summaries with the step from ``(ta, xa)`` to ``(tb, xb)`` (per lane).

    ``acc`` rows: 0 peak, 1 peak t, 2 prev t, 3 prev x, 4 next t, 5 next x, 6 flags (1 has prev,
    2 wants next, 4 has next, 8 kink), 7 hours above threshold, 8 ever above recovery index,
    9 recovery crossing time (-1 while above), 10 held doses, 11 last x.
    """
    for s in range(LANES):
        x1 = xb[s]
        acc[11, s] = x1
        if tb < window_start:
            continue
        inside = ta >= window_start
        if inside:
            x0 = xa[s]
            if x0 >= thr and x1 >= thr:
                acc[7, s] += tb - ta
            elif x0 >= thr or x1 >= thr:
                acc[7, s] += (tb - ta) * (max(x0, x1) - thr) / abs(x1 - x0)
        flags = int(acc[6, s])
        if x1 > acc[0, s]:
            acc[0, s] = x1
            acc[1, s] = tb
            flags = 2
            if inside:
                acc[2, s] = ta
                acc[3, s] = xa[s]
                flags |= 1
            if kink:
                flags |= 8
        elif flags & 2:
            acc[4, s] = tb
            acc[5, s] = x1
            flags = (flags & ~2) | 4
        acc[6, s] = flags
        if x1 >= rec:
            acc[8, s] = 1.0
            acc[9, s] = -1.0
        elif acc[9, s] < 0.0 and inside:
            x0 = xa[s]
            acc[9, s] = ta + (tb - ta) * (x0 - rec) / (x0 - x1)


@njit(nogil=True)
def refined_peak(acc: np.ndarray, s: int) -> tuple[float, float]:  # pragma: no cover - compiled
    """Peak (t, X) refined by the parabola through the peak and its neighbours, where smooth."""
    t1, x1 = acc[1, s], acc[0, s]
    flags = int(acc[6, s])
    if (flags & 1) and (flags & 4) and not (flags & 8):
        t0, x0, t2, x2 = acc[2, s], acc[3, s], acc[4, s], acc[5, s]
        d1 = (x1 - x0) / (t1 - t0)
        d2 = (x2 - x1) / (t2 - t1)
        a = (d2 - d1) / (t2 - t0)
        if a < 0.0:
            tp = 0.5 * (t0 + t1) - d1 / (2.0 * a)
            if t0 <= tp <= t2:
                return tp, x0 + d1 * (tp - t0) + a * (tp - t0) * (tp - t1)
    return t1, x1
