"""Dispensable doses: exact where the formulations allow, the liquid for small doses, and the
rounding error always reported."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allostasis.clinical import dispense
from allostasis.errors import InvalidValueError, UnitError, UnknownDrugError
from allostasis.knowledge import load_knowledge_base


@pytest.mark.parametrize(
    ("drug", "dose", "expected"),
    [
        ("alprazolam", "0.75 mg", "3 x 0.25 mg tablets"),
        ("alprazolam", "0.375 mg", "1 1/2 x 0.25 mg tablets"),  # scored: halves allowed
        ("diazepam", "7.5 mg", "1 1/2 x 5 mg tablets"),
        ("clonazepam", "0.125 mg", "1 x 0.125 mg orally disintegrating tablet"),
        (
            "alprazolam",
            "0.1 mg",
            "0.1 mL of 1 mg/mL oral solution",
        ),  # below half the smallest tablet
    ],
)
def test_exact_doses(drug: str, dose: str, expected: str) -> None:
    d = dispense(drug, dose)
    assert d.description == expected
    assert d.relative_error == pytest.approx(0.0, abs=1e-12)
    assert d.within_tolerance


def test_unscored_capsules_cannot_be_split_and_the_error_is_reported() -> None:
    d = dispense("chlordiazepoxide", "12.5 mg")  # capsules 5, 10, 25 mg: no exact combination
    assert d.dispensed_mg in (10.0, 15.0)
    assert d.relative_error == pytest.approx(0.2)
    assert not d.within_tolerance
    assert "differs from the target 12.5 mg by 20%" in d.warnings[0]
    assert all(item.count == int(item.count) for item in d.items)


def test_liquid_can_be_refused() -> None:
    d = dispense("alprazolam", "0.1 mg", allow_liquid=False)
    assert d.description == "1/2 x 0.25 mg tablet"
    assert not d.within_tolerance


@settings(max_examples=80, deadline=None)
@given(
    mg=st.floats(0.05, 40.0),
    drug=st.sampled_from(["alprazolam", "diazepam", "lorazepam", "clonazepam"]),
)
def test_dispensed_dose_is_what_the_items_add_up_to(mg: float, drug: str) -> None:
    d = dispense(drug, f"{mg} mg")
    total = sum((i.count or 0) * i.strength + (i.volume_ml or 0) * i.strength for i in d.items)
    # reported values are rounded to 1e-9 mg
    assert total == pytest.approx(d.dispensed_mg, abs=1e-8)
    assert d.error_mg == pytest.approx(d.dispensed_mg - mg, abs=1e-8)
    assert d.within_tolerance == (abs(d.dispensed_mg - mg) / mg <= 0.05 + 1e-12)
    kb = load_knowledge_base()
    for item in d.items:  # every item is a marketed strength, split no finer than allowed
        form = next(
            f for f in kb[drug].formulations if f.form == item.form and item.strength in f.strengths
        )
        if item.count is not None:
            assert (item.count / form.splittable_to) == pytest.approx(
                round(item.count / form.splittable_to)
            )


def test_zero_dose_dispenses_nothing() -> None:
    assert dispense("diazepam", "0 mg").items == []


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "pattern"),
    [
        (("diazepam", "-1 mg"), {}, InvalidValueError, r"dose: must be >= 0 mg"),
        (("diazepam", "5 mg/h"), {}, UnitError, r"dose: expected a quantity in mg"),
        (
            ("diazepam", "5 mg"),
            {"tolerance": 1.5},
            InvalidValueError,
            r"tolerance: must be in \[0, 1\)",
        ),
        (("nosuchdrug", "5 mg"), {}, UnknownDrugError, r"not in the knowledge base"),
        (("flumazenil", "0.2 mg"), {}, UnknownDrugError, r"no oral tablets, capsules or liquids"),
    ],
)
def test_refusals(args: tuple, kwargs: dict, error: type, pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        dispense(*args, **kwargs)
