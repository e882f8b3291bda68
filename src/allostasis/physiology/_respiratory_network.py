"""The preBötzinger rhythm generator as a conductance-based, time-averaged representative neuron.

A representative inspiratory neuron of the preBötzinger complex (preBötC) sits at the
conductance-weighted mean of its reversal potentials (the membrane time constant, ~20 ms, is far
shorter than anything drugs or CO2 change, so the membrane is taken at its quasi-steady state):

.. math::

    V = \\frac{g_L E_L + g_{GIRK} A\\, E_K + g_{GABA} \\Pi\\, E_{GABA}
              + (g_{chemo}(P) + g_{rec})\\, r\\, E_{syn}}
             {g_L + g_{GIRK} A + g_{GABA} \\Pi + (g_{chemo}(P) + g_{rec})\\, r}

- **Opioids** act twice through mu-opioid activation :math:`A` (after tolerance): a GIRK
  potassium conductance :math:`g_{GIRK} A`, and presynaptic calcium block that cuts excitatory
  release, :math:`r = (e_{MOR}\\, e_{other})^{n}` with calcium entry :math:`e_{MOR} = 1 - c A`
  and the Dodge-Rahamimoff power :math:`n = 3.78` (receptor layer). :math:`c` is set so that full
  activation halves release (modelling assumption; both mechanisms contribute, Wei & Ramirez 2019,
  Bachmutsky et al. 2020).
- **GABA-A** (benzodiazepines, Z-drugs, alcohol) multiplies the tonic chloride conductance by the
  potentiation :math:`\\Pi` of the allosteric model, and :math:`E_{GABA}` comes from intracellular
  chloride (KCC2 state, ``adaptation._chloride``): impaired KCC2 weakens this inhibition.
- **Chemical drive**: a tonic excitatory conductance from the CO2 chemoreceptors that rises with
  PaCO2 and saturates (ceiling :math:`M` times its resting value):
  :math:`g_{chemo}(P) = g_{c0} M x/(x + K)`, :math:`x = (P - P_t)_+`.

The rhythm (burst rate) and the burst amplitude (tidal drive) are read out from :math:`V`:

.. math::

    f/f_0 = \\left(\\frac{V - V_q}{V_0 - V_q}\\right)_+ ,\\qquad
    \\frac{V_T}{V_{T0}} = r \\frac{g_{tot,0}}{g_{tot}} \\left(1 + s_{VT}(P - P_0)\\right)_+

Below :math:`V_q` the network is quiescent (no bursts: central apnoea) -- the loss of rhythm at a
bifurcation, not a clamp. Amplitude is the recurrent burst current, scaled by release and shunted by
the total conductance. This is a *reduced, averaged rate formulation* of conductance-based preBötC
models (Butera, Rinzel & Smith 1999), chosen so that hours of simulated time run in milliseconds;
it has no spikes and no burst-by-burst dynamics.

Calibration (derived at import, each condition a published observation or a stated assumption):

1. :math:`V_q` so that the drug-free rhythm stops when PaCO2 falls 4.5 mmHg below rest: the
   apnoeic threshold in NREM sleep is 3-6 mmHg below eupnoeic PaCO2 (Skatrud & Dempsey 1983).
   There is no wakefulness drive in the model (it represents the sedated or sleeping patient).
2. :math:`s_{VT}` so that ventilation at PaCO2 55 mmHg is 4.5 times that at 40 mmHg: control
   VE55 33.4 L/min (van der Schrier et al. 2017) against a resting 7-7.5 L/min.
3. :math:`g_{GIRK}` so that fentanyl's occupancy at its C50 (0.42 ng/mL effect-site, Algera et al.
   2021; unbound 0.2 nM; Mann 2022 MOR binding gives occupancy 0.38) halves ventilation at a
   clamped PaCO2 of 50 mmHg (isohypercapnia).

Conductances (nS) are of the order of the Butera model 1 neuron (g_L 2.8 nS, E_L -65 mV,
E_K -85 mV, E_syn 0 mV); the tonic GABA-A, chemical and recurrent conductances are modelling
assumptions of that order.

References
----------
1. Butera RJ, Rinzel J, Smith JC (1999). Models of respiratory rhythm generation in the
   pre-Bötzinger complex. I. Bursting pacemaker neurons. J Neurophysiol 82(1):382-397.
   doi:10.1152/jn.1999.82.1.382
2. Wei AD, Ramirez JM (2019). Presynaptic mechanisms and KCNQ potassium channels modulate opioid
   depression of respiratory network activity. Front Physiol 10:1407. doi:10.3389/fphys.2019.01407
3. Bachmutsky I, Wei XP, Kish E, Yackle K (2020). Opioids depress breathing through two small
   brainstem sites. eLife 9:e52694. doi:10.7554/eLife.52694
4. Skatrud JB, Dempsey JA (1983). Interaction of sleep state and chemical stimuli in sustaining
   rhythmic ventilation. J Appl Physiol 55(3):813-822. doi:10.1152/jappl.1983.55.3.813
5. van der Schrier R, Roozekrans M, Olofsen E, et al. (2017). Influence of ethanol on
   oxycodone-induced respiratory depression. Anesthesiology 126(3):534-542.
   doi:10.1097/ALN.0000000000001505
6. Algera MH et al. (2021). Clin Pharmacol Ther 109(3):637-645. doi:10.1002/cpt.2027
7. Dodge FA Jr, Rahamimoff R (1967). J Physiol 193(2):419-432. doi:10.1113/jphysiol.1967.sp008367
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Final

import numba
import numpy as np
from scipy.optimize import brentq

from allostasis.adaptation._chloride import E_GABA_NORMAL_MV, e_gaba_from_kcc2
from allostasis.errors import InvalidValueError
from allostasis.receptor import DODGE_RAHAMIMOFF_EXPONENT

__all__ = [
    "FENTANYL_C50_OCCUPANCY",
    "NETWORK",
    "NetworkOutput",
    "RespiratoryNetwork",
    "respiratory_network",
]

#: Mu-opioid occupancy by fentanyl at its C50 for ventilation (0.42 ng/mL, Algera et al. 2021):
#: unbound 0.42 x 0.16 / 336.47 g/mol = 0.200 nM; Mann 2022 binding (K50 0.351 nM, slope 0.844)
#: gives q = (0.200/0.351)^0.844 = 0.622, occupancy q/(1+q) = 0.383.
FENTANYL_C50_OCCUPANCY: Final[float] = 0.383


@dataclass(frozen=True)
class RespiratoryNetwork:
    """Parameters of the averaged preBötC neuron (conductances in nS, potentials in mV).

    The last three fields (``v_quiescent``, ``tidal_co2_gain``, ``g_girk``) are derived by
    :meth:`calibrated`; construct with that rather than directly.
    """

    g_leak: float = 2.8
    e_leak: float = -65.0
    e_k: float = -85.0
    e_syn: float = 0.0
    g_gaba: float = 0.5
    g_chemo: float = 0.6
    g_recurrent: float = 0.2
    release_at_full_mor: float = 0.7
    chemo_gain: float = 0.06
    chemo_ceiling: float = 1.5
    paco2_rest: float = 40.0
    apnoeic_threshold_drop: float = 4.5
    hypercapnic_ratio_55: float = 4.5
    isohypercapnic_paco2: float = 50.0
    release_exponent: float = DODGE_RAHAMIMOFF_EXPONENT
    v_quiescent: float = float("nan")
    tidal_co2_gain: float = float("nan")
    g_girk: float = float("nan")

    @property
    def ca_block(self) -> float:
        """c: fractional cut in calcium entry at full MOR activation."""
        return float(1.0 - self.release_at_full_mor ** (1.0 / self.release_exponent))

    def as_array(self) -> np.ndarray:
        """Parameters in the kernel's order (see ``_P_*`` indices)."""
        return np.array(
            [
                self.g_leak,
                self.e_leak,
                self.e_k,
                self.e_syn,
                self.g_gaba,
                self.g_chemo,
                self.g_recurrent,
                self.ca_block,
                self.chemo_gain,
                self.chemo_ceiling,
                self.paco2_rest,
                self.release_exponent,
                self.v_quiescent,
                self.tidal_co2_gain,
                self.g_girk,
                _v_rest(self),
                _g_total_rest(self),
            ],
            dtype=float,
        )

    def basis(self) -> list[str]:
        """Each parameter with its value."""
        vals = ", ".join(f"{f.name} = {getattr(self, f.name):.4g}" for f in fields(self))
        return [
            "preBötC averaged conductance neuron (reduced from Butera, Rinzel & Smith 1999, "
            "doi:10.1152/jn.1999.82.1.382): " + vals,
            f"apnoeic threshold {self.apnoeic_threshold_drop:g} mmHg below rest (Skatrud & "
            "Dempsey 1983); VE55/VE40 = "
            f"{self.hypercapnic_ratio_55:g} (van der Schrier 2017 control VE55 33.4 L/min); "
            f"g_GIRK fitted: fentanyl C50 occupancy {FENTANYL_C50_OCCUPANCY} halves ventilation "
            f"at PaCO2 {self.isohypercapnic_paco2:g} mmHg (Algera 2021, doi:10.1002/cpt.2027)",
            f"release at full MOR activation {self.release_at_full_mor:g} (MODELLING ASSUMPTION; "
            "presynaptic and GIRK mechanisms both contribute, Wei & Ramirez 2019, Bachmutsky "
            "2020); tonic GABA-A 0.5 nS, chemical 0.6 nS, recurrent 0.2 nS, chemodrive ceiling "
            "1.5x: MODELLING ASSUMPTIONS",
        ]

    @classmethod
    def calibrated(cls, **overrides: float) -> RespiratoryNetwork:
        """The network with ``v_quiescent``, ``tidal_co2_gain`` and ``g_girk`` derived.

        Examples
        --------
        >>> net = RespiratoryNetwork.calibrated()
        >>> round(net.v_quiescent, 2), round(net.g_girk, 3)
        (-58.57, 0.523)
        """
        start = {"v_quiescent": 0.0, "tidal_co2_gain": 0.0, "g_girk": 0.0}
        base = cls(**{**overrides, **start})
        p = base.as_array()
        v_q = _membrane(
            p, 0.0, 1.0, E_GABA_NORMAL_MV, 1.0, base.paco2_rest - base.apnoeic_threshold_drop
        )[0]
        with_vq = cls(**{**overrides, "v_quiescent": v_q, "tidal_co2_gain": 0.0, "g_girk": 0.0})
        p = with_vq.as_array()
        f55, vt55, _ = _outputs(p, 0.0, 1.0, E_GABA_NORMAL_MV, 1.0, 55.0)
        dp = 55.0 - base.paco2_rest
        gain = (base.hypercapnic_ratio_55 / (f55 * vt55) - 1.0) / dp
        p[_P_SVT] = gain
        pc = base.isohypercapnic_paco2

        def half(g: float) -> float:
            p[_P_GK] = g
            f1, v1, _ = _outputs(p, FENTANYL_C50_OCCUPANCY, 1.0, E_GABA_NORMAL_MV, 1.0, pc)
            p[_P_GK] = 0.0
            f0, v0, _ = _outputs(p, 0.0, 1.0, E_GABA_NORMAL_MV, 1.0, pc)
            return f1 * v1 / (f0 * v0) - 0.5

        g_k = float(brentq(half, 0.0, 50.0, xtol=1e-10))
        return cls(**{**overrides, "v_quiescent": v_q, "tidal_co2_gain": gain, "g_girk": g_k})


