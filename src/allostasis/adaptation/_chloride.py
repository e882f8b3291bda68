"""Neuronal chloride: KCC2/NKCC1 set intracellular chloride, which sets GABA's reversal and driving force.

Intracellular chloride is a pump-leak steady state (chloride moves in seconds to minutes, far faster
than any adaptation here, so it is treated as algebraic). NKCC1 and passive leak load chloride,
KCC2 extrudes it (Kaila et al. 2014; Doyon et al. 2016):

.. math::

    [Cl^-]_i = \\frac{[Cl^-]_{i,max}}{1 + \\rho\\, a_{KCC2}}

where :math:`a_{KCC2}` is KCC2 activity relative to a healthy adult neuron (1 = normal) and
:math:`[Cl^-]_{i,max}` the level reached with no KCC2 (NKCC1 loading balanced by leak). The GABA-A
channel also passes bicarbonate, so its reversal is the Goldman-Hodgkin-Katz potential for two anions
(Kaila & Voipio 1987; Bormann, Hamill & Sakmann 1987, P_HCO3/P_Cl about 0.2):

.. math::

    E_{GABA} = \\frac{RT}{F} \\ln \\frac{[Cl^-]_i + p [HCO_3^-]_i}{[Cl^-]_o + p [HCO_3^-]_o}

and inhibition scales with GABA's driving force relative to the firing threshold, normalised to the
healthy neuron, :math:`d = (V_{th} - E_{GABA}) / (V_{th} - E_{GABA,0})`.

Calibration (modelling choice): :math:`\\rho` is set so that normal KCC2 gives E_GABA = -75 mV and
:math:`[Cl^-]_{i,max}` so that KCC2 at 10% gives about -50 mV (the depolarised E_GABA of neurons with
impaired KCC2; Kaila et al. 2014, Doyon et al. 2016).

References
----------
1. Kaila K, Price TJ, Payne JA, Puskarjov M, Voipio J (2014). Cation-chloride cotransporters in
   neuronal development, plasticity and disease. Nat Rev Neurosci 15:637-654. doi:10.1038/nrn3819
2. Doyon N, Vinay L, Prescott SA, De Koninck Y (2016). Chloride regulation: a dynamic equilibrium
   crucial for synaptic inhibition. Neuron 89:1157-1172. doi:10.1016/j.neuron.2016.02.030
3. Kaila K, Voipio J (1987). Postsynaptic fall in intracellular pH induced by GABA-activated
   bicarbonate conductance. Nature 330:163-165. doi:10.1038/330163a0
4. Bormann J, Hamill OP, Sakmann B (1987). Mechanism of anion permeation through channels gated by
   glycine and gamma-aminobutyric acid in mouse cultured spinal neurones. J Physiol 385:243-286.
"""

from __future__ import annotations

import math
from typing import Any, Final

import numpy as np

from allostasis.errors import InvalidValueError
from allostasis.units import magnitude

__all__ = [
    "BODY_TEMPERATURE_K",
    "CL_IN_MAX_MM",
    "CL_OUT_MM",
    "E_GABA_NORMAL_MV",
    "FIRING_THRESHOLD_MV",
    "HCO3_IN_MM",
    "HCO3_OUT_MM",
    "KCC2_EXTRUSION_RATIO",
    "P_HCO3_OVER_P_CL",
    "gaba_driving_force",
    "ghk_gaba_reversal",
    "intracellular_chloride",
    "nernst_chloride",
]

#: Gas constant (J/(mol K)) and Faraday constant (C/mol), CODATA 2018.
GAS_CONSTANT: Final = 8.314462618
FARADAY: Final = 96485.33212
#: Body temperature, 37 degC, in K.
BODY_TEMPERATURE_K: Final = 310.15
#: Extracellular chloride (mM): CSF about 120-130 mM (Kaila et al. 2014).
CL_OUT_MM: Final = 130.0
#: Extracellular / intracellular bicarbonate (mM): 25 mM outside (pH 7.4), about 15 mM inside at
#: intracellular pH about 7.2 (Kaila & Voipio 1987).
HCO3_OUT_MM: Final = 25.0
HCO3_IN_MM: Final = 15.0
#: Bicarbonate/chloride permeability ratio of GABA-A channels, 0.2 (Bormann, Hamill & Sakmann 1987;
#: Kaila & Voipio 1987 give 0.2-0.3).
P_HCO3_OVER_P_CL: Final = 0.2
#: E_GABA of a healthy adult neuron with normal KCC2 (mV), about -75 mV (Kaila et al. 2014).
E_GABA_NORMAL_MV: Final = -75.0
#: Intracellular chloride with no KCC2 (mM) -- modelling assumption, chosen so that 10% KCC2 gives
#: E_GABA about -50 mV (Doyon et al. 2016 report -50 to -40 mV in neurons with impaired KCC2).
CL_IN_MAX_MM: Final = 25.0
#: Firing threshold used for the driving force (mV) -- modelling assumption (-55 to -40 mV).
FIRING_THRESHOLD_MV: Final = -40.0

