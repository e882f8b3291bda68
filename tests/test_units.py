"""Quantities at the public boundary: parsing, dimension checks, range checks, weight-based doses."""

from __future__ import annotations

import numpy as np
import pint
import pytest

from allostasis.errors import AllostasisError, InvalidValueError, UnitError
from allostasis.units import CANONICAL, Q_, as_quantity, dose_per_weight, magnitude, ureg


# --------------------------------------------------------------------------- accepted input
@pytest.mark.parametrize(
    ("text", "unit", "expected"),
    [
        ("0.5 mg", "mg", 0.5),
        ("500 mcg", "mg", 0.5),
        ("500 ug", "mg", 0.5),
        ("0.0005 g", "mg", 0.5),
        ("25 mcg/h", "mg/h", 0.025),
        ("2 weeks", "h", 336.0),
        ("30 min", "h", 0.5),
        ("8h", "h", 8.0),
        (" 12 h ", "h", 12.0),
        ("1 1/h", "1/h", 1.0),
        ("26.6 mL/min", "L/h", 1.596),
        ("10 ng/mL", "mg/L", 0.01),
        (".5 mg", "mg", 0.5),
        ("1e3 mcg", "mg", 1.0),
    ],
)
def test_magnitude_converts_to_the_requested_unit(text: str, unit: str, expected: float) -> None:
    assert magnitude(text, field="x", unit=unit) == pytest.approx(expected, rel=1e-12)


def test_as_quantity_keeps_the_callers_unit() -> None:
    q = as_quantity("25 mcg/h", field="rate", unit="mg/h")
    assert isinstance(q, pint.Quantity)
    assert q.magnitude == 25
    assert q.units == ureg.Unit("mcg/h")
    assert q.to("mg/h").magnitude == pytest.approx(0.025)


def test_as_quantity_accepts_a_pint_quantity_from_any_registry_form() -> None:
    q = as_quantity(Q_(2, "weeks"), field="duration", unit="h")
    assert q.to("h").magnitude == pytest.approx(336)
    arr = as_quantity(Q_(np.array([1.0, 2.0]), "day"), field="times", unit="h")
    np.testing.assert_allclose(arr.to("h").magnitude, [24.0, 48.0])


def test_dimensionless_fields_take_bare_strings_and_percent() -> None:
    assert as_quantity("0.9", field="f", unit="dimensionless").to("").magnitude == pytest.approx(
        0.9
    )
    assert as_quantity("90 %", field="f", unit="dimensionless").to("").magnitude == pytest.approx(
        0.9
    )


def test_magnitude_range_checks_pass_at_the_boundary() -> None:
    assert magnitude("0 mg", field="dose", unit="mg", minimum=0.0) == 0.0
    assert magnitude("1 mcg", field="dose", unit="mg", strictly_positive=True) == pytest.approx(
        1e-3
    )


def test_canonical_units_are_consistent_with_the_registry() -> None:
    for name, unit in CANONICAL.items():
        assert ureg.Unit(unit) is not None, name
    assert (
        ureg.Unit(CANONICAL["clearance"]).dimensionality
        == (ureg.Unit(CANONICAL["volume"]) / ureg.Unit(CANONICAL["time"])).dimensionality
    )
    assert (
        ureg.Unit(CANONICAL["concentration"]).dimensionality
        == (ureg.Unit(CANONICAL["amount"]) / ureg.Unit(CANONICAL["volume"])).dimensionality
    )


# --------------------------------------------------------------------------- dose_per_weight
@pytest.mark.parametrize(
    ("dose", "weight", "mg"),
    [
        ("10 mg/kg", "70 kg", 700.0),
        ("0.1 mg/kg", "70 kg", 7.0),
        ("25 mcg/kg", "80 kg", 2.0),
        ("1 mg/kg", "154 lb", 69.853),
        ("10 mg/kg", "70000 g", 700.0),
        ("2 mg", "70 kg", 2.0),  # an absolute dose passes through
        ("500 mcg", "70 kg", 0.5),
    ],
)
def test_dose_per_weight(dose: str, weight: str, mg: float) -> None:
    q = dose_per_weight(dose, weight)
    assert q.to("mg").magnitude == pytest.approx(mg, rel=1e-4)


