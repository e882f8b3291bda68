"""Closed-loop ventilatory control: the preBötC network drives breathing, breathing sets CO2 and O2.

At each step (backward Euler, step ``dt`` minutes) the network (``_respiratory_network``) turns
drug effects and the current PaCO2 into burst rate and tidal drive; alveolar ventilation

.. math:: \\dot V_A = \\dot V_{A,0}\\, \\frac{f}{f_0} \\cdot \\frac{(V_T/V_{T0} - d)_+}{1 - d}

(d = dead-space fraction) updates the CO2 and O2 stores (``_gas_exchange``), and PaCO2 feeds back
into the chemical drive. Depression is therefore dampened by rising CO2 until the drive is
overwhelmed; an abrupt loss of rhythm is a central apnoea that lasts until CO2 has risen enough.
With ``paco2_clamp`` the loop is opened at a fixed PaCO2 (isohypercapnic experiments).

Drug effects enter as time courses with a leading subject axis, shape ``(n_subjects, n_times)``:
MOR activation after tolerance, the GABA-A conductance factor, presynaptic calcium entry from
non-opioid causes; per subject, E_GABA (from KCC2) and the A-a gradient.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numba
import numpy as np

from allostasis.adaptation._chloride import e_gaba_from_kcc2
from allostasis.errors import InvalidValueError
from allostasis.physiology._gas_exchange import (
    ALVEOLAR_VENTILATION_REST,
    DEAD_SPACE_FRACTION,
    GAS_CONSTANT_BTPS,
    PACO2_REST_MMHG,
    PAO2_INSPIRED_MMHG,
    VO2_L_MIN,
    aa_gradient,
    gas_step,
    saturation_kernel,
)
from allostasis.physiology._respiratory_network import NETWORK, RespiratoryNetwork, _outputs

__all__ = ["VentilationTrace", "simulate_ventilatory_control"]

#: Output channels of the kernel, in order.
CHANNELS = (
    "burst_rate_rel",
    "tidal_drive_rel",
    "minute_ventilation_rel",
    "alveolar_ventilation_rel",
    "co2_mmHg",
    "pao2_mmHg",
    "spo2",
    "membrane_potential_mV",
)


@numba.njit(cache=True)
def _control_kernel(
    p: np.ndarray,
    mor: np.ndarray,
    gaba: np.ndarray,
    ca: np.ndarray,
    e_gaba: np.ndarray,
    aa: np.ndarray,
    dt: float,
    clamp: float,
    out: np.ndarray,
) -> None:
    n_s, n_t = mor.shape
    d = DEAD_SPACE_FRACTION
    pao2_rest = PAO2_INSPIRED_MMHG - GAS_CONSTANT_BTPS * VO2_L_MIN / ALVEOLAR_VENTILATION_REST
    for s in range(n_s):
        paco2 = PACO2_REST_MMHG if np.isnan(clamp) else clamp
        pao2 = pao2_rest
        for i in range(n_t):
            f, vt, v = _outputs(p, mor[s, i], gaba[s, i], e_gaba[s], ca[s, i], paco2)
            eff = vt - d
            if eff < 0.0:
                eff = 0.0
            va_rel = f * eff / (1.0 - d)
            pa = pao2 - aa[s]
            out[s, 0, i] = f
            out[s, 1, i] = vt
            out[s, 2, i] = f * vt
            out[s, 3, i] = va_rel
            out[s, 4, i] = paco2
            out[s, 5, i] = pa if pa > 0.0 else 0.0
            out[s, 6, i] = saturation_kernel(pa)
            out[s, 7, i] = v
            p_new, o_new = gas_step(paco2, pao2, va_rel * ALVEOLAR_VENTILATION_REST, dt)
            if np.isnan(clamp):
                paco2 = p_new
            pao2 = o_new


@dataclass(frozen=True)
class VentilationTrace:
    """Kernel output: ``values`` of shape ``(n_subjects, n_channels, n_times)``; time in minutes."""

    time_min: np.ndarray
    values: np.ndarray
    channels: tuple[str, ...] = CHANNELS

    def channel(self, name: str) -> np.ndarray:
        """``(n_subjects, n_times)`` values of one channel."""
        if name not in self.channels:
            raise InvalidValueError(f"channel: {name!r} unknown; have {list(self.channels)}")
        return np.asarray(self.values[:, self.channels.index(name), :])


def _field(x: Any, shape: tuple[int, int], name: str, lo: float, hi: float | None) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    try:
        a = np.broadcast_to(a, shape)
    except ValueError:
        raise InvalidValueError(
            f"{name}: expected shape (n_subjects, n_times) = {shape} or broadcastable; got {a.shape}"
        ) from None
    if np.any(~np.isfinite(a)) or np.any(a < lo) or (hi is not None and np.any(a > hi)):
        rng = f"[{lo:g}, {hi:g}]" if hi is not None else f">= {lo:g}"
        raise InvalidValueError(f"{name}: values must be in {rng}")
    return np.ascontiguousarray(a, dtype=float)


def simulate_ventilatory_control(
    mor_activation: Any,
    gaba_factor: Any = 1.0,
    calcium_entry: Any = 1.0,
    *,
    dt_min: float = 1.0 / 12.0,
    kcc2_activity: Any = 1.0,
    age_years: Any = 40.0,
    paco2_clamp: Any = None,
    network: RespiratoryNetwork | None = None,
) -> VentilationTrace:
    """Integrate the chemoreflex loop driven by drug-effect time courses.

    .. math::

        S_{CO_2} \\dot P_{aCO_2} = 863 \\dot V_{CO_2} - \\dot V_A(f, V_T)\\, P_{aCO_2},\\quad
        (f, V_T) = \\mathcal{N}(A(t), \\Pi(t), e(t), E_{GABA}, P_{aCO_2})

    Parameters
    ----------
    mor_activation : array
        ``(n_subjects, n_times)`` MOR activation after tolerance, in [0, 1]; sets the grid.
    gaba_factor, calcium_entry : float or array
        GABA-A conductance factor (>= 0) and non-opioid calcium entry (in [0, 1]), broadcast to
        the grid.
    dt_min : float
        Step in minutes (> 0, <= 1; default 5 s).
    kcc2_activity : float or array
        Per-subject KCC2 activity relative to normal (>= 0).
    age_years : float or array
        Per-subject age (sets the A-a gradient).
    paco2_clamp : str or pint.Quantity, optional
        Hold PaCO2 fixed (open loop), e.g. ``"55 mmHg"``.
    network : RespiratoryNetwork, optional

    Returns
    -------
    VentilationTrace

    Raises
    ------
    InvalidValueError
        On out-of-range or mis-shaped inputs.

    Examples
    --------
    >>> tr = simulate_ventilatory_control(np.zeros((1, 120)))
    >>> float(tr.channel("minute_ventilation_rel")[0, -1]), round(float(tr.channel("co2_mmHg")[0, -1]), 6)
    (1.0, 40.0)
    >>> tr = simulate_ventilatory_control(np.full((1, 1200), 0.8))
    >>> round(float(tr.channel("co2_mmHg")[0, -1]), 1)
    54.2
    """
    a = np.atleast_2d(np.asarray(mor_activation, dtype=float))
    if a.ndim != 2:
        raise InvalidValueError(
            f"mor_activation: expected shape (n_subjects, n_times); got {a.shape}"
        )
    shape = (a.shape[0], a.shape[1])
    a = _field(a, shape, "mor_activation", 0.0, 1.0)
    g = _field(gaba_factor, shape, "gaba_factor", 0.0, None)
    c = _field(calcium_entry, shape, "calcium_entry", 0.0, 1.0)
    if not (np.isfinite(dt_min) and 0 < dt_min <= 1.0):
        raise InvalidValueError(f"dt_min: must be in (0, 1] minutes; got {dt_min!r}")
    k = np.broadcast_to(np.asarray(kcc2_activity, dtype=float), (shape[0],))
    if np.any(~np.isfinite(k)) or np.any(k < 0):
        raise InvalidValueError(f"kcc2_activity: must be >= 0; got {kcc2_activity!r}")
    aa = np.ascontiguousarray(np.broadcast_to(aa_gradient(age_years), (shape[0],)), dtype=float)
    if paco2_clamp is None:
        clamp = float("nan")
    else:
        from allostasis.units import magnitude

        clamp = magnitude(paco2_clamp, field="paco2_clamp", unit="mmHg", strictly_positive=True)
    out = np.empty((shape[0], len(CHANNELS), shape[1]))
    _control_kernel(
        (network or NETWORK).as_array(),
        a,
        g,
        c,
        np.ascontiguousarray(e_gaba_from_kcc2(np.asarray(k, dtype=float)), dtype=float),
        aa,
        float(dt_min),
        clamp,
        out,
    )
    return VentilationTrace(np.arange(shape[1]) * dt_min, out)
