"""The draft FHIR R4 MedicationRequest for rescue naloxone that a card suggests creating.

Naloxone 4 mg nasal spray (the knowledge base's intranasal formulation, NARCAN label): one spray
(4 mg) in one nostril for a suspected opioid overdose, repeated with a new device in the other
nostril every 2-3 minutes if there is no response; supplied as two devices. The medication is coded
with the knowledge base's RxNorm ingredient code for naloxone (7242); the EHR picks the product.
The request is a ``draft`` for the clinician to review and sign, never an order on its own.

>>> r = naloxone_request("pat-1")
>>> r["status"], r["medicationCodeableConcept"]["coding"][0]["code"]
('draft', '7242')
>>> r["dosageInstruction"][0]["doseAndRate"][0]["doseQuantity"]["value"]
4.0
"""

from __future__ import annotations

from typing import Any

from allostasis.interfaces.cds_hooks._medication_mapping import RXNORM_SYSTEM
from allostasis.knowledge import KnowledgeBase, load_knowledge_base

__all__ = ["NALOXONE_DEVICES", "naloxone_request", "naloxone_spray_mg"]

#: Devices dispensed: NARCAN nasal spray is supplied as a carton of two single-dose devices
#: (NARCAN US prescribing information, source id ``narcan-label``).
NALOXONE_DEVICES = 2
_SNOMED = "http://snomed.info/sct"
_UCUM = "http://unitsofmeasure.org"


def naloxone_spray_mg(kb: KnowledgeBase | None = None) -> float:
    """Strength of the knowledge base's naloxone nasal spray (mg per spray)."""
    kb = kb or load_knowledge_base()
    for f in kb["naloxone"].formulations:
        if f.route == "intranasal":
            return float(max(f.strengths))
    raise LookupError("the knowledge base lists no intranasal naloxone formulation")


def naloxone_request(patient_id: str, kb: KnowledgeBase | None = None) -> dict[str, Any]:
    """A draft MedicationRequest (FHIR R4 JSON) for naloxone nasal spray for ``Patient/<id>``."""
    kb = kb or load_knowledge_base()
    drug = kb["naloxone"]
    mg = naloxone_spray_mg(kb)
    return {
        "resourceType": "MedicationRequest",
        "status": "draft",
        "intent": "order",
        "subject": {"reference": f"Patient/{patient_id}"},
        "medicationCodeableConcept": {
            "coding": [{"system": RXNORM_SYSTEM, "code": str(drug.rxnorm), "display": "naloxone"}],
            "text": f"naloxone hydrochloride {mg:g} mg nasal spray",
        },
        "dosageInstruction": [
            {
                "text": (
                    f"For a suspected opioid overdose: 1 spray ({mg:g} mg) into one nostril. If "
                    "there is no response, or breathing slows again, give another spray with a new "
                    "device in the other nostril every 2-3 minutes. Call emergency services."
                ),
                "asNeededCodeableConcept": {"text": "suspected opioid overdose"},
                "route": {
                    "coding": [{"system": _SNOMED, "code": "46713006", "display": "Nasal route"}]
                },
                "doseAndRate": [
                    {"doseQuantity": {"value": mg, "unit": "mg", "system": _UCUM, "code": "mg"}}
                ],
            }
        ],
        "dispenseRequest": {
            "quantity": {"value": NALOXONE_DEVICES, "unit": "device"},
        },
        "note": [
            {
                "text": (
                    "Suggested by the allostasis CDS service (decision support, not a "
                    "prescription): offer naloxone when opioid overdose risk is increased (CDC "
                    "2022 Recommendation 8; 2025 joint benzodiazepine tapering guideline)."
                )
            }
        ],
    }
