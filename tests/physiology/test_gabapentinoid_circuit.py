"""Gabapentinoids damp a hyperexcitable circuit far more than a resting one.

Pregabalin 150-600 mg/day gives steady-state plasma (unbound = total) about 8-31 uM (knowledge-base
PK); at 16 uM release per spike falls by 51% at the resting rate, yet the resting circuit's output
falls by only 4.8% (no global sedation) while the hyperexcitable circuit (84 Hz) falls by 70%.
"""

from __future__ import annotations

import pytest

from allostasis.errors import InvalidValueError, UnknownDrugError
from allostasis.physiology import gabapentinoid_circuit
from allostasis.units import Q_


def test_reduction_is_larger_in_the_hyperexcitable_state() -> None:
    eff = gabapentinoid_circuit("pregabalin", "16 uM")
    normal, hyper = eff.states["normal"], eff.states["hyperexcitable"]
    assert normal.baseline_rate_hz == pytest.approx(2.52, abs=0.05)
    assert hyper.baseline_rate_hz > 50
    assert hyper.reduction[0] >= 0.5
    assert hyper.reduction[0] > 10 * normal.reduction[0]


def test_no_global_sedation_at_anxiolytic_concentrations() -> None:
    eff = gabapentinoid_circuit("pregabalin", Q_([7.8, 31.2], "uM"))  # 150 and 600 mg/day
    assert max(eff.states["normal"].reduction) < 0.07
    assert min(eff.states["hyperexcitable"].reduction) > 0.6


def test_effect_grows_with_concentration_and_gabapentin_alike() -> None:
    p = gabapentinoid_circuit("pregabalin", Q_([0.0, 5.0, 40.0], "uM")).states["hyperexcitable"]
    assert p.reduction[0] == 0.0
    assert p.reduction[1] < p.reduction[2]
    g = gabapentinoid_circuit("gabapentin", "16 uM").states["hyperexcitable"]
    assert g.reduction[0] > 0.5


def test_bad_input() -> None:
    with pytest.raises(InvalidValueError, match="must be >= 0"):
        gabapentinoid_circuit("pregabalin", "-1 uM")
    with pytest.raises(UnknownDrugError, match="alpha2-delta"):
        gabapentinoid_circuit("sertraline", "1 uM")
