"""A written daily maximum (``max 6 tabs/day``, ``not to exceed 40 mg per 24 hours``).

The maximum caps the units per day of a PRN order (:attr:`Order.max_units_per_day`). Written in
units, it is taken as is; written in mg, it is converted to units with the dose per unit,
:math:`M_{units} = M_{mg} / (d_{high} / u_{high})`.
"""

from __future__ import annotations

from allostasis.clinical._sig_dose import Dose, UnitsPerDose
from allostasis.clinical._sig_pieces import SigPieces
from allostasis.clinical._sig_text import refusal

__all__ = ["read_daily_maximum"]


def read_daily_maximum(
    text: str, pieces: SigPieces, dose: Dose, units: UnitsPerDose
) -> float | None:
    """Most units per day the sig allows in writing; ``None`` if it writes no maximum.

    Rejects (:class:`InvalidValueError`) a maximum in mg for a patch (its dose is a rate) and a
    maximum <= 0. With several maxima written, the last is kept.

    Examples
    --------
    >>> from allostasis.clinical._sig_pieces import find_pieces
    >>> tabs = UnitsPerDose("tablet", 1.0, 2.0)
    >>> read_daily_maximum("", find_pieces(" max 40 mg/day"), Dose("tablet", "mg", 5.0, 10.0), tabs)
    8.0
    """
    most: float | None = None
    for piece in pieces.of("max"):
        n, unit_word = float(piece.groups[0]), piece.groups[1]
        if unit_word == "mg":
            if dose.form == "patch":
                raise refusal(text, "a daily maximum in mg does not apply to a patch")
            per_unit_mg = dose.high / units.high
            most = n / per_unit_mg
        else:
            most = n
        if most <= 0:
            raise refusal(text, "the daily maximum must be > 0")
    return most
