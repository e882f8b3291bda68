"""Highest single agent: excess over the better drug alone."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allostasis.errors import InvalidValueError
from allostasis.receptor._bliss import bliss_expected
from allostasis.receptor._highest_single_agent import hsa_excess

FRACTION = st.floats(0.0, 1.0, allow_nan=False)


def test_seed_pair_against_best_single_agent() -> None:
    # 0.41 and 0.65 alone; the Bliss-expected 0.7935 observed: 0.1435 above the better drug.
    r = hsa_excess(0.41, 0.65, observed=0.7935)
    assert r.expected == 0.65
    assert r.excess == pytest.approx(0.1435, abs=1e-12)
    assert r.classification == "synergy"
    assert r.reference == "highest single agent"


def test_vectorised_and_classified() -> None:
    r = hsa_excess([0.2, 0.5, 0.3], [0.3, 0.6, 0.3], observed=[0.32, 0.4, 0.3])
    assert r.expected == [0.3, 0.6, 0.3]
    np.testing.assert_allclose(r.excess, [0.02, -0.2, 0.0], atol=1e-15)
    assert r.classification == ["additivity", "antagonism", "additivity"]


@settings(max_examples=100, deadline=None)
@given(a=FRACTION, b=FRACTION)
def test_bliss_independent_pair_is_never_hsa_antagonistic(a: float, b: float) -> None:
    # HSA expects less than Bliss, so a Bliss-additive observation has excess >= 0 over HSA.
    r = hsa_excess(a, b, observed=bliss_expected(a, b))
    assert r.excess >= -1e-15
    assert r.classification != "antagonism"


def test_observed_is_required_and_checked() -> None:
    with pytest.raises(
        InvalidValueError, match=r"observed: must be a fraction in \[0, 1\]; got 1.1"
    ):
        hsa_excess(0.2, 0.3, observed=1.1)
    with pytest.raises(
        InvalidValueError, match=r"effect_a: must be a fraction in \[0, 1\]; got -0.2"
    ):
        hsa_excess(-0.2, 0.3, observed=0.5)
    with pytest.raises(TypeError):
        hsa_excess(0.2, 0.3)  # type: ignore[call-arg]
