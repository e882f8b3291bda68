"""Symptom-guided tapering: each decision rule, red flags, and a whole taper walked with a model patient."""

from __future__ import annotations

import datetime as dt

import pytest

from allostasis.clinical import (
    TaperPlan,
    adjust_taper,
    check_taper_conformance,
    plan_taper,
    predict_taper,
    symptom_report,
)
from allostasis.errors import InvalidValueError


@pytest.fixture(scope="module")
def plan() -> TaperPlan:
    return plan_taper(["diazepam 10 mg BID"], duration="2 years", start="2027-01-04")


@pytest.mark.parametrize(
    ("scores", "flags", "decision", "urgent"),
    [
        ({}, [], "continue", False),
        ({"sleep": 1}, [], "continue", False),
        ({"sleep": 1, "affective": 1}, [], "slow", False),
        ({"sleep": 2}, [], "pause", False),
        ({"sleep": 2, "affective": 2, "neuromuscular": 2}, [], "return", False),
        ({"neurological": 3}, [], "return", False),
        ({}, ["seizure"], "return", True),
        ({"sleep": 1}, ["suicidality"], "return", True),
    ],
)
def test_decision_rules(
    plan: TaperPlan, scores: dict[str, int], flags: list[str], decision: str, urgent: bool
) -> None:
    adj = adjust_taper(plan, symptom_report("2027-02-05", scores, flags))
    assert adj.decision == decision
    assert adj.urgent is urgent
    assert adj.message.startswith("SEEK URGENT CARE") is urgent
    if decision == "continue":
        assert adj.plan == plan
        return
    new = [s for s in adj.plan.steps if s.start >= dt.date(2027, 2, 5)]
    assert new[0].phase == {"slow": "slow", "pause": "hold", "return": "return"}[decision]
    assert check_taper_conformance(adj.plan) == []
    before = [s for s in plan.steps if s.start <= dt.date(2027, 2, 5)]
    if decision == "return":
        assert new[0].daily_mg == before[-2].daily_mg  # back to the previous step's dose
        assert (new[1].start - new[0].start).days == 28
    if decision == "pause":
        assert new[0].daily_mg == before[-1].daily_mg
        assert (new[1].start - new[0].start).days >= 14
        assert new[1].reduction <= 0.10 + 1e-9  # resumes more slowly
    if decision == "slow":
        assert (new[2].start - new[1].start).days == 21  # 14-day intervals x 1.5


def test_bad_reports_are_refused() -> None:
    with pytest.raises(InvalidValueError, match="0-3"):
        symptom_report("2027-02-01", {"sleep": 5})
    with pytest.raises(InvalidValueError, match="red_flags"):
        symptom_report("2027-02-01", red_flags=["headache"])
    with pytest.raises(InvalidValueError, match="date"):
        symptom_report("1 Feb", {"sleep": 1})


_TABLE3 = {
    "anxiety": "affective",
    "insomnia": "sleep",
    "autonomic": "cardiovascular",
    "tremor": "neuromuscular",
    "sensory": "neurological",
    "cognitive": "neurological",
}


def _rating(severity: float) -> int:
    """Model severity (0-1) to a 0-3 rating (an assumption of this test's simulated patient)."""
    return 0 if severity < 0.1 else 1 if severity < 0.25 else 2 if severity < 0.5 else 3


def test_walk_a_fast_taper_with_a_model_patient() -> None:
    """A patient who insisted on a fast taper reports what the model predicts; the plan adapts."""
    plan = plan_taper(
        ["alprazolam 1 mg BID"],
        duration="1 year",
        start="2027-01-04",
        step=0.25,
        interval="7 days",
        initial_step=0.25,
        initial_interval="7 days",
        override_reason="patient preference, supervised",
    )
    first = predict_taper(plan, follow_up="30 days")
    worst_before = max(max(s.peak_severity.values()) for s in first.steps)
    decisions = []
    after = plan.steps[0].start
    pred = first
    # hourly model output holds alprazolam BID's interdose troughs: after a pause the patient keeps
    # reporting mild affective and sleep symptoms, and each report slows the plan (8 adjustments,
    # measured; 6-hourly output missed the troughs and settled after 2)
    for _ in range(12):
        flagged = None
        for s in pred.steps:
            if s.start < after:
                continue
            scores: dict[str, int] = {}
            for d, v in s.peak_severity.items():
                scores[_TABLE3[d]] = max(scores.get(_TABLE3[d], 0), _rating(v))
            if max(scores.values()) >= 2 or sum(v >= 1 for v in scores.values()) >= 2:
                flagged = (s.start + dt.timedelta(days=int(s.peak_day)), scores)
                break
        if flagged is None:
            break
        adj = adjust_taper(plan, symptom_report(*flagged))
        decisions.append(adj.decision)
        plan, after = adj.plan, flagged[0] + dt.timedelta(days=1)
        pred = predict_taper(plan, follow_up="30 days")
    else:
        pytest.fail("the plan never settled")
    assert decisions
    assert all(d in ("slow", "pause", "return") for d in decisions)
    assert decisions[0] == "pause"  # moderate affective and sleep symptoms the day after step 1
    assert plan.completed
    assert plan.steps[-1].phase == "stop"
    assert check_taper_conformance(plan) == []  # dispensable, non-increasing except returns
    worst_after = max(max(s.peak_severity.values()) for s in pred.steps if s.start >= after)
    assert worst_after < worst_before
    assert (plan.end_date - dt.date(2027, 1, 4)).days > 70  # the fast plan took 10 weeks; it slowed
