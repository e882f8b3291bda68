"""Read a hook's FHIR data - the draft orders in ``context.draftOrders`` and the prefetched active
MedicationRequests, MedicationStatements and Patient - into medication records the card rules use.

Every resource is validated with the ``fhir.resources`` R4B models (R4B is R4 with few changes;
``fhir.resources`` 7+ ships no separate R4 package), so a malformed resource is refused with the
FHIR path of each problem (:class:`FhirInputError`, answered as HTTP 422). Then, per medication:
the concept is mapped to the knowledge base (:func:`map_medication`), the single dosage is written
as a sig (:func:`write_sig`), and the earliest start date on record is kept (a MedicationStatement's
``effectivePeriod.start`` / ``effectiveDateTime``, a MedicationRequest's ``authoredOn``) so that the
duration of use is a fact from the record, never assumed.

Draft orders must be ``draft`` MedicationRequests; prefetched ones count only when ``active``.
A resource whose subject is another patient is refused.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from allostasis.errors import AllostasisError, InvalidValueError
from allostasis.interfaces.cds_hooks._dosage import write_sig
from allostasis.interfaces.cds_hooks._medication_mapping import (
    MedicationConcept,
    map_medication,
    unmapped_concept,
)
from allostasis.knowledge import KnowledgeBase

__all__ = [
    "FhirInputError",
    "HookData",
    "MedicationRecord",
    "read_hook_data",
]

MEDICATION_TYPES = ("MedicationRequest", "MedicationStatement")

Role = Literal["new", "pending", "active"]


class FhirInputError(InvalidValueError):
    """Invalid FHIR in a hook request; ``errors`` holds ``{"loc", "msg", "type"}`` per problem."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        self.errors = errors
        super().__init__(
            "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors)
        )


class MedicationRecord(BaseModel):
    """One medication from the hook: the order or statement, what it maps to and its sig."""

    model_config = ConfigDict(frozen=True)

    reference: str
    """``"MedicationRequest/<id>"`` (``"MedicationRequest/#<n>"`` when the resource has no id)."""
    role: Role
    """``new``: the order(s) being selected or signed; ``pending``: other unsigned orders of the
    session; ``active``: the patient's active medications (prefetch)."""
    concept: MedicationConcept
    sig: str | None
    """Order text for the sig parser; ``None`` when the dosage could not be read."""
    dose_problem: str | None
    started: dt.date | None
    """Earliest start on record (``None`` when the record gives none)."""

    @property
    def label(self) -> str:
        return self.concept.label


class HookData(BaseModel):
    """Everything the card rules need from one hook call."""

    model_config = ConfigDict(frozen=True)

    patient_id: str
    medications: list[MedicationRecord]
    age_years: float | None
    today: dt.date


def _validation_errors(exc: ValidationError, where: Sequence[str | int]) -> list[dict[str, Any]]:
    return [
        {"loc": [*where, *e["loc"]], "msg": e["msg"], "type": f"fhir.{e['type']}"}
        for e in exc.errors()
    ]


def _parse_resource(data: Any, where: Sequence[str | int]) -> Any:
    """An R4B model of ``data`` (a JSON object with ``resourceType``)."""
    from fhir.resources.R4B import get_fhir_model_class

    if not isinstance(data, dict) or not isinstance(data.get("resourceType"), str):
        raise FhirInputError(
            [
                {
                    "loc": list(where),
                    "msg": "expected a FHIR resource (an object with resourceType)",
                    "type": "fhir.resource",
                }
            ]
        )
    try:
        cls = get_fhir_model_class(data["resourceType"])
    except (KeyError, ValueError, AttributeError):
        raise FhirInputError(
            [
                {
                    "loc": [*where, "resourceType"],
                    "msg": f"{data['resourceType']!r} is not a FHIR R4 resource type",
                    "type": "fhir.resourceType",
                }
            ]
        ) from None
    try:
        return cls.model_validate(data)
    except ValidationError as exc:
        raise FhirInputError(_validation_errors(exc, where)) from None


def _resources(data: Any, where: list[str | int]) -> list[tuple[Any, list[str | int]]]:
    """The resources of a Bundle's entries, or the single resource; ``null`` gives none."""
    if data is None:
        return []
    res = _parse_resource(data, where)
    if res.get_resource_type() != "Bundle":
        return [(res, where)]
    return [
        (e.resource, [*where, "entry", i, "resource"])
        for i, e in enumerate(res.entry or [])
        if e.resource is not None
    ]


def _date(value: Any) -> dt.date | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _started(res: Any) -> dt.date | None:
    if res.get_resource_type() == "MedicationStatement":
        period = getattr(res, "effectivePeriod", None)
        return _date(period.start if period is not None else None) or _date(
            getattr(res, "effectiveDateTime", None)
        )
    return _date(getattr(res, "authoredOn", None))


def _concept_json(res: Any, bundle_media: dict[str, Any]) -> dict[str, Any] | str:
    """The medication concept as JSON, or why it cannot be resolved."""
    if res.medicationCodeableConcept is not None:
        return dict(res.medicationCodeableConcept.model_dump(mode="json", exclude_none=True))
    ref = res.medicationReference.reference if res.medicationReference is not None else None
    if ref and ref.startswith("#"):
        for c in res.contained or []:
            if c.get_resource_type() == "Medication" and c.id == ref[1:] and c.code is not None:
                return dict(c.code.model_dump(mode="json", exclude_none=True))
    if ref and ref in bundle_media:
        return dict(bundle_media[ref])
    return (
        f"medicationReference {ref!r} cannot be resolved (not contained and not in the data sent)"
    )


