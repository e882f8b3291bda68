"""The words a sig is written in: counts, dose forms, routes, named frequencies and filler.

These tables are the parser's whole lexicon; every pattern that finds a piece of a sig
(:mod:`allostasis.clinical._sig_pieces`) is built from them. Abbreviations follow common US
prescribing usage (PO, SL, TD; BID, TID, QID, QHS); "nocte" and "at night" count as once daily.
"""

from __future__ import annotations

import re

from allostasis.clinical._order import DoseForm

__all__ = [
    "COUNT",
    "DOSE_FORMS",
    "DOSE_FORM_PATTERN",
    "FILLER",
    "NAMED_FREQUENCIES",
    "NUMBER",
    "ROUTES",
    "ROUTE_PATTERN",
    "dose_form_of",
    "read_count",
]

#: A decimal number as written in a sig ("5", "0.5").
NUMBER = r"\d+(?:\.\d+)?"
_COUNT_WORDS = {"one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "half": 0.5, "½": 0.5}
#: A count of units: a number, a fraction ("1/2") or a word ("one", "half", "½").
COUNT = rf"(?:{NUMBER}|\d+/\d+|one|two|three|four|half|½)"

#: Dose-form words (singular, lower case) and the form they name.
DOSE_FORMS: dict[str, DoseForm] = {
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
#: A dose-form word, singular or plural, as one group.
DOSE_FORM_PATTERN = r"(tabs?|tablets?|caps?|capsules?|patch(?:es)?|ml|films?|sprays?|lozenges?)"

#: Route words and the route they name.
ROUTES = {
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
#: A route word standing alone (not inside another word), longest alternatives first.
ROUTE_PATTERN = (
    r"(?<![\w.])(by mouth|p\.o\.|"
    + "|".join(
        sorted(
            (re.escape(k) for k in ROUTES if k not in ("by mouth", "p.o.")), key=len, reverse=True
        )
    )
    + r")(?![\w])"
)

#: Frequencies written as a name rather than an interval: (pattern, administrations per day, label).
#: The order matters: the first pattern that matches a stretch of the sig claims it.
NAMED_FREQUENCIES: list[tuple[str, float, str]] = [
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

#: Words a sig may contain that carry no information once the pieces are read.
FILLER = {
    "take", "give", "apply", "use", "by", "for", "of", "and", "the", "a", "an", "up", "to", "sig",
    "mouth", "each", "dose", "doses", "times", "x", "tablet", "tablets", "tab", "tabs", "capsule",
    "capsules", "patch", "patches", "one", "every", "at", "on", "skin", "change", "replace",
}  # fmt: skip


def read_count(word: str) -> float:
    """The number of units a count word gives: ``"2"`` -> 2, ``"1/2"``, ``"half"`` or ``"½"`` -> 0.5.

    Accepts what :data:`COUNT` matches; anything else raises ``ValueError`` from ``float``.

    Examples
    --------
    >>> read_count("two"), read_count("1/2"), read_count("1.5")
    (2.0, 0.5, 1.5)
    """
    t = word.strip().lower()
    if t in _COUNT_WORDS:
        return _COUNT_WORDS[t]
    if "/" in t:
        a, b = t.split("/")
        return float(a) / float(b)
    return float(t)


def dose_form_of(word: str) -> DoseForm:
    """The dose form a form word names, plural or singular (``"tabs"`` -> ``"tablet"``).

    Accepts what :data:`DOSE_FORM_PATTERN` matches; anything else raises ``KeyError``.

    Examples
    --------
    >>> dose_form_of("tabs"), dose_form_of("patches"), dose_form_of("capsules"), dose_form_of("ml")
    ('tablet', 'patch', 'capsule', 'mL')
    """
    if word in DOSE_FORMS:
        return DOSE_FORMS[word]
    # "patches" drops "es"; "capsules" and "lozenges" only their "s"
    for plural in ("es", "s"):
        if word.endswith(plural) and word[: -len(plural)] in DOSE_FORMS:
            return DOSE_FORMS[word[: -len(plural)]]
    raise KeyError(word)
