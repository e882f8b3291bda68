"""Operational allosteric model (Leach, Sexton & Christopoulos 2007) at GABA-A."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allostasis.errors import InvalidValueError, UnitError, UnknownDrugError
from allostasis.receptor._allosteric import (
    allosteric_response,
    allosteric_shift,
    cooperativity_from_potentiation,
    gaba_concentration_response,
)
from allostasis.receptor._gabaa_subunits import load_gabaa_subunit_data
from allostasis.units import Q_

KW = dict(agonist_ka="20 uM", agonist_tau=4.0, modulator_kb="27 nM", hill=1.5)


def _ec50(curve_a: np.ndarray, resp: np.ndarray) -> float:
    half = resp.max() / 2 if resp.max() > 0 else 0.0
    return float(np.exp(np.interp(half, resp, np.log(curve_a))))


def test_no_channel_opening_without_gaba() -> None:
    r = allosteric_response("0 uM", Q_(np.logspace(-1, 5, 13), "nM"), alpha=2.5, **KW)
    assert np.all(r == 0.0)


def test_pam_shifts_gaba_curve_left_without_raising_maximum() -> None:
    a = Q_(np.logspace(-2, 5, 400), "uM")
    r0 = allosteric_response(a, "0 nM", alpha=2.5, **KW)
    r1 = allosteric_response(a, "1 uM", alpha=2.5, **KW)
    assert np.all(r1 >= r0)
    m0 = allosteric_response("1e9 uM", "0 nM", alpha=2.5, **KW)
    m1 = allosteric_response("1e9 uM", "1 uM", alpha=2.5, **KW)
    assert float(m1) == pytest.approx(float(m0), rel=1e-6)  # beta = 1: same maximum
    shift = _ec50(a.magnitude, r0) / _ec50(a.magnitude, r1)
    expected = (1 + 2.5 * 1000 / 27) / (1 + 1000 / 27)
    assert shift == pytest.approx(expected, rel=1e-3)


def test_shift_saturates_at_alpha() -> None:
    b = Q_(np.logspace(0, 8, 30), "nM")
    s = allosteric_shift(b, modulator_kb="27 nM", alpha=2.5)
    assert np.all(np.diff(s) > 0)  # dose-dependent
    assert s[-1] == pytest.approx(2.5, rel=1e-5)
    assert np.all(s < 2.5)


def test_nam_shifts_right() -> None:
    s = allosteric_shift(Q_([10.0, 100.0, 1e7], "nM"), modulator_kb="10 nM", alpha=0.3)
    assert np.all(s < 1)
    assert np.all(np.diff(s) < 0)
    assert s[-1] == pytest.approx(0.3, rel=1e-5)
    r = gaba_concentration_response("NAM", "1 uM", alpha=0.3, modulator_kb="10 nM", beta=1.0)
    assert r.ec50_with_um > r.ec50_without_um


@settings(max_examples=40, deadline=None)
@given(
    alpha=st.floats(min_value=0.05, max_value=50.0),
    beta=st.floats(min_value=0.1, max_value=10.0),
    n=st.floats(min_value=0.7, max_value=2.5),
    y=st.floats(min_value=0.01, max_value=100.0),
)
def test_closed_form_shift_matches_the_curves(
    alpha: float, beta: float, n: float, y: float
) -> None:
    kw = dict(
        agonist_ka="1 uM", agonist_tau=3.0, modulator_kb="1 nM", alpha=alpha, beta=beta, hill=n
    )
    a = np.logspace(-6, 8, 3000)
    r0 = allosteric_response(Q_(a, "uM"), "0 nM", **kw)
    r1 = allosteric_response(Q_(a, "uM"), f"{y} nM", **kw)
    shift = _ec50(a, r0) / _ec50(a, r1)
    closed = float(
        allosteric_shift(
            f"{y} nM", modulator_kb="1 nM", alpha=alpha, beta=beta, agonist_tau=3.0, hill=n
        )
    )
    assert shift == pytest.approx(closed, rel=2e-2)


def test_diazepam_curve_uses_published_shift() -> None:
    # Ghansah & Weiss 1999: ~2.5-fold shift with 1 uM diazepam at alpha1beta2gamma2
    r = gaba_concentration_response("diazepam", "1 uM")
    assert 2.0 < r.shift < 3.0
    assert r.max_shift == pytest.approx(
        load_gabaa_subunit_data().modulator_named("diazepam").alpha.typical
    )
    assert set(r.curve.columns) == {"gaba_conc", "modulator_conc", "response"}
    assert sorted(r.curve.modulator_conc.unique()) == pytest.approx([0.0, 1000.0])
    assert r.ec50_without_um == pytest.approx(20.0)
    assert r.curve.attrs["units"]["gaba_conc"] == "uM"
    assert any("Ghansah" in b for b in r.basis)
    # dose dependence
    low = gaba_concentration_response("diazepam", "10 nM")
    assert 1.0 < low.shift < r.shift


def test_dawson_potentiation_is_consistent_with_ghansah_alpha() -> None:
    # Dawson 2006: diazepam +103% at EC20 GABA (alpha1); implied alpha for Hill 1-1.5 brackets 2.5
    lo = cooperativity_from_potentiation(1.03, hill=1.5)
    hi = cooperativity_from_potentiation(1.03, hill=1.0)
    assert lo < 2.5 < hi + 0.3
    # closed form, n = 1: f1 = 0.406 -> alpha = (0.406/0.594)/(0.25)
    assert hi == pytest.approx((0.406 / 0.594) / 0.25, rel=1e-9)


def test_bad_inputs() -> None:
    with pytest.raises(UnitError, match=r"agonist_conc: a bare number"):
        allosteric_response(1.0, "1 nM", alpha=2.0, **KW)
    with pytest.raises(InvalidValueError, match=r"modulator_conc: concentrations must be >= 0"):
        allosteric_response("1 uM", "-1 nM", alpha=2.0, **KW)
    with pytest.raises(InvalidValueError, match=r"alpha: must be a finite number > 0"):
        allosteric_response("1 uM", "1 nM", alpha=0.0, **KW)
    with pytest.raises(
        UnknownDrugError, match=r"modulator: 'zolpidem' has no allosteric parameters"
    ):
        gaba_concentration_response("zolpidem", "1 uM")
    with pytest.raises(InvalidValueError, match=r"baseline_fraction: must be in \(0, 1\)"):
        cooperativity_from_potentiation(1.0, baseline_fraction=1.2)
