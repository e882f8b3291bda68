"""Greco's universal response surface: one interaction parameter for a whole dose grid.

Greco, Bravo & Parsons (1995) extend Loewe additivity with an interaction term. The effect
:math:`E` of the dose pair :math:`(d_A, d_B)` solves

.. math::

    1 = \\frac{d_A}{D_{50,A}\\, y^{1/h_A}} + \\frac{d_B}{D_{50,B}\\, y^{1/h_B}}
      + \\frac{\\alpha\\, d_A d_B}{D_{50,A} D_{50,B}\\, y^{1/(2h_A) + 1/(2h_B)}},
    \\qquad y = \\frac{E}{E_{max} - E}

:math:`\\alpha = 0` is Loewe additivity, :math:`\\alpha > 0` synergy and :math:`\\alpha < 0`
antagonism; the size of :math:`\\alpha` is the size of the interaction. The whole surface (both
single-agent curves and :math:`\\alpha`) is fitted to a grid of combination data by nonlinear least
squares, and :math:`\\alpha` comes with a Wald confidence interval from the fit's Jacobian.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import numpy as np
import pint
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict
from scipy import optimize, stats

from allostasis.errors import InvalidValueError, UnitError
from allostasis.receptor._bliss import _fraction
from allostasis.units import Q_, as_quantity

__all__ = ["ResponseSurfaceFit", "fit_response_surface", "response_surface_effect"]

_REFERENCE: Final[str] = (
    "Greco WR, Bravo G, Parsons JC (1995) The search for synergy: a critical review from a "
    "response surface perspective. Pharmacol Rev 47:331-385, PMID 7568331"
)
#: Bisection bounds on x = ln(E / (Emax - E)) and number of halvings (rounding-level precision).
_LOG_ODDS_BOUND: Final[float] = 50.0
_BISECTION_STEPS: Final[int] = 100
#: Residual given to a data point where a trial parameter set leaves the surface undefined.
_UNDEFINED_RESIDUAL: Final[float] = 2.0


def _greco_effect(
    da: NDArray[np.float64],
    db: NDArray[np.float64],
    ed50_a: float,
    ed50_b: float,
    hill_a: float,
    hill_b: float,
    alpha: float,
    emax: float,
) -> NDArray[np.float64]:
    """Solve Greco's equation for E (float arrays in consistent units); nan where undefined."""
    sa = da / ed50_a
    sb = db / ed50_b
    with np.errstate(divide="ignore"):
        log_sa, log_sb = np.log(sa), np.log(sb)
    cross = alpha * np.sqrt(sa * sb)
    none = (da == 0) & (db == 0)

    def above_one(x: NDArray[np.float64]) -> NDArray[np.bool_]:
        """Whether the right-hand side exceeds 1 at log-odds x (computed in logs, no overflow)."""
        lza = log_sa - x / hill_a
        lzb = log_sb - x / hill_b
        m = np.maximum(lza, lzb)
        m_safe = np.where(np.isfinite(m), m, 0.0)
        with np.errstate(invalid="ignore"):
            bracket = (
                np.exp(lza - m_safe)
                + np.exp(lzb - m_safe)
                + cross * np.exp(0.5 * (lza + lzb) - m_safe)
            )
        with np.errstate(divide="ignore", invalid="ignore"):
            return (bracket > 0) & (m_safe + np.log(np.where(bracket > 0, bracket, 1.0)) > 0)

    lo = np.full(sa.shape, -_LOG_ODDS_BOUND)
    hi = np.full(sa.shape, _LOG_ODDS_BOUND)
    defined = above_one(lo) & ~above_one(hi)
    for _ in range(_BISECTION_STEPS):
        mid = 0.5 * (lo + hi)
        up = above_one(mid)
        lo = np.where(up, mid, lo)
        hi = np.where(up, hi, mid)
    x = 0.5 * (lo + hi)
    e = emax / (1.0 + np.exp(-x))
    e = np.where(defined, e, np.nan)
    return np.where(none, 0.0, e)


