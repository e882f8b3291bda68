"""Cut the sig after the drug name into its pieces: strength, units, frequency, route, PRN, supply.

Each kind of piece has one pattern. The patterns are tried one kind at a time in a fixed order
(longest, most specific first: ``120 tablets / 30 days`` before ``120 tablets``); a stretch of text
claimed by one piece cannot be claimed by another. What no pattern claims is the leftover, read
last for the PRN reason (:mod:`allostasis.clinical._sig_as_needed`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from allostasis.clinical._sig_text import refusal
from allostasis.clinical._sig_vocabulary import (
    COUNT,
    DOSE_FORM_PATTERN,
    NAMED_FREQUENCIES,
    NUMBER,
    ROUTE_PATTERN,
)

__all__ = ["PIECE_PATTERNS", "SigPiece", "SigPieces", "find_pieces", "refuse_unknown_units"]

#: Pattern of each kind of piece (its groups are the piece's values).
PIECE_PATTERNS: dict[str, str] = {
    # quantity and days' supply: "120 tablets / 30 days"
    "supply": rf"({NUMBER})\s*{DOSE_FORM_PATTERN}\s*(?:/|per|for|over|x)\s*({NUMBER})\s*(?:days?|d)\b",
    # written daily maximum: "max 6 tabs/day", "not to exceed 40 mg per 24 hours"
    "max": (
        rf"\b(?:max(?:imum)?|not to exceed|nte|no more than)\s*:?\s*({NUMBER})\s*"
        rf"({DOSE_FORM_PATTERN[1:-1]}|mg)?\s*(?:/|per|a|in)\s*(?:day|24\s*h(?:ours?|rs?)?)\b"
    ),
    # intervals: "q4-6h", "q6h", "every 3 days", "q1 week"
    "every_range": rf"\b(?:q|every)\s*({NUMBER})\s*(?:-|to)\s*({NUMBER})\s*(?:h|hrs?|hours?)\b",
    "every_h": rf"\b(?:q|every)\s*({NUMBER})\s*(?:h|hrs?|hours?)\b",
    "every_d": rf"\b(?:q|every)\s*({NUMBER})\s*(?:d|days?)\b",
    "every_w": rf"\b(?:q|every)\s*({NUMBER})\s*(?:wks?|weeks?)\b",
    # named frequencies: "BID", "daily", "at bedtime" (one kind per row of NAMED_FREQUENCIES)
    **{f"fixed{i}": pattern for i, (pattern, _, _) in enumerate(NAMED_FREQUENCIES)},
    # strength per unit: "5 mg", "5/325 mg", "25 mcg/h", "10 mg/5 mL"
    "strength": (
        rf"({NUMBER}(?:\s*/\s*{NUMBER})+|{NUMBER})\s*(mg|mcg|ug|µg|g|micrograms?|milligrams?)\b"
        rf"(?:\s*/\s*(?:({NUMBER})\s*)?(h|hr|hour|ml)\b)?"
    ),
    # a dose range per administration: "5-10 mg"
    "amount_range": rf"({NUMBER})\s*(?:-|to)\s*({NUMBER})\s*(mg|mcg)\b",
    # units per dose: "1 tab", "1-2 tabs", "one or two capsules", "5 mL"
    "units": rf"(?<![\w/])({COUNT})(?:\s*(?:-|to|or)\s*({COUNT}))?\s*{DOSE_FORM_PATTERN}\b",
    "prn": r"\bprn\b|\bp\.r\.n\.|\bas needed\b|\bif needed\b",
    "route": ROUTE_PATTERN,
    # any other number with a unit: refused (see refuse_unknown_units)
    "unknown_amount": rf"(?<![\w/])({NUMBER})\s*([a-zµ]+)\b",
}

#: The order in which kinds claim text: supply before units, ranges before single values.
FINDING_ORDER: list[str] = [
    "supply",
    "max",
    "amount_range",
    "strength",
    "every_range",
    "every_h",
    "every_d",
    "every_w",
    *(f"fixed{i}" for i in range(len(NAMED_FREQUENCIES))),
    "units",
    "prn",
    "route",
    "unknown_amount",
]


@dataclass
class SigPiece:
    """One piece of a sig: its kind, where it is in the text, and its pattern's groups."""

    kind: str
    start: int
    end: int
    groups: tuple[Any, ...]


@dataclass(frozen=True)
class SigPieces:
    """All the pieces found in the text after the drug name, and what is left over."""

    written: str
    """The text the pieces were found in (lower case, after the drug name)."""
    found: list[SigPiece]
    """In the order they were found: by kind in :data:`FINDING_ORDER`, then by position."""
    leftover: str
    """The text with every claimed stretch blanked out."""

    def of(self, kind: str) -> list[SigPiece]:
        """The pieces of one kind, in order of position."""
        return [p for p in self.found if p.kind == kind]

    def words(self, piece: SigPiece) -> str:
        """The text of one piece as written, e.g. ``'1-2 tabs'``."""
        return self.written[piece.start : piece.end].strip()


def find_pieces(rest: str) -> SigPieces:
    """Find every known piece of the sig (after the drug name), most specific kinds first.

    Accepts any text; what no pattern claims is kept in ``leftover`` for the last check. Rejects
    nothing itself: a piece with an unknown unit is found as ``unknown_amount`` and refused by
    :func:`refuse_unknown_units`.

    Examples
    --------
    >>> pieces = find_pieces(" 5 mg 1-2 tabs po q4-6h prn pain")
    >>> [(p.kind, pieces.words(p)) for p in pieces.found]
    [('strength', '5 mg'), ('every_range', 'q4-6h'), ('units', '1-2 tabs'), ('prn', 'prn'), \
('route', 'po')]
    >>> pieces.leftover.split()
    ['pain']
    """
    found: list[SigPiece] = []
    taken = [False] * len(rest)
    for kind in FINDING_ORDER:
        for m in re.finditer(PIECE_PATTERNS[kind], rest):
            if any(taken[m.start() : m.end()]):
                continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            found.append(SigPiece(kind, m.start(), m.end(), m.groups()))
    leftover = "".join(" " if t else c for c, t in zip(rest, taken, strict=True))
    return SigPieces(written=rest, found=found, leftover=leftover)


def refuse_unknown_units(text: str, pieces: SigPieces) -> None:
    """Refuse any amount whose unit the parser does not know (``"2 puffs"``, ``"5 units"``).

    A dose in an unknown unit cannot be converted to mg, so it is never guessed at: the error lists
    every such amount and the units that are read.
    """
    unknown = pieces.of("unknown_amount")
    if unknown:
        bad = [f"{g[0]} {g[1]}" for g in (p.groups for p in unknown)]
        raise refusal(
            text,
            f"unknown unit in {', '.join(repr(b) for b in bad)}; write the strength in mg or mcg "
            "(mcg/h for patches, mg/mL for liquids) and the units per dose as tab, cap, patch or mL",
        )
