"""Compiled cohort engine: the compiled model equals the numpy model, the engine agrees with the
numpy runner, and results do not depend on how subjects are batched."""

import numpy as np
import pytest

from allostasis.adaptation import (
    INITIAL_STATE,
    adaptation_rhs,
    parameter_array,
    receptor_constants,
)
from allostasis.engine import dosing_rule, simulate_adaptation, simulate_cohort
from allostasis.engine._kernel import compiled_model_function, model_source_hash
from allostasis.errors import InvalidValueError
from allostasis.regimen import every


def test_compiled_rhs_equals_numpy_model():
    rng = np.random.default_rng(3)
    n = 50
    state = INITIAL_STATE * rng.uniform(0.5, 1.5, size=(n, 9))
    params = parameter_array(n)
    inputs = np.zeros((n, 5))
    inputs[:, :3] = rng.uniform(0.0, 3.0, size=(n, 3))
    inputs[:, 3] = rng.uniform(0.0, 0.9, size=n)
    rc = receptor_constants()
    got = compiled_model_function(adaptation_rhs)(state, params, inputs, rc)
    np.testing.assert_allclose(got, adaptation_rhs(state, params, inputs, rc), rtol=1e-12, atol=0)


def test_model_hash_is_stable_hex():
    h = model_source_hash()
    assert h == model_source_hash()
    assert len(h) == 16
    assert int(h, 16) >= 0


@pytest.mark.parametrize(
    ("drug", "dose"), [("alprazolam", "1 mg"), ("diazepam", "10 mg"), ("lorazepam", "2 mg")]
)
def test_agrees_with_numpy_runner_within_1e_4(drug, dose):
    # one-compartment; two-compartment + nordiazepam; absorption lag (0.27 h). 1 dose/day, 3 doses from day 1 (the runner's first node is a daily mean, so start the
    # drug after it); the runner interpolates inputs linearly between 2-minute PK nodes, the engine
    # advances PK exactly with RK4 steps of 15 min.
    reg = every(dose, "24 h", n_doses=3, start="1 day")
    ref = simulate_adaptation(
        {drug: reg}, end="5 days", detail_from="0 h", step="2 min", max_step="2 min"
    )
    rule = dosing_rule(dose, first_dose="1 day", stop_at="3.5 days")
    eng = simulate_cohort(drug, rule, end="5 days", step="15 min", output_every="1 h")
    x_ref = ref.outputs["balance_index"][0]
    sel = np.isin(np.round(ref.times_h, 6), np.round(eng.grid_times_h, 6))
    assert sel.sum() == eng.grid_times_h.size == 121
    rel = np.abs(eng.index_grid[0] - x_ref[sel]).max() / np.abs(x_ref[sel]).max()
    assert rel < 1e-4
    np.testing.assert_allclose(eng.final_state[0], ref.states[0, -1], rtol=1e-5)
    np.testing.assert_array_equal(eng.doses_mg[0], [float(dose.split()[0])] * 3)


@pytest.fixture(scope="module")
def cohort_args():
    rule = dosing_rule("2 mg", taper_start="20 days", step_every="5 days", step_fraction=0.3)
    return {
        "drug": "alprazolam",
        "rule": rule,
        "end": "40 days",
        "variability": {"cl": 0.4},
        "step": "1 h",
        "output_every": "1 day",
    }


