"""Discovery (GET /cds-services) and the schema itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient


def test_discovery_lists_the_three_services_with_prefetch(
    client: TestClient, check_schema: Callable[[str, Any], list[str]]
) -> None:
    r = client.get("/cds-services")
    assert r.status_code == 200
    body = r.json()
    assert check_schema("Discovery", body) == []
    services = {s["id"]: s for s in body["services"]}
    assert set(services) == {"order-select", "order-sign", "patient-view"}
    for sid, s in services.items():
        assert s["hook"] == sid
        assert "not prescribing" in s["description"]
        assert s["prefetch"] == {
            "patient": "Patient/{{context.patientId}}",
            "medicationRequests": "MedicationRequest?patient={{context.patientId}}&status=active",
            "medicationStatements": "MedicationStatement?patient={{context.patientId}}&status=active",
        }


def test_schema_rejects_what_the_specification_forbids(
    check_schema: Callable[[str, Any], list[str]],
) -> None:
    """The hand-written schema is not vacuous: each spec rule below is caught."""
    good = {"summary": "ok", "indicator": "info", "source": {"label": "x"}}
    assert check_schema("Card", good) == []
    assert check_schema("Card", {**good, "summary": "x" * 140})  # < 140 characters
    assert check_schema("Card", {**good, "indicator": "danger"})
    assert check_schema("Card", {**good, "detail": None})  # no nulls
    assert check_schema("Card", {**good, "links": []})  # no empty arrays
    suggestion = {"label": "do", "actions": [{"type": "create", "description": "d"}]}
    assert check_schema("Card", {**good, "suggestions": [suggestion]})  # create needs resource
    assert check_schema(
        "Card", {**good, "suggestions": [{"label": "do"}]}
    )  # suggestions need selectionBehavior
    link = {"label": "l", "url": "https://x.org", "type": "absolute", "appContext": "a"}
    assert check_schema("Card", {**good, "links": [link]})  # appContext only for smart links
    assert check_schema("Request", {"hook": "patient-view", "context": {}})  # hookInstance
    assert check_schema(
        "Request",
        {"hook": "order-select", "hookInstance": "1", "context": {"userId": "u", "patientId": "p"}},
    )  # order-select needs selections and draftOrders
    assert check_schema(
        "FeedbackRequest",
        {"feedback": [{"card": "c", "outcome": "accepted", "outcomeTimestamp": "t"}]},
    )
