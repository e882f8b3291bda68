"""Mapping FHIR medication concepts to the knowledge base, and FHIR dosages to sigs, checked
through the library's MME (CDC 2022 factors: oxycodone 1.5, hydrocodone 1, morphine 1,
transdermal fentanyl 2.4 MME/day per mcg/h)."""

from __future__ import annotations

from typing import Any

import pytest

from allostasis.clinical import assess_risk
from allostasis.errors import InvalidValueError
from allostasis.interfaces.cds_hooks import RXNORM_SYSTEM, map_medication, write_sig
from allostasis.knowledge import load_knowledge_base

KB = load_knowledge_base()


def _rx(*codes: str) -> list[dict[str, str]]:
    return [{"system": RXNORM_SYSTEM, "code": c} for c in codes]


@pytest.mark.parametrize(
    ("concept", "drug", "matched_by"),
    [
        ({"coding": _rx("596")}, "alprazolam", "rxnorm"),
        ({"coding": _rx("7804"), "text": "oxycodone HCl 5 MG Oral Tablet"}, "oxycodone", "rxnorm"),
        ({"text": "Xanax"}, "alprazolam", "name"),
        ({"coding": [{"system": "urn:local", "code": "9", "display": "clonazepam 0.5 MG Oral Tablet"}]}, "clonazepam", "name"),
        ({"text": "morphine sulfate 30 MG Extended Release Oral Tablet"}, "morphine", "name"),
    ],
)  # fmt: skip
def test_maps_by_rxnorm_ingredient_code_and_by_name(
    concept: dict[str, Any], drug: str, matched_by: str
) -> None:
    c = map_medication(concept, KB)
    assert (c.drug, c.matched_by, c.unmapped_reason) == (drug, matched_by, None)


@pytest.mark.parametrize(
    ("concept", "reason"),
    [
        ({"text": "lisinopril 10 MG Oral Tablet"}, "'lisinopril' is not in the knowledge base"),
        ({"coding": _rx("1049621")}, "clinical-drug codes are not resolved offline"),
        ({"coding": _rx("7804"), "text": "alprazolam 1 MG Oral Tablet"}, "they disagree"),
        ({"text": "oxycodone 5 MG / alprazolam 1 MG Oral Tablet"}, "names several drugs"),
        ({}, "neither a readable name nor an RxNorm ingredient code"),
    ],
)
def test_refuses_what_it_cannot_map(concept: dict[str, Any], reason: str) -> None:
    c = map_medication(concept, KB)
    assert c.drug is None
    assert reason in str(c.unmapped_reason)


def test_naloxone_alone_is_rescue_and_buprenorphine_naloxone_is_not() -> None:
    rescue = map_medication({"text": "naloxone hydrochloride 4 MG/ACTUAT Nasal Spray"}, KB)
    assert (rescue.rescue_naloxone, rescue.buprenorphine_naloxone) == (True, False)
    combo = map_medication({"coding": _rx("1819", "7242")}, KB)
    assert (combo.drug, combo.co_ingredients, combo.rescue_naloxone) == (
        "buprenorphine",
        ["naloxone"],
        False,
    )


def _dose(qty: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    d: dict[str, Any] = dict(extra)
    if qty is not None:
        d["doseAndRate"] = [qty]
    return d


@pytest.mark.parametrize(
    ("name", "dosage", "sig", "mme"),
    [
        (
            "hydrocodone bitartrate 5 MG / acetaminophen 325 MG Oral Tablet",
            _dose(
                {"doseQuantity": {"value": 1, "unit": "tablet"}},
                timing={"repeat": {"frequency": 1, "period": 6, "periodUnit": "h"}},
                asNeededBoolean=True,
            ),
            "hydrocodone/acetaminophen 5/325 mg 1 tab PO q6h PRN",
            20.0,  # 5 mg x 4/day x 1
        ),
        (
            "fentanyl 25 MCG/HR Transdermal System",
            _dose(
                {"doseQuantity": {"value": 1, "unit": "patch"}},
                timing={"repeat": {"frequency": 1, "period": 72, "periodUnit": "h"}},
            ),
            "fentanyl 25 mcg/h 1 patch TD q72h",
            60.0,  # 25 mcg/h x 2.4
        ),
        (
            "oxycodone",
            _dose(
                {"doseRange": {"low": {"value": 5, "unit": "mg"}, "high": {"value": 10, "unit": "mg"}}},
                timing={"repeat": {"frequency": 1, "period": 4, "periodMax": 6, "periodUnit": "h"}},
                asNeededCodeableConcept={"coding": [{"system": "urn:x", "code": "p", "display": "Pain 2"}]},
                route={"text": "oral"},
            ),
            "oxycodone 5-10 mg PO q4-6h PRN pain",
            90.0,  # 10 mg x 6/day x 1.5
        ),
        (
            "oxycodone",
            _dose(
                {"doseQuantity": {"value": 10, "code": "mg"}},
                timing={"repeat": {"frequency": 1, "period": 4, "periodUnit": "h"}},
                asNeededBoolean=True,
                maxDosePerPeriod={"numerator": {"value": 20, "code": "mg"}, "denominator": {"value": 12, "code": "h"}},
            ),
            "oxycodone 10 mg q4h PRN max 40 mg/day",
            60.0,  # capped at 40 mg/day (20 mg per 12 h) x 1.5
        ),
        (
            "morphine",
            {"text": "15 mg by mouth every 8 hours"},
            "morphine 15 mg by mouth every 8 hours",
            45.0,
        ),
    ],
)  # fmt: skip
def test_dosage_to_sig_to_mme(name: str, dosage: dict[str, Any], sig: str, mme: float) -> None:
    concept = map_medication({"text": name}, KB)
    written = write_sig(concept, [dosage])
    assert written == sig
    assert assess_risk([written]).total_mme_per_day == pytest.approx(mme)


@pytest.mark.parametrize(
    ("dosages", "message"),
    [
        ([], "none given"),
        ([{"text": "a"}, {"text": "b"}], "multi-step regimen"),
        ([_dose({"doseQuantity": {"value": 1, "unit": "puff"}}, timing={"code": {"text": "BID"}})], "'puff' is not read"),
        ([_dose({"doseQuantity": {"value": 5, "unit": "mg"}}, timing={"repeat": {"period": 1, "periodUnit": "mo"}})], "periodUnit 'mo'"),
        ([_dose({"doseQuantity": {"value": 5, "unit": "mg"}})], "timing: no frequency"),
        ([_dose({"doseQuantity": {"value": 5, "unit": "mg"}}, timing={"code": {"text": "BID"}}, route={"text": "intrathecal"})], "route 'intrathecal' is not read"),
    ],
)  # fmt: skip
def test_dosage_parts_it_cannot_read_are_refused(
    dosages: list[dict[str, Any]], message: str
) -> None:
    with pytest.raises(InvalidValueError, match=message):
        write_sig(map_medication({"text": "oxycodone"}, KB), dosages)


def test_tablet_dose_needs_the_strength_in_the_name() -> None:
    with pytest.raises(InvalidValueError, match="strength per unit of 'oxycodone' is not written"):
        write_sig(
            map_medication({"text": "oxycodone"}, KB),
            [
                _dose(
                    {"doseQuantity": {"value": 1, "unit": "tablet"}},
                    timing={"code": {"text": "QID"}},
                )
            ],
        )
