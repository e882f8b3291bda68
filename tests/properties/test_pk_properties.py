"""Invariants of the PK engine, checked over generated parameters and regimens (hypothesis)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allostasis.exposure import OneCompartment, TwoCompartment, time_grid
from allostasis.regimen import DosingRecords
from allostasis.testing.strategies import dosing_records, one_compartment_params
from allostasis.units import Q_

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
GRID = time_grid("96 h", "0.5 h")


def _scaled(recs: DosingRecords, factor: float) -> DosingRecords:
    df = recs.data.copy()
    df["AMT"] *= factor
    df["RATE"] *= factor  # same durations
    return DosingRecords(df)


@SETTINGS
@given(params=one_compartment_params(metabolite=True), recs=dosing_records())
def test_concentrations_never_negative(params: dict, recs: DosingRecords) -> None:
    res = OneCompartment(name="p", **params).simulate(recs, GRID)
    assert np.all(res.values >= -1e-15)
    assert np.all(np.isfinite(res.values))


@SETTINGS
@given(
    params=one_compartment_params(metabolite=True),
    recs=dosing_records(),
    factor=st.floats(0.1, 10.0),
)
def test_linear_pk_scales_with_dose(params: dict, recs: DosingRecords, factor: float) -> None:
    m = OneCompartment(name="p", **params)
    base = m.simulate(recs, GRID).values
    scaled = m.simulate(_scaled(recs, factor), GRID).values
    np.testing.assert_allclose(scaled, factor * base, rtol=1e-9, atol=1e-15)


@SETTINGS
@given(params=one_compartment_params(), recs=dosing_records())
def test_compact_and_expanded_records_agree(params: dict, recs: DosingRecords) -> None:
    m = OneCompartment(name="p", **params)
    np.testing.assert_allclose(
        m.simulate(recs, GRID).values,
        m.simulate(recs.expand(), GRID).values,
        rtol=1e-12,
        atol=1e-15,
    )


@SETTINGS
@given(params=one_compartment_params(metabolite=True), recs=dosing_records())
def test_batched_kernel_matches_per_subject_kernel(params: dict, recs: DosingRecords) -> None:
    """The subjects-innermost fast path computes exactly what the general kernel computes."""
    m = OneCompartment(name="p", **params)
    rng = np.random.default_rng(0)
    subjects = pd.DataFrame(
        {"subject_id": np.arange(1, 71), "cl": m.typical()["cl"] * rng.lognormal(0, 0.3, 70)}
    )
    fast = m.simulate(recs, GRID, subjects).values

    class Slow(OneCompartment):
        _batched = False

    slow = Slow(name="p", **params).simulate(recs, GRID, subjects).values
    np.testing.assert_allclose(fast, slow, rtol=1e-12, atol=1e-15)


@SETTINGS
@given(params=one_compartment_params(), recs=dosing_records())
def test_batch_of_one_equals_single_subject(params: dict, recs: DosingRecords) -> None:
    m = OneCompartment(name="p", **params)
    single = m.simulate(recs, GRID).values
    typical = m.typical()
    cohort = pd.DataFrame(
        {"subject_id": [1, 2, 3], "cl": [typical["cl"] * 0.5, typical["cl"], typical["cl"] * 2]}
    )
    batch = m.simulate(recs, GRID, cohort).concentration()
    np.testing.assert_allclose(batch[1], single[:, 0], rtol=1e-12, atol=1e-15)


@SETTINGS
@given(
    cl=st.floats(0.5, 50),
    v1=st.floats(5, 100),
    q=st.floats(0.5, 50),
    v2=st.floats(5, 500),
    dose=st.floats(1, 100),
)
def test_two_compartment_iv_bolus_mass_balance(
    cl: float, v1: float, q: float, v2: float, dose: float
) -> None:
    """AUC(0-inf) x CL = dose; with the tail extrapolated from the terminal slope."""
    m = TwoCompartment(cl=f"{cl} L/h", v1=f"{v1} L", q=f"{q} L/h", v2=f"{v2} L")
    k10, k12, k21 = cl / v1, q / v1, q / v2
    s = k10 + k12 + k21
    beta = (s - np.sqrt(s * s - 4 * k10 * k21)) / 2
    alpha = (s + np.sqrt(s * s - 4 * k10 * k21)) / 2
    t_end = 12 / beta
    # fine where the fast phase decays, coarser for the slow tail (trapezoid error ~ h^2 c'')
    t = np.unique(
        np.concatenate([np.linspace(0, 12 / alpha, 4001), np.linspace(12 / alpha, t_end, 8001)])
    )
    recs = DosingRecords(pd.DataFrame({"TIME": [0.0], "AMT": [dose], "CMT": [2]}))
    c = m.simulate(recs, Q_(t, "h")).concentration()[0]
    auc = np.trapezoid(c, t) + c[-1] / beta
    assert auc * cl == pytest_approx(dose, 1e-3)


def pytest_approx(x: float, rel: float) -> object:
    import pytest

    return pytest.approx(x, rel=rel)
