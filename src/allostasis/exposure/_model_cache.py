"""Remember the PK models built from the knowledge base; hand out a fresh copy each time.

Building a drug's typical-value model (:func:`allostasis.exposure.pk_model`) converts a dozen
knowledge-base quantities with pint and, for two-compartment drugs given orally, solves for the
absorption rate; a breathing simulation builds the same few models several times per call. The
model depends only on the :class:`~allostasis.knowledge.Drug` record, the route, the body weight
and whether metabolites are included, so it is remembered under exactly those, the drug **by
identity**: another knowledge base (or a drug record built by hand) is another object and is never
served a model built from a different record. Drug records are frozen pydantic models.

Callers get a new model object each time, its pint quantities copied, so changing a model (its
``params``) never reaches the cache or another caller.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from functools import lru_cache
from typing import Final

from allostasis.exposure._linear_model import LinearCompartmentModel
from allostasis.knowledge import Drug

__all__ = ["MODEL_CACHE_SIZE", "remembered_model"]

#: Models kept (least recently used dropped): every drug x route x metabolites of the knowledge
#: base fits, about 130.
MODEL_CACHE_SIZE: Final[int] = 256


class _ByIdentity:
    """A drug record as a cache key that matches only the very same object."""

    __slots__ = ("drug",)

    def __init__(self, drug: Drug) -> None:
        self.drug = drug

    def __hash__(self) -> int:
        return id(self.drug)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _ByIdentity) and other.drug is self.drug


Builder = Callable[[Drug, str, float, bool], LinearCompartmentModel]


@lru_cache(maxsize=MODEL_CACHE_SIZE)
def _built(
    key: _ByIdentity, route: str, weight_kg: float, metabolites: bool, build: Builder
) -> LinearCompartmentModel:
    return build(key.drug, route, weight_kg, metabolites)


def remembered_model(
    drug: Drug, route: str, weight_kg: float, metabolites: bool, build: Builder
) -> LinearCompartmentModel:
    """``build(drug, route, weight_kg, metabolites)``, computed once per drug object, as a copy.

    Errors raised by ``build`` are not remembered (raised again on every call).

    Examples
    --------
    >>> from allostasis.exposure import pk_model
    >>> a, b = pk_model("diazepam"), pk_model("diazepam")
    >>> a is b, a.params["cl"] is b.params["cl"], a.typical() == b.typical()
    (False, False, True)
    """
    model = _built(_ByIdentity(drug), route, weight_kg, metabolites, build)
    return type(model)(**{k: copy.copy(v) for k, v in model.get_params().items()})
