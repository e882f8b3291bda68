"""Read the strength per unit: mg per tablet, mcg/h per patch, mg/mL of a liquid, or a bare dose.

A strength is written once, with one value per component of a combination (``5/325 mg`` for
hydrocodone/acetaminophen); the co-analgesic parts are kept in mg. Masses in g, mcg and µg are
converted to mg; a patch strength is a delivery rate in mcg/h; a liquid's is a concentration
(``10 mg/5 mL`` = 2 mg/mL). A dose range per administration (``5-10 mg``) stands instead of a
strength. The caller may give the strength separately (``strength="5 mg"``); given both ways, the
two must agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from allostasis.clinical._sig_drug import NamedDrug
from allostasis.clinical._sig_pieces import SigPieces
from allostasis.clinical._sig_text import refusal
from allostasis.errors import UnitError
from allostasis.units import as_quantity

__all__ = ["Strength", "read_strength", "read_strength_argument"]

_TO_MG = {"mg": 1.0, "milligram": 1.0, "milligrams": 1.0, "g": 1000.0}  # any other mass unit: mcg


@dataclass(frozen=True)
class Strength:
    """The strength per unit of the order's drug, or the dose range written instead of one."""

    value: float | None
    """Strength per unit in ``unit``; ``None`` when the order gives a bare dose or nothing."""
    unit: str | None
    """``"mg"`` (per tablet, capsule ...), ``"mcg/h"`` (per patch) or ``"mg/mL"`` (liquid)."""
    co_ingredients: dict[str, float]
    """Strength of each co-ingredient per unit (mg), e.g. ``{"acetaminophen": 325.0}``."""
    dose_range: tuple[float, float] | None
    """A dose per administration (mg, low and high) written without a strength (``5-10 mg``)."""


def read_strength(text: str, pieces: SigPieces, named: NamedDrug, given: Any) -> Strength:
    """The strength per unit from the sig, from ``given`` (the caller's ``strength=``), or both.

    Rejects (:class:`InvalidValueError`): two strengths in the sig; a combination strength whose
    parts do not match the named components, or one strength for a combination; a rate per several
    hours (``mcg/3h``); a strength <= 0; a sig strength that differs from ``given``; a dose range
    together with a strength, or with low > high or low <= 0. ``given`` without a unit raises
    :class:`UnitError`.

    Examples
    --------
    >>> from allostasis.clinical._sig_pieces import find_pieces
    >>> combo = NamedDrug("hydrocodone", ["hydrocodone", "acetaminophen"], ["acetaminophen"],
    ...                   False, [])
    >>> read_strength("", find_pieces(" 5/325 mg 1 tab q6h"), combo, None)
    Strength(value=5.0, unit='mg', co_ingredients={'acetaminophen': 325.0}, dose_range=None)
    """
    value, unit, co_ingredients = _written_strength(text, pieces, named)
    if value is not None and not value > 0:
        raise refusal(text, f"the strength must be > 0; got {value:g} {unit}")
    if given is not None:
        given_value, given_unit = read_strength_argument(given)
        if value is not None and (given_unit != unit or abs(given_value - value) > 1e-9):
            raise refusal(
                text,
                f"the sig gives {value:g} {unit} but strength={given!s} was passed; give the "
                "strength once",
            )
        value, unit = given_value, given_unit
    dose_range: tuple[float, float] | None = None
    for piece in pieces.of("amount_range"):
        lo, hi, mass_unit = piece.groups
        scale = 1.0 if mass_unit == "mg" else 1e-3
        if dose_range is not None or value is not None:
            raise refusal(text, "gives a dose range and a strength; give one of them")
        dose_range = (float(lo) * scale, float(hi) * scale)
        if not 0 < dose_range[0] <= dose_range[1]:
            raise refusal(
                text, f"a dose range must be > 0 and low <= high; got {lo}-{hi} {mass_unit}"
            )
    return Strength(value, unit, co_ingredients, dose_range)


def _written_strength(
    text: str, pieces: SigPieces, named: NamedDrug
) -> tuple[float | None, str | None, dict[str, float]]:
    """(strength of the drug, its unit, co-ingredient strengths in mg) as the sig writes them."""
    strengths = pieces.of("strength")
    if len(strengths) > 1:
        raise refusal(
            text,
            "gives more than one strength ("
            + ", ".join(repr(pieces.words(p)) for p in strengths)
            + "); give the strength per unit once and the units per dose, e.g. '5 mg 2 tabs'",
        )
    if not strengths:
        return None, None, {}
    values, mass_unit, per_n, per_unit = strengths[0].groups
    parts = [float(v) for v in re.split(r"\s*/\s*", values)]
    to_mg = _TO_MG.get(mass_unit, 1e-3)
    drug_part, co_ingredients = _share_among_components(text, f"{values} {mass_unit}", parts, named)
    co_ingredients = {name: v * to_mg for name, v in co_ingredients.items()}
    if per_unit in ("h", "hr", "hour"):
        if per_n is not None:
            raise refusal(text, "cannot read a rate per several hours; write mcg/h")
        return drug_part * to_mg * 1000.0, "mcg/h", co_ingredients
    if per_unit == "ml":
        volume = float(per_n) if per_n is not None else 1.0
        return drug_part * to_mg / volume, "mg/mL", co_ingredients
    return drug_part * to_mg, "mg", co_ingredients


def _share_among_components(
    text: str, written: str, parts: list[float], named: NamedDrug
) -> tuple[float, dict[str, float]]:
    """(the drug's part, each co-ingredient's part) of a strength, in the unit written.

    Rejects (:class:`InvalidValueError`) a combination strength (``5/325``) whose number of parts
    differs from the components named, and a single strength for a combination product.
    """
    components = named.components
    if len(parts) == 1:
        if named.co_ingredients:
            raise refusal(
                text,
                f"gives one strength for a combination ({', '.join(components)}); write one "
                "strength per component, e.g. '5/325 mg'",
            )
        return parts[0], {}
    if len(parts) != len(components):
        raise refusal(
            text,
            f"strength {written} has {len(parts)} parts but the drug name has "
            f"{len(components)} component(s) ({', '.join(components) or 'none'}); write "
            "each component, e.g. 'hydrocodone/acetaminophen 5/325 mg'",
        )
    co = {name: v for name, v in zip(components, parts, strict=True) if name != named.drug}
    return parts[components.index(named.drug)], co


def read_strength_argument(strength: Any) -> tuple[float, str]:
    """A separately given strength as (value, unit) with unit mg, mcg/h or mg/mL.

    Accepts a pint quantity or a string in any unit convertible to one of the three. Rejects a bare
    number or unreadable text (the :class:`UnitError` from :func:`allostasis.units.as_quantity`)
    and a quantity of any other dimension (:class:`UnitError` listing the three).

    Examples
    --------
    >>> read_strength_argument("25 mcg/h"), read_strength_argument("2 mg/mL")
    ((25.0, 'mcg/h'), (2.0, 'mg/mL'))
    """
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
