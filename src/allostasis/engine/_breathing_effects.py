"""Receptor effects at the effect site: MOR activation, GABA-A potentiation, calcium entry.

.. math::

    \\dot C_e = k_{e0} (C_u - C_e), \\quad
    A_{MOR} = \\sum_j \\varepsilon_j \\theta_j, \\quad
    m = \\frac{A}{A + T (1 - A)}, \\quad
    \\Pi = \\frac{E_0(s x_0)}{E_0(x_0)}, \\ s = \\frac{1 + \\alpha y}{1 + y}, \\quad
    c = \\prod_k \\left(1 - w\\, I_{max,k} \\frac{C_{e,k}}{C_{e,k} + IC_{50,k}}\\right)

(:math:`\\theta_j` the competitive MOR occupancies, :math:`T` the opioid tolerance factor, alcohol
multiplying :math:`\\Pi`). These are the three inputs of the respiratory network
(``physiology._ventilatory_control``).

References
----------
1. Leach K, Sexton PM, Christopoulos A (2007). Trends Pharmacol Sci 28:382-389.
   doi:10.1016/j.tips.2007.06.004
2. van der Schrier R et al. (2017). Anesthesiology 126:534-542. doi:10.1097/ALN.0000000000001505
3. Fink K et al. (2002). Neuropharmacology 42:229-236. doi:10.1016/S0028-3908(01)00172-1
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np

from allostasis.adaptation._balance import ec20_level, potentiation_kernel
from allostasis.engine._breathing_agents import GABAPENTINOID_RESPIRATORY_WEIGHT, _Agent
from allostasis.engine._breathing_kernel import effect_site, mor_competition
from allostasis.receptor import (
    GABAPENTINOID_FUNCTIONAL_IC50,
    GABAPENTINOID_MAX_ENTRY_REDUCTION,
    gaba_operational_parameters,
)
from allostasis.units import magnitude

__all__ = ["ALCOHOL_GABA_GAIN_PER_G_L", "STEP_MIN", "effects"]

#: Increase of the GABA-A conductance per g/L blood alcohol (1/(g/L)). FITTED: with it oxycodone
#: 20 mg plus 1 g/L ethanol gives 0.84 x the VE55 of oxycodone alone, as observed (15.7 vs
#: 18.6 L/min; van der Schrier et al. 2017). Ethanol acts on many targets; this lumps them.
ALCOHOL_GABA_GAIN_PER_G_L: Final[float] = 0.19

STEP_MIN: Final[float] = 1.0 / 12.0
_ALPHA: Final[float] = (
    2.5  # diazepam affinity cooperativity (Ghansah & Weiss 1999), as in adaptation
)


@dataclass(frozen=True)
class _Effects:
    mor: np.ndarray
    gaba: np.ndarray
    calcium: np.ndarray
    occupancy: dict[str, np.ndarray]


def effects(
    agents: list[_Agent],
    included: set[str],
    sens: np.ndarray,
    tolerance: float,
    alcohol_g_l: float,
    shape: tuple[int, int],
) -> _Effects:
    gp = gaba_operational_parameters()
    x0 = ec20_level(gp["tau"], gp["hill"])
    mor_agents = [a for a in agents if a.mechanism == "mor" and a.name in included]
    occ: dict[str, np.ndarray] = {}
    activation = np.zeros(shape)
    if mor_agents:
        drive = np.empty((shape[0], len(mor_agents), shape[1]))
        for j, a in enumerate(mor_agents):
            ce = effect_site(np.ascontiguousarray(a.cu_nm), a.ke0, STEP_MIN)
            if a.age_sensitive:
                ce = ce * sens[:, None]
            drive[:, j, :] = a.kon * np.maximum(ce, 0.0) ** a.slope
        th = mor_competition(drive, np.array([a.koff for a in mor_agents]), STEP_MIN)
        for j, a in enumerate(mor_agents):
            occ[a.name] = th[:, j, :]
            activation = activation + a.efficacy * th[:, j, :]
    activation = np.clip(activation, 0.0, 1.0)
    mor = activation / (activation + tolerance * (1.0 - activation))
    y = np.zeros(shape)
    for a in agents:
        if a.mechanism == "gaba" and a.name in included:
            y = y + effect_site(np.ascontiguousarray(a.cu_nm), a.ke0, STEP_MIN) * sens[:, None]
    shift = (1.0 + _ALPHA * y) / (1.0 + y)
    gaba = potentiation_kernel(shift, gp["tau"], gp["hill"], x0)
    if "alcohol" in included:
        gaba = gaba * (1.0 + ALCOHOL_GABA_GAIN_PER_G_L * alcohol_g_l)
    ca = np.ones(shape)
    for a in agents:
        if a.mechanism == "a2d" and a.name in included:
            ce = effect_site(np.ascontiguousarray(a.cu_nm), a.ke0, STEP_MIN)
            ic50 = magnitude(
                GABAPENTINOID_FUNCTIONAL_IC50.get(a.name, "17 uM"), field="ic50", unit="nM"
            )
            imax = GABAPENTINOID_MAX_ENTRY_REDUCTION.get(a.name, 0.35)
            ca = ca * (1.0 - GABAPENTINOID_RESPIRATORY_WEIGHT * imax * ce / (ce + ic50))
    return _Effects(mor, np.asarray(gaba), ca, occ)
