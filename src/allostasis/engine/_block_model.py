"""The neuroadaptation model compiled natively for the engine: one loop over a block of subjects.

The same equations as :func:`allostasis.adaptation.adaptation_rhs` (the numpy reference; see
``adaptation._model`` for the equations and sources), written as scalar numba code over arrays laid
out subjects-innermost -- state ``(9, n_block)``, packed parameters ``(N_PACKED, n_block)`` -- so
that the loop over subjects vectorises:

- time constants enter as their inverses (:data:`PACKED_ROWS`);
- the GABA operational curve with Hill slope 1.5 uses :math:`v^{1.5} = v\\sqrt{v}` in the form
  :math:`E_0(x) = 1 / (1 + v\\sqrt{v})`, :math:`v = (1 + x)/(\\tau x)`;
- the two pools' divisions are merged (:math:`a/b = a d / (b d)`), and logarithms are taken of
  ratios near 1: :math:`X = \\ln(E/I)` directly, the chloride term relative to its value at
  normal KCC2;
- ``ln``, ``exp`` and ``tanh`` are the series of ``engine._elementary``. A block in which any
  subject's balance index (:math:`|X| > 0.7`), chloride ratio, HPA exponent or drive leaves the
  series' accurate range is recomputed with ``math.log``/``math.exp``/``math.tanh`` (same
  equations), so the result never depends on the series' range.

.. math::

    X = \\ln\\frac{G(1 - \\phi_N b) + w_C C q}{R\\, d(a) \\sum_p w_p [S\\,\\Pi_p + (1 - S)\\varepsilon_4]},
    \\qquad \\dot R = (1 - g_R \\tanh(-X/u_s) - R) / \\tau_R, \\ \\ldots

``tests/engine/test_block_model.py`` checks it against the numpy model to 1e-12 (relative).
"""

from __future__ import annotations

import math
from typing import Any, Final

import numpy as np
from numba import njit

from allostasis.adaptation._chloride import (
    _RT_F_MV,
    CL_IN_MAX_MM,
    CL_OUT_MM,
    E_GABA_NORMAL_MV,
    FIRING_THRESHOLD_MV,
    HCO3_IN_MM,
    HCO3_OUT_MM,
    KCC2_EXTRUSION_RATIO,
    P_HCO3_OVER_P_CL,
)
from allostasis.adaptation._parameters import PARAMETER_INDEX
from allostasis.engine._cache_key import SOURCE_HASH
from allostasis.engine._elementary import (
    EXP_SAFE,
    LOG_RATIO_U_MAX,
    TANH_SAFE,
    exp_series,
    log_ratio_series,
    sqrt,
    tanh_series,
)
from allostasis.errors import InvalidValueError

__all__ = [
    "DERIV",
    "INPUTS",
    "LANES",
    "N_MODEL_ROWS",
    "N_PACKED",
    "PACKED_ROWS",
    "PARAMS",
    "STATE",
    "XOUT",
    "YB",
    "fill_lanes",
    "pack_parameters",
    "receptor_terms",
    "rhs_block",
    "rhs_inputs_block",
    "workspace",
]

#: Rows of the packed parameter array: ``inv_`` rows are 1/value (1/h), the rest the parameter.
PACKED_ROWS: Final[tuple[str, ...]] = (
    "inv_tau_density",
    "gain_density",
    "inv_tau_sensitive",
    "gain_sensitive",
    "flumazenil_reset_gain",
    "inv_tau_coupling_alpha1",
    "gain_coupling_alpha1",
    "inv_tau_coupling_alpha23",
    "gain_coupling_alpha23",
    "inv_tau_glutamate",
    "gain_glutamate",
    "plasticity_gain",
    "inv_tau_kcc2",
    "gain_kcc2",
    "inv_tau_hpa",
    "gain_hpa",
    "conditioning_rate",
    "conditioning_threshold",
    "inv_tau_extinction",
    "plasticity_rate",
    "inv_tau_plasticity",
    "inv_drive_saturation",
    "nmda_share",
    "cue_weight",
    "alpha_cooperativity",
    "weight_alpha1",
    "alpha4_efficacy",
)
N_PACKED: Final = len(PACKED_ROWS)
(
    _ITR,
    _GR,
    _ITS,
    _GS,
    _GF,
    _IT1,
    _G1,
    _IT23,
    _G23,
    _ITG,
    _GG,
    _GP,
    _ITA,
    _GA,
    _ITH,
    _GH,
    _ETA,
    _XC,
    _ITC,
    _KP,
    _ITP,
    _IUS,
    _PHIN,
    _WC,
    _ALPHA,
    _W1,
    _EPS4,
) = range(N_PACKED)