_RT_F_MV: Final = 1000.0 * GAS_CONSTANT * BODY_TEMPERATURE_K / FARADAY


def _cl_in_for_e_gaba(e_mv: float) -> float:
    ratio = math.exp(e_mv / _RT_F_MV)
    return ratio * (CL_OUT_MM + P_HCO3_OVER_P_CL * HCO3_OUT_MM) - P_HCO3_OVER_P_CL * HCO3_IN_MM


#: KCC2 extrusion-to-loading ratio rho at normal KCC2 (derived: normal KCC2 -> E_GABA = -75 mV).
KCC2_EXTRUSION_RATIO: Final = CL_IN_MAX_MM / _cl_in_for_e_gaba(E_GABA_NORMAL_MV) - 1.0


def _as_array(value: Any, field: str) -> np.ndarray:
    try:
        out = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InvalidValueError(f"{field}: must be a number >= 0; got {value!r}") from None
    if np.any(~np.isfinite(out)) or np.any(out < 0):
        raise InvalidValueError(
            f"{field}: must be a finite number >= 0 (1 = normal); got {value!r}"
        )
    return out


def nernst_chloride(cl_in: Any, cl_out: Any = "130 mM") -> Any:
    """Nernst equilibrium potential of chloride (mV) at 37 degC.

    .. math:: E_{Cl} = \\frac{RT}{F} \\ln \\frac{[Cl^-]_i}{[Cl^-]_o}

    Parameters
    ----------
    cl_in : str or pint.Quantity
        Intracellular chloride, > 0 (e.g. ``"5 mM"``); arrays broadcast.
    cl_out : str or pint.Quantity
        Extracellular chloride, > 0 (default ``"130 mM"``).

    Returns
    -------
    float or numpy.ndarray
        E_Cl in mV, shape of the broadcast inputs.

    Raises
    ------
    UnitError
        On a bare number or a non-molar quantity.
    InvalidValueError
        On a concentration <= 0.

    References
    ----------
    1. Kaila K et al. (2014). Nat Rev Neurosci 15:637-654. doi:10.1038/nrn3819

    Examples
    --------
    >>> round(float(nernst_chloride("5 mM")), 1)
    -87.1
    >>> nernst_chloride(5)
    Traceback (most recent call last):
    ...
    allostasis.errors.UnitError: cl_in: a bare number (5) has no unit; give a quantity such as '5 mM'
    """
    ci = magnitude(cl_in, field="cl_in", unit="mM", strictly_positive=True)
    co = magnitude(cl_out, field="cl_out", unit="mM", strictly_positive=True)
    return _RT_F_MV * np.log(np.asarray(ci) / np.asarray(co))


def ghk_gaba_reversal(
    cl_in: Any,
    *,
    cl_out: Any = "130 mM",
    hco3_in: Any = "15 mM",
    hco3_out: Any = "25 mM",
    permeability_ratio: float = P_HCO3_OVER_P_CL,
) -> Any:
    """GABA-A reversal potential (mV) from the GHK equation for chloride and bicarbonate.

    .. math::

        E_{GABA} = \\frac{RT}{F} \\ln \\frac{[Cl^-]_i + p [HCO_3^-]_i}{[Cl^-]_o + p [HCO_3^-]_o}

    Parameters
    ----------
    cl_in : str or pint.Quantity
        Intracellular chloride, > 0.
    cl_out, hco3_in, hco3_out : str or pint.Quantity
        Other anion concentrations, > 0 (defaults 130, 15 and 25 mM).
    permeability_ratio : float
        :math:`p = P_{HCO_3}/P_{Cl}`, in [0, 1] (default 0.2, Bormann et al. 1987).

    Returns
    -------
    float or numpy.ndarray
        E_GABA in mV.

    Raises
    ------
    UnitError, InvalidValueError
        On bare numbers, non-positive concentrations or a ratio outside [0, 1].

    References
    ----------
    1. Kaila K, Voipio J (1987). Nature 330:163-165. doi:10.1038/330163a0
    2. Bormann J, Hamill OP, Sakmann B (1987). J Physiol 385:243-286.

    Examples
    --------
    >>> round(float(ghk_gaba_reversal("5.2 mM")), 1)
    -74.9
    >>> ghk_gaba_reversal("5 mM", permeability_ratio=1.5)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: permeability_ratio: must be in [0, 1] (P_HCO3/P_Cl); got 1.5
    """
    p = float(permeability_ratio)
    if not 0.0 <= p <= 1.0:
        raise InvalidValueError(
            f"permeability_ratio: must be in [0, 1] (P_HCO3/P_Cl); got {permeability_ratio!r}"
        )
    ci = np.asarray(magnitude(cl_in, field="cl_in", unit="mM", strictly_positive=True))
    co = magnitude(cl_out, field="cl_out", unit="mM", strictly_positive=True)
    bi = magnitude(hco3_in, field="hco3_in", unit="mM", strictly_positive=True)
    bo = magnitude(hco3_out, field="hco3_out", unit="mM", strictly_positive=True)
    return _RT_F_MV * np.log((ci + p * bi) / (co + p * bo))


