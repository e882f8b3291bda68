"""The CDS services this server advertises at ``GET /cds-services`` and their prefetch templates.

Prefetch templates use only what the CDS Hooks 2.0 "prefetch query restrictions" recommend
(instance reads, type searches by reference and token equality): the Patient, and the patient's
active MedicationRequests and MedicationStatements. A ``medicationReference`` is resolved when the
Medication is contained in the resource or sent in the same Bundle. Service ids are the hook names.

>>> [s.id for s in CDS_SERVICES]
['order-select', 'order-sign', 'patient-view']
>>> CDS_SERVICES[0].prefetch["patient"]
'Patient/{{context.patientId}}'
"""

from __future__ import annotations

from allostasis.interfaces.cds_hooks._hook_objects import CDSService

__all__ = [
    "CDS_SERVICES",
    "MEDICATION_PREFETCH_KEYS",
    "PATIENT_PREFETCH_KEY",
    "service_by_id",
]

PATIENT_PREFETCH_KEY = "patient"
MEDICATION_PREFETCH_KEYS = ("medicationRequests", "medicationStatements")

_PREFETCH = {
    PATIENT_PREFETCH_KEY: "Patient/{{context.patientId}}",
    "medicationRequests": "MedicationRequest?patient={{context.patientId}}&status=active",
    "medicationStatements": "MedicationStatement?patient={{context.patientId}}&status=active",
}
_NOTICE = (
    " Decision support and education, not prescribing: every card gives its basis and sources."
)

CDS_SERVICES: tuple[CDSService, ...] = (
    CDSService(
        hook="order-select",
        id="order-select",
        title="allostasis: opioid and benzodiazepine co-prescription (order-select)",
        description=(
            "Checks the selected draft MedicationRequests against the patient's active medications: "
            "warns when an opioid and a benzodiazepine would be co-prescribed (MME, mechanism, "
            "published risk, a naloxone suggestion), flags >= 50 MME/day and missing rescue "
            "naloxone, links long-term benzodiazepine use to a taper plan, and says which "
            "medications it could not map or read." + _NOTICE
        ),
        prefetch=dict(_PREFETCH),
    ),
    CDSService(
        hook="order-sign",
        id="order-sign",
        title="allostasis: opioid and benzodiazepine co-prescription (order-sign)",
        description=(
            "The order-select checks applied to every draft MedicationRequest about to be signed."
            + _NOTICE
        ),
        prefetch=dict(_PREFETCH),
    ),
    CDSService(
        hook="patient-view",
        id="patient-view",
        title="allostasis: opioid overdose risk review (patient-view)",
        description=(
            "Reviews the patient's active medications: total opioid dose >= 50 MME/day, opioid + "
            "benzodiazepine co-prescription, missing rescue naloxone (buprenorphine/naloxone does "
            "not count), and long-term benzodiazepine use with a link to a taper plan." + _NOTICE
        ),
        prefetch=dict(_PREFETCH),
    ),
)


def service_by_id(service_id: str) -> CDSService | None:
    """The advertised service with this id, or ``None``."""
    return next((s for s in CDS_SERVICES if s.id == service_id), None)
