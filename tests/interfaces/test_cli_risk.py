"""``allostasis risk``: the issue's patient, every option reaches the assessment, one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from allostasis.interfaces.cli import app

runner = CliRunner()
PATIENT = [
    "--med",
    "alprazolam 1 mg TID for 6 years",
    "--med",
    "oxycodone 10 mg BID",
    "--age",
    "68",
]


def test_risk_json_for_the_issue_patient() -> None:
    res = runner.invoke(app, ["risk", *PATIENT, "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["total_mme_per_day"] == pytest.approx(30.0)
    assert d["diazepam_equivalents"]["total_by_source"] == {
        "ashton-2002": 60.0,
        "va-dod-2021": 30.0,
        "nhs-scotland-2024": 60.0,
        "who-2009": 30.0,
    }
    flag = d["interactions"][0]
    assert flag["interaction"] == "opioid+benzodiazepine"
    assert flag["primary_estimate"]["value"] == 3.86
    assert flag["primary_estimate"]["source"] == "park-2015-benzodiazepine-opioid"
    assert [t["rule"] for t in d["naloxone"]["triggers"]] == [
        "cdc-2022/concurrent-benzodiazepine",
        "brunner-2025/benzodiazepine-with-opioid",
    ]
    assert 0.5 < d["sedative_burden"]["predicted_ventilation"] < 0.95
    assert d["basis"]
    assert d["citations"]["park-2015-benzodiazepine-opioid"].startswith("Park TW")


def test_risk_text_output_names_rules_estimate_and_disclaimer() -> None:
    res = runner.invoke(app, ["risk", *PATIENT])
    assert res.exit_code == 0, res.output
    text = " ".join(res.stdout.split())
    assert "total 30 MME/day (cdc-2022)" in text
    assert "naloxone: offer" in text
    assert "rule cdc-2022/concurrent-benzodiazepine" in text
    assert "rule brunner-2025/benzodiazepine-with-opioid" in text
    assert "adjusted hazard ratio 3.86 (95% CI 3.49-4.26)" in text
    assert "Decision support, not prescribing" in text


def test_every_patient_option_reaches_the_assessment() -> None:
    res = runner.invoke(
        app,
        [
            "risk",
            "--med",
            "Suboxone 8/2 mg SL daily",
            "--age",
            "40",
            "--abstinent-days",
            "14",
            "--abstinent-reason",
            "prison",
            "--sleep-apnoea",
            "--prior-overdose",
            "--sud",
            "--renal",
            "--hepatic",
            "--alcohol",
            "3 drinks/day",
            "--factor-set",
            "cdc-2016",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["factor_set"] == "cdc-2016"
    assert d["patient"]["alcohol_drinks_per_day"] == 3.0
    n = d["naloxone"]
    assert [t["rule"] for t in n["triggers"]] == [
        "cdc-2022/history-of-overdose",
        "cdc-2022/substance-use-disorder",
        "cdc-2022/sleep-disordered-breathing",
        "cdc-2022/lost-tolerance",
    ]
    assert [m["factor"] for m in n["modifiers"]] == [
        "renal impairment",
        "hepatic impairment",
        "alcohol with opioid",
    ]
    assert n["buprenorphine_naloxone_not_rescue"] is True
    with_kit = runner.invoke(
        app, ["risk", "--med", "Suboxone 8/2 mg SL daily", "--has-naloxone", "--json"]
    )
    assert json.loads(with_kit.stdout)["naloxone"]["buprenorphine_naloxone_not_rescue"] is False


def test_risk_bad_input_is_a_one_line_error() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from allostasis.interfaces.cli import main; main()",
            "risk",
            "--med",
            "oxycodone 10 mg BID",
            "--abstinent-days",
            "10",
            "--abstinent-reason",
            "jail",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("error: abstinent_reason: 'jail' is not allowed")
    assert len(proc.stderr.strip().splitlines()) == 1
