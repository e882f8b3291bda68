"""Loewe additivity: combination index, isobologram, the additive surface and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from allostasis.errors import InvalidValueError, UnitError
from allostasis.receptor._loewe import (
    DoseEffectCurve,
    isobologram,
    loewe_additive_effect,
    loewe_combination_index,
)
from allostasis.units import Q_

SETTINGS = settings(max_examples=150, deadline=None)

curves = st.builds(
    DoseEffectCurve,
    ed50=st.floats(0.01, 1000.0).map(lambda v: Q_(v, "mg")),
    hill=st.floats(0.3, 4.0),
    emax=st.floats(0.3, 1.0),
)


@SETTINGS
@given(a=curves, b=curves, level=st.floats(0.02, 0.98), t=st.floats(0.0, 1.0))
def test_ci_is_one_on_the_additive_isobole(
    a: DoseEffectCurve, b: DoseEffectCurve, level: float, t: float
) -> None:
    # Chou & Talalay 1984: pairs (t D_A(E), (1 - t) D_B(E)) are exactly Loewe additive.
    e = level * min(a.emax, b.emax)
    da = a.dose_for_effect(e) * t
    db = b.dose_for_effect(e) * (1.0 - t)
    r = loewe_combination_index(da, db, e, a, b)
    assert abs(r.combination_index - 1.0) < 1e-9
    assert r.classification == "additivity"
    assert r.description == "nearly additive"


@SETTINGS
@given(
    a=curves,
    b=curves,
    fa=st.floats(0.0, 3.0),
    fb=st.floats(0.0, 3.0),
)
def test_ci_is_one_on_the_additive_surface(
    a: DoseEffectCurve, b: DoseEffectCurve, fa: float, fb: float
) -> None:
    # The surface solved by bisection and the CI formula are independent routes to the same law.
    da, db = fa * a.ed50.magnitude, fb * b.ed50.magnitude  # doses as multiples of each ED50
    e = loewe_additive_effect(Q_(da, "mg"), Q_(db, "mg"), a, b)
    emin = min(a.emax, b.emax)
    assume(np.isfinite(e) and 0.01 * emin < e < 0.99 * emin)
    r = loewe_combination_index(Q_(da, "mg"), Q_(db, "mg"), e, a, b)
    assert abs(r.combination_index - 1.0) < 1e-9


def test_additive_surface_matches_dose_equivalence_for_parallel_curves() -> None:
    # Equal Hill slope and Emax: B behaves as a dilution of A (potency ratio ED50_A/ED50_B), so
    # the combination acts like d_A + d_B * ED50_A / ED50_B of A alone (Loewe & Muischnek 1926).
    a = DoseEffectCurve(ed50="10 mg", hill=1.7, emax=0.9)
    b = DoseEffectCurve(ed50="2 mg", hill=1.7, emax=0.9)
    da = Q_(np.array([0.0, 1.0, 5.0, 20.0]), "mg")
    db = Q_(np.array([3.0, 0.5, 1.0, 0.0]), "mg")
    expected = a.effect(da + db * 5.0)
    np.testing.assert_allclose(loewe_additive_effect(da, db, a, b), expected, rtol=1e-12)
    assert loewe_additive_effect("0 mg", "0 mg", a, b) == 0.0


def test_units_are_converted_to_each_curve() -> None:
    a = DoseEffectCurve(ed50="10 mg", name="A")
    b = DoseEffectCurve(ed50="2 uM", name="B")
    r = loewe_combination_index("2500 ug", "500 nM", 0.5, a, b)
    assert r.combination_index == pytest.approx(0.5)
    assert (r.unit_a, r.unit_b) == ("milligram", "micromolar")
    assert r.dose_a == pytest.approx(2.5)


@pytest.mark.parametrize(
    ("scale", "label", "grade"),
    [
        (0.05, "synergy", "very strong synergism"),
        (0.2, "synergy", "strong synergism"),
        (0.5, "synergy", "synergism"),
        (0.8, "synergy", "moderate synergism"),
        (0.88, "synergy", "slight synergism"),
        (1.0, "additivity", "nearly additive"),
        (1.15, "antagonism", "slight antagonism"),
        (1.3, "antagonism", "moderate antagonism"),
        (2.0, "antagonism", "antagonism"),
        (5.0, "antagonism", "strong antagonism"),
        (20.0, "antagonism", "very strong antagonism"),
    ],
)
def test_chou_grading(scale: float, label: str, grade: str) -> None:
    # Chou 2006 (Pharmacol Rev 58:621) CI bands; doses chosen so that CI equals `scale`.
    a = DoseEffectCurve(ed50="10 mg")
    b = DoseEffectCurve(ed50="2 mg")
    r = loewe_combination_index(Q_(5.0 * scale, "mg"), Q_(1.0 * scale, "mg"), 0.5, a, b)
    assert r.combination_index == pytest.approx(scale, rel=1e-12)
    assert (r.classification, r.description) == (label, grade)


def test_dose_reduction_index_and_vectorisation() -> None:
    a = DoseEffectCurve(ed50="10 mg", hill=2.0)
    b = DoseEffectCurve(ed50="2 mg")
    r = loewe_combination_index(Q_([2.0, 0.0], "mg"), Q_([0.5, 1.0], "mg"), [0.5, 0.2], a, b)
    # D_A(0.2) = 10 (0.25)^(1/2) = 5 mg; D_B(0.2) = 2 x 0.25 = 0.5 mg
    assert r.dose_a_alone == pytest.approx([10.0, 5.0])
    assert r.dose_b_alone == pytest.approx([2.0, 0.5])
    assert r.combination_index == pytest.approx([0.45, 2.0])
    assert r.dose_reduction_index_a == pytest.approx([5.0, np.inf])
    assert r.classification == ["synergy", "antagonism"]


def test_isobologram_is_the_ci_one_line() -> None:
    a = DoseEffectCurve(ed50="10 mg", hill=1.3, name="A")
    b = DoseEffectCurve(ed50="2 mg", hill=0.7, name="B")
    df = isobologram(a, b, [0.25, 0.5, 0.75], n_points=11)
    assert len(df) == 33
    assert df.attrs["units"] == {
        "effect": "fraction",
        "fraction_a": "fraction",
        "dose_a": "milligram",
        "dose_b": "milligram",
    }
    ci = loewe_combination_index(
        Q_(df["dose_a"].to_numpy(), "mg"),
        Q_(df["dose_b"].to_numpy(), "mg"),
        df["effect"].to_numpy(),
        a,
        b,
    )
    np.testing.assert_allclose(ci.combination_index, 1.0, atol=1e-12)
    first = df[df["effect"] == 0.5].iloc[0]
    assert first["dose_a"] == pytest.approx(10.0)
    assert first["dose_b"] == 0.0


def test_undefined_where_higher_efficacy_drug_exceeds_lower_emax() -> None:
    a = DoseEffectCurve(ed50="1 mg", emax=1.0)
    b = DoseEffectCurve(ed50="1 mg", emax=0.5)
    # A alone at 9 mg gives 0.9 > Emax_B: no Loewe isobole reaches that far.
    out = loewe_additive_effect(Q_([9.0, 0.2], "mg"), Q_([1.0, 0.2], "mg"), a, b)
    assert np.isnan(out[0])
    assert 0 < out[1] < 0.5


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda a, b: loewe_combination_index(
                "1 mg", "1 mg", 0.95, a, DoseEffectCurve("2 mg", emax=0.9, name="B")
            ),
            InvalidValueError,
            r"effect: 0.95 cannot be produced by B alone \(its effects lie in \(0, 0.9\)\)",
        ),
        (
            lambda a, b: loewe_combination_index("1 mg", "1 mg", 0.0, a, b),
            InvalidValueError,
            r"effect: 0 cannot be produced",
        ),
        (
            lambda a, b: loewe_combination_index("-1 mg", "1 mg", 0.5, a, b),
            InvalidValueError,
            r"dose_a: a dose must be >= 0 milligram; got -1",
        ),
        (
            lambda a, b: loewe_combination_index(1.0, "1 mg", 0.5, a, b),
            UnitError,
            r"dose_a: a bare number",
        ),
        (
            lambda a, b: loewe_combination_index("1 mL", "1 mg", 0.5, a, b),
            UnitError,
            r"dose_a: expected a quantity in milligram",
        ),
        (
            lambda a, b: loewe_combination_index("1 mg", "1 mg", 1.5, a, b),
            InvalidValueError,
            r"effect: must be a fraction in \[0, 1\]; got 1.5",
        ),
        (
            lambda a, b: loewe_combination_index("1 mg", "1 mg", 0.5, DoseEffectCurve(10.0), b),
            UnitError,
            r"curve_a.ed50: a bare number",
        ),
        (
            lambda a, b: loewe_combination_index("1 mg", "1 mg", 0.5, DoseEffectCurve("-1 mg"), b),
            InvalidValueError,
            r"curve_a.ed50: must be > 0",
        ),
        (
            lambda a, b: loewe_combination_index(
                "1 mg", "1 mg", 0.5, a, DoseEffectCurve("1 mg", hill=0)
            ),
            InvalidValueError,
            r"curve_b.hill: must be > 0; got 0",
        ),
        (
            lambda a, b: loewe_combination_index(
                "1 mg", "1 mg", 0.5, a, DoseEffectCurve("1 mg", emax=1.2)
            ),
            InvalidValueError,
            r"curve_b.emax: must be a fraction in \(0, 1\]; got 1.2",
        ),
        (
            lambda a, b: isobologram(a, b, 0.5, n_points=1),
            InvalidValueError,
            r"n_points: must be >= 2; got 1",
        ),
    ],
)
def test_bad_input(call, error: type[Exception], match: str) -> None:
    a = DoseEffectCurve(ed50="10 mg", name="A")
    b = DoseEffectCurve(ed50="2 mg", name="B")
    with pytest.raises(error, match=match):
        call(a, b)
