"""The basis and citations of a co-prescription risk assessment: how every number was got and
which sources say so.

The basis lists, in order: how the medications were read (one line per entry), the MME and
diazepam-equivalent calculations, the sedative burden, each interaction flag and the naloxone
rules. The citations map every source id cited anywhere in the assessment to a one-line citation
from the knowledge base (:meth:`allostasis.knowledge.KnowledgeBase.source`).
"""

from __future__ import annotations

from allostasis.clinical._diazepam_equivalents import BenzodiazepineEquivalents
from allostasis.clinical._interaction_flags import InteractionFlag
from allostasis.clinical._medication_list import MedicationEntry
from allostasis.clinical._mme import MMEResult
from allostasis.clinical._naloxone import NaloxoneRecommendation
from allostasis.clinical._sedative_burden import SedativeBurden
from allostasis.knowledge import KnowledgeBase

__all__ = ["assessment_basis", "assessment_citations"]

_CDC = "cdc-2022-opioid-guideline"


def assessment_citations(
    *,
    mme: MMEResult | None,
    diazepam_equivalents: BenzodiazepineEquivalents | None,
    burden: SedativeBurden,
    interactions: list[InteractionFlag],
    naloxone: NaloxoneRecommendation,
    kb: KnowledgeBase,
) -> dict[str, str]:
    """Source id -> one-line citation for every source the assessment cites, sorted by id.

    CDC 2022 with any opioid; each flag's sources; each naloxone rule's (Binswanger 2007 for lost
    tolerance after a stated abstinence) and modifier's; AGS Beers 2023 with a CNS-active drug;
    every equivalence table with a benzodiazepine or Z-drug; Brunner 2025 with an opioid and a
    benzodiazepine together.
    """
    cited: set[str] = {_CDC} if mme is not None else set()
    for f in interactions:
        cited |= set(f.sources)
    for t in naloxone.triggers:
        cited.add(t.source)
        if t.rule == "cdc-2022/lost-tolerance" and t.evidence:
            cited.add("binswanger-2007-prison-release")
    for m in naloxone.modifiers:
        cited |= set(m.sources)
    if burden.n_cns_active_drugs:
        cited.add("ags-beers-2023")
    if diazepam_equivalents is not None:
        cited |= {kb.equivalence[s].source for s in kb.equivalence}
    by_class = burden.drugs_by_class
    if "opioid" in by_class and "benzodiazepine" in by_class:
        cited |= {"brunner-2025", _CDC}
    return {sid: kb.source(sid).citation() for sid in sorted(cited)}


def assessment_basis(
    *,
    entries: list[MedicationEntry],
    mme: MMEResult | None,
    diazepam_equivalents: BenzodiazepineEquivalents | None,
    burden: SedativeBurden,
    interactions: list[InteractionFlag],
    naloxone: NaloxoneRecommendation,
) -> list[str]:
    """The assessment's basis: the entries as read, then each component's own basis in order."""
    basis = ["medications read by the sig parser; daily doses are maxima (PRN at maximum)"]
    basis += [
        f"{e.text} -> {e.drug} ({e.drug_class})"
        + (f", {e.daily_dose:g} {e.daily_dose_unit}" if e.daily_dose is not None else "")
        for e in entries
    ]
    if mme is not None:
        basis += mme.basis
    if diazepam_equivalents is not None:
        basis += diazepam_equivalents.basis
    basis += burden.basis
    for f in interactions:
        basis += f.basis
    basis += naloxone.basis
    return basis
