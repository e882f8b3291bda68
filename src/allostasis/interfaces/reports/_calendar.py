"""A taper plan as an iCalendar file (RFC 5545): one all-day event for each dose change.

Each step of the plan becomes a ``VEVENT`` on its start date (``DTSTART;VALUE=DATE``, ending the next
day) whose summary names the new daily dose ("Taper step 4: diazepam 57 mg a day") and whose
description lists what to take at each time of day, the cautions that matter for the patient and
that the plan is decision support reviewed by the prescriber.

The file is reproducible: the same plan gives the same bytes. ``UID`` is
``<step>-<first 16 hex digits of the SHA-256 of the plan's JSON>@allostasis``, so a changed plan
(a re-plan after a symptom report) gets new UIDs rather than silently overwriting the old events,
and ``DTSTAMP`` is the plan's first day at 00:00 UTC instead of the time of writing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path
from typing import Final

import icalendar

from allostasis.clinical import TaperPlan
from allostasis.interfaces.reports._patient_text import (
    DECISION_SUPPORT,
    dose_lines,
    require_taper_plan,
    step_cautions,
    step_summary,
)

__all__ = ["taper_calendar", "write_taper_ics"]

PRODID: Final = "-//allostasis//taper plan//EN"


def _plan_digest(plan: TaperPlan) -> str:
    return hashlib.sha256(plan.model_dump_json().encode("utf-8")).hexdigest()[:16]


def taper_calendar(plan: TaperPlan) -> bytes:
    """The plan as iCalendar bytes: one all-day ``VEVENT`` per step (dose change).

    Parameters
    ----------
    plan : TaperPlan
        From :func:`allostasis.clinical.plan_taper`.

    Returns
    -------
    bytes
        An RFC 5545 ``VCALENDAR`` (CRLF line ends, folded lines), identical for identical plans.

    Examples
    --------
    >>> from allostasis.clinical import plan_taper
    >>> plan = plan_taper(["diazepam 5 mg BID"], duration="1 year", start="2027-01-04")
    >>> ics = taper_calendar(plan)
    >>> ics.count(b"BEGIN:VEVENT") == len(plan.steps), ics == taper_calendar(plan)
    (True, True)
    >>> cal = icalendar.Calendar.from_ical(ics)
    >>> ev = cal.walk("VEVENT")[0]
    >>> str(ev["SUMMARY"]), ev.decoded("DTSTART")
    ('Taper step 1: diazepam 9 mg a day', datetime.date(2027, 1, 4))
    """
    require_taper_plan(plan)
    digest = _plan_digest(plan)
    first = plan.steps[0].start if plan.steps else plan.end_date
    stamp = dt.datetime(first.year, first.month, first.day, tzinfo=dt.UTC)
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"{plan.tapered_drug} taper plan")
    for i, step in enumerate(plan.steps):
        nxt = plan.steps[i + 1].start if i + 1 < len(plan.steps) else None
        until = (
            f"Until {(nxt - dt.timedelta(days=1)).isoformat()}, take:"
            if nxt is not None
            else "From today:"
        )
        lines = [until, *dose_lines(step)]
        if step.note:
            lines.append(f"Note: {step.note}")
        lines.append("")
        lines.extend(step_cautions(plan, step))
        lines.append("")
        lines.append(DECISION_SUPPORT)
        event = icalendar.Event()
        event.add("uid", f"step{step.index}-{digest}@allostasis")
        event.add("dtstamp", stamp)
        event.add("dtstart", step.start)
        event.add("dtend", step.start + dt.timedelta(days=1))
        event.add("summary", step_summary(step))
        event.add("description", "\n".join(lines))
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    return bytes(cal.to_ical())


def write_taper_ics(plan: TaperPlan, path: str | os.PathLike[str]) -> Path:
    """Write :func:`taper_calendar` to a ``.ics`` file and return its path.

    Examples
    --------
    >>> import tempfile
    >>> from allostasis.clinical import plan_taper
    >>> plan = plan_taper(["diazepam 5 mg BID"], duration="1 year", start="2027-01-04")
    >>> out = write_taper_ics(plan, Path(tempfile.mkdtemp()) / "taper.ics")
    >>> out.read_bytes()[:15]
    b'BEGIN:VCALENDAR'
    """
    out = Path(path)
    out.write_bytes(taper_calendar(plan))
    return out
