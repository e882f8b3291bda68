"""Gaddum/Schild: dose ratio, shifted curve, Schild regression (Arunlakshana & Schild 1959)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from allostasis.errors import InvalidValueError, UnitError
from allostasis.receptor._schild import dose_ratio, schild_regression, shifted_agonist_response
from allostasis.units import Q_


def test_dose_ratio_closed_form() -> None:
    # DR = 1 + [B]/KB: 10 nM antagonist with KB 1 nM gives 11.
    assert float(dose_ratio("10 nM", "1 nM")) == pytest.approx(11.0)
    assert float(dose_ratio("0 nM", "1 nM")) == 1.0


@given(
    b1=st.floats(0, 1e4, allow_nan=False),
    db=st.floats(1e-3, 1e4, allow_nan=False),
    kb=st.floats(1e-3, 1e3, allow_nan=False),
)
def test_dose_ratio_increases_with_antagonist(b1: float, db: float, kb: float) -> None:
    lo = float(dose_ratio(Q_(b1, "nM"), Q_(kb, "nM")))
    hi = float(dose_ratio(Q_(b1 + db, "nM"), Q_(kb, "nM")))
    assert hi > lo >= 1.0


def test_shifted_curve_half_max_at_ec50_times_dr() -> None:
    a = Q_(np.array([1.0, 11.0, 1e6]), "nM")
    e = shifted_agonist_response(a, ec50="1 nM", antagonist="10 nM", kb="1 nM", emax=2.0)
    assert e[1] == pytest.approx(1.0)  # half of emax at EC50 * DR = 11 nM
    assert e[2] == pytest.approx(2.0, rel=1e-4)  # surmountable: same maximum


def test_schild_ideal_data_slope_one_and_pa2() -> None:
    kb = 3e-9  # M; pA2 = -log10 KB = 8.5229
    b = Q_(np.logspace(-9, -5, 6), "M")
    fit = schild_regression(b, 1 + b.magnitude / kb)
    assert fit.slope == pytest.approx(1.0, abs=1e-9)
    assert fit.pa2 == pytest.approx(-np.log10(kb), abs=1e-9)
    assert fit.pkb == pytest.approx(-np.log10(kb), abs=1e-9)


def test_schild_noisy_ci_covers_truth() -> None:
    rng = np.random.default_rng(1)
    kb = 1e-8
    b = np.logspace(-8, -5, 8)
    y = np.log10(b / kb) + rng.normal(0, 0.05, b.size)
    fit = schild_regression(Q_(b, "M"), 1 + 10**y)
    assert fit.slope_ci[0] < 1.0 < fit.slope_ci[1]
    assert fit.pa2_ci[0] < 8.0 < fit.pa2_ci[1]
    assert fit.slope_ci[1] - fit.slope_ci[0] > 0


def test_schild_errors() -> None:
    b = Q_([1e-9, 1e-8, 1e-7], "M")
    with pytest.raises(InvalidValueError, match="every dose ratio must be > 1"):
        schild_regression(b, [1.0, 2.0, 3.0])
    with pytest.raises(InvalidValueError, match="at least 3 distinct"):
        schild_regression(Q_([1e-9, 1e-8], "M"), [2.0, 3.0])
    with pytest.raises(InvalidValueError, match="one dose ratio per"):
        schild_regression(b, [2.0, 3.0])
    with pytest.raises(InvalidValueError, match="kb: must be > 0"):
        dose_ratio("1 nM", "0 nM")
    with pytest.raises(InvalidValueError, match="antagonist: must be >= 0"):
        dose_ratio("-1 nM", "1 nM")
    with pytest.raises(UnitError, match="bare number"):
        dose_ratio("1", "1 nM")
    with pytest.raises(InvalidValueError, match="confidence"):
        schild_regression(b, [2.0, 3.0, 4.0], confidence=1.5)
