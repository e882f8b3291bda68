"""Once no dose can follow, the engine stops cutting its steps at the (empty) dose times (issue 9):
far fewer steps in a drug-free stretch, at the same accuracy against scipy."""

import itertools

import numpy as np
from scipy.integrate import solve_ivp

from allostasis.adaptation import INITIAL_STATE, adaptation_rhs, receptor_constants
from allostasis.adaptation._model import _balance
from allostasis.engine import dosing_rule, simulate_cohort
from allostasis.engine._compiled import _prepare

# 1 mg every 8 h for 20 days, halved weekly, stopped below 0.2 mg: the last dose on day 33
RULE = dosing_rule(
    "1 mg", "8 h", taper_start="20 days", step_every="7 days", step_fraction=0.5, min_dose="0.2 mg"
)


def _reference(c, doses, times):
    """Coupled PK + adaptation ODE by solve_ivp (DOP853, rtol 1e-9) for subject 0: index on
    ``times``."""
    rc = receptor_constants()
    k, p = c.kmat[0], c.params[:1]
    n = k.shape[0]

    def inputs(xpk):
        yb = float(np.dot(c.an_coef[0], xpk[c.an_state]))
        return np.array([[yb, yb * c.inv_ratio, 0.0, 0.0, 0.0]])

    def f(t, z):
        return np.concatenate([k @ z[:n], adaptation_rhs(z[n:][None, :], p, inputs(z[:n]), rc)[0]])

    z = np.concatenate([np.zeros(n), INITIAL_STATE])
    enter = c.slots + c.tlag
    given = enter[doses[0] > 0]
    cuts = np.unique(np.concatenate([[0.0], given, [c.t_end]]))
    out = np.empty(times.size)
    for a, b in itertools.pairwise(cuts):
        hit = np.nonzero(np.abs(enter - a) < 1e-9)[0]
        if hit.size:
            z[c.cmt] += c.f_dose[0] * doses[0, hit[0]]
        sel = np.nonzero((times >= a - 1e-9) & (times < b - 1e-9))[0]
        sol = solve_ivp(
            f, (a, b), z, method="DOP853", rtol=1e-9, atol=1e-12, t_eval=np.append(times[sel], b)
        )
        for col, j in enumerate(sel):
            zz = sol.y[:, col]
            out[j] = _balance(zz[n:][None, :], p, inputs(zz[:n]), rc)[0][0]
        z = sol.y[:, -1].copy()
    out[-1] = _balance(z[n:][None, :], p, inputs(z[:n]), rc)[0][0]
    return out


def test_drug_free_stretch_takes_long_steps_at_the_same_accuracy():
    whole = simulate_cohort("alprazolam", RULE, end="90 days", output_every="24 h")
    dosed = simulate_cohort("alprazolam", RULE, end="35 days", output_every="24 h")
    assert dosed.doses_mg[0, 101] == 0.25  # the last dose (day 33 + 16 h) ...
    assert dosed.doses_mg[0, 102:].max() == 0.0  # ... then none
    # days 35-90: about 2 steps a day (cut at every dose and entry time it took 6)
    per_day = (whole.solver["steps"] - dosed.solver["steps"]) / 55
    assert per_day < 2.5, per_day
    c = _prepare(
        "alprazolam",
        RULE,
        end="90 days",
        n_subjects=1,
        variability=None,
        seed=0,
        params=None,
        tolerance=1e-6,
        max_segment="24 h",
        output_every="24 h",
        window_start="0 h",
        route="oral",
        source="ashton-2002",
    )
    hourly = np.arange(33 * 24.0, 40 * 24.0, 0.25)  # the withdrawal peak, finely
    times = np.union1d(whole.grid_times_h, hourly)
    ref_all = _reference(c, whole.doses_mg, times)
    ref = ref_all[np.isin(times, whole.grid_times_h)]
    rel = np.abs(whole.index_grid[0] - ref).max() / np.abs(ref).max()
    assert rel < 2e-5
    # the withdrawal peak after the last dose, refined between long steps, within 1e-4
    assert 33.0 < whole.summary["peak_day"].iloc[0] < 40.0
    assert abs(whole.summary["peak_index"].iloc[0] - ref_all.max()) < 1e-4


def test_first_step_after_a_dose_grows_to_its_error_target():
    # 1 mg every 8 h: the first step after each dose used to stay at the length the first dose
    # needed (0.05 h; 21 steps a day); rescaled by its error it settles near 0.7 h (about 16 a day)
    kw = {"variability": {"cl": 0.35, "v": 0.25, "tau_glutamate": 0.3}, "n_subjects": 64}
    r = simulate_cohort("alprazolam", dosing_rule("1 mg", "8 h"), end="60 days", **kw)
    per_day = r.solver["steps"] / 60
    assert 12.0 < per_day < 18.0, per_day
    assert r.solver["rejected"] < 10
