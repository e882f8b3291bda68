"""Quantities at the boundary: one pint registry, parsing and dimension checks.

Every public function that takes a dose, concentration, rate or duration accepts a pint
``Quantity`` or a string such as ``"0.5 mg"``, ``"25 mcg/h"`` or ``"2 weeks"``, and converts it once
to the canonical unit of the module that uses it. Bare numbers are refused: a dosing tool that
guesses the unit is dangerous.

Canonical internal units (documented here, used everywhere inside):

==============  ==========
quantity        unit
==============  ==========
time            h
amount (dose)   mg
volume          L
clearance       L/h
rate constant   1/h
concentration   mg/L
infusion rate   mg/h
==============  ==========
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Final, TypeAlias, cast

import numpy as np
import pint

from allostasis.errors import InvalidValueError, UnitError

__all__ = [
    "CANONICAL",
    "Q_",
    "QuantityLike",
    "as_quantity",
    "dose_per_weight",
    "magnitude",
    "ureg",
]

ureg: Final[pint.UnitRegistry[Any]] = pint.UnitRegistry()
ureg.define("mcg = microgram")
ureg.define("fraction = [] = frac")
Q_ = ureg.Quantity

#: A pint quantity with any magnitude type.
Quantity: TypeAlias = "pint.Quantity[Any]"
#: A value that can cross the public boundary as a quantity.
QuantityLike: TypeAlias = "str | pint.Quantity[Any]"

#: Canonical unit per dimension name used in messages and conversions.
CANONICAL: Final[dict[str, str]] = {
    "time": "h",
    "amount": "mg",
    "volume": "L",
    "clearance": "L/h",
    "rate_constant": "1/h",
    "concentration": "mg/L",
    "infusion_rate": "mg/h",
    "weight": "kg",
    "molar_mass": "g/mol",
    "fraction": "dimensionless",
}


def as_quantity(value: Any, *, field: str, unit: str) -> Quantity:
    """Parse ``value`` as a quantity with the same dimension as ``unit``.

    Parameters
    ----------
    value : str or pint.Quantity
        For example ``"0.5 mg"``, ``"25 mcg/h"``, ``"2 weeks"``.
    field : str
        Name of the argument, used in the error message.
    unit : str
        A unit of the expected dimension, e.g. ``"mg"``; the result keeps the caller's unit.

    Raises
    ------
    UnitError
        If ``value`` is a bare number, cannot be parsed, or has another dimension.

    Examples
    --------
    >>> as_quantity("0.5 mg", field="dose", unit="mg")
    <Quantity(0.5, 'milligram')>
    >>> as_quantity("5 kg", field="dose", unit="mg")
    Traceback (most recent call last):
    ...
    allostasis.errors.UnitError: dose: 5 kg is in kilogram, a body-weight unit; a drug amount is given in g, mg, mcg or ng
    """
    expected = _unit(unit)
    if isinstance(value, pint.Quantity):
        q = Q_(value.magnitude, str(value.units))
    elif isinstance(value, str):
        text = value.strip()
        if not text:
            raise UnitError(f"{field}: expected a quantity in {unit}; got an empty string")
        _check_quantity_text(text, value=value, field=field, unit=unit)
        try:
            q = Q_(text)
        except Exception as exc:  # pint's tokenizer/evaluator raises many types on malformed text
            raise UnitError(
                f"{field}: cannot read {value!r} as a quantity; write a number and a unit, "
                f"e.g. '1 {unit}' ({exc.__class__.__name__})"
            ) from None
        if not isinstance(q, pint.Quantity):
            q = Q_(float(q), "dimensionless")
        if _LEADING_NUMBER.fullmatch(text) and not expected.dimensionless:
            raise UnitError(
                f"{field}: a bare number ({value!r}) has no unit; give a quantity such as '{text} {unit}'"
            )
    elif isinstance(value, (int, float, np.number)) and not isinstance(value, bool):
        raise UnitError(
            f"{field}: a bare number ({value!r}) has no unit; give a quantity such as '{value} {unit}'"
        )
    else:
        raise UnitError(
            f"{field}: expected a quantity in {unit} (string or pint.Quantity); "
            f"got {type(value).__name__} {value!r}"
        )
    if q.dimensionality != expected.dimensionality:
        raise UnitError(
            f"{field}: expected a quantity in {unit} (dimension {expected.dimensionality}); "
            f"got {value!s} (dimension {q.dimensionality})"
        )
    _refuse_body_mass_units(q, value=value, field=field, unit=unit)
    mag = np.asarray(q.magnitude, dtype=float)
    if not np.all(np.isfinite(mag)):
        raise InvalidValueError(f"{field}: must be a finite number of {unit}; got {value!s}")
    return q


_MASS = ureg.Unit("g").dimensionality


def _unit_powers(units: Any) -> list[tuple[str, float]]:
    """(unit name, exponent) pairs of a unit, e.g. mg/kg -> [("milligram", 1), ("kilogram", -1)]."""
    items = units.unit_items() if isinstance(units, pint.Quantity) else units._units.items()
    return [(str(name), float(cast(float, power))) for name, power in items]


def _grams(unit_name: str) -> float:
    """How many grams one ``unit_name`` is."""
    return float(np.asarray(Q_(1.0, unit_name).to("g").magnitude, dtype=float))


#: A quantity written as text starts with a number (``"0.5 mg"``, ``"8h"``, ``"nan mg"``).
_LEADING_NUMBER = re.compile(
    r"[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|nan|inf(?:inity)?)(?![\d.])", re.IGNORECASE
)


def _check_quantity_text(text: str, *, value: str, field: str, unit: str) -> None:
    """Refuse text that pint would misread or choke on before it reaches pint's evaluator.

    ``"1,5 mg"`` would otherwise read as 15 mg (a tenfold error), ``"mg"`` as 1 mg, ``"1..5 mg"`` as
    0.5 mg, and stacked powers (``"1 mg ** 2 ** 3 ** 99"``) can exhaust memory.
    """
    if "," in text:
        raise UnitError(
            f"{field}: cannot read {value!r} as a quantity; use a decimal point and no thousands "
            f"separators, e.g. '1.5 {unit}'"
        )
    if not text.isprintable():
        raise UnitError(
            f"{field}: cannot read {value!r} as a quantity; it contains control characters"
        )
    if _LEADING_NUMBER.match(text) is None:
        raise UnitError(
            f"{field}: cannot read {value!r} as a quantity; write a number and a unit, e.g. '1 {unit}'"
        )
    if len(re.findall(r"\*\*|\^", text)) > 1:
        raise UnitError(f"{field}: cannot read {value!r} as a quantity; too many powers")


@lru_cache(maxsize=256)
def _unit(text: str) -> pint.Unit:
    """``ureg.Unit(text)``, parsed once per text (a pint Unit is immutable; errors are not cached)."""
    return ureg.Unit(text)


@lru_cache(maxsize=256)
def _is_mass_of_at_most_a_gram(name: str) -> bool:
    return bool(ureg.Unit(name).dimensionality == _MASS and _grams(name) <= 1)


@lru_cache(maxsize=256)
def _is_body_mass(name: str) -> bool:
    return bool(ureg.Unit(name).dimensionality == _MASS and _grams(name) > 1)


def _refuse_body_mass_units(q: Quantity, *, value: Any, field: str, unit: str) -> None:
    """Refuse kg, lb, ... where a drug amount is expected: "5 kg" is a mass, but never a dose."""
    expects_drug_mass = any(
        power > 0 and _is_mass_of_at_most_a_gram(name) for name, power in _unit_powers(_unit(unit))
    )
    if not expects_drug_mass:
        return
    for name, power in _unit_powers(q):
        if power > 0 and _is_body_mass(name):
            raise UnitError(
                f"{field}: {value!s} is in {name}, a body-weight unit; "
                "a drug amount is given in g, mg, mcg or ng"
            )


def magnitude(
    value: Any,
    *,
    field: str,
    unit: str,
    minimum: float | None = None,
    strictly_positive: bool = False,
) -> float:
    """Parse ``value`` and return its magnitude in ``unit`` as a float, checking the range.

    Examples
    --------
    >>> magnitude("2 weeks", field="duration", unit="h")
    336.0
    >>> magnitude("-1 mg", field="dose", unit="mg", minimum=0.0)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: dose: must be >= 0 mg; got -1 milligram
    """
    if isinstance(value, str):
        return _text_magnitude(value, field, unit, minimum, strictly_positive)
    return _checked_magnitude(value, field, unit, minimum, strictly_positive)


@lru_cache(maxsize=1024)
def _text_magnitude(
    text: str, field: str, unit: str, minimum: float | None, strictly_positive: bool
) -> float:
    """:func:`magnitude` of a string, computed once per arguments (a float; errors not cached)."""
    return _checked_magnitude(text, field, unit, minimum, strictly_positive)


def _checked_magnitude(
    value: Any, field: str, unit: str, minimum: float | None, strictly_positive: bool
) -> float:
    q = as_quantity(value, field=field, unit=unit)
    out = float(np.asarray(q.to(unit).magnitude, dtype=float))  # a plain float from here on
    if strictly_positive and not out > 0:
        raise InvalidValueError(f"{field}: must be > 0 {unit}; got {q}")
    if minimum is not None and out < minimum:
        raise InvalidValueError(f"{field}: must be >= {minimum:g} {unit}; got {q}")
    return out


def dose_per_weight(dose: Any, weight: Any, *, field: str = "dose") -> Quantity:
    """Turn a weight-based dose such as ``"10 mg/kg"`` into an absolute dose for ``weight``.

    An absolute dose passes through unchanged, so callers can accept either form.

    Examples
    --------
    >>> dose_per_weight("0.1 mg/kg", "70 kg")
    <Quantity(7.0, 'milligram')>
    >>> dose_per_weight("2 mg", "70 kg")
    <Quantity(2, 'milligram')>
    """
    q = None
    if isinstance(dose, str) and dose.strip():
        _check_quantity_text(dose.strip(), value=dose, field=field, unit="mg")
    if isinstance(dose, (str, pint.Quantity)):
        try:
            parsed = Q_(dose) if isinstance(dose, str) else dose
        except Exception:  # as_quantity below reports unreadable text
            parsed = None
        # mg/kg is dimensionless to pint, so recognise it by a mass unit in the denominator
        if isinstance(parsed, pint.Quantity) and any(
            power < 0 and ureg.Unit(name).dimensionality == ureg.Unit("kg").dimensionality
            for name, power in _unit_powers(parsed)
        ):
            q = parsed
    if q is None:
        return as_quantity(dose, field=field, unit="mg")
    w = as_quantity(weight, field="weight", unit="kg")
    if not float(np.asarray(w.to("kg").magnitude, dtype=float)) > 0:
        raise InvalidValueError(f"weight: must be > 0 kg; got {w}")
    absolute: Quantity = (q * w).to("mg")
    return absolute
