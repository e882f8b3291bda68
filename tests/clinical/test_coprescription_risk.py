"""Co-prescription risk and naloxone: every trigger on its own, the issue's patient, published
estimates, buprenorphine/naloxone is not rescue naloxone, MME totals, and refusals."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from allostasis.clinical import (
    BUPRENORPHINE_NALOXONE_NOT_RESCUE,
    DECISION_SUPPORT_NOTICE,
    MME_NOT_FOR_CONVERSION,
    OverdoseRiskProfile,
    assess_risk,
    recommend_naloxone,
)
from allostasis.errors import InvalidValueError, UnknownDrugError
from allostasis.knowledge import load_knowledge_base

KB = load_knowledge_base()
LOW_DOSE_OPIOID = "oxycodone 5 mg 1 tab PO q6h PRN pain"  # 20 mg/day x 1.5 = 30 MME/day
BOTH_BENZO_RULES = ["cdc-2022/concurrent-benzodiazepine", "brunner-2025/benzodiazepine-with-opioid"]


def _risk(meds: list[str], **kw: object) -> object:
    return assess_risk(meds, kb=KB, **kw)  # type: ignore[arg-type]


# ---------------------------------------------------------------- the issue's "done when" patient


def test_issue_patient_alprazolam_tid_six_years_age_68_on_oxycodone_bid() -> None:
    r = assess_risk(
        ["alprazolam 1 mg TID for 6 years", "oxycodone 10 mg twice a day"], age_years=68, kb=KB
    )
    # CDC 2022: oxycodone 20 mg/day x 1.5 = 30 MME/day (below the 50 MME/day reassessment point)
    assert r.total_mme_per_day == pytest.approx(30.0)
    assert r.mme is not None
    assert r.mme.factor_set == "cdc-2022"
    assert r.medications[0].duration_of_use == "6 years"
    # alprazolam 3 mg/day: Ashton 0.5 mg = 10 mg diazepam -> 60 mg; VA/DoD 1 mg = 10 mg -> 30 mg
    de = r.diazepam_equivalents
    assert de is not None
    assert de.source == "ashton-2002"
    assert de.total_diazepam_mg_per_day == pytest.approx(60.0)
    assert de.total_by_source == pytest.approx(
        {"ashton-2002": 60.0, "va-dod-2021": 30.0, "nhs-scotland-2024": 60.0, "who-2009": 30.0}
    )
    assert de.sources_disagree is True
    assert any("disagree by 100%" in w for w in r.warnings)
    # the opioid + benzodiazepine flag carries Park 2015's estimate
    assert [f.interaction for f in r.interactions] == ["opioid+benzodiazepine"]
    flag = r.interactions[0]
    est = flag.primary_estimate
    assert est is not None
    assert (est.value, est.ci_low, est.ci_high) == (3.86, 3.49, 4.26)
    assert est.source == "park-2015-benzodiazepine-opioid"
    assert "death from drug overdose" in est.outcome
    assert "10.1136/bmj.h2698" in r.citations["park-2015-benzodiazepine-opioid"]
    assert "GABA-A" in flag.mechanism
    assert "mu-opioid" in flag.mechanism
    # naloxone: both CDC 2022 (concurrent benzodiazepine) and Brunner 2025
    n = r.naloxone
    assert n.recommended
    assert n.level == "offer"
    assert n.rules == BOTH_BENZO_RULES
    assert [t.source for t in n.triggers] == ["cdc-2022-opioid-guideline", "brunner-2025"]
    assert [m.factor for m in n.modifiers] == ["older age"]
    assert "10.1007/s11606-025-09499-2" in r.citations["brunner-2025"]
    # warnings and notes per CDC 2022 / Brunner 2025; decision support
    assert any("taper the opioid first" in w for w in r.warnings)
    assert any("every 3 months" in w for w in r.warnings)
    assert MME_NOT_FOR_CONVERSION in r.notes
    assert r.disclaimer == DECISION_SUPPORT_NOTICE
    assert 0.5 < r.sedative_burden.predicted_ventilation < 0.95  # model: 0.87 of baseline
    assert r.sedative_burden.classes == {"opioid": 1, "benzodiazepine": 1}
    # results are data: JSON round trip keeps the numbers and the basis
    d = json.loads(json.dumps(r.to_dict()))
    assert d["total_mme_per_day"] == 30.0
    assert d["interactions"][0]["primary_estimate"]["value"] == 3.86
    assert any("x 1.5" in b for b in d["basis"])
    assert any("cdc-2022/concurrent-benzodiazepine" in b for b in d["basis"])


# ---------------------------------------------------------------- each naloxone trigger alone


def test_no_rule_fires_for_a_low_dose_opioid_alone() -> None:
    r = _risk([LOW_DOSE_OPIOID])
    assert r.total_mme_per_day == pytest.approx(30.0)  # PRN counted at its maximum
    assert r.naloxone.triggers == []
    assert not r.naloxone.recommended
    assert r.naloxone.level == "no rule triggered"
    assert r.interactions == []


@pytest.mark.parametrize(
    ("kwargs", "rule"),
    [
        ({"prior_overdose": True}, "cdc-2022/history-of-overdose"),
        ({"substance_use_disorder": True}, "cdc-2022/substance-use-disorder"),
        ({"sleep_apnoea": True}, "cdc-2022/sleep-disordered-breathing"),
        ({"abstinent_days": 14, "abstinent_reason": "prison"}, "cdc-2022/lost-tolerance"),
        ({"abstinent_days": 5, "abstinent_reason": "hospital"}, "cdc-2022/lost-tolerance"),
        ({"abstinent_days": 30, "abstinent_reason": "taper"}, "cdc-2022/lost-tolerance"),
        ({"abstinent_days": 3, "abstinent_reason": "other"}, "cdc-2022/lost-tolerance"),
    ],
)
def test_each_patient_factor_fires_exactly_its_rule(kwargs: dict[str, object], rule: str) -> None:
    r = _risk([LOW_DOSE_OPIOID], **kwargs)
    assert r.naloxone.rules == [rule]
    assert r.naloxone.level == "offer"
    assert r.naloxone.triggers[0].source == "cdc-2022-opioid-guideline"


def test_prison_release_cites_binswanger_2007() -> None:
    r = _risk([LOW_DOSE_OPIOID], abstinent_days=10, abstinent_reason="prison")
    (t,) = r.naloxone.triggers
    assert "10 day(s)" in t.finding
    assert "prison" in t.finding
    assert "129" in t.evidence[0]
    assert "89-186" in t.evidence[0]
    assert "binswanger-2007-prison-release" in r.citations


@pytest.mark.parametrize(
    ("order", "mme", "fires"),
    [
        ("morphine 25 mg PO BID", 50.0, True),  # exactly at the CDC 2022 threshold
        ("morphine 24 mg PO BID", 48.0, False),
        ("oxycodone 20 mg PO q8h", 90.0, True),
    ],
)
def test_dose_rule_fires_at_50_mme_per_day(order: str, mme: float, fires: bool) -> None:
    r = _risk([order])
    assert r.total_mme_per_day == pytest.approx(mme)
    assert r.naloxone.rules == (["cdc-2022/dose-50-mme"] if fires else [])
    if fires:
        assert any("pause and carefully reassess" in w for w in r.warnings)


def test_benzodiazepine_with_opioid_fires_cdc_and_brunner() -> None:
    r = _risk([LOW_DOSE_OPIOID, "lorazepam 0.5 mg PO q8h PRN anxiety"])
    assert r.naloxone.rules == BOTH_BENZO_RULES


def test_opioid_dependent_rules_need_an_opioid_and_others_do_not() -> None:
    only_benzo = _risk(["alprazolam 0.5 mg TID"], sleep_apnoea=True)
    assert only_benzo.naloxone.rules == []
    assert only_benzo.total_mme_per_day == 0.0
    assert only_benzo.mme is None
    od = _risk(["alprazolam 0.5 mg TID"], prior_overdose=True)
    assert od.naloxone.rules == ["cdc-2022/history-of-overdose"]
    assert any("No opioid is prescribed" in n for n in od.naloxone.notes)


def test_all_triggers_are_listed_together() -> None:
    r = _risk(
        ["oxycodone 20 mg PO q8h", "clonazepam 0.5 mg BID"],
        prior_overdose=True,
        substance_use_disorder=True,
        sleep_apnoea=True,
        abstinent_days=7,
        abstinent_reason="hospital",
    )
    assert len(r.naloxone.triggers) == 7
    assert set(r.naloxone.rules) == {
        "cdc-2022/history-of-overdose",
        "cdc-2022/substance-use-disorder",
        "cdc-2022/sleep-disordered-breathing",
        "cdc-2022/dose-50-mme",
        *BOTH_BENZO_RULES,
        "cdc-2022/lost-tolerance",
    }


def test_modifiers_alone_give_consider_not_offer() -> None:
    r = _risk([LOW_DOSE_OPIOID, "gabapentin 300 mg TID"], age_years=70, renal_impairment=True)
    assert r.naloxone.triggers == []
    assert r.naloxone.level == "consider"
    assert not r.naloxone.recommended
    assert [m.factor for m in r.naloxone.modifiers] == [
        "older age",
        "renal impairment",
        "gabapentinoid with opioid",
    ]
    assert "modelling choice" in r.naloxone.actions[0]


def test_hepatic_impairment_is_a_modifier_citing_cdc_2022() -> None:
    r = _risk([LOW_DOSE_OPIOID], hepatic_impairment=True)
    (m,) = r.naloxone.modifiers
    assert m.factor == "hepatic impairment"
    assert m.sources == ["cdc-2022-opioid-guideline"]


# ---------------------------------------------------------------- rescue naloxone


@pytest.mark.parametrize(
    "product", ["buprenorphine/naloxone 8/2 mg SL daily", "Suboxone 8/2 mg SL daily"]
)
def test_buprenorphine_naloxone_is_not_rescue_naloxone(product: str) -> None:
    r = _risk([product], substance_use_disorder=True)
    entry = r.medications[0]
    assert entry.drug == "buprenorphine"
    assert entry.buprenorphine_naloxone
    assert r.mme is not None
    assert r.mme.orders[0].counted is False
    assert r.total_mme_per_day == 0.0
    n = r.naloxone
    assert n.rules == ["cdc-2022/substance-use-disorder"]
    assert n.has_rescue_naloxone is False
    assert n.buprenorphine_naloxone_not_rescue is True
    assert BUPRENORPHINE_NALOXONE_NOT_RESCUE in n.notes
    assert BUPRENORPHINE_NALOXONE_NOT_RESCUE in r.warnings
    assert any("separate naloxone rescue kit" in a for a in n.actions)


def test_rescue_naloxone_from_flag_or_list_clears_the_buprenorphine_note() -> None:
    flagged = _risk(["Suboxone 8/2 mg SL daily"], has_rescue_naloxone=True)
    assert flagged.naloxone.buprenorphine_naloxone_not_rescue is False
    listed = _risk(["Suboxone 8/2 mg SL daily", "Narcan 4 mg nasal spray"])
    assert listed.naloxone.has_rescue_naloxone is True
    assert listed.naloxone.rescue_naloxone_from == "Narcan 4 mg nasal spray"
    assert listed.medications[1].rescue_naloxone
    assert listed.medications[1].daily_dose is None
    on_hand = _risk([LOW_DOSE_OPIOID, "naloxone 4 mg intranasal PRN overdose"], sleep_apnoea=True)
    assert on_hand.naloxone.recommended
    assert on_hand.naloxone.actions[0].startswith("Rescue naloxone is on hand")


# ---------------------------------------------------------------- MME and equivalents


def test_mme_total_over_several_orders_and_sets_never_mixed() -> None:
    meds = [
        "hydrocodone/acetaminophen 5/325 mg 1 tab PO QID",  # 20 mg x 1 = 20
        "oxycodone ER 10 mg PO BID",  # 20 mg x 1.5 = 30
        "fentanyl 25 mcg/h 1 patch q72h",  # 25 x 2.4 = 60
    ]
    r = _risk(meds)
    assert [o.mme_per_day for o in r.mme.orders] == pytest.approx([20.0, 30.0, 60.0])  # type: ignore[union-attr]
    assert r.total_mme_per_day == pytest.approx(110.0)
    assert r.naloxone.rules == ["cdc-2022/dose-50-mme"]
    analytic = _risk(["tramadol 50 mg 1 tab PO QID"], factor_set="cdc-2018-analytic")
    assert analytic.factor_set == "cdc-2018-analytic"
    assert analytic.total_mme_per_day == pytest.approx(20.0)  # 200 mg x 0.1


def test_z_drug_equivalents_only_from_tables_that_list_it() -> None:
    r = _risk(["alprazolam 0.5 mg BID", "zolpidem 10 mg at night"])
    de = r.diazepam_equivalents
    assert de is not None
    # Ashton: alprazolam 0.5 = 10 mg, zolpidem 20 = 10 mg -> 20 + 5 = 25 mg diazepam/day
    assert de.total_diazepam_mg_per_day == pytest.approx(25.0)
    assert "va-dod-2021" not in de.total_by_source  # VA/DoD lists no Z-drug: no mixed total
    va = _risk(["zolpidem 10 mg at night"], equivalence_source="va-dod-2021")
    assert va.diazepam_equivalents is not None
    assert va.diazepam_equivalents.total_diazepam_mg_per_day is None
    assert any("lists no diazepam equivalent" in w for w in va.warnings)


# ---------------------------------------------------------------- interaction flags


@pytest.mark.parametrize(
    ("gabapentin", "value", "exposure"),
    [
        ("gabapentin 300 mg BID", 1.49, "any gabapentin"),  # 600 mg/day: low band, no band estimate
        ("gabapentin 300 mg TID", 1.56, "moderate-dose"),  # 900 mg/day
        ("gabapentin 600 mg TID", 1.58, "high-dose"),  # 1800 mg/day
    ],
)
def test_gabapentin_estimate_follows_the_gomes_2017_dose_band(
    gabapentin: str, value: float, exposure: str
) -> None:
    r = _risk([LOW_DOSE_OPIOID, gabapentin])
    (flag,) = r.interactions
    assert flag.interaction == "opioid+gabapentinoid"
    assert flag.primary_estimate is not None
    assert flag.primary_estimate.value == value
    assert flag.primary_estimate.exposure.startswith(exposure)
    assert flag.primary_estimate.source == "gomes-2017-gabapentin-opioid"
    assert "fda-2019-gabapentinoid-respiratory-warning" in flag.sources


def test_z_drug_pregabalin_benzo_z_and_alcohol_flags() -> None:
    r = _risk(
        [LOW_DOSE_OPIOID, "zolpidem 10 mg at night", "pregabalin 75 mg BID", "temazepam 15 mg qhs"],
        alcohol="14 drinks/week",
    )
    flags = {f.interaction: f for f in r.interactions}
    assert set(flags) == {
        "opioid+benzodiazepine",
        "opioid+gabapentinoid",
        "opioid+z-drug",
        "benzodiazepine+z-drug",
        "benzodiazepine+gabapentinoid",
        "alcohol+opioid",
        "alcohol+benzodiazepine",
        "alcohol+z-drug",
        "alcohol+gabapentinoid",
    }
    assert flags["opioid+z-drug"].primary_estimate.value == 2.29  # type: ignore[union-attr]
    assert flags["opioid+gabapentinoid"].primary_estimate.value == 1.68  # type: ignore[union-attr]
    assert flags["benzodiazepine+z-drug"].primary_estimate is None
    assert flags["alcohol+opioid"].primary_estimate.value == -0.19  # type: ignore[union-attr]
    assert r.sedative_burden.alcohol_drinks_per_day == pytest.approx(2.0)
    assert r.sedative_burden.n_sedative_classes == 5
    for f in r.interactions:
        assert f.mechanism.endswith((".", ".)"))
        assert f.sources
        assert f.basis


def test_beers_three_cns_active_drugs_only_counts_from_age_65() -> None:
    meds = [LOW_DOSE_OPIOID, "gabapentin 300 mg TID", "sertraline 50 mg daily"]
    young = _risk(meds, age_years=50)
    assert young.sedative_burden.n_cns_active_drugs == 3
    assert not young.sedative_burden.beers_cns_active_limit_reached
    old = _risk(meds, age_years=80)
    assert old.sedative_burden.beers_cns_active_limit_reached
    assert any("3 CNS-active drugs at age 80" in w for w in old.warnings)
    assert any("sertraline (ssri) listed; not counted as a sedative" in n for n in old.notes)


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    ("meds", "kwargs", "error", "match"),
    [
        (["lisinopril 10 mg daily"], {}, UnknownDrugError, r"'lisinopril' is not in the knowledge"),
        (
            ["flumazenil 0.2 mg IV"],
            {},
            UnknownDrugError,
            r"flumazenil is a benzodiazepine-antagonist",
        ),
        (
            ["alprazolam 1 g TID"],
            {},
            InvalidValueError,
            r"3000 mg/day .* 10 times the label maximum",
        ),
        (["alprazolam 1 mg as directed"], {}, InvalidValueError, r"'as directed'"),
        (["alprazolam -1 mg TID"], {}, InvalidValueError, r"minus sign"),
        (["oxycodone 0 mg BID"], {}, InvalidValueError, r"strength must be > 0"),
        ([], {}, InvalidValueError, r"medications: give a list"),
        (
            [LOW_DOSE_OPIOID],
            {"abstinent_days": 10},
            InvalidValueError,
            r"abstinent_reason: required",
        ),
        (
            [LOW_DOSE_OPIOID],
            {"abstinent_days": 0, "abstinent_reason": "taper"},
            InvalidValueError,
            r"abstinent_days: must be >= 1",
        ),
        (
            [LOW_DOSE_OPIOID],
            {"abstinent_days": 3, "abstinent_reason": "jail"},
            InvalidValueError,
            r"abstinent_reason: 'jail' is not allowed",
        ),
        ([LOW_DOSE_OPIOID], {"age_years": 150}, InvalidValueError, r"age_years: must be"),
        ([LOW_DOSE_OPIOID], {"alcohol": "lots"}, InvalidValueError, r"alcohol: cannot read"),
        ([LOW_DOSE_OPIOID], {"sleep_apnoea": "yes"}, InvalidValueError, r"sleep_apnoea='yes'"),
        ([LOW_DOSE_OPIOID], {"factor_set": "who"}, UnknownDrugError, r"factor_set: 'who'"),
        (
            ["alprazolam 1 mg TID for 6 years for 2 months"],
            {},
            InvalidValueError,
            r"duration of use more than once",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_error(
    meds: list[str], kwargs: dict[str, object], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        _risk(meds, **kwargs)


def test_dose_above_label_maximum_is_warned_not_refused() -> None:
    r = _risk(["alprazolam 2 mg q4h"])  # 12 mg/day > 10 mg/day (panic disorder label maximum)
    assert any("above the label maximum of 10 mg/day" in w for w in r.warnings)


# ---------------------------------------------------------------- properties

_OPIOID_ORDERS = st.sampled_from(
    [
        "oxycodone 5 mg PO q6h PRN pain",
        "morphine 15 mg PO BID",
        "hydromorphone 2 mg PO q4h PRN pain",
        "tramadol 50 mg PO QID",
        "buprenorphine 8 mg SL daily",
        "fentanyl 12 mcg/h 1 patch q72h",
        "codeine 30 mg PO q6h",
    ]
)
_BENZO = st.sampled_from(
    ["alprazolam", "lorazepam", "clonazepam", "diazepam", "temazepam", "oxazepam"]
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(opioid=_OPIOID_ORDERS, benzo=_BENZO, strength=st.sampled_from([0.5, 1.0, 2.0, 5.0]))
def test_any_opioid_with_any_benzodiazepine_recommends_naloxone(
    opioid: str, benzo: str, strength: float
) -> None:
    r = _risk([opioid, f"{benzo} {strength:g} mg daily"])
    assert r.naloxone.recommended
    assert set(BOTH_BENZO_RULES) <= set(r.naloxone.rules)
    assert "opioid+benzodiazepine" in [f.interaction for f in r.interactions]


@settings(max_examples=25, deadline=None)
@given(mme=st.floats(min_value=0.0, max_value=300.0, allow_nan=False))
def test_dose_rule_fires_exactly_from_50_mme(mme: float) -> None:
    r = recommend_naloxone(OverdoseRiskProfile(opioids=["morphine"], total_mme_per_day=mme), kb=KB)
    assert r.recommended is (mme >= 50.0)


def test_predicted_ventilation_comes_from_the_respiratory_model() -> None:
    """The combination depresses breathing more than the opioid alone, and more after lost tolerance."""
    opioid = assess_risk(["oxycodone 10 mg BID"]).sedative_burden.predicted_ventilation
    both = assess_risk(["oxycodone 10 mg BID", "alprazolam 1 mg TID"])
    lost = assess_risk(
        ["oxycodone 10 mg BID", "alprazolam 1 mg TID"], abstinent_days=14, abstinent_reason="prison"
    ).sedative_burden.predicted_ventilation
    combined = both.sedative_burden.predicted_ventilation
    assert opioid is not None
    assert combined is not None
    assert lost is not None
    assert lost < combined < opioid < 1.0
    assert "MODEL PREDICTION" in both.sedative_burden.basis[-1]


def test_a_patch_withholds_the_predicted_ventilation_rather_than_leaving_it_out() -> None:
    """A worn fentanyl patch is not one dose: a prediction from alprazolam alone (0.98 of baseline)
    would have read as reassuring next to the patch, so no number is given and the basis says why."""
    r = assess_risk(["fentanyl 25 mcg/h 1 patch q72h", "alprazolam 1 mg TID"])
    burden = r.sedative_burden
    assert burden.predicted_ventilation is None
    why = [b for b in burden.basis if b.startswith("predicted_ventilation")]
    assert why == [
        "predicted_ventilation: not computed -- fentanyl 25 mcg/h cannot be given to the "
        "respiratory model as one dose (a worn patch is a continuous delivery), and a prediction "
        "without it would understate the risk"
    ]
    # the patch still counts everywhere else
    assert burden.classes == {"opioid": 1, "benzodiazepine": 1}
    assert r.total_mme_per_day == pytest.approx(60.0)
