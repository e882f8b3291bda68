"""Symptom domains mapped from the excitation/inhibition balance index (modelling assumptions).

Each withdrawal domain's severity (0 none, 1 maximal) is a Hill function of the positive part of
the balance index :math:`X` (see ``_balance``):

.. math::

    \\sigma_d(X) = \\frac{X_+^{h_d}}{X_{50,d}^{h_d} + X_+^{h_d}}, \\qquad X_+ = \\max(X, 0)

The ladder was rescaled (x 0.4) with the in-vivo potency calibration, whose index range is smaller
(an abrupt stop of alprazolam 2 mg/day peaks at about 0.13). Domains with lower :math:`X_{50}` appear first as excitation rises. The order (anxiety and insomnia
first; tremor and sensory hypersensitivity at larger imbalance; seizures only after abrupt cessation
of high doses) follows the clinical descriptions in Ashton (2002) and the domain table of the 2025
Joint Clinical Practice Guideline (Brunner et al. 2025, Table 3); the numbers themselves are
**modelling assumptions**, not fits to symptom-scale data. Heart rate is
:math:`HR = HR_0 + \\Delta HR_{max}\\, \\sigma_{autonomic}`. The seizure-risk flag is
:math:`X \\ge X_{seizure}`.

References
----------
1. Ashton CH (2002). Benzodiazepines: how they work and how to withdraw (the Ashton Manual).
2. Brunner E et al. (2025). Joint clinical practice guideline on benzodiazepine tapering.
   J Gen Intern Med. doi:10.1007/s11606-025-09499-2
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from allostasis.errors import InvalidValueError

__all__ = [
    "BASELINE_HEART_RATE_BPM",
    "MAX_HEART_RATE_RISE_BPM",
    "SEIZURE_INDEX_THRESHOLD",
    "SYMPTOM_DOMAINS",
    "SymptomDomain",
    "heart_rate",
    "seizure_risk",
    "symptom_severity",
]


@dataclass(frozen=True)
class SymptomDomain:
    """A withdrawal symptom domain and its mapping from the balance index."""

    name: str
    x50: float
    hill: float
    description: str


#: Domains in order of appearance; x50 and hill are modelling assumptions (see module docstring).
SYMPTOM_DOMAINS: Final[tuple[SymptomDomain, ...]] = (
    SymptomDomain("anxiety", 0.06, 2.0, "anxiety, panic, irritability, arousal"),
    SymptomDomain("insomnia", 0.072, 2.0, "insomnia, nightmares"),
    SymptomDomain("autonomic", 0.10, 2.0, "tachycardia, sweating, raised blood pressure"),
    SymptomDomain("cognitive", 0.12, 2.0, "poor concentration, memory, confusion"),
    SymptomDomain("tremor", 0.14, 2.0, "tremor, twitches, muscle stiffness"),
    SymptomDomain("sensory", 0.16, 2.0, "hypersensitivity to light, sound, touch; paraesthesia"),
)

#: Balance index at or above which the seizure-risk flag is raised -- modelling assumption, NOT
#: fitted to seizure data (none exist on this scale) nor to any one withdrawal scenario. Anchor:
#: 90% of the dependence ceiling of a high therapeutic dose, i.e. of the drug-free index after
#: months of alprazolam 2 mg/day = diazepam 40 mg/day (0.18 with the in-vivo calibration), so the
#: flag needs nearly all of such a dependence unmasked at once -- the clinical setting of
#: withdrawal seizures (flumazenil in dependent patients; abrupt stop of high doses; Ashton 2002).
#: It is also the top of the symptom ladder (sensory x50). Which scenarios cross it is an output,
#: pinned in tests/engine/test_phenomena.py (abrupt stop of 2 mg/day alprazolam: 0.13, below).
SEIZURE_INDEX_THRESHOLD: Final = 0.16
#: Resting heart rate (beats/min) of the reference adult -- modelling assumption.
BASELINE_HEART_RATE_BPM: Final = 70.0
#: Largest withdrawal rise in heart rate (beats/min) -- modelling assumption (tachycardia > 100/min
#: in severe withdrawal).
MAX_HEART_RATE_RISE_BPM: Final = 40.0


def _index(value: Any) -> np.ndarray:
    try:
        x = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InvalidValueError(f"index: must be a number; got {value!r}") from None
    if np.any(~np.isfinite(x)):
        raise InvalidValueError(f"index: must be finite; got {value!r}")
    return x


def severity_kernel(index: np.ndarray, x50: float, hill: float) -> np.ndarray:
    """Hill severity of the positive part of the index (kernel form)."""
    xp = np.maximum(index, 0.0) ** hill
    return np.asarray(xp / (x50**hill + xp))


def symptom_severity(index: Any) -> dict[str, np.ndarray]:
    """Severity (0-1) of each withdrawal symptom domain from the balance index.

    .. math:: \\sigma_d(X) = \\frac{X_+^{h_d}}{X_{50,d}^{h_d} + X_+^{h_d}}

    Parameters
    ----------
    index : float or array
        Balance index X (dimensionless), any shape.

    Returns
    -------
    dict of str to numpy.ndarray
        One array per domain in :data:`SYMPTOM_DOMAINS`, shape of ``index``.

    Raises
    ------
    InvalidValueError
        If the index is not finite.

    References
    ----------
    1. Ashton CH (2002). The Ashton Manual.

    Examples
    --------
    >>> s = symptom_severity(0.15)
    >>> round(float(s["anxiety"]), 3), round(float(s["sensory"]), 3)
    (0.862, 0.468)
    >>> float(symptom_severity(-0.3)["anxiety"])
    0.0
    """
    x = _index(index)
    return {d.name: severity_kernel(x, d.x50, d.hill) for d in SYMPTOM_DOMAINS}


def heart_rate(index: Any) -> np.ndarray:
    """Heart rate (beats/min) from the balance index via the autonomic domain.

    .. math:: HR = HR_0 + \\Delta HR_{max}\\, \\sigma_{autonomic}(X)

    Parameters
    ----------
    index : float or array
        Balance index X.

    Returns
    -------
    numpy.ndarray
        Heart rate in beats/min (70 at X <= 0).

    Examples
    --------
    >>> float(heart_rate(0.1))
    90.0
    """
    dom = next(d for d in SYMPTOM_DOMAINS if d.name == "autonomic")
    return BASELINE_HEART_RATE_BPM + MAX_HEART_RATE_RISE_BPM * severity_kernel(
        _index(index), dom.x50, dom.hill
    )


def seizure_risk(index: Any, threshold: float = SEIZURE_INDEX_THRESHOLD) -> np.ndarray:
    """Seizure-risk flag: the balance index at or above ``threshold``.

    .. math:: \\text{flag} = [X \\ge X_{seizure}]

    Parameters
    ----------
    index : float or array
        Balance index X.
    threshold : float
        Index threshold, > 0 (default :data:`SEIZURE_INDEX_THRESHOLD`, a modelling assumption).

    Returns
    -------
    numpy.ndarray of bool

    Raises
    ------
    InvalidValueError
        If the threshold is not > 0.

    Examples
    --------
    >>> seizure_risk([0.1, 0.4]).tolist()
    [False, True]
    >>> seizure_risk(0.5, threshold=0)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: threshold: must be > 0 (balance index units); got 0
    """
    if not float(threshold) > 0:
        raise InvalidValueError(f"threshold: must be > 0 (balance index units); got {threshold!r}")
    return np.asarray(_index(index) >= float(threshold))
