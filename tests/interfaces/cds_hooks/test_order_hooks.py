"""order-select and order-sign: opioid + benzodiazepine co-prescription, the naloxone suggestion,
the long-term benzodiazepine taper link, and what cannot be mapped.

Patient pat-1 (born 1957-03-02; 68 on the test date 2026-01-15). Expected numbers, by hand from
the CDC 2022 factors (oxycodone 1.5 MME per mg):
- draft oxycodone 5 mg, 1 tab q6h PRN, max 4 tabs/day: 20 mg/day -> 30 MME/day;
- active oxycodone 10 mg q12h: 20 mg/day -> 30 MME/day;
- active alprazolam 1 mg TID since 2019-11-01: 2267 days = 6.2 years (long-term, >= 90 days);
- Park 2015 (BMJ 350:h2698): adjusted HR 3.86 (95% CI 3.49-4.26) for overdose death.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from fhir.resources.R4B.medicationrequest import MedicationRequest

from allostasis.clinical import benzodiazepine_use

Call = Callable[[dict[str, Any]], list[dict[str, Any]]]


def _by_indicator(cards: list[dict[str, Any]], indicator: str) -> list[dict[str, Any]]:
    return [c for c in cards if c["indicator"] == indicator]


@pytest.mark.parametrize("hook", ["order-select", "order-sign"])
def test_oxycodone_order_for_a_patient_on_alprazolam(
    call: Call, make_request: Callable[..., dict[str, Any]], hook: str
) -> None:
    body = make_request(
        hook,
        draft="draft_oxycodone.json",
        selections=["MedicationRequest/draft-oxycodone"] if hook == "order-select" else None,
        statements="active_alprazolam.json",
    )
    cards = call(body)
    warnings = _by_indicator(cards, "warning")
    assert len(warnings) == 1
    assert len(cards) == 2
    w = warnings[0]
    assert w["summary"].startswith(
        "Opioid + benzodiazepine: oxycodone ordered for a patient on alprazolam"
    )
    assert "30 MME/day" in w["summary"]
    assert "3.86" in w["summary"]
    assert len(w["summary"]) < 140
    detail = w["detail"]
    assert "**Total: 30 MME/day**" in detail
    assert "20 mg/day x 1.5 = 30 MME/day" in detail
    assert "adjusted hazard ratio 3.86 (95% CI 3.49-4.26)" in detail
    assert "FDA boxed warning (2016)" in detail
    assert "brainstem respiratory rhythm" in detail  # mechanism
    assert "cdc-2022/concurrent-benzodiazepine" in detail
    assert "Decision support, not prescribing" in detail
    assert w["source"]["url"] == "https://doi.org/10.1136/bmj.h2698"

    # the naloxone suggestion: one create action with a valid draft FHIR R4 MedicationRequest
    assert w["selectionBehavior"] == "at-most-one"
    [suggestion] = w["suggestions"]
    assert suggestion["label"] == "Add naloxone 4 mg nasal spray (rescue kit)"
    [action] = suggestion["actions"]
    assert action["type"] == "create"
    resource = MedicationRequest.model_validate(action["resource"])
    assert resource.status == "draft"
    assert resource.intent == "order"
    assert resource.subject.reference == "Patient/pat-1"
    assert resource.medicationCodeableConcept.coding[0].code == "7242"
    dose = resource.dosageInstruction[0].doseAndRate[0].doseQuantity
    assert (float(dose.value), dose.unit) == (4.0, "mg")
    assert resource.dosageInstruction[0].route.coding[0].code == "46713006"  # nasal route
    assert float(resource.dispenseRequest.quantity.value) == 2.0

    # long-term alprazolam: info card with an absolute link to the taper planner
    [info] = _by_indicator(cards, "info")
    assert (
        info["summary"]
        == "Long-term alprazolam use (6.2 years): a gradual taper plan can be drafted"
    )
    [link] = info["links"]
    assert link["type"] == "absolute"
    url = urlsplit(link["url"])
    assert (url.scheme, url.netloc, url.path) == ("http", "testserver", "/taper")
    assert parse_qs(url.query) == {
        "duration": ["6.2 years"],
        "med": ["alprazolam 1 mg TID"],
        "opioid": ["true"],
        "age": ["68"],
    }
    assert "since 2019-11-01" in info["detail"]
    # the regimen in the link is one the taper planner reads: 1 mg x 3 = 3 mg/day
    assert benzodiazepine_use(parse_qs(url.query)["med"][0]).daily_mg == 3.0


def test_alprazolam_order_for_a_patient_on_oxycodone(
    call: Call, make_request: Callable[..., dict[str, Any]]
) -> None:
    cards = call(
        make_request("order-sign", draft="draft_alprazolam.json", requests="active_oxycodone.json")
    )
    assert [c["indicator"] for c in cards] == ["warning"]  # no taper card: alprazolam is new
    w = cards[0]
    assert w["summary"].startswith(
        "Opioid + benzodiazepine: alprazolam ordered for a patient on oxycodone"
    )
    assert "30 MME/day" in w["summary"]
    assert "oxycodone 10 mg PO q12h: 20 mg/day x 1.5 = 30 MME/day" in w["detail"]
    assert "alprazolam 0.5 mg PO BID [ordered now]" in w["detail"]
    assert w["suggestions"][0]["actions"][0]["resource"]["resourceType"] == "MedicationRequest"


def test_no_naloxone_suggestion_when_rescue_naloxone_is_on_record(
    call: Call, make_request: Callable[..., dict[str, Any]], load_fhir: Callable[[str], Any]
) -> None:
    body = make_request(
        "order-sign", draft="draft_alprazolam.json", requests="active_oxycodone.json"
    )
    naloxone = {
        "resourceType": "MedicationStatement",
        "id": "ms-naloxone",
        "status": "active",
        "medicationCodeableConcept": {"text": "naloxone hydrochloride 4 MG/ACTUAT Nasal Spray"},
        "subject": {"reference": "Patient/pat-1"},
    }
    body["prefetch"]["medicationStatements"] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [{"resource": naloxone}],
    }
    [w] = call(body)
    assert w["indicator"] == "warning"
    assert "suggestions" not in w
    assert "Rescue naloxone is on record." in w["detail"]


def test_a_sedative_order_without_a_benzodiazepine_gives_no_coprescription_card(
    call: Call, make_request: Callable[..., dict[str, Any]]
) -> None:
    cards = call(
        make_request(
            "order-select",
            draft="draft_oxycodone.json",
            selections=["MedicationRequest/draft-oxycodone"],
            requests="active_oxycodone.json",
        )
    )
    # 30 + 30 = 60 MME/day: the dose card and (no rescue naloxone) the naloxone card
    assert [c["summary"].split(":")[0] for c in cards] == [
        "Opioid dose 60 MME/day (>= 50)",
        "No rescue naloxone on record",
    ]
    assert "suggestions" in cards[1]
    assert "suggestions" not in cards[0]


def test_unselected_draft_orders_are_context_not_the_trigger(
    call: Call, make_request: Callable[..., dict[str, Any]], load_fhir: Callable[[str], Any]
) -> None:
    """order-select: an unselected (pending) alprazolam draft still counts as co-prescribed."""
    draft = load_fhir("draft_oxycodone.json")
    draft["entry"] += load_fhir("draft_alprazolam.json")["entry"]
    cards = call(
        make_request("order-select", draft=draft, selections=["MedicationRequest/draft-oxycodone"])
    )
    [w] = cards
    assert w["summary"].startswith(
        "Opioid + benzodiazepine: oxycodone ordered for a patient on alprazolam"
    )
    assert "[unsigned order]" in w["detail"]


def test_unmappable_drug_gives_an_info_card_and_no_guess(
    call: Call, make_request: Callable[..., dict[str, Any]]
) -> None:
    cards = call(
        make_request(
            "order-select",
            draft="draft_unmappable.json",
            selections=["MedicationRequest/draft-lisinopril"],
            requests="active_oxycodone.json",
        )
    )
    [card] = cards
    assert card["indicator"] == "info"
    assert card["summary"] == (
        "Not assessed: 'lisinopril 10 MG Oral Tablet' could not be matched to the knowledge base"
    )
    assert "'lisinopril' is not in the knowledge base" in card["detail"]
    assert "does not guess" in card["detail"]


def test_unreadable_dose_still_checks_the_class(
    call: Call, make_request: Callable[..., dict[str, Any]], load_fhir: Callable[[str], Any]
) -> None:
    """A benzodiazepine order without a dose: co-prescription is still flagged, the dose is said
    to be unread, and the MME of the active opioid is still given."""
    draft = load_fhir("draft_alprazolam.json")
    del draft["entry"][0]["resource"]["dosageInstruction"]
    cards = call(make_request("order-sign", draft=draft, requests="active_oxycodone.json"))
    assert [c["indicator"] for c in cards] == ["warning", "info"]
    assert "30 MME/day" in cards[0]["summary"]
    assert "dose not read" in cards[0]["detail"]
    assert (
        cards[1]["summary"] == "Dose of alprazolam not read; its MME and dose checks were not made"
    )
