"""Property-based fuzzing of the whole REST API from its own OpenAPI description: no 5xx.

Schemathesis (4.x) reads ``/openapi.json`` from the ASGI app and generates requests for every
operation, the schema's examples first, then valid and invalid bodies. Whatever arrives, the answer
must be 2xx or 4xx (bad input is 422 with field-level detail), never a server error. Examples are
bounded so the run stays well under a minute; ``predict`` (the taper model, about 0.3 s a call) is forced
off and ``withdraw`` runs only its documented example plus a few generated cases.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from hypothesis import HealthCheck, settings

from allostasis.interfaces.server import create_app

schema = schemathesis.openapi.from_asgi("/openapi.json", create_app())
# The coverage phase enumerates every boundary case of every field (ignoring max_examples) and took
# ~75 s here; the schema's examples and the hypothesis fuzzing phase stay within the time budget.
schema.config.phases.update(phases=["examples", "fuzzing"])

#: Examples per operation (after the schema's own examples).
MAX_EXAMPLES = 25


@schema.include(path_regex="^/api/").parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_api_never_answers_5xx(case: Any) -> None:
    if isinstance(case.body, dict) and case.body.get("predict"):
        case.body["predict"] = False
    response = case.call()
    assert response.status_code < 500, (
        f"{case.method} {case.path} -> {response.status_code}: {response.text[:500]}\n"
        f"body: {case.body!r}\nquery: {case.query!r}\npath: {case.path_parameters!r}"
    )
