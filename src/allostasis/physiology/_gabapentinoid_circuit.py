"""Gabapentinoids in a recurrent excitatory circuit: state-dependent damping of hyperexcitability.

Gabapentinoid binding to alpha2-delta cuts presynaptic calcium entry, and release falls as a
steep power of entry, more so at high firing rates where residual calcium facilitates release
(:func:`allostasis.receptor.release_fraction`, :func:`allostasis.receptor.gabapentinoid_release_effect`).
Here that synapse sits in a recurrently connected excitatory population (a Wilson-Cowan style
rate unit; Wilson & Cowan 1972):

.. math::

    r = \\frac{r_{max}}{1 + \\exp(-(I + w\\,\\rho(e, r)\\,r - \\theta)/\\sigma)}, \\qquad
    e = 1 - I_{max}\\frac{C}{C + IC_{50}}

where :math:`\\rho(e, r)` is release per spike relative to no drug at rate :math:`r`, :math:`I` the
external drive (the circuit's excitability state) and :math:`w` the recurrent weight. The fixed
point is found by damped iteration from rest (the lowest stable state). In the resting state
recurrent excitation contributes little and the drug barely changes the output (no global
sedation); in a hyperexcitable state the output rides on recurrent excitation at high rates, where
the same cut in entry removes more release, so the reduction is much larger.

The circuit constants (:data:`CIRCUIT_PARAMETERS`) are **modelling assumptions** that make a
resting rate of a few Hz and a hyperexcitable rate of tens of Hz; the drug-side constants come
from the receptor layer (Fink et al. 2002; Dodge & Rahamimoff 1967).

References
----------
1. Wilson HR, Cowan JD (1972). Excitatory and inhibitory interactions in localized populations of
   model neurons. Biophys J 12(1):1-24. doi:10.1016/S0006-3495(72)86068-5
2. Fink K et al. (2002). Neuropharmacology 42(2):229-236. doi:10.1016/S0028-3908(01)00172-1
3. Dodge FA, Rahamimoff R (1967). J Physiol 193(2):419-432. doi:10.1113/jphysiol.1967.sp008367
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Final

import numpy as np

from allostasis.errors import InvalidValueError
from allostasis.receptor import gabapentinoid_release_effect, release_fraction
from allostasis.units import Q_

__all__ = [
    "CIRCUIT_PARAMETERS",
    "EXCITABILITY_STATES",
    "CircuitState",
    "GabapentinoidCircuitEffect",
    "gabapentinoid_circuit",
]

#: Rate-unit constants (MODELLING ASSUMPTIONS): maximal rate (Hz), threshold and width of the
#: input-rate sigmoid (Hz of drive), recurrent weight (drive per Hz of recurrent rate).
CIRCUIT_PARAMETERS: Final[dict[str, float]] = {
    "r_max_hz": 100.0,
    "threshold": 40.0,
    "width": 8.0,
    "recurrent_weight": 0.3,
}

#: External drive of each excitability state (MODELLING ASSUMPTIONS): "normal" gives a resting
#: rate of about 2.5 Hz, "hyperexcitable" about 80 Hz.
EXCITABILITY_STATES: Final[dict[str, float]] = {"normal": 10.0, "hyperexcitable": 28.0}


def _rate(drive: float, entry: np.ndarray) -> np.ndarray:
    """Lowest fixed point r = R(r) (the state reached from rest), per entry value.

    R is evaluated on a grid of rates in one vectorised call; the first upward crossing of
    r - R(r) is refined by linear interpolation (grid step 0.01 Hz).
    """
    p = CIRCUIT_PARAMETERS
    grid = np.linspace(0.0, p["r_max_hz"], 10001)
    e = np.atleast_1d(entry)[:, None]
    rho = np.asarray(release_fraction(e, firing_rate=Q_(grid[None, :], "Hz")), dtype=float)
    arg = (drive + p["recurrent_weight"] * rho * grid[None, :] - p["threshold"]) / p["width"]
    gap = grid[None, :] - p["r_max_hz"] / (1.0 + np.exp(-arg))
    out = np.empty(e.shape[0])
    for i in range(e.shape[0]):
        j = int(np.argmax(gap[i] >= 0))  # gap(0) < 0 and gap(r_max) >= 0, so a crossing exists
        g0, g1 = gap[i, j - 1], gap[i, j]
        out[i] = grid[j - 1] + (grid[j] - grid[j - 1]) * (-g0) / (g1 - g0)
    return out


@dataclass(frozen=True)
class CircuitState:
    """Circuit output in one excitability state, without and with the drug (per concentration)."""

    state: str
    drive: float
    baseline_rate_hz: float
    rate_hz: list[float]
    reduction: list[float]
    """1 - rate / baseline."""
    release_reduction: list[float]
    """Release per spike lost at the drug-state firing rate."""


@dataclass(frozen=True)
class GabapentinoidCircuitEffect:
    """Output reduction of a recurrent circuit by a gabapentinoid in each excitability state."""

    drug: str
    concentration_um: list[float]
    calcium_entry: list[float]
    states: dict[str, CircuitState]
    basis: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return asdict(self)


def gabapentinoid_circuit(
    drug: str,
    concentration: Any,
    *,
    states: dict[str, float] | None = None,
) -> GabapentinoidCircuitEffect:
    """Firing of a recurrent excitatory circuit with a gabapentinoid, in normal and hyperexcitable states.

    .. math::

        r = \\frac{r_{max}}{1 + e^{-(I + w \\rho(e, r) r - \\theta)/\\sigma}}, \\quad
        \\text{reduction} = 1 - r_{drug} / r_0

    Parameters
    ----------
    drug : str
        ``"pregabalin"`` or ``"gabapentin"``.
    concentration : str or pint.Quantity
        Unbound concentration(s) at the terminals, molar (``"16 uM"``) or mass (``"2.5 mg/L"``);
        >= 0, scalar or 1-D (one per subject).
    states : dict of str to float, optional
        Excitability states and their external drive (default :data:`EXCITABILITY_STATES`).

    Returns
    -------
    GabapentinoidCircuitEffect

    Raises
    ------
    UnknownDrugError
        Not a gabapentinoid in the knowledge base.
    InvalidValueError
        Negative concentration or drive.

    Examples
    --------
    >>> eff = gabapentinoid_circuit("pregabalin", "16 uM")
    >>> round(eff.states["normal"].reduction[0], 3), round(eff.states["hyperexcitable"].reduction[0], 3)
    (0.048, 0.698)
    >>> gabapentinoid_circuit("pregabalin", "16 uM", states={"odd": -1.0})
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: states: drive of 'odd' must be a finite number >= 0; got -1.0
    """
    chosen = dict(EXCITABILITY_STATES if states is None else states)
    for name, drv in chosen.items():
        if not (isinstance(drv, (int, float)) and np.isfinite(drv) and drv >= 0):
            raise InvalidValueError(
                f"states: drive of {name!r} must be a finite number >= 0; got {drv!r}"
            )
    eff = gabapentinoid_release_effect(drug, concentration)
    entry = np.asarray(eff.calcium_entry, dtype=float)
    out: dict[str, CircuitState] = {}
    for name, drv in chosen.items():
        base = float(_rate(float(drv), np.ones(1))[0])
        rates = _rate(float(drv), entry)
        rel = np.asarray(release_fraction(entry, firing_rate=Q_(rates, "Hz")), dtype=float)
        out[name] = CircuitState(
            state=name,
            drive=float(drv),
            baseline_rate_hz=base,
            rate_hz=rates.tolist(),
            reduction=(1.0 - rates / base).tolist(),
            release_reduction=(1.0 - rel).tolist(),
        )
    basis = [
        "rate unit r = r_max / (1 + exp(-(I + w rho(e, r) r - theta)/sigma)) (Wilson & Cowan 1972), "
        "fixed point by damped iteration from rest",
        "circuit constants (MODELLING ASSUMPTIONS): "
        + ", ".join(f"{k} = {v:g}" for k, v in CIRCUIT_PARAMETERS.items()),
        "excitability drives (MODELLING ASSUMPTIONS): "
        + ", ".join(f"{k} = {v:g}" for k, v in chosen.items()),
        *eff.basis,
    ]
    return GabapentinoidCircuitEffect(
        drug=eff.drug,
        concentration_um=[c / 1000.0 for c in eff.concentration_nm],
        calcium_entry=entry.tolist(),
        states=out,
        basis=basis,
    )
