"""Calcium entry and release (Dodge & Rahamimoff 1967); gabapentinoids (Fink et al. 2002)."""

from __future__ import annotations

import numpy as np
import pytest

from allostasis.errors import InvalidValueError, UnitError, UnknownDrugError
from allostasis.receptor._release import (
    DODGE_RAHAMIMOFF_EXPONENT,
    gabapentinoid_release_effect,
    release_fraction,
)


def test_twenty_percent_less_entry_removes_57_percent() -> None:
    # 1 - 0.8^3.8 = 0.5717 (power law, Dodge & Rahamimoff 1967: slope 3.78 +/- 0.2)
    assert 1 - float(release_fraction(0.8, exponent=3.8)) == pytest.approx(1 - 0.8**3.8, rel=1e-12)
    assert 1 - float(release_fraction(0.8, exponent=3.8)) == pytest.approx(0.5717, abs=1e-4)
    assert pytest.approx(3.78) == DODGE_RAHAMIMOFF_EXPONENT


def test_high_frequency_removes_larger_share() -> None:
    low = 1 - float(release_fraction(0.8, firing_rate="1 Hz"))
    high = 1 - float(release_fraction(0.8, firing_rate="50 Hz"))
    assert low == pytest.approx(1 - 0.8**3.78, abs=1e-3)  # residual calcium negligible at 1 Hz
    assert high > low + 0.05  # 0.64 vs 0.57
    rates = ["1 Hz", "10 Hz", "20 Hz", "50 Hz", "100 Hz"]
    cuts = [1 - float(release_fraction(0.8, firing_rate=r)) for r in rates]
    assert np.all(np.diff(cuts) > 0)
    assert float(release_fraction(1.0, firing_rate="100 Hz")) == pytest.approx(1.0)


def test_pregabalin_reduction_rises_and_saturates() -> None:
    conc = ["0 nM", "1 nM", "6 nM", "60 nM", "6 uM", "600 uM"]
    red = [
        gabapentinoid_release_effect("pregabalin", c, potency="binding").release_reduction[0]
        for c in conc
    ]
    assert red[0] == 0.0
    assert np.all(np.diff(red) > 0)
    ceiling = 1 - (1 - 0.35) ** DODGE_RAHAMIMOFF_EXPONENT  # Imax 35% (Fink 2002): 0.804
    assert red[-1] == pytest.approx(ceiling, abs=1e-4)
    r = gabapentinoid_release_effect("pregabalin", "5 mg/L")  # mass -> molar with MW 159.23
    assert r.concentration_nm[0] == pytest.approx(5 / 159.23 * 1e6)


def test_functional_potency_is_default_and_graded_over_clinical_range() -> None:
    """With the Fink 2002 IC50 (17 uM) the effect is graded over clinical plasma levels (~10-60 uM)."""
    red = [
        gabapentinoid_release_effect("pregabalin", c).release_reduction[0]
        for c in ("10 uM", "30 uM", "60 uM")
    ]
    assert np.all(np.diff(red) > 0.02)
    assert red[-1] < 1 - (1 - 0.35) ** DODGE_RAHAMIMOFF_EXPONENT - 0.05  # not yet saturated
    with pytest.raises(InvalidValueError, match="potency: must be 'functional' or 'binding'"):
        gabapentinoid_release_effect("pregabalin", "10 uM", potency="clinical")


def test_functional_kd_override_and_frequency() -> None:
    r = gabapentinoid_release_effect("gabapentin", "17 uM", kd="17 uM")
    assert r.occupancy[0] == pytest.approx(0.5)
    assert r.calcium_entry[0] == pytest.approx(1 - 0.37 / 2)
    fast = gabapentinoid_release_effect("gabapentin", "17 uM", kd="17 uM", firing_rate="40 Hz")
    assert fast.release_reduction[0] > r.release_reduction[0]


def test_invalid_inputs() -> None:
    with pytest.raises(InvalidValueError, match="entry_ratio"):
        release_fraction(-0.1)
    with pytest.raises(InvalidValueError, match="exponent"):
        release_fraction(0.8, exponent=0)
    with pytest.raises(InvalidValueError, match="firing_rate: must be >= 0"):
        release_fraction(0.8, firing_rate="-1 Hz")
    with pytest.raises(UnitError, match="bare number"):
        release_fraction(0.8, firing_rate="5")
    with pytest.raises(InvalidValueError, match="max_entry_reduction"):
        gabapentinoid_release_effect("pregabalin", "1 uM", max_entry_reduction=1.5)
    with pytest.raises(InvalidValueError, match="concentration: must be >= 0"):
        gabapentinoid_release_effect("pregabalin", "-1 uM")
    with pytest.raises(UnknownDrugError, match="no alpha2-delta"):
        gabapentinoid_release_effect("diazepam", "1 uM")
