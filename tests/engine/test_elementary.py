"""Vectorisable log, exp and tanh of the engine, and the one-sided-term quadrature."""

import numpy as np
import pytest
from numba import njit
from scipy.integrate import quad

from allostasis.engine._elementary import (
    EXP_SAFE,
    LOG_RATIO_U_MAX,
    TANH_SAFE,
    exp_series,
    log_ratio_series,
    tanh_series,
)
from allostasis.engine._threshold_terms import STAGE_TIMES, positive_part_integral


@njit
def _apply(p, q, out, u):
    for i in range(p.size):
        out[i], u[i] = log_ratio_series(p[i], q[i])


@njit
def _exp(z, out):
    for i in range(z.size):
        out[i] = exp_series(z[i])


@njit
def _tanh(z, out):
    for i in range(z.size):
        out[i] = tanh_series(z[i])


def test_log_ratio_series_is_exact_to_rounding_in_its_range():
    rng = np.random.default_rng(0)
    x = rng.uniform(-0.7, 0.7, 20000)
    q = rng.uniform(0.05, 20.0, x.size)
    p = q * np.exp(x)
    out, u = np.empty_like(x), np.empty_like(x)
    _apply(p, q, out, u)
    assert np.abs(out - np.log(p / q)).max() < 1e-15
    assert np.abs(u).max() <= LOG_RATIO_U_MAX  # the range check the model uses


def test_exp_and_tanh_series_in_their_ranges():
    rng = np.random.default_rng(1)
    z = rng.uniform(-EXP_SAFE, EXP_SAFE, 20000)
    out = np.empty_like(z)
    _exp(z, out)
    assert (np.abs(out - np.exp(z)) / np.exp(z)).max() < 1e-14
    z = rng.uniform(-TANH_SAFE, TANH_SAFE, 20000)
    _tanh(z, out)
    assert np.abs(out - np.tanh(z)).max() < 2e-15
    assert _tanh_at(0.0) == 0.0


def _tanh_at(v):
    out = np.empty(1)
    _tanh(np.array([v]), out)
    return float(out[0])


@pytest.mark.parametrize("seed", range(5))
def test_positive_part_integral_of_the_stage_polynomial(seed):
    coef = np.random.default_rng(seed).normal(size=6)
    poly = np.polynomial.Polynomial(coef)
    got = positive_part_integral(poly(STAGE_TIMES), np.empty(6))
    ref = quad(lambda t: max(poly(t), 0.0), 0.0, 1.0, points=poly.roots().real, epsabs=1e-14)[0]
    assert got == pytest.approx(ref, abs=1e-13)


def test_positive_part_integral_of_a_crossing_line():
    # z = 1 - 2.5 t crosses zero at 0.4: integral of the positive part is 0.4 / 2
    z = 1.0 - 2.5 * STAGE_TIMES
    assert positive_part_integral(z, np.empty(6)) == pytest.approx(0.2, abs=1e-14)
