"""Opioid tolerance to respiratory depression: how it builds with use and how abstinence removes it.

Tolerance is a rightward shift of the occupancy-response relation of mu-opioid receptor activation
(loss of effective receptor reserve by desensitisation and internalisation). With receptor
activation :math:`A` (fraction of maximal agonist signal, 0-1) and a tolerance factor
:math:`T \\ge 1`, the signal that reaches the respiratory network is

.. math:: A_{tol} = \\frac{A}{A + T (1 - A)}

so :math:`T` divides the potency (the activation giving half effect rises from 0.5 to
:math:`T/(1+T)`) while a massive overdose (:math:`A \\to 1`) still produces the full effect:
tolerance protects at usual doses but is overwhelmed by a large one, as observed (Algera et al.
2021: apnoea still occurred in tolerant users).

The factor builds toward :math:`T_{chronic}` with continued use and decays back to 1 with
abstinence, first-order in each direction:

.. math::

    T(d_{use}, d_{abst}) = 1 + (T_{chronic} - 1)\\,(1 - e^{-\\ln 2\\, d_{use}/t_{1/2,on}})\\,
        e^{-\\ln 2\\, d_{abst}/t_{1/2,off}}

Values
------
- :data:`CHRONIC_TOLERANCE_FACTOR` = 4.3: fentanyl's effect-site C50 for 50% depression of
  isohypercapnic ventilation was 0.42 ng/mL in 14 opioid-naive volunteers and 1.82 ng/mL in 8
  chronic high-dose opioid users (Algera et al. 2021), a 4.3-fold potency difference.
- :data:`TOLERANCE_LOSS_HALF_LIFE_DAYS` = 3 days: **modelling assumption**. Drug-related deaths
  after release from prison are 3-8 times the later rate in the first two weeks and fall toward it
  over the following weeks (Merrall et al. 2010, meta-analysis); a loss half-life of a few days puts
  most tolerance gone within 1-2 weeks, consistent with that window. Not fitted to a measured
  human time course (none is available for respiratory tolerance).
- :data:`TOLERANCE_GAIN_HALF_LIFE_DAYS` = 7 days: **modelling assumption** (tolerance to
  respiratory depression develops over days to weeks of regular use and more slowly than to
  analgesia; Hill et al. 2020).

References
----------
1. Algera MH, Olofsen E, Moss L, et al. (2021). Tolerance to opioid-induced respiratory depression
   in chronic high-dose opioid users: a model-based comparison with opioid-naive individuals.
   Clin Pharmacol Ther 109(3):637-645. doi:10.1002/cpt.2027
2. Merrall ELC, Kariminia A, Binswanger IA, et al. (2010). Meta-analysis of drug-related deaths
   soon after release from prison. Addiction 105(9):1545-1554. doi:10.1111/j.1360-0443.2010.02990.x
3. Hill R, Santhakumar R, Dewey W, Kelly E, Henderson G (2020). Fentanyl depression of
   respiration: comparison with heroin and morphine. Br J Pharmacol 177(2):254-266.
   doi:10.1111/bph.14860
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from allostasis.errors import InvalidValueError
from allostasis.units import magnitude

__all__ = [
    "CHRONIC_TOLERANCE_FACTOR",
    "TOLERANCE_GAIN_HALF_LIFE_DAYS",
    "TOLERANCE_LOSS_HALF_LIFE_DAYS",
    "OpioidTolerance",
    "apply_tolerance",
    "opioid_tolerance",
    "tolerance_factor",
]

#: Potency shift of respiratory depression in chronic high-dose opioid users (dimensionless):
#: fentanyl C50 1.82 vs 0.42 ng/mL (Algera et al. 2021, Clin Pharmacol Ther 109:637,
#: doi:10.1002/cpt.2027).
CHRONIC_TOLERANCE_FACTOR: Final[float] = 4.3
#: Half-life of tolerance loss during abstinence (days) -- modelling assumption, consistent with
#: the 1-2 week post-release excess mortality (Merrall et al. 2010, doi:10.1111/j.1360-0443.2010.02990.x).
TOLERANCE_LOSS_HALF_LIFE_DAYS: Final[float] = 3.0
#: Half-life of tolerance gain with regular use (days) -- modelling assumption (Hill et al. 2020).
TOLERANCE_GAIN_HALF_LIFE_DAYS: Final[float] = 7.0

_LOST = re.compile(r"^\s*lost\s*:\s*(.+?)\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class OpioidTolerance:
    """A tolerance state: its label, the factor T and how it was computed."""

    label: str
    factor: float
    basis: tuple[str, ...]


def tolerance_factor(
    use_duration: Any = "0 days",
    abstinence: Any = "0 days",
    *,
    chronic_factor: float = CHRONIC_TOLERANCE_FACTOR,
) -> float:
    """Tolerance factor T after ``use_duration`` of regular use then ``abstinence``.

    .. math::

        T = 1 + (T_{c} - 1)(1 - 2^{-d_{use}/t_{on}})\\, 2^{-d_{abst}/t_{off}}

    Parameters
    ----------
    use_duration : str or pint.Quantity
        Length of regular opioid use (>= 0), e.g. ``"6 months"``.
    abstinence : str or pint.Quantity
        Time since the last use (>= 0), e.g. ``"14 days"``.
    chronic_factor : float
        :math:`T_c`, the fully developed factor (>= 1; default 4.3, Algera et al. 2021).

    Returns
    -------
    float
        T >= 1 (1 = opioid-naive).

    Raises
    ------
    UnitError, InvalidValueError
        On a bare number, a non-time quantity, a negative duration or ``chronic_factor`` < 1.

    References
    ----------
    1. Algera MH et al. (2021). Clin Pharmacol Ther 109:637-645. doi:10.1002/cpt.2027

    Examples
    --------
    >>> round(tolerance_factor("1 year"), 2)
    4.3
    >>> round(tolerance_factor("1 year", "14 days"), 2)
    1.13
    >>> tolerance_factor("1 year", "-2 days")
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: abstinence: must be >= 0 day; got -2 day
    """
    use = magnitude(use_duration, field="use_duration", unit="day", minimum=0.0)
    abst = magnitude(abstinence, field="abstinence", unit="day", minimum=0.0)
    if not (math.isfinite(chronic_factor) and chronic_factor >= 1.0):
        raise InvalidValueError(f"chronic_factor: must be a number >= 1; got {chronic_factor!r}")
    built = 1.0 - 2.0 ** (-use / TOLERANCE_GAIN_HALF_LIFE_DAYS)
    kept = 2.0 ** (-abst / TOLERANCE_LOSS_HALF_LIFE_DAYS)
    return float(1.0 + (chronic_factor - 1.0) * built * kept)


def opioid_tolerance(state: str | float = "naive") -> OpioidTolerance:
    """Tolerance from a clinical label: ``"naive"``, ``"chronic"`` or ``"lost:<abstinence>"``.

    .. math:: T_{naive} = 1, \\quad T_{chronic} = 4.3, \\quad
        T_{lost:d} = 1 + (T_{chronic} - 1)\\, 2^{-d / t_{1/2,off}}

    Parameters
    ----------
    state : str or float
        ``"naive"``, ``"chronic"`` (long regular use, fully developed), ``"lost:14d"`` /
        ``"lost:2 weeks"`` (chronic use, then that much abstinence), or a number >= 1 used as T.

    Returns
    -------
    OpioidTolerance

    Raises
    ------
    InvalidValueError
        On an unknown label or a factor < 1.

    Examples
    --------
    >>> opioid_tolerance("chronic").factor
    4.3
    >>> round(opioid_tolerance("lost:14d").factor, 3)
    1.13
    >>> opioid_tolerance("tolerant")
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: tolerance: must be 'naive', 'chronic', 'lost:<time since last use>' (e.g. 'lost:14d') or a number >= 1; got 'tolerant'
    """
    allowed = (
        "must be 'naive', 'chronic', 'lost:<time since last use>' (e.g. 'lost:14d') "
        "or a number >= 1"
    )
    if isinstance(state, int | float) and not isinstance(state, bool):
        if not (math.isfinite(state) and state >= 1.0):
            raise InvalidValueError(f"tolerance: {allowed}; got {state!r}")
        return OpioidTolerance(
            f"factor {state:g}", float(state), (f"tolerance factor T = {state:g} (user-given)",)
        )
    text = str(state).strip().lower()
    src = (
        f"chronic T = {CHRONIC_TOLERANCE_FACTOR:g}: fentanyl C50 1.82 vs 0.42 ng/mL in chronic "
        "users vs naive (Algera et al. 2021, Clin Pharmacol Ther 109:637, doi:10.1002/cpt.2027)"
    )
    if text == "naive":
        return OpioidTolerance("naive", 1.0, ("opioid-naive: T = 1",))
    if text == "chronic":
        return OpioidTolerance("chronic", CHRONIC_TOLERANCE_FACTOR, (src,))
    m = _LOST.match(text)
    if m:
        raw = m.group(1)
        spec = re.sub(r"^(\d+(?:\.\d+)?)\s*d$", r"\1 day", raw)
        spec = re.sub(r"^(\d+(?:\.\d+)?)\s*w$", r"\1 week", spec)
        days = magnitude(spec, field="tolerance (time since last use)", unit="day", minimum=0.0)
        t = tolerance_factor("100 years", f"{days} day")
        return OpioidTolerance(
            f"lost:{days:g}d",
            t,
            (
                src,
                f"after {days:g} days of abstinence T = 1 + ({CHRONIC_TOLERANCE_FACTOR:g} - 1) x "
                f"2^(-{days:g}/{TOLERANCE_LOSS_HALF_LIFE_DAYS:g}) = {t:.3f} (loss half-life "
                f"{TOLERANCE_LOSS_HALF_LIFE_DAYS:g} days: MODELLING ASSUMPTION consistent with the "
                "1-2 week post-release overdose window, Merrall et al. 2010)",
            ),
        )
    raise InvalidValueError(f"tolerance: {allowed}; got {state!r}")


def apply_tolerance(activation: Any, factor: Any) -> np.ndarray:
    """Receptor activation as seen by the network under tolerance T.

    .. math:: A_{tol} = \\frac{A}{A + T (1 - A)}

    Parameters
    ----------
    activation : float or array
        MOR activation in [0, 1].
    factor : float or array
        Tolerance factor T >= 1 (broadcasts; one value per subject with a trailing time axis
        needs shape ``(n_subjects, 1)``).

    Returns
    -------
    numpy.ndarray
        Activation after tolerance, in [0, 1].

    Raises
    ------
    InvalidValueError
        If activation is outside [0, 1] or a factor is < 1.

    Examples
    --------
    >>> apply_tolerance([0.5, 0.99], 4.3).round(3).tolist()
    [0.189, 0.958]
    """
    a = np.asarray(activation, dtype=float)
    t = np.asarray(factor, dtype=float)
    if np.any(~np.isfinite(a)) or np.any(a < 0) or np.any(a > 1):
        raise InvalidValueError(f"activation: must be in [0, 1]; got {activation!r}")
    if np.any(~np.isfinite(t)) or np.any(t < 1):
        raise InvalidValueError(f"factor: must be >= 1; got {factor!r}")
    return np.asarray(a / (a + t * (1.0 - a)))
