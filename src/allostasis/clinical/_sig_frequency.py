"""How often an order is taken, read as administrations per day.

A frequency is an interval (``q6h``, ``q4-6h``, ``every 3 days``, ``q1 week``) or a named frequency
(``BID``, ``TID``, ``daily``, ``at bedtime``; :data:`NAMED_FREQUENCIES`).

An interval of :math:`\\tau` hours gives :math:`24 / \\tau` administrations per day; a range
``q{a}-{b}h`` gives :math:`24/b` to :math:`24/a` (the maximum daily dose uses the shortest interval).
Every frequency written must agree; with none written, a quantity and days' supply stand in for it
(:mod:`allostasis.clinical._sig_supply`).
"""

from __future__ import annotations

from dataclasses import dataclass

from allostasis.clinical._order import PATCH_WEAR_H, DoseForm
from allostasis.clinical._sig_pieces import SigPieces
from allostasis.clinical._sig_text import refusal
from allostasis.clinical._sig_vocabulary import NAMED_FREQUENCIES

__all__ = ["INTERVAL_HOURS", "Frequency", "read_frequency", "written_frequencies"]

#: Hours per interval unit, by the kind of interval piece (``q6h``, ``q3d``, ``q1w``).
INTERVAL_HOURS = {"every_h": 1.0, "every_d": 24.0, "every_w": 168.0}


@dataclass(frozen=True)
class Frequency:
    """How often the order is taken; all ``None`` when only quantity/days' supply is given."""

    label: str | None
    """As the order reports it: ``"q6h"``, ``"q4-6h"``, ``"BID"``, ``"daily"`` ..."""
    per_day_min: float | None
    per_day_max: float | None
    notes: list[str]


def written_frequencies(text: str, pieces: SigPieces) -> list[tuple[float, float, str]]:
    """Every frequency the sig writes, as (least per day, most per day, label), in finding order.

    Rejects (:class:`InvalidValueError`) an interval <= 0 and an interval range whose low end is
    <= 0 or above its high end.

    Examples
    --------
    >>> from allostasis.clinical._sig_pieces import find_pieces
    >>> written_frequencies("", find_pieces(" q4-6h every 3 days tid"))
    [(4.0, 6.0, 'q4-6h'), (0.3333333333333333, 0.3333333333333333, 'q72h'), (3.0, 3.0, 'TID')]
    """
    found: list[tuple[float, float, str]] = []
    for piece in pieces.found:
        if piece.kind == "every_range":
            a_h, b_h = float(piece.groups[0]), float(piece.groups[1])
            if a_h <= 0 or b_h < a_h:
                raise refusal(
                    text, f"interval range must be > 0 and low <= high; got q{a_h:g}-{b_h:g}h"
                )
            found.append((24.0 / b_h, 24.0 / a_h, f"q{a_h:g}-{b_h:g}h"))
        elif piece.kind in INTERVAL_HOURS:
            n = float(piece.groups[0])
            if n <= 0:
                raise refusal(text, "the dosing interval must be > 0")
            hours = n * INTERVAL_HOURS[piece.kind]
            found.append((24.0 / hours, 24.0 / hours, f"q{hours:g}h"))
        elif piece.kind.startswith("fixed"):
            _, per_day, label = NAMED_FREQUENCIES[int(piece.kind[5:])]
            found.append((per_day, per_day, label))
    return found


def read_frequency(text: str, pieces: SigPieces, *, has_supply: bool, form: DoseForm) -> Frequency:
    """The one frequency the sig writes, or none when quantity and days' supply stand in for it.

    Rejects (:class:`InvalidValueError`) frequencies that disagree (``q6h`` and ``BID``; the same
    rate written twice is allowed) and a sig with neither a frequency nor a quantity and days'
    supply. A patch read from its supply alone is noted as worn :data:`PATCH_WEAR_H` hours.

    Examples
    --------
    >>> from allostasis.clinical._sig_pieces import find_pieces
    >>> read_frequency("", find_pieces(" 1 tab q6h prn"), has_supply=False, form="tablet")
    Frequency(label='q6h', per_day_min=4.0, per_day_max=4.0, notes=[])
    """
    found = written_frequencies(text, pieces)
    distinct = {(round(a, 9), round(b, 9)) for a, b, _ in found}
    if len(distinct) > 1:
        raise refusal(
            text,
            f"gives contradictory frequencies ({', '.join(f[2] for f in found)}); give one, "
            "e.g. 'q6h' or 'q4-6h PRN'",
        )
    if found:
        per_day_min, per_day_max, label = found[0]
        return Frequency(label, per_day_min, per_day_max, [])
    if not has_supply:
        raise refusal(
            text,
            "frequency: missing; write how often, e.g. 'q6h', 'q4-6h PRN', 'BID', 'daily', "
            "'q72h' for patches, or give quantity and days' supply ('120 tablets / 30 days')",
        )
    if form == "patch":
        note = f"patch interval from quantity/days' supply; each patch worn {PATCH_WEAR_H:g} h"
        return Frequency(None, None, None, [note])
    return Frequency(None, None, None, [])
