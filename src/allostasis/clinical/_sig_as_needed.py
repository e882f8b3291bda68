"""PRN ("as needed") and its reason, and the rule that every other word must have been read.

After the pieces are found, the words left over must be filler ("take", "by mouth", "every" ...),
or come after PRN, where they are the reason (``PRN severe pain``). Any other leftover word is
something the parser did not understand, so the order is refused rather than read without it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from allostasis.clinical._sig_pieces import SigPieces
from allostasis.clinical._sig_text import refusal
from allostasis.clinical._sig_vocabulary import FILLER

__all__ = ["AsNeeded", "read_as_needed"]


@dataclass(frozen=True)
class AsNeeded:
    """Whether the order is PRN, and why."""

    prn: bool
    reason: str | None
    """The words after PRN, less filler (``"severe pain"``); ``None`` if there are none."""


def read_as_needed(text: str, pieces: SigPieces) -> AsNeeded:
    """PRN and its reason from the leftover words, refusing any word the parser did not read.

    Rejects (:class:`InvalidValueError`) a leftover word before PRN (or anywhere, without PRN) that
    is not filler, quoting the word and the order to write instead.

    Examples
    --------
    >>> from allostasis.clinical._sig_pieces import find_pieces
    >>> read_as_needed("", find_pieces(" 1 tab q6h as needed for severe pain"))
    AsNeeded(prn=True, reason='severe pain')
    """
    prn_pieces = pieces.of("prn")
    prn_pos = min((p.start for p in prn_pieces), default=None)
    reason_words: list[str] = []
    for w in re.finditer(r"[a-zµ][a-zµ.\-]*", pieces.leftover):
        word = w.group(0).strip(".-")
        if prn_pos is not None and w.start() > prn_pos:
            if word not in FILLER:
                reason_words.append(word)
            continue
        if word and word not in FILLER:
            raise refusal(
                text,
                f"cannot read {word!r}; write the order as drug, strength, units per dose, route, "
                "frequency and PRN (e.g. 'oxycodone 5 mg 1 tab PO q6h PRN pain')",
            )
    return AsNeeded(bool(prn_pieces), " ".join(reason_words) or None)
