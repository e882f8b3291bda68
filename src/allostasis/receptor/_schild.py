"""Competitive antagonism: Gaddum's dose ratio, the shifted agonist curve and Schild regression.

A competitive antagonist B at concentration [B] with dissociation constant K_B multiplies the
agonist concentration needed for any given response by the dose ratio

.. math:: DR = 1 + [B]/K_B

(Gaddum 1937; Schild 1949), so a plot of :math:`\\log_{10}(DR - 1)` against :math:`\\log_{10}[B]`
is a straight line of slope 1 crossing zero at :math:`\\log_{10}[B] = -pA_2`, with
:math:`pA_2 = -\\log_{10} K_B` (Arunlakshana & Schild 1959).

References
----------
1. Arunlakshana O, Schild HO (1959). Some quantitative uses of drug antagonists. Br J Pharmacol
   Chemother 14(1):48-58.
2. Schild HO (1949). pAx and competitive drug antagonism. Br J Pharmacol Chemother 4(3):277-280.
3. Kenakin T (2009). A Pharmacology Primer, 3rd ed. Academic Press, ch. 6.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict
from scipy import stats

from allostasis.errors import InvalidValueError
from allostasis.units import as_quantity

__all__ = ["SchildFit", "dose_ratio", "schild_regression", "shifted_agonist_response"]


def _molar(value: Any, field: str, *, positive: bool = False) -> np.ndarray:
    q = as_quantity(value, field=field, unit="M")
    arr = np.asarray(q.to("M").magnitude, dtype=float)
    if positive and np.any(arr <= 0):
        raise InvalidValueError(f"{field}: must be > 0; got {value!s}")
    if np.any(arr < 0):
        raise InvalidValueError(f"{field}: must be >= 0; got {value!s}")
    return arr


def dose_ratio(antagonist: Any, kb: Any) -> np.ndarray:
    """Gaddum/Schild dose ratio of a competitive antagonist.

    .. math:: DR = 1 + [B]/K_B

    Parameters
    ----------
    antagonist : str or pint.Quantity
        Antagonist concentration [B] (molar, >= 0), scalar or array.
    kb : str or pint.Quantity
        Antagonist dissociation constant K_B (molar, > 0), broadcastable with ``antagonist``.

    Returns
    -------
    numpy.ndarray
        Dose ratio (>= 1), broadcast shape of the inputs.

    Raises
    ------
    UnitError
        If a concentration lacks a unit or is not molar.
    InvalidValueError
        If [B] < 0 or K_B <= 0.

    References
    ----------
    1. Arunlakshana O, Schild HO (1959). Br J Pharmacol Chemother 14(1):48-58.

    Examples
    --------
    >>> float(dose_ratio("10 nM", "1 nM"))
    11.0
    >>> dose_ratio("10", "1 nM")
    Traceback (most recent call last):
    ...
    allostasis.errors.UnitError: antagonist: a bare number ('10') has no unit; give a quantity such as '10 M'
    """
    b = _molar(antagonist, "antagonist")
    k = _molar(kb, "kb", positive=True)
    return np.asarray(1.0 + b / k)


def shifted_agonist_response(
    agonist: Any,
    *,
    ec50: Any,
    antagonist: Any,
    kb: Any,
    emax: float = 1.0,
    hill: float = 1.0,
) -> np.ndarray:
    """Agonist concentration-response in the presence of a competitive antagonist.

    .. math:: E = E_{max} \\frac{[A]^h}{[A]^h + (EC_{50}\\, DR)^h}, \\quad DR = 1 + [B]/K_B

    A parallel rightward shift by the dose ratio, with the same maximum (surmountable antagonism).

    Parameters
    ----------
    agonist : str or pint.Quantity
        Agonist concentrations [A] (molar, >= 0).
    ec50 : str or pint.Quantity
        Agonist EC50 without antagonist (molar, > 0).
    antagonist, kb : str or pint.Quantity
        Antagonist concentration (>= 0) and its K_B (> 0), molar.
    emax : float, default 1
        Maximal response (> 0), in the response's own unit.
    hill : float, default 1
        Hill slope (> 0).

    Returns
    -------
    numpy.ndarray
        Response, broadcast shape of the inputs.

    Raises
    ------
    UnitError, InvalidValueError
        Bad units or values.

    References
    ----------
    1. Kenakin T (2009). A Pharmacology Primer, 3rd ed., ch. 6.

    Examples
    --------
    >>> float(shifted_agonist_response("11 nM", ec50="1 nM", antagonist="10 nM", kb="1 nM"))
    0.5
    """
    a = _molar(agonist, "agonist")
    e50 = _molar(ec50, "ec50", positive=True)
    if not (np.isfinite(emax) and emax > 0):
        raise InvalidValueError(f"emax: must be > 0; got {emax!r}")
    if not (np.isfinite(hill) and hill > 0):
        raise InvalidValueError(f"hill: must be > 0; got {hill!r}")
    dr = dose_ratio(antagonist, kb)
    return np.asarray(emax * a**hill / (a**hill + (e50 * dr) ** hill))


class SchildFit(BaseModel):
    """Schild regression of log10(DR - 1) on log10[B] (molar)."""

    model_config = ConfigDict(frozen=True)

    slope: float
    slope_ci: tuple[float, float]
    intercept: float
    pa2: float
    """-log10 of the antagonist concentration giving DR = 2 (x-intercept), from the free fit."""
    pa2_ci: tuple[float, float]
    pkb: float
    """pK_B with the slope constrained to 1: mean of log10(DR - 1) - log10[B]."""
    pkb_ci: tuple[float, float]
    n_points: int
    r_squared: float
    confidence: float
    basis: list[str]


def schild_regression(antagonist: Any, dose_ratios: Any, *, confidence: float = 0.95) -> SchildFit:
    """Fit a Schild plot and return slope and pA2 with confidence intervals.

    .. math:: \\log_{10}(DR - 1) = b \\log_{10}[B] + a, \\qquad pA_2 = a / b

    Parameters
    ----------
    antagonist : str or pint.Quantity
        Antagonist concentrations (molar, > 0), shape ``(n_points,)``, at least 3 distinct values.
    dose_ratios : array_like of float
        Measured dose ratios (> 1), shape ``(n_points,)``.
    confidence : float, default 0.95
        Confidence level in (0, 1).

    Returns
    -------
    SchildFit
        Slope with t-based CI; pA2 with a delta-method CI (variance of a/b from the OLS
        covariance); pK_B with the slope fixed to 1 and its t-based CI.

    Raises
    ------
    InvalidValueError
        Fewer than 3 points, mismatched shapes, DR <= 1, non-positive [B], confidence outside (0, 1).

    Notes
    -----
    A slope that differs from 1 (CI excluding 1) argues against simple competitive antagonism at
    equilibrium; pK_B is then not meaningful and pA2 is only an empirical potency.

    References
    ----------
    1. Arunlakshana O, Schild HO (1959). Br J Pharmacol Chemother 14(1):48-58.

    Examples
    --------
    >>> import numpy as np
    >>> from allostasis.units import Q_
    >>> b = Q_([1e-9, 1e-8, 1e-7, 1e-6], "M")
    >>> fit = schild_regression(b, 1 + b.magnitude / 2e-9)
    >>> round(fit.slope, 6), round(fit.pa2, 4)
    (1.0, 8.699)
    >>> schild_regression(b, [0.5, 2, 3, 4])
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: dose_ratios: every dose ratio must be > 1 (log10(DR - 1) is undefined otherwise); got [0.5]
    """
    if not (0.0 < confidence < 1.0):
        raise InvalidValueError(f"confidence: must be in (0, 1); got {confidence!r}")
    b = np.atleast_1d(_molar(antagonist, "antagonist", positive=True)).ravel()
    dr = np.atleast_1d(np.asarray(dose_ratios, dtype=float)).ravel()
    if b.shape != dr.shape:
        raise InvalidValueError(
            f"dose_ratios: need one dose ratio per antagonist concentration; got {dr.size} for {b.size}"
        )
    if not np.all(np.isfinite(dr)):
        raise InvalidValueError("dose_ratios: must be finite numbers")
    bad = dr[dr <= 1]
    if bad.size:
        raise InvalidValueError(
            "dose_ratios: every dose ratio must be > 1 (log10(DR - 1) is undefined otherwise); "
            f"got {bad.tolist()}"
        )
    if np.unique(b).size < 3:
        raise InvalidValueError(
            f"antagonist: need at least 3 distinct concentrations for a Schild fit; got {np.unique(b).size}"
        )
    x = np.log10(b)
    y = np.log10(dr - 1.0)
    n = x.size
    xm, ym = x.mean(), y.mean()
    sxx = float(np.sum((x - xm) ** 2))
    slope = float(np.sum((x - xm) * (y - ym)) / sxx)
    intercept = float(ym - slope * xm)
    resid = y - (intercept + slope * x)
    dof = n - 2
    s2 = float(np.sum(resid**2) / dof) if dof > 0 else 0.0
    tq = float(stats.t.ppf(0.5 + confidence / 2, dof)) if dof > 0 else float("inf")
    var_b = s2 / sxx
    var_a = s2 * (1.0 / n + xm**2 / sxx)
    cov_ab = -xm * s2 / sxx
    pa2 = intercept / slope
    # delta method for g(a, b) = a / b: grad = (1/b, -a/b^2)
    var_pa2 = var_a / slope**2 + intercept**2 * var_b / slope**4 - 2 * intercept * cov_ab / slope**3
    se_pa2 = float(np.sqrt(max(var_pa2, 0.0)))
    se_b = float(np.sqrt(var_b))
    d = y - x
    pkb = float(d.mean())
    se_pkb = float(d.std(ddof=1) / np.sqrt(n))
    tq1 = float(stats.t.ppf(0.5 + confidence / 2, n - 1))
    ss_tot = float(np.sum((y - ym) ** 2))
    r2 = 1.0 - float(np.sum(resid**2)) / ss_tot if ss_tot > 0 else 1.0
    return SchildFit(
        slope=slope,
        slope_ci=(slope - tq * se_b, slope + tq * se_b),
        intercept=intercept,
        pa2=pa2,
        pa2_ci=(pa2 - tq * se_pa2, pa2 + tq * se_pa2),
        pkb=pkb,
        pkb_ci=(pkb - tq1 * se_pkb, pkb + tq1 * se_pkb),
        n_points=n,
        r_squared=r2,
        confidence=confidence,
        basis=[
            "Schild regression: log10(DR - 1) = slope * log10([B] / M) + intercept, ordinary least squares",
            "pA2 = intercept / slope; CI by the delta method with t quantile, dof = n - 2",
            "pKB = mean(log10(DR - 1) - log10[B]) with slope fixed to 1; CI with t quantile, dof = n - 1",
            "Arunlakshana & Schild 1959 Br J Pharmacol Chemother 14:48-58",
        ],
    )
