"""Strategy paces in the spec, outcomes by subgroup, and the spread of time to completion."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from allostasis.errors import InvalidValueError
from allostasis.interfaces.cli import app
from allostasis.population import (
    TrialResult,
    cohort_spec,
    load_cohort,
    parse_strategy_spec,
    run_trial,
    taper_strategy,
)

ROOT = Path(__file__).resolve().parents[2]
FAST = ROOT / "examples" / "cohort_fast_taper.toml"
SLOW, FAST_25, FAST_50, GUIDED_50 = (
    "direct-proportional",
    "direct-proportional:25%/7d",
    "direct-proportional:50%/7d",
    "symptom-guided:50%/7d",
)


@pytest.mark.parametrize(
    ("text", "label", "fraction", "days", "inside"),
    [
        ("direct-proportional", "direct-proportional", 0.10, 14.0, True),
        ("direct-proportional:25%/14d", "direct-proportional:25%/14d", 0.25, 14.0, True),
        # two steps can fall in 14 days: 1 - 0.87^2 = 24.3% (inside), 1 - 0.86^2 = 26.0% (outside)
        ("symptom-guided:13%/7d", "symptom-guided:13%/7d", 0.13, 7.0, True),
        ("symptom-guided:14%/7d", "symptom-guided:14%/7d", 0.14, 7.0, False),
        # one 30% step is above 25% in 14 days whatever the interval
        (" diazepam-switch : 30% / 28d ", "diazepam-switch:30%/28d", 0.30, 28.0, False),
        ("direct-linear:2.5%/3d", "direct-linear:2.5%/3d", 0.025, 3.0, True),
    ],
)
def test_strategy_spec_parsing_and_guideline_flag(
    text: str, label: str, fraction: float, days: float, inside: bool
) -> None:
    p = parse_strategy_spec(text)
    assert (p.label, p.step_fraction, p.step_days, p.within_guideline) == (
        label,
        pytest.approx(fraction),
        days,
        inside,
    )
    assert (p.guideline_warning() is None) == inside


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("taper-fast:10%/14d", "unknown 'taper-fast'"),
        ("direct-proportional:25/7", "pace '25/7' must be written STEP%/DAYSd"),
        ("direct-proportional:25%/1w", "must be written STEP%/DAYSd"),
        ("direct-proportional:0.5%/14d", "step 0.5% is outside 1-50% per step"),
        ("direct-proportional:60%/14d", "step 60% is outside 1-50% per step"),
        ("symptom-guided:10%/2d", "step interval 2 days is outside 3-56 days"),
        ("symptom-guided:10%/60d", "step interval 60 days is outside 3-56 days"),
    ],
)
def test_bad_strategy_specs_name_the_field(text: str, message: str) -> None:
    with pytest.raises(InvalidValueError, match=message.replace("(", r"\(")):
        parse_strategy_spec(text)


def test_pace_reaches_the_dosing_rules() -> None:
    spec = load_cohort(FAST)
    r = taper_strategy(FAST_25, spec).phases[-1].rule
    assert (r.step_fraction, r.step_every_h, r.linear) == (0.25, 168.0, False)
    sw = taper_strategy("diazepam-switch:20%/21d", spec)
    assert (sw.phases[-1].rule.step_fraction, sw.phases[-1].rule.step_every_h) == (0.2, 504.0)
    assert sw.warning is None  # one 20% step per 21 days: inside the ceiling
    lin = taper_strategy("direct-linear:20%/14d", spec).phases[-1].rule
    assert lin.linear
    assert lin.step_fraction == 0.2
    # the same arm twice (bare name = 10%/14d) is refused; two paces of one strategy are not
    with pytest.raises(InvalidValueError, match="distinct arms"):
        run_trial(spec, [SLOW, "direct-proportional:10%/14d"], n=64)


@pytest.fixture(scope="module")
def fast_trial() -> TrialResult:
    return run_trial(load_cohort(FAST), [SLOW, FAST_25, FAST_50, GUIDED_50], n=256, chunk_size=256)


def test_faster_paces_give_more_severe_withdrawal(fast_trial: TrialResult) -> None:
    res = fast_trial
    s = res.summary.set_index("strategy")
    assert list(s.index) == [SLOW, FAST_25, FAST_50, GUIDED_50]
    # 10%/14d from 6 mg/day: nobody severe, almost nobody moderate (observed 0/256, 1/256)
    assert s.loc[SLOW, "severe_share"] == 0.0
    assert s.loc[SLOW, "moderate_share"] < 0.02
    # 25%/7d: more severe (observed 1/256) and far more moderate (observed 22%), CIs disjoint
    assert s.loc[FAST_25, "severe_share"] > s.loc[SLOW, "severe_share"]
    assert 0.15 < s.loc[FAST_25, "moderate_share"] < 0.30
    assert s.loc[FAST_25, "moderate_lo"] > s.loc[SLOW, "moderate_hi"]
    # 50%/7d: severe common (observed 22%) and seizure-risk time appears (observed 9%)
    assert 0.15 < s.loc[FAST_50, "severe_share"] < 0.30
    assert s.loc[FAST_50, "severe_lo"] > s.loc[FAST_25, "severe_hi"]
    assert s.loc[FAST_50, "seizure_risk_share"] > 0.05
    # completion: 10% steps to 1 mg diazepam-eq/day take 45 steps of 14 days = 630 days;
    # 25%/7d 16 steps (112 days), 50%/7d 6 steps (42 days); fixed schedules have no spread
    assert s.loc[SLOW, "completion_median_days"] == pytest.approx(630.0)
    assert s.loc[FAST_25, "completion_median_days"] == pytest.approx(112.0)
    assert s.loc[FAST_50, "completion_median_days"] == pytest.approx(42.0)
    for arm in (SLOW, FAST_25, FAST_50):
        assert s.loc[arm, "completion_iqr_days"] == 0.0
    # every pace above 25% per 2 weeks is flagged, the default is not
    assert [w.split(":")[0] + ":" + w.split(":")[1] for w in res.warnings] == [
        FAST_25,
        FAST_50,
        GUIDED_50,
    ]
    assert all("outside guideline" in w for w in res.warnings)
    assert all(w in res.basis for w in res.warnings)


def test_symptom_guided_holds_spread_completion_and_cut_seizure_risk(
    fast_trial: TrialResult,
) -> None:
    res = fast_trial
    s = res.summary.set_index("strategy")
    o = res.outcomes
    g = o[o["strategy"] == GUIDED_50]
    d = o[o["strategy"] == FAST_50]
    # holds happen (observed 34% of subjects, median 3.3 days held) ...
    assert 0.2 < s.loc[GUIDED_50, "paused_share"] < 0.5
    assert (g["pause_days"] > 0).sum() == (g["held_doses"] > 0).sum() > 50
    assert s.loc[GUIDED_50, "pause_median_days"] > 1.0
    # ... and spread the time to completion (observed IQR 42 to 54.7 days)
    assert s.loc[GUIDED_50, "completion_q25_days"] == pytest.approx(42.0)
    assert s.loc[GUIDED_50, "completion_q75_days"] > 49.0
    assert s.loc[GUIDED_50, "completion_iqr_days"] > 7.0
    assert s.loc[GUIDED_50, "completion_q75_hi"] >= s.loc[GUIDED_50, "completion_q75_days"]
    # held subjects finish later than the fixed schedule; the rest finish with it
    held = g["held_doses"].to_numpy() > 0
    assert (g["completion_days"].to_numpy()[held] > 42.0).all()
    assert (g["completion_days"].to_numpy()[~held] == 42.0).all()
    # the same people: holding never raises anyone's peak, and seizure-risk time falls
    # (observed 9.0% -> 1.6%)
    assert (g["peak_index"].to_numpy() <= d["peak_index"].to_numpy() + 1e-3).all()
    assert s.loc[GUIDED_50, "seizure_risk_hi"] < s.loc[FAST_50, "seizure_risk_share"]
    assert s.loc[GUIDED_50, "severe_share"] <= s.loc[FAST_50, "severe_share"]


def test_subgroup_table_adds_up_and_has_wilson_intervals(fast_trial: TrialResult) -> None:
    res = fast_trial
    sg = res.subgroups
    assert set(sg["covariate"]) == {
        "age_band",
        "sex",
        "hepatic_impairment",
        "cyp3a4_inhibitor",
        "exposure_tertile",
    }  # one dose per cohort: no dose tertile
    s = res.summary.set_index("strategy")
    for (strategy, _cov, outcome), g in sg.groupby(["strategy", "covariate", "outcome"]):
        assert g["n"].sum() == 256
        if outcome in ("severe", "moderate", "seizure_risk"):
            assert g["events"].sum() == round(s.loc[strategy, f"{outcome}_share"] * 256)
    # tertiles of 256 subjects: 85 / 85 / 86
    t = sg[(sg["covariate"] == "exposure_tertile") & (sg["outcome"] == "severe")]
    assert sorted(t["n"].unique().tolist()) == [85, 86]
    # Wilson 95% for 0 of 85: [0, 0.0433]
    row = sg[(sg["strategy"] == SLOW) & (sg["subgroup"] == "low") & (sg["outcome"] == "severe")]
    assert (row["events"].item(), row["lo"].item()) == (0, 0.0)
    assert row["hi"].item() == pytest.approx(0.0432, abs=1e-4)
    assert np.all((sg["lo"] <= sg["share"]) & (sg["share"] <= sg["hi"]))
    # covariate shares of the file: 10% with a CYP3A4 inhibitor (observed 27 of 256)
    cyp = sg[(sg["covariate"] == "cyp3a4_inhibitor") & (sg["subgroup"] == "yes")]
    assert 10 < cyp["n"].iloc[0] < 45


def test_trial_cli_accepts_paces_and_prints_subgroups(tmp_path: Path) -> None:
    f = tmp_path / "cohort.toml"
    f.write_text(
        '[cohort]\ndrug = "alprazolam"\ndose = "0.5 mg"\ninterval = "12 h"\n'
        'duration_of_use = "30 days"\nn = 64\nseed = 3\n[variability]\ncl = 0.3\n'
        "[covariates]\nhepatic_impairment = 0.2\n"
        '[trial]\ntaper_horizon = "30 weeks"\nfollow_up = "0 weeks"\n'
    )
    base = ["trial", "--cohort", str(f), "--strategy", "direct-linear"]
    base += ["--strategy", "direct-linear:25%/7d", "--chunk", "64"]
    res = CliRunner().invoke(app, [*base, "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    rows = {r["strategy"]: r for r in d["summary"]}
    # linear 10% of 0.5 mg every 14 days: zero after 10 steps (126 days); 25% every 7 days: 4 steps
    assert rows["direct-linear"]["completion_median_days"] == 126.0
    assert rows["direct-linear:25%/7d"]["completion_median_days"] == 21.0
    assert set(d["warnings"]) <= set(d["basis"])
    assert len(d["warnings"]) == 1
    assert d["warnings"][0].startswith("direct-linear:25%/7d")
    hep = [r for r in d["subgroups"] if r["covariate"] == "hepatic_impairment"]
    assert {r["subgroup"] for r in hep} == {"no", "yes"}
    assert sum(r["n"] for r in hep if r["outcome"] == "severe") == 2 * 64
    res = CliRunner().invoke(app, [*base, "--by", "hepatic_impairment", "--by", "age_band"])
    assert res.exit_code == 0, res.output
    assert "by subgroup" in res.output
    assert "hepatic_impairment" in res.output
    assert "outside guideline" in res.output
    res = CliRunner().invoke(app, [*base, "--by", "weight"])
    assert isinstance(res.exception, InvalidValueError)
    assert "by: unknown covariate 'weight'" in str(res.exception)


def test_cohort_without_variation_in_a_covariate_omits_its_subgroups() -> None:
    spec = cohort_spec(
        {
            "cohort": {"drug": "alprazolam", "dose": "0.5 mg", "interval": "12 h", "n": 64},
            "trial": {"taper_horizon": "20 weeks", "follow_up": "0 weeks"},
        }
    )
    res = run_trial(spec, ["direct-linear:50%/7d"], chunk_size=64)
    sg = res.subgroups
    # nobody has hepatic impairment or an inhibitor: only the "no" subgroup, all 64 subjects
    hep = sg[(sg["covariate"] == "hepatic_impairment") & (sg["outcome"] == "severe")]
    assert hep["subgroup"].tolist() == ["no"]
    assert hep["n"].tolist() == [64]
    # linear 50% of the starting dose every 7 days: zero at the second step, day 7
    assert res.summary["completion_median_days"].iloc[0] == 7.0


def test_dose_and_exposure_tertiles_split_subjects_in_thirds() -> None:
    import pandas as pd

    from allostasis.population import subgroup_outcomes

    n = 9
    cov = pd.DataFrame(
        {
            "subject_id": np.arange(1, n + 1),
            "age": [30.0] * n,
            "female": [True] * n,
            "hepatic_impairment": [False] * n,
            "cyp3a4_inhibitor": [False] * n,
            "dose_mg": [1.0, 1.0, 1.0, 2.0, 2.0, 2.0, 4.0, 4.0, 4.0],
            "css_mg_per_l": np.linspace(0.01, 0.09, n),
        }
    )
    o = pd.DataFrame(
        {
            "subject_id": np.arange(1, n + 1),
            "strategy": "a",
            "severe": [False, False, False, False, True, False, True, True, True],
            "completion_days": [10.0] * n,
        }
    )
    t = subgroup_outcomes(o, cov, outcomes=("severe", "completed"))
    d = t[(t["covariate"] == "dose_tertile") & (t["outcome"] == "severe")]
    assert d["subgroup"].tolist() == ["low", "mid", "high"]
    assert d["n"].tolist() == [3, 3, 3]
    assert d["events"].tolist() == [0, 1, 3]
    # Wilson 95% for 3 of 3: [0.4385, 1]
    assert d["lo"].iloc[2] == pytest.approx(0.4385, abs=1e-4)
    assert d["hi"].iloc[2] == 1.0
    e = t[(t["covariate"] == "exposure_tertile") & (t["outcome"] == "completed")]
    assert e["events"].tolist() == [3, 3, 3]
    # a covariate with one level keeps only that level
    assert t[t["covariate"] == "sex"]["subgroup"].unique().tolist() == ["female"]
