"""Logarithm, exponential and tanh from arithmetic alone, so that loops over subjects vectorise.

Without a vector math library, a call to ``math.log`` or ``math.exp`` inside a numba loop stops
LLVM from vectorising the loop. The engine's model loop therefore uses these forms, built only from
``+ - * /`` (and ``sqrt`` as the LLVM intrinsic, which has a vector instruction):

.. math::

    \\ln\\frac{p}{q} = 2 \\operatorname{artanh} u = 2u \\sum_{j=0}^{16} \\frac{u^{2j}}{2j + 1},
    \\qquad u = \\frac{p - q}{p + q}

(accurate while :math:`|\\ln(p/q)| \\le 0.7`, i.e. :math:`|u| \\le \\tanh(0.35)`: the first omitted
term is below 2e-17), and, by scaling and squaring,

.. math::

    e^{z} = \\Big(\\sum_{j=0}^{15} \\frac{(z/16)^j}{j!}\\Big)^{2^4} \\quad (|z| \\le 8), \\qquad
    \\tanh z = \\operatorname{sign}(z) \\frac{1 - e^{-2|z|}}{1 + e^{-2|z|}} \\quad (|z| \\le 4).

Polynomials are evaluated in Estrin's scheme, so that the chain of dependent operations (which
sets the speed of these loops) is short. Accuracy is tested in ``tests/engine/test_elementary.py``
(absolute error of ``log_ratio_series`` < 1e-15 for :math:`|\\ln(p/q)| \\le 0.7`, relative error
of ``exp_series`` < 1e-14 for :math:`|z| \\le 8`, absolute error of ``tanh_series`` < 1e-15 for
:math:`|z| \\le 4`). Callers check the
ranges (:data:`LOG_RATIO_U_MAX`, :data:`EXP_SAFE`, :data:`TANH_SAFE`) and recompute with ``math`` functions outside
them (see ``engine._block_model``).

References
----------
1. Muller JM (2016). Elementary Functions: Algorithms and Implementation, 3rd ed. Birkhauser
   (artanh series for the logarithm; exponential by scaling and squaring).
"""

from __future__ import annotations

import math
from typing import Any, Final

from llvmlite import ir  # type: ignore[import-untyped]
from numba import njit, types
from numba.extending import intrinsic

__all__ = [
    "EXP_SAFE",
    "LOG_RATIO_U_MAX",
    "TANH_SAFE",
    "exp_series",
    "log_ratio_series",
    "sqrt",
    "tanh_series",
]

#: Largest |u| = |p - q| / (p + q) for which :func:`log_ratio_series` is accurate
#: (|ln(p/q)| <= 0.7).
LOG_RATIO_U_MAX: Final = math.tanh(0.35)
#: Largest |z| for which :func:`exp_series` is accurate.
EXP_SAFE: Final = 8.0
#: Largest |z| for which :func:`tanh_series` is accurate.
TANH_SAFE: Final = 4.0

_FLAGS: Final = {"contract"}


@intrinsic
def _llvm_sqrt(typingctx: Any, x: Any) -> Any:  # pragma: no cover - compiled
    """Square root as the LLVM intrinsic (numba calls libm's ``sqrt``, which stops vectorisation).

    Correctly rounded (IEEE 754), like ``math.sqrt``; a negative argument gives NaN.
    """
    sig = types.float64(types.float64)

    def codegen(context: Any, builder: Any, signature: Any, args: Any) -> Any:
        fn = builder.module.declare_intrinsic("llvm.sqrt", [ir.DoubleType()])
        return builder.call(fn, [args[0]])

    return sig, codegen


#: ``sqrt(x)`` in compiled code (see ``_llvm_sqrt``).
sqrt: Any = _llvm_sqrt


@njit(inline="always", error_model="numpy", fastmath=_FLAGS)
def log_ratio_series(p: float, q: float) -> tuple[float, float]:  # pragma: no cover - compiled
    """``(ln(p / q), u)`` for ``p, q > 0`` by the artanh series; accurate while ``|u| <= LOG_RATIO_U_MAX``.

    The 17-term polynomial in :math:`u^2` is evaluated in Estrin's scheme (independent pairs,
    then quads, ...), which shortens the chain of dependent operations fourfold.
    """
    u = (p - q) / (p + q)
    t = u * u
    t2 = t * t
    t4 = t2 * t2
    t8 = t4 * t4
    a0 = 1.0 + t * (1.0 / 3.0)
    a1 = 1.0 / 5.0 + t * (1.0 / 7.0)
    a2 = 1.0 / 9.0 + t * (1.0 / 11.0)
    a3 = 1.0 / 13.0 + t * (1.0 / 15.0)
    a4 = 1.0 / 17.0 + t * (1.0 / 19.0)
    a5 = 1.0 / 21.0 + t * (1.0 / 23.0)
    a6 = 1.0 / 25.0 + t * (1.0 / 27.0)
    a7 = 1.0 / 29.0 + t * (1.0 / 31.0)
    b0 = a0 + t2 * a1
    b1 = a2 + t2 * a3
    b2 = a4 + t2 * a5
    b3 = a6 + t2 * a7
    c = (b0 + t4 * b1) + t8 * ((b2 + t4 * b3) + t8 * (1.0 / 33.0))
    return 2.0 * u * c, u


@njit(inline="always", error_model="numpy", fastmath=_FLAGS)
def exp_series(z: float) -> float:  # pragma: no cover - compiled
    """``exp(z)`` for |z| <= 8: the degree-15 Taylor polynomial at ``z / 16`` (Estrin's scheme),
    squared 4 times."""
    w = z * (1.0 / 16.0)
    w2 = w * w
    w4 = w2 * w2
    w8 = w4 * w4
    a0 = 1.0 + w * 1.0
    a1 = 0.5 + w * 0.16666666666666666
    a2 = 0.041666666666666664 + w * 0.008333333333333333
    a3 = 0.001388888888888889 + w * 0.0001984126984126984
    a4 = 2.48015873015873e-05 + w * 2.7557319223985893e-06
    a5 = 2.755731922398589e-07 + w * 2.505210838544172e-08
    a6 = 2.08767569878681e-09 + w * 1.6059043836821613e-10
    a7 = 1.1470745597729725e-11 + w * 7.647163731819816e-13
    b0 = a0 + w2 * a1
    b1 = a2 + w2 * a3
    b2 = a4 + w2 * a5
    b3 = a6 + w2 * a7
    e = (b0 + w4 * b1) + w8 * (b2 + w4 * b3)
    e = e * e
    e = e * e
    e = e * e
    e = e * e
    return e


@njit(inline="always", error_model="numpy", fastmath=_FLAGS)
def tanh_series(z: float) -> float:  # pragma: no cover - compiled
    """``tanh(z)`` for |z| <= 4, as ``(1 - e) / (1 + e)`` with ``e = exp(-2|z|)``."""
    e = exp_series(-2.0 * abs(z))
    t = (1.0 - e) / (1.0 + e)
    return t if z >= 0.0 else -t