def _unit_of(value: Any, field: str) -> str:
    """The unit a dose-like argument is written in (refusing bare numbers)."""
    if isinstance(value, np.ndarray):
        raise UnitError(
            f"{field}: bare numbers have no unit; give a quantity such as Q_(array, 'mg') or a "
            "list of strings like ['10 mg', '20 mg']"
        )
    first = value
    if isinstance(value, Sequence) and not isinstance(value, str) and len(value) > 0:
        first = value[0]
    if isinstance(first, pint.Quantity):
        unit = str(first.units)
    elif isinstance(first, str):
        try:
            unit = str(Q_(first.strip()).units)
        except Exception:  # as_quantity reports unreadable text
            unit = "mg"
    else:
        unit = "mg"
    if unit == "dimensionless":
        raise UnitError(
            f"{field}: a bare number ({first!r}) has no unit; give a quantity such as '10 mg' or '50 nM'"
        )
    return unit


def _doses(value: Any, field: str, unit: str | None = None) -> tuple[NDArray[np.float64], str]:
    """Doses as floats in ``unit`` (default: the unit they are written in), refusing negatives.

    Accepts a quantity (scalar or array magnitude) or a sequence of quantities/strings.
    """
    unit = unit or _unit_of(value, field)
    if isinstance(value, Sequence) and not isinstance(value, str):
        mags = [
            float(np.asarray(as_quantity(v, field=field, unit=unit).to(unit).magnitude))
            for v in value
        ]
        d = np.asarray(mags, dtype=float)
    else:
        d = np.asarray(as_quantity(value, field=field, unit=unit).to(unit).magnitude, dtype=float)
    if np.any(d < 0):
        shown = ", ".join(f"{v:g}" for v in np.atleast_1d(d)[np.atleast_1d(d < 0)][:5])
        raise InvalidValueError(f"{field}: a dose must be >= 0 {unit}; got {shown} {unit}")
    return d, unit


def _positive(value: float, field: str) -> float:
    v = float(value)
    if not (np.isfinite(v) and v > 0):
        raise InvalidValueError(f"{field}: must be > 0; got {value:g}")
    return v


def response_surface_effect(
    dose_a: Any,
    dose_b: Any,
    *,
    ed50_a: Any,
    ed50_b: Any,
    hill_a: float = 1.0,
    hill_b: float = 1.0,
    alpha: float = 0.0,
    emax: float = 1.0,
) -> Any:
    """Effect of a dose pair on Greco's universal response surface.

    .. math::

        1 = \\frac{d_A}{D_{50,A}\\, y^{1/h_A}} + \\frac{d_B}{D_{50,B}\\, y^{1/h_B}}
          + \\frac{\\alpha\\, d_A d_B}{D_{50,A} D_{50,B}\\, y^{1/(2h_A) + 1/(2h_B)}},
        \\qquad E = E_{max} \\frac{y}{1 + y}

    solved for :math:`y` by bisection on :math:`\\ln y` (vectorised, rounding-level precision).

    Parameters
    ----------
    dose_a, dose_b : str, pint.Quantity or sequence of them
        Doses (or concentrations) of A and B, >= 0, with the dimension of ``ed50_a``/``ed50_b``;
        arrays broadcast.
    ed50_a, ed50_b : str or pint.Quantity
        Dose of each drug alone giving half of ``emax``; > 0.
    hill_a, hill_b : float, default 1.0
        Hill coefficients, > 0.
    alpha : float, default 0.0
        Interaction parameter: 0 Loewe additivity, > 0 synergy, < 0 antagonism.
    emax : float, default 1.0
        Maximum fractional effect shared by both drugs, in (0, 1].

    Returns
    -------
    float or numpy.ndarray
        Fractional effect in [0, emax), shape of the broadcast doses. ``nan`` where a negative
        ``alpha`` leaves the equation without a solution (strong antagonism at high doses; Greco
        et al. 1995 note that alpha is bounded below).

    Raises
    ------
    UnitError
        If a dose or ED50 has no unit, or a dose's dimension differs from its ED50's.
    InvalidValueError
        If a dose is negative or a parameter is out of range.

    References
    ----------
    1. Greco WR, Bravo G, Parsons JC (1995) The search for synergy: a critical review from a
       response surface perspective. Pharmacol Rev 47:331-385. PMID 7568331.

    Examples
    --------
    >>> kw = dict(ed50_a="10 mg", ed50_b="2 mg")
    >>> round(response_surface_effect("10 mg", "0 mg", **kw), 6)
    0.5
    >>> round(response_surface_effect("5 mg", "1 mg", **kw), 6)  # alpha = 0: Loewe additive
    0.5
    >>> round(response_surface_effect("5 mg", "1 mg", alpha=4.0, **kw), 4)  # synergy
    0.6667
    >>> response_surface_effect("5 mg", "1 mg", ed50_a=10, ed50_b="2 mg")
    Traceback (most recent call last):
    ...
    allostasis.errors.UnitError: ed50_a: a bare number (10) has no unit; give a quantity such as '10 mg'
    """
    ea, unit_a = _doses(ed50_a, "ed50_a")
    eb, unit_b = _doses(ed50_b, "ed50_b")
    if ea.ndim or eb.ndim:
        raise InvalidValueError("ed50_a, ed50_b: each must be a single quantity, not an array")
    da, _ = _doses(dose_a, "dose_a", unit_a)
    db, _ = _doses(dose_b, "dose_b", unit_b)
    e_max = float(_fraction(emax, "emax"))
    if e_max == 0:
        raise InvalidValueError("emax: must be a fraction in (0, 1]; got 0")
    if not np.isfinite(float(alpha)):
        raise InvalidValueError(f"alpha: must be a finite number; got {alpha}")
    da, db = np.broadcast_arrays(da, db)
    out = _greco_effect(
        da,
        db,
        _positive(float(ea), "ed50_a"),
        _positive(float(eb), "ed50_b"),
        _positive(hill_a, "hill_a"),
        _positive(hill_b, "hill_b"),
        float(alpha),
        e_max,
    )
    return float(out) if out.ndim == 0 else out


