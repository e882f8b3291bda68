"""Shared fixtures for the CDS Hooks tests: the app with a fixed date, FHIR fixtures, request
builders and validators built from the CDS Hooks 2.0 JSON schema in ``schemas/``."""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from fastapi.testclient import TestClient

from allostasis.interfaces.cds_hooks import today
from allostasis.interfaces.server import create_app

FHIR = Path(__file__).resolve().parents[2] / "fixtures" / "fhir"
SCHEMA = Path(__file__).resolve().parent / "schemas" / "cds_hooks_2_0.schema.json"
#: The date durations of use are counted to in these tests.
TODAY = dt.date(2026, 1, 15)
PATIENT_ID = "pat-1"


def fhir(name: str) -> dict[str, Any]:
    """A FHIR fixture (a fresh copy)."""
    return copy.deepcopy(_fhir(name))


@cache
def _fhir(name: str) -> dict[str, Any]:
    return dict(json.loads((FHIR / name).read_text(encoding="utf-8")))


@cache
def validator(definition: str) -> Any:
    """A JSON Schema (2020-12) validator for one object of the CDS Hooks 2.0 schema."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    schema["$ref"] = f"#/$defs/{definition}"
    return jsonschema_rs.validator_for(schema)


def schema_errors(definition: str, instance: Any) -> list[str]:
    return [f"{e.instance_path}: {e.message}" for e in validator(definition).iter_errors(instance)]


def hook_request(
    hook: str,
    *,
    draft: str | dict[str, Any] | None = None,
    selections: list[str] | None = None,
    requests: str | None = None,
    statements: str | None = None,
    patient: bool = True,
) -> dict[str, Any]:
    """A CDS Hooks request for ``hook`` with the fixtures named (prefetch ``null`` when absent)."""
    context: dict[str, Any] = {"userId": "Practitioner/dr-1", "patientId": PATIENT_ID}
    if draft is not None:
        context["draftOrders"] = fhir(draft) if isinstance(draft, str) else draft
    if selections is not None:
        context["selections"] = selections
    prefetch: dict[str, Any] = {
        "medicationRequests": fhir(requests) if requests else None,
        "medicationStatements": fhir(statements) if statements else None,
    }
    if patient:
        prefetch["patient"] = fhir("patient.json")
    return {
        "hook": hook,
        "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
        "context": context,
        "prefetch": prefetch,
    }


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = create_app()
    app.dependency_overrides[today] = lambda: TODAY
    return TestClient(app)


@pytest.fixture(scope="module")
def call(client: TestClient) -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
    """POST a valid request (checked against the schema) and return the schema-checked cards."""

    def _call(body: dict[str, Any]) -> list[dict[str, Any]]:
        assert schema_errors("Request", body) == []
        r = client.post(f"/cds-services/{body['hook']}", json=body)
        assert r.status_code == 200, r.text
        assert schema_errors("Response", r.json()) == []
        return list(r.json()["cards"])

    return _call


@pytest.fixture(scope="session")
def check_schema() -> Callable[[str, Any], list[str]]:
    """``check_schema("Card", obj)``: the schema errors of ``obj`` (``[]`` when valid)."""
    return schema_errors


@pytest.fixture(scope="session")
def make_request() -> Callable[..., dict[str, Any]]:
    """``make_request("order-select", draft=..., selections=..., requests=..., statements=...)``."""
    return hook_request


@pytest.fixture(scope="session")
def load_fhir() -> Callable[[str], dict[str, Any]]:
    """``load_fhir("patient.json")``: a fresh copy of a FHIR fixture."""
    return fhir
