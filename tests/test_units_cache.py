"""magnitude() remembers what a string means; the cache must never change an answer or an error.

``units._text_magnitude`` is keyed on the text, the field, the unit and the range arguments, and
returns a float (immutable); errors are raised afresh on every call. The body-mass check reads
cached unit facts (``_is_body_mass``). These tests pin that each argument is part of the key.
"""

from __future__ import annotations

import pytest

from allostasis.errors import InvalidValueError, UnitError
from allostasis.units import as_quantity, magnitude


def test_same_text_other_unit_or_range_is_not_served_from_the_cache() -> None:
    assert magnitude("2 weeks", field="d", unit="h") == 336.0
    assert magnitude("2 weeks", field="d", unit="day") == 14.0
    assert magnitude("0 mg", field="dose", unit="mg", minimum=0.0) == 0.0
    with pytest.raises(InvalidValueError, match="dose: must be > 0 mg; got 0 milligram"):
        magnitude("0 mg", field="dose", unit="mg", strictly_positive=True)
    with pytest.raises(InvalidValueError, match="other: must be > 0 mg"):
        magnitude("0 mg", field="other", unit="mg", strictly_positive=True)


def test_errors_are_raised_every_time_with_the_same_message() -> None:
    messages = []
    for _ in range(3):
        with pytest.raises(UnitError) as caught:
            magnitude("5 kg", field="dose", unit="mg")
        messages.append(str(caught.value))
    assert len(set(messages)) == 1
    assert "body-weight unit" in messages[0]


def test_body_mass_check_still_applies_to_quantities_and_new_texts() -> None:
    assert magnitude("250 mcg", field="dose", unit="mg") == pytest.approx(0.25, rel=1e-15)
    assert magnitude("1 g", field="dose", unit="mg") == 1000.0
    with pytest.raises(UnitError, match="pound, a body-weight unit"):
        as_quantity("1 lb", field="dose", unit="mg")
    assert magnitude("70 kg", field="weight", unit="kg") == 70.0  # kg is right for a weight


def test_cached_float_is_a_plain_float() -> None:
    a = magnitude("10 mg", field="dose", unit="mg")
    b = magnitude("10 mg", field="dose", unit="mg")
    assert type(a) is float
    assert a == b == 10.0


def test_knowledge_base_conversions_are_keyed_on_value_unit_and_target() -> None:
    from allostasis.knowledge import Measured

    m = Measured(value=2.0, unit="g", source="test")
    assert m.to("mg") == 2000.0
    assert m.to("g") == 2.0
    assert m.model_copy(update={"value": 3.0}).to("mg") == 3000.0
    assert Measured(value=2.0, unit="mg", source="test").to("mg") == 2.0
    assert Measured(low=1.0, high=4.0, unit="g", source="test").to("mg") == 2000.0  # geometric mean
    for _ in range(2):
        with pytest.raises(Exception, match="Cannot convert"):
            m.to("h")
