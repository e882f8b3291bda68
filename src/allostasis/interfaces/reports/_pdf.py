"""A patient handout for a taper plan as PDF (reportlab): schedule, what to expect, when to call.

Sections, in order: a plain-language summary (what, why slowly, how long, end date); things to keep
in mind; optionally the model-predicted withdrawal course (a chart, labelled as a model prediction);
the dated schedule (dates, time, medicine, dose, what to take); what to expect (the withdrawal
symptom domains of Table 3 of Brunner et al. 2025 in everyday words, and that symptoms can take up to
a week to appear); when to call the prescriber and when to seek urgent care; notes for the
prescriber (the plan's warnings, verbatim); and the basis (rules and sources).

Accessibility: body text 12 pt, nothing under 10 pt, black on white (contrast 21:1), the header row
of the table on light grey (contrast above 15:1), meaning carried by words and headings, never by
colour alone; standard PDF fonts so the text can be extracted and read aloud. The output is
reproducible: reportlab's ``invariant`` mode fixes the creation date and document ID.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from pathlib import Path
from typing import Final
from xml.sax.saxutils import escape

import pandas as pd
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, inch
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    ListFlowable,
    ListItem,
    Paragraph,
    SimpleDocTemplate,
    Table,
    TableStyle,
)

from allostasis.clinical import TaperPlan
from allostasis.interfaces.reports._patient_text import (
    CALL_PRESCRIBER,
    DECISION_SUPPORT,
    SYMPTOM_DOMAINS,
    SYMPTOM_ONSET,
    URGENT_SIGNS,
    basis_lines,
    format_date,
    patient_cautions,
    require_taper_plan,
    summary_paragraphs,
)
from allostasis.interfaces.reports._trajectory_chart import (
    FIG_HEIGHT_IN,
    FIG_WIDTH_IN,
    trajectory_png,
)

__all__ = ["write_taper_pdf"]

_FONT: Final = "Helvetica"
_BOLD: Final = "Helvetica-Bold"
_MARGIN: Final = 2 * cm
_GREY: Final = colors.HexColor("#E6E6E6")

_BODY = ParagraphStyle("body", fontName=_FONT, fontSize=12, leading=16, spaceAfter=6)
_SMALL = ParagraphStyle("small", parent=_BODY, fontSize=10, leading=13, spaceAfter=3)
_CELL = ParagraphStyle("cell", parent=_BODY, fontSize=10.5, leading=13, spaceAfter=0)
_CELL_BOLD = ParagraphStyle("cellbold", parent=_CELL, fontName=_BOLD)
_TITLE = ParagraphStyle("title", parent=_BODY, fontName=_BOLD, fontSize=20, leading=25)
_H2 = ParagraphStyle(
    "h2", parent=_BODY, fontName=_BOLD, fontSize=15, leading=19, spaceBefore=12, spaceAfter=6
)
_BOX = ParagraphStyle(
    "box",
    parent=_BODY,
    fontName=_BOLD,
    borderColor=colors.black,
    borderWidth=1.5,
    borderPadding=8,
    spaceBefore=8,
    spaceAfter=14,
)


def _p(text: str, style: ParagraphStyle = _BODY) -> Paragraph:
    return Paragraph(escape(text), style)


def _bullets(items: list[str] | tuple[str, ...], style: ParagraphStyle = _BODY) -> ListFlowable:
    return ListFlowable(
        [ListItem(_p(t, style), leftIndent=14) for t in items],
        bulletType="bullet",
        bulletFontName=_FONT,
        bulletFontSize=style.fontSize,
        leftIndent=14,
    )


def _schedule_table(plan: TaperPlan) -> Table:
    """One row per step and dose time; the dates only on a step's first row, a rule above it."""
    header = [_p(h, _CELL_BOLD) for h in ("Dates", "Time", "Medicine", "Dose", "What to take")]
    rows: list[list[Flowable | str]] = [header]
    style: list[tuple[object, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), _GREY),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 1.2, colors.black),
        ("BOX", (0, 0), (-1, -1), 0.8, colors.black),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    for i, step in enumerate(plan.steps):
        nxt = plan.steps[i + 1].start if i + 1 < len(plan.steps) else None
        dates = f"<b>Step {step.index}</b><br/>from {format_date(step.start)}"
        if nxt is not None:
            dates += f"<br/>to {format_date(nxt - dt.timedelta(days=1))}"
        first_row = len(rows)
        if i > 0:
            style.append(("LINEABOVE", (0, first_row), (-1, first_row), 0.8, colors.black))
        doses = step.doses
        if not doses:
            stopped = " and ".join(sorted(step.daily_mg))
            rows.append(
                [
                    Paragraph(dates, _CELL),
                    "",
                    _p(stopped, _CELL),
                    _p("0 mg", _CELL),
                    _p(f"Stop: no more {stopped}", _CELL_BOLD),
                ]
            )
            continue
        for k, d in enumerate(doses):
            take = d.description + (" (oral syringe)" if d.liquid else "")
            rows.append(
                [
                    Paragraph(dates, _CELL) if k == 0 else "",
                    _p(d.time, _CELL),
                    _p(d.drug, _CELL),
                    _p(f"{round(d.mg, 3):g} mg", _CELL),
                    _p(take, _CELL),
                ]
            )
    width = A4[0] - 2 * _MARGIN
    cols = [3.9 * cm, 1.4 * cm, 2.5 * cm, 1.8 * cm]
    cols.append(width - sum(cols))
    table = Table(rows, colWidths=cols, repeatRows=1)
    table.setStyle(TableStyle(style))
    return table


