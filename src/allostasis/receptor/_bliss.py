"""Bliss independence: the expected effect of two drugs that act independently.

.. math:: E_{AB} = E_A + E_B - E_A E_B = 1 - (1 - E_A)(1 - E_B)

for fractional effects :math:`E \\in [0, 1]` (fraction of the system affected: inhibition,
sedation, kill). Drug B acts on the part that drug A left unaffected (Bliss 1939). A combination
is *Bliss synergistic* when its observed effect exceeds :math:`E_{AB}` and *Bliss antagonistic*
when it falls short; the Saariselkä consensus asks that the reference model be named with the word
(Greco, Bravo & Parsons 1995; Tang, Wennerberg & Aittokallio 2015).

This module also holds :class:`CombinationExcess`, the result shared by the two "excess over a
reference" models (Bliss and highest single agent), and the tolerance that separates synergy from
additivity.
"""

from __future__ import annotations

from typing import Any, Final, Literal

import numpy as np
import pandas as pd
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict

from allostasis.errors import InvalidValueError

__all__ = [
    "EXCESS_TOLERANCE",
    "CombinationExcess",
    "bliss",
    "bliss_expected",
]

#: Half-width (fractional effect units) of the band around the reference model inside which an
#: observed combination is called additive. Modelling assumption, not a published constant: a
#: deviation smaller than 5 percentage points is within the replicate error typical of plate
#: read-outs and rating scales. SynergyFinder uses a wider band (|score| <= 10 on a 0-100 scale,
#: Ianevski et al. 2017 Bioinformatics 33:2413, doi:10.1093/bioinformatics/btx162). Set it from
#: your own replicate standard deviation where you have one.
EXCESS_TOLERANCE: Final[float] = 0.05

Interaction = Literal["synergy", "additivity", "antagonism"]

_BLISS_REFERENCES: Final[list[str]] = [
    "Bliss CI (1939) The toxicity of poisons applied jointly. Ann Appl Biol 26:585-615",
    "Tang J, Wennerberg K, Aittokallio T (2015) What is synergy? The Saariselkä agreement "
    "revisited. Front Pharmacol 6:181, doi:10.3389/fphar.2015.00181",
]


def _fraction(value: Any, field: str) -> NDArray[np.float64]:
    """``value`` as a float array, every element a finite fraction in [0, 1]; else an error naming ``field``."""
    if isinstance(value, bool) or value is None or isinstance(value, str):
        raise InvalidValueError(
            f"{field}: must be a fraction in [0, 1] (a plain number, not a quantity); got {value!r}"
        )
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InvalidValueError(
            f"{field}: must be a fraction in [0, 1] (a plain number, not a quantity); got {value!r}"
        ) from None
    bad = ~np.isfinite(arr) | (arr < 0.0) | (arr > 1.0)
    if np.any(bad):
        shown = ", ".join(f"{v:g}" for v in np.atleast_1d(arr)[np.atleast_1d(bad)][:5])
        raise InvalidValueError(f"{field}: must be a fraction in [0, 1]; got {shown}")
    return arr


def _pack(arr: NDArray[np.float64]) -> Any:
    """A 0-d array as a float, anything else as a (nested) list, so results serialise to JSON."""
    return float(arr) if arr.ndim == 0 else arr.tolist()


def _pack_labels(labels: NDArray[np.str_]) -> Any:
    return str(labels) if labels.ndim == 0 else labels.tolist()


def classify_excess(excess: NDArray[np.float64], tolerance: float) -> NDArray[np.str_]:
    """'synergy' where excess > tolerance, 'antagonism' where < -tolerance, else 'additivity'."""
    return np.where(
        excess > tolerance, "synergy", np.where(excess < -tolerance, "antagonism", "additivity")
    )


def _tolerance(tolerance: float) -> float:
    tol = float(_fraction(tolerance, "tolerance"))
    return tol


class CombinationExcess(BaseModel):
    """Observed combination effect against a reference (no-interaction) model.

    Numeric fields are floats for scalar inputs and (nested) lists for array inputs, in the
    broadcast shape of the inputs. ``observed``, ``excess`` and ``classification`` are ``None`` when
    no observed effect was given.
    """

    model_config = ConfigDict(frozen=True)

    reference: str
    """The no-interaction model: ``"bliss"`` or ``"highest single agent"``."""
    effect_a: Any
    effect_b: Any
    expected: Any
    """Effect the reference model expects for the combination (fraction)."""
    observed: Any = None
    excess: Any = None
    """``observed - expected`` (fraction; > 0 means more effect than expected)."""
    classification: Any = None
    """``"synergy"``, ``"additivity"`` or ``"antagonism"`` (per element for arrays)."""
    tolerance: float
    """Half-width of the additivity band (fraction)."""
    basis: list[str]

    def to_dataframe(self) -> pd.DataFrame:
        """One row per combination, one column per field (fractions in ``df.attrs["units"]``)."""
        cols = ["effect_a", "effect_b", "expected", "observed", "excess", "classification"]
        data: dict[str, Any] = {}
        for c in cols:
            v = getattr(self, c)
            if v is not None:
                data[c] = np.ravel(np.asarray(v))
        df = pd.DataFrame(data)
        df.attrs["units"] = {c: "fraction" for c in data if c != "classification"}
        df.attrs["reference"] = self.reference
        return df


