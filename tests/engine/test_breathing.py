"""Respiratory depression phenomena through the engine (allostasis.engine.simulate_breathing).

Each test names a phenomenon and the numbers it asserts. Published comparisons that the model does
not yet reproduce are strict xfails with the reason.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from allostasis.adaptation import opioid_tolerance, tolerance_factor
from allostasis.engine import (
    BreathingResult,
    breathing_population,
    sedative_burden,
    simulate_breathing,
)
from allostasis.errors import InvalidValueError, UnknownDrugError
from allostasis.receptor import bliss

OXY = ("oxycodone", "20 mg", "PO")
LOR = ("lorazepam", "2 mg", "PO")


def _at(r: BreathingResult, hour: float) -> float:
    tc = r.time_course
    return float(np.interp(hour, tc["time_h"], tc["minute_ventilation_rel"]))


# ------------------------------------------------------------------ convergence and synergy
def test_each_drug_alone_leaves_ventilation_adequate() -> None:
    oxy = simulate_breathing([OXY])
    lor = simulate_breathing([LOR])
    assert oxy.nadir_ventilation == pytest.approx(0.727, abs=0.01)
    assert lor.nadir_ventilation == pytest.approx(0.979, abs=0.01)
    assert not oxy.apnoea
    assert not lor.apnoea
    assert oxy.min_spo2 > 0.95
    assert lor.min_spo2 > 0.96


def test_combination_is_supra_additive_on_co2_retention() -> None:
    # oxycodone 40 mg + lorazepam 4 mg: PaCO2 rise 15.7 mmHg vs 12.2 + 0.6 alone
    o = simulate_breathing([("oxycodone", "40 mg", "PO")])
    lo = simulate_breathing([("lorazepam", "4 mg", "PO")])
    both = simulate_breathing([("oxycodone", "40 mg", "PO"), ("lorazepam", "4 mg", "PO")])
    rise = {k: r.peak_co2_mmhg - 40 for k, r in {"o": o, "l": lo, "b": both}.items()}
    assert rise["b"] > 1.2 * (rise["o"] + rise["l"])
    assert 1 - both.nadir_ventilation > both.bliss_expected_depression  # type: ignore[operator]


def test_synergy_far_beyond_bliss_near_the_rhythm_threshold() -> None:
    # isohypercapnic (PaCO2 50): oxycodone 40 mg + lorazepam 4 mg leaves 9.9% of ventilation;
    # Bliss independence of the single effects (84.4%, 13.8%) would leave 13.5%
    r = simulate_breathing(
        [("oxycodone", "40 mg", "PO"), ("lorazepam", "4 mg", "PO")], paco2_clamp="50 mmHg"
    )
    assert r.single_drug_depression["oxycodone"] == pytest.approx(0.844, abs=0.01)
    assert r.single_drug_depression["lorazepam"] == pytest.approx(0.138, abs=0.01)
    assert r.nadir_ventilation == pytest.approx(0.099, abs=0.01)
    assert r.nadir_ventilation < 0.8 * (1 - r.bliss_expected_depression)  # type: ignore[operator]
    assert sum(r.attribution.values()) == pytest.approx(1 - r.nadir_ventilation, abs=1e-9)


@pytest.mark.xfail(
    strict=True,
    reason="at oral doses the benzodiazepine's own effect in the model is small (lorazepam 2 mg: "
    "2% depression), so the closed-loop nadir with oxycodone 20 mg (0.70) sits close to Bliss "
    "(0.71); the model's synergy shows in CO2 retention and near the rhythm threshold, not in "
    "'far below Bliss' ventilation at these doses",
)
def test_combination_nadir_far_below_bliss_at_usual_doses() -> None:
    r = simulate_breathing([OXY, LOR])
    assert r.nadir_ventilation < 0.8 * (1 - r.bliss_expected_depression)  # type: ignore[operator]


def test_seed_bliss_example_041_065() -> None:
    assert bliss(0.41, 0.65).expected == pytest.approx(0.7935, abs=1e-12)


def test_bailey_1990_direction_hypoxaemia_and_apnoea() -> None:
    # Bailey 1990: midazolam 0.05 mg/kg alone 0/12 hypoxaemia; fentanyl 2 ug/kg 6/12 hypoxaemia,
    # 0/12 apnoea; both 11/12 hypoxaemia, 6/12 apnoea (70 kg: 3.5 mg, 0.14 mg IV)
    kw = {"n_subjects": 200, "duration": "1 h", "seed": 1}
    mid = breathing_population([("midazolam", "3.5 mg", "IV")], **kw)  # type: ignore[arg-type]
    fen = breathing_population([("fentanyl", "0.14 mg", "IV")], **kw)  # type: ignore[arg-type]
    both = breathing_population(
        [("fentanyl", "0.14 mg", "IV"), ("midazolam", "3.5 mg", "IV")],
        **kw,  # type: ignore[arg-type]
    )
    assert mid["hypoxaemia"].mean() == 0.0
    assert mid["apnoea"].mean() == 0.0
    assert fen["apnoea"].mean() == 0.0
    assert both["hypoxaemia"].mean() == pytest.approx(0.925, abs=0.03)  # observed 11/12 = 0.917
    assert both["hypoxaemia"].mean() > fen["hypoxaemia"].mean()
    assert both["min_spo2"].median() < fen["min_spo2"].median() - 0.1
    assert both["apnoea"].mean() >= fen["apnoea"].mean()


@pytest.mark.xfail(
    strict=True,
    reason="apnoea size not reproduced: the averaged model has no breath-to-breath pauses or "
    "upper-airway obstruction; 1% of virtual subjects vs 6/12 observed with fentanyl + midazolam, "
    "and fentanyl-alone hypoxaemia 85% vs 6/12",
)
def test_bailey_1990_size() -> None:
    kw = {"n_subjects": 200, "duration": "1 h", "seed": 1}
    fen = breathing_population([("fentanyl", "0.14 mg", "IV")], **kw)  # type: ignore[arg-type]
    both = breathing_population(
        [("fentanyl", "0.14 mg", "IV"), ("midazolam", "3.5 mg", "IV")],
        **kw,  # type: ignore[arg-type]
    )
    assert both["apnoea"].mean() == pytest.approx(0.5, abs=0.15)
    assert fen["hypoxaemia"].mean() == pytest.approx(0.5, abs=0.15)


def test_low_benzodiazepine_dose_adds_little_nct04310579() -> None:
    # NCT04310579 reported no added depression at a low benzodiazepine dose; model: lorazepam
    # 0.5 mg adds 1.2 percentage points to oxycodone 10 mg at PaCO2 55 (doses are illustrative)
    o = simulate_breathing([("oxycodone", "10 mg", "PO")], paco2_clamp="55 mmHg")
    b = simulate_breathing(
        [("oxycodone", "10 mg", "PO"), ("lorazepam", "0.5 mg", "PO")], paco2_clamp="55 mmHg"
    )
    assert 0 < o.nadir_ventilation - b.nadir_ventilation < 0.03


@pytest.mark.xfail(
    strict=True,
    reason="oxycodone 20 mg: model VE55 0.30 of control vs 0.56 (95% CI 0.47-0.65) observed by "
    "van der Schrier 2017; the MME-derived potency plus the fentanyl-anchored network overshoot",
)
def test_van_der_schrier_2017_oxycodone_ve55() -> None:
    r = simulate_breathing([OXY], paco2_clamp="55 mmHg")
    assert 0.47 <= r.nadir_ventilation <= 0.65


def test_alcohol_adds_to_oxycodone_van_der_schrier_ratio() -> None:
    # fitted: VE55 with 1 g/L ethanol = 0.84 x oxycodone alone (15.7 / 18.6 L/min)
    o = simulate_breathing([OXY], paco2_clamp="55 mmHg")
    a = simulate_breathing([OXY], paco2_clamp="55 mmHg", alcohol="1 g/L")
    assert a.nadir_ventilation / o.nadir_ventilation == pytest.approx(15.7 / 18.6, abs=0.02)
    assert set(a.attribution) == {"oxycodone", "alcohol"}


# ------------------------------------------------------------------ tolerance and age
def test_lost_tolerance_makes_the_usual_dose_life_threatening() -> None:
    # fentanyl 0.5 mg IV: chronic user nadir 0.42, SpO2 0.85; after 14 days abstinent 0.14, 0.29
    chronic = simulate_breathing(
        [("fentanyl", "0.5 mg", "IV")], tolerance="chronic", duration="2 h"
    )
    lost = simulate_breathing([("fentanyl", "0.5 mg", "IV")], tolerance="lost:14d", duration="2 h")
    assert chronic.nadir_ventilation == pytest.approx(0.423, abs=0.02)
    assert chronic.min_spo2 > 0.8
    assert lost.nadir_ventilation == pytest.approx(0.137, abs=0.02)
    assert lost.min_spo2 < 0.35
    assert opioid_tolerance("lost:14d").factor == pytest.approx(1.130, abs=1e-3)
    assert tolerance_factor("1 year") == pytest.approx(4.3, abs=1e-3)


def test_older_age_deepens_depression() -> None:
    young = simulate_breathing([OXY], age_years=30)
    old = simulate_breathing([OXY], age_years=75)
    assert young.nadir_ventilation == pytest.approx(0.717, abs=0.01)
    assert old.nadir_ventilation == pytest.approx(0.649, abs=0.01)
    assert old.min_spo2 < young.min_spo2


# ------------------------------------------------------------------ result, burden, errors
def test_result_is_data_and_serialises() -> None:
    r = simulate_breathing([OXY, LOR], duration="2 h")
    tc = r.time_course
    assert list(tc.columns[:4]) == [
        "time_h",
        "minute_ventilation_rel",
        "burst_rate_rel",
        "tidal_drive_rel",
    ]
    assert len(tc) == 121
    assert tc["co2_mmHg"].iloc[0] == pytest.approx(40.0)
    d = json.loads(json.dumps(r.to_dict()))
    assert d["nadir_ventilation"] == pytest.approx(r.nadir_ventilation)
    assert "Mann 2022" in json.dumps(d["basis"]["drugs"]["oxycodone"]) or "CDC 2022" in json.dumps(
        d["basis"]["drugs"]["oxycodone"]
    )


def test_sedative_burden_sums_classes() -> None:
    b = sedative_burden([("oxycodone", "10 mg", "PO"), ("alprazolam", "1 mg", "PO")])
    assert b.total == pytest.approx(sum(b.by_drug.values()), abs=1e-9)
    assert set(b.by_class) == {"opioid", "benzodiazepine"}
    assert b.by_class["opioid"] > b.by_class["benzodiazepine"] > 0
    assert b.synergy is not None
    assert b.synergy > 0
    assert b.level == "high"


def test_drug_without_respiratory_mechanism_contributes_nothing() -> None:
    r = simulate_breathing([OXY, ("sertraline", "50 mg", "PO")])
    assert r.attribution["sertraline"] == pytest.approx(0.0, abs=1e-12)
    assert "no respiratory mechanism" in r.basis["drugs"]["sertraline"][0]


def test_bad_inputs_raise_project_errors() -> None:
    with pytest.raises(UnknownDrugError):
        simulate_breathing([("unobtainium", "1 mg", "PO")])
    with pytest.raises(InvalidValueError, match="route of oxycodone"):
        simulate_breathing([("oxycodone", "20 mg", "rectal")])
    with pytest.raises(InvalidValueError, match="tolerance: must be"):
        simulate_breathing([OXY], tolerance="sometimes")
    with pytest.raises(InvalidValueError, match="age_years"):
        simulate_breathing([OXY], age_years=12)
