"""State-dependent dosing rules run inside the compiled engine."""

import math

import numpy as np
import pytest

from allostasis.engine import DosingRule, dosing_rule, simulate_cohort
from allostasis.engine._rules import RULE_FIELDS
from allostasis.errors import InvalidValueError, UnitError

_COHORT = {
    "end": "100 days",
    "window_start": "60 days",
    "n_subjects": 4,
    "variability": {"cl": 0.3, "tau_glutamate": 0.3},
}


def _taper(hold_above: float | None) -> DosingRule:
    # 2 mg/day alprazolam for 60 days, then halve every 3 days, stop below 0.1 mg
    return dosing_rule(
        "2 mg",
        taper_start="60 days",
        step_every="3 days",
        step_fraction=0.5,
        min_dose="0.1 mg",
        hold_above=hold_above,
        slow_factor=2.0,
    )


@pytest.fixture(scope="module")
def fast_and_held():
    fast = simulate_cohort("alprazolam", _taper(None), **_COHORT)
    held = simulate_cohort("alprazolam", _taper(0.06), **_COHORT)
    return fast, held


def test_hold_rule_lowers_the_peak_and_reports_holds(fast_and_held):
    fast, held = fast_and_held
    assert (fast.summary["held_doses"] == 0).all()
    assert (held.summary["held_doses"] > 0).all()
    # the same subjects (same seed) peak lower when steps are held while the index is high
    assert (held.summary["peak_index"] < fast.summary["peak_index"]).all()
    assert held.summary["peak_index"].max() < 0.095 < fast.summary["peak_index"].max()


def test_hold_rule_doses_follow_the_rule(fast_and_held):
    fast, held = fast_and_held
    day = held.dose_times_h / 24.0
    # without holds: 2 mg to day 59, then 1, 0.5, 0.25, 0.125 mg for 3 days each, then stop
    expect = np.where(day < 60, 2.0, 2.0 ** -((day - 60) // 3))
    expect[expect < 0.1] = 0.0
    np.testing.assert_array_equal(fast.doses_mg[0], expect)
    for i in range(held.summary.shape[0]):
        d = held.doses_mg[i]
        steps = np.nonzero(np.diff(d) != 0)[0] + 1
        n_held = int(held.summary["held_doses"].iloc[i])
        if steps.size == 0:  # held at every due step: the index never fell below the threshold
            assert n_held == int((day >= 60).sum())
            assert (d == 2.0).all()
            continue
        # every change is a halving or the stop, never an increase
        assert np.all((d[steps] == d[steps - 1] / 2) | (d[steps] == 0.0))
        # a held step comes later than due (day 60, or 3 days after the previous step) ...
        gaps = np.diff(day[steps])
        assert day[steps[0]] > 60 or gaps.max() > 3.0
        # ... and after a hold the taper runs at half speed (steps at least 6 days apart)
        if steps.size > 1:
            assert gaps[-1] >= 6.0 - 1e-9


def test_linear_taper_and_stop_at():
    rule = dosing_rule(
        "1 mg", taper_start="7 days", step_every="7 days", step_fraction=0.25, linear=True
    )
    r = simulate_cohort("alprazolam", rule, end="35 days")
    weekly = r.doses_mg[0, ::7]
    np.testing.assert_allclose(weekly, [1.0, 0.75, 0.5, 0.25, 0.0], atol=1e-12)
    stop = simulate_cohort("alprazolam", dosing_rule("1 mg", stop_at="3 days"), end="5 days")
    np.testing.assert_array_equal(stop.doses_mg[0], [1.0, 1.0, 1.0])  # no slots after stop_at


def test_rule_array_layout():
    r = dosing_rule("500 ug", "12 h", taper_start="2 weeks", hold_above=0.3)
    a = r.to_array()
    assert a.shape == (len(RULE_FIELDS),)
    assert a[RULE_FIELDS.index("dose_mg")] == pytest.approx(0.5)
    assert a[RULE_FIELDS.index("interval_h")] == 12.0
    assert a[RULE_FIELDS.index("taper_start_h")] == 336.0
    assert a[RULE_FIELDS.index("hold_above")] == 0.3
    assert math.isinf(a[RULE_FIELDS.index("last_dose_h")])
    assert "hold while the balance index > 0.3" in r.describe()


def test_rule_errors_name_the_field():
    with pytest.raises(InvalidValueError, match="step_fraction: must be in \\(0, 1\\]"):
        dosing_rule("1 mg", step_fraction=1.5)
    with pytest.raises(InvalidValueError, match="slow_factor: must be >= 1"):
        dosing_rule("1 mg", slow_factor=0.5)
    with pytest.raises(InvalidValueError, match="dose: must be > 0 mg"):
        dosing_rule("0 mg")
    with pytest.raises(InvalidValueError, match="hold_above: must be a finite index"):
        dosing_rule("1 mg", hold_above=math.nan)
    with pytest.raises(UnitError):
        dosing_rule("1 mg", interval="3 mg")
