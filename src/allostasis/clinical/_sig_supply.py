"""Quantity and days' supply (``120 tablets / 30 days``), and their check against the frequency.

With no frequency written, the supply gives the units per day, :math:`Q / T`. With both written,
the units the supply allows per day must lie between what the frequency schedules and the most it
allows:

.. math:: u_{low} \\cdot n_{min} \\le \\frac{Q}{T} \\le \\min(u_{high} \\cdot n_{max}, M)

with units per dose :math:`u`, administrations per day :math:`n` and written daily maximum
:math:`M`; the lower bound is not applied to PRN orders, which may be taken less often.
"""

from __future__ import annotations

from dataclasses import dataclass

from allostasis.clinical._order import DoseForm, Order
from allostasis.clinical._sig_pieces import SigPieces
from allostasis.clinical._sig_text import refusal
from allostasis.clinical._sig_vocabulary import dose_form_of

__all__ = ["Supply", "check_supply", "read_supply"]


@dataclass(frozen=True)
class Supply:
    """A quantity dispensed and the days it is to last."""

    quantity: float
    days: float
    form: DoseForm
    """The form the quantity is counted in (tablets, patches, mL ...)."""


def read_supply(text: str, pieces: SigPieces, units_form: DoseForm | None) -> Supply | None:
    """The quantity and days' supply, if written; ``None`` if not.

    Rejects (:class:`InvalidValueError`) a supply written twice, a quantity or days' supply <= 0,
    and a quantity in another form than the units per dose (``units_form``).

    Examples
    --------
    >>> from allostasis.clinical._sig_pieces import find_pieces
    >>> read_supply("", find_pieces(" 5 mg 120 tablets / 30 days"), None)
    Supply(quantity=120.0, days=30.0, form='tablet')
    """
    supply = pieces.of("supply")
    if len(supply) > 1:
        raise refusal(text, "gives quantity/days' supply more than once")
    if not supply:
        return None
    q, form_word, d = supply[0].groups
    quantity, days = float(q), float(d)
    form = dose_form_of(form_word)
    if quantity <= 0 or days <= 0:
        raise refusal(text, f"quantity and days' supply must be > 0; got {quantity:g} / {days:g}")
    if units_form is not None and form != units_form:
        raise refusal(
            text, f"doses are in {units_form}s but the quantity is in {form}s; use one unit"
        )
    return Supply(quantity, days, form)


def check_supply(order: Order) -> None:
    """Refuse a quantity/days' supply that contradicts the written frequency.

    Accepts an order without a supply or without a frequency (nothing to compare). Rejects
    (:class:`InvalidValueError`) a supply of more units per day than the frequency allows at most,
    and, for a scheduled (not PRN) order, fewer than it schedules at least; the message gives both
    numbers per day.
    """
    if order.quantity is None or order.days_supply is None or order.per_day_max is None:
        return
    supplied = order.quantity / order.days_supply
    most = order.max_units_per_day
    least = order.units_per_dose_low * (order.per_day_min or order.per_day_max)
    if supplied > most * (1 + 1e-9):
        raise refusal(
            order.text,
            f"quantity/days' supply ({order.quantity:g} / {order.days_supply:g} days = "
            f"{supplied:.3g} per day) exceeds the most the frequency allows ({most:.3g} per day); "
            "correct the quantity, the days' supply or the frequency",
        )
    if not order.prn and supplied < least * (1 - 1e-9):
        raise refusal(
            order.text,
            f"quantity/days' supply ({supplied:.3g} per day) is less than the scheduled "
            f"{least:.3g} per day; correct the quantity, the days' supply or the frequency",
        )
