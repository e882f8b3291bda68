"""Withdrawal scenarios in clinical terms, and the ``allostasis withdraw`` verb."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from allostasis.engine._scenario import parse_event, withdrawal_scenario
from allostasis.errors import InvalidValueError
from allostasis.interfaces.cli import app
from allostasis.knowledge import load_knowledge_base

BZD_AND_Z = sorted(
    d.name
    for d in load_knowledge_base().drugs.values()
    if d.drug_class in ("benzodiazepine", "z-drug")
)


def test_there_are_17_benzodiazepines_and_z_drugs() -> None:
    assert len(BZD_AND_Z) == 17


# Drug action needs a potency: a measured K_B or an equivalent dose to derive one from. Midazolam is
# only in the WHO 2009 table, which the potency then comes from (named in the basis).
@pytest.mark.parametrize("drug", BZD_AND_Z)
def test_withdraw_runs_for_every_benzodiazepine_and_z_drug(drug: str) -> None:
    """Chronic use at the usual daily dose, then an abrupt stop: a withdrawal peak after the stop."""
    d = load_knowledge_base()[drug]
    usual = d.dosing[0].usual_daily_dose.typical
    run = withdrawal_scenario(drug, f"{usual} mg", "60 days", follow_up="40 days")
    s = run.summary
    assert s.peak_index > 0  # the drug-free state is hyperexcitable
    assert 0 <= s.peak_day <= 40
    assert set(s.peak_severity) >= {
        "anxiety",
        "insomnia",
        "autonomic",
        "tremor",
        "sensory",
        "cognitive",
    }


def test_taper_lowers_the_peak_compared_with_abrupt_stop() -> None:
    abrupt = withdrawal_scenario("alprazolam", "4 mg/day", "1 year", follow_up="30 days").summary
    tapered = withdrawal_scenario(
        "alprazolam",
        "4 mg/day",
        "1 year",
        taper="proportional 25% every 2 weeks",
        follow_up="30 days",
    ).summary
    assert tapered.peak_index < 0.5 * abrupt.peak_index
    assert abrupt.seizure_risk  # 4 mg/day for a year, stopped abruptly (0.20 > 0.16)


def test_flumazenil_event_precipitates_withdrawal_on_drug() -> None:
    base = withdrawal_scenario("alprazolam", "2 mg/day", "180 days", follow_up="5 days").summary
    fz = withdrawal_scenario(
        "alprazolam",
        "2 mg/day",
        "180 days",
        events=["flumazenil 2 mg IV at day -1"],
        follow_up="5 days",
    ).summary
    assert fz.peak_index > base.peak_index
    assert fz.seizure_risk


def test_parse_event_and_refusals() -> None:
    assert parse_event("Ketamine 35 mg IV at day 2") == ("ketamine", "35 mg", "iv", 48.0)
    with pytest.raises(InvalidValueError, match="--with: cannot read"):
        parse_event("flumazenil at some point")
    with pytest.raises(
        InvalidValueError, match="withdrawal scenarios cover benzodiazepines and Z-drugs"
    ):
        withdrawal_scenario("sertraline", "50 mg/day", "1 year")
    with pytest.raises(InvalidValueError, match="more than 10x the label maximum"):
        withdrawal_scenario("alprazolam", "100 mg/day", "1 year")


def test_cli_withdraw_json() -> None:
    res = CliRunner().invoke(
        app,
        [
            "withdraw",
            "--drug",
            "diazepam",
            "--dose",
            "20 mg/day",
            "--duration",
            "180 days",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["drug"] == "diazepam"
    assert 3 <= d["summary"]["peak_day"] <= 14  # long half-life: a later peak
    assert "balance_index" in set(d["timecourse_daily"]["variable"])


@pytest.mark.parametrize(
    ("args", "pattern"),
    [
        (["--stop", "gradual"], r"--stop: must be 'abrupt' or 'taper'"),
        (["--stop", "taper"], r"--taper: give a spec"),
        (["--taper", "slowly"], r"taper: cannot read 'slowly'"),
    ],
)
def test_cli_withdraw_bad_input(args: list[str], pattern: str) -> None:
    import re

    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from allostasis.interfaces.cli import main; main()",
            "withdraw",
            "--drug",
            "alprazolam",
            "--dose",
            "2 mg/day",
            "--duration",
            "30 days",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert len(proc.stderr.strip().splitlines()) == 1
    assert re.search(pattern, proc.stderr), proc.stderr


def test_midazolam_potency_comes_from_the_only_table_that_lists_it() -> None:
    run = withdrawal_scenario("midazolam", "15 mg/day", "180 days", follow_up="20 days")
    assert any("midazolam is not in ashton-2002" in b and "who-2009" in b for b in run.basis)
    assert run.summary.peak_day < 2.0  # half-life about 2-3 h: the earliest peak of all
