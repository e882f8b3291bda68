"""The sig parser reads non-opioid orders only when asked (``drug_classes``), with the same refusals."""

from __future__ import annotations

import pytest

from allostasis.clinical import calculate_mme, parse_sig
from allostasis.errors import InvalidValueError, UnknownDrugError

SEDATIVES = ("opioid", "benzodiazepine", "z-drug", "gabapentinoid")


@pytest.mark.parametrize(
    ("sig", "drug", "mg_per_day"),
    [
        ("alprazolam 1 mg TID", "alprazolam", 3.0),
        ("gabapentin 300 mg 1 cap PO TID", "gabapentin", 900.0),
        ("zolpidem 10 mg at night", "zolpidem", 10.0),
        ("zolpidem 5 mg nocte", "zolpidem", 5.0),
        ("lorazepam 0.5 mg q8h PRN anxiety", "lorazepam", 1.5),
        ("pregabalin 75 mg BID", "pregabalin", 150.0),
    ],
)
def test_non_opioid_orders_read_when_their_class_is_allowed(
    sig: str, drug: str, mg_per_day: float
) -> None:
    o = parse_sig(sig, drug_classes=SEDATIVES)
    assert o.drug == drug
    assert o.max_daily_dose == pytest.approx(mg_per_day)


def test_default_still_takes_opioids_only() -> None:
    with pytest.raises(UnknownDrugError, match="alprazolam is a benzodiazepine, not an opioid"):
        parse_sig("alprazolam 1 mg TID")
    with pytest.raises(UnknownDrugError, match=r"sertraline is a ssri; orders read here are of"):
        parse_sig("sertraline 50 mg daily", drug_classes=SEDATIVES)


def test_at_night_is_once_daily_for_opioids_too() -> None:
    assert calculate_mme(["morphine 30 mg PO at night"]).total_mme_per_day == pytest.approx(30.0)


def test_buprenorphine_naloxone_brand_read_as_its_components() -> None:
    o = parse_sig("Suboxone 8/2 mg SL daily")
    assert o.drug == "buprenorphine"
    assert o.co_ingredients == {"naloxone": 2.0}
    assert "suboxone read as buprenorphine/naloxone" in o.notes


@pytest.mark.parametrize(
    ("sig", "match"),
    [
        ("alprazolam -1 mg TID", "minus sign"),
        ("oxycodone 0 mg BID", "strength must be > 0"),
        ("oxycodone 0-10 mg q4h", "dose range must be > 0"),
        ("alprazolam/oxycodone 1/5 mg TID", r"names two drugs \(alprazolam, oxycodone\)"),
        ("zolpidem 10 mg at night as directed", "'as directed'"),
    ],
)
def test_refusals_apply_to_every_class(sig: str, match: str) -> None:
    with pytest.raises(InvalidValueError, match=match):
        parse_sig(sig, drug_classes=SEDATIVES)