def test_batch_of_one_equals_single_subject(cohort_args):
    many = simulate_cohort(n_subjects=5, **cohort_args)
    one = simulate_cohort(n_subjects=1, **cohort_args)
    # same seed: subject 1 of the batch has the same sampled clearance as the single subject
    assert many.parameters["cl"].iloc[0] == one.parameters["cl"].iloc[0]
    assert many.parameters["cl"].nunique() == 5
    np.testing.assert_allclose(many.index_grid[0], one.index_grid[0], rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(many.final_state[0], one.final_state[0], rtol=1e-13)
    # and subjects differ from each other
    assert np.ptp(many.summary["peak_index"]) > 1e-3


def test_results_do_not_depend_on_block_size_or_threads(cohort_args):
    a = simulate_cohort(n_subjects=23, block=256, threads=1, **cohort_args)
    b = simulate_cohort(n_subjects=23, block=4, threads=2, **cohort_args)
    np.testing.assert_allclose(a.index_grid, b.index_grid, rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(a.final_state, b.final_state, rtol=1e-13)
    np.testing.assert_array_equal(a.summary.to_numpy(), b.summary.to_numpy())


def test_summary_is_consistent_with_index_grid(cohort_args):
    r = simulate_cohort(n_subjects=3, **{**cohort_args, "output_every": "1 h"})
    for i in range(3):
        x = r.index_grid[i]
        k = int(np.argmax(x))
        # peak is taken at every 1-h step boundary, the same points as the grid here
        assert r.summary["peak_index"].iloc[i] == pytest.approx(x[k], rel=1e-12)
        assert r.summary["peak_day"].iloc[i] == pytest.approx(r.grid_times_h[k] / 24.0)
        assert r.summary["final_index"].iloc[i] == pytest.approx(x[-1], rel=1e-12)
        below = np.nonzero(x >= 0.05)[0]
        if x[-1] < 0.05 and below.size:
            expect = (r.grid_times_h[below[-1] + 1] - r.grid_times_h[k]) / 24.0
            assert r.summary["days_to_recovery"].iloc[i] == pytest.approx(expect)


def test_abrupt_stop_peaks_after_the_last_dose():
    rule = dosing_rule("1 mg", taper_start="30 days", step_fraction=1.0)
    r = simulate_cohort("alprazolam", rule, end="45 days", step="2 h", window_start="30 days")
    s = r.summary.iloc[0]
    assert 30.0 < s["peak_day"] < 33.0  # alprazolam: within about 1-3 days of stopping
    assert s["peak_index"] > 0.0
    assert r.doses_mg[0, 29] == 1.0
    assert r.doses_mg[0, 30:].max() == 0.0


def test_errors_name_the_field():
    rule = dosing_rule("1 mg")
    with pytest.raises(InvalidValueError, match="n_subjects: must be an integer >= 1"):
        simulate_cohort("alprazolam", rule, end="1 day", n_subjects=0)
    with pytest.raises(InvalidValueError, match="variability: unknown parameter 'foo'"):
        simulate_cohort("alprazolam", rule, end="1 day", variability={"foo": 0.1})
    with pytest.raises(InvalidValueError, match="variability\\['cl'\\]: CV must be a number >= 0"):
        simulate_cohort("alprazolam", rule, end="1 day", variability={"cl": -0.1})
    with pytest.raises(InvalidValueError, match="drug: the compiled engine runs GABA-A modulators"):
        simulate_cohort("flumazenil", rule, end="1 day", route="iv")
    with pytest.raises(InvalidValueError, match="variability: tlag cannot vary"):
        simulate_cohort("lorazepam", rule, end="1 day", variability={"tlag": 0.2})
    with pytest.raises(InvalidValueError, match="rule: must be a DosingRule"):
        simulate_cohort("alprazolam", "1 mg", end="1 day")  # type: ignore[arg-type]


def test_default_step_is_converged_over_a_taper():
    # 60 days: 20 days on 2 mg/day, then halving weekly; the default 20-min RK4 step against a
    # 4x finer one (RK4 error falls >= 16x per halving where the right-hand side is smooth)
    rule = dosing_rule("2 mg", taper_start="20 days", step_every="7 days", step_fraction=0.5)
    kw = {"end": "60 days", "output_every": "6 h"}
    coarse = simulate_cohort("alprazolam", rule, **kw)
    fine = simulate_cohort("alprazolam", rule, step="5 min", **kw)
    x = fine.index_grid[0]
    assert np.abs(coarse.index_grid[0] - x).max() / np.abs(x).max() < 1e-4
    np.testing.assert_allclose(coarse.final_state[0, :7], fine.final_state[0, :7], rtol=2e-5)
    # conditioned arousal grows with max(X - X_c, 0): the kink makes RK4 low order there, so its
    # (small) value is only accurate in absolute terms
    assert 0.0 < fine.final_state[0, 7] < 0.01
    assert abs(coarse.final_state[0, 7] - fine.final_state[0, 7]) < 1e-4
