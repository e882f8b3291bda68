"""The neuroadaptation model: state layout, right-hand side and outputs (pure array functions).

State (columns of the ``(n_subjects, 9)`` state array; 1 = drug-naive set-point unless noted):

====  ========================  ======================================================================
col   name                      meaning
====  ========================  ======================================================================
0     gabaa_density             GABA-A surface density R
1     bzd_sensitive_fraction    S, share of alpha1-3/gamma2 (vs alpha4) receptors; slow
2     site_coupling_alpha1      K1, BZD-site/GABA-site coupling in alpha1 receptors; fast
3     site_coupling_alpha23     K23, the same in alpha2/3 receptors; weeks
4     glutamatergic_gain        G, NMDA/AMPA density, release, reduced astrocytic clearance
5     kcc2_activity             a, KCC2 activity -> [Cl-]i -> E_GABA (see physiology._chloride)
6     hpa_tone                  H, cortisol relative to baseline
7     conditioned_arousal       C, learned arousal (0 naive)
8     plasticity                P, ketamine-induced BDNF/mTOR plasticity (0 naive); INVESTIGATIONAL
====  ========================  ======================================================================

Inputs at time t (columns of the ``(n_subjects, 5)`` input array): ``y_bzd_alpha1`` and
``y_bzd_alpha23`` (summed :math:`C_u/K_B` of positive modulators at each pool), ``y_flumazenil``
(:math:`C_u/K_i`), ``nmda_block`` (fraction of NMDA receptors blocked) and ``cue`` (0/1).

With the balance index :math:`X = \\ln(E/I)` of ``physiology._balance`` and the adaptation drive
:math:`u = -X` (excess inhibition), saturating as :math:`h(u) = \\tanh(u/u_s)`:

.. math::

    \\dot R &= [1 - g_R h(u) - R] / \\tau_R \\\\
    \\dot S &= [1 - g_S h(u)_+ - S]\\,(1 + g_F \\theta_F) / \\tau_S \\\\
    \\dot K_p &= [1 - g_{K_p} h(u) - K_p] / \\tau_{K_p} \\\\
    \\dot G &= [1 + g_G h(u) - G]\\,(1 + g_P P) / \\tau_G \\\\
    \\dot a &= [1 - g_a h(u)_+ - a] / \\tau_a \\\\
    \\dot H &= [e^{g_H X} - H] / \\tau_H \\\\
    \\dot C &= \\eta (X - X_c)_+ (1 - C) - C / \\tau_{ext} \\\\
    \\dot P &= k_P b_{NMDA} (1 - P) - P / \\tau_P

:math:`\\theta_F = y_F/(1 + y_B + y_F)` is flumazenil's site occupancy; its term is a labelled
HYPOTHESIS (low-dose flumazenil speeding the receptor reset). The S and KCC2 targets are one-sided
(:math:`h_+ = \\max(h, 0)`): they fall under excess inhibition and relax back with their own slow
time constant, which is what leaves a protracted tail. Every rate is a proportional (not integral)
controller, so tolerance is partial and reaches a plateau.

The functions here take and return plain float arrays (no Quantities, no Python objects), so a
compiled engine can run the same equations.
"""

from __future__ import annotations

from typing import Final

import numpy as np

from allostasis.adaptation._balance import (
    ec20_level,
    inhibition_kernel,
    potentiation_kernel,
    shift_kernel,
)
from allostasis.adaptation._chloride import driving_force_from_kcc2, e_gaba_from_kcc2
from allostasis.adaptation._parameters import PARAMETER_INDEX as _P

__all__ = [
    "INITIAL_STATE",
    "INPUT_NAMES",
    "STATE_NAMES",
    "STATE_UNITS",
    "adaptation_outputs",
    "adaptation_rhs",
    "receptor_constants",
]

STATE_NAMES: Final[tuple[str, ...]] = (
    "gabaa_density",
    "bzd_sensitive_fraction",
    "site_coupling_alpha1",
    "site_coupling_alpha23",
    "glutamatergic_gain",
    "kcc2_activity",
    "hpa_tone",
    "conditioned_arousal",
    "plasticity",
)
STATE_UNITS: Final[dict[str, str]] = dict.fromkeys(STATE_NAMES, "relative to drug-naive")
STATE_UNITS["conditioned_arousal"] = "0-1 (0 naive)"
STATE_UNITS["plasticity"] = "0-1 (0 naive)"
INITIAL_STATE: Final = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.0, 0.0])
INPUT_NAMES: Final[tuple[str, ...]] = (
    "y_bzd_alpha1",
    "y_bzd_alpha23",
    "y_flumazenil",
    "nmda_block",
    "cue",
)


