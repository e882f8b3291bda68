"""Compiled event-driven solver for linear compartment models over a subject axis.

Between events the state obeys the linear system

.. math::

    \\frac{dx}{dt} = K x + u, \\qquad
    x(t + \\Delta) = \\Phi(\\Delta)\\, x(t) + \\Gamma(\\Delta)\\, u,

with the exact propagators :math:`\\Phi = e^{K\\Delta}` and :math:`\\Gamma = \\int_0^\\Delta e^{Ks}\\,ds`,
both read off one exponential of the augmented matrix
:math:`\\begin{pmatrix} K & I \\\\ 0 & 0 \\end{pmatrix}\\Delta` (Van Loan, IEEE TAC 1978,
doi:10.1109/TAC.1978.1101743). No numerical integration is involved; the only error is float64
round-off. Propagators are cached per subject by step length, so a regular output grid costs one
matrix exponential per subject.

Events per subject are (time, kind, compartment, amount, rate, ii, ss); kinds are the NONMEM EVIDs.
Conventions: at equal times resets come before doses and doses before outputs (an observation at a
bolus time sees the bolus); bioavailability F scales bolus amounts and, for zero-order inputs, the
amount at fixed rate (the duration shortens), as in NONMEM; lag times shift doses per compartment.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from allostasis.exposure._expm import expm_small

__all__ = ["build_actions", "simulate_linear"]

_CACHE = 8
_EVID_OBS = 0
_EVID_DOSE = 1
_EVID_OTHER = 2
_EVID_RESET = 3
_EVID_RESET_DOSE = 4

# internal action kinds, in the order they apply at equal times
_A_RESET = 0
_A_SS = 1
_A_RATE_OFF = 2
_A_BOLUS = 3
_A_RATE_ON = 4


@njit(cache=True, nogil=True)
def _propagators(
    k: np.ndarray, dt: float, phi: np.ndarray, gamma: np.ndarray
) -> None:  # pragma: no cover
    n = k.shape[0]
    aug = np.zeros((2 * n, 2 * n))
    for i in range(n):
        for j in range(n):
            aug[i, j] = k[i, j] * dt
        aug[i, n + i] = dt
    e = expm_small(aug)
    for i in range(n):
        for j in range(n):
            phi[i, j] = e[i, j]
            gamma[i, j] = e[i, n + j]


@njit(cache=True, nogil=True)
def _lookup(
    k: np.ndarray,
    dt: float,
    c_dt: np.ndarray,
    c_phi: np.ndarray,
    c_gamma: np.ndarray,
    c_next: np.ndarray,
) -> int:  # pragma: no cover
    for c in range(_CACHE):
        if c_dt[c] >= 0.0 and abs(c_dt[c] - dt) <= 1e-12 * max(1.0, dt):
            return c
    slot: int = c_next[0]
    c_next[0] = (slot + 1) % _CACHE
    _propagators(k, dt, c_phi[slot], c_gamma[slot])
    c_dt[slot] = dt
    return slot


@njit(cache=True, nogil=True)
def _advance(
    x: np.ndarray, u: np.ndarray, rates_on: int, phi: np.ndarray, gamma: np.ndarray, tmp: np.ndarray
) -> None:  # pragma: no cover
    n = x.shape[0]
    for i in range(n):
        acc = 0.0
        for j in range(n):
            acc += phi[i, j] * x[j]
        if rates_on > 0:
            for j in range(n):
                acc += gamma[i, j] * u[j]
        tmp[i] = acc
    for i in range(n):
        x[i] = tmp[i]


@njit(cache=True, nogil=True)
def _steady_state(
    k: np.ndarray,
    cmt: int,
    amt: float,
    rate: float,
    ii: float,
    f: float,
    tlag: float,
) -> np.ndarray:  # pragma: no cover
    """Pre-dose state of the periodic steady state of ``amt`` every ``ii`` into ``cmt``.

    One cycle from a zero state gives ``y``; the trough is the sum of all earlier cycles,
    ``x* = (I - Phi(ii))^{-1} y``. With ``ii == 0`` and ``rate > 0`` it is the steady state of a
    constant infusion, ``x* = -K^{-1} u``. Returns NaNs where the request is unsupported.
    """
    n = k.shape[0]
    out = np.zeros(n)
    phi = np.empty((n, n))
    gamma = np.empty((n, n))
    if ii <= 0.0:
        u = np.zeros(n)
        u[cmt] = rate
        return np.linalg.solve(-k, u)
    if tlag >= ii:
        out[:] = np.nan
        return out
    y = np.zeros(n)
    tmp = np.zeros(n)
    u = np.zeros(n)
    if rate > 0.0:
        dur = f * amt / rate
        if tlag + dur > ii:
            out[:] = np.nan
            return out
        if tlag > 0.0:
            _propagators(k, tlag, phi, gamma)
            _advance(y, u, 0, phi, gamma, tmp)
        u[cmt] = rate
        _propagators(k, dur, phi, gamma)
        _advance(y, u, 1, phi, gamma, tmp)
        u[cmt] = 0.0
        rest = ii - tlag - dur
        if rest > 0.0:
            _propagators(k, rest, phi, gamma)
            _advance(y, u, 0, phi, gamma, tmp)
    else:
        # the dose is absorbed at tlag; y is the state it leaves at the end of the cycle
        y[cmt] = f * amt
        _propagators(k, ii - tlag, phi, gamma)
        _advance(y, u, 0, phi, gamma, tmp)
    _propagators(k, ii, phi, gamma)
    a = np.eye(n) - phi
    return np.linalg.solve(a, y)


@njit(cache=True, nogil=True)
def build_actions(
    f: np.ndarray,
    tlag: np.ndarray,
    ev_time: np.ndarray,
    ev_evid: np.ndarray,
    ev_cmt: np.ndarray,
    ev_amt: np.ndarray,
    ev_rate: np.ndarray,
    ev_ii: np.ndarray,
    ev_ss: np.ndarray,
    f_on_bolus: bool,
) -> tuple[
    np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray
]:  # pragma: no cover
    """Turn dosing records into time-ordered actions (lag applied; two actions per infusion).

    Returns ``(time, kind, cmt, value, ii, amt, order)``; ``order`` sorts by time, then kind
    (reset < steady state < rate off < bolus < rate on). Bolus values include F when
    ``f_on_bolus``; infusion durations always use F (NONMEM: F scales the amount at fixed rate).
    """
    n_ev = ev_time.shape[0]
    # 1. turn records into actions (lagged, F applied), two per infusion
    a_time = np.empty(3 * n_ev)
    a_kind = np.empty(3 * n_ev, dtype=np.int64)
    a_cmt = np.empty(3 * n_ev, dtype=np.int64)
    a_val = np.empty(3 * n_ev)
    a_ii = np.empty(3 * n_ev)
    a_amt = np.empty(3 * n_ev)
    na = 0
    for e in range(n_ev):
        evid = ev_evid[e]
        if evid in (_EVID_OBS, _EVID_OTHER):
            continue
        if evid in (_EVID_RESET, _EVID_RESET_DOSE):
            a_time[na] = ev_time[e]
            a_kind[na] = _A_RESET
            a_cmt[na] = 0
            a_val[na] = 0.0
            na += 1
            if evid == _EVID_RESET:
                continue
        c = ev_cmt[e]
        lag = tlag[c]
        if ev_ss[e] > 0:
            a_time[na] = ev_time[e]
            a_kind[na] = _A_SS
            a_cmt[na] = c
            a_val[na] = ev_rate[e]
            a_ii[na] = ev_ii[e]
            a_amt[na] = ev_amt[e] if ev_ss[e] == 1 else -ev_amt[e] - 1.0  # sign marks SS=2 (add)
            na += 1
            if ev_ii[e] <= 0.0:
                # constant infusion at steady state: switch its rate on for good
                a_time[na] = ev_time[e]
                a_kind[na] = _A_RATE_ON
                a_cmt[na] = c
                a_val[na] = ev_rate[e]
                na += 1
                continue
        if ev_rate[e] > 0.0:
            dur = f[c] * ev_amt[e] / ev_rate[e]
            if dur <= 0.0:
                continue
            a_time[na] = ev_time[e] + lag
            a_kind[na] = _A_RATE_ON
            a_cmt[na] = c
            a_val[na] = ev_rate[e]
            na += 1
            a_time[na] = ev_time[e] + lag + dur
            a_kind[na] = _A_RATE_OFF
            a_cmt[na] = c
            a_val[na] = ev_rate[e]
            a_ii[na] = ev_time[e] + lag  # start, so a reset in between cancels this stop
            na += 1
        elif ev_amt[e] > 0.0:
            a_time[na] = ev_time[e] + lag
            a_kind[na] = _A_BOLUS
            a_cmt[na] = c
            a_val[na] = f[c] * ev_amt[e] if f_on_bolus else ev_amt[e]
            na += 1
    # 2. order actions by time, then kind (reset < ss < rate-off < bolus < rate-on)
    key = np.empty(na)
    for i in range(na):
        key[i] = a_time[i]
    order = np.argsort(key, kind="mergesort")
    for i in range(1, na):  # insertion pass to order equal times by kind, keeping stability
        j = i
        while j > 0:
            p, q = order[j - 1], order[j]
            if a_time[p] == a_time[q] and a_kind[p] > a_kind[q]:
                order[j - 1], order[j] = q, p
                j -= 1
            else:
                break
    return a_time[:na], a_kind[:na], a_cmt[:na], a_val[:na], a_ii[:na], a_amt[:na], order


@njit(cache=True, nogil=True)
def _simulate_one(
    k: np.ndarray,
    f: np.ndarray,
    tlag: np.ndarray,
    ev_time: np.ndarray,
    ev_evid: np.ndarray,
    ev_cmt: np.ndarray,
    ev_amt: np.ndarray,
    ev_rate: np.ndarray,
    ev_ii: np.ndarray,
    ev_ss: np.ndarray,
    obs_time: np.ndarray,
    out_state: np.ndarray,
    out_scale: np.ndarray,
    out: np.ndarray,
) -> int:  # pragma: no cover
    """Simulate one subject; writes ``out[len(obs_time), n_out]``. Returns 0, or an error code."""
    n = k.shape[0]
    a_time, a_kind, a_cmt, a_val, a_ii, a_amt, order = build_actions(
        f, tlag, ev_time, ev_evid, ev_cmt, ev_amt, ev_rate, ev_ii, ev_ss, True
    )
    na = a_time.shape[0]
    # 3. walk actions and outputs together
    x = np.zeros(n)
    u = np.zeros(n)
    tmp = np.zeros(n)
    n_rates = 0
    c_dt = np.full(_CACHE, -1.0)
    c_phi = np.empty((_CACHE, n, n))
    c_gamma = np.empty((_CACHE, n, n))
    c_next = np.zeros(1, dtype=np.int64)
    n_obs = obs_time.shape[0]
    n_out = out_state.shape[0]
    t = 0.0
    if na > 0:
        t = min(a_time[order[0]], obs_time[0] if n_obs > 0 else math.inf)
    elif n_obs > 0:
        t = obs_time[0]
    last_reset = -math.inf
    cur_dt = -1.0
    cur = 0
    ia = 0
    io = 0
    while io < n_obs:
        t_a = a_time[order[ia]] if ia < na else math.inf
        # the run of outputs strictly before the next action: one cached propagator, tight loop
        phi = c_phi[cur]
        gamma = c_gamma[cur]
        while io < n_obs and obs_time[io] < t_a:
            dt = obs_time[io] - t
            if dt > 0.0:
                if dt != cur_dt:
                    cur = _lookup(k, dt, c_dt, c_phi, c_gamma, c_next)
                    cur_dt = dt
                    phi = c_phi[cur]
                    gamma = c_gamma[cur]
                if n_rates == 0:
                    # hot path: x <- Phi x
                    for i in range(n):
                        acc = 0.0
                        for j in range(n):
                            acc += phi[i, j] * x[j]
                        tmp[i] = acc
                    for i in range(n):
                        x[i] = tmp[i]
                else:
                    _advance(x, u, n_rates, phi, gamma, tmp)
                t = obs_time[io]
            for j in range(n_out):
                out[io, j] = x[out_state[j]] * out_scale[j]
            io += 1
        if io >= n_obs:
            break
        # the next action (at or before the next output: actions come first at equal times)
        if t_a > t:
            cur = _lookup(k, t_a - t, c_dt, c_phi, c_gamma, c_next)
            cur_dt = t_a - t
            _advance(x, u, n_rates, c_phi[cur], c_gamma[cur], tmp)
            t = t_a
        a = order[ia]
        kind = a_kind[a]
        cm = a_cmt[a]
        if kind == _A_RESET:
            x[:] = 0.0
            u[:] = 0.0
            n_rates = 0
            last_reset = t
        elif kind == _A_BOLUS:
            x[cm] += a_val[a]
        elif kind == _A_RATE_ON:
            u[cm] += a_val[a]
            n_rates += 1
        elif kind == _A_RATE_OFF and a_ii[a] < last_reset:
            pass  # this infusion was ended by a reset
        elif kind == _A_RATE_OFF:
            u[cm] -= a_val[a]
            n_rates -= 1
            if n_rates == 0:
                u[:] = 0.0  # remove round-off left by +r then -r
        else:  # steady state
            add = a_amt[a] < 0.0
            amt = -a_amt[a] - 1.0 if add else a_amt[a]
            xs = _steady_state(k, cm, amt, a_val[a], a_ii[a], f[cm], tlag[cm])
            if np.isnan(xs[0]):
                return 1
            if not add:
                x[:] = 0.0
                u[:] = 0.0
                n_rates = 0
                last_reset = t
            for i in range(n):
                x[i] += xs[i]
        ia += 1
    return 0


@njit(cache=True, parallel=True)
def simulate_linear(
    k: np.ndarray,
    f: np.ndarray,
    tlag: np.ndarray,
    ev_start: np.ndarray,
    ev_stop: np.ndarray,
    ev_time: np.ndarray,
    ev_evid: np.ndarray,
    ev_cmt: np.ndarray,
    ev_amt: np.ndarray,
    ev_rate: np.ndarray,
    ev_ii: np.ndarray,
    ev_ss: np.ndarray,
    obs_start: np.ndarray,
    obs_stop: np.ndarray,
    obs_time: np.ndarray,
    out_offset: np.ndarray,
    out_state: np.ndarray,
    out_scale: np.ndarray,
    out: np.ndarray,
) -> np.ndarray:  # pragma: no cover
    """Simulate every subject in parallel.

    Shapes: ``k (n_subjects, n, n)``; ``f, tlag (n_subjects, n)``; event arrays flat, subject ``i``
    owning ``[ev_start[i], ev_stop[i])`` (subjects may share one event list); observation times flat,
    subject ``i`` owning ``[obs_start[i], obs_stop[i])``, sorted; its outputs are written to
    ``out[out_offset[i] : out_offset[i] + n_obs_i, :]`` as ``x[out_state[j]] * out_scale[i, j]``.
    Returns an error code per subject (0 = fine, 1 = unsupported steady-state request).
    """
    n_subj = k.shape[0]
    status = np.zeros(n_subj, dtype=np.int64)
    for i in prange(n_subj):
        e0, e1 = ev_start[i], ev_stop[i]
        o0, o1 = obs_start[i], obs_stop[i]
        r0 = out_offset[i]
        status[i] = _simulate_one(
            k[i],
            f[i],
            tlag[i],
            ev_time[e0:e1],
            ev_evid[e0:e1],
            ev_cmt[e0:e1],
            ev_amt[e0:e1],
            ev_rate[e0:e1],
            ev_ii[e0:e1],
            ev_ss[e0:e1],
            obs_time[o0:o1],
            out_state,
            out_scale[i],
            out[r0 : r0 + (o1 - o0)],
        )
    return status