def _record(
    res: Any, where: list[str | int], role: Role, kb: KnowledgeBase, media: dict[str, Any]
) -> MedicationRecord:
    rtype = res.get_resource_type()
    ref = f"{rtype}/{res.id}" if res.id else f"{rtype}/#{'.'.join(str(p) for p in where)}"
    concept_json = _concept_json(res, media)
    if isinstance(concept_json, str):
        concept = unmapped_concept(ref, [], concept_json)
    else:
        concept = map_medication(concept_json, kb)
    sig: str | None = None
    problem: str | None = None
    if concept.drug is not None and not concept.rescue_naloxone:
        dosages = (res.dosageInstruction if rtype == "MedicationRequest" else res.dosage) or []
        try:
            sig = write_sig(
                concept, [d.model_dump(mode="json", exclude_none=True) for d in dosages]
            )
        except AllostasisError as exc:
            problem = str(exc)
    return MedicationRecord(
        reference=ref,
        role=role,
        concept=concept,
        sig=sig,
        dose_problem=problem,
        started=_started(res),
    )


def _subject_ok(res: Any, patient_id: str) -> bool:
    subject = getattr(res, "subject", None)
    ref = subject.reference if subject is not None else None
    return ref is None or ref in (f"Patient/{patient_id}", patient_id)


def _age(patient: Any, today: dt.date) -> float | None:
    born = _date(getattr(patient, "birthDate", None))
    if born is None:
        return None
    return (today - born).days / 365.25


def read_hook_data(
    *,
    patient_id: str,
    draft_orders: Any | None,
    selections: Sequence[str] | None,
    prefetch: dict[str, Any],
    medication_keys: Sequence[str],
    patient_key: str,
    kb: KnowledgeBase,
    today: dt.date,
) -> HookData:
    """Validate and read the hook's FHIR data.

    Parameters
    ----------
    patient_id : str
        ``context.patientId``.
    draft_orders : dict, optional
        ``context.draftOrders`` (a Bundle) for the order hooks; ``None`` for ``patient-view``.
    selections : sequence of str, optional
        ``context.selections`` (order-select): the newly selected orders; the other draft orders
        are ``pending``. ``None``: every draft order is ``new`` (order-sign).
    prefetch : dict
        The request's prefetch; ``medication_keys`` name its medication searches and
        ``patient_key`` the Patient.

    Raises
    ------
    FhirInputError
        Invalid FHIR, a draft order that is not a draft, a selection not in the draft orders, or a
        resource of another patient - each with its location.
    """
    errors: list[dict[str, Any]] = []
    records: list[MedicationRecord] = []
    media: dict[str, Any] = {}
    found: list[tuple[Any, list[str | int], Role]] = []

    if draft_orders is not None:
        loc: list[str | int] = ["context", "draftOrders"]
        bundle = _parse_resource(draft_orders, loc)
        if bundle.get_resource_type() != "Bundle":
            raise FhirInputError(
                [{"loc": loc, "msg": "draftOrders must be a FHIR Bundle", "type": "fhir.bundle"}]
            )
        refs: list[str] = []
        for i, e in enumerate(bundle.entry or []):
            res = e.resource
            if res is None:
                continue
            rtype = res.get_resource_type()
            refs.append(f"{rtype}/{res.id}")
            if rtype == "Medication" and res.code is not None:
                media[f"Medication/{res.id}"] = res.code.model_dump(mode="json", exclude_none=True)
            if rtype != "MedicationRequest":
                continue
            where: list[str | int] = [*loc, "entry", i, "resource"]
            if res.status != "draft":
                errors.append(
                    {
                        "loc": [*where, "status"],
                        "msg": f"a draft order must have status 'draft'; got {res.status!r}",
                        "type": "fhir.status",
                    }
                )
            role: Role = "new"
            if selections is not None and f"MedicationRequest/{res.id}" not in selections:
                role = "pending"
            found.append((res, where, role))
        for j, sel in enumerate(selections or []):
            if sel not in refs:
                errors.append(
                    {
                        "loc": ["context", "selections", j],
                        "msg": f"{sel!r} is not an entry of draftOrders",
                        "type": "cds.selections",
                    }
                )

    patient = None
    for key in (*medication_keys, patient_key):
        if key not in prefetch:
            continue
        for res, where in _resources(prefetch[key], ["prefetch", key]):
            rtype = res.get_resource_type()
            if key == patient_key:
                if rtype == "Patient":
                    if res.id and res.id != patient_id:
                        errors.append(
                            {
                                "loc": [*where, "id"],
                                "msg": f"Patient {res.id!r} is not context.patientId {patient_id!r}",
                                "type": "cds.patient",
                            }
                        )
                    patient = res
                continue
            if rtype == "Medication" and res.code is not None:
                media[f"Medication/{res.id}"] = res.code.model_dump(mode="json", exclude_none=True)
            if rtype in MEDICATION_TYPES and res.status == "active":
                found.append((res, where, "active"))

    for res, where, _ in found:
        if not _subject_ok(res, patient_id):
            errors.append(
                {
                    "loc": [*where, "subject"],
                    "msg": f"{res.subject.reference!r} is not context.patientId {patient_id!r}",
                    "type": "cds.patient",
                }
            )
    if errors:
        raise FhirInputError(errors)
    records = [_record(res, where, role, kb, media) for res, where, role in found]
    return HookData(
        patient_id=patient_id,
        medications=records,
        age_years=_age(patient, today) if patient is not None else None,
        today=today,
    )
