"""Co-prescription risk assessment: MME, diazepam equivalents, sedative burden, interaction flags
and a naloxone recommendation for one medication list, each with its basis.

.. math::

    \\mathrm{MME/day} = \\sum_{i \\in \\text{opioids}} D_i f_s(\\mathrm{drug}_i, \\mathrm{route}_i),
    \\qquad
    \\mathrm{DE/day} = \\sum_{j \\in \\text{BZD, Z}} D_j \\frac{E_{\\mathrm{diazepam}}}{E_j}

with :math:`D` each order's maximum daily dose (PRN orders at their maximum), :math:`f_s` the MME
factor of the one named set :math:`s` (:func:`calculate_mme`) and :math:`E_x` the dose of drug x
equivalent to 10 mg diazepam in one named equivalence table (:func:`convert_benzodiazepine`).

The medication list is free text, one order per entry, read by the sig parser (:func:`parse_sig`)
for opioids, benzodiazepines, Z-drugs, gabapentinoids and (listed, not counted as sedatives)
SSRIs, SNRIs, buspirone and ketamine/esketamine. A rescue naloxone entry ("naloxone 4 mg nasal
spray") counts as rescue naloxone; a buprenorphine/naloxone product does not. A duration written
as "for 6 years" is recorded and removed before parsing. A dose above ten times the knowledge
base's label maximum for a non-opioid is refused as implausible (a unit slip such as g for mg);
one above the label maximum is warned about. Opioids have no such ceiling (tolerance).

The assessment is assembled from one module per component, in the order it runs:

- :mod:`._patient_factors` checks the patient factors and echoes them back;
- :mod:`._medication_list` reads each order (sig parser, rescue naloxone, implausible doses);
- :mod:`._mme` and :mod:`._diazepam_equivalents` total the opioids and the benzodiazepines;
- :mod:`._sedative_burden` counts the sedative classes and CNS-active drugs and runs the
  respiratory model;
- :mod:`._interaction_flags` flags each pair of sedative classes with its published estimates;
- :mod:`._naloxone` applies the naloxone rules to the overdose risk profile built here;
- :mod:`._guideline_warnings` adds the CDC 2022, Brunner 2025 and AGS Beers 2023 warnings;
- :mod:`._assessment_basis` gathers the basis and the citations.

This is decision support, not prescribing: every number and recommendation carries the rules,
factor set, parameters and citations behind it so that a clinician can check it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from allostasis.clinical._assessment_basis import assessment_basis, assessment_citations
from allostasis.clinical._diazepam_equivalents import (
    BenzodiazepineEquivalents,
    diazepam_equivalents,
)
from allostasis.clinical._guideline_warnings import guideline_warnings
from allostasis.clinical._interaction_flags import InteractionFlag, flag_interactions
from allostasis.clinical._medication_list import (
    IMPLAUSIBLE_DOSE_MULTIPLE,
    MedicationEntry,
    parse_alcohol,
    read_entry,
)
from allostasis.clinical._mme import DEFAULT_MME_FACTOR_SET, MMEResult, calculate_mme
from allostasis.clinical._naloxone import (
    AbstinenceReason,
    NaloxoneRecommendation,
    OverdoseRiskProfile,
    recommend_naloxone,
)
from allostasis.clinical._patient_factors import (
    PatientFactors,
    check_medication_list,
    check_patient_factors,
)
from allostasis.clinical._sedative_burden import SedativeBurden, assess_sedative_burden
from allostasis.clinical._sig import Order
from allostasis.errors import UnknownDrugError
from allostasis.knowledge import KnowledgeBase, load_knowledge_base
from allostasis.knowledge._mme_factors import load_mme_factor_sets

__all__ = [
    "DECISION_SUPPORT_NOTICE",
    "IMPLAUSIBLE_DOSE_MULTIPLE",
    "BenzodiazepineEquivalents",
    "InteractionFlag",
    "MedicationEntry",
    "RiskAssessment",
    "SedativeBurden",
    "assess_risk",
]

#: Shown with every assessment.
DECISION_SUPPORT_NOTICE = (
    "Decision support, not prescribing: this assessment applies published rules and estimates to "
    "the orders as written; it does not replace clinical judgement, and every number carries its "
    "basis so it can be checked."
)


class RiskAssessment(BaseModel):
    """The whole assessment; ``to_dict()`` gives JSON-ready data with every basis and citation."""

    model_config = ConfigDict(frozen=True)

    medications: list[MedicationEntry]
    mme: MMEResult | None
    """Per-order MME detail by the named set; ``None`` when no opioid is listed."""
    factor_set: str
    total_mme_per_day: float
    diazepam_equivalents: BenzodiazepineEquivalents | None
    sedative_burden: SedativeBurden
    interactions: list[InteractionFlag]
    naloxone: NaloxoneRecommendation
    patient: dict[str, Any]
    warnings: list[str]
    notes: list[str]
    disclaimer: str
    basis: list[str]
    citations: dict[str, str]
    """Source id -> one-line citation for every source cited anywhere in the assessment."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (``model_dump(mode="json")``)."""
        return self.model_dump(mode="json")