class ResponseSurfaceFit(BaseModel):
    """Greco response-surface fit: the interaction parameter with its CI, and the single-agent curves."""

    model_config = ConfigDict(frozen=True)

    drug_a: str
    drug_b: str
    unit_a: str
    unit_b: str
    alpha: float
    """Interaction parameter (> 0 synergy, < 0 antagonism, 0 Loewe additivity)."""
    alpha_se: float
    alpha_ci: tuple[float, float]
    ed50_a: float
    ed50_a_ci: tuple[float, float]
    ed50_b: float
    ed50_b_ci: tuple[float, float]
    hill_a: float
    hill_a_ci: tuple[float, float]
    hill_b: float
    hill_b_ci: tuple[float, float]
    emax: float
    """Fixed, not fitted."""
    confidence: float
    n_observations: int
    residual_sd: float
    """Residual standard deviation of the fit (fractional effect)."""
    classification: str
    """``"synergy"`` if the whole CI of alpha is > 0, ``"antagonism"`` if < 0, else ``"additivity"``."""
    interpretation: str
    basis: list[str]

    def predict(self, dose_a: Any, dose_b: Any) -> Any:
        """Fitted surface at the dose pairs (see :func:`response_surface_effect`)."""
        return response_surface_effect(
            dose_a,
            dose_b,
            ed50_a=Q_(self.ed50_a, self.unit_a),
            ed50_b=Q_(self.ed50_b, self.unit_b),
            hill_a=self.hill_a,
            hill_b=self.hill_b,
            alpha=self.alpha,
            emax=self.emax,
        )


