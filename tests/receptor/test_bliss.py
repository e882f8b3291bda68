"""Bliss independence: seed example, closed form, invariants and bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allostasis.errors import InvalidValueError
from allostasis.receptor._bliss import EXCESS_TOLERANCE, CombinationExcess, bliss, bliss_expected

FRACTION = st.floats(0.0, 1.0, allow_nan=False)


def test_seed_opioid_benzodiazepine_example() -> None:
    # Seed 003 ("More than the sum of its parts"): 0.41 + 0.65 x (1 - 0.41) = 0.7935, "about 0.79".
    r = bliss(0.41, 0.65)
    assert r.expected == pytest.approx(0.7935, abs=1e-12)
    assert round(r.expected, 2) == 0.79
    assert r.observed is None
    assert r.excess is None
    assert r.classification is None
    assert r.reference == "bliss"


def test_closed_form_and_broadcasting() -> None:
    a = np.array([[0.0], [0.2], [1.0]])
    b = np.array([0.0, 0.5, 0.9])
    out = bliss_expected(a, b)
    assert out.shape == (3, 3)
    np.testing.assert_allclose(out, 1 - (1 - a) * (1 - b), rtol=0, atol=1e-15)
    np.testing.assert_allclose(out[2], 1.0)  # a full effect stays full
    np.testing.assert_allclose(out[0], b)  # no effect of A leaves B's effect


@settings(max_examples=200, deadline=None)
@given(a=FRACTION, b=FRACTION)
def test_bliss_is_at_least_each_single_effect(a: float, b: float) -> None:
    e = bliss_expected(a, b)
    assert max(a, b) <= e + 1e-15
    assert e <= 1.0
    assert bliss_expected(b, a) == pytest.approx(e, abs=1e-15)  # symmetric


def test_excess_and_classification_with_tolerance() -> None:
    expected = 1 - 0.59 * 0.35
    r = bliss(0.41, 0.65, observed=[0.6, expected + 0.04, expected + 0.06, 0.95])
    np.testing.assert_allclose(
        r.excess, np.array([0.6, expected + 0.04, expected + 0.06, 0.95]) - expected
    )
    assert r.classification == ["antagonism", "additivity", "synergy", "synergy"]
    assert r.tolerance == EXCESS_TOLERANCE
    # a narrower band turns the +0.04 point into synergy
    assert bliss(0.41, 0.65, observed=expected + 0.04, tolerance=0.01).classification == "synergy"
    # exactly at the band edge is additivity (strict inequality)
    assert bliss(0.5, 0.5, observed=0.8125, tolerance=0.0625).classification == "additivity"


def test_result_serialises_and_tabulates() -> None:
    r = bliss([0.2, 0.4], 0.5, observed=[0.7, 0.5])
    data = json.loads(r.model_dump_json())
    assert data["classification"] == ["synergy", "antagonism"]
    assert CombinationExcess.model_validate(data) == r
    df = r.to_dataframe()
    assert list(df.columns) == [
        "effect_a",
        "effect_b",
        "expected",
        "observed",
        "excess",
        "classification",
    ]
    assert df.attrs["units"]["expected"] == "fraction"
    assert any("Bliss" in line for line in r.basis)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"effect_a": 1.2, "effect_b": 0.5}, r"effect_a: must be a fraction in \[0, 1\]; got 1.2"),
        (
            {"effect_a": 0.2, "effect_b": -0.1},
            r"effect_b: must be a fraction in \[0, 1\]; got -0.1",
        ),
        ({"effect_a": 0.2, "effect_b": float("nan")}, r"effect_b: .*got nan"),
        ({"effect_a": "41%", "effect_b": 0.5}, r"effect_a: must be a fraction .*not a quantity"),
        ({"effect_a": 0.2, "effect_b": 0.5, "observed": 2.0}, r"observed: must be a fraction"),
        ({"effect_a": 0.2, "effect_b": 0.5, "tolerance": 1.5}, r"tolerance: must be a fraction"),
    ],
)
def test_bad_input_is_named(kwargs: dict, match: str) -> None:
    with pytest.raises(InvalidValueError, match=match):
        bliss(**kwargs)


def test_all_offending_values_reported() -> None:
    with pytest.raises(InvalidValueError, match=r"got 1.5, -2"):
        bliss_expected([0.1, 1.5, -2.0], 0.3)
