"""Sig parser: the supported order forms, the maximum daily dose, and every refusal.

Maximum daily dose for PRN orders = most units per dose x shortest interval (hand-computed below);
the CDC 2022 guideline computes MME from the daily dose the order allows (Dowell et al., MMWR Recomm
Rep 2022;71(3), doi:10.15585/mmwr.rr7103a1).
"""

from __future__ import annotations

import pytest

from allostasis.clinical._sig import parse_sig
from allostasis.errors import InvalidValueError, UnitError, UnknownDrugError


@pytest.mark.parametrize(
    ("sig", "kwargs", "drug", "max_daily", "unit"),
    [
        # 5 mg x 1 tab x 24/6 = 20 mg/day
        ("oxycodone 1 tab PO q6h PRN pain", {"strength": "5 mg"}, "oxycodone", 20.0, "mg/day"),
        (
            "1 tab PO q6h PRN pain",
            {"drug": "oxycodone", "strength": "5 mg"},
            "oxycodone",
            20,
            "mg/day",
        ),
        ("oxycodone 5 mg 1 tab PO q6h PRN pain", {}, "oxycodone", 20.0, "mg/day"),
        ("morphine 10 mg BID", {}, "morphine", 20.0, "mg/day"),
        ("fentanyl 25 mcg/h 1 patch q72h", {}, "fentanyl", 25.0, "mcg/h"),
        # 5 mg x 2 tabs x 24/4 = 60 mg/day (PRN at maximum)
        (
            "hydrocodone/acetaminophen 5/325 mg 1-2 tabs q4-6h PRN",
            {},
            "hydrocodone",
            60.0,
            "mg/day",
        ),
        # 5 mg x 120 / 30 = 20 mg/day
        ("oxycodone 5 mg 120 tablets / 30 days", {}, "oxycodone", 20.0, "mg/day"),
        ("methadone 10 mg PO every 8 hours", {}, "methadone", 30.0, "mg/day"),
        ("morphine 10 mg/5 mL 5 mL PO q4h PRN pain", {}, "morphine", 60.0, "mg/day"),
        ("morphine 5-10 mg PO q4h PRN", {}, "morphine", 60.0, "mg/day"),
        ("oxycodone HCl ER 20 mg 1 tab PO twice daily", {}, "oxycodone", 40.0, "mg/day"),
        # 2 tabs x 24/3 = 16 tabs/day, capped at 8 tabs x 2 mg = 16 mg/day
        (
            "hydromorphone 2 mg 1-2 tabs PO q3-4h PRN max 8 tabs/day",
            {},
            "hydromorphone",
            16.0,
            "mg/day",
        ),
        ("tramadol 50 mg 1 tab PO QID 120 tablets/30 days", {}, "tramadol", 200.0, "mg/day"),
        ("codeine 30 mg 1 tab PO TID", {}, "codeine", 90.0, "mg/day"),
        ("tapentadol 50 mg 1 tab by mouth daily", {}, "tapentadol", 50.0, "mg/day"),
        ("fentanyl 50 mcg/h 10 patches / 30 days", {}, "fentanyl", 50.0, "mcg/h"),
        ("buprenorphine/naloxone 8/2 mg 1 film SL daily", {}, "buprenorphine", 8.0, "mg/day"),
        ("Roxicodone 15 mg 1 tab PO q4h PRN", {}, "oxycodone", 90.0, "mg/day"),
    ],
)
def test_supported_sigs_give_the_maximum_daily_dose(
    sig: str, kwargs: dict[str, str], drug: str, max_daily: float, unit: str
) -> None:
    o = parse_sig(sig, **kwargs)
    assert o.drug == drug
    assert o.max_daily_dose == pytest.approx(max_daily)
    assert o.daily_dose_unit == unit


def test_combination_product_keeps_the_co_ingredient_strength() -> None:
    o = parse_sig("hydrocodone/acetaminophen 5/325 mg 1-2 tabs q4-6h PRN pain")
    assert o.co_ingredients == {"acetaminophen": 325.0}
    assert (o.strength, o.strength_unit) == (5.0, "mg")
    assert (o.units_per_dose_low, o.units_per_dose_high) == (1.0, 2.0)
    assert (o.per_day_min, o.per_day_max) == (4.0, 6.0)
    assert o.prn
    assert o.prn_reason == "pain"
    assert o.dose_form == "tablet"


def test_prn_counts_the_maximum_not_the_minimum() -> None:
    # 1-2 tabs q4-6h: the least would be 1 x 4 = 4 tabs/day, the most 2 x 6 = 12 tabs/day
    o = parse_sig("oxycodone 5 mg 1-2 tabs PO q4-6h PRN pain")
    assert o.max_units_per_day == 12.0
    assert o.max_daily_dose == 60.0


def test_written_daily_maximum_caps_a_prn_order() -> None:
    o = parse_sig("oxycodone 5 mg 1-2 tabs PO q4h PRN pain max 6 tabs/day")
    assert o.max_units_per_day == 6.0
    assert o.max_daily_dose == 30.0


