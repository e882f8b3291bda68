"""Matrix exponential for the small rate matrices of compartment models (compiled).

.. math::

    e^{A} = \\left(\\sum_{j=0}^{m} \\frac{(A / 2^s)^j}{j!}\\right)^{2^s}

Scaling and squaring with a Taylor polynomial (Moler & Van Loan, SIAM Review 2003,
doi:10.1137/S00361445024180): ``s`` is chosen so that ``||A||_1 / 2^s <= 1/2`` and ``m = 18``, which
bounds the truncation error of the scaled series by ``0.5^19 / 19! < 1e-22``, far below float64
round-off. Compartment-model matrices have real, non-positive eigenvalues, for which squaring is
well conditioned. Tested against :func:`scipy.linalg.expm`.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

__all__ = ["expm_small"]

_TAYLOR_ORDER = 18


@njit(cache=True, nogil=True)
def expm_small(a: np.ndarray) -> np.ndarray:  # pragma: no cover - compiled
    """Return ``exp(a)`` for a small square float64 matrix."""
    n = a.shape[0]
    norm = 0.0
    for j in range(n):
        col = 0.0
        for i in range(n):
            col += abs(a[i, j])
        norm = max(norm, col)
    s = 0
    if norm > 0.5:
        s = math.ceil(math.log2(norm / 0.5))
    scale = 1.0 / (2.0**s)
    x = a * scale
    # Horner form: I + x (I + x/2 (I + x/3 (... (I + x/m))))
    result = np.eye(n)
    for k in range(_TAYLOR_ORDER, 0, -1):
        result = np.eye(n) + (x @ result) / k
    for _ in range(s):
        result = result @ result
    return result
