"""``allostasis mme``: totals match the CDC 2022 factors; sets are named; ambiguous sigs refused."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from allostasis.interfaces.cli import app

runner = CliRunner()


def test_mme_total_prn_at_maximum_and_buprenorphine_excluded() -> None:
    res = runner.invoke(
        app,
        [
            "mme",
            "--med",
            "hydrocodone/acetaminophen 5/325 mg 1-2 tabs PO q4-6h PRN pain",
            "--med",
            "fentanyl 25 mcg/h 1 patch q72h",
            "--med",
            "buprenorphine 8 mg SL daily",
            "--json",
        ],
    )
    assert res.exit_code == 0, res.output
    d = json.loads(res.stdout)
    assert d["factor_set"] == "cdc-2022"
    # PRN at maximum: 2 tabs every 4 h = 12 x 5 mg = 60 mg x 1.0; patch 25 mcg/h x 2.4 = 60
    assert d["total_mme_per_day"] == pytest.approx(120.0)
    assert d["at_or_above_reassessment"] is True
    bup = next(o for o in d["orders"] if o["drug"] == "buprenorphine")
    assert bup["counted"] is False
    assert "partial" in bup["excluded_reason"]
    assert any("not a conversion tool" in n or "converting one opioid" in n for n in d["notes"])


def test_mme_analytic_set_differs_and_is_named() -> None:
    res = runner.invoke(
        app,
        [
            "mme",
            "--med",
            "tramadol 50 mg 1 tab PO QID",
            "--factor-set",
            "cdc-2018-analytic",
            "--json",
        ],
    )
    d = json.loads(res.stdout)
    assert d["factor_set"] == "cdc-2018-analytic"
    assert d["total_mme_per_day"] == pytest.approx(200 * 0.1)


def test_mme_ambiguous_sig_is_a_one_line_error() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from allostasis.interfaces.cli import main; main()",
            "mme",
            "--med",
            "oxycodone as directed",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().startswith("error: sig 'oxycodone as directed': 'as directed'")
    assert len(proc.stderr.strip().splitlines()) == 1
