"""The use phase shared by a trial's strategies gives the same outcomes as separate runs (issue 9)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from allostasis.engine import PreviousDrug, dosing_rule, simulate_cohort
from allostasis.population import cohort_spec, sample_cohort, subject_parameters, taper_strategy
from allostasis.population._trial_chunks import _outcomes, simulate_chunk_strategies
from allostasis.population._use_phase import after_use_phase

SPEC = cohort_spec(
    {
        "cohort": {
            "drug": "alprazolam",
            "dose": "1 mg",
            "interval": "8 h",
            "duration_of_use": "40 days",
            "n": 128,
            "seed": 5,
        },
        "variability": {"cl": 0.35, "v": 0.25, "tau_glutamate": 0.3},
        "trial": {"taper_horizon": "20 weeks", "follow_up": "2 weeks"},
    }
)
NAMES = ["direct-linear", "direct-proportional", "diazepam-switch", "symptom-guided"]


def _unshared(name: str) -> pd.DataFrame:
    """Every phase from time 0, as before the use phase was shared."""
    strat = taper_strategy(name, SPEC)
    cohort = sample_cohort(SPEC)
    state = before = None
    for ph in strat.phases:
        subjects = subject_parameters(SPEC, cohort, ph.drug)
        carry = None if before is None else PreviousDrug(*before, cross_taper=ph.cross_taper)
        r = simulate_cohort(
            ph.drug,
            ph.rule,
            end=f"{ph.end_day - ph.start_day} days",
            subjects=subjects,
            initial_state=state,
            carry_over=carry,
            tolerance=SPEC.tolerance,
            window_start=f"{max(0.0, strat.taper_start_day - ph.start_day)} days",
            output_every="24 h" if ph is strat.phases[-1] else None,
            threads=1,
        )
        state, before = r.final_state, (ph.drug, r.final_pk, subjects)
    return pd.DataFrame(_outcomes(r, ph.start_day, strat, ph.rule.interval_h))


def test_strategies_from_the_shared_use_phase_equal_separate_runs() -> None:
    shared = simulate_chunk_strategies(SPEC, NAMES, 0, SPEC.n, threads=1)
    for name, (out, _) in zip(NAMES, shared, strict=True):
        ref = _unshared(name)
        for col in ("peak_index", "peak_day", "final_index", "days_above_seizure_threshold"):
            np.testing.assert_allclose(out[col], ref[col], rtol=0, atol=1e-9, err_msg=name)
        for col in ("completion_days", "held_doses", "protracted", "severe"):
            np.testing.assert_array_equal(out[col], ref[col], err_msg=f"{name} {col}")
        if name == "diazepam-switch":  # the same engine calls: bit-identical
            np.testing.assert_array_equal(out["peak_index"], ref["peak_index"])
    # linear: 10 steps of 0.1 mg every 14 days, the 10th (day 126) reaches 0
    assert (shared[0][0]["completion_days"] == 126.0).all()


def test_which_strategies_share_the_use_phase() -> None:
    rest = {s: after_use_phase(taper_strategy(s, SPEC), SPEC) for s in NAMES}
    linear, switch = rest["direct-linear"], rest["diazepam-switch"]
    assert all(r is not None for r in rest.values())
    assert linear is not None
    assert linear.continues
    assert linear.phases[0].start_day == 40.0
    assert switch is not None
    assert not switch.continues
    # a taper start off the engine's 24-h grid cannot continue the shared run exactly
    odd = SPEC.model_copy(update={"use_days": 40.5})
    assert after_use_phase(taper_strategy("direct-linear", odd), odd) is None
    # nor can a first phase that doses differently before the taper start
    strat = taper_strategy("direct-linear", SPEC)
    ph = strat.phases[0]
    other = type(ph)(ph.drug, dosing_rule("2 mg", "8 h"), 0.0, ph.end_day)
    assert after_use_phase(type(strat)(strat.name, (other,), 40.0, ""), SPEC) is None


def test_a_continued_run_equals_one_run() -> None:
    rule = dosing_rule("1 mg", "8 h", taper_start="20 days", step_fraction=0.25)
    kw = {"variability": {"cl": 0.3, "tau_glutamate": 0.3}, "n_subjects": 70, "threads": 1}
    whole = simulate_cohort("alprazolam", rule, end="30 days", output_every="24 h", **kw)
    head = simulate_cohort("alprazolam", rule, end="12 days", **kw)
    tail_rule = dosing_rule(
        "1 mg", "8 h", taper_start="8 days", step_fraction=0.25
    )  # the same rule from day 12
    tail = simulate_cohort(
        "alprazolam",
        tail_rule,
        end="18 days",
        output_every="24 h",
        initial_state=head.final_state,
        initial_pk=head.final_pk,
        initial_step_h=head.final_step_h,
        **kw,
    )
    np.testing.assert_allclose(tail.final_state, whole.final_state, rtol=1e-12, atol=0)
    np.testing.assert_allclose(tail.index_grid, whole.index_grid[:, 12:], rtol=0, atol=1e-12)
    assert tail.solver["steps"] + head.solver["steps"] == whole.solver["steps"]
    np.testing.assert_array_equal(tail.doses_mg, whole.doses_mg[:, 36:])
    with pytest.raises(Exception, match="initial_pk"):
        simulate_cohort(
            "alprazolam", rule, end="1 day", initial_pk=np.ones((1, 1)), initial_drive=np.ones(1)
        )


def test_symptom_guided_reuses_the_blocks_that_would_hold_nothing() -> None:
    # 2 mg every 8 h for 120 days: one subject (block 2 of 4) is held; the other blocks are taken
    # from the direct-proportional run, which took the same steps and doses there
    spec = SPEC.model_copy(update={"dose_mg": 2.0, "use_days": 120.0, "n": 256})
    names = ["direct-proportional", "symptom-guided"]
    both = simulate_chunk_strategies(spec, names, 0, 256, threads=1)[1][0]
    alone = simulate_chunk_strategies(spec, names[1:], 0, 256, threads=1)[0][0]
    pd.testing.assert_frame_equal(both, alone, check_exact=True)
    held = np.nonzero(alone["held_doses"].to_numpy() > 0)[0]
    assert held.size == 1
    assert held[0] // 64 == 2