def test_route_recorded_and_assumption_noted() -> None:
    stated = parse_sig("oxycodone 5 mg 1 tab PO q6h")
    assert (stated.route, stated.route_stated, stated.notes) == ("oral", True, [])
    assumed = parse_sig("morphine 10 mg BID")
    assert (assumed.route, assumed.route_stated) == ("oral", False)
    assert "oral assumed" in assumed.notes[0]
    patch = parse_sig("fentanyl 25 mcg/h 1 patch q72h")
    assert patch.route == "transdermal"
    assert patch.per_day_max == pytest.approx(1 / 3)


def test_quantity_and_days_supply_are_kept() -> None:
    o = parse_sig("oxycodone 5 mg 120 tablets / 30 days")
    assert (o.quantity, o.days_supply, o.frequency) == (120.0, 30.0, None)
    assert o.max_units_per_day == 4.0


# ------------------------------------------------------------------------------------ refusals
@pytest.mark.parametrize(
    ("sig", "kwargs", "match"),
    [
        ("oxycodone 1 tab PO q6h PRN pain", {}, r"strength: missing.*pass strength='5 mg'"),
        ("oxycodone 5 mg 1 tab PO", {}, r"frequency: missing; write how often, e\.g\. 'q6h'"),
        ("oxycodone 5 mg 1 tab as directed", {}, r"'as directed' gives no dose or frequency"),
        ("oxycodone 5 mg 1 tab PO UD", {}, r"'as directed'"),
        ("oxycodone 5 mg 2 puffs q6h", {}, r"unknown unit in '2 puffs'; write the strength in mg"),
        ("oxycodone 5 units q6h", {}, r"unknown unit in '5 units'"),
        ("oxycodone 5 mg 1 tab BID q6h", {}, r"contradictory frequencies \(q6h, BID\)"),
        ("oxycodone 5 mg 1 tab PO q6h q8h", {}, r"contradictory frequencies"),
        ("oxycodone 5 mg 1 tab PO SL q6h", {}, r"contradictory routes"),
        ("oxycodone 5 mg 10 mg q6h", {}, r"more than one strength \('5 mg', '10 mg'\)"),
        ("oxycodone 5 mg 1 tab q6h then 1 tab q8h", {}, r"'then' starts a second instruction"),
        ("1 tab PO q6h PRN pain", {"strength": "5 mg"}, r"drug: missing; start the sig"),
        ("Norco 5/325 mg 1 tab q6h", {}, r"has 2 parts but the drug name has 1 component"),
        ("hydrocodone/acetaminophen 5 mg 1 tab q6h", {}, r"one strength for a combination"),
        ("oxycodone/morphine 5/10 mg 1 tab q6h", {}, r"names two opioids"),
        ("fentanyl 25 mcg/h 1 tab q72h", {}, r"a strength in mcg/h is a patch"),
        ("fentanyl 25 mcg/h 1 patch PO q72h", {}, r"a patch is transdermal; the sig says oral"),
        ("morphine 10 mg 5 mL q4h", {}, r"a dose in mL needs a concentration"),
        ("oxycodone 5 mg 1 tab PO q6h 200 tablets/30 days", {}, r"exceeds the most the frequency"),
        (
            "morphine 30 mg 1 tab PO BID 30 tablets/30 days",
            {},
            r"less than the scheduled 2 per day",
        ),
        ("oxycodone 5 mg 1 tab PO q6h frobnicate PRN", {}, r"cannot read 'frobnicate'"),
        ("oxycodone 5 mg 2-1 tabs q6h", {}, r"units per dose must be > 0 and low <= high"),
        ("oxycodone 5 mg 1 tab q0h", {}, r"interval must be > 0"),
        (
            "oxycodone 5 mg 1 tab PO q6h",
            {"strength": "10 mg"},
            r"the sig gives 5 mg but strength=10 mg",
        ),
        (
            "oxycodone 5 mg 1 tab PO q6h",
            {"drug": "morphine"},
            r"names oxycodone but drug='morphine'",
        ),
        ("", {}, r"sig: expected the text of an order"),
    ],
)
def test_refusals_name_what_is_wrong_and_what_to_write(
    sig: str, kwargs: dict[str, str], match: str
) -> None:
    with pytest.raises(InvalidValueError, match=match):
        parse_sig(sig, **kwargs)


@pytest.mark.parametrize(
    ("sig", "match"),
    [
        ("oxycodon 5 mg 1 tab q6h", r"'oxycodon' is not in the knowledge base; did you mean"),
        ("diazepam 5 mg 1 tab BID", r"diazepam is a benzodiazepine, not an opioid"),
        ("percocet 5/325 mg 1 tab q6h", r"'percocet' is not in the knowledge base.*opioids\.toml"),
    ],
)
def test_drugs_that_are_not_known_opioids_are_refused(sig: str, match: str) -> None:
    with pytest.raises(UnknownDrugError, match=match):
        parse_sig(sig)


def test_strength_given_separately_needs_a_unit() -> None:
    with pytest.raises(UnitError, match=r"strength: a bare number \(5\) has no unit"):
        parse_sig("oxycodone 1 tab PO q6h", strength=5)
    with pytest.raises(UnitError, match=r"expected mg per tablet/capsule, mcg/h per patch"):
        parse_sig("oxycodone 1 tab PO q6h", strength="5 h")