_P_GL, _P_EL, _P_EK, _P_ES, _P_GGABA, _P_GC, _P_GR, _P_CA, _P_SC, _P_M, _P_P0, _P_N = range(12)
_P_VQ, _P_SVT, _P_GK, _P_V0, _P_GT0 = 12, 13, 14, 15, 16


def _v_rest(net: RespiratoryNetwork) -> float:
    g = net.g_leak + net.g_gaba + net.g_chemo + net.g_recurrent
    num = (
        net.g_leak * net.e_leak
        + net.g_gaba * E_GABA_NORMAL_MV
        + (net.g_chemo + net.g_recurrent) * net.e_syn
    )
    return num / g


def _g_total_rest(net: RespiratoryNetwork) -> float:
    return net.g_leak + net.g_gaba + net.g_chemo + net.g_recurrent


@numba.njit(cache=True)
def _chemo(p: np.ndarray, paco2: float) -> float:
    m = p[_P_M]
    x0 = (m - 1.0) / (m * p[_P_SC])
    k = x0 * (m - 1.0)
    x = paco2 - (p[_P_P0] - x0)
    if x < 0.0:
        x = 0.0
    return float(m * x / (x + k))


@numba.njit(cache=True)
def _membrane(
    p: np.ndarray, mor: float, gaba_factor: float, e_gaba: float, ca_other: float, paco2: float
) -> tuple[float, float, float]:
    """(V, g_total, release) of the averaged neuron."""
    entry = (1.0 - p[_P_CA] * mor) * ca_other
    if entry < 0.0:
        entry = 0.0
    r = entry ** p[_P_N]
    g_exc = (p[_P_GC] * _chemo(p, paco2) + p[_P_GR]) * r
    g_k = p[_P_GK] * mor
    g_cl = p[_P_GGABA] * gaba_factor
    g_tot = p[_P_GL] + g_k + g_cl + g_exc
    v = (p[_P_GL] * p[_P_EL] + g_k * p[_P_EK] + g_cl * e_gaba + g_exc * p[_P_ES]) / g_tot
    return v, g_tot, r


