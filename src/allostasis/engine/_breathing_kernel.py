"""Compiled steps for the breathing engine: effect-site equilibration and MOR competition.

Effect site (biophase), exact for a concentration linear over the step:

.. math:: C_e(t+h) = C_e(t) e^{-k_{e0} h} + \\bar C (1 - e^{-k_{e0} h})

(with :math:`\\bar C` the step's mean, a second-order approximation). Competitive binding of all
ligands at the mu-opioid receptor (``receptor._binding_kinetics``, Mann et al. 2022),

.. math:: \\dot\\theta_j = a_j(t)(1 - \\textstyle\\sum_k \\theta_k) - k_{off,j}\\theta_j,
    \\qquad a_j = k_{on,j} C_j^{n_j}

is advanced by backward Euler; the linear system :math:`(D + h\\,a\\mathbf 1^T)\\theta' = \\theta + h a`
(:math:`D = \\mathrm{diag}(1 + h k_{off})`) is solved in closed form by Sherman-Morrison, so the
stiff naloxone association (rates up to ~100/min) is stable at any step. Agreement with the
reference Radau solver (``simulate_competition``) is tested.
"""

from __future__ import annotations

import numba
import numpy as np

__all__ = ["effect_site", "mor_competition"]


@numba.njit(cache=True)
def effect_site(cu: np.ndarray, ke0: float, dt: float) -> np.ndarray:
    """``(n_subjects, n_times)`` effect-site concentrations from plasma ``cu`` (ke0 in 1/min)."""
    n_s, n_t = cu.shape
    out = np.empty_like(cu)
    e = np.exp(-ke0 * dt)
    for s in range(n_s):
        ce = cu[s, 0] * 0.0
        out[s, 0] = ce
        for i in range(1, n_t):
            ce = ce * e + 0.5 * (cu[s, i - 1] + cu[s, i]) * (1.0 - e)
            out[s, i] = ce
    return out


@numba.njit(cache=True)
def mor_competition(drive: np.ndarray, koff: np.ndarray, dt: float) -> np.ndarray:
    """Occupancy ``(n_subjects, n_ligands, n_times)`` from association drives ``a_j(t)`` (1/min).

    Starts with all sites free.
    """
    n_s, n_l, n_t = drive.shape
    out = np.zeros((n_s, n_l, n_t))
    th = np.zeros(n_l)
    for s in range(n_s):
        for j in range(n_l):
            th[j] = 0.0
        for i in range(1, n_t):
            # backward Euler at the new time
            sum_du = 0.0
            sum_da = 0.0
            for j in range(n_l):
                dj = 1.0 + dt * koff[j]
                a = drive[s, j, i]
                sum_du += (th[j] + dt * a) / dj
                sum_da += dt * a / dj
            factor = sum_du / (1.0 + sum_da)
            for j in range(n_l):
                dj = 1.0 + dt * koff[j]
                a = drive[s, j, i]
                th[j] = (th[j] + dt * a) / dj - (dt * a / dj) * factor
                if th[j] < 0.0:
                    th[j] = 0.0
                out[s, j, i] = th[j]
    return out
