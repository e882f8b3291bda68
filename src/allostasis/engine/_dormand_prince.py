"""The Dormand-Prince 5(4) step of the engine, on the block workspace (subjects innermost).

The pair's tableau (Dormand & Prince 1980) with compile-time coefficients, so the loops over the
64 lanes vectorise: the stage states :math:`Y + h\\sum_{j<i} a_{ij} K_j`, the copies of each stage's
derivatives, the drug input row per stage, and the embedded error norm

.. math::

    \\max_{s, i} \\frac{|h \\sum_j e_j K_{j,s,i}|}{\\varepsilon_i (1 + \\max(|y_{s,i}|, |\\hat y_{s,i}|))},
    \\qquad e = b - b^*.

The workspace rows after the model's (``_block_model``): the accepted state ``Y``, the 7 stage
derivatives ``K`` and the balance index now.

References
----------
1. Dormand JR, Prince PJ (1980). A family of embedded Runge-Kutta formulae. J Comput Appl Math
   6:19-26. doi:10.1016/0771-050X(80)90013-3
2. Hairer E, Norsett SP, Wanner G (1993). Solving Ordinary Differential Equations I, 2nd ed.
   Springer. doi:10.1007/978-3-540-78862-1
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
from numba import njit

from allostasis.engine._block_model import DERIV, LANES, N_MODEL_ROWS, STATE, YB

__all__ = [
    "ERROR_WEIGHTS",
    "EXTRA_ROWS",
    "KS",
    "N_STATE",
    "STAGE_C",
    "XNOW",
    "K",
    "Y",
    "error_norm",
    "input_row",
    "quantised",
    "stage_state",
    "store_k",
]

N_STATE: Final = 9
# workspace rows after the model's: accepted state, 7 stage derivatives, X now
Y: Final = N_MODEL_ROWS * LANES
K: Final = Y + N_STATE * LANES
XNOW: Final = K + 7 * N_STATE * LANES
EXTRA_ROWS: Final = N_STATE + 7 * N_STATE + 1
KS: Final = N_STATE * LANES

# Dormand-Prince 5(4): stage matrix, weights (= last row, FSAL) and error weights b - b*
_A: Final = np.array(
    [
        [0.0, 0.0, 0.0, 0.0, 0.0, 0.0],
        [1 / 5, 0.0, 0.0, 0.0, 0.0, 0.0],
        [3 / 40, 9 / 40, 0.0, 0.0, 0.0, 0.0],
        [44 / 45, -56 / 15, 32 / 9, 0.0, 0.0, 0.0],
        [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729, 0.0, 0.0],
        [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656, 0.0],
        [35 / 384, 0.0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
    ]
)
ERROR_WEIGHTS: Final = np.array(
    [71 / 57600, 0.0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40]
)
#: Stage -> row of ``STAGE_FRACTIONS`` (stages 2..7).
STAGE_C: Final = np.array([0, 0, 1, 2, 3, 4, 4])


@njit(nogil=True)
def quantised(k: int) -> int:  # pragma: no cover - compiled
    """``k`` rounded down to 3 significant bits (8..15 times a power of 2), so that the step
    lengths repeat and their propagators are reused."""
    e = 0
    while k >= 16:
        k >>= 1
        e += 1
    return k << e


def _make_stage(i: int) -> Any:
    """STATE rows = Y + h * sum_j A[i, j] K_j for stage ``i`` (coefficients are compile-time
    constants, so the loops over lanes vectorise)."""
    a = tuple(float(v) for v in _A[i, :i])
    n_terms = len(a)

    @njit(nogil=True, error_model="numpy", fastmath={"contract"})
    def stage(w: np.ndarray, h: float) -> None:  # pragma: no cover - compiled
        c = np.empty(6)
        for j in range(n_terms):
            c[j] = h * a[j]
        for r in range(N_STATE):
            o = r * LANES
            for s in range(LANES):
                v = w[Y + o + s]
                for j in range(n_terms):
                    v += c[j] * w[K + j * KS + o + s]
                w[STATE + o + s] = v

    return stage


_stage1 = _make_stage(1)
_stage2 = _make_stage(2)
_stage3 = _make_stage(3)
_stage4 = _make_stage(4)
_stage5 = _make_stage(5)
_stage6 = _make_stage(6)


@njit(nogil=True)
def stage_state(w: np.ndarray, i: int, h: float) -> None:  # pragma: no cover - compiled
    """STATE rows = Y + h * sum_j A[i, j] K_j (j < i), stages 1..6."""
    if i == 1:
        _stage1(w, h)
    elif i == 2:
        _stage2(w, h)
    elif i == 3:
        _stage3(w, h)
    elif i == 4:
        _stage4(w, h)
    elif i == 5:
        _stage5(w, h)
    else:
        _stage6(w, h)


@njit(nogil=True, error_model="numpy", fastmath={"contract"})
def input_row(w: np.ndarray, row: np.ndarray, x: np.ndarray) -> None:  # pragma: no cover
    """YB row = sum_i row[i] * x[i] (per lane)."""
    n = x.shape[0]
    for s in range(LANES):
        w[YB + s] = 0.0
    for i in range(n):
        for s in range(LANES):
            w[YB + s] += row[i, s] * x[i, s]


def _make_store(i: int) -> Any:
    """K_i rows = DERIV rows (both offsets compile-time constants, so the copy vectorises)."""
    ki = K + i * KS

    @njit(nogil=True, error_model="numpy", fastmath={"contract"})
    def store(w: np.ndarray) -> None:  # pragma: no cover - compiled
        for s in range(KS):
            w[ki + s] = w[DERIV + s]

    return store


_store0 = _make_store(0)
_store1 = _make_store(1)
_store2 = _make_store(2)
_store3 = _make_store(3)
_store4 = _make_store(4)
_store5 = _make_store(5)
_store6 = _make_store(6)


@njit(nogil=True)
def store_k(w: np.ndarray, i: int) -> None:  # pragma: no cover - compiled
    """Copy the derivatives just evaluated into stage slot ``i``."""
    if i == 0:
        _store0(w)
    elif i == 1:
        _store1(w)
    elif i == 2:
        _store2(w)
    elif i == 3:
        _store3(w)
    elif i == 4:
        _store4(w)
    elif i == 5:
        _store5(w)
    else:
        _store6(w)


@njit(nogil=True, error_model="numpy", fastmath={"contract"})
def error_norm(w: np.ndarray, h: float, tol: np.ndarray, e: np.ndarray, emax: np.ndarray) -> float:
    """Max over lanes and states of |h sum_j e_j K_j| / (tol (1 + max(|y|, |y_new|))).

    The new state is in the STATE rows (the last stage is evaluated at it).
    """
    for s in range(LANES):
        emax[s] = 0.0
    for r in range(N_STATE):
        o = r * LANES
        for s in range(LANES):
            err = 0.0
            for j in range(7):
                err += e[j] * w[K + j * KS + o + s]
            sc = tol[r] * (1.0 + max(abs(w[Y + o + s]), abs(w[STATE + o + s])))
            emax[s] = max(emax[s], abs(h * err) / sc)
    out = 0.0
    for s in range(LANES):
        v = emax[s]
        if not v <= out:  # NaN propagates: a NaN error rejects the step
            out = v
    return out
