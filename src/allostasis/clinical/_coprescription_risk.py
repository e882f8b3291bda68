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

This is decision support, not prescribing: every number and recommendation carries the rules,
factor set, parameters and citations behind it so that a clinician can check it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from allostasis.clinical._diazepam_equivalents import (
    BenzodiazepineEquivalents,
    diazepam_equivalents,
)
from allostasis.clinical._interaction_estimates import (
    GABAPENTIN_DOSE_BANDS_MG_PER_DAY,
    RiskEstimate,
    interaction_for,
)
from allostasis.clinical._medication_list import (
    IMPLAUSIBLE_DOSE_MULTIPLE,
    OTHER_CLASSES,
    SEDATIVE_CLASSES,
    MedicationEntry,
    parse_alcohol,
    read_entry,
)
from allostasis.clinical._mme import (
    DEFAULT_MME_FACTOR_SET,
    MME_NOT_FOR_CONVERSION,
    MMEResult,
    calculate_mme,
)
from allostasis.clinical._naloxone import (
    NALOXONE_MME_THRESHOLD,
    OLDER_ADULT_AGE_YEARS,
    AbstinenceReason,
    NaloxoneRecommendation,
    OverdoseRiskProfile,
    recommend_naloxone,
)
from allostasis.clinical._sig import Order
from allostasis.engine import simulate_breathing
from allostasis.errors import AllostasisError, InvalidValueError, UnknownDrugError
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

#: AGS Beers 2023 CNS-active classes (opioids, benzodiazepines, Z-drugs, antiepileptics -
#: gabapentinoids here - and antidepressants); >= 3 such drugs should be avoided at >= 65 years.
_BEERS_CNS_ACTIVE = ("opioid", "benzodiazepine", "z-drug", "gabapentinoid", "ssri", "snri")
_BEERS_CNS_ACTIVE_LIMIT = 3


class SedativeBurden(BaseModel):
    """Which sedative classes are present, how many orders each, and the CNS-active count."""

    model_config = ConfigDict(frozen=True)

    classes: dict[str, int]
    """Orders per sedative class present (opioid, benzodiazepine, z-drug, gabapentinoid)."""
    drugs_by_class: dict[str, list[str]]
    alcohol_drinks_per_day: float | None
    n_sedative_classes: int
    """Sedative classes present, alcohol counted as one when > 0 drinks/day."""
    n_cns_active_drugs: int
    """Distinct AGS Beers 2023 CNS-active drugs (opioids, benzodiazepines, Z-drugs, antiepileptics
    (gabapentinoids), antidepressants)."""
    beers_cns_active_limit_reached: bool
    """3 or more CNS-active drugs in a patient aged >= 65 (AGS Beers 2023: avoid)."""
    predicted_ventilation: float | None = None
    """Model-predicted nadir of minute ventilation (fraction of the drug-free baseline) after one
    administration of every sedative order together (:func:`allostasis.engine.simulate_breathing`);
    ``None`` when the list has no sedative the model covers (the basis says why)."""
    basis: list[str]


class InteractionFlag(BaseModel):
    """A pair of sedative classes present together: mechanism, estimates, warnings and sources."""

    model_config = ConfigDict(frozen=True)

    interaction: str
    title: str
    drugs: list[str]
    mechanism: str
    primary_estimate: RiskEstimate | None
    """The estimate that best matches this patient (e.g. the gabapentin dose band); ``None`` where no
    published estimate is stored for the pair."""
    estimates: list[RiskEstimate]
    warnings: list[str]
    sources: list[str]
    basis: list[str]


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


def _predicted_ventilation(
    pairs: list[tuple[MedicationEntry, Order]], age_years: float | None, abstinent_days: int | None
) -> tuple[float | None, str]:
    """Nadir ventilation (fraction of baseline) from the respiratory model, and how it was got.

    Opioid tolerance: ``chronic`` for a listed opioid (a prescription is taken as regular use),
    ``lost:<N>d`` after recent abstinence; a model prediction for a typical patient, not this one.
    """
    meds = [
        (e.drug, f"{o.dose_high:g} mg", o.route)
        for e, o in pairs
        if o.dose_unit == "mg"
        and e.drug_class in ("opioid", "benzodiazepine", "z-drug", "gabapentinoid")
    ]
    if not meds:
        return None, "predicted_ventilation: no sedative order the respiratory model covers"
    tolerance = f"lost:{abstinent_days}d" if abstinent_days else "chronic"
    try:
        res = simulate_breathing(meds, age_years=age_years, tolerance=tolerance, duration="8 h")
    except AllostasisError as exc:
        return None, f"predicted_ventilation: not computed ({exc})"
    doses = ", ".join(f"{d} {m} {r}" for d, m, r in meds)
    return round(float(res.nadir_ventilation), 4), (
        f"predicted_ventilation: nadir {res.nadir_ventilation:.2f} of baseline after one dose each of "
        f"{doses} taken together (opioid tolerance {tolerance}; allostasis respiratory model, MODEL "
        "PREDICTION for a typical patient)"
    )