def _check_factor_set(factor_set: str) -> None:
    """The MME factor set must be one of the named sets (never mixed)."""
    sets = load_mme_factor_sets()
    if factor_set not in sets:
        raise UnknownDrugError(
            f"factor_set: {factor_set!r} is not an MME factor set; choose one of {', '.join(sorted(sets))}"
        )


def _read_medications(
    medications: Sequence[str], kb: KnowledgeBase
) -> tuple[list[MedicationEntry], list[tuple[MedicationEntry, Order]], list[str]]:
    """Read every entry: all entries, the (entry, order) pairs that are orders, and the warnings."""
    entries: list[MedicationEntry] = []
    orders: list[tuple[MedicationEntry, Order]] = []
    warnings: list[str] = []
    for text in medications:
        entry, order, w = read_entry(text, kb)
        entries.append(entry)
        warnings += w
        if order is not None:
            orders.append((entry, order))
    return entries, orders, warnings


def _overdose_risk_profile(
    entries: list[MedicationEntry],
    burden: SedativeBurden,
    total_mme: float,
    factor_set: str,
    patient: PatientFactors,
    drinks: float | None,
) -> OverdoseRiskProfile:
    """The naloxone rules' view of the patient: sedatives by class, MME, factors, rescue naloxone.

    Rescue naloxone is on hand when the caller says so (``has_rescue_naloxone``) or a rescue
    naloxone entry is listed; buprenorphine/naloxone products are passed on as such, never as
    rescue naloxone.
    """
    by_class = burden.drugs_by_class
    rescue_entries = [e for e in entries if e.rescue_naloxone]
    return OverdoseRiskProfile(
        opioids=by_class.get("opioid", []),
        benzodiazepines=by_class.get("benzodiazepine", []),
        z_drugs=by_class.get("z-drug", []),
        gabapentinoids=by_class.get("gabapentinoid", []),
        total_mme_per_day=total_mme,
        mme_factor_set=factor_set,
        age_years=patient.age_years,
        sleep_apnoea=patient.sleep_apnoea,
        prior_overdose=patient.prior_overdose,
        substance_use_disorder=patient.substance_use_disorder,
        renal_impairment=patient.renal_impairment,
        hepatic_impairment=patient.hepatic_impairment,
        abstinent_days=patient.abstinent_days,
        abstinent_reason=patient.abstinent_reason,
        alcohol_drinks_per_day=drinks,
        has_rescue_naloxone=patient.has_rescue_naloxone or bool(rescue_entries),
        rescue_naloxone_from=(
            "has_rescue_naloxone"
            if patient.has_rescue_naloxone
            else rescue_entries[0].text
            if rescue_entries
            else None
        ),
        buprenorphine_naloxone_products=[e.text for e in entries if e.buprenorphine_naloxone],
    )


