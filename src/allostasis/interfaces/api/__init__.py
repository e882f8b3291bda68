"""REST API (``/api/...``): an endpoint for every CLI capability, typed with the library's models.

Each concept has its own router (``_knowledge``, ``_taper``, ...); this package joins them under
``/api``. Requests are pydantic models (quantities as text, checked on arrival: bad input answers
422 naming the field); responses are the library's own result models where it has them, and every
result carries its ``basis``. Lookups are GET, computations POST. The OpenAPI description is served
at ``/openapi.json`` and browsable at ``/docs``. Education and decision support, not a prescription.

>>> from fastapi import FastAPI
>>> app = FastAPI()
>>> app.include_router(router)
>>> sorted(app.openapi()["paths"])[:3]
['/api/breathe', '/api/combine/bliss', '/api/combine/hsa']
"""

from fastapi import APIRouter

from allostasis.interfaces.api import (
    _combination,
    _equivalence,
    _exposure,
    _knowledge,
    _mme,
    _monoamine,
    _receptor,
    _respiration,
    _risk,
    _taper,
    _withdrawal,
)
from allostasis.interfaces.api._wire import FiniteJSONResponse

__all__ = ["router"]

router = APIRouter(prefix="/api", default_response_class=FiniteJSONResponse)
for _module in (
    _knowledge,
    _exposure,
    _receptor,
    _combination,
    _withdrawal,
    _monoamine,
    _respiration,
    _equivalence,
    _taper,
    _mme,
    _risk,
):
    router.include_router(_module.router)
