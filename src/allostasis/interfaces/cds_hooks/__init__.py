"""CDS Hooks 2.0 service (``/cds-services``): order-select, order-sign, patient-view, feedback.

Reads draft FHIR R4 MedicationRequests (``context.draftOrders``) and the patient's active
medications (prefetch), maps them to the knowledge base by RxNorm ingredient code and by name,
writes each dosage as a sig, and answers with cards built from the library's risk assessment:
opioid + benzodiazepine co-prescription (with a naloxone suggestion), >= 50 MME/day, missing rescue
naloxone, long-term benzodiazepine use (with a taper-plan link), and medications not assessed.
Decision support and education, not prescribing.
"""

from allostasis.interfaces.cds_hooks._card_rules import (
    ASSESSED_CLASSES,
    LONG_TERM_BENZODIAZEPINE_DAYS,
    hook_cards,
)
from allostasis.interfaces.cds_hooks._dosage import write_sig
from allostasis.interfaces.cds_hooks._fhir_reading import (
    FhirInputError,
    HookData,
    MedicationRecord,
    read_hook_data,
)
from allostasis.interfaces.cds_hooks._hook_objects import (
    Card,
    CardsResponse,
    CDSService,
    Discovery,
    FeedbackRequest,
    HookRequest,
)
from allostasis.interfaces.cds_hooks._medication_mapping import (
    RXNORM_SYSTEM,
    MedicationConcept,
    map_medication,
)
from allostasis.interfaces.cds_hooks._naloxone_order import naloxone_request
from allostasis.interfaces.cds_hooks._routes import TAPER_PAGE_PATH, router, today
from allostasis.interfaces.cds_hooks._services import CDS_SERVICES

__all__ = [
    "ASSESSED_CLASSES",
    "CDS_SERVICES",
    "LONG_TERM_BENZODIAZEPINE_DAYS",
    "RXNORM_SYSTEM",
    "TAPER_PAGE_PATH",
    "CDSService",
    "Card",
    "CardsResponse",
    "Discovery",
    "FeedbackRequest",
    "FhirInputError",
    "HookData",
    "HookRequest",
    "MedicationConcept",
    "MedicationRecord",
    "hook_cards",
    "map_medication",
    "naloxone_request",
    "read_hook_data",
    "router",
    "today",
    "write_sig",
]
