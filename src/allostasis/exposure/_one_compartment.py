"""One-compartment disposition with first-order absorption (and optional metabolites).

.. math::

    \\frac{dA_d}{dt} = -k_a A_d, \\qquad
    \\frac{dA_c}{dt} = k_a A_d - \\frac{CL}{V} A_c, \\qquad C = A_c / V

For a single oral dose D this has the closed form (Bateman function)

.. math::

    C(t) = \\frac{F D k_a}{V (k_a - k)} \\left(e^{-k t} - e^{-k_a t}\\right), \\quad k = CL / V

(Gibaldi & Perrier, *Pharmacokinetics*, 2nd ed., Marcel Dekker 1982, ch. 1), which the tests use.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd

from allostasis.exposure._linear_model import _POSITIVE, LinearCompartmentModel
from allostasis.exposure._parameters import Parameter

__all__ = ["OneCompartment"]


class OneCompartment(LinearCompartmentModel):
    """One-compartment PK model: ``ka``, ``cl``, ``v``, ``f``, ``tlag`` (+ metabolites).

    Compartments: CMT 1 depot, CMT 2 central, CMT 3.. metabolites.

    Examples
    --------
    >>> from allostasis.regimen import every
    >>> from allostasis.exposure import time_grid
    >>> m = OneCompartment(name="drug", ka="1 1/h", cl="5 L/h", v="50 L", f=1.0)
    >>> res = m.simulate(every("100 mg", "24 h", n_doses=1), time_grid("24 h", "12 h"))
    >>> res.to_dataframe()["concentration"].round(4).tolist()
    [0.0, 0.6693, 0.2016]
    >>> OneCompartment(ka="1 1/h", cl="-5 L/h", v="50 L").typical()
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: OneCompartment: 'cl' must be in (0, inf) L/h; got -5 L/h for subject_id 0
    """

    _parent_states: ClassVar[tuple[str, ...]] = ("central",)
    _central_volume: ClassVar[str] = "v"
    _parent_params: ClassVar[dict[str, Parameter]] = {
        "cl": Parameter("cl", "L/h", "systemic clearance", _POSITIVE),
        "v": Parameter("v", "L", "volume of distribution", _POSITIVE),
    }

    def _parent_matrix(self, p: pd.DataFrame) -> np.ndarray:
        k = np.zeros((len(p), 1, 1))
        k[:, 0, 0] = -p["cl"].to_numpy() / p["v"].to_numpy()
        return k
