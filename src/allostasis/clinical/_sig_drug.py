"""Identify the drug a sig names: the words before the first number, read against the knowledge base.

The name may be a generic or brand name (``Roxicodone``), carry salt and release words (``oxycodone
HCl ER``) and a route (``oxycodone PO``), or be a combination product written
``opioid/co-analgesic`` (``hydrocodone/acetaminophen``) or by a brand whose components are
unambiguous (``Suboxone`` = buprenorphine/naloxone). Exactly one drug of an allowed class must be
named, in the sig or by the caller; co-analgesics (acetaminophen, ibuprofen, aspirin) and opioid
antagonists (naloxone, naltrexone) are kept as co-ingredients.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from allostasis.clinical._sig_text import refusal
from allostasis.clinical._sig_vocabulary import ROUTE_PATTERN
from allostasis.errors import UnknownDrugError
from allostasis.knowledge import KnowledgeBase

__all__ = [
    "COMBINATION_BRANDS",
    "CO_INGREDIENTS",
    "NamedDrug",
    "identify_drug",
    "read_drug",
    "split_off_name",
]

#: Non-opioid ingredients of combination products (name as written -> generic name).
CO_INGREDIENTS = {
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
COMBINATION_BRANDS = {
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


@dataclass(frozen=True)
class NamedDrug:
    """The drug an order is for, and what else its name says."""

    drug: str
    """Knowledge-base name of the one drug of an allowed class, e.g. ``"hydrocodone"``."""
    components: list[str]
    """Every component in the order written (``["hydrocodone", "acetaminophen"]``)."""
    co_ingredients: list[str]
    """The components that are not the drug (co-analgesics, opioid antagonists)."""
    extended_release: bool
    notes: list[str]
    """How the name was read, where that is not plain (a brand read as its components)."""


def read_drug(
    kb: KnowledgeBase, text: str, low: str, *, drug: str | None, allowed: tuple[str, ...]
) -> tuple[NamedDrug, str]:
    """The drug the sig names (or ``drug``, when the sig names none) and the text after the name.

    The name is found by :func:`split_off_name`; a combination brand (Suboxone) is read as its
    components, with a note. Rejects a drug missing from the knowledge base or of a
    class not in ``allowed`` (:class:`UnknownDrugError`), two drugs, a sig naming another drug than
    ``drug``, and a sig with no drug at all (:class:`InvalidValueError`).

    Examples
    --------
    >>> from allostasis.knowledge import load_knowledge_base
    >>> named, rest = read_drug(load_knowledge_base(), "", "oxycodone hcl er po 20 mg q12h",
    ...                         drug=None, allowed=("opioid",))
    >>> named.drug, named.extended_release, rest
    ('oxycodone', True, 'po 20 mg q12h')
    """
    names, extended, rest = split_off_name(low)
    notes: list[str] = []
    brand = COMBINATION_BRANDS.get(names)
    if brand is not None:
        notes.append(f"{names} read as {brand}")
        names = brand
    named: str | None = None
    components: list[str] = []
    co_names: list[str] = []
    if names:
        named, components, co_names = identify_drug(kb, text, names, allowed)
    if drug is not None:
        given = kb[drug]
        if given.drug_class not in allowed:
            raise UnknownDrugError(f"drug: {_not_allowed(given.name, given.drug_class, allowed)}")
        if named is not None and named != given.name:
            raise refusal(text, f"names {named} but drug={drug!r} was given; give one drug")
        if named is None:
            components = [given.name, *components]
            named = given.name
    if named is None:
        raise refusal(
            text,
            "drug: missing; start the sig with the opioid (e.g. 'oxycodone 5 mg 1 tab PO q6h') "
            "or pass drug=...",
        )
    return NamedDrug(named, components, co_names, extended, notes), rest


def split_off_name(low: str) -> tuple[str, bool, str]:
    """(the drug name, whether it says extended release, the text after it) from a sig.

    The name is the words before the first number, less verbs (take, apply), form words
    (tablets, oral solution), release words (ER, XL; these set the flag) and route words, which are
    put back at the start of the returned text so that the route is read with the rest. Rejects
    nothing: an empty name is for :func:`read_drug` to judge.

    Examples
    --------
    >>> split_off_name("take oxycodone hcl er po 20 mg q12h")
    ('oxycodone hcl', True, 'po 20 mg q12h')
    """
    m = re.match(r"^([^\d½]*)", low)
    head = m.group(1) if m else ""
    rest = low[len(head) :]
    extended = bool(re.search(_RELEASE, head))
    names = re.sub(_RELEASE, " ", head)
    names = re.sub(_VERBS, " ", names)
    names = re.sub(_FORM_WORDS, " ", names)
    route_in_head = re.findall(ROUTE_PATTERN, names)
    names = re.sub(ROUTE_PATTERN, " ", names)
    names = " ".join(names.split()).strip(" /-+:")
    return names, extended, " ".join(route_in_head) + " " + rest


def identify_drug(
    kb: KnowledgeBase, text: str, names: str, allowed: tuple[str, ...] = ("opioid",)
) -> tuple[str | None, list[str], list[str]]:
    """(main drug name, component order, co-ingredient names) from the name part of the sig.

    Components are split at ``/``, ``+``, "with", "and" and a hyphen before a letter; each is looked
    up with and without its salt. Co-analgesics and opioid antagonists become co-ingredients.
    Rejects an unknown name (:class:`UnknownDrugError`, saying where the known drugs are listed), a
    drug of a class not in ``allowed`` (:class:`UnknownDrugError`, naming its class) and two drugs
    of allowed classes (:class:`InvalidValueError`: each is its own order).

    Examples
    --------
    >>> from allostasis.knowledge import load_knowledge_base
    >>> identify_drug(load_knowledge_base(), "", "hydrocodone bitartrate/apap")
    ('hydrocodone', ['hydrocodone', 'acetaminophen'], ['acetaminophen'])
    """
    components = _split_names(names)
    main: str | None = None
    order: list[str] = []
    co: list[str] = []
    for comp in components:
        bare = " ".join(re.sub(_SALTS, " ", comp).split())
        if bare in CO_INGREDIENTS:
            co.append(CO_INGREDIENTS[bare])
            order.append(CO_INGREDIENTS[bare])
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
        if main is not None:
            what = "opioids" if allowed == ("opioid",) else "drugs"
            raise refusal(
                text,
                f"names two {what} ({main}, {drug.name}); write each {what[:-1]} as its own order",
            )
        main = drug.name
        order.append(drug.name)
    return main, order, co


def _split_names(names: str) -> list[str]:
    """The components of a combination name (``"hydrocodone/apap"`` -> both names)."""
    parts = re.split(r"\s*(?:/|\+|\bwith\b|\band\b)\s*|\s*-\s*(?=[a-z])", names)
    return [p.strip() for p in parts if p.strip()]


def _not_allowed(name: str, drug_class: str, allowed: tuple[str, ...]) -> str:
    """Why a drug of another class is refused (worded for the MME calculator by default)."""
    if allowed == ("opioid",):
        return f"{name} is a {drug_class}, not an opioid; the MME calculator takes opioid orders"
    return f"{name} is a {drug_class}; orders read here are of class {', '.join(allowed)}"
