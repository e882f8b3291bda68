"""Request fields: quantities as text (``"0.5 mg"``, ``"2 weeks"``), checked on arrival.

A field annotated ``Annotated[str, Quantity("mg", ...)]`` is parsed with
:func:`allostasis.units.magnitude` while the request is validated, so a missing unit, a wrong
dimension or a negative dose answers 422 with the field's location (``["body", "dose"]``) and the
library's message before any model runs. The text itself is passed on unchanged: the library
converts it again at its own boundary (one parser, one set of rules).

>>> from typing import Annotated
>>> from pydantic import BaseModel
>>> class R(BaseModel):
...     dose: Annotated[str, Quantity("mg", positive=True, example="2 mg")]
>>> R(dose="2 mg").dose
'2 mg'
>>> R(dose="2 h")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for R
dose
  Value error, dose: expected a quantity in mg ...
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from allostasis.errors import UnitError
from allostasis.units import magnitude

__all__ = ["NOT_A_PRESCRIPTION", "ApiRequest", "DrugName", "MedicationText", "Quantity"]

#: Appended to every endpoint's description.
NOT_A_PRESCRIPTION = (
    "\n\nEducation and decision support, not a prescription: model output and published rules, "
    "each with its basis, to be checked by a clinician."
)


class ApiRequest(BaseModel):
    """Base of every request body: unknown fields are refused (422), never silently ignored."""

    model_config = ConfigDict(extra="forbid")


DrugName = Annotated[
    str,
    Field(
        min_length=1,
        max_length=80,
        description="Drug name or synonym in the knowledge base (GET /api/drugs lists them).",
        examples=["alprazolam"],
    ),
]

MedicationText = Annotated[
    str,
    Field(
        min_length=1,
        max_length=200,
        description="One order as free text, as on a prescription (e.g. 'alprazolam 1 mg TID').",
        examples=["alprazolam 1 mg TID"],
    ),
]


@dataclass(frozen=True)
class Quantity:
    """Field metadata: text holding a quantity in ``unit`` (or one of ``alternatives``).

    ``positive`` requires > 0 and ``minimum``/``maximum`` bound the value, in the unit it matched.
    """

    unit: str
    alternatives: tuple[str, ...] = ()
    positive: bool = False
    minimum: float | None = None
    maximum: float | None = None
    example: str = ""
    description: str = field(default="")

    def check(self, value: str, info: core_schema.ValidationInfo) -> str:
        """Parse ``value``; raise the library's error (a ValueError, so pydantic reports it)."""
        name = info.field_name or "value"
        first: UnitError | None = None
        for u in (self.unit, *self.alternatives):
            try:
                v = magnitude(
                    value, field=name, unit=u, strictly_positive=self.positive, minimum=self.minimum
                )
            except UnitError as exc:  # wrong dimension for this unit: try the next one
                first = first or exc
                continue
            if self.maximum is not None and v > self.maximum:
                raise ValueError(f"{name}: must be <= {self.maximum:g} {u}; got {value}")
            return value
        assert first is not None
        raise first

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.with_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        out = handler(schema)
        allowed = " or ".join((self.unit, *self.alternatives))
        text = self.description or f"A quantity in {allowed}"
        out["description"] = f"{text}, written as text (e.g. {self.example!r})."
        if self.example:
            out["examples"] = [self.example]
        return out
