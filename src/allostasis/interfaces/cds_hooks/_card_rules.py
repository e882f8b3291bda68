"""The card rules: from the hook's medications to CDS Hooks cards, through the library's risk
assessment (:func:`allostasis.clinical.assess_risk`, which computes MME with
:func:`allostasis.clinical.calculate_mme`, the interaction flags and the naloxone rules).

Rules (each card carries its basis and sources in ``detail``):

- **Opioid + benzodiazepine** (``warning``; order hooks: when a new order would make the
  combination; ``patient-view``: when the active list holds it): the drugs, MME/day by the CDC 2022
  factors, the mechanism, the published estimate (Park 2015: adjusted HR 3.86 for overdose death),
  the regulatory warnings, the naloxone rules that fired, and - on the order hooks, when the patient
  has no rescue naloxone - a suggestion to create a naloxone 4 mg nasal spray MedicationRequest.
- **Opioid dose >= 50 MME/day** (``warning``): CDC 2022 Recommendation 4 (order hooks: only when a
  new order includes an opioid).
- **No rescue naloxone** (``warning``): naloxone is recommended (any rule fired) and none is on
  record; buprenorphine/naloxone does not count. Carries the naloxone suggestion unless the
  co-prescription card already does.
- **Long-term benzodiazepine use** (``info``): an active benzodiazepine with a start on record at
  least 90 days ago (the 2025 guideline's "short use" is under about 3 months), with an absolute link
  to the app's taper planner pre-filled by query parameters. Order hooks: only when a new order is a
  sedative (opioid, benzodiazepine, Z-drug, gabapentinoid).
- **Not assessed** (``info``): a medication that cannot be mapped to the knowledge base, whose class
  the assessment does not read, or whose dose cannot be read - said plainly, never guessed.

Decision support, not prescribing: every card says so.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from typing import Literal
from urllib.parse import urlencode

from allostasis.clinical import (
    BUPRENORPHINE_NALOXONE_NOT_RESCUE,
    DECISION_SUPPORT_NOTICE,
    NALOXONE_MME_THRESHOLD,
    SHORT_USE_DAYS,
    RiskAssessment,
    assess_risk,
    interaction_for,
    parse_sig,
)
from allostasis.errors import AllostasisError
from allostasis.interfaces.cds_hooks._fhir_reading import HookData, MedicationRecord
from allostasis.interfaces.cds_hooks._hook_objects import (
    SUMMARY_MAX_CHARS,
    Action,
    Card,
    Coding,
    Link,
    Source,
    Suggestion,
)
from allostasis.interfaces.cds_hooks._naloxone_order import naloxone_request, naloxone_spray_mg
from allostasis.knowledge import KnowledgeBase

__all__ = [
    "ASSESSED_CLASSES",
    "LONG_TERM_BENZODIAZEPINE_DAYS",
    "TOPIC_SYSTEM",
    "hook_cards",
]

#: Drug classes the risk assessment reads (sedatives, and antidepressants/buspirone/ketamine listed).
ASSESSED_CLASSES = (
    "opioid",
    "benzodiazepine",
    "z-drug",
    "gabapentinoid",
    "ssri",
    "snri",
    "azapirone",
    "nmda-antagonist",
)
_SEDATIVES = ("opioid", "benzodiazepine", "z-drug", "gabapentinoid")
#: Use at least this long counts as long-term: the 2025 joint guideline (Brunner et al.) lets
#: "short or low-dose use (under about 3 months)" taper faster; allostasis reads 90 days as the line.
LONG_TERM_BENZODIAZEPINE_DAYS = SHORT_USE_DAYS
#: Code system of the card topics (``source.topic``); local to this service.
TOPIC_SYSTEM = "urn:allostasis:cds-topic"

Hook = Literal["order-select", "order-sign", "patient-view"]


def _card(
    summary: str,
    indicator: Literal["info", "warning", "critical"],
    detail: str,
    source: Source,
    suggestions: list[Suggestion] | None = None,
    links: list[Link] | None = None,
) -> Card:
    if len(summary) > SUMMARY_MAX_CHARS:
        summary = summary[: SUMMARY_MAX_CHARS - 3].rstrip() + "..."
    return Card(
        uuid=str(uuid.uuid4()),
        summary=summary,
        indicator=indicator,
        detail=detail + f"\n\n*{DECISION_SUPPORT_NOTICE}*",
        source=source,
        suggestions=suggestions,
        selection_behavior="at-most-one" if suggestions else None,
        links=links,
    )


def _source(label: str, topic: str, display: str, kb: KnowledgeBase, source_id: str) -> Source:
    doi = kb.source(source_id).doi
    return Source(
        label=label,
        url=f"https://doi.org/{doi}" if doi else None,
        topic=Coding(system=TOPIC_SYSTEM, code=topic, display=display),
    )


def _role_words(m: MedicationRecord) -> str:
    return {"new": "ordered now", "pending": "unsigned order", "active": "active"}[m.role]


def _med_line(m: MedicationRecord) -> str:
    what = m.sig or m.label
    extra = f" (dose not read: {m.dose_problem})" if m.dose_problem else ""
    return f"- **{m.concept.drug}** - {what} [{_role_words(m)}]{extra}"


def _assess(
    meds: Sequence[MedicationRecord], data: HookData, kb: KnowledgeBase
) -> tuple[RiskAssessment | None, dict[str, str]]:
    """The risk assessment of every readable, assessable medication, and the sigs it refused."""
    refused: dict[str, str] = {}
    sigs = [m.sig for m in meds if m.sig is not None]
    has_naloxone = any(m.concept.rescue_naloxone for m in meds)
    age = data.age_years if data.age_years is None or data.age_years <= 120 else None

    def run(texts: list[str]) -> RiskAssessment:
        return assess_risk(texts, age_years=age, has_rescue_naloxone=has_naloxone, kb=kb)

    if not sigs:
        return None, refused
    try:
        return run(sigs), refused
    except AllostasisError:
        pass
    keep: list[str] = []
    for s in sigs:
        try:
            run([s])
            keep.append(s)
        except AllostasisError as exc:
            refused[s] = str(exc)
    return (run(keep) if keep else None), refused


def _mme_lines(risk: RiskAssessment | None, meds: Sequence[MedicationRecord]) -> list[str]:
    lines: list[str] = []
    if risk is not None and risk.mme is not None:
        lines.append(
            f"**Total: {risk.total_mme_per_day:.4g} MME/day** (factor set {risk.factor_set}; PRN "
            "orders at their maximum)"
        )
        for o in risk.mme.orders:
            if o.counted and o.mme_per_day is not None:
                lines.append(
                    f"- {o.order}: {o.daily_dose:g} {o.daily_dose_unit} x {o.factor:g} = "
                    f"{o.mme_per_day:.4g} MME/day"
                )
            else:
                lines.append(f"- {o.order}: not counted - {o.excluded_reason}")
    unread = [m for m in meds if m.concept.drug_class == "opioid" and m.sig is None]
    for m in unread:
        lines.append(f"- {m.label}: **not in the total** - dose not read ({m.dose_problem})")
    if unread:
        lines.append("The total is therefore a lower bound.")
    return lines


def _naloxone_suggestion(data: HookData, kb: KnowledgeBase) -> Suggestion:
    mg = naloxone_spray_mg(kb)
    return Suggestion(
        label=f"Add naloxone {mg:g} mg nasal spray (rescue kit)",
        uuid=str(uuid.uuid4()),
        is_recommended=True,
        actions=[
            Action(
                type="create",
                description=(
                    f"Draft a prescription for naloxone {mg:g} mg nasal spray (2 devices) for "
                    "suspected opioid overdose"
                ),
                resource=naloxone_request(data.patient_id, kb),
            )
        ],
    )


def _estimate_lines(risk: RiskAssessment | None) -> tuple[list[str], str]:
    """Mechanism/estimate/warnings of the opioid+benzodiazepine pair, and a short estimate phrase."""
    flag = None
    if risk is not None:
        flag = next(
            (f for f in risk.interactions if f.interaction == "opioid+benzodiazepine"), None
        )
    spec = interaction_for("opioid", "benzodiazepine")
    primary = flag.primary_estimate if flag is not None else spec.estimates[0]
    warnings = flag.warnings if flag is not None else [f"{t} [{s}]" for t, s in spec.warnings]
    lines = [f"**Mechanism.** {spec.mechanism}", ""]
    short = ""
    if primary is not None:
        lines.append(f"**Published risk.** {primary.describe()}")
        short = f"overdose death aHR {primary.value:.2f}" if "hazard" in primary.measure else ""
    for e in spec.estimates:
        if primary is None or e != primary:
            lines.append(f"- also: {e.describe()}")
    lines += ["", "**Warnings.**", *(f"- {w}" for w in warnings)]
    return lines, short


def _coprescription_card(
    meds: Sequence[MedicationRecord],
    risk: RiskAssessment | None,
    data: HookData,
    kb: KnowledgeBase,
    *,
    ordering: bool,
    suggest_naloxone: bool,
) -> Card:
    opioids = [m for m in meds if m.concept.drug_class == "opioid"]
    benzos = [m for m in meds if m.concept.drug_class == "benzodiazepine"]
    new = [m for m in opioids + benzos if m.role == "new"]
    op_names = ", ".join(dict.fromkeys(str(m.concept.drug) for m in opioids))
    bz_names = ", ".join(dict.fromkeys(str(m.concept.drug) for m in benzos))
    est_lines, short = _estimate_lines(risk)
    mme = f"{risk.total_mme_per_day:.4g} MME/day" if risk is not None and risk.mme else ""
    if ordering and new:
        new_names = ", ".join(dict.fromkeys(str(m.concept.drug) for m in new))
        others = [m for m in opioids + benzos if m.role != "new"]
        other_names = ", ".join(dict.fromkeys(str(m.concept.drug) for m in others))
        summary = f"Opioid + benzodiazepine: {new_names} ordered" + (
            f" for a patient on {other_names}" if other_names else " together"
        )
    else:
        summary = f"Opioid + benzodiazepine co-prescribed: {op_names} with {bz_names}"
    tail = "; ".join(p for p in (mme, short) if p)
    if tail and len(summary) + len(tail) + 2 <= SUMMARY_MAX_CHARS:
        summary += f" ({tail})"
    detail = ["**Medications.**", *(_med_line(m) for m in opioids + benzos), ""]
    mme_lines = _mme_lines(risk, opioids)
    if mme_lines:
        detail += ["**Opioid dose (MME).**", *mme_lines, ""]
    detail += est_lines
    if risk is not None:
        detail += ["", "**Naloxone.**"]
        detail += [
            f"- {t.rule}: {t.rule_text}; finding: {t.finding}" for t in risk.naloxone.triggers
        ]
        detail += [f"- {a}" for a in risk.naloxone.actions]
        if risk.naloxone.has_rescue_naloxone:
            detail.append("- Rescue naloxone is on record.")
        if risk.sedative_burden.predicted_ventilation is not None:
            detail += [
                "",
                f"**Model prediction (hypothesis, typical patient).** Minute ventilation nadir "
                f"{risk.sedative_burden.predicted_ventilation:.0%} of baseline after one dose of each "
                "sedative taken together (allostasis respiratory model; not a measurement).",
            ]
        cited = set(spec_sources(risk)) | {t.source for t in risk.naloxone.triggers}
        if risk.mme is not None:
            cited.add("cdc-2022-opioid-guideline")
        detail += ["", "**Sources.**", *(f"- {kb.source(s).citation()}" for s in sorted(cited))]
    return _card(
        summary,
        "warning",
        "\n".join(detail),
        _source(
            "allostasis: opioid + benzodiazepine (FDA 2016 boxed warning; CDC 2022; Park 2015)",
            "opioid-benzodiazepine",
            "Opioid and benzodiazepine co-prescription",
            kb,
            "park-2015-benzodiazepine-opioid",
        ),
        suggestions=[_naloxone_suggestion(data, kb)] if suggest_naloxone else None,
    )


def spec_sources(risk: RiskAssessment) -> list[str]:
    """Source ids of the opioid + benzodiazepine flag (empty when it was not raised)."""
    flag = next((f for f in risk.interactions if f.interaction == "opioid+benzodiazepine"), None)
    return list(flag.sources) if flag is not None else []


def _taper_regimen(sig: str | None, kb: KnowledgeBase) -> str | None:
    """The regimen as the taper planner reads it (``"alprazolam 1 mg TID"``), or ``None`` when the
    order is not a fixed schedule of 1-4 doses a day."""
    if sig is None:
        return None
    try:
        order = parse_sig(sig, kb=kb, drug_classes=("benzodiazepine",))
    except AllostasisError:
        return None
    words = {1.0: "daily", 2.0: "BID", 3.0: "TID", 4.0: "QID"}
    per_day = order.per_day_max
    if (
        order.prn
        or per_day is None
        or per_day != order.per_day_min
        or per_day not in words
        or order.dose_low != order.dose_high
        or order.dose_unit != "mg"
    ):
        return None
    return f"{order.drug} {order.dose_high:g} mg {words[per_day]}"


def _mme_card(risk: RiskAssessment, meds: Sequence[MedicationRecord], kb: KnowledgeBase) -> Card:
    opioids = [m for m in meds if m.concept.drug_class == "opioid"]
    detail = [
        "**Opioid dose (MME).**",
        *_mme_lines(risk, opioids),
        "",
        f"At or above {NALOXONE_MME_THRESHOLD:g} MME/day: pause and carefully reassess benefits and "
        "risks before any increase; offer naloxone (CDC 2022 Recommendations 4 and 8).",
        "",
        *(f"- {n}" for n in (risk.mme.notes[:1] if risk.mme else [])),
    ]
    return _card(
        f"Opioid dose {risk.total_mme_per_day:.4g} MME/day (>= {NALOXONE_MME_THRESHOLD:g}): "
        "reassess benefits and risks; offer naloxone (CDC 2022)",
        "warning",
        "\n".join(detail),
        _source(
            "allostasis: MME (CDC 2022 opioid guideline)",
            "opioid-dose",
            "Opioid dose in MME",
            kb,
            "cdc-2022-opioid-guideline",
        ),
    )


def _naloxone_card(
    risk: RiskAssessment, data: HookData, kb: KnowledgeBase, *, suggest: bool
) -> Card:
    bup = risk.naloxone.buprenorphine_naloxone_not_rescue
    summary = (
        "No rescue naloxone on record (buprenorphine/naloxone does not count): offer a naloxone kit"
        if bup
        else "No rescue naloxone on record: offer naloxone (CDC 2022 Recommendation 8)"
    )
    detail = ["**Why naloxone is recommended.**"]
    detail += [f"- {t.rule}: {t.rule_text}; finding: {t.finding}" for t in risk.naloxone.triggers]
    detail += [f"- {a}" for a in risk.naloxone.actions]
    if bup:
        detail += ["", BUPRENORPHINE_NALOXONE_NOT_RESCUE]
    detail += ["", "**Basis.**", *(f"- {b}" for b in risk.naloxone.basis)]
    return _card(
        summary,
        "warning",
        "\n".join(detail),
        _source(
            "allostasis: naloxone rules (CDC 2022 Recommendation 8; 2025 benzodiazepine guideline)",
            "naloxone",
            "Rescue naloxone",
            kb,
            "cdc-2022-opioid-guideline",
        ),
        suggestions=[_naloxone_suggestion(data, kb)] if suggest else None,
    )


def _duration_words(days: int) -> str:
    if days >= 365:
        return f"{days / 365.25:.1f} years"
    return f"{days // 7} weeks"


def _taper_cards(
    meds: Sequence[MedicationRecord],
    data: HookData,
    kb: KnowledgeBase,
    taper_page_url: str,
) -> list[Card]:
    starts: dict[str, tuple[dt.date, MedicationRecord]] = {}
    for m in meds:
        if m.role != "active" or m.concept.drug_class != "benzodiazepine" or m.started is None:
            continue
        drug = str(m.concept.drug)
        if drug not in starts or m.started < starts[drug][0]:
            starts[drug] = (m.started, m)
    opioid = any(m.concept.drug_class == "opioid" for m in meds)
    cards = []
    for drug, (start, m) in starts.items():
        days = (data.today - start).days
        if days < LONG_TERM_BENZODIAZEPINE_DAYS:
            continue
        duration = _duration_words(days)
        sig = next(
            (r.sig for r in meds if r.concept.drug == drug and r.sig and r.role == "active"), None
        )
        regimen = _taper_regimen(sig, kb)
        query: dict[str, str] = {"duration": duration}
        if regimen:
            query["med"] = regimen
        if opioid:
            query["opioid"] = "true"
        if data.age_years is not None and 0 <= data.age_years <= 120:
            query["age"] = f"{int(data.age_years)}"
        url = f"{taper_page_url}?{urlencode(query)}"
        detail = [
            f"**{drug}** has been taken since {start.isoformat()} ({duration}; from "
            f"{m.reference}). After long-term use the patient is likely physically dependent: do "
            "not stop abruptly.",
            "",
            "The 2025 joint guideline (Brunner et al., J Gen Intern Med) advises first reductions of "
            "about 5-10% every 2-4 weeks, typically not more than 25% every 2 weeks, slowing or "
            "pausing when withdrawal appears; staying on a lower dose can be an acceptable end point.",
        ]
        if opioid:
            detail.append(
                "With an opioid, reassess the co-prescription at least every 3 months and offer "
                "naloxone."
            )
        detail += [
            "",
            f"The taper planner link opens a dated schedule drafted from {regimen} (duration "
            f"{duration}) for review."
            if regimen
            else f"The taper planner link opens with the duration ({duration}); {sig or drug} is not "
            "a fixed schedule of 1-4 doses a day, so enter the dose the patient actually takes.",
        ]
        cards.append(
            _card(
                f"Long-term {drug} use ({duration}): a gradual taper plan can be drafted",
                "info",
                "\n".join(detail),
                _source(
                    "allostasis: benzodiazepine taper (2025 joint guideline)",
                    "benzodiazepine-taper",
                    "Benzodiazepine tapering",
                    kb,
                    "brunner-2025",
                ),
                links=[Link(label=f"Draft a taper plan for {drug}", url=url, type="absolute")],
            )
        )
    return cards


def _not_assessed_cards(
    meds: Sequence[MedicationRecord], refused: dict[str, str], kb: KnowledgeBase
) -> list[Card]:
    src = Source(
        label="allostasis knowledge base",
        topic=Coding(system=TOPIC_SYSTEM, code="not-assessed", display="Not assessed"),
    )
    cards: list[Card] = []
    background: list[str] = []
    for m in meds:
        if m.concept.drug is None:
            reason = f"not mapped: {m.concept.unmapped_reason}"
        elif m.concept.rescue_naloxone:
            continue
        elif m.concept.drug_class not in ASSESSED_CLASSES:
            reason = f"{m.concept.drug} ({m.concept.drug_class}) is not read by the risk assessment"
        elif m.sig is None:
            reason = f"dose not read: {m.dose_problem}"
        elif m.sig in refused:
            reason = f"refused by the sig reader: {refused[m.sig]}"
        else:
            continue
        if m.role == "new":
            mapped = m.concept.drug is not None
            cards.append(
                _card(
                    (
                        f"Dose of {m.concept.drug} not read; its MME and dose checks were not made"
                        if mapped
                        else f"Not assessed: {m.label!r} could not be matched to the knowledge base"
                    ),
                    "info",
                    f"{m.reference}: {reason}.\n\n"
                    + (
                        "Its drug class was still checked for co-prescription; check the dose by "
                        "other means."
                        if mapped
                        else "No opioid, benzodiazepine or naloxone check was made for this order; "
                        "allostasis does not guess what an unknown medication is."
                    ),
                    src,
                )
            )
        else:
            background.append(f"- {m.label} [{_role_words(m)}]: {reason}")
    if background:
        cards.append(
            _card(
                f"{len(background)} other medication(s) not assessed (not in the knowledge base or "
                "dose not read)",
                "info",
                "These medications were not included in the checks; allostasis does not guess:\n\n"
                + "\n".join(background),
                src,
            )
        )
    return cards


def hook_cards(
    hook: Hook,
    data: HookData,
    kb: KnowledgeBase,
    *,
    taper_page_url: str,
) -> list[Card]:
    """The cards for one hook call (see the module docstring for the rules).

    Parameters
    ----------
    hook : {"order-select", "order-sign", "patient-view"}
    data : HookData
        The medications read from the request (:func:`read_hook_data`).
    kb : KnowledgeBase
    taper_page_url : str
        Absolute URL of the web app's taper planner page (query parameters are appended).
    """
    meds = data.medications
    mapped = [m for m in meds if m.concept.drug is not None]
    assessable = [m for m in mapped if m.concept.drug_class in ASSESSED_CLASSES]
    rescue = [m for m in mapped if m.concept.rescue_naloxone]
    risk, refused = _assess([*assessable, *rescue], data, kb)
    assessable_read = [m for m in assessable if m.sig not in refused]
    classes = {m.concept.drug_class for m in mapped}
    new_classes = {m.concept.drug_class for m in mapped if m.role == "new"}
    ordering = hook != "patient-view"
    both = "opioid" in classes and "benzodiazepine" in classes
    if ordering:
        coprescription = both and bool({"opioid", "benzodiazepine"} & new_classes)
        mme_flag = "opioid" in new_classes
        taper_relevant = bool(set(_SEDATIVES) & new_classes)
    else:
        coprescription, mme_flag, taper_relevant = both, True, True
    has_naloxone = bool(rescue)

    cards: list[Card] = []
    naloxone_suggested = False
    if coprescription:
        suggest = ordering and not has_naloxone
        naloxone_suggested = suggest
        cards.append(
            _coprescription_card(
                assessable_read, risk, data, kb, ordering=ordering, suggest_naloxone=suggest
            )
        )
    if (
        mme_flag
        and risk is not None
        and risk.mme is not None
        and risk.total_mme_per_day >= NALOXONE_MME_THRESHOLD
    ):
        cards.append(_mme_card(risk, assessable_read, kb))
    if (
        risk is not None
        and risk.naloxone.recommended
        and not has_naloxone
        and (not ordering or not coprescription)
        and (not ordering or "opioid" in new_classes or "benzodiazepine" in new_classes)
    ):
        cards.append(_naloxone_card(risk, data, kb, suggest=not naloxone_suggested))
    if taper_relevant:
        cards += _taper_cards(mapped, data, kb, taper_page_url)
    cards += _not_assessed_cards(meds, refused, kb)
    return cards