def receptor_constants() -> np.ndarray:
    """GABA's operational ``[tau, hill, x0]`` from the receptor layer (x0: ambient EC20 GABA / K_A).

    .. math:: \\tau = (f_{max}/(1 - f_{max}))^{1/n}, \\quad E_0(x_0) = 0.2\\, E_{0,max}

    Returns
    -------
    numpy.ndarray
        Shape ``(3,)``.

    Examples
    --------
    >>> receptor_constants().round(3)
    array([4.327, 1.5  , 0.092])
    """
    from allostasis.receptor import gaba_operational_parameters

    p = gaba_operational_parameters()
    return np.array([p["tau"], p["hill"], ec20_level(p["tau"], p["hill"])])


def _balance(
    state: np.ndarray, params: np.ndarray, inputs: np.ndarray, rc: np.ndarray
) -> tuple[np.ndarray, ...]:
    r, s, k1, k23, g, a = (state[:, i] for i in range(6))
    c = state[:, 7]
    alpha = params[:, _P["alpha_cooperativity"]]
    yb1, yb23, yf, b, cue = (inputs[:, i] for i in range(5))
    s1 = shift_kernel(yb1, yf, 1.0 + k1 * (alpha - 1.0))
    s23 = shift_kernel(yb23, yf, 1.0 + k23 * (alpha - 1.0))
    pi1 = potentiation_kernel(s1, rc[0], rc[1], rc[2])
    pi23 = potentiation_kernel(s23, rc[0], rc[1], rc[2])
    d = driving_force_from_kcc2(a)
    inh = inhibition_kernel(
        r, d, s, pi1, pi23, params[:, _P["weight_alpha1"]], params[:, _P["alpha4_efficacy"]]
    )
    exc = g * (1.0 - params[:, _P["nmda_share"]] * b) + params[:, _P["cue_weight"]] * c * cue
    x = np.log(exc / np.maximum(inh, 1e-12))
    return x, inh, exc, pi1, pi23, d


def adaptation_rhs(
    state: np.ndarray, params: np.ndarray, inputs: np.ndarray, rc: np.ndarray
) -> np.ndarray:
    """Time derivatives (1/h) of the adaptation state.

    .. math:: \\dot x = f(x, \\theta, u(t))  \\quad \\text{(equations in the module docstring)}

    Parameters
    ----------
    state : numpy.ndarray
        ``(n_subjects, 9)``, columns :data:`STATE_NAMES`.
    params : numpy.ndarray
        ``(n_subjects, n_parameters)`` from :func:`~allostasis.adaptation.parameter_array`.
    inputs : numpy.ndarray
        ``(n_subjects, 5)``, columns :data:`INPUT_NAMES`, at time t.
    rc : numpy.ndarray
        :func:`receptor_constants`.

    Returns
    -------
    numpy.ndarray
        ``(n_subjects, 9)`` derivatives per hour.

    Examples
    --------
    >>> from allostasis.adaptation._parameters import parameter_array
    >>> x0 = INITIAL_STATE[None, :]
    >>> float(np.abs(adaptation_rhs(x0, parameter_array(), np.zeros((1, 5)), receptor_constants())).max())
    0.0
    """
    p = params
    x, _, _, _, _, _ = _balance(state, p, inputs, rc)
    h = np.tanh(-x / p[:, _P["drive_saturation"]])
    hp = np.maximum(h, 0.0)
    yb = 0.5 * (inputs[:, 0] + inputs[:, 1])
    yf = inputs[:, 2]
    theta_f = yf / (1.0 + yb + yf)
    out = np.empty_like(state)
    out[:, 0] = (1.0 - p[:, _P["gain_density"]] * h - state[:, 0]) / p[:, _P["tau_density"]]
    out[:, 1] = (
        (1.0 - p[:, _P["gain_sensitive"]] * hp - state[:, 1])
        * (1.0 + p[:, _P["flumazenil_reset_gain"]] * theta_f)
        / p[:, _P["tau_sensitive"]]
    )
    out[:, 2] = (1.0 - p[:, _P["gain_coupling_alpha1"]] * h - state[:, 2]) / p[
        :, _P["tau_coupling_alpha1"]
    ]
    out[:, 3] = (1.0 - p[:, _P["gain_coupling_alpha23"]] * h - state[:, 3]) / p[
        :, _P["tau_coupling_alpha23"]
    ]
    out[:, 4] = (
        (1.0 + p[:, _P["gain_glutamate"]] * h - state[:, 4])
        * (1.0 + p[:, _P["plasticity_gain"]] * state[:, 8])
        / p[:, _P["tau_glutamate"]]
    )
    out[:, 5] = (1.0 - p[:, _P["gain_kcc2"]] * hp - state[:, 5]) / p[:, _P["tau_kcc2"]]
    out[:, 6] = (np.exp(p[:, _P["gain_hpa"]] * x) - state[:, 6]) / p[:, _P["tau_hpa"]]
    c = state[:, 7]
    out[:, 7] = (
        p[:, _P["conditioning_rate"]]
        * np.maximum(x - p[:, _P["conditioning_threshold"]], 0.0)
        * (1.0 - c)
        - c / p[:, _P["tau_extinction"]]
    )
    pl = state[:, 8]
    out[:, 8] = (
        p[:, _P["plasticity_rate"]] * inputs[:, 3] * (1.0 - pl) - pl / p[:, _P["tau_plasticity"]]
    )
    return out