# chloride constants (adaptation._chloride), frozen into the compiled code
_CMAX: Final = float(CL_IN_MAX_MM)
_RHO: Final = float(KCC2_EXTRUSION_RATIO)
_PHCO3_IN: Final = float(P_HCO3_OVER_P_CL * HCO3_IN_MM)
_Q1: Final = _CMAX / (1.0 + _RHO) + _PHCO3_IN
_LOG_Q1_Q0: Final = math.log(_Q1 / float(CL_OUT_MM + P_HCO3_OVER_P_CL * HCO3_OUT_MM))
_RTF: Final = float(_RT_F_MV)
_VTH: Final = float(FIRING_THRESHOLD_MV)
_INV_DV0: Final = 1.0 / float(FIRING_THRESHOLD_MV - E_GABA_NORMAL_MV)
_FLAGS: Final = {"contract"}

#: Subjects per workspace (lanes). A compile-time constant: every row of the workspace is a fixed
#: offset, so the compiler sees that the model loop's loads and stores never overlap and vectorises
#: it without run-time alias checks.
LANES: Final = 64
#: Workspace rows (offsets in elements): the model reads ``STATE`` (9 rows), ``YB`` (1),
#: ``INPUTS`` (5, test entry only) and ``PARAMS`` (``N_PACKED``), and writes ``DERIV`` (9) and
#: ``XOUT`` (1). The engine's own rows follow from ``N_MODEL_ROWS``.
STATE: Final = 0
DERIV: Final = 9 * LANES
YB: Final = 18 * LANES
XOUT: Final = 19 * LANES
INPUTS: Final = 20 * LANES
PARAMS: Final = 25 * LANES
N_MODEL_ROWS: Final = 25 + N_PACKED
_ST, _DE, _YB, _XO, _U, _PA = STATE, DERIV, YB, XOUT, INPUTS, PARAMS


def workspace(extra_rows: int) -> np.ndarray:
    """A zeroed workspace: the model's rows and ``extra_rows`` more, ``LANES`` lanes each.

    Examples
    --------
    >>> workspace(3).shape == ((N_MODEL_ROWS + 3) * LANES,)
    True
    """
    return np.zeros((N_MODEL_ROWS + extra_rows) * LANES)


def fill_lanes(w: np.ndarray, offset: int, values: np.ndarray, rows: int) -> None:
    """Write ``values (rows, k)`` (k <= LANES subjects) at ``offset``; lanes k.. repeat lane k-1.

    Examples
    --------
    >>> w = workspace(0)
    >>> fill_lanes(w, YB, np.array([[1.0, 2.0]]), 1)
    >>> float(w[YB + 1]), float(w[YB + LANES - 1])
    (2.0, 2.0)
    """
    v = np.asarray(values, dtype=float).reshape(rows, -1)
    k = v.shape[1]
    block = w[offset : offset + rows * LANES].reshape(rows, LANES)
    block[:, :k] = v
    block[:, k:] = v[:, k - 1 : k]


