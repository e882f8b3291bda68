"""MME calculator: CDC 2022 worked examples, set rules, exclusions, flags and the never-mix rule.

Worked examples: CDC 2022 guideline, notes to the MME table (Dowell et al., MMWR Recomm Rep
2022;71(3), doi:10.15585/mmwr.rr7103a1): "tablets containing hydrocodone 5 mg and acetaminophen
325 mg taken four times a day ... 20 MME daily; extended-release tablets containing oxycodone 10 mg
and taken twice a day ... 30 MME daily". Other expected values are hand-computed from the factor
tables (cited in tests/knowledge/test_mme_factors.py).
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allostasis.clinical._mme import (
    MME_NOT_FOR_CONVERSION,
    calculate_mme,
    combine_mme,
)
from allostasis.clinical._sig import parse_sig
from allostasis.errors import InvalidValueError, UnknownDrugError


def test_cdc_2022_worked_example_hydrocodone_apap_qid_is_20_mme() -> None:
    r = calculate_mme(["hydrocodone/acetaminophen 5/325 mg 1 tab PO QID"])
    (row,) = r.orders
    assert (row.daily_dose, row.daily_dose_unit, row.factor) == (20.0, "mg/day", 1.0)
    assert row.mme_per_day == pytest.approx(20.0)


def test_cdc_2022_worked_example_oxycodone_er_bid_is_30_mme() -> None:
    r = calculate_mme(["oxycodone ER 10 mg 1 tab PO BID"])
    assert r.orders[0].daily_dose == 20.0
    assert r.total_mme_per_day == pytest.approx(30.0)


def test_total_over_several_orders_and_the_50_mme_flag() -> None:
    r = calculate_mme(
        ["hydrocodone/acetaminophen 5/325 mg 1 tab PO QID", "oxycodone ER 10 mg 1 tab PO BID"]
    )
    assert r.factor_set == "cdc-2022"
    assert r.total_mme_per_day == pytest.approx(50.0)
    assert r.reassessment_threshold == 50
    assert r.at_or_above_reassessment
    assert r.thresholds_reached[0].startswith(">= 50 MME/day: reassess")
    below = calculate_mme(["oxycodone ER 10 mg 1 tab PO BID"])
    assert not below.at_or_above_reassessment
    assert below.thresholds_reached == []


def test_per_order_detail_names_dose_unit_factor_and_source() -> None:
    r = calculate_mme(["morphine 15 mg 1 tab PO q4h PRN pain"])
    row = r.orders[0]
    # PRN at maximum: 15 mg x 6/day = 90 mg/day x 1.0
    assert (row.daily_dose, row.daily_dose_unit) == (90.0, "mg/day")
    assert (row.factor, row.factor_unit, row.factor_source) == (
        1.0,
        "MME/day per mg/day",
        "cdc-2022-opioid-guideline",
    )
    assert row.mme_per_day == 90.0
    assert any("90 MME/day" in b for b in r.basis)
    assert "doi:10.15585/mmwr.rr7103a1" in r.basis[0]


@pytest.mark.parametrize(
    ("sig", "set_id", "expected"),
    [
        ("hydromorphone 4 mg 1 tab PO q6h", "cdc-2022", 16 * 5.0),
        ("hydromorphone 4 mg 1 tab PO q6h", "cdc-2016", 16 * 4.0),
        ("hydromorphone 4 mg 1 tab PO q6h", "cdc-2018-analytic", 16 * 4.0),
        ("tramadol 50 mg 1 tab PO QID", "cdc-2022", 200 * 0.2),
        ("tramadol 50 mg 1 tab PO QID", "cdc-2018-analytic", 200 * 0.1),
        ("codeine 30 mg 1 tab PO q4h PRN", "cdc-2022", 180 * 0.15),
        ("tapentadol 100 mg 1 tab PO BID", "cdc-2022", 200 * 0.4),
        ("oxymorphone 10 mg 1 tab PO BID", "cdc-2022", 20 * 3.0),
        ("methadone 10 mg 1 tab PO TID", "cdc-2022", 30 * 4.7),
        ("methadone 10 mg 1 tab PO TID", "cdc-2016", 30 * 8.0),
        ("methadone 10 mg 1 tab PO TID", "cdc-2018-analytic", 30 * 3.0),
        ("methadone 5 mg 1 tab PO BID", "cdc-2016", 10 * 4.0),
        ("methadone 10 mg 3 tabs PO BID", "cdc-2016", 60 * 10.0),
        ("methadone 10 mg 7 tabs PO daily", "cdc-2016", 70 * 12.0),
    ],
)
def test_hand_computed_examples_by_set(sig: str, set_id: str, expected: float) -> None:
    assert calculate_mme([sig], factor_set=set_id).total_mme_per_day == pytest.approx(expected)


def test_fentanyl_patch_per_mcg_per_h() -> None:
    clinical = calculate_mme(["fentanyl 25 mcg/h 1 patch q72h"])
    row = clinical.orders[0]
    assert (row.daily_dose, row.daily_dose_unit, row.factor) == (25.0, "mcg/h", 2.4)
    assert row.mme_per_day == pytest.approx(60.0)
    assert any("mcg/h, not mg/day" in w for w in clinical.warnings)
    # 2 patches worn together: 50 mcg/h
    assert calculate_mme(["fentanyl 25 mcg/h 2 patches q72h"]).total_mme_per_day == 120.0


def test_fentanyl_analytic_rule_uses_patches_per_day() -> None:
    # 25 mcg/h x (1 patch / 3 days) x 7.2 = 60; changed every 48 h: 25 x 0.5 x 7.2 = 90
    q72 = calculate_mme(["fentanyl 25 mcg/h 1 patch q72h"], factor_set="cdc-2018-analytic")
    q48 = calculate_mme(["fentanyl 25 mcg/h 1 patch q48h"], factor_set="cdc-2018-analytic")
    assert q72.total_mme_per_day == pytest.approx(60.0)
    assert q48.total_mme_per_day == pytest.approx(90.0)
    # the clinical rule counts the rate worn, whatever the change interval
    assert calculate_mme(["fentanyl 25 mcg/h 1 patch q48h"]).total_mme_per_day == 60.0


def test_methadone_band_uses_the_total_methadone_dose() -> None:
    # 15 + 15 = 30 mg/day in total -> band (20, 40] -> factor 8 for both orders (not 4 each)
    r = calculate_mme(
        ["methadone 5 mg 1 tab PO TID", "methadone 5 mg 1 tab PO TID"], factor_set="cdc-2016"
    )
    assert [o.factor for o in r.orders] == [8.0, 8.0]
    assert r.total_mme_per_day == pytest.approx(240.0)
    assert "holding the total methadone dose of 30" in r.orders[0].notes[-1]


def test_methadone_above_the_2016_table_is_flagged() -> None:
    r = calculate_mme(["methadone 10 mg 9 tabs PO daily"], factor_set="cdc-2016")
    assert r.total_mme_per_day == pytest.approx(90 * 12.0)
    assert any("beyond the 2016 table" in w for w in r.warnings)


def test_buprenorphine_listed_not_counted_with_reason() -> None:
    r = calculate_mme(
        ["buprenorphine/naloxone 8/2 mg 1 film SL daily", "oxycodone 5 mg 1 tab PO q6h PRN pain"]
    )
    bup = r.orders[0]
    assert (bup.counted, bup.mme_per_day, bup.factor) == (False, None, None)
    assert bup.excluded_reason is not None
    assert "partial mu-opioid agonist" in bup.excluded_reason
    assert r.total_mme_per_day == pytest.approx(30.0)
    assert any("Buprenorphine is listed but not counted" in n for n in r.notes)


@pytest.mark.parametrize("set_id", ["cdc-2022", "cdc-2016", "cdc-2018-analytic"])
def test_every_result_warns_that_mme_is_not_for_converting(set_id: str) -> None:
    r = calculate_mme(["morphine 30 mg 1 tab PO BID"], factor_set=set_id)
    assert r.notes[0] == MME_NOT_FOR_CONVERSION
    assert "do not use the calculated MME to choose the dose when switching" in r.notes[0]


def test_prn_counted_at_maximum_in_mme() -> None:
    # 1-2 tabs q4-6h PRN: 2 tabs x 6/day x 5 mg = 60 mg hydrocodone = 60 MME (not 20, not 40)
    r = calculate_mme(["hydrocodone/acetaminophen 5/325 mg 1-2 tabs q4-6h PRN"])
    assert r.total_mme_per_day == pytest.approx(60.0)
    assert r.orders[0].prn


# ------------------------------------------------------------------------- never mixing sets
def test_combining_results_of_different_sets_is_refused() -> None:
    clinical = calculate_mme(["morphine 30 mg 1 tab PO BID"])
    analytic = calculate_mme(["tramadol 50 mg 1 tab PO QID"], factor_set="cdc-2018-analytic")
    with pytest.raises(InvalidValueError, match=r"cannot combine MME from different factor sets"):
        combine_mme(clinical, analytic)


def test_combining_results_of_one_set_recomputes_the_total() -> None:
    a = calculate_mme(["methadone 5 mg 1 tab PO TID"], factor_set="cdc-2016")
    b = calculate_mme(["methadone 5 mg 1 tab PO TID"], factor_set="cdc-2016")
    # alone each is 15 mg/day x 4 = 60; together 30 mg/day -> factor 8 -> 240 (not 120)
    assert a.total_mme_per_day + b.total_mme_per_day == 120.0
    assert combine_mme(a, b).total_mme_per_day == pytest.approx(240.0)


def test_asking_for_two_sets_at_once_is_refused() -> None:
    with pytest.raises(InvalidValueError, match=r"give ONE factor-set id \(sets are never mixed\)"):
        calculate_mme(["morphine 30 mg PO BID"], factor_set=["cdc-2022", "cdc-2016"])


def test_every_order_in_a_result_uses_the_named_set() -> None:
    r = calculate_mme(
        ["morphine 30 mg PO BID", "fentanyl 25 mcg/h 1 patch q72h"], factor_set="cdc-2018-analytic"
    )
    assert r.factor_set_kind == "analytic"
    assert {o.factor_source for o in r.orders} == {"cdc-2018-mme-analytic-file"}
    assert r.reassessment_threshold is None
    assert not r.at_or_above_reassessment


# ------------------------------------------------------------------------------------ errors
def test_unknown_set_and_uncovered_drug_or_route() -> None:
    with pytest.raises(UnknownDrugError, match=r"'cdc-2099' is not an MME factor set"):
        calculate_mme(["morphine 30 mg PO BID"], factor_set="cdc-2099")
    with pytest.raises(UnknownDrugError, match=r"'cdc-2016' has no MME factor for tapentadol"):
        calculate_mme(["tapentadol 50 mg 1 tab PO BID"], factor_set="cdc-2016")
    with pytest.raises(
        UnknownDrugError, match=r"no MME factor for morphine by the intravenous route"
    ):
        calculate_mme(["morphine 4 mg IV q4h PRN"])


def test_empty_or_bare_string_orders_are_refused() -> None:
    with pytest.raises(InvalidValueError, match=r"orders: give a list of one or more orders"):
        calculate_mme([])
    with pytest.raises(InvalidValueError, match=r"orders: give a list"):
        calculate_mme("morphine 30 mg PO BID")


def test_parsed_orders_are_accepted() -> None:
    o = parse_sig("1 tab PO q6h PRN pain", drug="oxycodone", strength="5 mg")
    assert calculate_mme([o]).total_mme_per_day == pytest.approx(30.0)


# ------------------------------------------------------------------------------ properties
_DRUGS_2022 = ["codeine", "hydrocodone", "hydromorphone", "methadone", "morphine", "oxycodone",
               "oxymorphone", "tapentadol", "tramadol"]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(
    drug=st.sampled_from(_DRUGS_2022),
    strength=st.integers(min_value=1, max_value=400).map(lambda n: n / 4),
    k=st.integers(min_value=2, max_value=8),
    interval=st.sampled_from([4, 6, 8, 12, 24]),
    set_id=st.sampled_from(["cdc-2022", "cdc-2018-analytic"]),
)
def test_mme_is_linear_in_dose(
    drug: str, strength: float, k: int, interval: int, set_id: str
) -> None:
    one = calculate_mme([f"{drug} {strength:g} mg 1 tab PO q{interval}h"], factor_set=set_id)
    scaled = calculate_mme([f"{drug} {strength * k:g} mg 1 tab PO q{interval}h"], factor_set=set_id)
    assert scaled.total_mme_per_day == pytest.approx(k * one.total_mme_per_day, rel=1e-9)
    # and additive over orders
    both = calculate_mme([f"{drug} {strength:g} mg 1 tab PO q{interval}h"] * 2, factor_set=set_id)
    assert both.total_mme_per_day == pytest.approx(2 * one.total_mme_per_day, rel=1e-9)


@settings(max_examples=40, deadline=None)
@given(
    rate=st.sampled_from([12, 25, 37.5, 50, 62.5, 75, 87.5, 100]),
    patches=st.integers(min_value=1, max_value=3),
)
def test_fentanyl_mme_is_linear_in_mcg_per_h(rate: float, patches: int) -> None:
    r = calculate_mme([f"fentanyl {rate:g} mcg/h {patches} patch q72h"])
    assert r.total_mme_per_day == pytest.approx(2.4 * rate * patches)