def _circuit_net_inhibition(
    state: np.ndarray, params: np.ndarray, exc: np.ndarray, pi: np.ndarray, d: np.ndarray
) -> np.ndarray:
    """Net inhibition of a circuit whose benzodiazepine-sensitive receptors are all of one pool.

    .. math:: -X_p = \\ln\\frac{R\\, d\\, [S\\,\\Pi_p + (1 - S)\\,\\varepsilon_4]}{E}
    """
    # one pool only: the kernel with the whole weight on it
    inh = inhibition_kernel(
        state[:, 0], d, state[:, 1], pi, pi, 1.0, params[:, _P["alpha4_efficacy"]]
    )
    return np.asarray(np.log(np.maximum(inh, 1e-12) / exc))


def adaptation_outputs(
    state: np.ndarray, params: np.ndarray, inputs: np.ndarray, rc: np.ndarray
) -> dict[str, np.ndarray]:
    """Physiological outputs at one time: drives, balance index, chloride, therapeutic effects.

    .. math::

        X = \\ln(E/I), \\quad
        \\text{sedation} = -X_1, \\quad \\text{anxiolysis} = -X_{23}, \\quad
        X_p = \\ln\\frac{E}{R\\, d\\, [S\\,\\Pi_p + (1 - S)\\,\\varepsilon_4]}

    The therapeutic effects are the net inhibition, relative to the drug-naive brain, of a circuit
    whose benzodiazepine-sensitive receptors are all alpha1 (sedation; Rudolph et al. 1999, Nature
    401:796-800, doi:10.1038/44579) or all alpha2/3 (anxiolysis; Low et al. 2000, Science
    290:131-134, doi:10.1126/science.290.5489.131). Being net of every adaptation -- the fast alpha1
    uncoupling as well as the shared glutamatergic gain -- they show tolerance as a patient would:
    the same dose doing less than it did at first. Both are negative (net arousal) in withdrawal.

    Parameters
    ----------
    state, params, inputs, rc : numpy.ndarray
        As for :func:`adaptation_rhs`.

    Returns
    -------
    dict of str to numpy.ndarray
        Each ``(n_subjects,)``: ``inhibitory_drive``, ``excitatory_drive``, ``balance_index``,
        ``drug_free_index`` (the index if all drug were removed now), ``e_gaba`` (mV),
        ``intracellular_chloride`` (mM), ``sedation``, ``anxiolysis``, ``nmda_block``.

    Examples
    --------
    >>> from allostasis.adaptation._parameters import parameter_array
    >>> o = adaptation_outputs(INITIAL_STATE[None, :], parameter_array(), np.zeros((1, 5)), receptor_constants())
    >>> abs(float(o["balance_index"][0])) < 1e-12, round(float(o["e_gaba"][0]), 1)
    (True, -75.0)
    """
    x, inh, exc, pi1, pi23, d = _balance(state, params, inputs, rc)
    naked = inputs.copy()
    naked[:, :4] = 0.0
    x_free, _, _, _, _, _ = _balance(state, params, naked, rc)
    a = state[:, 5]
    from allostasis.adaptation._chloride import CL_IN_MAX_MM, KCC2_EXTRUSION_RATIO

    return {
        "inhibitory_drive": inh,
        "excitatory_drive": exc,
        "balance_index": x,
        "drug_free_index": x_free,
        "e_gaba": e_gaba_from_kcc2(a),
        "intracellular_chloride": CL_IN_MAX_MM / (1.0 + KCC2_EXTRUSION_RATIO * a),
        "sedation": _circuit_net_inhibition(state, params, exc, pi1, d),
        "anxiolysis": _circuit_net_inhibition(state, params, exc, pi23, d),
        "nmda_block": inputs[:, 3].copy(),
    }
