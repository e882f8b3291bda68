"""patient-view: total MME >= 50, co-prescription, missing rescue naloxone (buprenorphine/naloxone
does not count), long-term benzodiazepine use, and medications not assessed.

Patient on morphine ER 30 mg BID (60 mg/day x 1 = 60 MME/day, CDC 2022) and buprenorphine/naloxone
8/2 mg SL daily (buprenorphine is not in the CDC 2022 MME table, so not counted).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Call = Callable[[dict[str, Any]], list[dict[str, Any]]]


def test_60_mme_with_buprenorphine_naloxone_only(
    call: Call, make_request: Callable[..., dict[str, Any]]
) -> None:
    cards = call(make_request("patient-view", requests="active_60mme_buprenorphine_naloxone.json"))
    assert [c["indicator"] for c in cards] == ["warning", "warning"]
    mme, naloxone = cards
    assert mme["summary"] == (
        "Opioid dose 60 MME/day (>= 50): reassess benefits and risks; offer naloxone (CDC 2022)"
    )
    assert "morphine 30 mg 1 tab PO BID: 60 mg/day x 1 = 60 MME/day" in mme["detail"]
    assert "buprenorphine/naloxone 8/2 mg 1 film SL daily: not counted" in mme["detail"]
    assert naloxone["summary"] == (
        "No rescue naloxone on record (buprenorphine/naloxone does not count): offer a naloxone kit"
    )
    assert "does NOT count as rescue naloxone" in naloxone["detail"]
    assert "cdc-2022/dose-50-mme" in naloxone["detail"]
    [s] = naloxone["suggestions"]
    assert s["actions"][0]["resource"]["medicationCodeableConcept"]["coding"][0]["code"] == "7242"
    assert not any("benzodiazepine" in c["summary"] for c in cards)


def test_rescue_naloxone_on_record_removes_the_naloxone_card(
    call: Call, make_request: Callable[..., dict[str, Any]], load_fhir: Callable[[str], Any]
) -> None:
    body = make_request("patient-view", requests="active_60mme_buprenorphine_naloxone.json")
    body["prefetch"]["medicationRequests"]["entry"].append(
        {
            "resource": {
                "resourceType": "MedicationRequest",
                "id": "mr-narcan",
                "status": "active",
                "intent": "order",
                "medicationCodeableConcept": {"text": "Narcan"},
                "subject": {"reference": "Patient/pat-1"},
            }
        }
    )
    cards = call(body)
    assert [c["summary"].split(":")[0] for c in cards] == ["Opioid dose 60 MME/day (>= 50)"]


def test_coprescription_and_long_term_benzodiazepine(
    call: Call, make_request: Callable[..., dict[str, Any]]
) -> None:
    cards = call(
        make_request(
            "patient-view", requests="active_oxycodone.json", statements="active_alprazolam.json"
        )
    )
    summaries = [c["summary"] for c in cards]
    assert summaries == [
        "Opioid + benzodiazepine co-prescribed: oxycodone with alprazolam (30 MME/day; overdose "
        "death aHR 3.86)",
        "No rescue naloxone on record: offer naloxone (CDC 2022 Recommendation 8)",
        "Long-term alprazolam use (6.2 years): a gradual taper plan can be drafted",
    ]
    # patient-view: the naloxone suggestion is on the naloxone card only
    assert "suggestions" not in cards[0]
    assert len(cards[1]["suggestions"]) == 1
    assert "brunner-2025/benzodiazepine-with-opioid" in cards[1]["detail"]


def test_patient_view_with_nothing_to_say_returns_no_cards(
    call: Call, make_request: Callable[..., dict[str, Any]]
) -> None:
    assert call(make_request("patient-view")) == []


def test_unmappable_active_medications_are_listed_not_guessed(
    call: Call, make_request: Callable[..., dict[str, Any]], load_fhir: Callable[[str], Any]
) -> None:
    body = make_request("patient-view", requests="active_oxycodone.json")
    body["prefetch"]["medicationStatements"] = {
        "resourceType": "Bundle",
        "type": "searchset",
        "entry": [
            {
                "resource": {
                    "resourceType": "MedicationStatement",
                    "id": "ms-x",
                    "status": "active",
                    "medicationCodeableConcept": {
                        "coding": [
                            {
                                "system": "http://www.nlm.nih.gov/research/umls/rxnorm",
                                "code": "1049621",
                            }
                        ]
                    },
                    "subject": {"reference": "Patient/pat-1"},
                }
            }
        ],
    }
    [card] = call(body)
    assert card["indicator"] == "info"
    assert card["summary"].startswith("1 other medication(s) not assessed")
    assert "RxNorm code(s) 1049621 are not ingredient codes" in card["detail"]
