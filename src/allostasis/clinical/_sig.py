"""Read an opioid order ("sig") into a typed :class:`Order`, refusing what it cannot read safely.

By default only opioids are read (the MME calculator's input). A caller that needs other drugs
(the co-prescription risk assessment reads benzodiazepines, Z-drugs and gabapentinoids) passes
``drug_classes``; the same grammar and the same refusals apply to them.

Supported pieces (case-insensitive, in any order after the drug name):

- drug, or a combination written ``opioid/co-analgesic`` (``hydrocodone/acetaminophen``) with one
  strength per component (``5/325 mg``); salt and release words (``HCl``, ``ER``) are allowed;
- strength per unit: ``5 mg``, ``25 mcg/h`` (patches), ``2 mg/mL`` or ``10 mg/5 mL`` (liquids), or a
  bare dose per administration (``10 mg``, ``5-10 mg``);
- units per dose: ``1 tab``, ``1-2 tabs``, ``1 cap``, ``1 patch``, ``5 mL``;
- route: ``PO``/oral/by mouth, ``TD``/transdermal, ``SL``, buccal, intranasal, ``IV``, ``IM``, ``SC``;
- frequency: ``q6h``, ``q4-6h``, ``every 8 hours``, ``BID``, ``TID``, ``QID``, ``daily``, ``q72h``,
  ``every 3 days``, ``weekly``; ``at bedtime``/``at night``/``nocte`` count as once daily;
- ``PRN`` / ``as needed`` (with a reason), ``max 6 tabs/day``;
- quantity and days' supply: ``120 tablets / 30 days``.

The maximum daily dose counts PRN orders at their maximum: the most units per dose at the shortest
interval (capped by a written daily maximum),

.. math:: D_{max} = s \\cdot u_{max} \\cdot \\frac{24\\,\\mathrm{h}}{\\tau_{min}}

with strength per unit :math:`s`, units per dose :math:`u` and dosing interval :math:`\\tau`; with
only a quantity :math:`Q` and days' supply :math:`T`, :math:`D = s \\cdot Q / T`. A patch's dose is
its delivery rate (mcg/h) times the patches worn at one time.

The parser never guesses: missing strength or frequency, "as directed", unknown units, two
strengths or two frequencies that disagree, multi-step sigs ("then") and drugs that are not opioids
in the knowledge base raise an error that names what is missing and what to write instead. The one
assumption it makes is the route of a tablet, capsule, liquid or bare mg dose with no route written
(oral, the only route the CDC factors cover for them); the order records ``route_stated=False``.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from allostasis.errors import InvalidValueError, UnitError, UnknownDrugError
from allostasis.knowledge import KnowledgeBase, load_knowledge_base
from allostasis.units import as_quantity

__all__ = ["PATCH_WEAR_H", "Order", "parse_sig"]

#: Hours one transdermal fentanyl patch is worn (Duragesic label: each patch is applied for 72 h).
#: Used only when a patch order gives quantity and days' supply but no interval.
PATCH_WEAR_H = 72.0

DoseForm = Literal["tablet", "capsule", "patch", "mL", "film", "spray", "lozenge", "dose"]

#: Non-opioid ingredients of combination products (name as written -> generic name).
_CO_INGREDIENTS = {
    "acetaminophen": "acetaminophen",
    "apap": "acetaminophen",
    "paracetamol": "acetaminophen",
    "ibuprofen": "ibuprofen",
    "aspirin": "aspirin",
    "asa": "aspirin",
    "naloxone": "naloxone",
    "naltrexone": "naltrexone",
}
#: Brand names of combination products, read as their components (brand -> generic components).
#: Only products whose components are unambiguous are listed (buprenorphine/naloxone: Suboxone,
#: Zubsolv, Bunavail labels).
_COMBINATION_BRANDS = {
    "suboxone": "buprenorphine/naloxone",
    "zubsolv": "buprenorphine/naloxone",
    "bunavail": "buprenorphine/naloxone",
}
_SALTS = r"\b(?:hcl|hydrochloride|sulfate|sulphate|bitartrate|phosphate|citrate|tartrate)\b"
_RELEASE = (
    r"\b(?:extended[- ]release|immediate[- ]release|controlled[- ]release|long[- ]acting|"
    r"er|ir|sr|cr|xr|la|xl)\b"
)
_VERBS = r"\b(?:take|give|apply|use|inject|place|dissolve|sig)\b"
_FORM_WORDS = r"\b(?:tablets?|tabs?|capsules?|caps?|patch(?:es)?|oral solution|solution|liquid)\b"
_NUM = r"\d+(?:\.\d+)?"
_WORD_NUM = {"one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "half": 0.5, "½": 0.5}
_NUMW = rf"(?:{_NUM}|\d+/\d+|one|two|three|four|half|½)"
_FORMS: dict[str, DoseForm] = {
    "tab": "tablet",
    "tablet": "tablet",
    "cap": "capsule",
    "capsule": "capsule",
    "patch": "patch",
    "ml": "mL",
    "film": "film",
    "spray": "spray",
    "lozenge": "lozenge",
}
_FORM_RE = r"(tabs?|tablets?|caps?|capsules?|patch(?:es)?|ml|films?|sprays?|lozenges?)"
_ROUTES = {
    "po": "oral",
    "p.o.": "oral",
    "oral": "oral",
    "orally": "oral",
    "by mouth": "oral",
    "td": "transdermal",
    "transdermal": "transdermal",
    "transdermally": "transdermal",
    "topically": "transdermal",
    "sl": "sublingual",
    "sublingual": "sublingual",
    "sublingually": "sublingual",
    "buccal": "buccal",
    "intranasal": "intranasal",
    "nasal": "intranasal",
    "iv": "intravenous",
    "intravenous": "intravenous",
    "im": "intramuscular",
    "intramuscular": "intramuscular",
    "sc": "subcutaneous",
    "sq": "subcutaneous",
    "subcut": "subcutaneous",
    "subcutaneous": "subcutaneous",
    "pr": "rectal",
    "rectal": "rectal",
}
_ROUTE_RE = (
    r"(?<![\w.])(by mouth|p\.o\.|"
    + "|".join(
        sorted(
            (re.escape(k) for k in _ROUTES if k not in ("by mouth", "p.o.")), key=len, reverse=True
        )
    )
    + r")(?![\w])"
)
_FILLER = {
    "take", "give", "apply", "use", "by", "for", "of", "and", "the", "a", "an", "up", "to", "sig",
    "mouth", "each", "dose", "doses", "times", "x", "tablet", "tablets", "tab", "tabs", "capsule",
    "capsules", "patch", "patches", "one", "every", "at", "on", "skin", "change", "replace",
}  # fmt: skip


class Order(BaseModel):
    """A parsed opioid order: what it says, in canonical units, and the maximum daily dose it implies.

    Amounts are in mg (``dose_unit == "mg"``) or, for patches, in mcg/h per application
    (``dose_unit == "mcg/h"``). ``per_day_min``/``per_day_max`` are administrations per day (a
    range for ``q4-6h``; 1/3 for ``q72h``); they are ``None`` when only quantity/days' supply is given.
    """

    model_config = ConfigDict(frozen=True)

    text: str
    drug: str
    co_ingredients: dict[str, float]
    """Non-opioid ingredients per unit (mg), e.g. ``{"acetaminophen": 325.0}``."""
    strength: float | None
    """Opioid strength per unit in ``strength_unit``; ``None`` for a bare dose (``"10 mg BID"``)."""
    strength_unit: str | None
    dose_form: DoseForm
    units_per_dose_low: float
    units_per_dose_high: float
    dose_unit: Literal["mg", "mcg/h"]
    dose_low: float
    """Opioid amount per administration (mg), or delivery rate per application (mcg/h)."""
    dose_high: float
    route: str
    route_stated: bool
    frequency: str | None
    per_day_min: float | None
    per_day_max: float | None
    prn: bool
    prn_reason: str | None
    quantity: float | None
    days_supply: float | None
    max_units_per_day_stated: float | None
    extended_release: bool
    notes: list[str]

    @property
    def max_units_per_day(self) -> float:
        """Most units (tablets, patches, mL, doses) per day: PRN orders at their maximum."""
        if self.per_day_max is None:
            assert self.quantity is not None
            assert self.days_supply is not None
            return self.quantity / self.days_supply
        most = self.units_per_dose_high * self.per_day_max
        if self.max_units_per_day_stated is not None:
            most = min(most, self.max_units_per_day_stated)
        return most

    @property
    def max_daily_dose(self) -> float:
        """Maximum opioid dose per day in :attr:`daily_dose_unit` (mg/day; mcg/h for patches)."""
        per_unit = self.dose_high / self.units_per_dose_high
        if self.dose_unit == "mcg/h":
            return per_unit * self.patches_worn
        return per_unit * self.max_units_per_day

    @property
    def daily_dose_unit(self) -> str:
        """``"mg/day"``, or ``"mcg/h"`` for a patch (its delivery rate)."""
        return "mcg/h" if self.dose_unit == "mcg/h" else "mg/day"

    @property
    def patches_worn(self) -> float:
        """Patches worn at one time (each patch replaced when the next is applied)."""
        if self.per_day_max is not None:
            return self.units_per_dose_high
        return self.max_units_per_day * PATCH_WEAR_H / 24.0


@dataclass
class _Token:
    kind: str
    start: int
    end: int
    groups: tuple[Any, ...]


def _num(text: str) -> float:
    t = text.strip().lower()
    if t in _WORD_NUM:
        return _WORD_NUM[t]
    if "/" in t:
        a, b = t.split("/")
        return float(a) / float(b)
    return float(t)


def _fail(text: str, what: str) -> InvalidValueError:
    return InvalidValueError(f"sig {text!r}: {what}")


_FREQ_FIXED: list[tuple[str, float, str]] = [
    (r"\b(?:four times (?:a |per )?day|four times daily|qid|q\.i\.d\.)", 4.0, "QID"),
    (r"\b(?:three times (?:a |per )?day|three times daily|tid|t\.i\.d\.)", 3.0, "TID"),
    (r"\b(?:twice (?:a |per )?day|twice daily|bid|b\.i\.d\.)", 2.0, "BID"),
    (r"\bevery other day\b|\bqod\b", 0.5, "every other day"),
    (r"\b(?:weekly|once (?:a |per )?week|every week)\b", 1.0 / 7.0, "weekly"),
    (
        r"\b(?:once (?:a |per )?day|once daily|every day|daily|qd|q\.d\.|qhs|at bedtime|nightly|"
        r"qam|every morning|qpm|every evening|at night|every night|nocte|qn)\b",
        1.0,
        "daily",
    ),
]


def _tokens(rest: str) -> list[_Token]:
    """Find every known piece of the sig (after the drug name), longest patterns first."""
    patterns: list[tuple[str, str]] = [
        ("supply", rf"({_NUM})\s*{_FORM_RE}\s*(?:/|per|for|over|x)\s*({_NUM})\s*(?:days?|d)\b"),
        (
            "max",
            rf"\b(?:max(?:imum)?|not to exceed|nte|no more than)\s*:?\s*({_NUM})\s*"
            rf"({_FORM_RE[1:-1]}|mg)?\s*(?:/|per|a|in)\s*(?:day|24\s*h(?:ours?|rs?)?)\b",
        ),
        ("every_range", rf"\b(?:q|every)\s*({_NUM})\s*(?:-|to)\s*({_NUM})\s*(?:h|hrs?|hours?)\b"),
        ("every_h", rf"\b(?:q|every)\s*({_NUM})\s*(?:h|hrs?|hours?)\b"),
        ("every_d", rf"\b(?:q|every)\s*({_NUM})\s*(?:d|days?)\b"),
        ("every_w", rf"\b(?:q|every)\s*({_NUM})\s*(?:wks?|weeks?)\b"),
        *((f"fixed{i}", pat) for i, (pat, _, _) in enumerate(_FREQ_FIXED)),
        (
            "strength",
            rf"({_NUM}(?:\s*/\s*{_NUM})+|{_NUM})\s*(mg|mcg|ug|µg|g|micrograms?|milligrams?)\b"
            rf"(?:\s*/\s*(?:({_NUM})\s*)?(h|hr|hour|ml)\b)?",
        ),
        ("amount_range", rf"({_NUM})\s*(?:-|to)\s*({_NUM})\s*(mg|mcg)\b"),
        ("units", rf"(?<![\w/])({_NUMW})(?:\s*(?:-|to|or)\s*({_NUMW}))?\s*{_FORM_RE}\b"),
        ("prn", r"\bprn\b|\bp\.r\.n\.|\bas needed\b|\bif needed\b"),
        ("route", _ROUTE_RE),
        ("unknown_amount", rf"(?<![\w/])({_NUM})\s*([a-zµ]+)\b"),
    ]
    found: list[_Token] = []
    taken = [False] * len(rest)
    order = ["supply", "max", "amount_range", "strength", "every_range", "every_h", "every_d"]
    order += ["every_w", *(f"fixed{i}" for i in range(len(_FREQ_FIXED))), "units", "prn"]
    order += ["route", "unknown_amount"]
    table = dict(patterns)
    for kind in order:
        for m in re.finditer(table[kind], rest):
            if any(taken[m.start() : m.end()]):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            found.append(_Token(kind, m.start(), m.end(), m.groups()))
    leftover = "".join(" " if t else c for c, t in zip(rest, taken, strict=True))
    found.append(_Token("leftover", 0, 0, (leftover,)))
    return found


def _split_names(names: str) -> list[str]:
    parts = re.split(r"\s*(?:/|\+|\bwith\b|\band\b)\s*|\s*-\s*(?=[a-z])", names)
    return [p.strip() for p in parts if p.strip()]


def _not_allowed(name: str, drug_class: str, allowed: tuple[str, ...]) -> str:
    if allowed == ("opioid",):
        return f"{name} is a {drug_class}, not an opioid; the MME calculator takes opioid orders"
    return f"{name} is a {drug_class}; orders read here are of class {', '.join(allowed)}"


def _identify(
    kb: KnowledgeBase, text: str, names: str, allowed: tuple[str, ...] = ("opioid",)
) -> tuple[str | None, list[str], list[str]]:
    """(main drug name, component order, co-ingredient names) from the name part of the sig."""
    components = _split_names(names)
    opioid: str | None = None
    order: list[str] = []
    co: list[str] = []
    for comp in components:
        bare = " ".join(re.sub(_SALTS, " ", comp).split())
        if bare in _CO_INGREDIENTS:
            co.append(_CO_INGREDIENTS[bare])
            order.append(_CO_INGREDIENTS[bare])
            continue
        try:
            try:
                drug = kb[comp]
            except UnknownDrugError:
                drug = kb[bare or comp]
        except UnknownDrugError as exc:
            where = (
                "opioids are listed in the knowledge base's opioids.toml"
                if allowed == ("opioid",)
                else "`allostasis drugs list` shows the drugs the knowledge base holds"
            )
            raise UnknownDrugError(f"sig {text!r}: {exc} ({where})") from None
        if drug.drug_class == "opioid-antagonist":
            co.append(drug.name)
            order.append(drug.name)
            continue
        if drug.drug_class not in allowed:
            raise UnknownDrugError(
                f"sig {text!r}: drug: {_not_allowed(drug.name, drug.drug_class, allowed)}"
            )
        if opioid is not None:
            what = "opioids" if allowed == ("opioid",) else "drugs"
            raise _fail(
                text,
                f"names two {what} ({opioid}, {drug.name}); write each {what[:-1]} as its own order",
            )
        opioid = drug.name
        order.append(drug.name)
    return opioid, order, co


def _parse_strength_param(strength: Any) -> tuple[float, str]:
    """A separately given strength as (value, unit) with unit mg, mcg/h or mg/mL."""
    for unit in ("mg", "mcg/h", "mg/mL"):
        try:
            q = as_quantity(strength, field="strength", unit=unit)
        except UnitError as exc:
            if "bare number" in str(exc) or "cannot read" in str(exc):
                raise
            continue
        return float(q.to(unit).magnitude), unit
    raise UnitError(
        f"strength: expected mg per tablet/capsule, mcg/h per patch or mg/mL for a liquid; "
        f"got {strength!s}"
    )


def parse_sig(
    sig: str,
    *,
    drug: str | None = None,
    strength: Any = None,
    kb: KnowledgeBase | None = None,
    drug_classes: Collection[str] = ("opioid",),
) -> Order:
    """Parse an opioid order into an :class:`Order` with its maximum daily dose.

    .. math:: D_{max} = s \\cdot u_{max} \\cdot \\frac{24\\,\\mathrm{h}}{\\tau_{min}}

    Parameters
    ----------
    sig : str
        The order, e.g. ``"hydrocodone/acetaminophen 5/325 mg 1-2 tabs PO q4-6h PRN pain"``.
    drug : str, optional
        The opioid, when the sig does not name it (``"1 tab PO q6h PRN pain"``).
    strength : str or pint.Quantity, optional
        Strength per unit when the sig does not give it: ``"5 mg"`` (per tablet/capsule),
        ``"25 mcg/h"`` (per patch) or ``"2 mg/mL"`` (liquid). A bare number is refused.
    kb : KnowledgeBase, optional
        Defaults to the shipped knowledge base.
    drug_classes : collection of str
        Knowledge-base drug classes the order may name (default ``("opioid",)``, the MME
        calculator's input). The risk assessment passes e.g. ``("opioid", "benzodiazepine",
        "z-drug", "gabapentinoid")``; a drug of any other class is refused with its class named.

    Returns
    -------
    Order
        With ``max_daily_dose`` in ``daily_dose_unit`` (mg/day, or mcg/h for patches).

    Raises
    ------
    InvalidValueError
        Missing strength or frequency, "as directed", unknown units, contradictory pieces.
    UnknownDrugError
        A drug that is not an opioid in the knowledge base.
    UnitError
        A separately given strength without a unit.

    References
    ----------
    1. Dowell D et al. (2022). CDC Clinical Practice Guideline for Prescribing Opioids for Pain.
       MMWR Recomm Rep 71(3):1-95. doi:10.15585/mmwr.rr7103a1 (daily dose from the order).

    Examples
    --------
    >>> o = parse_sig("hydrocodone/acetaminophen 5/325 mg 1-2 tabs q4-6h PRN pain")
    >>> o.drug, o.co_ingredients, o.max_daily_dose, o.daily_dose_unit
    ('hydrocodone', {'acetaminophen': 325.0}, 60.0, 'mg/day')
    >>> parse_sig("fentanyl 25 mcg/h 1 patch q72h").max_daily_dose
    25.0
    >>> parse_sig("oxycodone 1 tab PO q6h PRN pain", strength="5 mg").max_daily_dose
    20.0
    >>> parse_sig("oxycodone 5 mg 1 tab as directed")
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: sig 'oxycodone 5 mg 1 tab as directed': 'as directed' ...
    """
    if not isinstance(sig, str) or not sig.strip():
        raise InvalidValueError(f"sig: expected the text of an order; got {sig!r}")
    kb = kb or load_knowledge_base()
    text = " ".join(sig.split())
    low = text.lower().replace("–", "-").replace("—", "-").replace("μ", "µ")
    low = low.replace("#", " ").replace(",", " ").replace(";", " ")
    if re.search(r"\b(?:as directed|as instructed|ud|u\.d\.|as per instructions)\b", low):
        raise _fail(
            text,
            "'as directed' gives no dose or frequency; write them, e.g. '1 tab PO q6h PRN pain'",
        )
    if re.search(r"(?:^|[^\d\s.])\s*-\s*\d", low):
        raise _fail(
            text,
            "a minus sign before a number: doses, strengths and counts must be > 0; write the "
            "order without it",
        )
    if re.search(r"\bthen\b|\bfollowed by\b", low):
        raise _fail(
            text,
            "'then' starts a second instruction; give each step (dose and interval) as its own order",
        )

    # ---- drug name(s): the words before the first number
    m = re.match(r"^([^\d½]*)", low)
    head = m.group(1) if m else ""
    rest = low[len(head) :]
    extended = bool(re.search(_RELEASE, head))
    names = re.sub(_RELEASE, " ", head)
    names = re.sub(_VERBS, " ", names)
    names = re.sub(_FORM_WORDS, " ", names)
    route_in_head = re.findall(_ROUTE_RE, names)
    names = re.sub(_ROUTE_RE, " ", names)
    names = " ".join(names.split()).strip(" /-+:")
    rest = " ".join(route_in_head) + " " + rest
    components: list[str] = []
    co_names: list[str] = []
    opioid: str | None = None
    allowed = tuple(drug_classes)
    notes: list[str] = []
    brand = _COMBINATION_BRANDS.get(names)
    if brand is not None:
        notes.append(f"{names} read as {brand}")
        names = brand
    if names:
        opioid, components, co_names = _identify(kb, text, names, allowed)
    if drug is not None:
        given = kb[drug]
        if given.drug_class not in allowed:
            raise UnknownDrugError(f"drug: {_not_allowed(given.name, given.drug_class, allowed)}")
        if opioid is not None and opioid != given.name:
            raise _fail(text, f"names {opioid} but drug={drug!r} was given; give one drug")
        if opioid is None:
            components = [given.name, *components]
            opioid = given.name
    if opioid is None:
        raise _fail(
            text,
            "drug: missing; start the sig with the opioid (e.g. 'oxycodone 5 mg 1 tab PO q6h') "
            "or pass drug=...",
        )

    # ---- pieces after the name
    toks = _tokens(rest)
    by = {k: [t for t in toks if t.kind == k] for k in {t.kind for t in toks}}
    leftover = by["leftover"][0].groups[0]
    if by.get("unknown_amount"):
        bad = [f"{g[0]} {g[1]}" for g in (t.groups for t in by["unknown_amount"])]
        raise _fail(
            text,
            f"unknown unit in {', '.join(repr(b) for b in bad)}; write the strength in mg or mcg "
            "(mcg/h for patches, mg/mL for liquids) and the units per dose as tab, cap, patch or mL",
        )

    # strength
    strength_val: float | None = None
    strength_unit: str | None = None
    co_ingredients: dict[str, float] = {}
    bare_dose: tuple[float, float] | None = None
    strengths = by.get("strength", [])
    if len(strengths) > 1:
        raise _fail(
            text,
            "gives more than one strength ("
            + ", ".join(repr(rest[t.start : t.end].strip()) for t in strengths)
            + "); give the strength per unit once and the units per dose, e.g. '5 mg 2 tabs'",
        )
    if strengths:
        values, mass_unit, per_n, per_unit = strengths[0].groups
        parts = [float(v) for v in re.split(r"\s*/\s*", values)]
        to_mg = {"mg": 1.0, "milligram": 1.0, "milligrams": 1.0, "g": 1000.0}.get(mass_unit, 1e-3)
        if len(parts) > 1:
            if len(parts) != len(components):
                raise _fail(
                    text,
                    f"strength {values} {mass_unit} has {len(parts)} parts but the drug name has "
                    f"{len(components)} component(s) ({', '.join(components) or 'none'}); write "
                    "each component, e.g. 'hydrocodone/acetaminophen 5/325 mg'",
                )
            for name, v in zip(components, parts, strict=True):
                if name != opioid:
                    co_ingredients[name] = v * to_mg
            opioid_part = parts[components.index(opioid)]
        else:
            opioid_part = parts[0]
            if co_names:
                raise _fail(
                    text,
                    f"gives one strength for a combination ({', '.join(components)}); write one "
                    "strength per component, e.g. '5/325 mg'",
                )
        if per_unit in ("h", "hr", "hour"):
            if per_n is not None:
                raise _fail(text, "cannot read a rate per several hours; write mcg/h")
            strength_val, strength_unit = opioid_part * to_mg * 1000.0, "mcg/h"
        elif per_unit == "ml":
            volume = float(per_n) if per_n is not None else 1.0
            strength_val, strength_unit = opioid_part * to_mg / volume, "mg/mL"
        else:
            strength_val, strength_unit = opioid_part * to_mg, "mg"
    if strength_val is not None and not strength_val > 0:
        raise _fail(text, f"the strength must be > 0; got {strength_val:g} {strength_unit}")
    if strength is not None:
        sv, su = _parse_strength_param(strength)
        if strength_val is not None and (su != strength_unit or abs(sv - strength_val) > 1e-9):
            raise _fail(
                text,
                f"the sig gives {strength_val:g} {strength_unit} but strength={strength!s} was "
                "passed; give the strength once",
            )
        strength_val, strength_unit = sv, su
    for t in by.get("amount_range", []):
        lo, hi, unit = t.groups
        scale = 1.0 if unit == "mg" else 1e-3
        if bare_dose is not None or strength_val is not None:
            raise _fail(text, "gives a dose range and a strength; give one of them")
        bare_dose = (float(lo) * scale, float(hi) * scale)
        if not 0 < bare_dose[0] <= bare_dose[1]:
            raise _fail(text, f"a dose range must be > 0 and low <= high; got {lo}-{hi} {unit}")

    # units per dose
    units = by.get("units", [])
    if len(units) > 1:
        raise _fail(
            text,
            "gives the units per dose more than once ("
            + ", ".join(repr(rest[t.start : t.end].strip()) for t in units)
            + "); give them once, e.g. '1-2 tabs'",
        )
    form: DoseForm | None = None
    u_lo = u_hi = 1.0
    if units:
        a, b, form_word = units[0].groups
        u_lo = _num(a)
        u_hi = _num(b) if b is not None else u_lo
        form = _FORMS[re.sub(r"(es|s)$", "", form_word) if form_word != "ml" else "ml"]
        if u_lo <= 0 or u_hi < u_lo:
            raise _fail(
                text,
                f"units per dose must be > 0 and low <= high; got {rest[units[0].start : units[0].end].strip()!r}",
            )

    # quantity / days supply
    quantity = days = None
    supply = by.get("supply", [])
    if len(supply) > 1:
        raise _fail(text, "gives quantity/days' supply more than once")
    supply_form: DoseForm | None = None
    if supply:
        q, fw, d = supply[0].groups
        quantity, days = float(q), float(d)
        supply_form = _FORMS[re.sub(r"(es|s)$", "", fw) if fw != "ml" else "ml"]
        if quantity <= 0 or days <= 0:
            raise _fail(text, f"quantity and days' supply must be > 0; got {quantity:g} / {days:g}")
        if form is not None and supply_form != form:
            raise _fail(
                text, f"doses are in {form}s but the quantity is in {supply_form}s; use one unit"
            )
        form = form or supply_form

    # dose form and dose per administration
    if strength_unit == "mcg/h":
        if form not in (None, "patch"):
            raise _fail(text, f"a strength in mcg/h is a patch; got units of {form}")
        form = "patch"
    if form == "patch" and strength_unit not in (None, "mcg/h"):
        raise _fail(
            text,
            f"a patch strength is a delivery rate in mcg/h; got {strength_val:g} {strength_unit}",
        )
    if form == "mL" and strength_unit not in (None, "mg/mL"):
        raise _fail(
            text,
            "a dose in mL needs a concentration (e.g. '2 mg/mL' or '10 mg/5 mL'); "
            f"got a strength of {strength_val:g} {strength_unit}",
        )
    if strength_unit == "mg/mL" and form not in (None, "mL"):
        raise _fail(text, f"a concentration in mg/mL needs a volume per dose in mL; got {form}s")
    if bare_dose is not None:
        if form is not None:
            raise _fail(
                text,
                "gives a dose range in mg and units per dose; give the strength per unit and the "
                "units (e.g. '5 mg 1-2 tabs') or the dose range alone",
            )
        form = "dose"
        dose_lo, dose_hi = bare_dose
    elif strength_val is None:
        raise _fail(
            text,
            f"strength: missing; the sig gives no strength per unit for {opioid}. Write it, "
            f"e.g. '{opioid} 5 mg 1 tab PO q6h' (mcg/h for patches, mg/mL for liquids), or pass "
            "strength='5 mg'",
        )
    else:
        if strength_unit == "mg/mL" and form is None:
            raise _fail(text, "a liquid needs the volume per dose, e.g. '5 mL'")
        if form is None:
            form = "dose"
        dose_lo, dose_hi = strength_val * u_lo, strength_val * u_hi
    if form == "dose" and supply:
        raise _fail(text, "cannot apply a quantity to a dose range; give the strength per unit")
    dose_unit: Literal["mg", "mcg/h"] = "mcg/h" if form == "patch" else "mg"

    # route
    routes = {_ROUTES[t.groups[0]] for t in by.get("route", [])}
    if len(routes) > 1:
        raise _fail(text, f"gives contradictory routes ({', '.join(sorted(routes))}); give one")
    if routes:
        route, route_stated = routes.pop(), True
        if form == "patch" and route != "transdermal":
            raise _fail(text, f"a patch is transdermal; the sig says {route}")
        if route == "transdermal" and form != "patch":
            raise _fail(text, "a transdermal order needs a patch strength in mcg/h")
    elif form == "patch":
        route, route_stated = "transdermal", False
        notes.append("route not written; transdermal (patch)")
    else:
        route, route_stated = "oral", False
        notes.append(f"route not written; oral assumed for a {form} order")

    # frequency
    freqs: list[tuple[float, float, str]] = []
    for t in toks:
        if t.kind == "every_range":
            a_h, b_h = float(t.groups[0]), float(t.groups[1])
            if a_h <= 0 or b_h < a_h:
                raise _fail(
                    text, f"interval range must be > 0 and low <= high; got q{a_h:g}-{b_h:g}h"
                )
            freqs.append((24.0 / b_h, 24.0 / a_h, f"q{a_h:g}-{b_h:g}h"))
        elif t.kind in ("every_h", "every_d", "every_w"):
            n = float(t.groups[0])
            if n <= 0:
                raise _fail(text, "the dosing interval must be > 0")
            hours = n * {"every_h": 1.0, "every_d": 24.0, "every_w": 168.0}[t.kind]
            freqs.append((24.0 / hours, 24.0 / hours, f"q{hours:g}h"))
        elif t.kind.startswith("fixed"):
            _, per_day, label = _FREQ_FIXED[int(t.kind[5:])]
            freqs.append((per_day, per_day, label))
    distinct = {(round(a, 9), round(b, 9)) for a, b, _ in freqs}
    if len(distinct) > 1:
        raise _fail(
            text,
            f"gives contradictory frequencies ({', '.join(f[2] for f in freqs)}); give one, "
            "e.g. 'q6h' or 'q4-6h PRN'",
        )
    prn = bool(by.get("prn"))
    frequency = per_min = per_max = None
    if freqs:
        per_min, per_max, frequency = freqs[0]
    elif not supply:
        raise _fail(
            text,
            "frequency: missing; write how often, e.g. 'q6h', 'q4-6h PRN', 'BID', 'daily', "
            "'q72h' for patches, or give quantity and days' supply ('120 tablets / 30 days')",
        )
    elif form == "patch":
        notes.append(
            f"patch interval from quantity/days' supply; each patch worn {PATCH_WEAR_H:g} h"
        )

    # written maximum per day
    max_stated: float | None = None
    for t in by.get("max", []):
        n, unit_word = float(t.groups[0]), t.groups[1]
        if unit_word == "mg":
            if form == "patch":
                raise _fail(text, "a daily maximum in mg does not apply to a patch")
            per_unit_mg = dose_hi / u_hi
            max_stated = n / per_unit_mg
        else:
            max_stated = n
        if max_stated <= 0:
            raise _fail(text, "the daily maximum must be > 0")

    # leftover words
    prn_pos = min((t.start for t in by.get("prn", [])), default=None)
    reason_words: list[str] = []
    for w in re.finditer(r"[a-zµ][a-zµ.\-]*", leftover):
        word = w.group(0).strip(".-")
        if prn_pos is not None and w.start() > prn_pos:
            if word not in _FILLER:
                reason_words.append(word)
            continue
        if word and word not in _FILLER:
            raise _fail(
                text,
                f"cannot read {word!r}; write the order as drug, strength, units per dose, route, "
                "frequency and PRN (e.g. 'oxycodone 5 mg 1 tab PO q6h PRN pain')",
            )

    order = Order(
        text=text,
        drug=opioid,
        co_ingredients=co_ingredients,
        strength=strength_val,
        strength_unit=strength_unit,
        dose_form=form,
        units_per_dose_low=u_lo,
        units_per_dose_high=u_hi,
        dose_unit=dose_unit,
        dose_low=dose_lo,
        dose_high=dose_hi,
        route=route,
        route_stated=route_stated,
        frequency=frequency,
        per_day_min=per_min,
        per_day_max=per_max,
        prn=prn,
        prn_reason=" ".join(reason_words) or None,
        quantity=quantity,
        days_supply=days,
        max_units_per_day_stated=max_stated,
        extended_release=extended,
        notes=notes,
    )
    _check_supply(order)
    return order


def _check_supply(order: Order) -> None:
    """Refuse a quantity/days' supply that contradicts the written frequency."""
    if order.quantity is None or order.days_supply is None or order.per_day_max is None:
        return
    supplied = order.quantity / order.days_supply
    most = order.max_units_per_day
    least = order.units_per_dose_low * (order.per_day_min or order.per_day_max)
    if supplied > most * (1 + 1e-9):
        raise _fail(
            order.text,
            f"quantity/days' supply ({order.quantity:g} / {order.days_supply:g} days = "
            f"{supplied:.3g} per day) exceeds the most the frequency allows ({most:.3g} per day); "
            "correct the quantity, the days' supply or the frequency",
        )
    if not order.prn and supplied < least * (1 - 1e-9):
        raise _fail(
            order.text,
            f"quantity/days' supply ({supplied:.3g} per day) is less than the scheduled "
            f"{least:.3g} per day; correct the quantity, the days' supply or the frequency",
        )
