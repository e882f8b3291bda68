"""One-sided (threshold) terms across a step: where the adaptation drive or the index crosses its threshold.

Three rates of the model switch on at a threshold (``adaptation._model``): the benzodiazepine-
sensitive fraction and KCC2 fall only under excess inhibition,
:math:`\\dot S \\ni -g_S h_+ / \\tau_S`, :math:`\\dot a \\ni -g_a h_+ / \\tau_a` with
:math:`h_+ = \\max(h, 0)`, :math:`h = \\tanh(-X/u_s)`; conditioned arousal grows only above
:math:`X_c`, :math:`\\dot C \\ni \\eta \\max(X - X_c, 0)(1 - C)`. During chronic dosing the index
crosses zero twice a day, and a Runge-Kutta step that straddles a crossing integrates the kink with
an error of order :math:`\\dot h \\Delta^2` instead of :math:`\\Delta^5`. It has the same sign every
day (the step pattern and the crossing time repeat), so it accumulates in the slow states: for
alprazolam 1 mg/day the index drifts by about 3e-5 of its range over months, whatever the
tolerance.

The kernel therefore replaces, in each step where a subject's stage values of :math:`z = h` (or
:math:`z = X - X_c`) change sign, the step's quadrature of :math:`z_+`,
:math:`\\Delta \\sum_j b_j z_{+}(t_j)`, by the exact integral of the positive part of the
polynomial :math:`p` that interpolates :math:`z` at the stage times
:math:`c = 0, 1/5, 3/10, 4/5, 8/9, 1`:

.. math::

    \\delta S = -\\frac{g_S}{\\tau_S}\\Big(\\Delta \\int_0^1 p_+(\\theta)\\, d\\theta - \\Delta
    \\sum_{j} b_j z_{j,+}\\Big)

(and likewise for :math:`a` and :math:`C`). The stage values of :math:`z` carry the stages' own
errors, which are of the order of the step's local error, so the corrected step is again accurate
to the tolerance (``tests/engine/test_kernel.py`` checks convergence against scipy).

References
----------
1. Hairer E, Norsett SP, Wanner G (1993). Solving Ordinary Differential Equations I, 2nd ed.
   Springer, section II.6 (discontinuities degrade the order of Runge-Kutta methods).
   doi:10.1007/978-3-540-78862-1
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numba import njit

from allostasis.engine._block_model import LANES, PACKED_ROWS, PARAMS
from allostasis.engine._elementary import TANH_SAFE, tanh_series

__all__ = ["STAGE_TIMES", "positive_part_integral", "threshold_corrections"]

#: Interpolation nodes (fractions of the step): stages 1-5 and the step's end.
STAGE_TIMES: Final = np.array([0.0, 1.0 / 5.0, 3.0 / 10.0, 4.0 / 5.0, 8.0 / 9.0, 1.0])
#: Dormand-Prince weights of stages 1-6 (stage 6 is at the step's end, with the stage state).
_B: Final = np.array([35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84])
_ROW = {name: PARAMS + PACKED_ROWS.index(name) * LANES for name in PACKED_ROWS}
_GS: Final = _ROW["gain_sensitive"]
_ITS: Final = _ROW["inv_tau_sensitive"]
_GA: Final = _ROW["gain_kcc2"]
_ITA: Final = _ROW["inv_tau_kcc2"]
_ETA: Final = _ROW["conditioning_rate"]
_XCT: Final = _ROW["conditioning_threshold"]
_IUS: Final = _ROW["inv_drive_saturation"]


#: Monomial coefficients of the interpolant from the values at :data:`STAGE_TIMES`: the inverse
#: Vandermonde matrix of the fixed nodes.
_TO_MONOMIAL: Final = np.ascontiguousarray(np.linalg.inv(np.vander(STAGE_TIMES, increasing=True)))
_INV_POWER: Final = 1.0 / np.arange(1.0, 7.0)


@njit(nogil=True, error_model="numpy", fastmath={"contract"})
def _monomial(z: np.ndarray, coef: np.ndarray) -> None:  # pragma: no cover - compiled
    """Ascending monomial coefficients of the polynomial through ``(STAGE_TIMES, z)``."""
    for i in range(6):
        v = 0.0
        for k in range(6):
            v += _TO_MONOMIAL[i, k] * z[k]
        coef[i] = v


@njit(nogil=True, error_model="numpy")
def _poly(coef: np.ndarray, x: float) -> float:  # pragma: no cover - compiled
    v = 0.0
    for i in range(coef.shape[0] - 1, -1, -1):
        v = v * x + coef[i]
    return v


@njit(nogil=True, error_model="numpy")
def _antiderivative(coef: np.ndarray, x: float) -> float:  # pragma: no cover - compiled
    v = 0.0
    for i in range(coef.shape[0] - 1, -1, -1):
        v = v * x + coef[i] * _INV_POWER[i]
    return v * x


@njit(nogil=True, error_model="numpy", fastmath={"contract"})
def positive_part_integral(z: np.ndarray, coef: np.ndarray) -> float:  # pragma: no cover
    """:math:`\\int_0^1 \\max(p(\\theta), 0)\\, d\\theta` for the polynomial through ``(STAGE_TIMES, z)``.

    Roots are bracketed between consecutive nodes of opposite sign (a pair of roots between two
    nodes of equal sign is not seen: the interpolant of a smooth, once-crossing function has none)
    and refined by safeguarded Newton iterations to 1e-12 (of the step); ``coef`` is scratch of length 6.
    """
    _monomial(z, coef)
    nodes = STAGE_TIMES
    n = 6
    total = 0.0
    a = 0.0
    pos = z[0] > 0.0
    for k in range(1, n):
        if (z[k] > 0.0) != pos:
            lo, hi = nodes[k - 1], nodes[k]
            r = lo + (hi - lo) * z[k - 1] / (z[k - 1] - z[k])
            for _ in range(12):
                f = _poly(coef, r)
                df = 0.0
                for i in range(n - 1, 0, -1):
                    df = df * r + i * coef[i]
                if (f > 0.0) == pos:
                    lo = r
                else:
                    hi = r
                step = f / df if df != 0.0 else 0.0
                rn = r - step
                if not lo < rn < hi:
                    rn = 0.5 * (lo + hi)
                if abs(rn - r) < 1e-12:
                    r = rn
                    break
                r = rn
            if pos:
                total += _antiderivative(coef, r) - _antiderivative(coef, a)
            a = r
            pos = not pos
    if pos:
        total += _antiderivative(coef, 1.0) - _antiderivative(coef, a)
    return total


@njit(nogil=True, error_model="numpy", fastmath={"contract"})
def threshold_corrections(
    w: np.ndarray,
    xs: np.ndarray,
    h: float,
    y_row: int,
    new_row: int,
    m: int,
    z: np.ndarray,
    zn: np.ndarray,
    coef: np.ndarray,
) -> int:  # pragma: no cover - compiled
    """Correct the new state (rows at ``new_row``) for the one-sided terms of a step of length ``h``.

    ``xs (7, LANES)``: the balance index at stages 1-7 (stage 7 at the new state); ``y_row``: the
    step's start state. Returns the number of subjects corrected.
    """
    n_corr = 0
    for s in range(m):
        lo = xs[0, s]
        hi = lo
        for j in range(1, 7):
            lo = min(lo, xs[j, s])
            hi = max(hi, xs[j, s])
        xc = w[_XCT + s]
        ius = w[_IUS + s]
        if lo < 0.0 < hi and max(-lo, hi) * ius <= TANH_SAFE:
            n_corr += 1
            rk = 0.0
            for j in range(6):
                hj = tanh_series(-xs[j, s] * ius)
                rk += _B[j] * max(hj, 0.0)
                zn[j] = hj if j < 5 else tanh_series(-xs[6, s] * ius)
            corr = h * (positive_part_integral(zn, coef) - rk)
            w[new_row + LANES + s] -= w[_GS + s] * w[_ITS + s] * corr
            w[new_row + 5 * LANES + s] -= w[_GA + s] * w[_ITA + s] * corr
        if lo < xc < hi:
            n_corr += 1
            rk = 0.0
            for j in range(6):
                rk += _B[j] * max(xs[j, s] - xc, 0.0)
                z[j] = (xs[j, s] if j < 5 else xs[6, s]) - xc
            corr = h * (positive_part_integral(z, coef) - rk)
            w[new_row + 7 * LANES + s] += w[_ETA + s] * (1.0 - w[y_row + 7 * LANES + s]) * corr
    return n_corr
