"""``allostasis breathe``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from allostasis.interfaces.cli import app
from allostasis.interfaces.cli._breathe import parse_med

runner = CliRunner()


def test_breathe_json_oxycodone_lorazepam() -> None:
    res = runner.invoke(
        app, ["breathe", "--med", "oxycodone 20 mg PO", "--med", "lorazepam 2 mg PO", "--json"]
    )
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["nadir_ventilation"] == pytest.approx(0.701, abs=0.01)
    assert set(d["attribution"]) == {"oxycodone", "lorazepam"}
    assert d["attribution"]["oxycodone"] > 10 * d["attribution"]["lorazepam"]
    assert len(d["time_course"]["time_h"]) == 481


def test_breathe_table_and_plot(tmp_path: Path) -> None:
    png = tmp_path / "b.png"
    res = runner.invoke(
        app,
        [
            "breathe",
            "--med",
            "fentanyl 0.5 mg IV",
            "--tolerance",
            "lost:14d",
            "--duration",
            "2 h",
            "--naloxone",
            "4 mg IN at 30 min",
            "--age",
            "75",
            "--plot",
            str(png),
        ],
    )
    assert res.exit_code == 0, res.output
    assert "nadir ventilation" in res.output
    assert "naloxone: naloxone 4 mg intranasal" in res.output
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_parse_med() -> None:
    assert parse_med("oxycodone 20 mg PO") == ("oxycodone", "20 mg", "PO")
    assert parse_med("fentanyl 100 ug IV") == ("fentanyl", "100 mcg", "IV")


@pytest.mark.parametrize("bad", ["oxycodone 20mg", "oxycodone 20 mg PO twice", "20 mg PO"])
def test_breathe_refuses_ambiguous_med(bad: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "allostasis.interfaces.cli", "breathe", "--med", bad],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: --med: expected '<drug> <dose> <unit> <route>'")
    assert "Traceback" not in proc.stderr