@numba.njit(cache=True)
def _outputs(
    p: np.ndarray, mor: float, gaba_factor: float, e_gaba: float, ca_other: float, paco2: float
) -> tuple[float, float, float]:
    """(burst rate, tidal drive, V) relative to the drug-free network at rest."""
    v, g_tot, r = _membrane(p, mor, gaba_factor, e_gaba, ca_other, paco2)
    f = (v - p[_P_VQ]) / (p[_P_V0] - p[_P_VQ])
    if f < 0.0:
        f = 0.0
    co2 = 1.0 + p[_P_SVT] * (paco2 - p[_P_P0])
    if co2 < 0.0:
        co2 = 0.0
    vt = r * p[_P_GT0] / g_tot * co2
    return f, vt, v


@numba.njit(cache=True)
def _outputs_flat(
    p: np.ndarray,
    mor: np.ndarray,
    gaba: np.ndarray,
    e_gaba: np.ndarray,
    ca: np.ndarray,
    paco2: np.ndarray,
    out: np.ndarray,
) -> None:
    for i in range(mor.size):
        f, vt, v = _outputs(p, mor[i], gaba[i], e_gaba[i], ca[i], paco2[i])
        out[0, i] = f
        out[1, i] = vt
        out[2, i] = v


#: The calibrated network used by default.
NETWORK: Final[RespiratoryNetwork] = RespiratoryNetwork.calibrated()


