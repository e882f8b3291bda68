"""The sig as text: one spacing and one case to read it in, and instructions that are not an order.

A sig is read from a lower-case copy with dashes, micro signs and separators (``#``, ``,``, ``;``)
made uniform; errors quote the sig as written (whitespace collapsed), so the prescriber sees their
own words. Three kinds of text are refused before anything else is read, because no reading of the
rest could make them safe: "as directed" (no dose or frequency), a minus sign before a number, and
a multi-step sig ("then", "followed by").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from allostasis.errors import InvalidValueError

__all__ = ["SigText", "read_sig_text", "refusal"]

_AS_DIRECTED = r"\b(?:as directed|as instructed|ud|u\.d\.|as per instructions)\b"
_MINUS_BEFORE_NUMBER = r"(?:^|[^\d\s.])\s*-\s*\d"
_SECOND_STEP = r"\bthen\b|\bfollowed by\b"


@dataclass(frozen=True)
class SigText:
    """A sig ready to read."""

    text: str
    """The sig as written, runs of whitespace made one space (quoted in every error)."""
    low: str
    """Lower case; en/em dashes made ``-``, ``μ`` made ``µ``, ``#``, ``,`` and ``;`` made spaces."""


def refusal(text: str, what: str) -> InvalidValueError:
    """The error for a sig that cannot be read safely: the sig quoted, then what is wrong.

    Examples
    --------
    >>> refusal("oxycodone 5 mg", "frequency: missing")
    InvalidValueError("sig 'oxycodone 5 mg': frequency: missing")
    """
    return InvalidValueError(f"sig {text!r}: {what}")


def read_sig_text(sig: object) -> SigText:
    """Normalise a sig for reading, refusing text that is not a single readable order.

    Accepts any non-empty string. Rejects, with an :class:`InvalidValueError` naming the fix:

    - a non-string or blank sig (there is no order to read);
    - "as directed" / "as instructed" / "ud" (no dose or frequency is written);
    - a minus sign before a number (doses, strengths and counts must be > 0; a range such as
      ``1-2`` is not a minus sign);
    - "then" / "followed by" (a second instruction: each step is its own order).

    Examples
    --------
    >>> read_sig_text("Oxycodone  5 mg, 1 tab PO q6h")
    SigText(text='Oxycodone 5 mg, 1 tab PO q6h', low='oxycodone 5 mg  1 tab po q6h')
    >>> read_sig_text("oxycodone 5 mg daily then BID")
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: sig 'oxycodone 5 mg daily then BID': 'then' starts ...
    """
    if not isinstance(sig, str) or not sig.strip():
        raise InvalidValueError(f"sig: expected the text of an order; got {sig!r}")
    text = " ".join(sig.split())
    low = text.lower().replace("–", "-").replace("—", "-").replace("μ", "µ")
    low = low.replace("#", " ").replace(",", " ").replace(";", " ")
    if re.search(_AS_DIRECTED, low):
        raise refusal(
            text,
            "'as directed' gives no dose or frequency; write them, e.g. '1 tab PO q6h PRN pain'",
        )
    if re.search(_MINUS_BEFORE_NUMBER, low):
        raise refusal(
            text,
            "a minus sign before a number: doses, strengths and counts must be > 0; write the "
            "order without it",
        )
    if re.search(_SECOND_STEP, low):
        raise refusal(
            text,
            "'then' starts a second instruction; give each step (dose and interval) as its own order",
        )
    return SigText(text=text, low=low)
