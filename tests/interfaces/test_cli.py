"""The ``allostasis`` command line.

Success paths run in-process through typer's ``CliRunner``. Error paths run the real entry point
(``allostasis.interfaces.cli.main``) in a subprocess, because what the user sees there - one
``error: ...`` line on stderr, exit status 2, no traceback - is the entry point's job.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from allostasis.interfaces.cli import app
from allostasis.knowledge import load_knowledge_base

runner = CliRunner()
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def invoke_json(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, f"exit {result.exit_code}: {result.output}\n{result.exception!r}"
    return json.loads(result.stdout)


def source_ids(node: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "source" and isinstance(v, str):
                found.add(v)
            else:
                found |= source_ids(v)
    elif isinstance(node, list):
        for v in node:
            found |= source_ids(v)
    return found


# --------------------------------------------------------------------------- drugs
def test_drugs_list_json() -> None:
    payload = invoke_json("drugs", "list")
    names = [d["name"] for d in payload]
    assert len(names) >= 43
    assert len(set(names)) == len(names)
    by_name = {d["name"]: d for d in payload}
    assert by_name["diazepam"]["class"] == "benzodiazepine"
    assert "nordiazepam" in by_name["diazepam"]["metabolites"]
    assert "transdermal" in by_name["fentanyl"]["routes"]
    assert set(by_name["alprazolam"]) == {"name", "class", "routes", "metabolites", "targets"}


def test_drugs_list_by_class() -> None:
    payload = invoke_json("drugs", "list", "--class", "z-drug")
    assert sorted(d["name"] for d in payload) == ["eszopiclone", "zolpidem", "zopiclone"]


def test_drugs_list_table() -> None:
    result = runner.invoke(app, ["drugs", "list"])
    assert result.exit_code == 0
    assert "knowledge base (43 drugs)" in result.stdout
    assert "nordiazepam" in result.stdout


def test_drugs_show_json_cites_every_source_it_uses() -> None:
    payload = invoke_json("drugs", "show", "diazepam")
    assert payload["name"] == "diazepam"
    assert [m["name"] for m in payload["metabolites"]] == ["nordiazepam"]
    sources = payload.pop("sources")
    used = source_ids(payload)
    assert len(used) >= 5
    assert used <= set(sources), f"uncited: {sorted(used - set(sources))}"
    assert set(sources) == used  # and nothing unused
    for sid, entry in sources.items():
        assert entry["id"] == sid
        assert entry["authors"]
        assert entry["title"]
        assert isinstance(entry["year"], int)
    assert sources["greenblatt-1989-diazepam"]["doi"] == "10.1097/00007691-198911000-00007"
    # values keep their units
    assert payload["pk"]["clearance"] == {
        "value": 26.6,
        "unit": "mL/min",
        "source": "greenblatt-1989-diazepam",
        "note": payload["pk"]["clearance"]["note"],
    }


def test_drugs_show_by_synonym_and_case() -> None:
    assert invoke_json("drugs", "show", "VALIUM")["name"] == "diazepam"


def test_drugs_show_table_lists_sources() -> None:
    result = runner.invoke(app, ["drugs", "show", "diazepam"])
    assert result.exit_code == 0
    assert "nordiazepam" in result.stdout
    assert "[greenblatt-1989-diazepam] Greenblatt DJ" in result.stdout


# --------------------------------------------------------------------------- pk
@pytest.fixture(scope="module")
def alprazolam_pk() -> Any:
    return invoke_json(
        "pk", "--drug", "alprazolam", "--dose", "0.5 mg", "--every", "8h", "--days", "14"
    )


def superposed_bateman(
    t: np.ndarray, dose_times: np.ndarray, dose_mg: float, p: dict[str, float]
) -> np.ndarray:
    """Sum of one-compartment oral single-dose curves (Gibaldi & Perrier 1982, ch. 1 and 3), in mg/L."""
    ka, cl, v, f, tlag = p["ka"], p["cl"], p["v"], p["f"], p.get("tlag", 0.0)
    k = cl / v
    dt = t[:, None] - dose_times[None, :] - tlag
    after = np.clip(dt, 0.0, None)
    c = f * dose_mg * ka / (v * (ka - k)) * (np.exp(-k * after) - np.exp(-ka * after))
    return np.where(dt >= 0, c, 0.0).sum(axis=1)


def test_pk_json_matches_closed_form_superposition(alprazolam_pk: Any) -> None:
    payload = alprazolam_pk
    assert payload["drug"] == "alprazolam"
    assert payload["route"] == "oral"
    assert payload["units"] == {"time": "h", "concentration": "ng/mL"}
    p = payload["parameters"]
    assert set(p) >= {"ka", "cl", "v", "f"}
    assert payload["parameter_units"]["ka"] == "1/h"
    assert payload["parameter_units"]["cl"] == "L/h"
    assert payload["parameter_units"]["v"] == "L"
    tc = pd.DataFrame(payload["timecourse"])
    tc = tc[tc["analyte"] == "alprazolam"]
    t = tc["time"].to_numpy()
    np.testing.assert_allclose(t, np.arange(0, 14 * 24 + 1, 1.0))
    dose_times = np.arange(42) * 8.0  # every 8 h for 14 days
    expected_ng_ml = superposed_bateman(t, dose_times, 0.5, p) * 1000.0  # mg/L -> ng/mL
    np.testing.assert_allclose(
        tc["concentration"].to_numpy(), expected_ng_ml, rtol=1e-9, atol=1e-12
    )
    assert payload["summary_window"] == "last 24 h"
    (summary,) = payload["summary"]
    last = tc["time"] >= 14 * 24 - 24
    assert summary["cmax"] == pytest.approx(tc.loc[last, "concentration"].max(), rel=1e-12)
    assert summary["cmin"] == pytest.approx(tc.loc[last, "concentration"].min(), rel=1e-12)
    assert any("tmax 1.5 h" in line and "[xanax-label]" in line for line in payload["basis"])
    assert payload["warnings"] == []


def test_pk_writes_csv_and_png(tmp_path: Path, alprazolam_pk: Any) -> None:
    csv, png = tmp_path / "alprazolam.csv", tmp_path / "alprazolam.png"
    result = runner.invoke(
        app,
        ["pk", "--drug", "alprazolam", "--dose", "0.5 mg", "--every", "8h", "--days", "14",
         "--csv", str(csv), "--plot", str(png)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "alprazolam 0.5 mg every 8 h (oral)" in result.stdout
    df = pd.read_csv(csv)
    assert list(df.columns) == ["subject_id", "time", "analyte", "concentration"]
    assert len(df) == 14 * 24 + 1
    np.testing.assert_allclose(
        df["concentration"], alprazolam_pk["timecourse"]["concentration"], rtol=1e-12
    )
    data = png.read_bytes()
    assert data.startswith(PNG_MAGIC)
    assert len(data) > 5000


def test_pk_reports_metabolites_and_other_units() -> None:
    payload = invoke_json("pk", "--drug", "Valium", "--dose", "5 mg", "--every", "12 h", "--days", "2",
                          "--unit", "mg/L", "--step", "6 h")  # fmt: skip
    tc = pd.DataFrame(payload["timecourse"])
    assert sorted(tc["analyte"].unique()) == ["diazepam", "nordiazepam"]
    assert tc["time"].unique().tolist() == [0, 6, 12, 18, 24, 30, 36, 42, 48]
    assert payload["units"]["concentration"] == "mg/L"
    assert tc["concentration"].max() < 1.0  # mg/L, not ng/mL


def test_pk_warns_above_the_label_maximum() -> None:
    payload = invoke_json(
        "pk", "--drug", "alprazolam", "--dose", "2 mg", "--every", "8 h", "--days", "1"
    )
    assert payload["warnings"] == ["6 mg/day is above the label maximum of 4 mg/day [xanax-label]"]


def test_pk_from_a_records_file(tmp_path: Path) -> None:
    path = tmp_path / "recs.csv"
    path.write_text("id,time,amt,evid,dv\n1,0,10,1,.\n1,2,.,0,.\n1,24,.,0,.\n")
    payload = invoke_json("pk", "--drug", "diazepam", "--records", str(path))
    tc = pd.DataFrame(payload["timecourse"])
    assert tc.loc[tc["analyte"] == "diazepam", "time"].tolist() == [2.0, 24.0]
    assert payload["summary_window"] == "all output times"


def test_pk_transdermal_fentanyl_route() -> None:
    model_basis = invoke_json("pk", "--drug", "fentanyl", "--route", "transdermal", "--dose", "1.8 mg",
                              "--every", "72 h", "--days", "3")["basis"]  # fmt: skip
    assert any("ka (transdermal)" in line for line in model_basis)


# --------------------------------------------------------------------------- demo
def test_demo_json_uses_ashton_and_flags_disagreement() -> None:
    payload = invoke_json("demo")
    c = payload["conversion"]
    assert (c["from_drug"], c["from_dose_mg"]) == ("alprazolam", 1.5)
    assert (c["to_drug"], c["dose_mg"], c["source"]) == ("diazepam", 30.0, "ashton-2002")
    assert c["sources_disagree"] is True
    assert c["by_source"] == {
        "ashton-2002": 30.0,
        "va-dod-2021": 15.0,
        "nhs-scotland-2024": 30.0,
        "who-2009": 15.0,
    }
    assert any("disagree" in w for w in c["warnings"])
    assert payload["regimens"]["diazepam"] == "diazepam 10 mg every 8 h for 14 days"
    analytes = {(r["regimen"], r["analyte"]) for r in payload["summary"]}
    assert analytes == {
        ("alprazolam", "alprazolam"),
        ("diazepam", "diazepam"),
        ("diazepam", "nordiazepam"),
    }
    assert payload["plot"] is None


def test_demo_with_the_va_dod_table() -> None:
    payload = invoke_json("demo", "--source", "va-dod-2021")
    c = payload["conversion"]
    assert c["dose_mg"] == 15.0
    assert c["source"] == "va-dod-2021"
    assert c["citation"].startswith("VA/DoD")
    assert payload["regimens"]["diazepam"] == "diazepam 5 mg every 8 h for 14 days"
    daily = {r["analyte"]: r["daily_dose_mg"] for r in payload["summary"]}
    assert daily["diazepam"] == 15.0


def test_demo_plot(tmp_path: Path) -> None:
    png = tmp_path / "demo.png"
    result = runner.invoke(app, ["demo", "--plot", str(png)])
    assert result.exit_code == 0, result.output
    assert "30 mg/day diazepam" in result.stdout
    assert png.read_bytes().startswith(PNG_MAGIC)


def test_version() -> None:
    from allostasis import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"allostasis {__version__}"


# --------------------------------------------------------------------------- the real entry point
PK = ["pk", "--drug", "alprazolam", "--every", "8h", "--days", "1"]

ERROR_CASES: dict[str, tuple[list[str], str]] = {
    "unknown drug": (["drugs", "show", "nosuchdrug"],
                     r"drug: 'nosuchdrug' is not in the knowledge base \(`allostasis drugs list` shows the 43 known drugs\)"),
    "misspelled drug": (["drugs", "show", "diazepan"],
                        r"drug: 'diazepan' is not in the knowledge base; did you mean 'diazepam'"),
    "unknown class": (["drugs", "list", "--class", "barbiturate"],
                      r"--class: no drugs of class 'barbiturate'; classes: .*benzodiazepine"),
    "dose in kg": ([*PK, "--dose", "5 kg"],
                   r"--dose: 5 kg is in kilogram, a body-weight unit; a drug amount is given in g, mg, mcg or ng"),
    "dose as a rate": ([*PK, "--dose", "25 mcg/h"],
                       r"--dose: expected a quantity in mg \(dimension \[mass\]\); got 25 mcg/h"),
    "interval in kg": (["pk", "--drug", "alprazolam", "--dose", "0.5 mg", "--every", "8 kg"],
                       r"--every: expected a quantity in h \(dimension \[time\]\); got 8 kg"),
    "negative dose": ([*PK, "--dose", "-1 mg"], r"--dose: must be > 0 mg; got -1 milligram"),
    "bare number dose": ([*PK, "--dose", "5"],
                         r"--dose: a bare number \('5'\) has no unit; give a quantity such as '5 mg'"),
    "decimal comma": ([*PK, "--dose", "0,5 mg"], r"--dose: cannot read '0,5 mg' as a quantity; use a decimal point"),
    "10x label maximum": ([*PK, "--dose", "15 mg"],
                          r"--dose: 45 mg/day of alprazolam is more than 10x the label maximum \(4 mg/day\); .*--allow-supratherapeutic"),
    "unknown route": ([*PK, "--dose", "0.5 mg", "--route", "transdermal"],
                      r"route: alprazolam has no data for route 'transdermal'; known routes: oral"),
    "missing interval": (["pk", "--drug", "alprazolam", "--dose", "0.5 mg"],
                         r"--dose and --every: both are required"),
    "unknown equivalence table": (["demo", "--source", "bnf"],
                                  r"source: 'bnf' is not an equivalence table; choose one of ashton-2002"),
}  # fmt: skip


def run_main(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", "from allostasis.interfaces.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def entry_point_runs() -> dict[str, subprocess.CompletedProcess[str]]:
    """Every error case (and one success) through the real entry point, run concurrently."""
    cases = {name: args for name, (args, _) in ERROR_CASES.items()}
    cases["success"] = ["drugs", "list", "--json"]
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {name: pool.submit(run_main, args) for name, args in cases.items()}
        return {name: f.result() for name, f in futures.items()}


@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_bad_input_prints_one_error_line_and_exits_2(
    case: str, entry_point_runs: dict[str, subprocess.CompletedProcess[str]]
) -> None:
    proc = entry_point_runs[case]
    _, pattern = ERROR_CASES[case]
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == 2, f"exit {proc.returncode}; stderr: {proc.stderr!r}"
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {lines!r}"
    assert lines[0].startswith("error: ")
    assert re.search(pattern, lines[0]), f"{pattern!r} not in {lines[0]!r}"
    assert proc.stdout == ""


def test_entry_point_success(entry_point_runs: dict[str, subprocess.CompletedProcess[str]]) -> None:
    proc = entry_point_runs["success"]
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""
    assert len(json.loads(proc.stdout)) == len(load_knowledge_base())
