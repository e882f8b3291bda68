"""A free-text medication list, read order by order for the co-prescription risk assessment.

Each entry is read by the sig parser (:func:`allostasis.clinical.parse_sig`) for the classes the
assessment covers; rescue naloxone is recognised by name, buprenorphine/naloxone products are not
rescue naloxone, a stated duration of use ("for 6 years") is kept, and a non-opioid dose far above
the label maximum is refused as implausible.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict

from allostasis.clinical._sig import Order, parse_sig
from allostasis.clinical._sig_drug import COMBINATION_BRANDS
from allostasis.errors import InvalidValueError, UnknownDrugError
from allostasis.knowledge import KnowledgeBase

__all__ = [
    "IMPLAUSIBLE_DOSE_MULTIPLE",
    "OTHER_CLASSES",
    "SEDATIVE_CLASSES",
    "MedicationEntry",
    "parse_alcohol",
    "read_entry",
]

#: A non-opioid daily dose above this multiple of the knowledge base's label maximum is refused as
#: implausible (most likely a unit slip: g for mg). A screening choice of this package, not a
#: clinical limit; doses between the label maximum and this multiple are accepted with a warning.
IMPLAUSIBLE_DOSE_MULTIPLE = 10.0

#: Classes the sedative burden counts (CNS and respiratory depressants).
SEDATIVE_CLASSES = ("opioid", "benzodiazepine", "z-drug", "gabapentinoid")
#: Classes read and listed but not counted as sedatives.
OTHER_CLASSES = ("ssri", "snri", "azapirone", "nmda-antagonist")
_DURATION_RE = re.compile(
    r"\s*\bfor\s+(?:the\s+(?:past|last)\s+)?(\d+(?:\.\d+)?)\s*"
    r"(years?|yrs?|months?|mos?|weeks?|wks?)\b",
    re.IGNORECASE,
)
_RESCUE_WORDS = re.compile(
    r"\b(?:nasal|intranasal|spray|auto-?injector|injection|inj|kit|rescue|im|sc|prn|"
    r"overdose|opioid|for|suspected|in|case|of|emergency|as|needed|mg|mcg|x|\d+(?:\.\d+)?|"
    r"devices?|pack|twin)\b",
    re.IGNORECASE,
)
_ALCOHOL_RE = re.compile(
    r"^\s*(\d+(?:\.\d+)?)\s*(?:standard\s+)?(?:drinks?|units?)?\s*(?:/|per|a)\s*(day|d|week|wk)\s*$",
    re.IGNORECASE,
)


class MedicationEntry(BaseModel):
    """One medication as read: drug, class, daily dose and what the assessment did with it."""

    model_config = ConfigDict(frozen=True)

    text: str
    drug: str
    drug_class: str
    daily_dose: float | None
    """Maximum daily dose (PRN at maximum) in ``daily_dose_unit``; ``None`` for rescue naloxone."""
    daily_dose_unit: str | None
    prn: bool
    route: str | None
    duration_of_use: str | None = None
    rescue_naloxone: bool = False
    buprenorphine_naloxone: bool = False
    sedative: bool
    notes: list[str]


def parse_alcohol(alcohol: Any) -> float | None:
    if alcohol is None:
        return None
    if not isinstance(alcohol, str):
        raise InvalidValueError(
            f"alcohol: expected text such as '2 drinks/day' or '10 drinks/week'; got {alcohol!r}"
        )
    m = _ALCOHOL_RE.match(alcohol)
    if m is None:
        raise InvalidValueError(
            f"alcohol: cannot read {alcohol!r}; write standard drinks per day or week, e.g. "
            "'2 drinks/day' or '10 drinks/week'"
        )
    n = float(m.group(1))
    per_day = n / 7.0 if m.group(2).lower() in ("week", "wk") else n
    return per_day


def _is_rescue_naloxone(text: str, kb: KnowledgeBase) -> bool:
    """True when the order names naloxone (or a naloxone brand) alone, e.g. 'Narcan 4 mg nasal'."""
    low = text.lower()
    if "/" in low or "+" in low or re.search(r"\b(?:with|and)\b", low):
        return False
    if any(b in low for b in COMBINATION_BRANDS):
        return False
    name = " ".join(_RESCUE_WORDS.sub(" ", low).replace("-", " ").split())
    for candidate in (name, name.replace(" hydrochloride", "").replace(" hcl", "")):
        try:
            drug = kb[candidate]
        except UnknownDrugError:
            continue
        return drug.name == "naloxone"
    return False


def _label_maximum(kb: KnowledgeBase, drug: str) -> tuple[float, str] | None:
    """Largest label maximum daily dose (mg) over the drug's indications, with its source."""
    best: tuple[float, str] | None = None
    for d in kb[drug].dosing:
        m = d.max_daily_dose
        if m is None or m.value is None:
            continue
        mg = float(m.to("mg"))
        if best is None or mg > best[0]:
            best = (mg, m.source)
    return best


