"""Two-compartment disposition with first-order absorption (and optional metabolites).

.. math::

    \\frac{dA_c}{dt} = k_a A_d - (k_{10} + k_{12}) A_c + k_{21} A_p, \\qquad
    \\frac{dA_p}{dt} = k_{12} A_c - k_{21} A_p,

with :math:`k_{10} = CL/V_1`, :math:`k_{12} = Q/V_1`, :math:`k_{21} = Q/V_2`. After an IV bolus D,
:math:`C(t) = A e^{-\\alpha t} + B e^{-\\beta t}` with
:math:`\\alpha\\beta = k_{10}k_{21}`, :math:`\\alpha + \\beta = k_{10} + k_{12} + k_{21}`,
:math:`A = D(\\alpha - k_{21}) / (V_1(\\alpha - \\beta))`, :math:`B = D(k_{21} - \\beta) / (V_1(\\alpha - \\beta))`
(Gibaldi & Perrier 1982, ch. 2), which the tests use.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd

from allostasis.exposure._linear_model import _POSITIVE, LinearCompartmentModel
from allostasis.exposure._parameters import Parameter

__all__ = ["TwoCompartment"]


class TwoCompartment(LinearCompartmentModel):
    """Two-compartment PK model: ``ka``, ``cl``, ``v1``, ``q``, ``v2``, ``f``, ``tlag`` (+ metabolites).

    Compartments: CMT 1 depot, CMT 2 central, CMT 3 peripheral, CMT 4.. metabolites.

    Examples
    --------
    >>> from allostasis.regimen import iv_bolus
    >>> from allostasis.exposure import time_grid
    >>> m = TwoCompartment(cl="10 L/h", v1="20 L", q="5 L/h", v2="50 L")
    >>> m.simulate(iv_bolus("100 mg"), time_grid("2 h", "1 h")).to_dataframe()["concentration"].round(4).tolist()
    [5.0, 2.399, 1.2069]
    """

    _parent_states: ClassVar[tuple[str, ...]] = ("central", "peripheral")
    _central_volume: ClassVar[str] = "v1"
    _parent_params: ClassVar[dict[str, Parameter]] = {
        "cl": Parameter("cl", "L/h", "systemic clearance from the central compartment", _POSITIVE),
        "v1": Parameter("v1", "L", "central volume", _POSITIVE),
        "q": Parameter("q", "L/h", "intercompartmental clearance", _POSITIVE),
        "v2": Parameter("v2", "L", "peripheral volume", _POSITIVE),
    }

    def _parent_matrix(self, p: pd.DataFrame) -> np.ndarray:
        cl, v1, q, v2 = (p[c].to_numpy() for c in ("cl", "v1", "q", "v2"))
        k = np.zeros((len(p), 2, 2))
        k[:, 0, 0] = -(cl + q) / v1
        k[:, 0, 1] = q / v2
        k[:, 1, 0] = q / v1
        k[:, 1, 1] = -q / v2
        return k
