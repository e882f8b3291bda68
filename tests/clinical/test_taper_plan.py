"""Taper planner: the issue's patient, guideline conformance over many random plans, refusals."""

from __future__ import annotations

import datetime as dt
import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allostasis.clinical import (
    TaperPlan,
    benzodiazepine_use,
    check_taper_conformance,
    largest_step,
    plan_taper,
)
from allostasis.errors import AllostasisError, InvalidValueError, UnknownDrugError

START = "2027-01-04"


def _reductions(plan: TaperPlan) -> list[float]:
    return [s.reduction for s in plan.steps if s.phase == "reduction"]


def test_issue_patient_gets_a_complete_conformant_plan_with_switch() -> None:
    # "alprazolam 1 mg three times a day for 6 years, age 68, on oxycodone 10 mg twice a day"
    plan = plan_taper(
        ["alprazolam 1 mg TID"],
        duration="6 years",
        age_years=68,
        concurrent_opioid=True,
        switch_to="diazepam",
        start=START,
    )
    assert plan.completed
    assert plan.steps[-1].phase == "stop"
    assert check_taper_conformance(plan) == []
    # the switch: three sub-steps over <= 14 days, night dose first, total kept (Ashton 2002: 20 mg each)
    switch = [s for s in plan.steps if s.phase == "switch"]
    assert len(switch) == 3
    assert (switch[-1].start - switch[0].start).days <= 14
    assert switch[0].doses[-1].drug == "diazepam"
    assert switch[0].doses[-1].time == "20:00"
    assert switch[-1].daily_mg == {"alprazolam": 0.0, "diazepam": 60.0}
    # risk factors (age, > 5 years, opioid): first two reductions 5-10% four weeks apart
    red = [s for s in plan.steps if s.phase == "reduction"]
    assert all(0.05 <= s.reduction <= 0.10 for s in red[:2])
    assert (red[1].start - red[0].start).days == 28
    assert plan.steps[-2].daily_mg == {
        "diazepam": 1.0
    }  # stop from 1 mg (Ashton's schedules end there)
    text = " ".join(plan.warnings)
    assert "consider tapering the opioid first" in text
    assert "offer naloxone" in text
    assert "disagree by 100%" in text  # Ashton 0.5 mg vs VA/DoD 1 mg alprazolam per 10 mg diazepam
    assert "above its label maximum" in text  # 60 mg/day > 40 mg/day
    assert any("Brunner" in b for b in plan.basis)
    assert plan.basis[-1].startswith("conformance check: every step within")


def test_direct_alprazolam_taper_keeps_three_doses_a_day_and_stops_from_the_smallest() -> None:
    plan = plan_taper(["alprazolam 1 mg TID"], duration="2 years", start=START)
    # alprazolam's half-life (11 h) is too short to drop a dose time
    assert all(len(s.doses) == 3 for s in plan.steps if s.phase == "reduction")
    assert plan.completed
    assert plan.final_dose_mg == pytest.approx(0.3)
    assert any("more than the 1 mg where the Ashton" in w for w in plan.warnings)


def test_coarse_formulations_stall_rather_than_break_the_ceiling() -> None:
    plan = plan_taper(["zolpidem 10 mg at night"], duration="2 years", start=START)
    assert not plan.completed
    assert plan.steps == []
    assert "a switch to diazepam" in plan.warnings[0]
    switched = plan_taper(
        ["zolpidem 10 mg at night"], duration="2 years", start=START, switch_to="diazepam"
    )
    assert switched.completed
    assert check_taper_conformance(switched) == []


def test_linear_steps_are_cut_to_the_ceiling_and_say_so() -> None:
    plan = plan_taper(
        ["diazepam 10 mg BID"], duration="2 years", start=START, reduction="linear", step=0.1
    )
    assert check_taper_conformance(plan) == []
    late = [s for s in plan.steps if s.phase == "reduction"][-3:]
    assert any("cut to the ceiling" in s.note for s in plan.steps)
    assert all(s.reduction <= 0.25 + 1e-9 for s in late)


def test_override_is_recorded_and_warned() -> None:
    with pytest.raises(InvalidValueError, match="25% per 2 weeks"):
        plan_taper(["diazepam 10 mg BID"], duration="1 year", start=START, step=0.4)
    plan = plan_taper(
        ["diazepam 10 mg BID"],
        duration="1 year",
        start=START,
        step=0.4,
        initial_step=0.2,
        override_reason="inpatient detoxification, supervised",
    )
    assert plan.override is not None
    assert plan.override.reason.startswith("inpatient")
    assert len(plan.override.rules) == 2
    assert any(w.startswith("OVERRIDE") for w in plan.warnings)
    assert max(_reductions(plan)) > 0.25


def test_rounding_error_is_reported_per_step() -> None:
    plan = plan_taper(["alprazolam 1 mg TID"], duration="1 year", start=START)
    for s in plan.steps:
        if s.phase == "reduction":
            dispensed = sum(s.daily_mg.values())
            assert s.rounding_error == pytest.approx((dispensed - s.target_mg) / s.target_mg)


def test_to_dataframe_has_a_row_per_dose_time_and_dates() -> None:
    plan = plan_taper(["diazepam 5 mg BID"], duration="1 year", start=START)
    df = plan.to_dataframe()
    assert set(df.columns) >= {"step", "start", "end", "time", "drug", "mg", "take"}
    first = df[df["step"] == 1]
    assert first["start"].iloc[0] == START
    assert len(first) <= 2
    assert df["end"].iloc[0] == (dt.date(2027, 1, 4) + dt.timedelta(days=13)).isoformat()


