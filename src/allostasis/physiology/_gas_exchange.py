"""Alveolar gas exchange: CO2 and O2 stores, alveolar ventilation with dead space, oxygen saturation.

Two well-mixed stores exchange with alveolar ventilation :math:`\\dot V_A` (L/min BTPS):

.. math::

    S_{CO_2} \\frac{dP_{CO_2}}{dt} = 863\\,\\dot V_{CO_2} - \\dot V_A P_{CO_2}, \\qquad
    S_{O_2} \\frac{dP_{AO_2}}{dt} = \\dot V_A (P_{IO_2} - P_{AO_2}) - 863\\,\\dot V_{O_2}

(863 mmHg converts STPD gas flow to BTPS partial pressure; at steady state these are the alveolar
ventilation and alveolar gas equations). Alveolar ventilation is minute ventilation less dead-space
ventilation: :math:`\\dot V_A = f (V_T - V_D)`, zero when the tidal volume does not exceed the dead
space (a physical floor, not a clamp). Arterial PO2 is alveolar less the age-dependent A-a gradient
and saturation follows Severinghaus's oxyhaemoglobin curve.

Values (adult at rest):

- :math:`\\dot V_{CO_2}` 0.2 L/min, :math:`\\dot V_{O_2}` 0.25 L/min, PaCO2 40 mmHg, dead space 30%
  of resting tidal volume (textbook values; West's Respiratory Physiology).
- :math:`S_{CO_2}` = 863 x 0.2 / 3.4 = 50.8 L: PaCO2 rises 3.4 mmHg/min during apnoea after the
  first minute (Stock, Schisler & McSweeney 1989).
- :math:`S_{O_2}(P) = V_{lung} + 863\\, B\\, dS/dP`: the lung store (FRC 2.5 L, 3.0 L in these units)
  plus haemoglobin's O2 (blood O2 capacity B = 1.0 L: 5 L of blood at 200 mL O2/L), which buffers
  PO2 once it falls onto the steep part of the dissociation curve. Both are textbook round values
  (West 2012); the result (SpO2 below 80% about a minute after apnoea on air, below 50% after
  about 2 min) is of the order reported for healthy adults -- a modelling approximation.
- A-a gradient 2.5 + 0.21 x age mmHg (Mellemgaard 1966).

References
----------
1. Stock MC, Schisler JQ, McSweeney TD (1989). The PaCO2 rate of rise in anesthetized patients with
   airway obstruction. J Clin Anesth 1(5):328-332. doi:10.1016/0952-8180(89)90070-6
2. Severinghaus JW (1979). Simple, accurate equations for human blood O2 dissociation computations.
   J Appl Physiol 46(3):599-602. doi:10.1152/jappl.1979.46.3.599
3. Mellemgaard K (1966). The alveolar-arterial oxygen difference: its size and components in normal
   man. Acta Physiol Scand 67(1):10-20. doi:10.1111/j.1748-1716.1966.tb03281.x
4. West JB (2012). Respiratory Physiology: The Essentials, 9th ed. Lippincott Williams & Wilkins.
"""

from __future__ import annotations

from typing import Any, Final

import numba
import numpy as np

from allostasis.errors import InvalidValueError
from allostasis.units import as_quantity

__all__ = [
    "BLOOD_O2_CAPACITY_L",
    "CO2_STORE_L",
    "DEAD_SPACE_FRACTION",
    "GAS_CONSTANT_BTPS",
    "O2_LUNG_STORE_L",
    "PACO2_REST_MMHG",
    "PAO2_INSPIRED_MMHG",
    "VCO2_L_MIN",
    "VO2_L_MIN",
    "aa_gradient",
    "oxygen_saturation",
]

#: STPD -> BTPS conversion for alveolar partial pressures (mmHg): 863.
GAS_CONSTANT_BTPS: Final[float] = 863.0
#: CO2 production and O2 consumption at rest (L/min STPD) -- textbook values (West 2012).
VCO2_L_MIN: Final[float] = 0.2
VO2_L_MIN: Final[float] = 0.25
#: Resting arterial CO2 tension (mmHg).
PACO2_REST_MMHG: Final[float] = 40.0
#: Inspired O2 on room air (mmHg): 0.21 x (760 - 47).
PAO2_INSPIRED_MMHG: Final[float] = 0.21 * (760.0 - 47.0)
#: Dead space as a fraction of resting tidal volume (West 2012: VD/VT about 0.3).
DEAD_SPACE_FRACTION: Final[float] = 0.3
#: Effective CO2 store (L): 863 x 0.2 / 3.4 mmHg/min apnoeic rise (Stock et al. 1989).
CO2_STORE_L: Final[float] = GAS_CONSTANT_BTPS * VCO2_L_MIN / 3.4
#: Lung O2 store at FRC in the BTPS units of the mass balance (L): 2.5 L x 863/713 (West 2012).
O2_LUNG_STORE_L: Final[float] = 2.5 * 863.0 / 713.0
#: O2 carried by haemoglobin at full saturation (L STPD): 5 L blood x 0.2 L O2/L (West 2012).
BLOOD_O2_CAPACITY_L: Final[float] = 1.0
#: Resting alveolar ventilation (L/min BTPS) that holds PaCO2 at 40 mmHg.
ALVEOLAR_VENTILATION_REST: Final[float] = GAS_CONSTANT_BTPS * VCO2_L_MIN / PACO2_REST_MMHG


