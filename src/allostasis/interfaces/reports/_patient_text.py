"""Plain-language wording of a taper plan for the patient: one source for the PDF and the calendar.

The wording follows the 2025 joint guideline on benzodiazepine tapering (Brunner et al. 2025,
J Gen Intern Med, doi:10.1007/s11606-025-09499-2): withdrawal may take up to about a week to
appear after a reduction; significant symptoms are a reason to slow or pause, not to stop the plan
alone; the withdrawal sign and symptom domains of its Table 3 are given here in everyday words, and
its starred signs (seizure, confusion/delirium, psychosis) plus suicidality are the red flags that
need urgent care. With a concurrent opioid, naloxone is offered (Brunner et al. 2025; Dowell et al.
2022, CDC).

Everything a patient reads is derived from the plan's data (steps, doses, risk factors), not by
parsing the clinician-facing ``plan.warnings`` strings, which the handouts show verbatim in a
section for the prescriber.
"""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Final

from allostasis.clinical import TaperPlan, TaperStep
from allostasis.errors import InvalidValueError

__all__ = [
    "CALL_PRESCRIBER",
    "DECISION_SUPPORT",
    "GUIDELINE_SHORT",
    "SYMPTOM_DOMAINS",
    "SYMPTOM_ONSET",
    "URGENT_SIGNS",
    "basis_lines",
    "daily_dose_phrase",
    "dose_lines",
    "format_date",
    "format_month",
    "patient_cautions",
    "require_taper_plan",
    "step_cautions",
    "step_summary",
    "summary_paragraphs",
]

GUIDELINE_SHORT: Final = "2025 joint guideline on benzodiazepine tapering (Brunner et al. 2025)"
#: Shown on every handout and calendar event.
DECISION_SUPPORT: Final = (
    "This plan is decision support, reviewed by your prescriber. Do not change it on your own; "
    "talk to your prescriber or pharmacist first."
)
#: Brunner et al. 2025: withdrawal may take up to about a week to appear after a reduction.
SYMPTOM_ONSET: Final = (
    "Symptoms can take up to about a week to appear after a dose change. They often settle as "
    "your body adjusts; tell your prescriber if they do not."
)
#: Table 3 of Brunner et al. 2025 (withdrawal sign and symptom domains), in everyday words.
SYMPTOM_DOMAINS: Final[tuple[tuple[str, str], ...]] = (
    ("Feeling generally unwell", "headache, sweating, higher blood pressure"),
    ("Mood", "anxiety or panic, low mood, irritability"),
    ("Heart", "chest pain, a racing or pounding heartbeat"),
    ("Stomach and gut", "cramps, diarrhoea, feeling sick or being sick"),
    (
        "Thinking and senses",
        "trouble concentrating or remembering, being more sensitive to light, sound or touch, "
        "tingling or numbness, ringing in the ears, things looking or sounding strange",
    ),
    ("Muscles and movement", "shaking (tremor), twitches, aching muscles, clumsiness"),
    (
        "Feeling detached or restless",
        "feeling unreal or cut off from yourself or your surroundings, an inner restlessness "
        "that makes it hard to keep still",
    ),
    ("Sleep", "trouble sleeping, nightmares, sleeping much more than usual"),
)
#: Red flags (Brunner et al. 2025 Table 3 starred signs, and suicidality): urgent care, not a phone call.
URGENT_SIGNS: Final[tuple[str, ...]] = (
    "a seizure (fit)",
    "confusion: not knowing where you are, or not making sense (delirium)",
    "seeing or hearing things that are not there, or believing things that others find "
    "strange (hallucinations, psychosis)",
    "thoughts of harming or killing yourself",
)
#: Brunner et al. 2025: significant symptoms -> slow or pause the taper, resume more slowly.
CALL_PRESCRIBER: Final[tuple[str, ...]] = (
    "symptoms that are hard to live with or stop you doing your usual things",
    "symptoms that have not settled after about a week",
    "you missed doses, took extra doses, or are unsure what to take",
    "you want to slow down or pause: the plan can be slowed or paused and restarted more slowly",
)
_MONTHS: Final = (
    "Jan",
    "Feb",
    "Mar",
    "Apr",
    "May",
    "Jun",
    "Jul",
    "Aug",
    "Sep",
    "Oct",
    "Nov",
    "Dec",
)
_PHASE_SUFFIX: Final = {
    "switch": " (switching medicine)",
    "hold": " (staying at this dose)",
    "slow": " (smaller step)",
    "return": " (back to the previous dose)",
}


