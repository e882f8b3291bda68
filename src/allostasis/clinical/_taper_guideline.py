"""The guideline limits on a benzodiazepine taper, and the pace allostasis proposes by default.

Brunner E et al. (2025). Joint clinical practice guideline on benzodiazepine tapering. J Gen Intern
Med. doi:10.1007/s11606-025-09499-2 (ASAM and nine other societies):

* first reductions of about 5-10% of the current dose every 2-4 weeks;
* the pace should typically not exceed 25% every 2 weeks;
* people with short or low-dose use (under about 3 months) may go faster;
* a switch to a longer-acting benzodiazepine is done gradually over about 1-2 weeks;
* withdrawal may take up to about a week to appear after a reduction.

The 25%-in-2-weeks ceiling is read as: over any 14-day window the daily dose may fall by at most 25%
of the dose at the start of the window, :math:`D(t + 14\\,d) \\ge 0.75\\,D(t)`. With steps every
:math:`I` days, :math:`k = \\lceil 14 / I \\rceil` steps can fall in one window, so the largest
allowed proportional step is :math:`c = 1 - 0.75^{1/k}`.

The default pace (:func:`default_pace`) is allostasis's own choice *inside* those limits
(a modelling and prescribing assumption, labelled as such in every plan): 10% every 2 weeks without
risk factors; with any risk factor (age >= 65, hepatic impairment, seizure history, a previous
difficult withdrawal, a concurrent opioid, more than 5 years of use) the first two steps are 5%
every 4 weeks and later steps 10% every 3 weeks; after use under 3 months 10% every week (about
19% per 2 weeks). The final step to zero is taken from a small dose — by default 1 mg of diazepam
equivalent a day, where the Ashton Manual's schedules end (Ashton 2002) — and is the one step
exempt from the ceiling (any stop is a 100% step).
"""

from __future__ import annotations

import math
from typing import Final

from pydantic import BaseModel, ConfigDict

__all__ = [
    "CEILING_FRACTION",
    "CEILING_WINDOW_DAYS",
    "GUIDELINE_CITATION",
    "INITIAL_INTERVAL_RANGE_DAYS",
    "INITIAL_STEPS",
    "INITIAL_STEP_RANGE",
    "SWITCH_DAYS_RANGE",
    "TaperPace",
    "default_pace",
    "largest_step",
]

GUIDELINE_CITATION: Final = (
    "Brunner E et al. (2025). Joint Clinical Practice Guideline on Benzodiazepine Tapering. "
    "J Gen Intern Med. doi:10.1007/s11606-025-09499-2"
)
ASHTON_CITATION: Final = (
    "Ashton CH (2002). Benzodiazepines: how they work and how to withdraw (the Ashton Manual). "
    "Newcastle University"
)
#: First reductions: 5-10% of the current dose (Brunner 2025).
INITIAL_STEP_RANGE: Final = (0.05, 0.10)
#: ... every 2-4 weeks (Brunner 2025), in days.
INITIAL_INTERVAL_RANGE_DAYS: Final = (14.0, 28.0)
#: How many reductions count as "initial" (allostasis's reading of "first reductions"; assumption).
INITIAL_STEPS: Final = 2
#: At most 25% ...
CEILING_FRACTION: Final = 0.25
#: ... in any 2 weeks (Brunner 2025).
CEILING_WINDOW_DAYS: Final = 14.0
#: A switch to a longer-acting drug is spread over about 1-2 weeks (Brunner 2025), in days.
SWITCH_DAYS_RANGE: Final = (7.0, 14.0)
#: Default final daily dose before stopping, in mg diazepam equivalent (Ashton 2002 schedules end at 1 mg).
FINAL_DOSE_DIAZEPAM_EQ_MG: Final = 1.0
#: Never stop from more than this, in mg diazepam equivalent a day (assumption: where the formulations
#: cannot reach 1 mg, the plan may stop from a small dose, but not from a therapeutic one).
MAX_FINAL_DOSE_DIAZEPAM_EQ_MG: Final = 6.0
#: Use shorter than this is "short use" that may be tapered faster (Brunner 2025), in days.
SHORT_USE_DAYS: Final = 90.0
#: Age from which the default pace is slower (assumption: Beers criteria age; AGS 2023).
OLDER_AGE_YEARS: Final = 65.0
#: Use longer than this counts as a risk factor for a slower default pace (assumption), in days.
LONG_USE_DAYS: Final = 5 * 365.25


