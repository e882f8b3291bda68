"""Taper handouts: CSV round-trip, iCalendar events, patient PDF text and chart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import icalendar
import numpy as np
import pandas as pd
import pytest
from pypdf import PdfReader

from allostasis.clinical import TaperPlan, plan_taper
from allostasis.errors import InvalidValueError
from allostasis.interfaces.reports import (
    taper_calendar,
    write_taper_csv,
    write_taper_ics,
    write_taper_pdf,
)
from allostasis.interfaces.reports._patient_text import format_date


@pytest.fixture(scope="module")
def small_plan() -> TaperPlan:
    return plan_taper(["diazepam 5 mg BID"], duration="1 year", start="2027-01-04")


@pytest.fixture(scope="module")
def switch_plan() -> TaperPlan:
    return plan_taper(
        ["alprazolam 1 mg TID"],
        duration="6 years",
        age_years=68,
        concurrent_opioid=True,
        start="2027-01-04",
        switch_to="diazepam",
    )


@pytest.fixture(params=["small", "switch"])
def plan(
    request: pytest.FixtureRequest, small_plan: TaperPlan, switch_plan: TaperPlan
) -> TaperPlan:
    return small_plan if request.param == "small" else switch_plan


def _pdf_text(path: Path) -> str:
    reader = PdfReader(path)
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_round_trips(plan: TaperPlan, tmp_path: Path) -> None:
    expected = plan.to_dataframe()
    out = write_taper_csv(plan, tmp_path / "taper.csv")
    back = pd.read_csv(out, keep_default_na=False)
    assert list(back.columns) == list(expected.columns)
    assert len(back) == len(expected)
    for col in expected.columns:
        if pd.api.types.is_numeric_dtype(expected[col]):
            np.testing.assert_array_equal(
                back[col].to_numpy(), expected[col].to_numpy(), err_msg=col
            )
        else:
            assert back[col].astype(str).tolist() == expected[col].astype(str).tolist(), col
    # dates ISO, first row is the plan's first step
    assert back["start"].iloc[0] == plan.steps[0].start.isoformat() == "2027-01-04"
    assert out.read_text(encoding="utf-8").splitlines()[0].startswith("step,phase,start,end,time")


def test_csv_switch_plan_numbers(switch_plan: TaperPlan, tmp_path: Path) -> None:
    back = pd.read_csv(write_taper_csv(switch_plan, tmp_path / "t.csv"), keep_default_na=False)
    first = back[back["step"] == 1]
    # switch step 1: the 20:00 dose is diazepam 20 mg, the other two still alprazolam 1 mg
    assert first["drug"].tolist() == ["alprazolam", "alprazolam", "diazepam"]
    assert first["mg"].tolist() == [1.0, 1.0, 20.0]
    assert back["take"].iloc[-1] == "none (stopped)"
    assert back["start"].iloc[-1] == switch_plan.end_date.isoformat()


# --- iCalendar -----------------------------------------------------------------------------------


def test_ics_one_event_per_step(plan: TaperPlan, tmp_path: Path) -> None:
    out = write_taper_ics(plan, tmp_path / "taper.ics")
    cal = icalendar.Calendar.from_ical(out.read_bytes())
    events = cal.walk("VEVENT")
    assert len(events) == len(plan.steps)
    for ev, step in zip(events, plan.steps, strict=True):
        assert ev.decoded("DTSTART") == step.start
        assert ev.decoded("DTEND") == step.start + dt.timedelta(days=1)
        assert str(ev["SUMMARY"]).startswith(f"Taper step {step.index}: ")
        desc = str(ev["DESCRIPTION"])
        for d in step.doses:
            assert f"{d.time} {d.drug}" in desc
            assert d.description in desc
        assert "decision support, reviewed by your prescriber" in desc
        assert "Seek urgent care" in desc
    uids = [str(ev["UID"]) for ev in events]
    assert len(set(uids)) == len(uids)


def test_ics_summaries_and_dates(switch_plan: TaperPlan) -> None:
    events = icalendar.Calendar.from_ical(taper_calendar(switch_plan)).walk("VEVENT")
    by_step = {int(str(ev["SUMMARY"]).split(":")[0].split()[-1]): ev for ev in events}
    assert str(by_step[1]["SUMMARY"]) == (
        "Taper step 1: alprazolam 2 mg + diazepam 20 mg a day (switching medicine)"
    )
    assert by_step[1].decoded("DTSTART") == dt.date(2027, 1, 4)
    # step 4, the first reduction: 5% of 60 mg diazepam, on 15 Feb 2027 (28 days after the switch)
    assert str(by_step[4]["SUMMARY"]) == "Taper step 4: diazepam 57 mg a day"
    assert by_step[4].decoded("DTSTART") == dt.date(2027, 2, 15)
    last = by_step[len(switch_plan.steps)]
    assert str(last["SUMMARY"]) == f"Taper step {len(switch_plan.steps)}: stop diazepam"
    assert last.decoded("DTSTART") == switch_plan.end_date == dt.date(2029, 5, 28)
    assert "naloxone" in str(by_step[4]["DESCRIPTION"])  # concurrent opioid
    liquid = next(s for s in switch_plan.steps if any(d.liquid for d in s.doses))
    assert "oral syringe" in str(by_step[liquid.index]["DESCRIPTION"])


def test_ics_reproducible(switch_plan: TaperPlan, small_plan: TaperPlan) -> None:
    again = plan_taper(
        ["alprazolam 1 mg TID"],
        duration="6 years",
        age_years=68,
        concurrent_opioid=True,
        start="2027-01-04",
        switch_to="diazepam",
    )
    first = taper_calendar(switch_plan)
    assert first == taper_calendar(again)
    assert b"DTSTAMP:20270104T000000Z" in first
    # a different plan gets different UIDs
    uids_a = {str(e["UID"]) for e in icalendar.Calendar.from_ical(first).walk("VEVENT")}
    uids_b = {
        str(e["UID"])
        for e in icalendar.Calendar.from_ical(taper_calendar(small_plan)).walk("VEVENT")
    }
    assert not uids_a & uids_b


# --- PDF -----------------------------------------------------------------------------------------


def test_pdf_text(plan: TaperPlan, tmp_path: Path) -> None:
    out = write_taper_pdf(plan, tmp_path / "taper.pdf")
    text = _pdf_text(out)
    assert plan.tapered_drug in text
    for step in plan.steps:
        assert f"from {format_date(step.start)}" in text, step.start
    assert "seek urgent care" in text.lower()
    assert "Brunner E et al. (2025). Joint Clinical Practice Guideline on Benzodiazepine" in text
    assert "doi:10.1007/s11606-025-09499-2" in text
    assert "decision support, reviewed by your prescriber" in text
    assert "up to about a week" in text
    for sign in ("seizure", "delirium", "psychosis", "killing yourself"):
        assert sign in text
    for warning in plan.warnings:  # the prescriber's notes are the plan's warnings, verbatim
        assert " ".join(warning.split())[:60] in text
    assert not PdfReader(out).pages[0].images


def test_pdf_switch_plan_content(switch_plan: TaperPlan, tmp_path: Path) -> None:
    text = _pdf_text(write_taper_pdf(switch_plan, tmp_path / "taper.pdf"))
    assert "alprazolam" in text
    assert "On 28 May 2029 you stop taking diazepam" in text
    assert "about 2 years and 5 months" in text
    assert "naloxone" in text
    assert "2 x 2 mg tablets + 1 1/2 x 10 mg tablets" in text  # step 4, 19 mg per dose


def test_pdf_with_trajectory_has_image_and_is_reproducible(
    small_plan: TaperPlan, tmp_path: Path
) -> None:
    day = np.linspace(0.0, 300.0, 121)
    traj = pd.DataFrame(
        {"day": day, "balance_index": 0.2 * np.sin(day / 300 * np.pi), "insomnia": 0.0}
    )
    a = write_taper_pdf(small_plan, tmp_path / "a.pdf", trajectory=traj)
    b = write_taper_pdf(small_plan, tmp_path / "b.pdf", trajectory=traj)
    assert a.read_bytes() == b.read_bytes()
    reader = PdfReader(a)
    n_images = sum(len(page.images) for page in reader.pages)
    assert n_images == 1
    assert "model prediction" in _pdf_text(a)


def test_pdf_rejects_bad_trajectory(small_plan: TaperPlan, tmp_path: Path) -> None:
    with pytest.raises(InvalidValueError, match="trajectory: missing column"):
        write_taper_pdf(small_plan, tmp_path / "x.pdf", trajectory=pd.DataFrame({"day": [0.0]}))
    with pytest.raises(InvalidValueError, match="must be finite"):
        write_taper_pdf(
            small_plan,
            tmp_path / "x.pdf",
            trajectory=pd.DataFrame({"day": [0.0, 1.0], "balance_index": [0.1, np.nan]}),
        )


def test_writers_reject_non_plan(tmp_path: Path) -> None:
    with pytest.raises(InvalidValueError, match="plan: a TaperPlan"):
        write_taper_csv({"steps": []}, tmp_path / "x.csv")  # type: ignore[arg-type]
    with pytest.raises(InvalidValueError, match="plan: a TaperPlan"):
        taper_calendar("plan")  # type: ignore[arg-type]
