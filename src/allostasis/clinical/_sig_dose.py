"""The dose per administration: units per dose, the dose form, and the amount they give.

Units per dose are written once (``1 tab``, ``1-2 tabs``, ``½ tab``, ``5 mL``, ``1 patch``). The
dose form comes from them, from the quantity (``120 tablets / 30 days``) or from the strength (mcg/h
is a patch); the pieces must agree: a patch takes a strength in mcg/h, a volume in mL takes a
concentration in mg/mL. The dose per administration is strength x units,

.. math:: d = s \\cdot u

(``dose_unit`` mcg/h for a patch, else mg), or a bare dose range written without a strength
(``5-10 mg``; dose form ``"dose"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from allostasis.clinical._order import DoseForm
from allostasis.clinical._sig_pieces import SigPieces
from allostasis.clinical._sig_strength import Strength
from allostasis.clinical._sig_supply import Supply
from allostasis.clinical._sig_text import refusal
from allostasis.clinical._sig_vocabulary import dose_form_of, read_count

__all__ = ["Dose", "UnitsPerDose", "read_units_per_dose", "settle_dose"]


@dataclass(frozen=True)
class UnitsPerDose:
    """How many units one administration is (1 and 1 when the sig does not say)."""

    form: DoseForm | None
    """The form the units are in; ``None`` when no units per dose are written."""
    low: float
    high: float


@dataclass(frozen=True)
class Dose:
    """One administration: its dose form and amount (mg, or mcg/h for a patch)."""

    form: DoseForm
    unit: Literal["mg", "mcg/h"]
    low: float
    high: float


def read_units_per_dose(text: str, pieces: SigPieces) -> UnitsPerDose:
    """The units per dose as written (``"1-2 tabs"`` -> tablets, 1 to 2).

    Rejects (:class:`InvalidValueError`) units per dose written twice, and a count <= 0 or a range
    whose low end exceeds its high end.

    Examples
    --------
    >>> from allostasis.clinical._sig_pieces import find_pieces
    >>> read_units_per_dose("", find_pieces(" one or two caps q6h"))
    UnitsPerDose(form='capsule', low=1.0, high=2.0)
    """
    units = pieces.of("units")
    if len(units) > 1:
        raise refusal(
            text,
            "gives the units per dose more than once ("
            + ", ".join(repr(pieces.words(p)) for p in units)
            + "); give them once, e.g. '1-2 tabs'",
        )
    if not units:
        return UnitsPerDose(None, 1.0, 1.0)
    a, b, form_word = units[0].groups
    low = read_count(a)
    high = read_count(b) if b is not None else low
    if low <= 0 or high < low:
        raise refusal(
            text,
            f"units per dose must be > 0 and low <= high; got {pieces.words(units[0])!r}",
        )
    return UnitsPerDose(dose_form_of(form_word), low, high)


def settle_dose(
    text: str, drug: str, strength: Strength, units: UnitsPerDose, supply: Supply | None
) -> Dose:
    """The dose form and the dose per administration, once strength, units and supply agree.

    Rejects (:class:`InvalidValueError`): a strength in mcg/h with units other than patches, a
    patch with a strength not in mcg/h, a volume in mL without a concentration, a concentration
    without a volume per dose in mL, a dose range together with units per dose, a missing strength
    (naming ``drug`` in the example to write), and a quantity/days' supply for a bare dose range.

    Examples
    --------
    >>> patch = Strength(25.0, "mcg/h", {}, None)
    >>> settle_dose("", "fentanyl", patch, UnitsPerDose(None, 1.0, 1.0), None)
    Dose(form='patch', unit='mcg/h', low=25.0, high=25.0)
    """
    form = _form_matching_strength(
        text, strength, units.form or (supply.form if supply is not None else None)
    )
    if strength.dose_range is not None:
        if form is not None:
            raise refusal(
                text,
                "gives a dose range in mg and units per dose; give the strength per unit and the "
                "units (e.g. '5 mg 1-2 tabs') or the dose range alone",
            )
        form = "dose"
        low, high = strength.dose_range
    elif strength.value is None:
        raise refusal(
            text,
            f"strength: missing; the sig gives no strength per unit for {drug}. Write it, "
            f"e.g. '{drug} 5 mg 1 tab PO q6h' (mcg/h for patches, mg/mL for liquids), or pass "
            "strength='5 mg'",
        )
    else:
        if strength.unit == "mg/mL" and form is None:
            raise refusal(text, "a liquid needs the volume per dose, e.g. '5 mL'")
        if form is None:
            form = "dose"
        low, high = strength.value * units.low, strength.value * units.high
    if form == "dose" and supply is not None:
        raise refusal(text, "cannot apply a quantity to a dose range; give the strength per unit")
    return Dose(form, "mcg/h" if form == "patch" else "mg", low, high)


def _form_matching_strength(
    text: str, strength: Strength, form: DoseForm | None
) -> DoseForm | None:
    """The dose form, made ``"patch"`` by a strength in mcg/h, once form and strength unit agree.

    Rejects (:class:`InvalidValueError`) a rate in mcg/h for anything but a patch, a patch strength
    not in mcg/h, a volume in mL with a strength that is not a concentration, and a concentration
    with units other than mL.
    """
    if strength.unit == "mcg/h":
        if form not in (None, "patch"):
            raise refusal(text, f"a strength in mcg/h is a patch; got units of {form}")
        form = "patch"
    if form == "patch" and strength.unit not in (None, "mcg/h"):
        raise refusal(
            text,
            f"a patch strength is a delivery rate in mcg/h; got {strength.value:g} {strength.unit}",
        )
    if form == "mL" and strength.unit not in (None, "mg/mL"):
        raise refusal(
            text,
            "a dose in mL needs a concentration (e.g. '2 mg/mL' or '10 mg/5 mL'); "
            f"got a strength of {strength.value:g} {strength.unit}",
        )
    if strength.unit == "mg/mL" and form not in (None, "mL"):
        raise refusal(text, f"a concentration in mg/mL needs a volume per dose in mL; got {form}s")
    return form
