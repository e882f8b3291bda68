"""Compiled cohort engine: the compiled model equals the numpy model, the engine agrees with the
numpy runner and with scipy, and threads and cohort composition do not change results."""

import itertools

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from allostasis.adaptation import (
    INITIAL_STATE,
    adaptation_rhs,
    parameter_array,
    receptor_constants,
)
from allostasis.adaptation._model import _balance
from allostasis.engine import dosing_rule, simulate_adaptation, simulate_cohort
from allostasis.engine._block_model import rhs_inputs_block
from allostasis.engine._cache_key import COMPILED_SOURCES, SOURCE_HASH, compiled_sources_hash
from allostasis.engine._compiled import _prepare
from allostasis.errors import InvalidValueError
from allostasis.regimen import every


def _random_model_inputs(n: int, seed: int, spread: float) -> tuple[np.ndarray, ...]:
    rng = np.random.default_rng(seed)
    state = INITIAL_STATE * rng.uniform(1 - spread, 1 + spread, size=(n, 9))
    state[:, 7:] = rng.uniform(0.0, 0.9, size=(n, 2))
    inputs = np.zeros((n, 5))
    inputs[:, :3] = rng.uniform(0.0, 3.0 * spread, size=(n, 3))
    inputs[:, 3] = rng.uniform(0.0, 0.9, size=n)
    inputs[:, 4] = rng.integers(0, 2, size=n)
    return state, parameter_array(n), inputs


@pytest.mark.parametrize(("spread", "series"), [(0.1, True), (0.5, True), (0.5, False)])
def test_compiled_rhs_equals_numpy_model(spread, series):
    # spread 0.1: every balance index in the series' range; 0.5: |X| up to about 1.6, so blocks
    # fall back to math.log/exp/tanh -- the same numbers either way
    state, params, inputs = _random_model_inputs(150, 3, spread)
    rc = receptor_constants()
    got, x = rhs_inputs_block(state, params, inputs, rc, series=series)
    ref = adaptation_rhs(state, params, inputs, rc)
    scale = np.abs(ref).max(axis=0)
    np.testing.assert_allclose(got, ref, rtol=1e-12, atol=1e-13 * scale.max())
    np.testing.assert_allclose(x, _balance(state, params, inputs, rc)[0], rtol=0, atol=2e-15)
    if spread == 0.5:
        assert np.abs(x).max() > 1.0  # the fallback was exercised


def test_cache_key_covers_the_compiled_sources():
    assert compiled_sources_hash() == SOURCE_HASH
    assert len(SOURCE_HASH) == 16
    assert int(SOURCE_HASH, 16) >= 0
    for name in ("_block_model", "_elementary", "_kernel", "_step_propagators", "_threshold_terms"):
        assert f"engine/{name}.py" in COMPILED_SOURCES


@pytest.mark.parametrize(
    ("drug", "dose"), [("alprazolam", "1 mg"), ("diazepam", "10 mg"), ("lorazepam", "2 mg")]
)
def test_agrees_with_numpy_runner_within_1e_4(drug, dose):
    # one-compartment; two-compartment + nordiazepam; absorption lag (0.27 h). 1 dose/day, 3 doses
    # from day 1 (the runner's first node is a daily mean, so start the drug after it); the runner
    # interpolates inputs linearly between 2-minute PK nodes, the engine uses exact PK
    reg = every(dose, "24 h", n_doses=3, start="1 day")
    ref = simulate_adaptation(
        {drug: reg}, end="5 days", detail_from="0 h", step="2 min", max_step="2 min"
    )
    rule = dosing_rule(dose, first_dose="1 day", stop_at="3.5 days")
    eng = simulate_cohort(drug, rule, end="5 days", output_every="1 h")
    x_ref = ref.outputs["balance_index"][0]
    sel = np.isin(np.round(ref.times_h, 6), np.round(eng.grid_times_h, 6))
    assert sel.sum() == eng.grid_times_h.size == 121
    rel = np.abs(eng.index_grid[0] - x_ref[sel]).max() / np.abs(x_ref[sel]).max()
    assert rel < 1e-4
    np.testing.assert_allclose(eng.final_state[0], ref.states[0, -1], rtol=1e-5)
    np.testing.assert_array_equal(eng.doses_mg[0], [float(dose.split()[0])] * 3)


def _scipy_reference(c, doses, times):
    """The coupled PK + adaptation ODE by solve_ivp (DOP853, rtol 1e-10), subject 0."""
    rc = receptor_constants()
    k = c.kmat[0]
    n = k.shape[0]
    p = c.params[:1]

    def inputs(xpk):
        yb = float(np.dot(c.an_coef[0], xpk[c.an_state]))
        u = np.zeros((1, 5))
        u[0, 0], u[0, 1] = yb, yb * c.inv_ratio
        return u

    def f(t, z):
        return np.concatenate([k @ z[:n], adaptation_rhs(z[n:][None, :], p, inputs(z[:n]), rc)[0]])

    z = np.concatenate([np.zeros(n), INITIAL_STATE])
    enter = c.slots + c.tlag
    cuts = np.unique(np.concatenate([[0.0], enter[enter < c.t_end], [c.t_end]]))
    out = np.empty(times.size)
    for a, b in itertools.pairwise(cuts):
        hit = np.nonzero(np.abs(enter - a) < 1e-9)[0]
        if hit.size:
            z[c.cmt] += c.f_dose[0] * doses[0, hit[0]]
        sel = np.nonzero((times >= a - 1e-9) & (times < b - 1e-9))[0]
        sol = solve_ivp(
            f, (a, b), z, method="DOP853", rtol=1e-10, atol=1e-12, t_eval=np.append(times[sel], b)
        )
        for col, j in enumerate(sel):
            zz = sol.y[:, col]
            out[j] = _balance(zz[n:][None, :], p, inputs(zz[:n]), rc)[0][0]
        z = sol.y[:, -1].copy()
    out[-1] = _balance(z[n:][None, :], p, inputs(z[:n]), rc)[0][0]
    return out, z[n:]