def fit_response_surface(
    dose_a: Any,
    dose_b: Any,
    effect: Any,
    *,
    emax: float = 1.0,
    confidence: float = 0.95,
    drug_a: str = "A",
    drug_b: str = "B",
) -> ResponseSurfaceFit:
    """Fit Greco's universal response surface to combination data and classify the interaction.

    .. math::

        \\min_{\\theta} \\sum_i \\left(E_i - E(d_{A,i}, d_{B,i}; \\theta)\\right)^2, \\qquad
        \\theta = (\\ln D_{50,A}, \\ln D_{50,B}, \\ln h_A, \\ln h_B, \\alpha)

    with :math:`E(\\cdot)` from :func:`response_surface_effect`. Confidence intervals are Wald
    intervals, :math:`\\hat\\theta_j \\pm t_{n-5} \\sqrt{s^2 [(J^T J)^{-1}]_{jj}}` (back-transformed
    for the log parameters).

    Parameters
    ----------
    dose_a, dose_b : pint.Quantity (array magnitude) or sequence of str/Quantity
        Doses of A and B for each observation, >= 0, same length. The data must include
        single-agent points for each drug (at least 2 with the other dose 0) and at least one
        point with both doses > 0.
    effect : array_like
        Observed fractional effects, in [0, 1], one per dose pair.
    emax : float, default 1.0
        Maximum fractional effect of both drugs, in (0, 1]; held fixed.
    confidence : float, default 0.95
        Level of the confidence intervals, in (0, 1).
    drug_a, drug_b : str
        Labels for the result.

    Returns
    -------
    ResponseSurfaceFit
        ``alpha`` with ``alpha_se`` and ``alpha_ci``, the fitted single-agent parameters with
        CIs, ``classification`` (synergy / additivity / antagonism, from whether the CI of alpha
        excludes 0) and ``interpretation`` with the size.

    Raises
    ------
    UnitError
        If doses have no unit or the two drugs' doses mix dimensions within a drug.
    InvalidValueError
        If lengths differ, an effect is outside [0, 1], a dose is negative, or the design lacks
        single-agent or combination points, or has too few points (n <= 5).

    References
    ----------
    1. Greco WR, Bravo G, Parsons JC (1995) The search for synergy: a critical review from a
       response surface perspective. Pharmacol Rev 47:331-385. PMID 7568331.

    Examples
    --------
    A 4 x 4 checkerboard generated with alpha = 2 is recovered:

    >>> import numpy as np
    >>> from allostasis.units import Q_
    >>> grid_a, grid_b = np.meshgrid([0.0, 5.0, 10.0, 20.0], [0.0, 1.0, 2.0, 4.0])
    >>> da, db = Q_(grid_a.ravel(), "mg"), Q_(grid_b.ravel(), "mg")
    >>> e = response_surface_effect(da, db, ed50_a="10 mg", ed50_b="2 mg", hill_a=1.5, alpha=2.0)
    >>> fit = fit_response_surface(da, db, e)
    >>> round(fit.alpha, 4), round(fit.ed50_a, 4), fit.classification
    (2.0, 10.0, 'synergy')
    >>> fit_response_surface(da[:4], db[:4], e[:4])
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: dose_a, dose_b: the design cannot identify the surface: 0 single-agent points for B (need >= 2); no point with both doses > 0 (alpha is then not identifiable); 4 observations for 5 parameters (need > 5)
    """
    da, unit_a = _doses(dose_a, "dose_a")
    db, unit_b = _doses(dose_b, "dose_b")
    e = _fraction(effect, "effect")
    da, db, e = (np.atleast_1d(v).ravel() for v in (da, db, e))
    if not (len(da) == len(db) == len(e)):
        raise InvalidValueError(
            f"dose_a, dose_b, effect: must have one value per observation; got lengths "
            f"{len(da)}, {len(db)}, {len(e)}"
        )
    e_max = float(_fraction(emax, "emax"))
    if e_max == 0:
        raise InvalidValueError("emax: must be a fraction in (0, 1]; got 0")
    conf = float(confidence)
    if not 0 < conf < 1:
        raise InvalidValueError(f"confidence: must be in (0, 1); got {confidence}")
    n, p = len(e), 5
    only_a = (da > 0) & (db == 0)
    only_b = (db > 0) & (da == 0)
    both = (da > 0) & (db > 0)
    problems = []
    if only_a.sum() < 2:
        problems.append(f"{only_a.sum()} single-agent points for {drug_a} (need >= 2)")
    if only_b.sum() < 2:
        problems.append(f"{only_b.sum()} single-agent points for {drug_b} (need >= 2)")
    if both.sum() < 1:
        problems.append("no point with both doses > 0 (alpha is then not identifiable)")
    if n <= p:
        problems.append(f"{n} observations for {p} parameters (need > {p})")
    if problems:
        raise InvalidValueError(
            "dose_a, dose_b: the design cannot identify the surface: " + "; ".join(problems)
        )

    scale_a = float(np.exp(np.mean(np.log(da[da > 0]))))
    scale_b = float(np.exp(np.mean(np.log(db[db > 0]))))
    xa, xb = da / scale_a, db / scale_b

    def residuals(theta: NDArray[np.float64]) -> NDArray[np.float64]:
        la, lb, lha, lhb, alpha = theta
        pred = _greco_effect(xa, xb, np.exp(la), np.exp(lb), np.exp(lha), np.exp(lhb), alpha, e_max)
        return np.where(np.isfinite(pred), pred - e, _UNDEFINED_RESIDUAL)

    start = np.zeros(p)
    fit = optimize.least_squares(
        residuals, start, method="trf", x_scale=1.0, xtol=1e-14, ftol=1e-14, gtol=1e-14
    )
    theta = fit.x
    dof = n - p
    rss = float(np.sum(fit.fun**2))
    s2 = rss / dof
    jac = np.asarray(fit.jac, dtype=float)
    cov = s2 * np.linalg.pinv(jac.T @ jac)
    se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    tq = float(stats.t.ppf(0.5 + conf / 2, dof))
    lo, hi = theta - tq * se, theta + tq * se

    def back(j: int, scale: float) -> tuple[float, tuple[float, float]]:
        return float(np.exp(theta[j]) * scale), (
            float(np.exp(lo[j]) * scale),
            float(np.exp(hi[j]) * scale),
        )

    ed50_a, ed50_a_ci = back(0, scale_a)
    ed50_b, ed50_b_ci = back(1, scale_b)
    hill_a, hill_a_ci = back(2, 1.0)
    hill_b, hill_b_ci = back(3, 1.0)
    alpha = float(theta[4])
    alpha_ci = (float(lo[4]), float(hi[4]))
    if alpha_ci[0] > 0:
        label = "synergy"
    elif alpha_ci[1] < 0:
        label = "antagonism"
    else:
        label = "additivity"
    pct = f"{conf:.0%}"
    size = (
        f"alpha = {alpha:.3g} ({pct} CI {alpha_ci[0]:.3g} to {alpha_ci[1]:.3g}): "
        + {
            "synergy": "Loewe synergy (CI above 0)",
            "antagonism": "Loewe antagonism (CI below 0)",
            "additivity": "no interaction detected (CI includes 0, Loewe additivity)",
        }[label]
    )
    return ResponseSurfaceFit(
        drug_a=drug_a,
        drug_b=drug_b,
        unit_a=unit_a,
        unit_b=unit_b,
        alpha=alpha,
        alpha_se=float(se[4]),
        alpha_ci=alpha_ci,
        ed50_a=ed50_a,
        ed50_a_ci=ed50_a_ci,
        ed50_b=ed50_b,
        ed50_b_ci=ed50_b_ci,
        hill_a=hill_a,
        hill_a_ci=hill_a_ci,
        hill_b=hill_b,
        hill_b_ci=hill_b_ci,
        emax=e_max,
        confidence=conf,
        n_observations=n,
        residual_sd=float(np.sqrt(s2)),
        classification=label,
        interpretation=size,
        basis=[
            "Greco universal response surface: 1 = dA/(ED50A y^(1/hA)) + dB/(ED50B y^(1/hB)) "
            "+ alpha dA dB/(ED50A ED50B y^(1/(2hA)+1/(2hB))), y = E/(Emax - E)",
            f"fitted by nonlinear least squares (scipy.optimize.least_squares) to {n} observations; "
            f"Emax fixed at {e_max:g}",
            f"Wald {pct} CIs from s^2 (J^T J)^-1 with t({dof}); ED50 and Hill on the log scale",
            "classification: synergy if the CI of alpha lies above 0, antagonism if below, "
            "additivity otherwise",
            _REFERENCE,
        ],
    )