def intracellular_chloride(kcc2_activity: Any) -> Any:
    """Steady-state intracellular chloride (mM) for a KCC2 activity relative to normal.

    .. math:: [Cl^-]_i = \\frac{[Cl^-]_{i,max}}{1 + \\rho\\, a_{KCC2}}

    Parameters
    ----------
    kcc2_activity : float or array
        KCC2 activity relative to a healthy adult neuron, >= 0 (1 = normal, 0 = none).

    Returns
    -------
    float or numpy.ndarray
        Intracellular chloride in mM (about 5.2 mM at 1, 25 mM at 0).

    Raises
    ------
    InvalidValueError
        If the activity is negative or not finite.

    References
    ----------
    1. Doyon N et al. (2016). Neuron 89:1157-1172. doi:10.1016/j.neuron.2016.02.030

    Examples
    --------
    >>> round(float(intracellular_chloride(1.0)), 2)
    5.16
    >>> intracellular_chloride(-0.1)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: kcc2_activity: must be a finite number >= 0 (1 = normal); got -0.1
    """
    a = _as_array(kcc2_activity, "kcc2_activity")
    return CL_IN_MAX_MM / (1.0 + KCC2_EXTRUSION_RATIO * a)


def e_gaba_from_kcc2(kcc2_activity: np.ndarray) -> np.ndarray:
    """E_GABA (mV) from KCC2 activity; float arrays only, no validation (for the model kernel)."""
    ci = CL_IN_MAX_MM / (1.0 + KCC2_EXTRUSION_RATIO * kcc2_activity)
    num = ci + P_HCO3_OVER_P_CL * HCO3_IN_MM
    return _RT_F_MV * np.log(num / (CL_OUT_MM + P_HCO3_OVER_P_CL * HCO3_OUT_MM))


def driving_force_from_kcc2(kcc2_activity: np.ndarray) -> np.ndarray:
    """Normalised GABA driving force from KCC2 activity; kernel form of :func:`gaba_driving_force`."""
    e = e_gaba_from_kcc2(kcc2_activity)
    return (FIRING_THRESHOLD_MV - e) / (FIRING_THRESHOLD_MV - E_GABA_NORMAL_MV)


def gaba_driving_force(kcc2_activity: Any) -> Any:
    """GABA's inhibitory driving force relative to a healthy neuron (1 = normal, 0 = none).

    .. math:: d = \\frac{V_{th} - E_{GABA}(a_{KCC2})}{V_{th} - E_{GABA,0}}

    Parameters
    ----------
    kcc2_activity : float or array
        KCC2 activity relative to normal, >= 0.

    Returns
    -------
    float or numpy.ndarray
        Dimensionless driving force; below 1 when KCC2 is impaired, negative if E_GABA rises above
        the threshold (GABA then excites).

    Raises
    ------
    InvalidValueError
        If the activity is negative.

    References
    ----------
    1. Doyon N et al. (2016). Neuron 89:1157-1172. doi:10.1016/j.neuron.2016.02.030

    Examples
    --------
    >>> round(float(gaba_driving_force(1.0)), 3), round(float(gaba_driving_force(0.1)), 2)
    (1.0, 0.28)
    """
    return driving_force_from_kcc2(_as_array(kcc2_activity, "kcc2_activity"))