@pytest.mark.parametrize(
    ("meds", "kwargs", "error", "message"),
    [
        (["fluffazepam 1 mg BID"], {}, UnknownDrugError, "fluffazepam"),
        (["sertraline 50 mg daily"], {}, UnknownDrugError, "is a ssri"),
        (["alprazolam -1 mg BID"], {}, InvalidValueError, "cannot read"),
        (["alprazolam 1 mg PRN"], {}, InvalidValueError, "as-needed"),
        (["alprazolam 1 mg sometimes"], {}, InvalidValueError, "frequency"),
        (["alprazolam 100 mg TID"], {}, InvalidValueError, "label maximum"),
        (["alprazolam 1 mg TID", "zolpidem 10 mg at night"], {}, InvalidValueError, "switch_to"),
        (["alprazolam 1 mg TID"], {"age_years": 12}, InvalidValueError, "adults"),
        (["alprazolam 1 mg TID"], {"switch_to": "lorazepam"}, InvalidValueError, "long-acting"),
        (["alprazolam 1 mg TID"], {"interval": "2 kg"}, AllostasisError, "interval"),
        (["alprazolam 1 mg TID"], {"initial_step": 0.3}, InvalidValueError, "override_reason"),
        (["alprazolam 1 mg TID"], {"step": 1.5}, InvalidValueError, "fraction"),
    ],
)
def test_bad_input_is_refused_with_the_field_named(
    meds: list[str], kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        plan_taper(meds, duration="1 year", start=START, **kwargs)  # type: ignore[arg-type]


def test_several_drugs_are_switched_one_dose_time_at_a_time() -> None:
    plan = plan_taper(
        ["alprazolam 0.5 mg TID", "zolpidem 10 mg at night"],
        duration="1 year",
        start=START,
        switch_to="diazepam",
    )
    switch = [s for s in plan.steps if s.phase == "switch"]
    assert switch[-1].daily_mg["alprazolam"] == 0
    assert switch[-1].daily_mg["zolpidem"] == 0
    assert check_taper_conformance(plan) == []


_DRUGS = [
    ("alprazolam", [0.25, 0.5, 1.0, 2.0]),
    ("lorazepam", [0.5, 1.0, 2.0]),
    ("clonazepam", [0.25, 0.5, 1.0, 2.0]),
    ("diazepam", [2.0, 5.0, 10.0, 15.0]),
    ("oxazepam", [10.0, 15.0, 30.0]),
    ("temazepam", [15.0, 30.0]),
    ("zolpidem", [5.0, 10.0]),
]


@st.composite
def _requests(draw: st.DrawFn) -> dict[str, object]:
    drug, doses = draw(st.sampled_from(_DRUGS))
    times = (
        draw(st.sampled_from(["daily", "BID", "TID"]))
        if drug not in ("temazepam", "zolpidem")
        else "at night"
    )
    return {
        "meds": [f"{drug} {draw(st.sampled_from(doses))} mg {times}"],
        "duration": f"{draw(st.integers(30, 20 * 365))} days",
        "age_years": draw(st.one_of(st.none(), st.integers(18, 95))),
        "concurrent_opioid": draw(st.booleans()),
        "seizure_history": draw(st.booleans()),
        "switch_to": draw(st.sampled_from([None, "diazepam", "clonazepam", "chlordiazepoxide"])),
        "reduction": draw(st.sampled_from(["proportional", "linear"])),
        "step": draw(st.one_of(st.none(), st.floats(0.05, 0.3))),
        "interval": draw(
            st.one_of(st.none(), st.sampled_from(["7 days", "14 days", "3 weeks", "4 weeks"]))
        ),
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_requests())
def test_any_plan_conforms_or_is_refused_clearly(req: dict[str, object]) -> None:
    meds = req.pop("meds")
    try:
        plan = plan_taper(meds, start=START, **req)  # type: ignore[arg-type]
    except InvalidValueError as exc:
        message = str(exc)
    else:
        message = ""
    if message:
        # a random pace is refused only above the ceiling (saying how to go faster), a switch only
        # when the switch drug cannot be dispensed within 5% of the equivalent dose
        if "switch_to" in message:
            assert req["switch_to"] is not None
            assert "more than 5% apart" in message
        else:
            assert "ceiling" in message
            assert "override_reason" in message
            assert req["step"] is not None
            assert req["step"] > largest_step(7.0) - 1e-9  # type: ignore[operator]
        return
    assert check_taper_conformance(plan) == []
    red = [s for s in plan.steps if s.phase == "reduction"]
    assert all(0.05 - 1e-9 <= s.reduction <= 0.10 + 1e-9 for s in red[:2])
    doses = [s.diazepam_equivalent_mg for s in plan.steps if s.phase != "switch"]
    assert all(b <= a + 1e-9 for a, b in itertools.pairwise(doses))
    for s in plan.steps:
        for d in s.doses:
            assert d.items, f"step {s.index}: {d.time} has nothing to dispense"
    assert plan.completed == (bool(plan.steps) and plan.steps[-1].phase == "stop")


def test_benzodiazepine_use_reads_clock_times() -> None:
    u = benzodiazepine_use("diazepam 5 mg at 07:00 and 19:00")
    assert u.clock_times == ["07:00", "19:00"]
    assert u.daily_mg == 10.0
    with pytest.raises(InvalidValueError, match="24-hour"):
        benzodiazepine_use("diazepam 5 mg at 7pm and 25:00")