def pack_parameters(params: np.ndarray) -> np.ndarray:
    """The ``(N_PACKED, n_subjects)`` kernel layout of a ``(n_subjects, n_parameters)`` array.

    .. math:: P^{packed}_{k, i} = 1/\\theta_{i, j(k)} \\ (\\text{inv rows}), \\ \\theta_{i, j(k)} \\ (\\text{else})

    Parameters
    ----------
    params : numpy.ndarray
        From :func:`~allostasis.adaptation.parameter_array`.

    Returns
    -------
    numpy.ndarray
        C-contiguous ``(N_PACKED, n_subjects)``.

    Raises
    ------
    InvalidValueError
        If a time constant or the drive saturation is not > 0.

    Examples
    --------
    >>> from allostasis.adaptation import parameter_array
    >>> p = pack_parameters(parameter_array(2))
    >>> p.shape, float(p[PACKED_ROWS.index("inv_tau_hpa"), 0])  # 1 / 12 h
    ((27, 2), 0.08333333333333333)
    """
    params = np.asarray(params, dtype=float)
    out = np.empty((N_PACKED, params.shape[0]))
    for k, name in enumerate(PACKED_ROWS):
        if name.startswith("inv_"):
            col = params[:, PARAMETER_INDEX[name[4:]]]
            if np.any(~(col > 0)):
                raise InvalidValueError(
                    f"params: {name[4:]} must be > 0 for the compiled engine; got {col.min()!r}"
                )
            out[k] = 1.0 / col
        else:
            out[k] = params[:, PARAMETER_INDEX[name]]
    return np.ascontiguousarray(out)


