"""Highest single agent (HSA): does the combination beat the better of its two drugs?

.. math:: \\Delta_{HSA} = E_{AB} - \\max(E_A, E_B)

Also called Gaddum's non-interaction model (Berenbaum 1989). It is the least demanding reference:
any combination that does better than its best component shows HSA synergy, including a pure
Bliss-independent or Loewe-additive pair, so an HSA "synergy" says the combination is useful, not
that the drugs interact.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from allostasis.receptor._bliss import (
    EXCESS_TOLERANCE,
    CombinationExcess,
    _fraction,
    _pack,
    _pack_labels,
    _tolerance,
    classify_excess,
)

__all__ = ["hsa_excess"]


def hsa_excess(
    effect_a: Any,
    effect_b: Any,
    observed: Any,
    *,
    tolerance: float = EXCESS_TOLERANCE,
) -> CombinationExcess:
    """Excess of an observed combination effect over the highest single agent.

    .. math::

        E_{HSA} = \\max(E_A, E_B), \\qquad \\Delta = E_{obs} - E_{HSA}

    classified as synergy (:math:`\\Delta > \\tau`), antagonism (:math:`\\Delta < -\\tau`, the
    combination is worse than its better drug) or additivity.

    Parameters
    ----------
    effect_a, effect_b : float or array_like
        Fractional effect of each drug alone at the doses used in the combination, in [0, 1].
    observed : float or array_like
        Observed fractional effect of the combination, in [0, 1]. Arrays broadcast.
    tolerance : float, default :data:`EXCESS_TOLERANCE` (0.05)
        Half-width :math:`\\tau` of the additivity band, fractional-effect units, in [0, 1].

    Returns
    -------
    CombinationExcess
        ``reference="highest single agent"``; ``expected`` is :math:`\\max(E_A, E_B)`; floats for
        scalar inputs, lists in the broadcast shape otherwise.

    Raises
    ------
    InvalidValueError
        If an effect or the tolerance is outside [0, 1].

    See Also
    --------
    bliss : the Bliss-independence reference, which expects more than HSA.

    References
    ----------
    1. Berenbaum MC (1989) What is synergy? Pharmacol Rev 41:93-141. PMID 2692037.
    2. Tang J, Wennerberg K, Aittokallio T (2015) What is synergy? The Saariselkä agreement
       revisited. Front Pharmacol 6:181. doi:10.3389/fphar.2015.00181.

    Examples
    --------
    >>> r = hsa_excess(0.41, 0.65, observed=0.79)
    >>> r.expected, round(r.excess, 2), r.classification
    (0.65, 0.14, 'synergy')
    >>> hsa_excess([0.2, 0.5], [0.3, 0.6], observed=[0.31, 0.4]).classification
    ['additivity', 'antagonism']
    >>> hsa_excess(0.41, 0.65, observed=-0.1)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: observed: must be a fraction in [0, 1]; got -0.1
    """
    a = _fraction(effect_a, "effect_a")
    b = _fraction(effect_b, "effect_b")
    obs = _fraction(observed, "observed")
    tol = _tolerance(tolerance)
    a, b, obs = np.broadcast_arrays(a, b, obs)
    expected = np.maximum(a, b)
    excess = obs - expected
    return CombinationExcess(
        reference="highest single agent",
        effect_a=_pack(a),
        effect_b=_pack(b),
        expected=_pack(expected),
        observed=_pack(obs),
        excess=_pack(excess),
        classification=_pack_labels(classify_excess(excess, tol)),
        tolerance=tol,
        basis=[
            "highest single agent: E_HSA = max(E_A, E_B) (fractional effects)",
            f"excess = observed - E_HSA; synergy if excess > {tol:g}, antagonism if < -{tol:g}, "
            "additivity otherwise (tolerance: modelling assumption, see EXCESS_TOLERANCE)",
            "Berenbaum MC (1989) What is synergy? Pharmacol Rev 41:93-141",
        ],
    )
