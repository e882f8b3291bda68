"""Guideline warnings and notes of a co-prescription risk assessment.

The warnings the assessment adds to those of the orders themselves, each naming its guideline:

- total MME/day at or above 50: pause and reassess before any increase (CDC 2022 Recommendation 4),
  with the MME calculation's own warnings and the note that MME is not a conversion table;
- an opioid with a benzodiazepine: particular caution, taper the opioid first where practical and
  the benzodiazepine gradually (CDC 2022 Recommendation 11), and reassess the co-prescription at
  least every 3 months (Brunner et al. 2025; CDC 2022 Recommendation 7);
- 3 or more CNS-active drugs at age >= 65 (AGS Beers 2023);
- the diazepam-equivalent warnings, and a buprenorphine/naloxone product that is not rescue
  naloxone.

Antidepressants, buspirone and ketamine are noted as listed but not counted as sedatives.

References
----------
1. Dowell D et al. (2022). MMWR Recomm Rep 71(3):1-95. doi:10.15585/mmwr.rr7103a1
2. Brunner E et al. (2025). J Gen Intern Med. doi:10.1007/s11606-025-09499-2
3. AGS Beers Criteria Update Expert Panel (2023). J Am Geriatr Soc 71(7):2052-2081.
   doi:10.1111/jgs.18372
"""

from __future__ import annotations

from allostasis.clinical._diazepam_equivalents import BenzodiazepineEquivalents
from allostasis.clinical._medication_list import OTHER_CLASSES, MedicationEntry
from allostasis.clinical._mme import MME_NOT_FOR_CONVERSION, MMEResult
from allostasis.clinical._naloxone import NALOXONE_MME_THRESHOLD, NaloxoneRecommendation
from allostasis.clinical._sedative_burden import SedativeBurden

__all__ = ["guideline_warnings"]


def _mme_warnings(mme: MMEResult) -> list[str]:
    """CDC 2022 Recommendation 4 at >= 50 MME/day, then the MME calculation's own warnings."""
    total = mme.total_mme_per_day
    warnings: list[str] = []
    if total >= NALOXONE_MME_THRESHOLD:
        warnings.append(
            f"total {total:.4g} MME/day >= {NALOXONE_MME_THRESHOLD:g}: pause and carefully "
            "reassess benefits and risks before any increase (CDC 2022 Recommendation 4)"
        )
    return warnings + list(mme.warnings)


def _opioid_benzodiazepine_warnings() -> list[str]:
    """CDC 2022 Recommendations 11 and 7 and the 2025 tapering guideline for the pair."""
    return [
        "opioid with benzodiazepine: use particular caution; it may be safer and more practical "
        "to taper the opioid first, and benzodiazepines should be tapered gradually (CDC 2022 "
        "Recommendation 11)",
        "reassess the opioid-benzodiazepine co-prescription at least every 3 months (2025 "
        "benzodiazepine tapering guideline); regularly re-evaluate the benefits and risks of "
        "continued opioid therapy (CDC 2022 Recommendation 7)",
    ]


def guideline_warnings(
    *,
    entries: list[MedicationEntry],
    mme: MMEResult | None,
    diazepam_equivalents: BenzodiazepineEquivalents | None,
    burden: SedativeBurden,
    naloxone: NaloxoneRecommendation,
    age_years: float | None,
) -> tuple[list[str], list[str]]:
    """The assessment's guideline warnings and notes, in the order they are reported.

    Returns
    -------
    (warnings, notes) : tuple of list of str
        Not yet de-duplicated; the assessment appends them to the orders' own warnings.
    """
    warnings: list[str] = []
    notes: list[str] = []
    if mme is not None:
        warnings += _mme_warnings(mme)
        notes.append(MME_NOT_FOR_CONVERSION)
    by_class = burden.drugs_by_class
    if "opioid" in by_class and "benzodiazepine" in by_class:
        warnings += _opioid_benzodiazepine_warnings()
    if burden.beers_cns_active_limit_reached:
        warnings.append(
            f"{burden.n_cns_active_drugs} CNS-active drugs at age {age_years:g}: AGS Beers 2023 "
            "advises avoiding 3 or more (falls, fractures)"
        )
    if diazepam_equivalents is not None:
        warnings += diazepam_equivalents.warnings
    if naloxone.buprenorphine_naloxone_not_rescue:
        warnings.append(naloxone.notes[0])
    for e in entries:
        if e.drug_class in OTHER_CLASSES:
            notes.append(f"{e.drug} ({e.drug_class}) listed; not counted as a sedative")
    return warnings, notes