def largest_step(interval_days: float) -> float:
    """Largest proportional step that keeps every 14-day window within the 25% ceiling.

    .. math:: c = 1 - 0.75^{1/k},\\qquad k = \\lceil 14 / I \\rceil

    Examples
    --------
    >>> largest_step(14.0), largest_step(28.0)
    (0.25, 0.25)
    >>> round(largest_step(7.0), 4)
    0.134
    """
    k = max(1, math.ceil(CEILING_WINDOW_DAYS / interval_days - 1e-9))
    return float(1.0 - (1.0 - CEILING_FRACTION) ** (1.0 / k))


class TaperPace(BaseModel):
    """Step sizes (fractions of the current dose) and intervals (days), with why they were chosen."""

    model_config = ConfigDict(frozen=True)

    initial_step: float
    initial_interval_days: float
    step: float
    interval_days: float
    reasons: list[str]


def default_pace(
    *,
    duration_days: float,
    age_years: float | None,
    hepatic_impairment: bool,
    seizure_history: bool,
    previous_difficult_withdrawal: bool,
    concurrent_opioid: bool,
) -> TaperPace:
    """The pace allostasis proposes for this patient (an assumption inside the guideline's limits).

    Examples
    --------
    >>> p = default_pace(duration_days=6 * 365, age_years=68, hepatic_impairment=False,
    ...                  seizure_history=False, previous_difficult_withdrawal=False,
    ...                  concurrent_opioid=True)
    >>> p.initial_step, p.initial_interval_days, p.step, p.interval_days
    (0.05, 28.0, 0.1, 21.0)
    >>> p.reasons[0]
    'risk factors: age 68 >= 65; more than 5 years of use; concurrent opioid'
    """
    risks = []
    if age_years is not None and age_years >= OLDER_AGE_YEARS:
        risks.append(f"age {age_years:g} >= {OLDER_AGE_YEARS:g}")
    if duration_days > LONG_USE_DAYS:
        risks.append("more than 5 years of use")
    for flag, label in (
        (hepatic_impairment, "hepatic impairment"),
        (seizure_history, "seizure history"),
        (previous_difficult_withdrawal, "previous difficult withdrawal"),
        (concurrent_opioid, "concurrent opioid"),
    ):
        if flag:
            risks.append(label)
    assumption = "allostasis default inside the guideline limits (prescribing assumption, adjust to the patient)"
    if risks:
        return TaperPace(
            initial_step=0.05,
            initial_interval_days=28.0,
            step=0.10,
            interval_days=21.0,
            reasons=[
                "risk factors: " + "; ".join(risks),
                "first 2 steps 5% every 4 weeks, then 10% every 3 weeks: " + assumption,
            ],
        )
    if duration_days < SHORT_USE_DAYS:
        return TaperPace(
            initial_step=0.10,
            initial_interval_days=7.0,
            step=0.10,
            interval_days=7.0,
            reasons=[
                f"use under {SHORT_USE_DAYS:g} days without risk factors: the guideline allows a faster taper",
                "10% every week (about 19% per 2 weeks): " + assumption,
            ],
        )
    return TaperPace(
        initial_step=0.10,
        initial_interval_days=14.0,
        step=0.10,
        interval_days=14.0,
        reasons=["no risk factors recorded", "10% every 2 weeks: " + assumption],
    )
