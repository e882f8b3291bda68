"""Mass-action, Hill and competitive occupancy; unit handling (closed forms: Clark 1926, Hill 1910)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from allostasis.errors import InvalidValueError, UnitError
from allostasis.receptor._occupancy import (
    competitive_occupancy,
    hill_occupancy,
    molar_concentration,
    occupancy,
    unbound_concentration,
)
from allostasis.units import Q_

conc = st.floats(min_value=0.0, max_value=1e6, allow_nan=False)
kd = st.floats(min_value=1e-3, max_value=1e5, allow_nan=False)


def test_mass_action_closed_form() -> None:
    # theta = C / (C + Kd): C = Kd gives 1/2, C = 3 Kd gives 3/4
    assert occupancy("2 nM", "2 nM") == pytest.approx(0.5)
    assert occupancy("6 nM", "2 nM") == pytest.approx(0.75)
    assert occupancy("0.006 uM", "2 nM") == pytest.approx(0.75)  # unit conversion


def test_arrays_broadcast_over_subjects() -> None:
    out = occupancy(Q_(np.array([[1.0], [3.0]]), "nM"), Q_(np.array([1.0, 3.0]), "nM"))
    assert out.shape == (2, 2)
    np.testing.assert_allclose(out, [[0.5, 0.25], [0.75, 0.5]])


def test_hill_reduces_to_mass_action_and_steepens() -> None:
    assert hill_occupancy("5 nM", "2 nM", 1.0) == pytest.approx(occupancy("5 nM", "2 nM"))
    assert hill_occupancy("4 nM", "2 nM", 2.0) == pytest.approx(16 / 20)
    assert hill_occupancy("1 nM", "2 nM", 2.0) == pytest.approx(1 / 5)


def test_competition_closed_form() -> None:
    # (C_i/K_i) / (1 + sum_j C_j/K_j): odds 2 and 1 -> 2/4 and 1/4
    occ = competitive_occupancy({"a": "2 nM", "b": "10 nM"}, {"a": "1 nM", "b": "10 nM"})
    assert occ["a"] == pytest.approx(0.5)
    assert occ["b"] == pytest.approx(0.25)
    # a single ligand is plain mass action
    assert competitive_occupancy({"a": "3 nM"}, {"a": "1 nM"})["a"] == pytest.approx(0.75)


def test_molar_and_unbound_conversion() -> None:
    # 30.623 ng/mL of sertraline (MW 306.23) is 100 nM; 98% bound leaves 2 nM free
    c = molar_concentration("30.623 ng/mL", "306.23 g/mol")
    assert c.to("nM").magnitude == pytest.approx(100.0)
    assert unbound_concentration(c, 0.98).to("nM").magnitude == pytest.approx(2.0)
    assert unbound_concentration("50 ng/mL", 0.5).to("ng/mL").magnitude == pytest.approx(25.0)


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (lambda: occupancy(2.0, "1 nM"), UnitError, r"concentration: a bare number"),
        (lambda: occupancy("2 mg", "1 nM"), UnitError, r"concentration: expected a quantity in nM"),
        (lambda: occupancy("-1 nM", "1 nM"), InvalidValueError, r"concentration: must be >= 0 nM"),
        (lambda: occupancy("1 nM", "0 nM"), InvalidValueError, r"kd: must be > 0 nM"),
        (lambda: hill_occupancy("1 nM", "1 nM", -1.0), InvalidValueError, r"hill: must be > 0"),
        (
            lambda: unbound_concentration("1 nM", 1.5),
            InvalidValueError,
            r"protein_binding: must be a fraction",
        ),
        (
            lambda: molar_concentration("-1 ng/mL", "300 g/mol"),
            InvalidValueError,
            r"concentration: must be >= 0",
        ),
        (lambda: competitive_occupancy({}, {}), InvalidValueError, r"give at least one ligand"),
    ],
)
def test_bad_input(call: object, exc: type[Exception], match: str) -> None:
    with pytest.raises(exc, match=match):
        call()  # type: ignore[operator]


@given(c=conc, k=kd, n=st.floats(min_value=0.2, max_value=5.0))
def test_occupancy_in_unit_interval(c: float, k: float, n: float) -> None:
    for v in (occupancy(Q_(c, "nM"), Q_(k, "nM")), hill_occupancy(Q_(c, "nM"), Q_(k, "nM"), n)):
        assert 0.0 <= v <= 1.0


@given(c1=conc, c2=conc, k=kd)
def test_occupancy_monotone_in_concentration(c1: float, c2: float, k: float) -> None:
    lo, hi = sorted((c1, c2))
    assert occupancy(Q_(lo, "nM"), Q_(k, "nM")) <= occupancy(Q_(hi, "nM"), Q_(k, "nM"))


@given(ca=conc, cb=conc, ka=kd, kb=kd)
def test_competition_total_below_one_and_competitor_lowers_share(
    ca: float, cb: float, ka: float, kb: float
) -> None:
    occ = competitive_occupancy(
        {"a": Q_(ca, "nM"), "b": Q_(cb, "nM")}, {"a": Q_(ka, "nM"), "b": Q_(kb, "nM")}
    )
    assert 0.0 <= occ["a"] + occ["b"] <= 1.0
    assert occ["a"] <= occupancy(Q_(ca, "nM"), Q_(ka, "nM")) + 1e-12