def _make_block(exact: bool, derivatives: bool, all_inputs: bool) -> Any:
    """The model over a workspace's lanes, with the series (or ``math``) ``log``, ``exp``, ``tanh``.

    ``exact``, ``derivatives`` and ``all_inputs`` are compile-time constants (closure values): numba
    removes the branches on them. Without ``all_inputs`` (the engine's scope) flumazenil, NMDA
    block and cue are zero and their terms are left out (the same equations with those inputs 0). The loop body reads and writes the workspace directly (no array
    is passed to a helper inside the loop, which would stop vectorisation). Returns the number of
    lanes whose balance index or HPA exponent is outside the series' accurate range.
    """

    key = SOURCE_HASH

    @njit(error_model="numpy", fastmath=_FLAGS, nogil=True, cache=True)
    def block(
        w: np.ndarray, inv_ratio: float, gtau: float, x0: float, inv_e0: float
    ) -> int:  # pragma: no cover - compiled
        _ = key  # part of numba's cache key (see engine._cache_key)
        bad = 0
        for s in range(LANES):
            if all_inputs:
                yb1 = w[_U + s]
                yb23 = w[_U + LANES + s]
                yf = w[_U + 2 * LANES + s]
                b = w[_U + 3 * LANES + s]
                cue = w[_U + 4 * LANES + s]
            else:
                yb1 = w[_YB + s]
                yb23 = yb1 * inv_ratio
                yf = 0.0
                b = 0.0
                cue = 0.0
            r = w[_ST + s]
            sf = w[_ST + LANES + s]
            k1 = w[_ST + 2 * LANES + s]
            k23 = w[_ST + 3 * LANES + s]
            g = w[_ST + 4 * LANES + s]
            a = w[_ST + 5 * LANES + s]
            c = w[_ST + 7 * LANES + s]
            am1 = w[_PA + _ALPHA * LANES + s] - 1.0
            # GABA's curve shifted by the benzodiazepine site, per pool (adaptation._balance):
            # s_p = n_p / d_p, n_p = 1 + alpha_p y_p + y_F, d_p = 1 + y_p + y_F; x = s_p x0;
            # Pi_p = E0(x) / E0(x0), E0(x) = 1 / (1 + v^1.5), v = (1 + x) / (tau x)
            #      = (d_p + x0 n_p) / (tau x0 n_p); the two pools share one division per step
            n1 = 1.0 + (1.0 + k1 * am1) * yb1 + yf
            n23 = 1.0 + (1.0 + k23 * am1) * yb23 + yf
            inv = 1.0 / (gtau * x0 * n1 * n23)
            v1 = (1.0 + yb1 + yf + x0 * n1) * n23 * inv
            v23 = (1.0 + yb23 + yf + x0 * n23) * n1 * inv
            b1 = 1.0 + v1 * sqrt(v1)
            b23 = 1.0 + v23 * sqrt(v23)
            inv = inv_e0 / (b1 * b23)
            pi1 = b23 * inv
            pi23 = b1 * inv
            # GABA driving force from KCC2 (adaptation._chloride.driving_force_from_kcc2):
            # [Cl]i + p[HCO3]i = q = C_max / (1 + rho a) + p[HCO3]i, taken relative to q(a = 1)
            ra = 1.0 + _RHO * a
            qn = _CMAX + _PHCO3_IN * ra
            qd = _Q1 * ra
            if exact:
                lq = math.log(qn / qd)
                uq = 0.0
            else:
                lq, uq = log_ratio_series(qn, qd)
            d = (_VTH - _RTF * (lq + _LOG_Q1_Q0)) * _INV_DV0
            ins = (1.0 - sf) * w[_PA + _EPS4 * LANES + s]
            w1 = w[_PA + _W1 * LANES + s]
            inh = max(r * d * (w1 * (sf * pi1 + ins) + (1.0 - w1) * (sf * pi23 + ins)), 1e-12)
            if all_inputs:
                exc = (
                    g * (1.0 - w[_PA + _PHIN * LANES + s] * b) + w[_PA + _WC * LANES + s] * c * cue
                )
            else:
                exc = g
            if exact:
                x = math.log(exc / inh)
                ux = 0.0
            else:
                x, ux = log_ratio_series(exc, inh)
            w[_XO + s] = x
            zh = w[_PA + _GH * LANES + s] * x
            bad += int(max(abs(ux), abs(uq)) > LOG_RATIO_U_MAX)
            if derivatives:
                zt = -x * w[_PA + _IUS * LANES + s]
                bad += int(abs(zh) > EXP_SAFE) + int(abs(zt) > TANH_SAFE)
                h = math.tanh(zt) if exact else tanh_series(zt)
                hp = max(h, 0.0)
                pl = w[_ST + 8 * LANES + s]
                eh = math.exp(zh) if exact else exp_series(zh)
                w[_DE + s] = (1.0 - w[_PA + _GR * LANES + s] * h - r) * w[_PA + _ITR * LANES + s]
                if all_inputs:
                    theta_f = yf / (1.0 + 0.5 * (yb1 + yb23) + yf)
                    w[_DE + LANES + s] = (
                        (1.0 - w[_PA + _GS * LANES + s] * hp - sf)
                        * (1.0 + w[_PA + _GF * LANES + s] * theta_f)
                        * w[_PA + _ITS * LANES + s]
                    )
                else:
                    w[_DE + LANES + s] = (1.0 - w[_PA + _GS * LANES + s] * hp - sf) * w[
                        _PA + _ITS * LANES + s
                    ]
                w[_DE + 2 * LANES + s] = (1.0 - w[_PA + _G1 * LANES + s] * h - k1) * w[
                    _PA + _IT1 * LANES + s
                ]
                w[_DE + 3 * LANES + s] = (1.0 - w[_PA + _G23 * LANES + s] * h - k23) * w[
                    _PA + _IT23 * LANES + s
                ]
                w[_DE + 4 * LANES + s] = (
                    (1.0 + w[_PA + _GG * LANES + s] * h - g)
                    * (1.0 + w[_PA + _GP * LANES + s] * pl)
                    * w[_PA + _ITG * LANES + s]
                )
                w[_DE + 5 * LANES + s] = (1.0 - w[_PA + _GA * LANES + s] * hp - a) * w[
                    _PA + _ITA * LANES + s
                ]
                w[_DE + 6 * LANES + s] = (eh - w[_ST + 6 * LANES + s]) * w[_PA + _ITH * LANES + s]
                w[_DE + 7 * LANES + s] = (
                    w[_PA + _ETA * LANES + s] * max(x - w[_PA + _XC * LANES + s], 0.0) * (1.0 - c)
                    - c * w[_PA + _ITC * LANES + s]
                )
                if all_inputs:
                    w[_DE + 8 * LANES + s] = (
                        w[_PA + _KP * LANES + s] * b * (1.0 - pl) - pl * w[_PA + _ITP * LANES + s]
                    )
                else:
                    w[_DE + 8 * LANES + s] = -pl * w[_PA + _ITP * LANES + s]
        return bad

    return block


_rhs_series = _make_block(False, True, False)
_rhs_exact = _make_block(True, True, False)
_inputs_series = _make_block(False, True, True)
_inputs_exact = _make_block(True, True, True)


