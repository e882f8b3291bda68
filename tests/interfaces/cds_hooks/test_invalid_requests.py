"""Bad requests and invalid FHIR answer 4xx with the location of each problem - never 500."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from fastapi.testclient import TestClient

from allostasis.interfaces.cds_hooks import today
from allostasis.interfaces.server import create_app


@pytest.fixture(scope="module")
def raw_client() -> TestClient:
    """A client that returns 500s instead of raising, so a 500 would be seen as a status."""
    app = create_app()
    app.dependency_overrides[today] = lambda: __import__("datetime").date(2026, 1, 15)
    return TestClient(app, raise_server_exceptions=False)


def _locs(r: Any) -> list[list[Any]]:
    return [d["loc"] for d in r.json()["detail"]]


def _oxy_select(make_request: Callable[..., dict[str, Any]]) -> dict[str, Any]:
    return make_request(
        "order-select",
        draft="draft_oxycodone.json",
        selections=["MedicationRequest/draft-oxycodone"],
        statements="active_alprazolam.json",
    )


def _entry(body: dict[str, Any]) -> dict[str, Any]:
    resource: dict[str, Any] = body["context"]["draftOrders"]["entry"][0]["resource"]
    return resource


def test_dose_and_rate_as_an_object_is_invalid_fhir(
    raw_client: TestClient, make_request: Callable[..., dict[str, Any]]
) -> None:
    body = _oxy_select(make_request)
    dosage = _entry(body)["dosageInstruction"][0]
    dosage["doseAndRate"] = dosage["doseAndRate"][0]  # an object, not an array (R4: 0..*)
    r = raw_client.post("/cds-services/order-select", json=body)
    assert r.status_code == 422
    assert [
        "body", "context", "draftOrders", "entry", 0, "resource", "dosageInstruction", 0, "doseAndRate"
    ] in _locs(r)  # fmt: skip


@pytest.mark.parametrize(
    ("mutate", "status", "loc_part"),
    [
        (lambda b: _entry(b).pop("subject"), 422, "subject"),
        (lambda b: _entry(b).__setitem__("intent", 7), 422, "intent"),
        (lambda b: _entry(b).__setitem__("status", "active"), 422, "status"),
        (
            lambda b: _entry(b).__setitem__("subject", {"reference": "Patient/other"}),
            422,
            "subject",
        ),
        (lambda b: b["context"].__setitem__("draftOrders", _entry(b)), 422, "draftOrders"),
        (lambda b: b["context"].__setitem__("draftOrders", {"resourceType": "Nonsense"}), 422, "resourceType"),
        (lambda b: b["context"].__setitem__("selections", ["MedicationRequest/nope"]), 422, "selections"),
        (lambda b: b["context"].pop("selections"), 422, "selections"),
        (lambda b: b["context"].pop("patientId"), 422, "patientId"),
        (lambda b: b["context"].pop("draftOrders"), 422, "draftOrders"),
        (lambda b: b.pop("hookInstance"), 422, "hookInstance"),
        (lambda b: b.__setitem__("hook", "patient-view"), 422, "hook"),
        (lambda b: b["prefetch"].__setitem__("patient", {"resourceType": "Patient", "birthDate": "soon"}), 422, "birthDate"),
        (lambda b: b["prefetch"].__setitem__("medicationStatements", [1, 2]), 422, "medicationStatements"),
    ],
    ids=[
        "no-subject", "bad-intent", "not-draft", "other-patient", "draftOrders-not-bundle",
        "unknown-resource-type", "selection-not-in-bundle", "no-selections", "no-patientId",
        "no-draftOrders", "no-hookInstance", "wrong-hook", "bad-birthDate", "prefetch-not-resource",
    ],
)  # fmt: skip
def test_invalid_requests_answer_422_with_the_location(
    raw_client: TestClient,
    make_request: Callable[..., dict[str, Any]],
    mutate: Callable[[dict[str, Any]], Any],
    status: int,
    loc_part: str,
) -> None:
    body = _oxy_select(make_request)
    mutate(body)
    r = raw_client.post("/cds-services/order-select", json=body)
    assert r.status_code == status, r.text
    assert any(loc_part in [str(p) for p in loc] for loc in _locs(r)), r.text


def test_malformed_json_missing_prefetch_and_unknown_service(
    raw_client: TestClient, make_request: Callable[..., dict[str, Any]]
) -> None:
    r = raw_client.post(
        "/cds-services/order-select",
        content=b"{not json",
        headers={"content-type": "application/json"},
    )
    assert r.status_code == 422
    body = _oxy_select(make_request)
    body.pop("prefetch")
    r = raw_client.post("/cds-services/order-select", json=body)
    assert r.status_code == 412
    assert "prefetch" in r.json()["detail"]
    r = raw_client.post("/cds-services/no-such-service", json=_oxy_select(make_request))
    assert r.status_code == 404


def test_random_garbage_never_gives_500(
    raw_client: TestClient, make_request: Callable[..., dict[str, Any]]
) -> None:
    """Replace each part of a valid request with values of the wrong kind: always a 4xx."""
    base = _oxy_select(make_request)
    garbage: list[Any] = [None, 0, -1.5, "", "x", [], {}, [None], {"resourceType": None}, True]
    paths = [
        ("context",),
        ("context", "draftOrders", "entry"),
        ("context", "draftOrders", "entry", 0),
        ("context", "draftOrders", "entry", 0, "resource", "dosageInstruction"),
        ("context", "draftOrders", "entry", 0, "resource", "dosageInstruction", 0, "timing"),
        ("context", "draftOrders", "entry", 0, "resource", "medicationCodeableConcept"),
        ("prefetch",),
        ("prefetch", "medicationStatements", "entry", 0, "resource", "dosage"),
        ("prefetch", "patient"),
    ]
    statuses = set()
    for path in paths:
        for value in garbage:
            body = __import__("copy").deepcopy(base)
            node: Any = body
            for p in path[:-1]:
                node = node[p]
            node[path[-1]] = value
            r = raw_client.post("/cds-services/order-select", json=body)
            statuses.add(r.status_code)
            assert r.status_code < 500, (path, value, r.text)
    assert statuses <= {200, 412, 422}
    assert 422 in statuses