def _gabapentin_band(mg_per_day: float) -> str:
    for name, lo, hi in GABAPENTIN_DOSE_BANDS_MG_PER_DAY:
        if lo <= mg_per_day < hi:
            return name
    raise AssertionError("dose bands cover [0, inf)")


def _flag(
    a: str,
    b: str,
    drugs: dict[str, list[str]],
    entries: list[MedicationEntry],
    alcohol: float | None,
) -> InteractionFlag:
    spec = interaction_for(a, b)
    involved: list[str] = []
    for cls in spec.pair:
        involved += ["alcohol"] if cls == "alcohol" else drugs[cls]
    primary: RiskEstimate | None = spec.estimates[0] if spec.estimates else None
    basis = [f"{spec.title}: {', '.join(involved)} listed together"]
    if spec.key == "opioid+gabapentinoid":
        gaba = [e for e in entries if e.drug == "gabapentin"]
        if gaba:
            total = sum(e.daily_dose or 0.0 for e in gaba)
            band = _gabapentin_band(total)
            match = [
                est
                for est in spec.estimates
                if est.source == "gomes-2017-gabapentin-opioid" and est.exposure.startswith(band)
            ]
            if match:
                primary = match[0]
                basis.append(
                    f"gabapentin {total:g} mg/day is in the Gomes 2017 {band}-dose band; its "
                    "estimate is shown"
                )
            else:
                basis.append(
                    f"gabapentin {total:g} mg/day is in the Gomes 2017 {band}-dose band (< 900 "
                    "mg/day), for which no band estimate is stored; the any-use estimate is shown"
                )
        else:
            primary = next(e for e in spec.estimates if e.source == "gomes-2018-pregabalin-opioid")
            basis.append("pregabalin: Gomes 2018 any-use estimate shown")
    if "alcohol" in spec.pair and alcohol is not None:
        basis.append(f"alcohol {alcohol:g} drinks/day (as reported)")
    if primary is not None:
        basis.append(f"estimate: {primary.describe()}")
    else:
        basis.append(f"no published effect estimate stored for {spec.title}; warnings only")
    sources = sorted(
        {s for _, s in spec.warnings}
        | {e.source for e in spec.estimates}
        | set(spec.mechanism_sources)
    )
    return InteractionFlag(
        interaction=spec.key,
        title=spec.title,
        drugs=involved,
        mechanism=spec.mechanism,
        primary_estimate=primary,
        estimates=list(spec.estimates),
        warnings=[f"{text} [{src}]" for text, src in spec.warnings],
        sources=sources,
        basis=basis,
    )