@njit(nogil=True)
def rhs_block(
    w: np.ndarray, inv_ratio: float, gtau: float, x0: float, inv_e0: float
) -> None:  # pragma: no cover - compiled
    """Derivatives (rows ``DERIV``, 1/h) and balance index (row ``XOUT``) of a workspace's lanes.

    Reads the state (rows ``STATE``), the packed parameters (rows ``PARAMS``) and ``yb`` (row
    ``YB``, summed :math:`C_u/K_B` at the alpha1 pool; the alpha2/3 pool gets ``yb * inv_ratio``);
    no flumazenil, NMDA block or cue (the compiled engine's scope).
    """
    if _rhs_series(w, inv_ratio, gtau, x0, inv_e0) > 0:
        _rhs_exact(w, inv_ratio, gtau, x0, inv_e0)


def receptor_terms(rc: np.ndarray) -> tuple[float, float, float]:
    """``(tau, x0, 1 / E0(x0))`` of GABA's operational curve for the kernel (Hill slope 1.5 only).

    .. math:: E_0(x_0) = \\frac{1}{1 + w_0\\sqrt{w_0}}, \\quad w_0 = \\frac{1 + x_0}{\\tau x_0}

    Examples
    --------
    >>> from allostasis.adaptation import receptor_constants
    >>> [round(v, 3) for v in receptor_terms(receptor_constants())]
    [4.327, 0.092, 5.556]
    """
    tau, hill, x0 = (float(v) for v in rc)
    if hill != 1.5:
        raise InvalidValueError(
            f"receptor constants: the compiled engine uses GABA's Hill slope 1.5 (x*sqrt(x)); got {hill!r}"
        )
    w0 = (1.0 + x0) / (tau * x0)
    return tau, x0, 1.0 + w0 * math.sqrt(w0)


def rhs_inputs_block(
    state: np.ndarray,
    params: np.ndarray,
    inputs: np.ndarray,
    rc: np.ndarray,
    *,
    series: bool = True,
) -> tuple[np.ndarray, np.ndarray]:
    """The compiled model with all five inputs, in the numpy model's layout (for tests).

    .. math:: \\dot x = f(x, \\theta, u), \\quad X = \\ln(E/I)

    Parameters
    ----------
    state : numpy.ndarray
        ``(n_subjects, 9)``.
    params : numpy.ndarray
        ``(n_subjects, n_parameters)``.
    inputs : numpy.ndarray
        ``(n_subjects, 5)`` (``INPUT_NAMES``).
    rc : numpy.ndarray
        :func:`~allostasis.adaptation.receptor_constants`.
    series : bool
        Use the vectorisable series (default) or ``math`` functions.

    Returns
    -------
    tuple of numpy.ndarray
        Derivatives ``(n_subjects, 9)`` (1/h) and balance index ``(n_subjects,)``.

    Examples
    --------
    >>> from allostasis.adaptation import INITIAL_STATE, parameter_array, receptor_constants
    >>> d, x = rhs_inputs_block(INITIAL_STATE[None, :], parameter_array(), np.zeros((1, 5)), receptor_constants())
    >>> float(np.abs(d).max()), abs(float(x[0])) < 1e-14
    (0.0, True)
    """
    state = np.asarray(state, dtype=float)
    n = state.shape[0]
    packed = pack_parameters(params)
    terms = receptor_terms(rc)
    out = np.empty((n, 9))
    xout = np.empty(n)
    w = workspace(0)
    for s0 in range(0, n, LANES):
        k = min(LANES, n - s0)
        fill_lanes(w, STATE, state[s0 : s0 + k].T, 9)
        fill_lanes(w, PARAMS, packed[:, s0 : s0 + k], N_PACKED)
        fill_lanes(w, INPUTS, np.asarray(inputs, dtype=float)[s0 : s0 + k].T, 5)
        if not series or _inputs_series(w, 1.0, *terms) > 0:
            _inputs_exact(w, 1.0, *terms)
        out[s0 : s0 + k] = w[DERIV : DERIV + 9 * LANES].reshape(9, LANES)[:, :k].T
        xout[s0 : s0 + k] = w[XOUT : XOUT + k]
    return out, xout
