"""SSRI/SNRI dose selection: occupancy at the labelled strengths, the dose for the target SERT
occupancy, and a start-low course against starting at the target dose.

The target dose is the smallest oral strength at or above the dose reaching the target SERT
occupancy on the PET scale (:func:`dose_for_sert_occupancy`; the largest strength when none is);
the start-low course gives half of it for one week. Both courses are simulated through the raphe
loop (:func:`ssri_course`) so the early dip and the time to half benefit can be compared; the
early-activation and benefit readings are HYPOTHESES and labelled so.
"""

from __future__ import annotations

from typing import Any

from allostasis.clinical._occupancy_targets import dose_for_sert_occupancy
from allostasis.clinical._selection_result import AnxiolyticSelection
from allostasis.clinical._ssri_course import (
    HYPOTHESIS_BENEFIT,
    HYPOTHESIS_EARLY_ACTIVATION,
    ssri_course,
)
from allostasis.clinical._transporter_engagement import transporter_engagement
from allostasis.knowledge import Drug, KnowledgeBase
from allostasis.receptor import PET_EMAX

__all__ = ["select_reuptake_inhibitor"]


def _oral_strengths_mg(d: Drug) -> list[float]:
    """The drug's oral strengths in mg, ascending, without repeats."""
    return sorted(
        {s for f in d.formulations if f.route == "oral" and f.unit == "mg" for s in f.strengths}
    )


def _occupancy_by_dose(d: Drug, strengths: list[float], kb: KnowledgeBase) -> list[dict[str, Any]]:
    """Steady-state SERT (pharmacological and PET scale) and NET occupancy at each strength."""
    table = []
    for mg in strengths:
        e = transporter_engagement(d.name, f"{mg} mg", kb=kb)
        table.append(
            {
                "daily_dose_mg": mg,
                "sert": e.sert_mean,
                "sert_pet": e.sert_pet,
                "net": e.net_mean,
                "net_engaged": e.net_engaged,
            }
        )
    return table


def _start_low_suggestion(
    d: Drug, pick: float, weeks: float, kb: KnowledgeBase
) -> tuple[dict[str, Any], list[str]]:
    """Half the target dose for a week, then the target, against the target from day 1.

    Returns the suggestion (early dip and day of half benefit for both starts) and the start-low
    course's basis.
    """
    start = pick / 2
    low = ssri_course(d.name, f"{start:g} mg for 1 week, then {pick:g} mg", weeks, kb=kb)
    full = ssri_course(d.name, f"{pick:g} mg", weeks, kb=kb)
    suggestion = {
        "target_dose_mg": pick,
        "start_low": f"{start:g} mg for 1 week, then {pick:g} mg",
        "early_dip_start_low": low.early_dip,
        "early_dip_full_dose": full.early_dip,
        "benefit_half_day_start_low": low.benefit_half_day,
        "benefit_half_day_full_dose": full.benefit_half_day,
    }
    return suggestion, low.basis


def select_reuptake_inhibitor(
    d: Drug, target: float, weeks: float, kb: KnowledgeBase
) -> AnxiolyticSelection:
    """Occupancy by strength, the dose for ``target`` SERT occupancy (PET scale) and a start-low
    suggestion; labels say when the target needs more than the labelled maximum or is not
    reached below 10x the maximum dose."""
    dose_star = dose_for_sert_occupancy(d.name, target, kb=kb)
    strengths = _oral_strengths_mg(d)
    table = _occupancy_by_dose(d, strengths, kb)
    maxd = d.dosing[0].max_daily_dose.to("mg") if d.dosing else None
    suggestion: dict[str, Any] = {}
    labels = [HYPOTHESIS_EARLY_ACTIVATION, HYPOTHESIS_BENEFIT]
    basis: list[str] = [
        f"target SERT occupancy {target:g} on the PET scale (Meyer 2004 Am J Psychiatry 161:826; "
        f"PET Emax {PET_EMAX['SERT']:g})",
    ]
    if dose_star is not None and strengths:
        pick = next((s for s in strengths if s >= dose_star - 1e-6), strengths[-1])
        if maxd is not None and pick > maxd:
            labels.append(
                f"the dose for the target ({dose_star:.1f} mg) exceeds the labelled maximum {maxd:g} mg"
            )
        suggestion, course_basis = _start_low_suggestion(d, pick, weeks, kb)
        basis += course_basis
    elif dose_star is None:
        labels.append(f"the target occupancy {target:g} is not reached below 10x the maximum dose")
    return AnxiolyticSelection(
        drug=d.name,
        drug_class=str(d.drug_class),
        summary={
            "target_occupancy": target,
            "dose_for_target_mg": dose_star,
            "occupancy_by_dose": table,
            "titration": suggestion,
        },
        labels=labels,
        basis=basis,
    )
