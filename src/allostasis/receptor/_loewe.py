"""Loewe additivity: the isobologram and the combination index.

Each drug alone follows a Hill (sigmoid Emax) dose-effect curve

.. math:: E(D) = E_{max} \\frac{D^h}{D_{50}^h + D^h}
          \\quad\\Longleftrightarrow\\quad
          D(E) = D_{50} \\left(\\frac{E}{E_{max} - E}\\right)^{1/h}

A combination :math:`(d_A, d_B)` producing effect :math:`E` has the combination index

.. math:: CI = \\frac{d_A}{D_A(E)} + \\frac{d_B}{D_B(E)}

(Loewe & Muischnek 1926; Chou & Talalay 1984, mutually exclusive form). :math:`CI = 1` is Loewe
additivity (the pair behaves like one drug diluted into the other); the pairs with :math:`CI = 1`
at effect :math:`E` form the straight *isobole* from :math:`(D_A(E), 0)` to :math:`(0, D_B(E))`.
:math:`CI < 1` is synergy, :math:`CI > 1` antagonism; the size is graded on Chou's (2006) scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd
import pint
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict
from scipy.special import log_expit

from allostasis.errors import InvalidValueError, UnitError
from allostasis.receptor._bliss import _fraction, _pack, _pack_labels
from allostasis.units import Q_, as_quantity

__all__ = [
    "CI_ADDITIVE_BAND",
    "CombinationIndex",
    "DoseEffectCurve",
    "isobologram",
    "loewe_additive_effect",
    "loewe_combination_index",
]

#: Combination indices inside this closed band are called "nearly additive" (Chou 2006,
#: Pharmacol Rev 58:621-681, PMID 16968952; the CI grading table reproduced in e.g. Nocentini
#: 2003 Cancer Cell Int 3:11, doi:10.1186/1475-2867-3-11).
CI_ADDITIVE_BAND: Final[tuple[float, float]] = (0.90, 1.10)

#: Chou's (2006) grading of the combination index: (upper bound, description).
_CHOU_GRADES: Final[tuple[tuple[float, str], ...]] = (
    (0.1, "very strong synergism"),
    (0.3, "strong synergism"),
    (0.7, "synergism"),
    (0.85, "moderate synergism"),
    (0.90, "slight synergism"),
    (1.10, "nearly additive"),
    (1.20, "slight antagonism"),
    (1.45, "moderate antagonism"),
    (3.3, "antagonism"),
    (10.0, "strong antagonism"),
    (np.inf, "very strong antagonism"),
)

_REFERENCES: Final[list[str]] = [
    "Loewe S, Muischnek H (1926) Über Kombinationswirkungen. Arch Exp Pathol Pharmakol 114:313-326",
    "Chou TC, Talalay P (1984) Quantitative analysis of dose-effect relationships: the combined "
    "effects of multiple drugs or enzyme inhibitors. Adv Enzyme Regul 22:27-55, "
    "doi:10.1016/0065-2571(84)90007-4",
    "Chou TC (2006) Theoretical basis, experimental design, and computerized simulation of "
    "synergism and antagonism in drug combination studies. Pharmacol Rev 58:621-681, PMID 16968952",
]

#: Bisection bounds and steps on the logit of the effect (see loewe_additive_effect).
_LOGIT_BOUND: Final[float] = 200.0
_BISECTION_STEPS: Final[int] = 120


@dataclass(frozen=True)
class DoseEffectCurve:
    """A drug's Hill (sigmoid Emax) dose-effect curve.

    Parameters
    ----------
    ed50 : str or pint.Quantity
        Dose (or concentration) giving half of ``emax``, e.g. ``"10 mg"`` or ``"50 nM"``; > 0.
        The drug's doses in a combination must have the same dimension.
    hill : float, default 1.0
        Hill coefficient (slope), > 0 (Chou's ``m``).
    emax : float, default 1.0
        Maximum fractional effect, in (0, 1].
    name : str, default "drug"
        Label used in results.

    Examples
    --------
    >>> c = DoseEffectCurve(ed50="10 mg", hill=2.0)
    >>> c.effect("10 mg"), round(c.effect("20 mg"), 3)
    (0.5, 0.8)
    >>> c.dose_for_effect(0.8)
    <Quantity(20.0, 'milligram')>
    >>> DoseEffectCurve(ed50="10 mg", hill=-1.0).effect("1 mg")
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: curve.hill: must be > 0; got -1
    """

    ed50: Any
    hill: float = 1.0
    emax: float = 1.0
    name: str = "drug"

    def effect(self, dose: Any) -> Any:
        """Fractional effect of ``dose`` alone (float, or array for an array-valued quantity)."""
        ed50, unit, hill, emax = _curve_parameters(self, "curve")
        d = _dose(dose, "dose", unit)
        with np.errstate(divide="ignore"):
            out = emax / (1.0 + (ed50 / d) ** hill)
        out = np.where(d > 0, out, 0.0)
        return float(out) if out.ndim == 0 else out

    def dose_for_effect(self, effect: Any) -> pint.Quantity[Any]:
        """Dose of this drug alone that gives ``effect`` (0 < effect < emax), in the unit of ``ed50``."""
        ed50, unit, hill, emax = _curve_parameters(self, "curve")
        e = _fraction(effect, "effect")
        _check_reachable(e, emax, self.name)
        out = np.exp(_log_dose_for_effect(np.log(e), np.log(emax - e), ed50, hill))
        return Q_(float(out) if out.ndim == 0 else out, unit)


def _curve_parameters(curve: DoseEffectCurve, field: str) -> tuple[float, str, float, float]:
    """(ed50 magnitude, ed50 unit, hill, emax) of a validated curve."""
    if not isinstance(curve, DoseEffectCurve):
        raise InvalidValueError(
            f"{field}: expected a DoseEffectCurve(ed50=..., hill=..., emax=...); got {type(curve).__name__}"
        )
    raw = curve.ed50
    if isinstance(raw, pint.Quantity):
        unit = str(raw.units)
    elif isinstance(raw, str):
        try:
            unit = str(Q_(raw.strip()).units)
        except Exception:  # as_quantity below reports unreadable text
            unit = "mg"
    else:
        unit = "mg"
    if unit == "dimensionless":
        raise UnitError(
            f"{field}.ed50: a bare number ({raw!r}) has no unit; give a quantity such as '10 mg' or '50 nM'"
        )
    q = as_quantity(raw, field=f"{field}.ed50", unit=unit)
    ed50 = float(np.asarray(q.to(unit).magnitude, dtype=float))
    if not ed50 > 0:
        raise InvalidValueError(f"{field}.ed50: must be > 0; got {q}")
    hill = float(curve.hill)
    if not (np.isfinite(hill) and hill > 0):
        raise InvalidValueError(f"{field}.hill: must be > 0; got {curve.hill:g}")
    emax = float(curve.emax)
    if not (np.isfinite(emax) and 0 < emax <= 1):
        raise InvalidValueError(f"{field}.emax: must be a fraction in (0, 1]; got {curve.emax:g}")
    return ed50, unit, hill, emax


def _dose(value: Any, field: str, unit: str) -> NDArray[np.float64]:
    """Magnitude of a dose quantity in ``unit`` (any shape), refusing negative doses."""
    q = as_quantity(value, field=field, unit=unit)
    d = np.asarray(q.to(unit).magnitude, dtype=float)
    if np.any(d < 0):
        shown = ", ".join(f"{v:g}" for v in np.atleast_1d(d)[np.atleast_1d(d < 0)][:5])
        raise InvalidValueError(f"{field}: a dose must be >= 0 {unit}; got {shown} {unit}")
    return d


def _check_reachable(effect: NDArray[np.float64], emax: float, name: str) -> None:
    bad = (effect <= 0) | (effect >= emax)
    if np.any(bad):
        shown = ", ".join(f"{v:g}" for v in np.atleast_1d(effect)[np.atleast_1d(bad)][:5])
        raise InvalidValueError(
            f"effect: {shown} cannot be produced by {name} alone (its effects lie in (0, {emax:g})); "
            "the dose for that effect, and so the combination index, is undefined"
        )


def _log_dose_for_effect(
    log_e: NDArray[np.float64], log_rest: NDArray[np.float64], ed50: float, hill: float
) -> NDArray[np.float64]:
    """ln D(E) = ln D50 + (ln E - ln(Emax - E)) / h."""
    out: NDArray[np.float64] = np.log(ed50) + (log_e - log_rest) / hill
    return out


def _chou_grade(ci: NDArray[np.float64]) -> NDArray[np.str_]:
    bounds = np.array([b for b, _ in _CHOU_GRADES])
    names = np.array([n for _, n in _CHOU_GRADES])
    idx = np.searchsorted(bounds, ci, side="left")
    return names[np.minimum(idx, len(names) - 1)]


def _classify_ci(ci: NDArray[np.float64]) -> NDArray[np.str_]:
    low, high = CI_ADDITIVE_BAND
    return np.where(ci < low, "synergy", np.where(ci > high, "antagonism", "additivity"))


class CombinationIndex(BaseModel):
    """Loewe combination index of one or more combinations, with Chou's grading.

    Numeric fields are floats for scalar inputs and lists (broadcast shape) for arrays.
    """

    model_config = ConfigDict(frozen=True)

    drug_a: str
    drug_b: str
    dose_a: Any
    dose_b: Any
    unit_a: str
    unit_b: str
    effect: Any
    """Observed fractional effect of the combination."""
    dose_a_alone: Any
    """:math:`D_A(E)`: dose of A alone for the same effect (``unit_a``)."""
    dose_b_alone: Any
    combination_index: Any
    dose_reduction_index_a: Any
    """:math:`D_A(E) / d_A` (Chou 2006); ``inf`` where ``d_A`` is 0 (``null`` in JSON)."""
    dose_reduction_index_b: Any
    classification: Any
    """``"synergy"`` (CI < 0.90), ``"additivity"`` (0.90-1.10) or ``"antagonism"`` (CI > 1.10)."""
    description: Any
    """Chou's (2006) grade, e.g. ``"moderate synergism"``."""
    basis: list[str]


def loewe_combination_index(
    dose_a: Any,
    dose_b: Any,
    effect: Any,
    curve_a: DoseEffectCurve,
    curve_b: DoseEffectCurve,
) -> CombinationIndex:
    """Combination index of a two-drug combination under Loewe additivity (Chou-Talalay).

    .. math::

        CI = \\frac{d_A}{D_A(E)} + \\frac{d_B}{D_B(E)}, \\qquad
        D_X(E) = D_{50,X} \\left(\\frac{E}{E_{max,X} - E}\\right)^{1/h_X}

    Parameters
    ----------
    dose_a, dose_b : str or pint.Quantity
        Doses (or concentrations) of A and B in the combination, >= 0, each with the dimension of
        its curve's ``ed50``; array-valued quantities broadcast.
    effect : float or array_like
        Observed fractional effect of the combination, in (0, emax) of both curves.
    curve_a, curve_b : DoseEffectCurve
        Each drug's dose-effect curve alone.

    Returns
    -------
    CombinationIndex
        ``combination_index``, ``classification`` (band :data:`CI_ADDITIVE_BAND`), Chou's
        ``description``, the single-drug equi-effective doses and dose-reduction indices.

    Raises
    ------
    UnitError
        If a dose has no unit or another dimension than its curve's ``ed50``.
    InvalidValueError
        If a dose is negative, the effect is outside (0, emax) of either curve (that drug alone
        cannot produce it, so :math:`D(E)` is undefined), or a curve parameter is out of range.

    See Also
    --------
    isobologram : the additive isobole as a table.
    loewe_additive_effect : the effect Loewe additivity predicts for a dose pair.
    bliss : the Bliss-independence reference.

    References
    ----------
    1. Loewe S, Muischnek H (1926) Über Kombinationswirkungen. Arch Exp Pathol Pharmakol
       114:313-326.
    2. Chou TC, Talalay P (1984) Quantitative analysis of dose-effect relationships: the combined
       effects of multiple drugs or enzyme inhibitors. Adv Enzyme Regul 22:27-55.
       doi:10.1016/0065-2571(84)90007-4.
    3. Chou TC (2006) Theoretical basis, experimental design, and computerized simulation of
       synergism and antagonism in drug combination studies. Pharmacol Rev 58:621-681.
       PMID 16968952.

    Examples
    --------
    >>> a = DoseEffectCurve(ed50="10 mg", name="A")
    >>> b = DoseEffectCurve(ed50="2 mg", name="B")
    >>> r = loewe_combination_index("2.5 mg", "0.5 mg", 0.5, a, b)
    >>> r.combination_index, r.classification, r.description
    (0.5, 'synergy', 'synergism')
    >>> loewe_combination_index("5 mg", "1 mg", 0.5, a, b).classification
    'additivity'
    >>> loewe_combination_index(5, "1 mg", 0.5, a, b)
    Traceback (most recent call last):
    ...
    allostasis.errors.UnitError: dose_a: a bare number (5) has no unit; give a quantity such as '5 milligram'
    """
    ed50_a, unit_a, hill_a, emax_a = _curve_parameters(curve_a, "curve_a")
    ed50_b, unit_b, hill_b, emax_b = _curve_parameters(curve_b, "curve_b")
    da = _dose(dose_a, "dose_a", unit_a)
    db = _dose(dose_b, "dose_b", unit_b)
    e = _fraction(effect, "effect")
    _check_reachable(e, emax_a, curve_a.name)
    _check_reachable(e, emax_b, curve_b.name)
    da, db, e = np.broadcast_arrays(da, db, e)
    big_a = np.exp(_log_dose_for_effect(np.log(e), np.log(emax_a - e), ed50_a, hill_a))
    big_b = np.exp(_log_dose_for_effect(np.log(e), np.log(emax_b - e), ed50_b, hill_b))
    ci = da / big_a + db / big_b
    with np.errstate(divide="ignore", over="ignore"):
        dri_a = np.where(da > 0, big_a / np.where(da > 0, da, 1.0), np.inf)
        dri_b = np.where(db > 0, big_b / np.where(db > 0, db, 1.0), np.inf)
    low, high = CI_ADDITIVE_BAND
    return CombinationIndex(
        drug_a=curve_a.name,
        drug_b=curve_b.name,
        dose_a=_pack(da),
        dose_b=_pack(db),
        unit_a=unit_a,
        unit_b=unit_b,
        effect=_pack(e),
        dose_a_alone=_pack(big_a),
        dose_b_alone=_pack(big_b),
        combination_index=_pack(ci),
        dose_reduction_index_a=_pack(dri_a),
        dose_reduction_index_b=_pack(dri_b),
        classification=_pack_labels(_classify_ci(ci)),
        description=_pack_labels(_chou_grade(ci)),
        basis=[
            "combination index CI = d_A/D_A(E) + d_B/D_B(E) (Loewe additivity, mutually exclusive form)",
            "D_X(E) = ED50_X * (E/(Emax_X - E))^(1/h_X) (Hill dose-effect curve inverted)",
            f"{curve_a.name}: ED50 {ed50_a:g} {unit_a}, h {hill_a:g}, Emax {emax_a:g}; "
            f"{curve_b.name}: ED50 {ed50_b:g} {unit_b}, h {hill_b:g}, Emax {emax_b:g}",
            f"synergy if CI < {low:g}, antagonism if CI > {high:g}, additivity otherwise; "
            "size graded on Chou's (2006) scale",
            *_REFERENCES,
        ],
    )


def loewe_additive_effect(
    dose_a: Any,
    dose_b: Any,
    curve_a: DoseEffectCurve,
    curve_b: DoseEffectCurve,
) -> Any:
    """Effect that Loewe additivity predicts for a dose pair (the additive response surface).

    Solves for :math:`E` in

    .. math:: \\frac{d_A}{D_A(E)} + \\frac{d_B}{D_B(E)} = 1

    by bisection on :math:`x = \\operatorname{logit}(E / E_{max,min})`, which is exact to rounding
    for every dose pair (vectorised, no starting guess).

    Parameters
    ----------
    dose_a, dose_b : str or pint.Quantity
        Doses of A and B, >= 0, with the dimension of each curve's ``ed50``; arrays broadcast.
    curve_a, curve_b : DoseEffectCurve
        Each drug's dose-effect curve alone.

    Returns
    -------
    float or numpy.ndarray
        Fractional effect in [0, min(emax_A, emax_B)), shape of the broadcast doses; 0 where both
        doses are 0; ``nan`` where Loewe additivity is undefined, i.e. when the drug with the
        higher Emax alone already exceeds the lower Emax (the isobole does not exist there).

    Raises
    ------
    UnitError, InvalidValueError
        As for :func:`loewe_combination_index`.

    References
    ----------
    1. Loewe S, Muischnek H (1926) Über Kombinationswirkungen. Arch Exp Pathol Pharmakol
       114:313-326.
    2. Greco WR, Bravo G, Parsons JC (1995) The search for synergy: a critical review from a
       response surface perspective. Pharmacol Rev 47:331-385. PMID 7568331.

    Examples
    --------
    Half the ED50 of each drug together gives the effect of one ED50 of either:

    >>> a = DoseEffectCurve(ed50="10 mg", hill=1.5)
    >>> b = DoseEffectCurve(ed50="2 mg", hill=0.8)
    >>> round(loewe_additive_effect("5 mg", "1 mg", a, b), 12)
    0.5
    >>> loewe_additive_effect("5 mg", "-1 mg", a, b)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: dose_b: a dose must be >= 0 milligram; got -1 milligram
    """
    ed50_a, unit_a, hill_a, emax_a = _curve_parameters(curve_a, "curve_a")
    ed50_b, unit_b, hill_b, emax_b = _curve_parameters(curve_b, "curve_b")
    da, db = np.broadcast_arrays(_dose(dose_a, "dose_a", unit_a), _dose(dose_b, "dose_b", unit_b))
    emin = min(emax_a, emax_b)

    def excess(x: NDArray[np.float64]) -> NDArray[np.float64]:
        log_e = np.log(emin) + log_expit(x)
        rest_tail = emin * np.exp(log_expit(-x))  # emin - E, without cancellation
        terms = np.zeros_like(x)
        for d, ed50, hill, emax in ((da, ed50_a, hill_a, emax_a), (db, ed50_b, hill_b, emax_b)):
            log_rest = np.log((emax - emin) + rest_tail)
            log_big = _log_dose_for_effect(log_e, log_rest, ed50, hill)
            with np.errstate(over="ignore", invalid="ignore"):
                terms = terms + np.where(d > 0, d * np.exp(-log_big), 0.0)
        return terms - 1.0

    lo = np.full(da.shape, -_LOGIT_BOUND)
    hi = np.full(da.shape, _LOGIT_BOUND)
    for _ in range(_BISECTION_STEPS):
        mid = 0.5 * (lo + hi)
        above = excess(mid) > 0  # still too little effect for the doses: root lies higher
        lo = np.where(above, mid, lo)
        hi = np.where(above, hi, mid)
    x = 0.5 * (lo + hi)
    e = emin * np.exp(log_expit(x))
    e = np.where((da == 0) & (db == 0), 0.0, e)
    undefined = (excess(np.full(da.shape, _LOGIT_BOUND)) >= 0) & ~((da == 0) & (db == 0))
    e = np.where(undefined, np.nan, e)
    return float(e) if e.ndim == 0 else e


def isobologram(
    curve_a: DoseEffectCurve,
    curve_b: DoseEffectCurve,
    effect: Any,
    *,
    n_points: int = 51,
) -> pd.DataFrame:
    """Loewe-additive isoboles: the dose pairs that are exactly additive for each effect level.

    .. math:: d_B = D_B(E) \\left(1 - \\frac{d_A}{D_A(E)}\\right), \\quad 0 \\le d_A \\le D_A(E)

    Parameters
    ----------
    curve_a, curve_b : DoseEffectCurve
        Each drug's dose-effect curve alone.
    effect : float or sequence of float
        Effect level(s) of the isoboles, each in (0, emax) of both curves.
    n_points : int, default 51
        Points per isobole, >= 2.

    Returns
    -------
    pandas.DataFrame
        ``n_effects * n_points`` rows with columns ``effect``, ``fraction_a`` (share of the dose
        taken by A along the isobole, 1 to 0), ``dose_a``, ``dose_b``; units in
        ``df.attrs["units"]``. A combination plotted below its effect's isobole is synergistic.

    Raises
    ------
    InvalidValueError
        If an effect is outside (0, emax) or ``n_points`` < 2.

    References
    ----------
    1. Loewe S, Muischnek H (1926) Über Kombinationswirkungen. Arch Exp Pathol Pharmakol
       114:313-326.
    2. Chou TC (2006) Pharmacol Rev 58:621-681. PMID 16968952.

    Examples
    --------
    >>> a = DoseEffectCurve(ed50="10 mg", name="A")
    >>> b = DoseEffectCurve(ed50="2 mg", name="B")
    >>> df = isobologram(a, b, 0.5, n_points=3)
    >>> df[["fraction_a", "dose_a", "dose_b"]].to_numpy().tolist()
    [[1.0, 10.0, 0.0], [0.5, 5.0, 1.0], [0.0, 0.0, 2.0]]
    >>> df.attrs["units"]["dose_a"]
    'milligram'
    >>> isobologram(a, b, 1.0)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: effect: 1 cannot be produced by A alone (its effects lie in (0, 1)); the dose for that effect, and so the combination index, is undefined
    """
    ed50_a, unit_a, hill_a, emax_a = _curve_parameters(curve_a, "curve_a")
    ed50_b, unit_b, hill_b, emax_b = _curve_parameters(curve_b, "curve_b")
    if int(n_points) < 2:
        raise InvalidValueError(f"n_points: must be >= 2; got {n_points}")
    e = np.atleast_1d(_fraction(effect, "effect")).ravel()
    _check_reachable(e, emax_a, curve_a.name)
    _check_reachable(e, emax_b, curve_b.name)
    big_a = np.exp(_log_dose_for_effect(np.log(e), np.log(emax_a - e), ed50_a, hill_a))
    big_b = np.exp(_log_dose_for_effect(np.log(e), np.log(emax_b - e), ed50_b, hill_b))
    frac = np.linspace(1.0, 0.0, int(n_points))
    df = pd.DataFrame(
        {
            "effect": np.repeat(e, len(frac)),
            "fraction_a": np.tile(frac, len(e)),
            "dose_a": (big_a[:, None] * frac[None, :]).ravel(),
            "dose_b": (big_b[:, None] * (1.0 - frac)[None, :]).ravel(),
        }
    )
    df.attrs["units"] = {
        "effect": "fraction",
        "fraction_a": "fraction",
        "dose_a": unit_a,
        "dose_b": unit_b,
    }
    df.attrs["reference"] = "loewe additivity"
    df.attrs["drugs"] = {"dose_a": curve_a.name, "dose_b": curve_b.name}
    return df
