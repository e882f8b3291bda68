"""A gradual switch (cross-taper) in the compiled engine, against scipy on the coupled two-drug system."""

import itertools

import numpy as np
import pytest

from allostasis.engine import (
    CrossTaper,
    PreviousDrug,
    dosing_rule,
    simulate_cohort,
)

USE_DAYS = 30.0
# alprazolam 1 mg every 8 h; the 16:00 dose becomes diazepam 20 mg on day 0, the 08:00 dose on
# day 4; from day 8 diazepam 60 mg once daily (Ashton 2002: alprazolam 0.5 mg = diazepam 10 mg)
TIMES = np.arange(0.0, 8 * 24.0, 8.0)
SLOT = (TIMES % 24.0) / 8.0  # 0, 1, 2 = 00:00, 08:00, 16:00
REPLACED = np.where(TIMES < 96.0, SLOT == 2, SLOT >= 1)
CROSS = CrossTaper(TIMES, np.where(REPLACED, 20.0, 0.0), np.where(REPLACED, 0.0, 1.0))


def _reference(use, gradual) -> np.ndarray:
    """Index on the run's grid by solve_ivp (DOP853, rtol 1e-10) on the coupled two-drug system:
    diazepam's and alprazolam's PK side by side, every dose as it was given."""
    from scipy.integrate import solve_ivp

    from allostasis.adaptation import adaptation_rhs, receptor_constants
    from allostasis.adaptation._model import _balance
    from allostasis.engine._carry_over import carried_system
    from allostasis.engine._compiled import _prepare

    c = _prepare(
        "diazepam",
        dosing_rule("60 mg", "24 h"),
        end="20 days",
        n_subjects=1,
        variability=None,
        seed=0,
        params=None,
        tolerance=1e-6,
        max_segment="24 h",
        output_every=None,
        window_start="0 h",
        route="oral",
        source="ashton-2002",
    )
    old = carried_system(PreviousDrug("alprazolam", use.final_pk), 1, c.inv_ratio, "ashton-2002")
    na, nb = c.kmat.shape[1], old.kmat.shape[1]
    k = np.zeros((na + nb, na + nb))
    k[:na, :na], k[na:, na:] = c.kmat[0], old.kmat[0]
    g = np.zeros(na + nb)
    for j, st in enumerate(c.an_state):
        g[st] += c.an_coef[0, j]
    g[na:] = old.g[0]
    rc = receptor_constants()
    p = c.params[:1]

    def inputs(x: np.ndarray) -> np.ndarray:
        u = np.zeros((1, 5))
        u[0, 0] = float(g @ x)
        u[0, 1] = u[0, 0] * c.inv_ratio
        return u

    def f(t: float, z: np.ndarray) -> np.ndarray:
        x = z[: na + nb]
        return np.concatenate([k @ x, adaptation_rhs(z[na + nb :][None, :], p, inputs(x), rc)[0]])

    doses = [(t, c.cmt, c.f_dose[0] * a) for t, a in zip(TIMES, CROSS.new_mg, strict=True)]
    doses += [
        (t, na + old.dose_cmt, old.f_dose[0] * a)
        for t, a in zip(TIMES, CROSS.previous_mg, strict=True)
    ]
    doses += [
        (t, c.cmt, c.f_dose[0] * a)
        for t, a in zip(gradual.dose_times_h, gradual.doses_mg[0], strict=True)
    ]
    z = np.concatenate([np.zeros(na), use.final_pk[0], use.final_state[0]])
    times = gradual.grid_times_h
    out = np.empty(times.size)
    cuts = np.unique(np.concatenate([[0.0], [t for t, _, _ in doses], [times[-1]]]))
    for a, b in itertools.pairwise(cuts):
        for t, cmt, amt in doses:
            if abs(t - a) < 1e-9:
                z[cmt] += amt
        sel = np.nonzero((times >= a - 1e-9) & (times < b - 1e-9))[0]
        sol = solve_ivp(
            f, (a, b), z, method="DOP853", rtol=1e-10, atol=1e-12, t_eval=np.append(times[sel], b)
        )
        for col, j in enumerate(sel):
            zz = sol.y[:, col]
            out[j] = _balance(zz[na + nb :][None, :], p, inputs(zz[: na + nb]), rc)[0][0]
        z = sol.y[:, -1].copy()
    out[-1] = _balance(z[na + nb :][None, :], p, inputs(z[: na + nb]), rc)[0][0]
    return out


@pytest.fixture(scope="module")
def runs():
    use = simulate_cohort("alprazolam", dosing_rule("1 mg", "8 h"), end=f"{USE_DAYS} days")
    rule = dosing_rule("60 mg", "24 h", first_dose="8 days")
    kw = dict(end="20 days", initial_state=use.final_state, output_every="6 h", threads=1)
    gradual = simulate_cohort(
        "diazepam",
        rule,
        carry_over=PreviousDrug("alprazolam", use.final_pk, cross_taper=CROSS),
        **kw,
    )
    overnight = simulate_cohort(
        "diazepam",
        dosing_rule("60 mg", "24 h"),
        carry_over=PreviousDrug("alprazolam", use.final_pk),
        **kw,
    )
    ref = _reference(use, gradual)
    return gradual, overnight, ref


def test_cross_taper_matches_the_reference_runner(runs) -> None:
    """The compiled cross-taper agrees with solve_ivp (DOP853, rtol 1e-10) on the coupled two-drug
    system to 1e-4 of the index's range (the engine's tolerance 1e-6)."""
    gradual, _, ref = runs
    err = np.abs(gradual.index_grid[0] - ref).max() / np.abs(ref).max()
    assert err < 1e-4
    assert gradual.doses_mg[0, 0] == 60.0  # the rule's first dose, on day 8


def test_gradual_switch_avoids_the_overnight_dip(runs) -> None:
    """Overnight, alprazolam (t1/2 11 h) is gone before diazepam and nordiazepam build up: the
    index rises on days 1-3; the cross-taper keeps it lower."""
    gradual, overnight, _ = runs
    first = gradual.grid_times_h <= 4 * 24.0
    assert overnight.index_grid[0, first].max() > 0.03
    assert gradual.index_grid[0, first].max() < 0.5 * overnight.index_grid[0, first].max()
