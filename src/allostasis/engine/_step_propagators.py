"""Exact PK propagators for the engine's quantised adaptive steps, cached per step length.

The engine's steps inside a segment of length :math:`H` (the time between two events: doses,
decisions, outputs) are whole multiples :math:`k q` of the quantum :math:`q = H / 2^{12}`. The
Dormand-Prince stages of a step need the drug input at :math:`t + c_i k q`, which the linear PK gives
exactly (Van Loan 1978):

.. math::

    x(t + \\delta) = \\Phi(\\delta)\\, x(t), \\quad \\Phi(\\delta) = e^{K\\delta}, \\qquad
    y_B(t + c_i k q) = g^{\\top} \\Phi(c_i k q)\\, x(t)

with :math:`g` the per-state coefficients of :math:`y_B = \\sum_j f_{u,j} A_j / (V_j MW_j K_{B,j})`.
Per subject, :func:`binary_powers` computes :math:`\\Phi(c_i q)` once per segment length (a matrix
exponential) and its squares :math:`\\Phi(c_i q 2^b)`; :func:`step_entry` forms
:math:`\\Phi(c_i k q) = \\prod_{b \\in \\mathrm{bits}(k)} \\Phi(c_i q 2^b)` (the factors commute) and
stores the rows :math:`g^{\\top}\\Phi(c_i k q)` and the full-step matrix :math:`\\Phi(kq)`. Entries are
cached per block of subjects: the daily pattern of step lengths repeats, so each is formed once.

References
----------
1. Van Loan CF (1978). Computing integrals involving the matrix exponential. IEEE Trans Autom
   Control 23:395-404. doi:10.1109/TAC.1978.1101743
2. Moler C, Van Loan C (2003). Nineteen dubious ways to compute the exponential of a matrix,
   twenty-five years later. SIAM Rev 45:3-49. doi:10.1137/S00361445024180
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numba import njit

from allostasis.engine._block_model import LANES
from allostasis.exposure._expm import expm_small

__all__ = [
    "N_QUANTA",
    "QUANTUM_BITS",
    "STAGE_FRACTIONS",
    "binary_powers",
    "step_entry",
]

#: Dormand-Prince stage times as fractions of the step (stages 2-6; stage 7 is at the end, c = 1).
STAGE_FRACTIONS: Final = np.array([1.0 / 5.0, 3.0 / 10.0, 4.0 / 5.0, 8.0 / 9.0, 1.0])
#: Quanta per segment: 2^12 (a 24-h segment has a 21-s quantum).
QUANTUM_BITS: Final = 12
N_QUANTA: Final = 1 << QUANTUM_BITS
_NC: Final = 5


@njit(nogil=True)
def binary_powers(
    kmat: np.ndarray, s0: int, m: int, seg_len: np.ndarray, fractions: np.ndarray, out: np.ndarray
) -> None:  # pragma: no cover - compiled
    """Fill ``out[j, c, b, :, :, lane] = exp(K_s * fractions[c] * seg_len[j] / N_QUANTA * 2^b)``.

    ``out`` has shape ``(n_lengths, 5, QUANTUM_BITS + 1, n, n, LANES)``; lane ``i`` is subject
    ``s0 + min(i, m - 1)`` (lanes past the block's last subject repeat it).
    """
    n = kmat.shape[1]
    kd = np.empty((n, n))
    for lane in range(LANES):
        sub = s0 + min(lane, m - 1)
        for j in range(seg_len.shape[0]):
            q = seg_len[j] / N_QUANTA
            for c in range(fractions.shape[0]):
                for i in range(n):
                    for k in range(n):
                        kd[i, k] = kmat[sub, i, k] * (fractions[c] * q)
                phi = expm_small(kd)
                for i in range(n):
                    for k in range(n):
                        out[j, c, 0, i, k, lane] = phi[i, k]
                for b in range(1, QUANTUM_BITS + 1):
                    for i in range(n):
                        for k in range(n):
                            acc = 0.0
                            for c2 in range(n):
                                acc += out[j, c, b - 1, i, c2, lane] * out[j, c, b - 1, c2, k, lane]
                            out[j, c, b, i, k, lane] = acc


@njit(nogil=True)
def step_entry(
    powers: np.ndarray,
    j: int,
    k: int,
    g: np.ndarray,
    rows: np.ndarray,
    full: np.ndarray,
    acc: np.ndarray,
    tmp: np.ndarray,
) -> None:  # pragma: no cover - compiled
    """Rows ``g^T Phi(c k q)`` (``rows (5, n, LANES)``) and ``Phi(k q)`` (``full (n, n, LANES)``).

    ``g (n, LANES)``; ``acc`` and ``tmp`` are ``(n, n, LANES)`` scratch arrays.
    """
    n = g.shape[0]
    for c in range(_NC):
        for i in range(n):
            for c2 in range(n):
                for lane in range(LANES):
                    acc[i, c2, lane] = 1.0 if i == c2 else 0.0
        for b in range(QUANTUM_BITS + 1):
            if (k >> b) & 1:
                for i in range(n):
                    for c2 in range(n):
                        for lane in range(LANES):
                            tmp[i, c2, lane] = 0.0
                        for r in range(n):
                            for lane in range(LANES):
                                tmp[i, c2, lane] += acc[i, r, lane] * powers[j, c, b, r, c2, lane]
                for i in range(n):
                    for c2 in range(n):
                        for lane in range(LANES):
                            acc[i, c2, lane] = tmp[i, c2, lane]
        for c2 in range(n):
            for lane in range(LANES):
                rows[c, c2, lane] = 0.0
            for i in range(n):
                for lane in range(LANES):
                    rows[c, c2, lane] += g[i, lane] * acc[i, c2, lane]
        if c == _NC - 1:
            for i in range(n):
                for c2 in range(n):
                    for lane in range(LANES):
                        full[i, c2, lane] = acc[i, c2, lane]
