"""A drug carried over at a switch keeps its own kinetics (engine._carry_over)."""

import numpy as np
import pytest

from allostasis.engine import PreviousDrug, dosing_rule, simulate_cohort
from allostasis.errors import InvalidValueError

SUBJECTS = 64
VAR = {"cl": 0.3}


@pytest.fixture(scope="module")
def on_alprazolam():
    return simulate_cohort(
        "alprazolam",
        dosing_rule("1 mg", "8 h"),
        end="30 days",
        n_subjects=SUBJECTS,
        variability=VAR,
        seed=3,
    )


def test_carrying_a_drug_over_to_itself_is_superposition(on_alprazolam) -> None:
    """Alprazolam carried over into a run of alprazolam (duplicate compartments, same kinetics)
    gives the run that simply continues the PK state: the same drive, so the same index."""
    r1 = on_alprazolam
    kw = dict(
        end="20 days",
        subjects=r1.parameters,
        initial_state=r1.final_state,
        output_every="24 h",
        threads=1,
    )
    rule = dosing_rule("1 mg", "8 h")
    cont = simulate_cohort("alprazolam", rule, initial_pk=r1.final_pk, **kw)
    carried = simulate_cohort(
        "alprazolam",
        rule,
        carry_over=PreviousDrug("alprazolam", r1.final_pk, r1.parameters),
        **kw,
    )
    assert carried.final_pk.shape == (SUBJECTS, 2 * r1.final_pk.shape[1])
    np.testing.assert_allclose(carried.final_drive, cont.final_drive, rtol=1e-9)
    # same equations, different step sequences: agreement at the engine's accuracy
    assert np.abs(carried.index_grid - cont.index_grid).max() < 2e-6
    assert np.abs(carried.index_grid[:, 0] - cont.index_grid[:, 0]).max() < 1e-12


def test_switch_keeps_the_old_drug_until_it_is_eliminated(on_alprazolam) -> None:
    """Switch to diazepam 60 mg/day (Ashton equivalent of 3 mg/day): at the switch the drive is
    continuous; the carried alprazolam is gone after a few days; a run that drops it instead
    starts with a withdrawal dip the carried run does not have."""
    r1 = on_alprazolam
    kw = dict(
        end="14 days",
        subjects=r1.parameters[["subject_id"]],
        initial_state=r1.final_state,
        output_every="6 h",
        threads=1,
    )
    rule = dosing_rule("60 mg", "24 h")
    prev = PreviousDrug("alprazolam", r1.final_pk, r1.parameters)
    sw = simulate_cohort("diazepam", rule, carry_over=prev, **kw)
    dropped = simulate_cohort("diazepam", rule, **kw)
    # drive at time 0: the alprazolam's (diazepam's first dose is still in the gut)
    stay = simulate_cohort(
        "alprazolam", dosing_rule("1 mg", "8 h"), initial_pk=r1.final_pk, **(kw | {"end": "1 day"})
    )
    np.testing.assert_allclose(sw.index_grid[:, 0], stay.index_grid[:, 0], atol=1e-12)
    n_dz = sw.final_pk.shape[1] - r1.final_pk.shape[1]
    assert np.all(sw.final_pk[:, n_dz:].sum(axis=1) < 1e-3 * r1.final_pk.sum(axis=1))
    # the first day: dropping the alprazolam leaves a higher index than carrying it
    first_day = sw.grid_times_h <= 24.0
    assert np.all(
        dropped.index_grid[:, first_day].max(axis=1) > sw.index_grid[:, first_day].max(axis=1)
    )


def test_carry_over_is_exclusive_with_other_pk_hand_overs(on_alprazolam) -> None:
    r1 = on_alprazolam
    with pytest.raises(InvalidValueError, match="carry_over: not with initial_drive"):
        simulate_cohort(
            "diazepam",
            dosing_rule("10 mg", "24 h"),
            end="1 day",
            subjects=r1.parameters[["subject_id"]],
            initial_drive=r1.final_drive,
            carry_over=PreviousDrug("alprazolam", r1.final_pk, r1.parameters),
        )