def assess_risk(
    medications: Sequence[str],
    *,
    age_years: float | None = None,
    sleep_apnoea: bool = False,
    prior_overdose: bool = False,
    substance_use_disorder: bool = False,
    renal_impairment: bool = False,
    hepatic_impairment: bool = False,
    abstinent_days: int | None = None,
    abstinent_reason: AbstinenceReason | None = None,
    alcohol: str | None = None,
    has_rescue_naloxone: bool = False,
    factor_set: str = DEFAULT_MME_FACTOR_SET,
    equivalence_source: str = "ashton-2002",
    kb: KnowledgeBase | None = None,
) -> RiskAssessment:
    """Assess overdose risk from a medication list and patient factors; recommend naloxone.

    .. math:: \\mathrm{MME/day} = \\sum_i D_i f_s(\\mathrm{drug}_i, \\mathrm{route}_i)

    Parameters
    ----------
    medications : sequence of str
        Orders as written, e.g. ``["oxycodone 10 mg BID", "alprazolam 1 mg TID for 6 years"]``;
        rescue naloxone may be listed ("naloxone 4 mg nasal spray").
    age_years : float, optional
        Age in years (0-120); >= 65 is a risk modifier.
    sleep_apnoea, prior_overdose, substance_use_disorder, renal_impairment, hepatic_impairment : bool
        Patient factors (True/False only).
    abstinent_days : int, optional
        Days of a recent period without opioids (>= 1), with ``abstinent_reason``: ``"prison"``
        (release), ``"hospital"`` (stay), ``"taper"`` (completed opioid taper) or ``"other"``.
    alcohol : str, optional
        Standard drinks, e.g. ``"2 drinks/day"`` or ``"10 drinks/week"``.
    has_rescue_naloxone : bool
        The patient already has rescue naloxone (a buprenorphine/naloxone product does not count).
    factor_set : str
        MME factor set (``cdc-2022`` default; ``cdc-2016``; ``cdc-2018-analytic``), never mixed.
    equivalence_source : str
        Benzodiazepine equivalence table for the diazepam total (``ashton-2002`` default,
        ``va-dod-2021``, ``nhs-scotland-2024``); every table's figure is shown as well.

    Returns
    -------
    RiskAssessment
        Medications as read, MME (per order), diazepam equivalents, sedative burden, interaction
        flags with mechanisms and published estimates, the naloxone recommendation with every rule
        that fired, warnings, notes, basis and citations.

    Raises
    ------
    UnknownDrugError
        A drug not in the knowledge base (or of a class not read here), an unknown factor set or
        equivalence table.
    InvalidValueError
        An unreadable or ambiguous order, an implausible dose, bad patient factors.

    References
    ----------
    1. Dowell D et al. (2022). MMWR Recomm Rep 71(3):1-95. doi:10.15585/mmwr.rr7103a1
    2. Brunner E et al. (2025). J Gen Intern Med. doi:10.1007/s11606-025-09499-2
    3. Park TW et al. (2015). BMJ 350:h2698. doi:10.1136/bmj.h2698

    Examples
    --------
    >>> r = assess_risk(["oxycodone 10 mg BID", "alprazolam 1 mg TID for 6 years"], age_years=68)
    >>> r.total_mme_per_day, r.diazepam_equivalents.total_by_source
    (30.0, {'ashton-2002': 60.0, 'va-dod-2021': 30.0, 'nhs-scotland-2024': 60.0, 'who-2009': 30.0})
    >>> [f.interaction for f in r.interactions], r.interactions[0].primary_estimate.value
    (['opioid+benzodiazepine'], 3.86)
    >>> r.naloxone.rules
    ['cdc-2022/concurrent-benzodiazepine', 'brunner-2025/benzodiazepine-with-opioid']
    >>> assess_risk(["lisinopril 10 mg daily"])
    Traceback (most recent call last):
    ...
    allostasis.errors.UnknownDrugError: sig 'lisinopril 10 mg daily': drug: 'lisinopril' is not in the knowledge base...
    """
    kb = kb or load_knowledge_base()
    patient = PatientFactors(
        age_years=age_years,
        sleep_apnoea=sleep_apnoea,
        prior_overdose=prior_overdose,
        substance_use_disorder=substance_use_disorder,
        renal_impairment=renal_impairment,
        hepatic_impairment=hepatic_impairment,
        abstinent_days=abstinent_days,
        abstinent_reason=abstinent_reason,
        alcohol=alcohol,
        has_rescue_naloxone=has_rescue_naloxone,
    )
    check_medication_list(medications)
    check_patient_factors(patient)
    _check_factor_set(factor_set)
    drinks = parse_alcohol(alcohol)
    entries, orders, warnings = _read_medications(medications, kb)

    opioid_orders = [o for e, o in orders if e.drug_class == "opioid"]
    mme = calculate_mme(opioid_orders, factor_set=factor_set, kb=kb) if opioid_orders else None
    total_mme = mme.total_mme_per_day if mme is not None else 0.0
    bz_pairs = [(e, o) for e, o in orders if e.drug_class in ("benzodiazepine", "z-drug")]
    de = diazepam_equivalents(bz_pairs, equivalence_source, kb) if bz_pairs else None
    burden = assess_sedative_burden(
        entries,
        orders,
        alcohol_drinks_per_day=drinks,
        age_years=age_years,
        abstinent_days=abstinent_days,
    )
    flags = flag_interactions(burden.drugs_by_class, entries, drinks)
    naloxone = recommend_naloxone(
        _overdose_risk_profile(entries, burden, total_mme, factor_set, patient, drinks), kb=kb
    )
    more_warnings, notes = guideline_warnings(
        entries=entries,
        mme=mme,
        diazepam_equivalents=de,
        burden=burden,
        naloxone=naloxone,
        age_years=age_years,
    )
    return RiskAssessment(
        medications=entries,
        mme=mme,
        factor_set=factor_set,
        total_mme_per_day=total_mme,
        diazepam_equivalents=de,
        sedative_burden=burden,
        interactions=flags,
        naloxone=naloxone,
        patient=patient.as_dict(drinks),
        warnings=list(dict.fromkeys(warnings + more_warnings)),
        notes=list(dict.fromkeys(notes)),
        disclaimer=DECISION_SUPPORT_NOTICE,
        basis=assessment_basis(
            entries=entries,
            mme=mme,
            diazepam_equivalents=de,
            burden=burden,
            interactions=flags,
            naloxone=naloxone,
        ),
        citations=assessment_citations(
            mme=mme,
            diazepam_equivalents=de,
            burden=burden,
            interactions=flags,
            naloxone=naloxone,
            kb=kb,
        ),
    )