def test_dose_per_weight_accepts_quantities() -> None:
    q = dose_per_weight(Q_(0.1, "mg/kg"), Q_(50, "kg"))
    assert q.to("mg").magnitude == pytest.approx(5.0)


@pytest.mark.parametrize(
    ("dose", "weight", "error", "message"),
    [
        ("10 mg/kg", "70", UnitError, r"^weight: a bare number \('70'\) has no unit; give a quantity such as '70 kg'$"),
        ("10 mg/kg", "70 L", UnitError, r"^weight: expected a quantity in kg \(dimension \[mass\]\); got 70 L"),
        ("10 mg/kg", "0 kg", InvalidValueError, r"^weight: must be > 0 kg; got 0 kilogram$"),
        ("10 mg/kg", "-70 kg", InvalidValueError, r"^weight: must be > 0 kg; got -70 kilogram$"),
        ("5 kg", "70 kg", UnitError, r"^dose: 5 kg is in kilogram, a body-weight unit"),
        ("1,5 mg/kg", "70 kg", UnitError, r"^dose: cannot read '1,5 mg/kg' as a quantity; use a decimal point"),
        ("10", "70 kg", UnitError, r"^dose: a bare number \('10'\) has no unit; give a quantity such as '10 mg'$"),
        (10, "70 kg", UnitError, r"^dose: a bare number \(10\) has no unit"),
    ],
)  # fmt: skip
def test_dose_per_weight_rejections(
    dose: object, weight: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message) as err:
        dose_per_weight(dose, weight)
    assert isinstance(err.value, AllostasisError)
    assert isinstance(err.value, ValueError)