def _check_flags(**flags: Any) -> None:
    bad = [f"{k}={v!r}" for k, v in flags.items() if not isinstance(v, bool)]
    if bad:
        raise InvalidValueError(f"{', '.join(bad)}: expected True or False")


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
    if isinstance(medications, str) or len(medications) == 0:
        raise InvalidValueError(
            f"medications: give a list of one or more orders; got {medications!r}"
        )
    _check_flags(
        sleep_apnoea=sleep_apnoea,
        prior_overdose=prior_overdose,
        substance_use_disorder=substance_use_disorder,
        renal_impairment=renal_impairment,
        hepatic_impairment=hepatic_impairment,
        has_rescue_naloxone=has_rescue_naloxone,
    )
    if age_years is not None and (
        isinstance(age_years, bool)
        or not isinstance(age_years, (int, float))
        or not 0 <= age_years <= 120
    ):
        raise InvalidValueError(
            f"age_years: must be a number of years from 0 to 120; got {age_years!r}"
        )
    if abstinent_days is not None and (
        isinstance(abstinent_days, bool) or not isinstance(abstinent_days, int)
    ):
        raise InvalidValueError(
            f"abstinent_days: must be a whole number of days; got {abstinent_days!r}"
        )
    if abstinent_reason is not None and abstinent_reason not in (
        "prison",
        "hospital",
        "taper",
        "other",
    ):
        raise InvalidValueError(
            f"abstinent_reason: {abstinent_reason!r} is not allowed; one of prison, hospital, taper, other"
        )
    sets = load_mme_factor_sets()
    if factor_set not in sets:
        raise UnknownDrugError(
            f"factor_set: {factor_set!r} is not an MME factor set; choose one of {', '.join(sorted(sets))}"
        )
    drinks = parse_alcohol(alcohol)

    entries: list[MedicationEntry] = []
    orders: list[tuple[MedicationEntry, Order]] = []
    warnings: list[str] = []
    for text in medications:
        entry, order, w = read_entry(text, kb)
        entries.append(entry)
        warnings += w
        if order is not None:
            orders.append((entry, order))

    by_class: dict[str, list[str]] = {}
    for e in entries:
        if e.sedative:
            by_class.setdefault(e.drug_class, [])
            if e.drug not in by_class[e.drug_class]:
                by_class[e.drug_class].append(e.drug)
    counts = {
        c: sum(1 for e in entries if e.drug_class == c) for c in SEDATIVE_CLASSES if c in by_class
    }

    # MME
    opioid_orders = [o for e, o in orders if e.drug_class == "opioid"]
    mme = calculate_mme(opioid_orders, factor_set=factor_set, kb=kb) if opioid_orders else None
    total_mme = mme.total_mme_per_day if mme is not None else 0.0

    # diazepam equivalents
    bz_pairs = [(e, o) for e, o in orders if e.drug_class in ("benzodiazepine", "z-drug")]
    de = diazepam_equivalents(bz_pairs, equivalence_source, kb) if bz_pairs else None

    # the respiratory model: one administration of every sedative order taken together
    ventilation, ventilation_basis = _predicted_ventilation(
        [(e, o) for e, o in orders if e.sedative], age_years, abstinent_days
    )

    # sedative burden
    cns_active = sorted({e.drug for e in entries if e.drug_class in _BEERS_CNS_ACTIVE})
    older = age_years is not None and age_years >= OLDER_ADULT_AGE_YEARS
    n_classes = len(by_class) + (1 if drinks else 0)
    burden = SedativeBurden(
        classes=counts,
        drugs_by_class=by_class,
        alcohol_drinks_per_day=drinks,
        n_sedative_classes=n_classes,
        n_cns_active_drugs=len(cns_active),
        beers_cns_active_limit_reached=older and len(cns_active) >= _BEERS_CNS_ACTIVE_LIMIT,
        basis=[
            "sedative classes: "
            + (
                ", ".join(f"{c} x{n} ({', '.join(by_class[c])})" for c, n in counts.items())
                or "none"
            )
            + (f"; alcohol {drinks:g} drinks/day" if drinks else ""),
            f"CNS-active drugs (AGS Beers 2023 classes): {', '.join(cns_active) or 'none'} "
            f"({len(cns_active)}; avoid >= {_BEERS_CNS_ACTIVE_LIMIT} at age >= "
            f"{OLDER_ADULT_AGE_YEARS:g}) [ags-beers-2023]",
            ventilation_basis,
        ],
        predicted_ventilation=ventilation,
    )

    # interaction flags
    pairs = [
        ("opioid", "benzodiazepine"),
        ("opioid", "gabapentinoid"),
        ("opioid", "z-drug"),
        ("benzodiazepine", "z-drug"),
        ("benzodiazepine", "gabapentinoid"),
    ]
    flags = [
        _flag(a, b, by_class, entries, drinks) for a, b in pairs if a in by_class and b in by_class
    ]
    if drinks:
        flags += [
            _flag("alcohol", c, by_class, entries, drinks)
            for c in SEDATIVE_CLASSES
            if c in by_class
        ]

    # naloxone
    rescue_entries = [e for e in entries if e.rescue_naloxone]
    has_nlx = has_rescue_naloxone or bool(rescue_entries)
    profile = OverdoseRiskProfile(
        opioids=by_class.get("opioid", []),
        benzodiazepines=by_class.get("benzodiazepine", []),
        z_drugs=by_class.get("z-drug", []),
        gabapentinoids=by_class.get("gabapentinoid", []),
        total_mme_per_day=total_mme,
        mme_factor_set=factor_set,
        age_years=age_years,
        sleep_apnoea=sleep_apnoea,
        prior_overdose=prior_overdose,
        substance_use_disorder=substance_use_disorder,
        renal_impairment=renal_impairment,
        hepatic_impairment=hepatic_impairment,
        abstinent_days=abstinent_days,
        abstinent_reason=abstinent_reason,
        alcohol_drinks_per_day=drinks,
        has_rescue_naloxone=has_nlx,
        rescue_naloxone_from=(
            "has_rescue_naloxone"
            if has_rescue_naloxone
            else rescue_entries[0].text
            if rescue_entries
            else None
        ),
        buprenorphine_naloxone_products=[e.text for e in entries if e.buprenorphine_naloxone],
    )
    naloxone = recommend_naloxone(profile, kb=kb)

    # warnings and notes (CDC 2022, Brunner 2025)
    notes: list[str] = []
    if mme is not None:
        if total_mme >= NALOXONE_MME_THRESHOLD:
            warnings.append(
                f"total {total_mme:.4g} MME/day >= {NALOXONE_MME_THRESHOLD:g}: pause and carefully "
                "reassess benefits and risks before any increase (CDC 2022 Recommendation 4)"
            )
        warnings += mme.warnings
        notes.append(MME_NOT_FOR_CONVERSION)
    if "opioid" in by_class and "benzodiazepine" in by_class:
        warnings.append(
            "opioid with benzodiazepine: use particular caution; it may be safer and more practical "
            "to taper the opioid first, and benzodiazepines should be tapered gradually (CDC 2022 "
            "Recommendation 11)"
        )
        warnings.append(
            "reassess the opioid-benzodiazepine co-prescription at least every 3 months (2025 "
            "benzodiazepine tapering guideline); regularly re-evaluate the benefits and risks of "
            "continued opioid therapy (CDC 2022 Recommendation 7)"
        )
    if burden.beers_cns_active_limit_reached:
        warnings.append(
            f"{len(cns_active)} CNS-active drugs at age {age_years:g}: AGS Beers 2023 advises "
            "avoiding 3 or more (falls, fractures)"
        )
    if de is not None:
        warnings += de.warnings
    if naloxone.buprenorphine_naloxone_not_rescue:
        warnings.append(naloxone.notes[0])
    for e in entries:
        if e.drug_class in OTHER_CLASSES:
            notes.append(f"{e.drug} ({e.drug_class}) listed; not counted as a sedative")

    cited: set[str] = {"cdc-2022-opioid-guideline"} if mme is not None else set()
    for f in flags:
        cited |= set(f.sources)
    for t in naloxone.triggers:
        cited.add(t.source)
        if t.rule == "cdc-2022/lost-tolerance" and t.evidence:
            cited.add("binswanger-2007-prison-release")
    for m in naloxone.modifiers:
        cited |= set(m.sources)
    if burden.n_cns_active_drugs:
        cited.add("ags-beers-2023")
    if de is not None:
        cited |= {kb.equivalence[s].source for s in kb.equivalence}
    if "opioid" in by_class and "benzodiazepine" in by_class:
        cited |= {"brunner-2025", "cdc-2022-opioid-guideline"}
    citations = {sid: kb.source(sid).citation() for sid in sorted(cited)}

    basis = ["medications read by the sig parser; daily doses are maxima (PRN at maximum)"]
    basis += [
        f"{e.text} -> {e.drug} ({e.drug_class})"
        + (f", {e.daily_dose:g} {e.daily_dose_unit}" if e.daily_dose is not None else "")
        for e in entries
    ]
    if mme is not None:
        basis += mme.basis
    if de is not None:
        basis += de.basis
    basis += burden.basis
    for f in flags:
        basis += f.basis
    basis += naloxone.basis
    patient = {
        "age_years": age_years,
        "sleep_apnoea": sleep_apnoea,
        "prior_overdose": prior_overdose,
        "substance_use_disorder": substance_use_disorder,
        "renal_impairment": renal_impairment,
        "hepatic_impairment": hepatic_impairment,
        "abstinent_days": abstinent_days,
        "abstinent_reason": abstinent_reason,
        "alcohol": alcohol,
        "alcohol_drinks_per_day": drinks,
        "has_rescue_naloxone": has_rescue_naloxone,
    }
    return RiskAssessment(
        medications=entries,
        mme=mme,
        factor_set=factor_set,
        total_mme_per_day=total_mme,
        diazepam_equivalents=de,
        sedative_burden=burden,
        interactions=flags,
        naloxone=naloxone,
        patient=patient,
        warnings=list(dict.fromkeys(warnings)),
        notes=list(dict.fromkeys(notes)),
        disclaimer=DECISION_SUPPORT_NOTICE,
        basis=basis,
        citations=citations,
    )