def test_agrees_with_scipy_at_the_default_tolerance():
    # alprazolam 2 mg/day for 20 days, then halved weekly: the index crosses zero twice a day
    # (one-sided terms) and the tolerance-1e-6 engine stays within 2e-5 of the index's range
    rule = dosing_rule("2 mg", taper_start="20 days", step_every="7 days", step_fraction=0.5)
    kw = {"end": "40 days", "output_every": "6 h", "variability": None, "seed": 0, "params": None}
    eng = simulate_cohort("alprazolam", rule, **{**kw, "variability": {}})
    c = _prepare(
        "alprazolam",
        rule,
        n_subjects=1,
        tolerance=1e-6,
        max_segment="24 h",
        window_start="0 h",
        route="oral",
        source="ashton-2002",
        **kw,
    )
    x_ref, y_ref = _scipy_reference(c, eng.doses_mg, eng.grid_times_h)
    rel = np.abs(eng.index_grid[0] - x_ref).max() / np.abs(x_ref).max()
    assert rel < 2e-5
    np.testing.assert_allclose(eng.final_state[0, :7], y_ref[:7], rtol=1e-6)
    assert eng.solver["threshold_crossings"] > 30  # the one-sided terms were corrected


@pytest.fixture(scope="module")
def cohort_args():
    rule = dosing_rule("2 mg", taper_start="20 days", step_every="5 days", step_fraction=0.3)
    return {
        "drug": "alprazolam",
        "rule": rule,
        "end": "40 days",
        "variability": {"cl": 0.4},
        "output_every": "1 day",
    }


def test_threads_do_not_change_results(cohort_args):
    a = simulate_cohort(n_subjects=130, threads=1, **cohort_args)
    b = simulate_cohort(n_subjects=130, threads=2, **cohort_args)
    np.testing.assert_array_equal(a.index_grid, b.index_grid)
    np.testing.assert_array_equal(a.final_state, b.final_state)
    np.testing.assert_array_equal(a.summary.to_numpy(), b.summary.to_numpy())
    assert a.solver == b.solver


def test_a_subject_agrees_across_cohorts_within_the_tolerance(cohort_args):
    # subjects of a block share steps, so subject 1 alone and within 5 take different steps
    many = simulate_cohort(n_subjects=5, **cohort_args)
    one = simulate_cohort(n_subjects=1, **cohort_args)
    assert many.parameters["cl"].iloc[0] == one.parameters["cl"].iloc[0]
    assert many.parameters["cl"].nunique() == 5
    scale = np.abs(one.index_grid[0]).max()
    # both are within the engine's accuracy (about 1e-5 of the index's range at tolerance 1e-6)
    assert np.abs(many.index_grid[0] - one.index_grid[0]).max() < 2e-5 * scale
    np.testing.assert_allclose(many.final_state[0], one.final_state[0], rtol=1e-6, atol=1e-6)
    assert np.ptp(many.summary["peak_index"]) > 1e-3  # and subjects differ from each other


def test_summary_is_consistent_with_index_grid(cohort_args):
    r = simulate_cohort(n_subjects=3, **{**cohort_args, "output_every": "1 h"})
    for i in range(3):
        x = r.index_grid[i]
        k = int(np.argmax(x))
        s = r.summary.iloc[i]
        # the peak is refined between step ends: at least the grid's largest value, within an hour
        assert x[k] <= s["peak_index"] <= x[k] + 1e-3 * abs(x[k])
        assert abs(s["peak_day"] - r.grid_times_h[k] / 24.0) <= 1.0 / 24.0
        assert s["final_index"] == pytest.approx(x[-1], rel=1e-12)
        above = np.nonzero(x >= 0.05)[0]
        if x[-1] < 0.05 and above.size:
            cross = r.grid_times_h[above[-1]] / 24.0  # last hour at or above the recovery index
            assert 0.0 <= s["peak_day"] + s["days_to_recovery"] - cross <= 1.0 / 24.0


def test_abrupt_stop_peaks_after_the_last_dose():
    rule = dosing_rule("1 mg", taper_start="30 days", step_fraction=1.0)
    r = simulate_cohort("alprazolam", rule, end="45 days", window_start="30 days")
    s = r.summary.iloc[0]
    assert 30.0 < s["peak_day"] < 33.0  # alprazolam: within about 1-3 days of stopping
    assert s["peak_index"] > 0.0
    assert r.doses_mg[0, 29] == 1.0
    assert r.doses_mg[0, 30:].max() == 0.0


def test_diazepam_and_nordiazepam_act_together():
    # parent + active metabolite: nordiazepam (t1/2 about 40 h) keeps inhibition up after the
    # parent (t1/2 about 1-2 days) falls
    rule = dosing_rule("10 mg", stop_at="5 days")
    both = simulate_cohort("diazepam", rule, end="12 days", output_every="1 day")
    assert both.basis[0].startswith("diazepam (oral): exact linear PK")
    assert "nordiazepam" in both.basis[0]
    x = both.index_grid[0]
    assert x[5] < 0.0
    assert x[7] < 0.0  # still net inhibited two days after the last dose


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
    with pytest.raises(InvalidValueError, match="tolerance: must be a number in \\[1e-12, 1e-3\\]"):
        simulate_cohort("alprazolam", rule, end="1 day", tolerance=0.1)
