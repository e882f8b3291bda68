"""Dose-occupancy Emax model: transporter or receptor occupancy as a hyperbolic function of dose.

.. math:: O(D) = \\frac{E_{max}\\, D}{D_{50} + D}

PET studies summarise occupancy against daily dose with this model (Meyer et al. 2004 fitted it to
[11C]DASB serotonin-transporter occupancy of five SSRIs; Takano et al. 2006 to duloxetine;
Klein et al. 2006 to escitalopram). :class:`DoseOccupancy` holds ``emax`` and ``d50``, predicts
occupancy for a dose, finds the dose that reaches a target occupancy, and fits both parameters to
(dose, occupancy) points by non-linear least squares with covariance-based and bootstrap
confidence intervals.

References
----------
1. Meyer JH, Wilson AA, Sagrati S, et al. (2004). Serotonin transporter occupancy of five selective
   serotonin reuptake inhibitors at different doses: an [11C]DASB positron emission tomography
   study. Am J Psychiatry 161(5):826-835. doi:10.1176/appi.ajp.161.5.826
2. Klein N, et al. (2006). In vivo imaging of serotonin transporter occupancy by means of SPECT and
   [123I]ADAM in healthy subjects administered different doses of escitalopram or citalopram.
   Psychopharmacology 188(3):263-272. doi:10.1007/s00213-006-0486-0
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pint
from scipy.optimize import OptimizeWarning, curve_fit
from scipy.stats import t as student_t

from allostasis.errors import InvalidValueError, UnitError
from allostasis.units import Q_, Quantity, as_quantity

__all__ = ["DoseOccupancy", "OccupancyCI"]

#: Canonical dose units: an amount (single dose) or a daily rate (regimen).
_AMOUNT, _DAILY = "mg", "mg/day"


def _dose_kind(value: Any, field: str) -> tuple[np.ndarray, str]:
    """Magnitude (in mg or mg/day) and canonical unit of a dose quantity, scalar or array."""
    if isinstance(value, (str, pint.Quantity)):
        try:
            q = as_quantity(value, field=field, unit=_AMOUNT)
            unit = _AMOUNT
        except UnitError:
            try:
                q = as_quantity(value, field=field, unit=_DAILY)
                unit = _DAILY
            except UnitError:
                raise UnitError(
                    f"{field}: expected a dose in mg or a daily dose in mg/day; got {value!s}"
                ) from None
    else:
        q = as_quantity(value, field=field, unit=_AMOUNT)  # raises the bare-number error
        unit = _AMOUNT
    arr = np.asarray(q.to(unit).magnitude, dtype=float)
    if np.any(arr < 0):
        raise InvalidValueError(f"{field}: must be >= 0 {unit}; got {q}")
    return arr, unit


def _fraction(value: Any, field: str, *, upper_open: bool = False) -> np.ndarray:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InvalidValueError(
            f"{field}: must be a fraction in [0, 1] (a plain number); got {value!r}"
        ) from None
    ok = np.isfinite(arr) & (arr >= 0) & ((arr < 1) if upper_open else (arr <= 1))
    if not np.all(ok):
        rng = "[0, 1)" if upper_open else "[0, 1]"
        raise InvalidValueError(f"{field}: must be a fraction in {rng}; got {value!r}")
    return arr


def _emax_curve(d: np.ndarray, emax: float, d50: float) -> np.ndarray:
    return np.asarray(emax * d / (d50 + d), dtype=float)


@dataclass(frozen=True)
class OccupancyCI:
    """A 95% confidence interval of each fitted parameter, with how it was obtained."""

    emax: tuple[float, float]
    d50: tuple[float, float]
    """Lower and upper limit of D50, in :attr:`unit`."""
    unit: str
    method: str
    level: float = 0.95


class DoseOccupancy:
    """Hyperbolic (Emax) dose-occupancy model, from parameters or fitted to PET data.

    .. math:: O(D) = \\frac{E_{max}\\, D}{D_{50} + D}

    Parameters
    ----------
    emax : float, optional
        Maximal occupancy, a fraction in (0, 1]. Needed for :meth:`predict` unless fitted.
    d50 : str or pint.Quantity, optional
        Dose giving half of ``emax``: ``"6.7 mg"`` (per dose) or ``"6.7 mg/day"``; > 0. Doses given
        to :meth:`predict` and :meth:`dose_for` then use the same kind (amount or daily rate).

    Attributes
    ----------
    emax_, d50_ : float
        Fitted values (``d50_`` in :attr:`dose_unit_`), set by :meth:`fit`.
    emax_se_, d50_se_ : float
        Standard errors from the covariance of the least-squares fit (NaN with no residual
        degrees of freedom, e.g. two points for two parameters).
    ci_ : OccupancyCI
        95% confidence intervals from the covariance (t distribution with n - 2 degrees of freedom).
    basis : list of str
        Equation, parameter values and how they were obtained.

    See Also
    --------
    allostasis.receptor._occupancy.occupancy : mass-action occupancy from a concentration.

    References
    ----------
    1. Meyer JH, et al. (2004). Am J Psychiatry 161(5):826-835. doi:10.1176/appi.ajp.161.5.826

    Examples
    --------
    The seed's sertraline example: 25 mg gives 0.68 and 50 mg gives 0.76 SERT occupancy.

    >>> m = DoseOccupancy().fit(["25 mg", "50 mg"], [0.68, 0.76])
    >>> round(m.emax_, 4), round(m.d50_, 3), m.dose_unit_
    (0.8613, 6.667, 'mg')
    >>> round(m.dose_for(0.70).to("mg").magnitude, 1)
    28.9
    >>> round(DoseOccupancy(emax=0.86, d50="6.7 mg").predict("100 mg"), 3)
    0.806
    >>> DoseOccupancy(emax=0.86, d50="6.7 mg").dose_for(0.9)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: occupancy: 0.9 is not below Emax 0.86; no dose reaches it
    """

    def __init__(self, emax: float | None = None, d50: Any = None) -> None:
        self.emax = emax
        self.d50 = d50

    # ------------------------------------------------------------------ parameters
    def _params(self) -> tuple[float, float, str]:
        if hasattr(self, "emax_"):
            return self.emax_, self.d50_, self.dose_unit_
        if self.emax is None or self.d50 is None:
            raise InvalidValueError(
                "DoseOccupancy: give emax and d50, or call fit() first; "
                f"got emax={self.emax!r}, d50={self.d50!r}"
            )
        emax = float(_fraction(self.emax, "emax"))
        if not emax > 0:
            raise InvalidValueError(f"emax: must be in (0, 1]; got {self.emax!r}")
        d50, unit = _dose_kind(self.d50, "d50")
        if not float(d50) > 0:
            raise InvalidValueError(f"d50: must be > 0; got {self.d50!s}")
        return emax, float(d50), unit

    @property
    def basis(self) -> list[str]:
        """Equation, parameters and how they were obtained."""
        emax, d50, unit = self._params()
        out = [
            "O(D) = Emax * D / (D50 + D) (hyperbolic dose-occupancy model; Meyer et al. 2004)",
            f"Emax = {emax:.4g}, D50 = {d50:.4g} {unit}",
        ]
        out += getattr(self, "_fit_basis", ["parameters given by the caller"])
        return out

    # ------------------------------------------------------------------ model
    def predict(self, dose: Any) -> Any:
        """Occupancy at ``dose`` (quantity, scalar or array, in the kind of dose the model uses).

        Returns a float for a scalar dose, else an array of the dose's shape.
        """
        emax, d50, unit = self._params()
        d, kind = _dose_kind(dose, "dose")
        if kind != unit:
            raise UnitError(f"dose: this model uses doses in {unit}; got {dose!s}")
        out = _emax_curve(d, emax, d50)
        return float(out) if out.ndim == 0 else out

    def dose_for(self, occupancy: float) -> Quantity:
        """The dose whose predicted occupancy equals ``occupancy``.

        .. math:: D = \\frac{O\\, D_{50}}{E_{max} - O}

        Raises
        ------
        InvalidValueError
            ``occupancy`` outside [0, 1), or not below Emax (no finite dose reaches it).
        """
        emax, d50, unit = self._params()
        o = float(_fraction(occupancy, "occupancy", upper_open=True))
        if not o < emax:
            raise InvalidValueError(
                f"occupancy: {occupancy!r} is not below Emax {emax:.4g}; no dose reaches it"
            )
        out: Quantity = Q_(o * d50 / (emax - o), unit)
        return out

    # ------------------------------------------------------------------ fitting
    def fit(self, doses: Sequence[Any] | Any, occupancies: Sequence[float]) -> DoseOccupancy:
        """Fit Emax and D50 to (dose, occupancy) points by non-linear least squares.

        Parameters
        ----------
        doses : sequence of quantities or a quantity array
            Doses (mg) or daily doses (mg/day), all of one kind; >= 0. At least two distinct doses.
        occupancies : sequence of float
            Observed mean occupancies, fractions in [0, 1].

        Returns
        -------
        DoseOccupancy
            ``self``, with ``emax_``, ``d50_``, ``emax_se_``, ``d50_se_``, ``ci_``, ``dose_unit_``.
        """
        d, unit = self._doses(doses)
        y = _fraction(list(occupancies), "occupancies")
        if y.ndim != 1 or y.size != d.size:
            raise InvalidValueError(
                f"occupancies: need one per dose; got {y.size} occupancies for {d.size} doses"
            )
        if np.unique(d[d > 0]).size < 2:
            raise InvalidValueError(
                "doses: need at least two distinct doses > 0 to fit Emax and D50"
            )
        emax, d50, cov = self._least_squares(d, y)
        dof = d.size - 2
        if dof > 0 and np.all(np.isfinite(cov)):
            se = np.sqrt(np.diag(cov))
            q = float(student_t.ppf(0.975, dof))
            ci = OccupancyCI(
                emax=(emax - q * se[0], emax + q * se[0]),
                d50=(d50 - q * se[1], d50 + q * se[1]),
                unit=unit,
                method=f"covariance of the least-squares fit, t({dof}) quantile",
            )
        else:
            se = np.array([np.nan, np.nan])
            ci = OccupancyCI(
                emax=(np.nan, np.nan),
                d50=(np.nan, np.nan),
                unit=unit,
                method="none: no residual degrees of freedom (as many points as parameters)",
            )
        self.emax_, self.d50_, self.dose_unit_ = emax, d50, unit
        self.emax_se_, self.d50_se_ = float(se[0]), float(se[1])
        self.ci_ = ci
        self.n_points_ = int(d.size)
        self._data = (d, y)
        self._fit_basis = [
            f"fitted by non-linear least squares (scipy.optimize.curve_fit) to {d.size} points",
            f"SE(Emax) = {self.emax_se_:.3g}, SE(D50) = {self.d50_se_:.3g} {unit}; 95% CI by {ci.method}",
        ]
        return self

    @staticmethod
    def _doses(doses: Any) -> tuple[np.ndarray, str]:
        if isinstance(doses, (str, pint.Quantity)):
            arr, unit = _dose_kind(doses, "doses")
            return np.atleast_1d(arr), unit
        items = list(doses)
        if not items:
            raise InvalidValueError("doses: give at least two doses")
        parsed = [_dose_kind(v, f"doses[{i}]") for i, v in enumerate(items)]
        units = {u for _, u in parsed}
        if len(units) > 1:
            raise UnitError(f"doses: mix amounts (mg) and daily doses (mg/day); got {items}")
        return np.array([float(a) for a, _ in parsed]), units.pop()

    @staticmethod
    def _least_squares(d: np.ndarray, y: np.ndarray) -> tuple[float, float, np.ndarray]:
        pos = d > 0
        p0 = [max(float(y.max()) * 1.1, 1e-3), float(np.median(d[pos]))]
        try:
            with warnings.catch_warnings():  # pcov is inf with no residual dof; handled by fit()
                warnings.simplefilter("ignore", OptimizeWarning)
                popt, pcov = curve_fit(
                    _emax_curve,
                    d,
                    y,
                    p0=p0,
                    bounds=([0.0, 1e-12], [1.0, np.inf]),
                    maxfev=20000,
                )
        except RuntimeError as exc:
            raise InvalidValueError(f"fit: the Emax model did not converge ({exc})") from None
        return float(popt[0]), float(popt[1]), np.asarray(pcov, dtype=float)

    def bootstrap_ci(self, n_boot: int = 2000, seed: int | None = 0) -> OccupancyCI:
        """Percentile 95% CIs of Emax and D50 by a parametric residual bootstrap of the fit.

        Residuals of the fit are resampled with replacement onto the fitted curve and the model is
        re-fitted ``n_boot`` times (Efron & Tibshirani 1993, ch. 9). Needs a fitted model with at
        least three points.
        """
        if not hasattr(self, "_data"):
            raise InvalidValueError("bootstrap_ci: call fit() first")
        if not isinstance(n_boot, int) or n_boot < 100:
            raise InvalidValueError(f"n_boot: must be an integer >= 100; got {n_boot!r}")
        d, y = self._data
        if d.size < 3:
            raise InvalidValueError(
                f"bootstrap_ci: needs at least 3 points to resample residuals; got {d.size}"
            )
        rng = np.random.default_rng(seed)
        fitted = _emax_curve(d, self.emax_, self.d50_)
        resid = y - fitted
        resid = resid - resid.mean()
        draws = []
        for _ in range(n_boot):
            yb = np.clip(fitted + rng.choice(resid, size=resid.size, replace=True), 0.0, 1.0)
            try:
                e, k, _ = self._least_squares(d, yb)
            except InvalidValueError:
                continue
            draws.append((e, k))
        arr = np.array(draws)
        lo, hi = np.percentile(arr, [2.5, 97.5], axis=0)
        return OccupancyCI(
            emax=(float(lo[0]), float(hi[0])),
            d50=(float(lo[1]), float(hi[1])),
            unit=self.dose_unit_,
            method=f"parametric residual bootstrap, {len(draws)} refits, percentile interval",
        )

    def __repr__(self) -> str:
        if hasattr(self, "emax_"):
            return (
                f"<DoseOccupancy (fitted to {self.n_points_} points): Emax={self.emax_:.3g}, "
                f"D50={self.d50_:.3g} {self.dose_unit_}>"
            )
        return f"<DoseOccupancy: emax={self.emax!r}, d50={self.d50!r}>"