def require_taper_plan(plan: object) -> None:
    """Refuse anything that is not a :class:`~allostasis.clinical.TaperPlan`."""
    if not isinstance(plan, TaperPlan):
        raise InvalidValueError(
            f"plan: a TaperPlan from allostasis.clinical.plan_taper(); got {type(plan).__name__}"
        )


def format_date(day: dt.date) -> str:
    """A date as '4 Jan 2027' (unambiguous in every locale; English month names).

    >>> format_date(dt.date(2027, 1, 4))
    '4 Jan 2027'
    """
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_month(day: dt.date) -> str:
    """A month as 'Jan 2027' (English month names whatever the locale).

    >>> format_month(dt.date(2027, 1, 4))
    'Jan 2027'
    """
    return f"{_MONTHS[day.month - 1]} {day.year}"


def _mg(value: float) -> str:
    return f"{round(value, 3):g} mg"


def daily_dose_phrase(step: TaperStep) -> str:
    """What the step's daily dose is, e.g. 'diazepam 57 mg a day' or 'stop diazepam'."""
    if step.phase == "stop" or not any(v > 0 for v in step.daily_mg.values()):
        return "stop " + " and ".join(sorted(step.daily_mg))
    parts = [f"{drug} {_mg(mg)}" for drug, mg in step.daily_mg.items() if mg > 0]
    return " + ".join(parts) + " a day"


def step_summary(step: TaperStep) -> str:
    """One-line title of a step, e.g. 'Taper step 4: diazepam 57 mg a day'."""
    return f"Taper step {step.index}: {daily_dose_phrase(step)}{_PHASE_SUFFIX.get(step.phase, '')}"


def dose_lines(step: TaperStep) -> list[str]:
    """What to take at each time of day, e.g. '08:00 diazepam 19 mg: 2 x 2 mg tablets + ...'."""
    if not step.doses:
        return [f"No more {' or '.join(sorted(step.daily_mg))} from today."]
    lines = []
    for d in step.doses:
        how = " (measure with an oral syringe)" if d.liquid else ""
        lines.append(f"{d.time} {d.drug} {_mg(d.mg)}: {d.description}{how}")
    return lines


def _duration_words(days: int) -> str:
    if days < 60:
        weeks = round(days / 7)
        return f"about {weeks} week{'s' if weeks != 1 else ''}"
    months = round(days / 30.44)
    if months < 24:
        return f"about {months} months"
    years, rest = divmod(months, 12)
    return f"about {years} years" + (f" and {rest} month{'s' if rest != 1 else ''}" if rest else "")


def _interval_words(plan: TaperPlan) -> str:
    reductions = [s for s in plan.steps if s.phase in ("reduction", "slow", "stop")]
    gaps = sorted({(b.start - a.start).days for a, b in itertools.pairwise(reductions)})
    if not gaps:
        return ""
    if all(g % 7 == 0 for g in gaps):
        lo, hi = gaps[0] // 7, gaps[-1] // 7
        unit = "weeks" if hi > 1 else "week"
    else:
        lo, hi, unit = gaps[0], gaps[-1], "days"
    return f"every {lo} {unit}" if lo == hi else f"every {lo} to {hi} {unit}"


def _current_words(plan: TaperPlan) -> str:
    parts = []
    for u in plan.current:
        doses = sorted(set(u.doses_mg))
        if len(doses) == 1:
            times = ", ".join(u.clock_times[:-1]) + (" and " if len(u.clock_times) > 1 else "")
            parts.append(f"{u.drug} {_mg(doses[0])} at {times}{u.clock_times[-1]}")
        else:
            at = ", ".join(
                f"{_mg(m)} at {t}" for t, m in zip(u.clock_times, u.doses_mg, strict=True)
            )
            parts.append(f"{u.drug} {at}")
    return "; ".join(parts)