@dataclass(frozen=True)
class NetworkOutput:
    """Network read-out, arrays of the broadcast input shape."""

    burst_rate_rel: np.ndarray
    tidal_drive_rel: np.ndarray
    minute_drive_rel: np.ndarray
    membrane_potential_mv: np.ndarray


def _unit_interval(x: Any, name: str, *, upper: float | None = 1.0) -> np.ndarray:
    a = np.asarray(x, dtype=float)
    bad = ~np.isfinite(a) | (a < 0)
    if upper is not None:
        bad |= a > upper
    if np.any(bad):
        rng = f"[0, {upper:g}]" if upper is not None else ">= 0"
        raise InvalidValueError(f"{name}: must be in {rng}; got {x!r}")
    return a


def respiratory_network(
    mor_activation: Any = 0.0,
    gaba_factor: Any = 1.0,
    *,
    kcc2_activity: Any = 1.0,
    calcium_entry: Any = 1.0,
    paco2: Any = "40 mmHg",
    network: RespiratoryNetwork | None = None,
) -> NetworkOutput:
    """Burst rate, tidal drive and their product at a given (clamped) PaCO2.

    .. math::

        f/f_0 = \\left(\\frac{V - V_q}{V_0 - V_q}\\right)_+, \\quad
        V_T/V_{T0} = r\\, \\frac{g_{tot,0}}{g_{tot}} (1 + s_{VT}(P - P_0))_+

    Parameters
    ----------
    mor_activation : float or array
        Mu-opioid activation after tolerance, in [0, 1].
    gaba_factor : float or array
        GABA-A conductance relative to drug-free (potentiation :math:`\\Pi`), >= 0.
    kcc2_activity : float or array
        KCC2 activity relative to normal (>= 0); sets E_GABA.
    calcium_entry : float or array
        Presynaptic calcium entry from non-opioid causes (gabapentinoids), in [0, 1].
    paco2 : str or pint.Quantity
        Arterial CO2 tension, e.g. ``"50 mmHg"`` or ``"6.7 kPa"`` (> 0); arrays broadcast.
    network : RespiratoryNetwork, optional
        Defaults to :data:`NETWORK`.

    Returns
    -------
    NetworkOutput
        Arrays of the broadcast shape (subjects first when the inputs carry a subject axis).

    Raises
    ------
    InvalidValueError, UnitError
        On values out of range or a PaCO2 without a pressure unit.

    References
    ----------
    1. Butera RJ, Rinzel J, Smith JC (1999). J Neurophysiol 82:382-397. doi:10.1152/jn.1999.82.1.382

    Examples
    --------
    >>> out = respiratory_network([0.0, 0.383], paco2="50 mmHg")
    >>> (out.minute_drive_rel / out.minute_drive_rel[0]).round(3).tolist()
    [1.0, 0.5]
    >>> float(respiratory_network(0.0, paco2="35.5 mmHg").burst_rate_rel) < 1e-9
    True
    >>> respiratory_network(1.5)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: mor_activation: must be in [0, 1]; got 1.5
    """
    from allostasis.units import as_quantity

    net = network or NETWORK
    a = _unit_interval(mor_activation, "mor_activation")
    g = _unit_interval(gaba_factor, "gaba_factor", upper=None)
    k = _unit_interval(kcc2_activity, "kcc2_activity", upper=None)
    c = _unit_interval(calcium_entry, "calcium_entry")
    pq = as_quantity(paco2, field="paco2", unit="mmHg")
    p = np.asarray(pq.to("mmHg").magnitude, dtype=float)
    if np.any(~np.isfinite(p)) or np.any(p <= 0):
        raise InvalidValueError(f"paco2: must be > 0 mmHg; got {paco2!s}")
    a, g, k, c, p = np.broadcast_arrays(a, g, k, c, p)
    shape = a.shape
    e = e_gaba_from_kcc2(np.ascontiguousarray(k, dtype=float).ravel())
    out = np.empty((3, a.size))
    _outputs_flat(
        net.as_array(),
        np.ascontiguousarray(a, dtype=float).ravel(),
        np.ascontiguousarray(g, dtype=float).ravel(),
        np.ascontiguousarray(e, dtype=float),
        np.ascontiguousarray(c, dtype=float).ravel(),
        np.ascontiguousarray(p, dtype=float).ravel(),
        out,
    )
    f, vt, v = (out[i].reshape(shape) for i in range(3))
    return NetworkOutput(f, vt, f * vt, v)