@numba.njit(cache=True)
def saturation_kernel(po2: float) -> float:
    """Severinghaus 1979 saturation (fraction) from PO2 (mmHg); float kernel."""
    if po2 <= 0.0:
        return 0.0
    return 1.0 / (23400.0 / (po2**3 + 150.0 * po2) + 1.0)


@numba.njit(cache=True)
def gas_step(paco2: float, pao2: float, va: float, dt: float) -> tuple[float, float]:
    """One backward-Euler step (dt in min) of the CO2 and O2 stores at alveolar ventilation va."""
    k = GAS_CONSTANT_BTPS
    p_new = (paco2 + dt * k * VCO2_L_MIN / CO2_STORE_L) / (1.0 + dt * va / CO2_STORE_L)
    u = pao2**3 + 150.0 * pao2
    ds_dp = 23400.0 * (3.0 * pao2**2 + 150.0) / (u + 23400.0) ** 2
    store = O2_LUNG_STORE_L + k * BLOOD_O2_CAPACITY_L * ds_dp
    o_new = (pao2 + dt * (va * PAO2_INSPIRED_MMHG - k * VO2_L_MIN) / store) / (
        1.0 + dt * va / store
    )
    if o_new < 0.0:
        o_new = 0.0
    return p_new, o_new


def aa_gradient(age_years: Any) -> np.ndarray:
    """Alveolar-arterial PO2 difference (mmHg) breathing air: 2.5 + 0.21 x age (Mellemgaard 1966).

    .. math:: P_{A}O_2 - P_{a}O_2 = 2.5 + 0.21\\,\\text{age}

    Parameters
    ----------
    age_years : float or array
        Age in years, 0-120.

    Returns
    -------
    numpy.ndarray

    Raises
    ------
    InvalidValueError
        If an age is outside 0-120 years.

    References
    ----------
    1. Mellemgaard K (1966). Acta Physiol Scand 67:10-20. doi:10.1111/j.1748-1716.1966.tb03281.x

    Examples
    --------
    >>> float(aa_gradient(40))
    10.9
    """
    a = np.asarray(age_years, dtype=float)
    if np.any(~np.isfinite(a)) or np.any(a < 0) or np.any(a > 120):
        raise InvalidValueError(f"age_years: must be in 0-120 years; got {age_years!r}")
    return np.asarray(2.5 + 0.21 * a)


def oxygen_saturation(pao2: Any) -> np.ndarray:
    """Oxyhaemoglobin saturation (fraction) from arterial PO2 (Severinghaus 1979).

    .. math:: S = \\left(\\frac{23400}{P^3 + 150 P} + 1\\right)^{-1}

    Parameters
    ----------
    pao2 : str or pint.Quantity
        Arterial PO2, >= 0, e.g. ``"60 mmHg"``; arrays allowed.

    Returns
    -------
    numpy.ndarray
        Saturation in [0, 1].

    Raises
    ------
    UnitError, InvalidValueError
        On a bare number or a negative pressure.

    References
    ----------
    1. Severinghaus JW (1979). J Appl Physiol 46:599-602. doi:10.1152/jappl.1979.46.3.599

    Examples
    --------
    >>> round(float(oxygen_saturation("60 mmHg")), 3)
    0.906
    >>> round(float(oxygen_saturation("27 mmHg")), 2)
    0.5
    """
    q = as_quantity(pao2, field="pao2", unit="mmHg")
    p = np.asarray(q.to("mmHg").magnitude, dtype=float)
    if np.any(~np.isfinite(p)) or np.any(p < 0):
        raise InvalidValueError(f"pao2: must be >= 0 mmHg; got {pao2!s}")
    return np.asarray(np.vectorize(saturation_kernel, otypes=[float])(p))
