"""Response models read off the library's result dataclasses, so each field is defined once.

The library returns some results as frozen dataclasses (:class:`allostasis.clinical.SSRICourse`,
:class:`~allostasis.clinical.TransporterEngagement`, :class:`~allostasis.clinical.AnxiolyticSelection`)
whose ``to_dict()`` is the wire form. :func:`response_model_of` builds the pydantic response model
from the dataclass's fields -- same names, same order, same types, all required (``to_dict()``
always gives every field) -- under the name the OpenAPI schema has always used. A field whose wire
form differs from the attribute (a DataFrame sent as daily lists) is replaced in place.

>>> from dataclasses import dataclass
>>> @dataclass(frozen=True)
... class Occupancy:
...     drug: str
...     sert: float | None = None
>>> M = response_model_of(Occupancy, "OccupancyOut")
>>> list(M.model_json_schema()["properties"]), M.model_json_schema()["required"]
(['drug', 'sert'], ['drug', 'sert'])
>>> M(drug="escitalopram", sert=0.8)
OccupancyOut(drug='escitalopram', sert=0.8)
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, create_model

__all__ = ["response_model_of"]


def response_model_of(
    result: type[Any],
    name: str,
    *,
    replace: Mapping[str, tuple[str, Any]] | None = None,
    module: str | None = None,
) -> type[BaseModel]:
    """A pydantic model named ``name`` with the fields of the dataclass ``result``, all required.

    Parameters
    ----------
    result : dataclass type
        The library's result class; its resolved type hints give the field types.
    name : str
        The model's (and the OpenAPI component's) name.
    replace : mapping, optional
        Attribute name -> (wire name, wire type) for a field ``to_dict()`` sends differently; it
        keeps the attribute's position.
    module : str, optional
        ``__module__`` of the model (the API module that serves it).

    Raises
    ------
    TypeError
        ``result`` is not a dataclass, or ``replace`` names a field it does not have.
    """
    if not dataclasses.is_dataclass(result):
        raise TypeError(f"result: {result!r} is not a dataclass")
    replace = dict(replace or {})
    hints = typing.get_type_hints(result)
    names = [f.name for f in dataclasses.fields(result)]
    unknown = sorted(set(replace) - set(names))
    if unknown:
        raise TypeError(f"replace: {', '.join(unknown)} not fields of {result.__name__}")
    fields: dict[str, Any] = {}
    for attr in names:
        wire, tp = replace.get(attr, (attr, hints[attr]))
        fields[wire] = (tp, ...)
    return create_model(name, __module__=module or __name__, **fields)
