"""``allostasis taper`` and ``allostasis convert`` from the command line."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from allostasis.interfaces.cli import app

runner = CliRunner()


def test_taper_json_has_schedule_warnings_basis_and_decisions() -> None:
    res = runner.invoke(
        app,
        [
            "taper",
            "--med",
            "alprazolam 1 mg TID",
            "--duration",
            "6 years",
            "--age",
            "68",
            "--opioid",
            "--switch",
            "diazepam",
            "--start",
            "2027-01-04",
            "--no-predict",
            "--report",
            "2027-03-20: sleep=2",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    plan = out["plan"]
    assert plan["tapered_drug"] == "diazepam"
    assert plan["completed"]
    assert plan["steps"][0]["start"] == "2027-01-04"
    assert plan["steps"][0]["phase"] == "switch"
    assert any("naloxone" in w for w in plan["warnings"])
    assert out["decisions"][0]["decision"] == "pause"
    assert any(s["phase"] == "hold" for s in plan["steps"])
    assert out["prediction"] is None


def test_taper_refuses_a_fast_step_in_one_line() -> None:
    res = runner.invoke(
        app,
        [
            "taper",
            "--med",
            "diazepam 10 mg BID",
            "--duration",
            "1 year",
            "--step",
            "0.5",
            "--no-predict",
        ],
    )
    assert res.exit_code != 0
    assert "25% per 2 weeks" in str(res.exception)


def test_convert_names_its_table_and_flags_disagreement() -> None:
    res = runner.invoke(
        app, ["convert", "--from", "alprazolam", "--dose", "2 mg/day", "--to", "diazepam", "--json"]
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["dose_mg"] == 40.0
    assert out["unit"] == "mg/day"
    assert out["source"] == "ashton-2002"
    assert out["by_source"]["va-dod-2021"] == 20.0
    assert out["sources_disagree"]
    res = runner.invoke(
        app,
        [
            "convert",
            "--from",
            "alprazolam",
            "--dose",
            "2 mg",
            "--to",
            "diazepam",
            "--source",
            "va-dod-2021",
        ],
    )
    assert "20 mg diazepam (va-dod-2021)" in res.stdout


def test_taper_writes_handouts_and_the_predicted_course(tmp_path: Path) -> None:
    from pypdf import PdfReader

    files = {k: tmp_path / f"plan.{k}" for k in ("pdf", "ics", "csv", "png")}
    res = runner.invoke(
        app,
        [
            "taper",
            "--med",
            "diazepam 5 mg BID",
            "--duration",
            "180 days",
            "--start",
            "2027-01-04",
            "--pdf",
            str(files["pdf"]),
            "--ics",
            str(files["ics"]),
            "--csv",
            str(files["csv"]),
            "--plot",
            str(files["png"]),
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    steps = out["plan"]["steps"]
    assert len(out["prediction"]["steps"]) == len(steps)
    assert out["prediction"]["peak_index"] < out["prediction"]["seizure_threshold"]
    assert "MODEL PREDICTION" in out["prediction"]["labels"][0]
    text = "".join(p.extract_text() for p in PdfReader(files["pdf"]).pages)
    assert "diazepam" in text
    assert "model prediction" in text.lower()
    assert files["ics"].read_text().count("BEGIN:VEVENT") == len(steps)
    assert files["csv"].read_text().splitlines()[0].startswith("step,phase,start")
    assert files["png"].stat().st_size > 10_000