# --------------------------------------------------------------------------- rejections
REJECTIONS = [
    # bare numbers: name the field, suggest the unit
    (5, "mg", UnitError, r"^dose: a bare number \(5\) has no unit; give a quantity such as '5 mg'$"),
    (0.5, "mg", UnitError, r"^dose: a bare number \(0\.5\) has no unit; give a quantity such as '0\.5 mg'$"),
    (np.float64(2.0), "h", UnitError, r"^dose: a bare number \(.*2\.0.*\) has no unit; give a quantity such as '2\.0 h'$"),
    ("5", "mg", UnitError, r"^dose: a bare number \('5'\) has no unit; give a quantity such as '5 mg'$"),
    (" 0.25 ", "mg", UnitError, r"^dose: a bare number \(' 0\.25 '\) has no unit; give a quantity such as '0\.25 mg'$"),
    # wrong dimension
    ("25 mcg/h", "mg", UnitError, r"^dose: expected a quantity in mg \(dimension \[mass\]\); got 25 mcg/h \(dimension \[mass\] / \[time\]\)$"),
    ("8 kg", "h", UnitError, r"^dose: expected a quantity in h \(dimension \[time\]\); got 8 kg \(dimension \[mass\]\)$"),
    ("10 mg/kg", "mg", UnitError, r"^dose: expected a quantity in mg .*got 10 mg/kg \(dimension dimensionless\)$"),
    ("0.5 mg", "mg/h", UnitError, r"^dose: expected a quantity in mg/h .*got 0\.5 mg \(dimension \[mass\]\)$"),
    # body-weight units are never drug amounts
    ("5 kg", "mg", UnitError, r"^dose: 5 kg is in kilogram, a body-weight unit; a drug amount is given in g, mg, mcg or ng$"),
    ("2 lb", "mg", UnitError, r"^dose: 2 lb is in pound, a body-weight unit"),
    ("5 kg/h", "mg/h", UnitError, r"^dose: 5 kg/h is in kilogram, a body-weight unit"),
    # unparseable text
    ("five mg", "mg", UnitError, r"^dose: cannot read 'five mg' as a quantity; write a number and a unit, e\.g\. '1 mg'"),
    ("abc", "mg", UnitError, r"^dose: cannot read 'abc' as a quantity; write a number and a unit"),
    ("mg", "mg", UnitError, r"^dose: cannot read 'mg' as a quantity; write a number and a unit"),
    ("0.5 mg)", "mg", UnitError, r"^dose: cannot read '0\.5 mg\)' as a quantity"),
    ("1 mg +", "mg", UnitError, r"^dose: cannot read '1 mg \+' as a quantity"),
    ("1/0 mg", "mg", UnitError, r"^dose: cannot read '1/0 mg' as a quantity"),
    ("1..5 mg", "mg", UnitError, r"^dose: cannot read '1\.\.5 mg' as a quantity"),
    ("1,5 mg", "mg", UnitError, r"^dose: cannot read '1,5 mg' as a quantity; use a decimal point and no thousands separators, e\.g\. '1\.5 mg'$"),
    ("1 mg\n2", "mg", UnitError, r"^dose: cannot read '1 mg\\n2' as a quantity; it contains control characters$"),
    ("1 mg ** 2 ** 2", "mg", UnitError, r"^dose: cannot read .* as a quantity; too many powers$"),
    ("__import__('os')", "mg", UnitError, r"^dose: cannot read .* as a quantity"),
    # empty
    ("", "mg", UnitError, r"^dose: expected a quantity in mg; got an empty string$"),
    ("   ", "h", UnitError, r"^dose: expected a quantity in h; got an empty string$"),
    # not a string or quantity
    (None, "mg", UnitError, r"^dose: expected a quantity in mg \(string or pint\.Quantity\); got NoneType None$"),
    (True, "mg", UnitError, r"^dose: expected a quantity in mg \(string or pint\.Quantity\); got bool True$"),
    ([1, "mg"], "mg", UnitError, r"^dose: expected a quantity in mg \(string or pint\.Quantity\); got list"),
    # not finite
    ("nan mg", "mg", InvalidValueError, r"^dose: must be a finite number of mg; got nan mg$"),
    ("inf mg", "mg", InvalidValueError, r"^dose: must be a finite number of mg; got inf mg$"),
    ("-inf h", "h", InvalidValueError, r"^dose: must be a finite number of h; got -inf h$"),
    ("1e400 mg", "mg", InvalidValueError, r"^dose: must be a finite number of mg; got 1e400 mg$"),
    (Q_(float("nan"), "mg"), "mg", InvalidValueError, r"^dose: must be a finite number of mg"),
    (Q_(np.array([1.0, np.inf]), "h"), "h", InvalidValueError, r"^dose: must be a finite number of h"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("value", "unit", "error", "message"), REJECTIONS, ids=[repr(r[0]) for r in REJECTIONS]
)
def test_as_quantity_rejections(
    value: object, unit: str, error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message) as err:
        as_quantity(value, field="dose", unit=unit)
    assert isinstance(err.value, AllostasisError)
    assert isinstance(err.value, ValueError)


def test_magnitude_rejects_values_below_the_minimum() -> None:
    with pytest.raises(
        InvalidValueError, match=r"^dose: must be >= 0 mg; got -1 milligram$"
    ) as err:
        magnitude("-1 mg", field="dose", unit="mg", minimum=0.0)
    assert isinstance(err.value, ValueError)
    with pytest.raises(InvalidValueError, match=r"^start: must be >= 0 h; got -30 minute$"):
        magnitude("-30 min", field="start", unit="h", minimum=0.0)


@pytest.mark.parametrize("text", ["0 mg", "-2 mg", "-0.0 mg"])
def test_magnitude_strictly_positive(text: str) -> None:
    with pytest.raises(InvalidValueError, match=r"^dose: must be > 0 mg; got -?\d") as err:
        magnitude(text, field="dose", unit="mg", strictly_positive=True)
    assert isinstance(err.value, AllostasisError)


def test_magnitude_rejects_the_wrong_dimension_before_the_range() -> None:
    with pytest.raises(UnitError, match=r"^interval: expected a quantity in h"):
        magnitude("-8 kg", field="interval", unit="h", minimum=0.0)


def test_every_error_class_is_both_allostasis_and_builtin() -> None:
    from allostasis import errors

    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, errors.AllostasisError)
        if cls is not errors.AllostasisError:
            assert issubclass(cls, (ValueError, LookupError)), name