def summary_paragraphs(plan: TaperPlan) -> list[str]:
    """What the plan does, why slowly, how long, and when it ends, in plain words."""
    require_taper_plan(plan)
    first, last = plan.steps[0], plan.steps[-1]
    from_drugs = sorted({u.drug for u in plan.current})
    out = [f"You take {_current_words(plan)}. This plan lowers the dose slowly, step by step."]
    switch = [s for s in plan.steps if s.phase == "switch"]
    if switch:
        out.append(
            f"First, from {format_date(switch[0].start)}, your {' and '.join(from_drugs)} doses "
            f"are changed one at a time to {plan.tapered_drug}, a longer-acting medicine of the "
            f"same kind, at about the same strength. By {format_date(switch[-1].start)} you take "
            f"only {plan.tapered_drug}."
        )
    reductions = [s for s in plan.steps if s.phase in ("reduction", "slow")]
    if reductions:
        steps = sorted(round(100 * s.reduction) for s in reductions)
        size = f"{steps[0]}%" if steps[0] == steps[-1] else f"{steps[0]} to {steps[-1]}%"
        i = plan.steps.index(reductions[0])
        top_mg = (
            sum(plan.steps[i - 1].daily_mg.values())
            if i > 0
            else sum(u.daily_mg for u in plan.current)
        )
        bottom = min(sum(s.daily_mg.values()) for s in reductions)
        out.append(
            f"{'Then the' if switch else 'The'} daily dose of {plan.tapered_drug} goes down {_interval_words(plan)}, "
            f"each time by about {size} of the dose you take at that point, from "
            f"{_mg(top_mg)} to {_mg(bottom)} a day."
        )
    if last.phase == "stop":
        out.append(
            f"On {format_date(last.start)} you stop taking {plan.tapered_drug}. The whole plan "
            f"takes {_duration_words((last.start - first.start).days)}."
        )
    elif plan.end_dose_mg > 0:
        out.append(
            f"From {format_date(last.start)} you stay on {_mg(plan.end_dose_mg)} of "
            f"{plan.tapered_drug} a day, the dose agreed with your prescriber."
        )
    if not plan.completed:
        out.append(
            "This plan does not reach its end point yet; your prescriber will review it and plan "
            "the next steps."
        )
    out.append(
        "Why slowly? Your body has adapted to this medicine over time. Lowering the dose in small "
        "steps, with time between them, gives it time to re-adjust, so withdrawal symptoms are "
        "less likely and milder. The size of each step and the time between steps follow the "
        f"{GUIDELINE_SHORT}; how fast you go can be adjusted to how you feel."
    )
    return out


def patient_cautions(plan: TaperPlan) -> list[str]:
    """Cautions that matter for the patient, from the plan's risk factors and doses."""
    require_taper_plan(plan)
    out = [
        "Do not stop suddenly: that can cause severe withdrawal, even seizures. Do not take "
        "extra doses either.",
    ]
    if plan.patient.get("concurrent_opioid"):
        out.append(
            "You also take an opioid pain medicine. Taken together, the two can slow your "
            "breathing. Keep naloxone at home and show your family how to use it; avoid alcohol "
            "and other sedating medicines unless your prescriber agrees."
        )
    age = plan.patient.get("age_years")
    if isinstance(age, int | float) and not isinstance(age, bool) and age >= 65:
        out.append(
            "This kind of medicine can make you drowsy or unsteady, and falls are more likely at "
            "your age. Take care on stairs and at night."
        )
    liquid = next((s for s in plan.steps if any(d.liquid for d in s.doses)), None)
    if liquid is not None:
        out.append(
            f"From {format_date(liquid.start)} the doses are very small and are taken as a liquid. "
            "Measure each dose with an oral syringe; ask your pharmacist to show you how."
        )
    if plan.override is not None:
        out.append(
            "This plan goes faster than the guideline's usual limit, as agreed with your "
            f"prescriber ({plan.override.reason}). Watch closely for withdrawal symptoms."
        )
    return out


def step_cautions(plan: TaperPlan, step: TaperStep) -> list[str]:
    """Cautions for one dose change (shown in its calendar event)."""
    out = []
    if step.phase == "switch":
        out.append(
            f"You are changing to {plan.tapered_drug}, which lasts longer in the body: you may "
            "feel drowsier for some days. Tell your prescriber if you feel too sleepy or unsteady."
        )
    if any(d.liquid for d in step.doses):
        out.append("Measure the liquid with an oral syringe.")
    if step.phase == "stop":
        out.append(
            "Withdrawal symptoms can still appear in the next week or two; the contacts in your "
            "handout still apply."
        )
    if plan.patient.get("concurrent_opioid"):
        out.append("Keep naloxone at home (you also take an opioid).")
    out.append(SYMPTOM_ONSET)
    out.append(
        "If symptoms are hard to live with, call your prescriber: the plan can be slowed or paused."
    )
    out.append(
        "Seek urgent care for a seizure, confusion, seeing or hearing things that are not there, "
        "or thoughts of harming yourself."
    )
    return out


def basis_lines(plan: TaperPlan) -> list[str]:
    """The plan's basis (rules, pace, sources), without repeats, plus the sources of the wording."""
    require_taper_plan(plan)
    lines = list(dict.fromkeys([*plan.basis, *plan.labels]))
    lines.append(
        "withdrawal symptoms listed from Table 3 of Brunner et al. 2025 (sign and symptom domains); "
        "onset up to about a week after a reduction, slow or pause for significant symptoms "
        "(Brunner et al. 2025)"
    )
    return lines
