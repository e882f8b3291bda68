"""The four measures of interaction of two exposures, as vectorised formulas.

.. math::

    RERI = RR_{11} - RR_{10} - RR_{01} + 1, \\qquad AP = \\frac{RERI}{RR_{11}}, \\qquad
    S = \\frac{RR_{11} - 1}{(RR_{10} - 1) + (RR_{01} - 1)}, \\qquad
    \\text{ratio} = \\frac{RR_{11}}{RR_{10} RR_{01}}

(Rothman; Knol & VanderWeele 2012, Int J Epidemiol 41:514, doi:10.1093/ije/dyr218). Confidence
intervals are in :mod:`allostasis.receptor._epidemiological_interaction` (from ratios) and
:mod:`allostasis.receptor._interaction_from_counts` (from 2x2x2 counts).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from allostasis.errors import InvalidValueError

__all__ = ["attributable_proportion", "multiplicative_interaction", "reri", "synergy_index"]


def _ratio(value: Any, field: str) -> NDArray[np.float64]:
    """A relative risk / odds ratio as a float array, every element finite and > 0."""
    if isinstance(value, (bool, str)) or value is None:
        raise InvalidValueError(f"{field}: a ratio must be a number > 0; got {value!r}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InvalidValueError(f"{field}: a ratio must be a number > 0; got {value!r}") from None
    bad = ~np.isfinite(arr) | (arr <= 0)
    if np.any(bad):
        shown = ", ".join(f"{v:g}" for v in np.atleast_1d(arr)[np.atleast_1d(bad)][:5])
        raise InvalidValueError(
            f"{field}: a relative risk or odds ratio must be > 0 (1 = no effect); got {shown}"
        )
    return arr


def _out(arr: NDArray[np.float64]) -> Any:
    return float(arr) if arr.ndim == 0 else arr


def reri(rr10: Any, rr01: Any, rr11: Any) -> Any:
    """Relative excess risk due to interaction.

    .. math:: RERI = RR_{11} - RR_{10} - RR_{01} + 1

    Parameters
    ----------
    rr10, rr01, rr11 : float or array_like
        Ratios (RR, OR or HR) for A only, B only and both, against neither; > 0. Arrays broadcast.

    Returns
    -------
    float or numpy.ndarray
        RERI (0 = no additive interaction, > 0 supra-additive), broadcast shape.

    Raises
    ------
    InvalidValueError
        If a ratio is <= 0 or not finite.

    References
    ----------
    1. Knol MJ, VanderWeele TJ (2012) Int J Epidemiol 41:514-520. doi:10.1093/ije/dyr218.

    Examples
    --------
    >>> reri(3, 2, 8)
    4.0
    >>> reri(3, 2, 0)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: rr11: a relative risk or odds ratio must be > 0 (1 = no effect); got 0
    """
    a, b, ab = _ratio(rr10, "rr10"), _ratio(rr01, "rr01"), _ratio(rr11, "rr11")
    return _out(ab - a - b + 1.0)


def attributable_proportion(rr10: Any, rr01: Any, rr11: Any) -> Any:
    """Proportion of the joint-exposure risk attributable to interaction.

    .. math:: AP = \\frac{RR_{11} - RR_{10} - RR_{01} + 1}{RR_{11}}

    Parameters
    ----------
    rr10, rr01, rr11 : float or array_like
        Ratios for A only, B only and both, against neither; > 0.

    Returns
    -------
    float or numpy.ndarray
        AP (0 = no additive interaction), broadcast shape.

    Raises
    ------
    InvalidValueError
        If a ratio is <= 0.

    References
    ----------
    1. Knol MJ, VanderWeele TJ (2012) Int J Epidemiol 41:514-520. doi:10.1093/ije/dyr218.

    Examples
    --------
    >>> attributable_proportion(3, 2, 8)
    0.5
    """
    a, b, ab = _ratio(rr10, "rr10"), _ratio(rr01, "rr01"), _ratio(rr11, "rr11")
    return _out((ab - a - b + 1.0) / ab)


def synergy_index(rr10: Any, rr01: Any, rr11: Any) -> Any:
    """Rothman's synergy index.

    .. math:: S = \\frac{RR_{11} - 1}{(RR_{10} - 1) + (RR_{01} - 1)}

    Parameters
    ----------
    rr10, rr01, rr11 : float or array_like
        Ratios for A only, B only and both, against neither; > 0.

    Returns
    -------
    float or numpy.ndarray
        S (1 = no additive interaction, > 1 supra-additive), broadcast shape.

    Raises
    ------
    InvalidValueError
        If a ratio is <= 0, or the denominator :math:`RR_{10} + RR_{01} - 2` is 0 (the separate
        excess risks cancel, so S is undefined; use RERI instead).

    Notes
    -----
    S misleads when an exposure is preventive (ratio < 1); recode so the doubly unexposed
    stratum has the lowest risk first (Knol et al. 2011).

    References
    ----------
    1. Knol MJ, VanderWeele TJ (2012) Int J Epidemiol 41:514-520. doi:10.1093/ije/dyr218.
    2. Knol MJ, VanderWeele TJ, Groenwold RHH, et al. (2011) Eur J Epidemiol 26:433-438.
       doi:10.1007/s10654-011-9554-9.

    Examples
    --------
    >>> round(synergy_index(3, 2, 8), 2)
    2.33
    >>> synergy_index(1.5, 0.5, 2.0)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: synergy index: undefined because (rr10 - 1) + (rr01 - 1) = 0 (rr10 = 1.5, rr01 = 0.5): the separate excess risks cancel; report RERI and AP instead
    """
    a, b, ab = _ratio(rr10, "rr10"), _ratio(rr01, "rr01"), _ratio(rr11, "rr11")
    a, b, ab = np.broadcast_arrays(a, b, ab)
    den = (a - 1.0) + (b - 1.0)
    zero = np.isclose(den, 0.0, rtol=0.0, atol=1e-12)
    if np.any(zero):
        i = np.flatnonzero(np.atleast_1d(zero))[0]
        raise InvalidValueError(
            _s_undefined_message(float(np.atleast_1d(a)[i]), float(np.atleast_1d(b)[i]))
        )
    return _out((ab - 1.0) / den)


def _s_undefined_message(rr10: float, rr01: float) -> str:
    return (
        "synergy index: undefined because (rr10 - 1) + (rr01 - 1) = 0 "
        f"(rr10 = {rr10:g}, rr01 = {rr01:g}): the separate excess risks cancel; "
        "report RERI and AP instead"
    )


def multiplicative_interaction(rr10: Any, rr01: Any, rr11: Any) -> Any:
    """Interaction on the multiplicative scale (ratio of ratios).

    .. math:: \\frac{RR_{11}}{RR_{10} \\, RR_{01}}

    Parameters
    ----------
    rr10, rr01, rr11 : float or array_like
        Ratios for A only, B only and both, against neither; > 0.

    Returns
    -------
    float or numpy.ndarray
        1 = no multiplicative interaction; broadcast shape.

    Raises
    ------
    InvalidValueError
        If a ratio is <= 0.

    References
    ----------
    1. Knol MJ, VanderWeele TJ (2012) Int J Epidemiol 41:514-520. doi:10.1093/ije/dyr218.

    Examples
    --------
    >>> round(multiplicative_interaction(3, 2, 8), 4)
    1.3333
    """
    a, b, ab = _ratio(rr10, "rr10"), _ratio(rr01, "rr01"), _ratio(rr11, "rr11")
    return _out(ab / (a * b))