def _urgent_box(content: list[Flowable]) -> Table:
    """The red-flag section inside a thick black frame (emphasis by a border, not by colour)."""
    box = Table([[content]], colWidths=[A4[0] - 2 * _MARGIN])
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 2.5, colors.black),
                ("LEFTPADDING", (0, 0), (-1, -1), 10),
                ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return box


def _footer(canvas: Canvas, doc: SimpleDocTemplate) -> None:
    canvas.saveState()
    canvas.setFont(_FONT, 10)
    canvas.drawString(
        _MARGIN, 1.1 * cm, f"Page {doc.page} - decision support, reviewed by your prescriber"
    )
    canvas.drawRightString(A4[0] - _MARGIN, 1.1 * cm, "made with allostasis")
    canvas.restoreState()


def write_taper_pdf(
    plan: TaperPlan, path: str | os.PathLike[str], *, trajectory: pd.DataFrame | None = None
) -> Path:
    """Write a patient-friendly PDF handout for the plan.

    Parameters
    ----------
    plan : TaperPlan
        From :func:`allostasis.clinical.plan_taper`.
    path : str or path-like
        The PDF file to write.
    trajectory : DataFrame, optional
        Model-predicted course: columns ``day`` (days since the plan's first step) and
        ``balance_index`` (the predicted withdrawal index), other columns ignored; when given, a
        line chart of it is included, labelled as a model prediction.

    Returns
    -------
    Path
        The file written; the same plan (and trajectory) gives the same bytes.

    Raises
    ------
    InvalidValueError
        If ``plan`` is not a TaperPlan or ``trajectory`` lacks its columns or has NaN.

    Examples
    --------
    >>> import tempfile
    >>> from allostasis.clinical import plan_taper
    >>> plan = plan_taper(["diazepam 5 mg BID"], duration="1 year", start="2027-01-04")
    >>> out = write_taper_pdf(plan, Path(tempfile.mkdtemp()) / "taper.pdf")
    >>> out.read_bytes()[:5]
    b'%PDF-'
    """
    require_taper_plan(plan)
    chart = trajectory_png(trajectory, plan) if trajectory is not None else None
    drug = plan.tapered_drug
    from_drugs = " and ".join(sorted({u.drug for u in plan.current}))
    story: list[Flowable] = [
        _p(f"Your plan to reduce {from_drugs}", _TITLE),
        _p(
            f"From {format_date(plan.steps[0].start)} to {format_date(plan.end_date)}"
            if plan.steps
            else "",
            _BODY,
        ),
        _p(DECISION_SUPPORT, _BOX),
        _p("What this plan does", _H2),
        *[_p(t) for t in summary_paragraphs(plan)],
        _p("Things to keep in mind", _H2),
        _bullets(patient_cautions(plan)),
    ]
    if chart is not None:
        story += [
            KeepTogether(
                [
                    _p("How withdrawal may go: a model prediction", _H2),
                    Image(
                        io.BytesIO(chart), width=FIG_WIDTH_IN * inch, height=FIG_HEIGHT_IN * inch
                    ),
                    _p(
                        "This curve comes from a computer model of an average patient on this "
                        "plan (a hypothesis, not a forecast for you). Your own course may differ; "
                        "what matters is how you feel.",
                        _SMALL,
                    ),
                ]
            )
        ]
    story += [
        _p("Your schedule", _H2),
        _p(
            f"Each row says what to take at each time of day, from the first date until the "
            f"second. Dose changes are marked by a line across the table. Medicine: {drug}"
            + (f" (after switching from {from_drugs})" if from_drugs != drug else "")
            + ".",
        ),
        _schedule_table(plan),
        _p("What to expect", _H2),
        _p(
            "As the dose goes down you may notice withdrawal symptoms. Not everyone does. "
            "They can include:"
        ),
        _bullets([f"{name}: {what}" for name, what in SYMPTOM_DOMAINS]),
        _p(SYMPTOM_ONSET),
        KeepTogether(
            [
                _p("When to call your prescriber", _H2),
                _p("Call your prescriber or pharmacist if you have:"),
                _bullets(CALL_PRESCRIBER),
                _p(
                    "Do not go back to a higher dose or stop the plan on your own; your "
                    "prescriber can slow or pause it."
                ),
            ]
        ),
        _urgent_box(
            [
                _p("Seek urgent care", _H2),
                _p(
                    "Seek urgent care now (call your local emergency number or go to the "
                    "emergency department) if you have:",
                    _BODY,
                ),
                _bullets(URGENT_SIGNS),
                *(
                    [
                        _p(
                            "Because you also take an opioid: if you cannot be woken, or your "
                            "breathing is very slow or shallow, someone must give naloxone and "
                            "call the emergency number."
                        )
                    ]
                    if plan.patient.get("concurrent_opioid")
                    else []
                ),
            ]
        ),
        _p("Notes for your prescriber", _H2),
        _bullets(plan.warnings or ["no warnings"], _SMALL),
        _p("Basis of this plan", _H2),
        _bullets(basis_lines(plan), _SMALL),
    ]
    out = Path(path)
    doc = SimpleDocTemplate(
        str(out),
        pagesize=A4,
        leftMargin=_MARGIN,
        rightMargin=_MARGIN,
        topMargin=_MARGIN,
        bottomMargin=_MARGIN,
        title=f"Taper plan: {from_drugs}",
        author="allostasis",
        subject="Benzodiazepine taper plan (decision support, reviewed by your prescriber)",
        creator="allostasis",
        lang="en",
        invariant=1,
    )
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return out
