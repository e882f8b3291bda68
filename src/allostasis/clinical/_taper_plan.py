"""Plan a benzodiazepine taper: dated, dispensable, inside the guideline's limits, with its basis.

``plan_taper(["alprazolam 1 mg TID"], duration="6 years", age_years=68, concurrent_opioid=True,
start="2027-01-04")`` returns a :class:`~allostasis.clinical.TaperPlan`: a direct taper of the drug
or, on request, a gradual switch to diazepam, clonazepam or chlordiazepoxide first
(:mod:`._taper_switch`); then proportional or linear reductions (:mod:`._taper_reduction`) at a pace
chosen for the patient's risk factors (:func:`._taper_guideline.default_pace`) or set by the user,
refused when it breaks the guideline's limits unless an override reason is given, which the plan
records and warns about. The model-predicted withdrawal course of a plan is
:func:`~allostasis.clinical.predict_taper`.

Decision support for a clinician, not a prescription: the plan says which parts are the guideline
(Brunner et al. 2025), which are the Ashton Manual, and which are this package's assumptions.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

from allostasis.clinical._benzodiazepine_use import BenzodiazepineUse, benzodiazepine_use
from allostasis.clinical._dispensable_doses import per_dose_options
from allostasis.clinical._equivalence import EquivalentDose, convert_benzodiazepine
from allostasis.clinical._taper_conformance import check_taper_conformance
from allostasis.clinical._taper_guideline import (
    ASHTON_CITATION,
    FINAL_DOSE_DIAZEPAM_EQ_MG,
    GUIDELINE_CITATION,
    INITIAL_STEP_RANGE,
    MAX_FINAL_DOSE_DIAZEPAM_EQ_MG,
    SWITCH_DAYS_RANGE,
    TaperPace,
    default_pace,
    largest_step,
)
from allostasis.clinical._taper_reduction import (
    CONSOLIDATION_HALF_LIFE_H,
    ReductionSettings,
    longest_half_life_h,
    reduction_steps,
)
from allostasis.clinical._taper_schedule import TaperOverride, TaperPlan, TaperStep
from allostasis.clinical._taper_switch import switch_steps
from allostasis.errors import InvalidValueError
from allostasis.knowledge import load_knowledge_base
from allostasis.units import magnitude

__all__ = ["SWITCH_TARGETS", "plan_taper"]

#: Long-acting drugs the 2025 guideline names for a switch.
SWITCH_TARGETS = ("diazepam", "clonazepam", "chlordiazepoxide")
_BEERS = (
    "American Geriatrics Society Beers Criteria Update Expert Panel (2023). J Am Geriatr Soc "
    "71:2052-2081. doi:10.1111/jgs.18372"
)
_CDC = "Dowell D et al. (2022). CDC Clinical Practice Guideline for Prescribing Opioids for Pain. MMWR Recomm Rep 71(3):1-95"


def _date(value: dt.date | str, field: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InvalidValueError(f"{field}: must be a date YYYY-MM-DD; got {value!r}") from None


def _days(value: Any, field: str, low: float, high: float) -> float:
    days = magnitude(value, field=field, unit="day", strictly_positive=True)
    if not low <= days <= high:
        raise InvalidValueError(f"{field}: must be {low:g}-{high:g} days; got {value}")
    return days


def _fraction(value: float, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < 1:
        raise InvalidValueError(
            f"{field}: a fraction of the current dose in (0, 1), e.g. 0.1; got {value!r}"
        )
    return float(value)


def _eq_per_mg(drug: str, to: str, source: str) -> tuple[float, EquivalentDose | None]:
    if drug == to:
        return 1.0, None
    r = convert_benzodiazepine(drug, "1 mg", to, source=source)
    return r.dose_mg, r


def plan_taper(
    medications: Sequence[str | BenzodiazepineUse],
    *,
    duration: Any,
    start: dt.date | str,
    age_years: float | None = None,
    hepatic_impairment: bool = False,
    seizure_history: bool = False,
    previous_difficult_withdrawal: bool = False,
    concurrent_opioid: bool = False,
    switch_to: str | None = None,
    reduction: Literal["proportional", "linear"] = "proportional",
    step: float | None = None,
    interval: Any = None,
    initial_step: float | None = None,
    initial_interval: Any = None,
    switch_days: Any = "14 days",
    end_dose: Any = None,
    final_dose: Any = None,
    equivalence_source: str = "ashton-2002",
    override_reason: str | None = None,
) -> TaperPlan:
    """A dated, dispensable taper for one or more benzodiazepines / Z-drugs.

    Parameters
    ----------
    medications : sequence of str or BenzodiazepineUse
        What the patient takes, e.g. ``["alprazolam 1 mg TID"]`` (see :func:`benzodiazepine_use`).
        Several drugs need ``switch_to`` (they are moved to one long-acting drug, then tapered).
    duration : quantity
        How long the patient has taken it, e.g. ``"6 years"``.
    start : date or "YYYY-MM-DD"
        First day of the plan (first switch or reduction step).
    age_years, hepatic_impairment, seizure_history, previous_difficult_withdrawal, concurrent_opioid
        Risk factors; any of them slows the default pace and adds warnings.
    switch_to : {"diazepam", "clonazepam", "chlordiazepoxide"}, optional
        Switch gradually (``switch_days``, 7-14) before reducing; default a direct taper.
    reduction : {"proportional", "linear"}
        Proportional (hyperbolic) steps of the current dose, or equal amounts of the starting dose.
    step, interval, initial_step, initial_interval
        Override the default pace: fractions (0.1 = 10%) and durations (``"2 weeks"``).
    end_dose : quantity, optional
        A maintenance daily dose to stop at (the guideline accepts a lower dose as an end point).
    final_dose : quantity, optional
        Daily dose from which the drug is stopped; default 1 mg diazepam equivalent (Ashton 2002) or
        the smallest dose still worth a step, whichever is larger: twice the smallest dispensable
        dose for long-acting drugs (half-life with active metabolites >= 24 h, which may drop dose
        times), else the smallest dispensable dose at every dose time.
    equivalence_source : str
        Equivalence table for the switch and for diazepam equivalents (default ``ashton-2002``).
    override_reason : str, optional
        Allow steps beyond the guideline's limits; the reason is recorded in the plan and warned.

    Examples
    --------
    >>> plan = plan_taper(["alprazolam 1 mg TID"], duration="6 years", age_years=68,
    ...                   concurrent_opioid=True, start="2027-01-04")
    >>> plan.steps[0].start.isoformat(), plan.steps[0].daily_mg, f"{plan.steps[0].reduction:.1%}"
    ('2027-01-04', {'alprazolam': 2.75}, '8.3%')
    >>> plan.completed, plan.steps[-1].phase
    (True, 'stop')
    >>> plan_taper(["alprazolam 1 mg TID"], duration="1 year", start="2027-01-04", step=0.4)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: step: 40% every 14 days is above the guideline ceiling of 25% per 2 weeks (largest allowed step at this interval: 25%; Brunner et al. 2025); give override_reason to go faster (it is recorded and warned)
    """
    kb = load_knowledge_base()
    if not medications:
        raise InvalidValueError("medications: give at least one benzodiazepine or Z-drug")
    current = [
        m if isinstance(m, BenzodiazepineUse) else benzodiazepine_use(m) for m in medications
    ]
    drugs = sorted({u.drug for u in current})
    start_date = _date(start, "start")
    duration_days = _days(duration, "duration", 1.0, 60 * 365.25)
    if age_years is not None and (isinstance(age_years, bool) or not 18 <= age_years <= 120):
        raise InvalidValueError(
            f"age_years: the taper planner covers adults, 18-120; got {age_years!r}"
        )
    if reduction not in ("proportional", "linear"):
        raise InvalidValueError(f"reduction: 'proportional' or 'linear'; got {reduction!r}")
    if switch_to is not None:
        switch_to = kb[switch_to].name
        if switch_to not in SWITCH_TARGETS:
            raise InvalidValueError(
                f"switch_to: {switch_to} is not a long-acting switch option; choose one of {', '.join(SWITCH_TARGETS)}"
            )
        if drugs == [switch_to]:
            switch_to = None
    if len(drugs) > 1 and switch_to is None:
        raise InvalidValueError(
            f"medications: {', '.join(drugs)} together; choose switch_to (one of "
            f"{', '.join(SWITCH_TARGETS)}) to move them to one drug first, or plan one drug at a time"
        )
    tapered = switch_to or drugs[0]
    warnings: list[str] = []
    basis: list[str] = [f"guideline: {GUIDELINE_CITATION}"]
    labels = [
        "decision support for a clinician, not a prescription: review every step with the patient",
    ]

    # diazepam equivalents of everything, in the chosen table
    de_per_mg: dict[str, float] = {}
    for d in {*drugs, tapered}:
        de_per_mg[d], eq = _eq_per_mg(d, "diazepam", equivalence_source)
        if eq is not None:
            basis.extend(eq.basis[:1])
    switch_eq: EquivalentDose | None = None
    to_per_mg: dict[str, float] = {tapered: 1.0}
    if switch_to is not None:
        for d in drugs:
            to_per_mg[d], eq = _eq_per_mg(d, switch_to, equivalence_source)
            if eq is not None:
                switch_eq = eq if switch_eq is None else switch_eq
                warnings.extend(eq.warnings)
                basis.extend(eq.basis)

    # pace: default for the patient, or the user's, checked against the guideline's limits
    pace = default_pace(
        duration_days=duration_days,
        age_years=age_years,
        hepatic_impairment=hepatic_impairment,
        seizure_history=seizure_history,
        previous_difficult_withdrawal=previous_difficult_withdrawal,
        concurrent_opioid=concurrent_opioid,
    )
    user_set = any(v is not None for v in (step, interval, initial_step, initial_interval))
    s = _fraction(step, "step") if step is not None else pace.step
    i = _days(interval, "interval", 7, 84) if interval is not None else pace.interval_days
    s0 = (
        _fraction(initial_step, "initial_step")
        if initial_step is not None
        else min(pace.initial_step, s)
    )
    i0 = (
        _days(initial_interval, "initial_interval", 7, 84)
        if initial_interval is not None
        else (pace.initial_interval_days if interval is None else i)
    )
    overridden: list[str] = []
    for frac, days, field in ((s, i, "step"), (s0, i0, "initial_step")):
        if reduction == "proportional" and frac > largest_step(min(days, i, i0)) + 1e-12:
            overridden.append(
                f"{field}: {frac:.0%} every {days:g} days is above the guideline ceiling of 25% per "
                f"2 weeks (largest allowed step at this interval: {largest_step(min(days, i, i0)):.0%}; "
                "Brunner et al. 2025)"
            )
    if not INITIAL_STEP_RANGE[0] <= s0 <= INITIAL_STEP_RANGE[1] + 1e-12:
        overridden.append(
            f"initial_step: {s0:.0%} is outside the guideline's 5-10% for the first reductions "
            "(Brunner et al. 2025)"
        )
    override = None
    if overridden:
        if not override_reason or not override_reason.strip():
            raise InvalidValueError(
                overridden[0] + "; give override_reason to go faster (it is recorded and warned)"
            )
        override = TaperOverride(reason=override_reason.strip(), rules=overridden)
        warnings.append(
            "OVERRIDE of the guideline limits, recorded: "
            + "; ".join(overridden)
            + f" — reason given: {override_reason.strip()}"
        )
    if user_set:
        pace = TaperPace(
            initial_step=s0,
            initial_interval_days=i0,
            step=s,
            interval_days=i,
            reasons=[
                *pace.reasons[:1],
                f"pace set by the user: first steps {s0:.0%} every {i0:g} days, then {s:.0%} every {i:g} days",
            ],
        )
    basis.extend(f"pace: {r}" for r in pace.reasons)

    # the switch, then the reductions
    steps: list[TaperStep] = []
    times = sorted({t for u in current for t in u.clock_times})
    first_reduction = start_date
    if switch_to is not None:
        sw_days = _days(switch_days, "switch_days", *SWITCH_DAYS_RANGE)
        steps = switch_steps(
            current, switch_to, to_per_mg, de_per_mg, start=start_date, switch_days=sw_days
        )
        de_now = sum(u.daily_mg * de_per_mg[u.drug] for u in current)
        for st in steps:
            if abs(st.diazepam_equivalent_mg / de_now - 1) > 0.05:
                raise InvalidValueError(
                    f"switch_to: {switch_to} cannot be dispensed close enough to the equivalent dose "
                    f"(step {st.index}: {st.diazepam_equivalent_mg:.3g} vs {de_now:.3g} mg diazepam "
                    "equivalent, more than 5% apart); choose another switch drug or a direct taper"
                )
        first_reduction = start_date + dt.timedelta(days=sw_days + i0)
        start_mg = steps[-1].daily_mg[switch_to]
        basis.append(
            f"switch over {sw_days:g} days, one dose time at a time, night dose first (Brunner et al. "
            f"2025; {ASHTON_CITATION}); first reduction {i0:g} days after the switch is complete"
        )
        label_max = max(p.max_daily_dose.to("mg") for p in kb[switch_to].dosing)
        if start_mg > label_max:
            warnings.append(
                f"switched dose {start_mg:g} mg/day {switch_to} is above its label maximum "
                f"({label_max:g} mg/day); consider switching part of the dose first, or a lower table"
            )
    else:
        start_mg = current[0].daily_mg

    smallest = per_dose_options(tapered)[0].mg
    if final_dose is not None:
        final_mg = magnitude(final_dose, field="final_dose", unit="mg", strictly_positive=True)
        if final_mg < smallest - 1e-9:
            raise InvalidValueError(
                f"final_dose: {final_mg:g} mg/day is below the smallest dispensable dose of "
                f"{tapered} ({smallest:g} mg)"
            )
    else:
        # the smallest daily dose still worth a step: half-able once a day for long-acting drugs,
        # the smallest dose at every dose time for drugs that cannot drop a dose time
        consolidates = longest_half_life_h(tapered) >= CONSOLIDATION_HALF_LIFE_H
        floor = 2 * smallest if consolidates else smallest * len(times)
        final_mg = max(FINAL_DOSE_DIAZEPAM_EQ_MG / de_per_mg[tapered], floor)
        if final_mg * de_per_mg[tapered] > MAX_FINAL_DOSE_DIAZEPAM_EQ_MG + 1e-9:
            # never stop from a large dose because the tablets are coarse: the plan stalls and says so
            final_mg = FINAL_DOSE_DIAZEPAM_EQ_MG / de_per_mg[tapered]
        elif final_mg * de_per_mg[tapered] > FINAL_DOSE_DIAZEPAM_EQ_MG + 1e-9:
            warnings.append(
                f"the last step stops {tapered} from {final_mg:g} mg/day ({final_mg * de_per_mg[tapered]:.3g} "
                f"mg diazepam equivalent in {equivalence_source}), more than the 1 mg where the Ashton "
                "Manual's schedules end: the formulations cannot go lower within the guideline's limits; "
                "a switch to diazepam (1 mg/mL solution) allows smaller final steps"
            )
    end_mg = 0.0
    if end_dose is not None:
        end_mg = magnitude(end_dose, field="end_dose", unit="mg", minimum=0.0)
        if end_mg >= start_mg:
            raise InvalidValueError(
                f"end_dose: {end_mg:g} mg/day must be below the starting daily dose ({start_mg:g} mg)"
            )
    basis.append(
        f"final step: stop from <= {final_mg:g} mg/day {tapered} (1 mg diazepam equivalent, where the "
        f"Ashton Manual's schedules end, or the smallest dose still worth a step); the stop is the one step "
        "exempt from the 25%-per-2-weeks ceiling"
    )
    red, done, red_warn = reduction_steps(
        tapered,
        times,
        start_mg,
        ReductionSettings(
            kind=reduction,
            initial_step=s0,
            initial_interval_days=i0,
            step=s,
            interval_days=i,
            final_dose_mg=final_mg,
            end_dose_mg=end_mg,
            override=override is not None,
            diazepam_eq_per_mg=de_per_mg[tapered],
        ),
        first_date=first_reduction,
        first_index=len(steps) + 1,
    )
    steps.extend(red)
    warnings.extend(red_warn)

    # what a careful pharmacist would add
    if concurrent_opioid:
        warnings.append(
            "concurrent opioid: consider tapering the opioid first, taper the benzodiazepine gradually "
            f"({_CDC}); offer naloxone and reassess the co-prescription at least every 3 months "
            "(Brunner et al. 2025)"
        )
    if seizure_history:
        warnings.append(
            "seizure history: withdrawal can lower the seizure threshold; taper slowly with specialist input"
        )
    if age_years is not None and age_years >= 65 and switch_to in ("diazepam", "chlordiazepoxide"):
        warnings.append(
            f"age {age_years:g}: long-acting benzodiazepines accumulate in older adults (falls, "
            f"sedation; {_BEERS}); weigh a direct taper, or monitor closely after the switch"
        )
    if hepatic_impairment and switch_to in ("diazepam", "chlordiazepoxide"):
        warnings.append(
            f"hepatic impairment: {switch_to} and its active metabolites accumulate; a direct taper of "
            "a drug cleared by glucuronidation (lorazepam, oxazepam, temazepam) may be safer"
        )
    if any(d.liquid for st in steps for d in st.doses):
        first_liquid = next(st for st in steps if any(d.liquid for d in st.doses))
        warnings.append(
            f"from {first_liquid.start.isoformat()} the doses need the oral liquid (measured with an "
            "oral syringe); check it is available"
        )
    warnings.append(
        "withdrawal can take up to about a week to appear after a reduction; if significant symptoms "
        "appear, slow or pause the taper (Brunner et al. 2025)"
    )
    if not done:
        labels.append("INCOMPLETE: the plan stops short of the end; see warnings")
    end_date = steps[-1].start if steps else start_date
    plan = TaperPlan(
        current=current,
        current_diazepam_equivalent_mg=sum(u.daily_mg * de_per_mg[u.drug] for u in current),
        patient={
            "duration_days": duration_days,
            "age_years": age_years,
            "hepatic_impairment": hepatic_impairment,
            "seizure_history": seizure_history,
            "previous_difficult_withdrawal": previous_difficult_withdrawal,
            "concurrent_opioid": concurrent_opioid,
            "start": start_date.isoformat(),
            "equivalence_source": equivalence_source,
        },
        tapered_drug=tapered,
        switch=switch_eq,
        reduction_kind=reduction,
        pace=pace,
        final_dose_mg=end_mg if end_mg > 0 else final_mg,
        end_dose_mg=end_mg,
        steps=steps,
        completed=done,
        end_date=end_date,
        override=override,
        warnings=warnings,
        basis=basis,
        labels=labels,
    )
    problems = check_taper_conformance(plan)
    if problems and override is None:  # the planner's own rules failed: never hand this out quietly
        raise AssertionError("taper planner produced a non-conformant plan: " + "; ".join(problems))
    check = (
        "conformance check: "
        + ("; ".join(problems) if problems else "every step within the guideline's limits")
        + (" (under the recorded override)" if override is not None else "")
    )
    return plan.model_copy(update={"basis": [*plan.basis, check]})
