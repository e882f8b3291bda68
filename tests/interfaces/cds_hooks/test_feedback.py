"""POST /cds-services/{id}/feedback (CDS Hooks 2.0 Feedback)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient


def test_feedback_on_an_issued_card_is_recorded(
    client: TestClient,
    make_request: Callable[..., dict[str, Any]],
    check_schema: Callable[[str, Any], list[str]],
) -> None:
    r = client.post(
        "/cds-services/order-sign",
        json=make_request(
            "order-sign", draft="draft_alprazolam.json", requests="active_oxycodone.json"
        ),
    )
    card = r.json()["cards"][0]
    body = {
        "feedback": [
            {
                "card": card["uuid"],
                "outcome": "accepted",
                "acceptedSuggestions": [{"id": card["suggestions"][0]["uuid"]}],
                "outcomeTimestamp": "2026-01-15T10:00:00Z",
            },
            {
                "card": "00000000-0000-0000-0000-000000000000",
                "outcome": "overridden",
                "overrideReason": {"userComment": "reviewed with the patient"},
                "outcomeTimestamp": "2026-01-15T10:01:00Z",
            },
        ]
    }
    assert check_schema("FeedbackRequest", body) == []
    r = client.post("/cds-services/order-sign/feedback", json=body)
    assert r.status_code == 200
    assert r.json() == {"received": 2}
    log = list(client.app.state.cds_feedback)[-2:]  # type: ignore[attr-defined]
    assert [(f["outcome"], f["card_known"]) for f in log] == [
        ("accepted", True),
        ("overridden", False),
    ]
    assert log[1]["overrideReason"] == {"userComment": "reviewed with the patient"}


def test_invalid_feedback_is_refused(client: TestClient) -> None:
    accepted_without_suggestions = {
        "feedback": [
            {"card": "c", "outcome": "accepted", "outcomeTimestamp": "2026-01-15T10:00:00Z"}
        ]
    }
    r = client.post("/cds-services/order-sign/feedback", json=accepted_without_suggestions)
    assert r.status_code == 422
    r = client.post("/cds-services/order-sign/feedback", json={"feedback": []})
    assert r.status_code == 422
    ok = {"feedback": [{"card": "c", "outcome": "overridden", "outcomeTimestamp": "t"}]}
    assert client.post("/cds-services/nope/feedback", json=ok).status_code == 404