def bliss_expected(effect_a: Any, effect_b: Any) -> Any:
    """Expected fractional effect of two independently acting drugs (Bliss independence).

    .. math:: E_{AB} = E_A + E_B - E_A E_B

    Parameters
    ----------
    effect_a, effect_b : float or array_like
        Fractional effect of each drug alone, in [0, 1]; arrays broadcast (leading subject axis
        where there is one).

    Returns
    -------
    float or numpy.ndarray
        Expected combined effect, in [0, 1], shape of the broadcast inputs (a float for scalars).

    Raises
    ------
    InvalidValueError
        If an effect is outside [0, 1] or not finite.

    See Also
    --------
    bliss : the same expectation compared with an observed combination effect.

    References
    ----------
    1. Bliss CI (1939) The toxicity of poisons applied jointly. Ann Appl Biol 26:585-615.

    Examples
    --------
    >>> round(bliss_expected(0.41, 0.65), 4)
    0.7935
    >>> bliss_expected([0.1, 0.5], 0.5)
    array([0.55, 0.75])
    >>> bliss_expected(41, 0.65)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: effect_a: must be a fraction in [0, 1]; got 41
    """
    a = _fraction(effect_a, "effect_a")
    b = _fraction(effect_b, "effect_b")
    out = 1.0 - (1.0 - a) * (1.0 - b)
    return float(out) if out.ndim == 0 else out


def bliss(
    effect_a: Any,
    effect_b: Any,
    observed: Any = None,
    *,
    tolerance: float = EXCESS_TOLERANCE,
) -> CombinationExcess:
    """Bliss-independence expectation for a combination and, if observed, its excess and class.

    .. math::

        E_{AB} = E_A + E_B - E_A E_B, \\qquad
        \\Delta = E_{obs} - E_{AB}, \\qquad
        \\text{class} = \\begin{cases}
            \\text{synergy} & \\Delta > \\tau \\\\
            \\text{antagonism} & \\Delta < -\\tau \\\\
            \\text{additivity} & \\text{otherwise}
        \\end{cases}

    Parameters
    ----------
    effect_a, effect_b : float or array_like
        Fractional effect of each drug alone, in [0, 1] (fraction of the system affected).
    observed : float or array_like, optional
        Observed fractional effect of the combination, in [0, 1]; broadcasts with the effects.
    tolerance : float, default :data:`EXCESS_TOLERANCE` (0.05)
        Half-width :math:`\\tau` of the additivity band, in fractional-effect units, in [0, 1].

    Returns
    -------
    CombinationExcess
        ``expected`` (:math:`E_{AB}`), and with ``observed``: ``excess`` (:math:`\\Delta`) and
        ``classification``; floats for scalar inputs, lists in the broadcast shape otherwise.

    Raises
    ------
    InvalidValueError
        If an effect, the observed effect or the tolerance is outside [0, 1].

    See Also
    --------
    bliss_expected : the formula alone, returning arrays.
    hsa_excess : excess over the highest single agent.

    Notes
    -----
    Bliss independence assumes the two drugs act through independent mechanisms, so that their
    probabilities of effect multiply; it is the natural reference for drugs with different
    targets (an opioid at mu receptors and a benzodiazepine at GABA-A receptors). For drugs that
    act like dilutions of one another, use Loewe additivity (:func:`loewe_combination_index`).

    References
    ----------
    1. Bliss CI (1939) The toxicity of poisons applied jointly. Ann Appl Biol 26:585-615.
    2. Greco WR, Bravo G, Parsons JC (1995) The search for synergy: a critical review from a
       response surface perspective. Pharmacol Rev 47:331-385. PMID 7568331.
    3. Tang J, Wennerberg K, Aittokallio T (2015) What is synergy? The Saariselkä agreement
       revisited. Front Pharmacol 6:181. doi:10.3389/fphar.2015.00181.

    Examples
    --------
    The seed's opioid (0.41) and benzodiazepine (0.65) sedation:

    >>> r = bliss(0.41, 0.65)
    >>> round(r.expected, 4)
    0.7935
    >>> r = bliss(0.41, 0.65, observed=0.90)
    >>> round(r.excess, 4), r.classification
    (0.1065, 'synergy')
    >>> bliss(0.41, 0.65, observed=[0.6, 0.8, 0.95]).classification
    ['antagonism', 'additivity', 'synergy']
    >>> bliss(0.41, 1.65)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: effect_b: must be a fraction in [0, 1]; got 1.65
    """
    a = _fraction(effect_a, "effect_a")
    b = _fraction(effect_b, "effect_b")
    tol = _tolerance(tolerance)
    expected = 1.0 - (1.0 - a) * (1.0 - b)
    basis = [
        "Bliss independence: E_AB = E_A + E_B - E_A*E_B (fractional effects)",
        *_BLISS_REFERENCES,
    ]
    if observed is None:
        return CombinationExcess(
            reference="bliss",
            effect_a=_pack(a),
            effect_b=_pack(b),
            expected=_pack(expected),
            tolerance=tol,
            basis=basis,
        )
    obs = _fraction(observed, "observed")
    a, b, expected, obs = np.broadcast_arrays(a, b, expected, obs)
    excess = obs - expected
    labels = classify_excess(excess, tol)
    basis.insert(
        1,
        f"excess = observed - E_AB; synergy if excess > {tol:g}, antagonism if < -{tol:g}, "
        "additivity otherwise (tolerance: modelling assumption, see EXCESS_TOLERANCE)",
    )
    return CombinationExcess(
        reference="bliss",
        effect_a=_pack(a),
        effect_b=_pack(b),
        expected=_pack(expected),
        observed=_pack(obs),
        excess=_pack(excess),
        classification=_pack_labels(labels),
        tolerance=tol,
        basis=basis,
    )
