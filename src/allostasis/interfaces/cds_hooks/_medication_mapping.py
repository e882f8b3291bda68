"""Map a FHIR medication concept to a knowledge-base drug, by RxNorm ingredient code and by name,
and refuse (with the reason) what cannot be mapped - never a guess.

Rules, in order:

1. every ``coding`` whose system is RxNorm (``http://www.nlm.nih.gov/research/umls/rxnorm``) and
   whose code equals a knowledge-base drug's ``rxnorm`` (an ingredient, TTY=IN, code) names that drug;
2. the name (``CodeableConcept.text``, else each coding's ``display``) is read as RxNorm writes
   clinical drugs - ``"<ingredient> <strength> <UNIT> [/ <ingredient> <strength> <UNIT>] <dose
   form>"`` (e.g. ``"buprenorphine 8 MG / naloxone 2 MG Sublingual Film"``) - or as a plain name or
   brand (``"Xanax"``); salts (hydrochloride, bitartrate ...) are dropped and each ingredient is
   looked up in the knowledge base by name and synonym;
3. code and name must agree: a code naming one drug and a name naming another is refused;
4. a product is one drug plus, at most, co-ingredients that are not sedatives (acetaminophen,
   ibuprofen, aspirin) or an opioid antagonist in a combination (buprenorphine/naloxone); naloxone
   alone is rescue naloxone.

RxNorm clinical-drug codes (SCD/SBD) are not resolved - that needs the RxNorm database, which is
not shipped - so a concept with only such a code and no readable name is refused.

>>> from allostasis.knowledge import load_knowledge_base
>>> kb = load_knowledge_base()
>>> c = map_medication(
...     {"coding": [{"system": RXNORM_SYSTEM, "code": "7804"}], "text": "oxycodone HCl 5 MG Oral Tablet"}, kb
... )
>>> c.drug, c.drug_class, c.matched_by, c.strengths, c.dose_form
('oxycodone', 'opioid', 'rxnorm', [(5.0, 'mg')], 'tablet')
>>> c = map_medication({"text": "buprenorphine 8 MG / naloxone 2 MG Sublingual Film"}, kb)
>>> c.drug, c.co_ingredients, c.buprenorphine_naloxone, c.route_from_form
('buprenorphine', ['naloxone'], True, 'sublingual')
>>> map_medication({"text": "lisinopril 10 MG Oral Tablet"}, kb).unmapped_reason
"'lisinopril' is not in the knowledge base"
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict

from allostasis.errors import UnknownDrugError
from allostasis.knowledge import KnowledgeBase

__all__ = ["RXNORM_SYSTEM", "MedicationConcept", "map_medication", "unmapped_concept"]

RXNORM_SYSTEM = "http://www.nlm.nih.gov/research/umls/rxnorm"

#: Non-sedative co-ingredients of opioid combination products that the sig parser reads.
_CO_ANALGESICS = {
    "acetaminophen": "acetaminophen",
    "apap": "acetaminophen",
    "paracetamol": "acetaminophen",
    "ibuprofen": "ibuprofen",
    "aspirin": "aspirin",
}
_SALTS = re.compile(
    r"\b(?:hcl|hydrochloride|sulfate|sulphate|bitartrate|phosphate|citrate|tartrate|mesylate|"
    r"maleate|besylate|dipotassium|sodium|potassium|monohydrate|dihydrate|anhydrous)\b",
    re.IGNORECASE,
)
_RELEASE = re.compile(
    r"\b(?:extended[- ]release|immediate[- ]release|controlled[- ]release|er|ir|sr|cr|xr|xl)\b",
    re.IGNORECASE,
)
#: RxNorm strength units -> the sig parser's units.
_STRENGTH_UNITS = {
    "mg": "mg",
    "mcg": "mcg",
    "mg/ml": "mg/mL",
    "mcg/hr": "mcg/h",
    "mcg/h": "mcg/h",
    "mg/actuat": "mg",
    "mcg/actuat": "mcg",
}
_STRENGTH = re.compile(
    r"(\d+(?:\.\d+)?)\s*(mg/ml|mcg/hr|mcg/h|mg/actuat|mcg/actuat|mg|mcg)\b", re.IGNORECASE
)
#: RxNorm dose-form words -> (the sig parser's unit word, route the form implies or None).
_FORMS: list[tuple[str, str, str | None]] = [
    (r"sublingual (?:film|tablet)", "film", "sublingual"),
    (r"buccal film", "film", "buccal"),
    (r"transdermal (?:system|patch)|\bpatch\b", "patch", "transdermal"),
    (r"nasal spray", "spray", "intranasal"),
    (r"oral solution|oral suspension", "mL", "oral"),
    (r"(?:oral )?(?:tablet|tab)\b", "tablet", "oral"),
    (r"(?:oral )?(?:capsule|cap)\b", "capsule", "oral"),
    (r"injectable solution|injection", "mL", None),
]


class MedicationConcept(BaseModel):
    """What a FHIR medication concept means in knowledge-base terms, or why it cannot be mapped."""

    model_config = ConfigDict(frozen=True)

    label: str
    """The concept as the EHR wrote it (text, display or code)."""
    drug: str | None
    """Knowledge-base drug name; ``None`` when unmapped."""
    drug_class: str | None
    co_ingredients: list[str]
    """Other ingredients of a combination product, in the order written."""
    components: list[str]
    """Every ingredient in the order written (the main drug included)."""
    strengths: list[tuple[float, str]]
    """Strength per unit of each component, from the name (``[]`` when not written)."""
    dose_form: str | None
    """``tablet``, ``capsule``, ``film``, ``patch``, ``spray`` or ``mL``, from the name."""
    route_from_form: str | None
    matched_by: str | None
    """``"rxnorm"`` (ingredient code) or ``"name"``; ``None`` when unmapped."""
    rxnorm_codes: list[str]
    unmapped_reason: str | None = None

    @property
    def rescue_naloxone(self) -> bool:
        """Naloxone alone (nasal spray, injection): rescue naloxone."""
        return self.drug == "naloxone" and not self.co_ingredients

    @property
    def buprenorphine_naloxone(self) -> bool:
        """A buprenorphine/naloxone product (not rescue naloxone)."""
        return self.drug == "buprenorphine" and "naloxone" in self.co_ingredients


def unmapped_concept(label: str, codes: list[str], reason: str) -> MedicationConcept:
    """A medication that could not be mapped to the knowledge base, with the reason."""
    return MedicationConcept(
        label=label,
        drug=None,
        drug_class=None,
        co_ingredients=[],
        components=[],
        strengths=[],
        dose_form=None,
        route_from_form=None,
        matched_by=None,
        rxnorm_codes=codes,
        unmapped_reason=reason,
    )


def _split_components(name: str) -> list[str]:
    """Ingredients of a name: RxNorm separates them with " / "; a plain name with "/"."""
    if re.search(r"\d", name):
        return [p.strip() for p in re.split(r"\s+/\s+", name) if p.strip()]
    return [p.strip() for p in re.split(r"\s*(?:/|\+)\s*", name) if p.strip()]


def _ingredient_name(component: str) -> str:
    """The words before the strength, without salts and release words."""
    head = re.split(r"\d", component, maxsplit=1)[0]
    head = _RELEASE.sub(" ", _SALTS.sub(" ", head))
    return " ".join(head.replace(",", " ").split()).lower()


def _lookup(kb: KnowledgeBase, component: str, name: str) -> str | None:
    """Knowledge-base name of a component (full text first, then the bare ingredient)."""
    for candidate in (component, name):
        try:
            return kb[candidate].name
        except UnknownDrugError:
            continue
    return None


def map_medication(concept: Any, kb: KnowledgeBase) -> MedicationConcept:
    """Map a FHIR ``CodeableConcept`` (as a dict or an R4B model) to a knowledge-base drug.

    Parameters
    ----------
    concept : dict or fhir.resources.R4B.codeableconcept.CodeableConcept
        ``medicationCodeableConcept`` of a MedicationRequest/MedicationStatement, or
        ``Medication.code``.
    kb : KnowledgeBase

    Returns
    -------
    MedicationConcept
        The drug, class, co-ingredients, strengths and dose form read from the name, how it was
        matched; or ``unmapped_reason`` saying why it was not mapped.
    """
    data: dict[str, Any] = (
        concept.model_dump(mode="json", exclude_none=True)
        if hasattr(concept, "model_dump")
        else dict(concept or {})
    )
    codings = [c for c in data.get("coding") or [] if isinstance(c, dict)]
    codes = [str(c["code"]) for c in codings if c.get("system") == RXNORM_SYSTEM and c.get("code")]
    names = [data["text"]] if data.get("text") else []
    names += [str(c["display"]) for c in codings if c.get("display")]
    label = names[0] if names else (f"RxNorm {', '.join(codes)}" if codes else "(no name or code)")

    by_code = {code: d.name for d in kb.values() for code in codes if d.rxnorm == code}
    coded = list(dict.fromkeys(by_code.values()))

    components: list[str] = []
    unknown: list[str] = []
    strengths: list[tuple[float, str]] = []
    name_used = None
    for name in names:
        parts = _split_components(name)
        found: list[str] = []
        missing: list[str] = []
        for part in parts:
            bare = _ingredient_name(part)
            if bare in _CO_ANALGESICS:
                found.append(_CO_ANALGESICS[bare])
                continue
            hit = _lookup(kb, part.lower(), bare)
            (found if hit else missing).append(hit or bare or part)
        if found and not missing:
            components, unknown, name_used = found, [], name
            strengths = []
            for part in parts:
                m = _STRENGTH.search(part)
                if m is None:
                    strengths = []
                    break
                strengths.append((float(m.group(1)), _STRENGTH_UNITS[m.group(2).lower()]))
            break
        if not unknown:
            unknown = missing
    if not components and coded:
        components = coded
    if not components:
        if unknown:
            reason = f"{', '.join(repr(u) for u in unknown)} is not in the knowledge base"
        else:
            reason = "the concept has neither a readable name nor an RxNorm ingredient code"
        if codes and not coded:
            reason += (
                f"; RxNorm code(s) {', '.join(codes)} are not ingredient codes of knowledge-base "
                "drugs (clinical-drug codes are not resolved offline)"
            )
        return unmapped_concept(label, codes, reason)
    if coded and not set(coded) <= set(components):
        return unmapped_concept(
            label,
            codes,
            f"RxNorm code(s) name {', '.join(coded)} but the name {name_used!r} names "
            f"{', '.join(components)}; they disagree, so the medication is not assessed",
        )

    co_analgesics = set(_CO_ANALGESICS.values())
    drug_classes = {
        c: "co-analgesic" if c in co_analgesics else kb[c].drug_class for c in components
    }
    mains = [c for c in components if drug_classes[c] not in ("co-analgesic", "opioid-antagonist")]
    if len(mains) > 1:
        return unmapped_concept(
            label,
            codes,
            f"names several drugs ({', '.join(mains)}) in one product; give each as its own order",
        )
    if not mains:
        antagonists = [c for c in components if drug_classes[c] == "opioid-antagonist"]
        if len(components) != 1 or not antagonists:
            return unmapped_concept(label, codes, f"no assessable drug in {', '.join(components)}")
        mains = antagonists
    drug = mains[0]

    form: str | None = None
    route: str | None = None
    text = (name_used or "").lower()
    for pattern, form_word, form_route in _FORMS:
        if re.search(pattern, text):
            form, route = form_word, form_route
            break
    return MedicationConcept(
        label=label,
        drug=drug,
        drug_class=kb[drug].drug_class,
        co_ingredients=[c for c in components if c != drug],
        components=components,
        strengths=strengths,
        dose_form=form,
        route_from_form=route,
        matched_by="rxnorm" if coded else "name",
        rxnorm_codes=codes,
    )
