"""Write a FHIR R4 ``Dosage`` as the order text ("sig") that the library's sig parser reads.

The structured parts are translated one to one, never filled in:

- ``doseAndRate[0].doseQuantity`` / ``doseRange`` in a mass unit (mg, mcg/ug, g) -> ``"10 mg"`` /
  ``"5-10 mg"``; in a count unit (tablet, capsule, film, patch, spray) -> ``"<strength> 1 tab"``
  with the strength per unit taken from the product name (``"oxycodone 5 MG Oral Tablet"``);
  ``rateQuantity`` in mcg/h -> a patch delivery rate;
- ``timing.repeat`` ``frequency``/``frequencyMax`` per ``period``/``periodMax`` ``periodUnit`` ->
  a dosing interval, ``"q12h"`` or ``"q4-6h"`` (interval = period / frequency); ``timing.code``
  (BID, TID, QID, QD, QOD, Q4H, Q6H, Q8H, WK ...) -> the same words;
- ``asNeededBoolean`` / ``asNeededCodeableConcept`` -> ``"PRN"`` (with the reason's text);
- ``maxDosePerPeriod`` (mass or count per day, or per N hours scaled to 24 h) -> ``"max N mg/day"``;
- ``route`` (SNOMED CT code or text) -> ``PO``, ``SL``, ``TD``, ``intranasal``, ``IV``, ``IM``, ``SC``;
  without one, the route implied by the product's dose form (sublingual film, transdermal system).

A dosage with only ``text`` is read as ``"<drug> <strength> <text>"`` by the same strict parser.
Several dosage instructions (a multi-step regimen) are not read. The parser (and so the risk
assessment) refuses anything it cannot read; the caller reports that instead of guessing.

>>> from allostasis.knowledge import load_knowledge_base
>>> from allostasis.interfaces.cds_hooks._medication_mapping import map_medication
>>> kb = load_knowledge_base()
>>> oxy = map_medication({"text": "oxycodone hydrochloride 5 MG Oral Tablet"}, kb)
>>> write_sig(oxy, [{"doseAndRate": [{"doseQuantity": {"value": 2, "unit": "tablet"}}],
...     "timing": {"repeat": {"frequency": 1, "period": 4, "periodMax": 6, "periodUnit": "h"}},
...     "asNeededBoolean": True}])
'oxycodone 5 mg 2 tab PO q4-6h PRN'
>>> write_sig(oxy, [{"timing": {"code": {"text": "BID"}}}])
Traceback (most recent call last):
...
allostasis.errors.InvalidValueError: dosageInstruction: no dose (doseAndRate doseQuantity, doseRange or rateQuantity) and no text
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from allostasis.errors import InvalidValueError
from allostasis.interfaces.cds_hooks._medication_mapping import MedicationConcept

__all__ = ["write_sig"]

_MASS_TO_MG = {"mg": 1.0, "ug": 1e-3, "mcg": 1e-3, "µg": 1e-3, "g": 1000.0}
_COUNT_UNITS = {
    "tablet": "tab",
    "tablets": "tab",
    "tab": "tab",
    "tabs": "tab",
    "{tbl}": "tab",
    "{tablet}": "tab",
    "capsule": "cap",
    "capsules": "cap",
    "cap": "cap",
    "{cap}": "cap",
    "{capsule}": "cap",
    "film": "film",
    "films": "film",
    "{film}": "film",
    "patch": "patch",
    "patches": "patch",
    "{patch}": "patch",
    "spray": "spray",
    "sprays": "spray",
    "{spray}": "spray",
    "actuation": "spray",
    "{actuat}": "spray",
    "ml": "mL",
}
#: Doses per day -> the sig parser's words (a whole number of doses a day reads as written).
_PER_DAY_WORDS = {1.0: "daily", 2.0: "BID", 3.0: "TID", 4.0: "QID"}
#: UCUM period units -> hours.
_PERIOD_H = {"s": 1 / 3600, "min": 1 / 60, "h": 1.0, "d": 24.0, "wk": 168.0}
#: HL7 v3 GTSAbbreviation timing codes -> the sig parser's frequency words.
_TIMING_CODES = {
    "BID": "BID",
    "TID": "TID",
    "QID": "QID",
    "QD": "daily",
    "AM": "daily",
    "PM": "daily",
    "QOD": "every other day",
    "WK": "weekly",
    "Q1H": "q1h",
    "Q2H": "q2h",
    "Q3H": "q3h",
    "Q4H": "q4h",
    "Q6H": "q6h",
    "Q8H": "q8h",
}
#: SNOMED CT route codes (the FHIR R4 route-codes value set) -> the sig parser's route words.
_SNOMED_ROUTES = {
    "26643006": "PO",
    "37839007": "SL",
    "54471007": "buccal",
    "45890007": "TD",
    "46713006": "intranasal",
    "47625008": "IV",
    "78421000": "IM",
    "34206005": "SC",
    "37161004": "PR",
}
_ROUTE_WORDS = {
    "oral": "PO",
    "po": "PO",
    "sublingual": "SL",
    "sl": "SL",
    "buccal": "buccal",
    "transdermal": "TD",
    "nasal": "intranasal",
    "intranasal": "intranasal",
    "intravenous": "IV",
    "iv": "IV",
    "intramuscular": "IM",
    "im": "IM",
    "subcutaneous": "SC",
    "sc": "SC",
    "rectal": "PR",
}
_FORM_ROUTES = {
    "oral": "PO",
    "sublingual": "SL",
    "buccal": "buccal",
    "transdermal": "TD",
    "intranasal": "intranasal",
}


def _fail(what: str) -> InvalidValueError:
    return InvalidValueError(f"dosageInstruction: {what}")


def _num(x: float) -> str:
    return f"{round(x, 6):g}"


def _unit(q: dict[str, Any]) -> str:
    return str(q.get("code") or q.get("unit") or "").strip().lower()


def _drug_words(concept: MedicationConcept) -> str:
    return "/".join(concept.components)


def _strength_words(concept: MedicationConcept) -> str:
    """``"5 mg"`` or ``"5/325 mg"`` from the product name; refused when not written."""
    if not concept.strengths:
        raise _fail(
            f"the dose is given in units of the product, but the strength per unit of "
            f"{concept.label!r} is not written in its name; give the dose in mg"
        )
    units = {u for _, u in concept.strengths}
    if len(units) != 1:
        raise _fail(f"strengths of {concept.label!r} are in different units; give the dose in mg")
    return "/".join(_num(v) for v, _ in concept.strengths) + " " + units.pop()


def _dose(concept: MedicationConcept, dose_and_rate: dict[str, Any]) -> str:
    qty = dose_and_rate.get("doseQuantity")
    rng = dose_and_rate.get("doseRange")
    rate = dose_and_rate.get("rateQuantity")
    if rate is not None and qty is None and rng is None:
        unit = _unit(rate)
        if unit not in ("ug/h", "mcg/h", "ug/hr", "mcg/hr"):
            raise _fail(f"rateQuantity in {unit!r} is not read (a patch rate in mcg/h is)")
        return f"{_num(float(rate['value']))} mcg/h 1 patch"
    if qty is not None:
        unit = _unit(qty)
        value = float(qty.get("value", 0.0))
        if value <= 0:
            raise _fail(f"doseQuantity must be > 0; got {qty.get('value')!r}")
        if unit in _MASS_TO_MG:
            mg = value * _MASS_TO_MG[unit]
            if concept.co_ingredients:
                if not concept.strengths or concept.strengths[0][1] != "mg":
                    raise _fail(
                        f"a dose in mg of the combination {concept.label!r} needs the strength "
                        "of each ingredient in its name"
                    )
                main = concept.strengths[concept.components.index(str(concept.drug))][0]
                form = {"tablet": "tab", "capsule": "cap"}.get(concept.dose_form or "", "tab")
                return f"{_strength_words(concept)} {_num(mg / main)} {form}"
            return f"{_num(mg)} mg"
        if unit in _COUNT_UNITS:
            return f"{_strength_words(concept)} {_num(value)} {_COUNT_UNITS[unit]}"
        raise _fail(f"doseQuantity unit {unit!r} is not read (mg, mcg, g, or tablet/capsule/...)")
    if rng is not None:
        low, high = rng.get("low") or {}, rng.get("high") or {}
        units = {_unit(low), _unit(high)}
        if len(units) != 1 or not units <= set(_MASS_TO_MG) or concept.co_ingredients:
            raise _fail("doseRange is read only in one mass unit (mg, mcg) for a single drug")
        scale = _MASS_TO_MG[units.pop()]
        lo, hi = float(low.get("value", 0)) * scale, float(high.get("value", 0)) * scale
        return f"{_num(lo)}-{_num(hi)} mg"
    raise _fail("doseAndRate has no doseQuantity, doseRange or rateQuantity")


def _frequency(timing: dict[str, Any]) -> str:
    repeat = timing.get("repeat") or {}
    code = timing.get("code") or {}
    if repeat.get("period") is not None:
        unit = str(repeat.get("periodUnit") or "")
        if unit not in _PERIOD_H:
            raise _fail(f"timing.repeat.periodUnit {unit!r} is not read (s, min, h, d, wk)")
        freq = float(repeat.get("frequency") or 1)
        freq_max = float(repeat.get("frequencyMax") or freq)
        period = float(repeat["period"]) * _PERIOD_H[unit]
        period_max = float(repeat.get("periodMax") or repeat["period"]) * _PERIOD_H[unit]
        shortest, longest = period / freq_max, period_max / freq
        if shortest <= 0 or longest < shortest:
            raise _fail("timing.repeat: period and frequency must be > 0")
        if abs(longest - shortest) < 1e-9:
            if unit == "d" and float(repeat["period"]) == 1 and freq in _PER_DAY_WORDS:
                return _PER_DAY_WORDS[freq]
            return f"q{_num(shortest)}h"
        return f"q{_num(shortest)}-{_num(longest)}h"
    times = repeat.get("timeOfDay") or []
    if times:
        return {1: "daily", 2: "BID", 3: "TID", 4: "QID"}.get(len(times), "")
    words = [str(c.get("code", "")).upper() for c in code.get("coding") or []]
    words += [str(code.get("text", "")).upper()]
    for w in words:
        if w in _TIMING_CODES:
            return _TIMING_CODES[w]
    raise _fail("timing: no frequency (timing.repeat period/frequency, timeOfDay or timing.code)")


def _route(concept: MedicationConcept, route: dict[str, Any] | None) -> str:
    if route:
        for c in route.get("coding") or []:
            if str(c.get("code")) in _SNOMED_ROUTES:
                return _SNOMED_ROUTES[str(c["code"])]
        for text in [route.get("text"), *(c.get("display") for c in route.get("coding") or [])]:
            word = str(text or "").lower().replace(" route", "").replace(" use", "").strip()
            if word in _ROUTE_WORDS:
                return _ROUTE_WORDS[word]
        raise _fail(f"route {route.get('text') or route.get('coding')!r} is not read")
    return _FORM_ROUTES.get(concept.route_from_form or "", "")


def _max_per_day(concept: MedicationConcept, ratio: dict[str, Any]) -> str:
    num, den = ratio.get("numerator") or {}, ratio.get("denominator") or {}
    den_unit = _unit(den)
    if den_unit not in ("d", "h", "day", "days", "hour", "hours"):
        raise _fail(f"maxDosePerPeriod denominator {den_unit!r} is not read (per d or per h)")
    per_h = float(den.get("value", 1)) * (24.0 if den_unit.startswith("d") else 1.0)
    scale = 24.0 / per_h
    value = float(num.get("value", 0)) * scale
    unit = _unit(num)
    if unit in _MASS_TO_MG:
        if concept.co_ingredients:
            raise _fail("maxDosePerPeriod in mg of a combination product is not read")
        return f"max {_num(value * _MASS_TO_MG[unit])} mg/day"
    if unit in _COUNT_UNITS:
        word = _COUNT_UNITS[unit]
        plural = {"patch": "patches", "mL": "mL"}.get(word, word + "s")
        return f"max {_num(value)} {plural}/day"
    raise _fail(f"maxDosePerPeriod numerator unit {unit!r} is not read")


def write_sig(concept: MedicationConcept, dosages: Sequence[dict[str, Any]]) -> str:
    """The order text for one mapped medication and its ``dosageInstruction`` list (JSON dicts).

    Raises
    ------
    InvalidValueError
        No dosage, several dosages, or a part that is absent or not in a form this reads.
    """
    if not dosages:
        raise _fail("none given; the dose and frequency are needed")
    if len(dosages) > 1:
        raise _fail(
            f"{len(dosages)} dosage instructions (a multi-step regimen) are not read; "
            "assess each step as its own order"
        )
    dosage = dosages[0]
    dose_and_rate = dosage.get("doseAndRate") or []
    if not dose_and_rate:
        text = str(dosage.get("text") or "").strip()
        if not text:
            raise _fail("no dose (doseAndRate doseQuantity, doseRange or rateQuantity) and no text")
        strength = ""
        if concept.strengths and not re.search(r"\d\s*(?:mg|mcg)", text, re.IGNORECASE):
            strength = " " + _strength_words(concept)
        return f"{_drug_words(concept)}{strength} {text}"
    if len(dose_and_rate) > 1:
        raise _fail("several doseAndRate entries are not read")
    parts = [_drug_words(concept), _dose(concept, dose_and_rate[0])]
    route = _route(concept, dosage.get("route"))
    if route:
        parts.append(route)
    parts.append(_frequency(dosage.get("timing") or {}))
    as_needed = dosage.get("asNeededCodeableConcept")
    if dosage.get("asNeededBoolean") or as_needed:
        reason = (as_needed or {}).get("text") or next(
            (c.get("display") for c in (as_needed or {}).get("coding") or [] if c.get("display")),
            None,
        )
        words = " ".join(re.findall(r"[A-Za-z]+", str(reason or ""))).lower()
        parts.append("PRN" + (f" {words}" if words else ""))
    ratio = dosage.get("maxDosePerPeriod")
    if ratio:
        parts.append(_max_per_day(concept, ratio))
    return " ".join(p for p in parts if p)