def read_entry(text: str, kb: KnowledgeBase) -> tuple[MedicationEntry, Order | None, list[str]]:
    if not isinstance(text, str) or not text.strip():
        raise InvalidValueError(
            f"medications: each entry must be the text of an order; got {text!r}"
        )
    warnings: list[str] = []
    durations = list(_DURATION_RE.finditer(text))
    if len(durations) > 1:
        raise InvalidValueError(
            f"medication {text!r}: gives the duration of use more than once; give it once"
        )
    duration = None
    sig = text
    if durations:
        d = durations[0]
        duration = f"{d.group(1)} {d.group(2)}"
        sig = (text[: d.start()] + " " + text[d.end() :]).strip()
    if _is_rescue_naloxone(sig, kb):
        return (
            MedicationEntry(
                text=text,
                drug="naloxone",
                drug_class="opioid-antagonist",
                daily_dose=None,
                daily_dose_unit=None,
                prn=True,
                route=None,
                duration_of_use=duration,
                rescue_naloxone=True,
                sedative=False,
                notes=["rescue naloxone (opioid antagonist): counted as rescue naloxone on hand"],
            ),
            None,
            warnings,
        )
    order = parse_sig(sig, kb=kb, drug_classes=SEDATIVE_CLASSES + OTHER_CLASSES)
    drug = kb[order.drug]
    notes = list(order.notes)
    if duration:
        notes.append(f"duration of use: {duration}")
    bup_nlx = order.drug == "buprenorphine" and "naloxone" in order.co_ingredients
    if drug.drug_class != "opioid" and order.dose_unit == "mg":
        top = _label_maximum(kb, order.drug)
        if top is not None:
            mg_day = order.max_daily_dose
            if mg_day > IMPLAUSIBLE_DOSE_MULTIPLE * top[0]:
                raise InvalidValueError(
                    f"medication {text!r}: {mg_day:g} mg/day of {order.drug} is more than "
                    f"{IMPLAUSIBLE_DOSE_MULTIPLE:g} times the label maximum ({top[0]:g} mg/day, "
                    f"{top[1]}); check the strength and its unit (mg, not g) and the frequency"
                )
            if mg_day > top[0]:
                warnings.append(
                    f"{order.drug}: {mg_day:g} mg/day is above the label maximum of {top[0]:g} "
                    f"mg/day ({top[1]})"
                )
    entry = MedicationEntry(
        text=text,
        drug=order.drug,
        drug_class=drug.drug_class,
        daily_dose=order.max_daily_dose,
        daily_dose_unit=order.daily_dose_unit,
        prn=order.prn,
        route=order.route,
        duration_of_use=duration,
        buprenorphine_naloxone=bup_nlx,
        sedative=drug.drug_class in SEDATIVE_CLASSES,
        notes=notes,
    )
    return entry, order, warnings
