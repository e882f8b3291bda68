"""The CDS Hooks 2.0 endpoints: discovery, the three services, and feedback.

``GET /cds-services`` lists the services; ``POST /cds-services/{id}`` answers a hook call with
cards; ``POST /cds-services/{id}/feedback`` records what the user did with a card (kept in memory
on ``app.state``, last 1000). Answers: 404 for an unknown service, 412 when none of the medication
prefetch templates was satisfied (this service does not call the EHR's FHIR server), 422 for a
request or FHIR data that does not validate - each problem with its location - never 500.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from typing import Any, cast

from fastapi import APIRouter, Depends, HTTPException, Request

from allostasis.interfaces.cds_hooks._card_rules import Hook, hook_cards
from allostasis.interfaces.cds_hooks._fhir_reading import FhirInputError, read_hook_data
from allostasis.interfaces.cds_hooks._hook_objects import (
    CardsResponse,
    Discovery,
    FeedbackRequest,
    HookRequest,
)
from allostasis.interfaces.cds_hooks._services import (
    CDS_SERVICES,
    MEDICATION_PREFETCH_KEYS,
    PATIENT_PREFETCH_KEY,
    service_by_id,
)
from allostasis.knowledge import load_knowledge_base

__all__ = ["TAPER_PAGE_PATH", "router", "today"]

#: Path of the web app's taper planner page; cards link to it with query parameters
#: ``med`` (the regimen as a sig), ``duration``, and optionally ``opioid=true`` and ``age``.
TAPER_PAGE_PATH = "/taper"
_FEEDBACK_KEPT = 1000

router = APIRouter(tags=["cds-hooks"])


def today() -> dt.date:
    """The date durations of use are counted to (a dependency, so tests can fix it)."""
    return dt.date.today()


def _unprocessable(errors: list[dict[str, Any]]) -> HTTPException:
    return HTTPException(status_code=422, detail=errors)


def _context_error(field: str, msg: str) -> HTTPException:
    return _unprocessable([{"loc": ["body", "context", field], "msg": msg, "type": "cds.context"}])


@router.get(
    "/cds-services",
    response_model=Discovery,
    response_model_exclude_none=True,
    summary="CDS Hooks discovery",
)
def discovery() -> Discovery:
    """The CDS services offered (CDS Hooks 2.0). Decision support, not prescribing."""
    return Discovery(services=list(CDS_SERVICES))


@router.post(
    "/cds-services/{service_id}",
    response_model=CardsResponse,
    response_model_exclude_none=True,
    summary="Call a CDS service",
)
def call_service(
    service_id: str,
    body: HookRequest,
    request: Request,
    on: dt.date = Depends(today),  # noqa: B008 - FastAPI dependency
) -> CardsResponse:
    """Answer a hook call with cards. Decision support, not prescribing."""
    service = service_by_id(service_id)
    if service is None:
        raise HTTPException(status_code=404, detail=f"no CDS service {service_id!r}")
    if body.hook != service.hook:
        raise _unprocessable(
            [
                {
                    "loc": ["body", "hook"],
                    "msg": f"service {service.id!r} answers the {service.hook!r} hook; got {body.hook!r}",
                    "type": "cds.hook",
                }
            ]
        )
    ctx = body.context
    for field in ("userId", "patientId"):
        if not isinstance(ctx.get(field), str) or not ctx[field]:
            raise _context_error(field, f"{field} is required (a non-empty string)")
    draft_orders = None
    selections: list[str] | None = None
    if service.hook in ("order-select", "order-sign"):
        if not isinstance(ctx.get("draftOrders"), dict):
            raise _context_error("draftOrders", "draftOrders is required (a FHIR Bundle)")
        draft_orders = ctx["draftOrders"]
    if service.hook == "order-select":
        sel = ctx.get("selections")
        if not isinstance(sel, list) or not sel or not all(isinstance(s, str) for s in sel):
            raise _context_error("selections", "selections is required (an array of order ids)")
        selections = cast(list[str], sel)
    prefetch = body.prefetch or {}
    if not any(k in prefetch for k in MEDICATION_PREFETCH_KEYS):
        raise HTTPException(
            status_code=412,
            detail=(
                "the patient's active medications are needed: satisfy the prefetch template "
                f"{' or '.join(MEDICATION_PREFETCH_KEYS)} (this service does not query the FHIR "
                "server itself)"
            ),
        )
    try:
        data = read_hook_data(
            patient_id=ctx["patientId"],
            draft_orders=draft_orders,
            selections=selections,
            prefetch=prefetch,
            medication_keys=MEDICATION_PREFETCH_KEYS,
            patient_key=PATIENT_PREFETCH_KEY,
            kb=load_knowledge_base(),
            today=on,
        )
    except FhirInputError as exc:
        raise _unprocessable([{**e, "loc": ["body", *e["loc"]]} for e in exc.errors]) from None
    taper_url = str(request.base_url).rstrip("/") + TAPER_PAGE_PATH
    cards = hook_cards(
        cast(Hook, service.hook), data, load_knowledge_base(), taper_page_url=taper_url
    )
    issued = _state(request, "cds_issued_cards")
    issued.extend(c.uuid for c in cards if c.uuid)
    return CardsResponse(cards=cards)


def _state(request: Request, name: str) -> deque[Any]:
    store = getattr(request.app.state, name, None)
    if store is None:
        store = deque(maxlen=_FEEDBACK_KEPT * 10)
        setattr(request.app.state, name, store)
    return cast(deque[Any], store)


@router.post("/cds-services/{service_id}/feedback", summary="Feedback on cards")
def feedback(service_id: str, body: FeedbackRequest, request: Request) -> dict[str, int]:
    """Record accepted or overridden cards (CDS Hooks 2.0 feedback)."""
    if service_by_id(service_id) is None:
        raise HTTPException(status_code=404, detail=f"no CDS service {service_id!r}")
    issued = set(_state(request, "cds_issued_cards"))
    log = _state(request, "cds_feedback")
    for f in body.feedback:
        log.append(
            {
                "service": service_id,
                "card_known": f.card in issued,
                **f.model_dump(by_alias=True, exclude_none=True),
            }
        )
        while len(log) > _FEEDBACK_KEPT:
            log.popleft()
    return {"received": len(body.feedback)}
