"""CLI verbs ssri, snri, select: --json schemas, plots and one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from allostasis.interfaces.cli import app

runner = CliRunner()


def test_ssri_json_and_plot(tmp_path: Path) -> None:
    png = tmp_path / "ssri.png"
    r = runner.invoke(
        app,
        [
            "ssri",
            "--drug",
            "sertraline",
            "--titrate",
            "25 mg for 1 week, then 50 mg",
            "--weeks",
            "8",
            "--json",
            "--plot",
            str(png),
        ],
    )
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert d["drug"] == "sertraline"
    assert abs(d["early_dip"] - 0.41) < 0.02
    assert len(d["timecourse_daily"]["day"]) == 57
    assert png.stat().st_size > 10_000


def test_snri_json() -> None:
    r = runner.invoke(app, ["snri", "--drug", "venlafaxine", "--dose", "75 mg/day", "--json"])
    assert r.exit_code == 0, r.output
    d = json.loads(r.output)
    assert abs(d["net_mean"] - 0.22) < 0.02
    assert d["net_engaged"] is False


def test_select_json_and_table() -> None:
    r = runner.invoke(
        app, ["select", "--drug", "escitalopram", "--target-occupancy", "0.8", "--json"]
    )
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["summary"]["titration"]["target_dose_mg"] == 10.0
    r = runner.invoke(app, ["snri", "--drug", "duloxetine", "--dose", "60 mg"])
    assert r.exit_code == 0
    assert "NET engaged" in r.output


def test_ambiguous_titration_is_refused() -> None:
    r = runner.invoke(app, ["ssri", "--drug", "sertraline", "--titrate", "25 mg, then 50 mg"])
    assert r.exit_code != 0
    assert "has no duration" in str(r.exception) or "has no duration" in r.output
