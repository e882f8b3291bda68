"""Receptor and combination verbs: JSON output checked against the seed's worked examples and the
library, bad input as one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from allostasis.interfaces.cli import app

runner = CliRunner()


def run_json(*args: str) -> dict:
    res = runner.invoke(app, [*args, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.stdout)


def test_combine_bliss_seed_example() -> None:
    """Seed: Bliss of 0.41 and 0.65 is 0.79."""
    d = run_json("combine", "bliss", "0.41", "0.65")
    assert d["expected"] == pytest.approx(0.7935, abs=1e-12)


def test_combine_bliss_classifies_observed_synergy() -> None:
    d = run_json("combine", "bliss", "0.41", "0.65", "--observed", "0.95")
    assert d["classification"] == "synergy"
    assert d["excess"] == pytest.approx(0.95 - 0.7935)


def test_interaction_seed_example_with_ci() -> None:
    """Seed: RR 3, 2, 8 give RERI 4, AP 0.50, S 2.33."""
    d = run_json(
        "interaction",
        "--rr10",
        "3",
        "--rr01",
        "2",
        "--rr11",
        "8",
        "--ci10",
        "2",
        "4.5",
        "--ci01",
        "1.5",
        "2.67",
        "--ci11",
        "5",
        "12.8",
    )
    assert d["reri"]["estimate"] == pytest.approx(4.0)
    assert d["ap"]["estimate"] == pytest.approx(0.5)
    assert d["synergy_index"]["estimate"] == pytest.approx(7 / 3)
    lo, hi = d["reri"]["intervals"][0]["low"], d["reri"]["intervals"][0]["high"]
    assert lo < 4.0 < hi


def test_occupancy_daily_dose_is_split_over_the_interval() -> None:
    daily = run_json(
        "occupancy", "--drug", "venlafaxine", "--dose", "150 mg/day", "--interval", "12 h"
    )
    assert daily["dose_mg"] == pytest.approx(75.0)
    assert daily["daily_dose_mg"] == pytest.approx(150.0)
    assert daily["targets"]["SERT"]["mean"] > daily["targets"]["NET"]["mean"]


def test_occupancy_sertraline_rises_with_dose() -> None:
    low = run_json("occupancy", "--drug", "sertraline", "--dose", "25 mg/day", "--target", "SERT")
    high = run_json("occupancy", "--drug", "sertraline", "--dose", "50 mg/day", "--target", "SERT")
    assert 0 < low["targets"]["SERT"]["mean"] < high["targets"]["SERT"]["mean"] < 1
    assert list(high["targets"]) == ["SERT"]


def test_curve_gaba_leftward_shift_and_plot(tmp_path) -> None:
    png = tmp_path / "gaba.png"
    d = run_json("curve", "gaba", "--modulator", "diazepam", "--conc", "1 uM", "--plot", str(png))
    assert d["ec50_with_um"] < d["ec50_without_um"]
    assert 1 < d["shift"] <= d["max_shift"]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_partial_agonism_buspirone_crossover() -> None:
    d = run_json("partial-agonism", "--drug", "buspirone", "--conc", "10 nM")
    rows = d["curve"]["rows"]
    assert rows[0]["change"] > 0 > rows[-1]["change"]  # raises at low tone, lowers at high tone
    assert rows[0]["agonist_conc"] < d["crossover_nm"] < rows[-1]["agonist_conc"]


def test_compete_naloxone_displaces_then_fentanyl_rebinds() -> None:
    d = run_json(
        "compete",
        "--agonist",
        "fentanyl",
        "--agonist-conc",
        "1 nM",
        "--antagonist-dose",
        "2 mg",
        "--duration",
        "6 h",
    )
    s = d["summary"]
    assert s["nadir"] < 0.5 * s["before"]
    assert s["end"] > 2 * s["nadir"]  # naloxone clears first: re-binding


def test_release_pregabalin_reduces_release_more_than_entry() -> None:
    d = run_json("release", "--drug", "pregabalin", "--conc", "30 uM")
    assert d["release_reduction"][0] > 1 - d["calcium_entry"][0] > 0


def test_schild_ideal_data_gives_pa2() -> None:
    kb = 3.0  # nM
    concs = [1.0, 10.0, 100.0]
    args = ["schild"]
    for c in concs:
        args += ["--antagonist", f"{c} nM", "--dose-ratio", str(1 + c / kb)]
    d = run_json(*args)
    assert d["slope"] == pytest.approx(1.0, abs=1e-9)
    assert d["pa2"] == pytest.approx(8.5229, abs=1e-3)


def test_combine_loewe_additive_pair_has_ci_one_half() -> None:
    d = run_json(
        "combine",
        "loewe",
        "--dose-a",
        "2.5 mg",
        "--dose-b",
        "0.5 mg",
        "--effect",
        "0.5",
        "--ed50-a",
        "10 mg",
        "--ed50-b",
        "2 mg",
    )
    assert d["combination_index"] == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("args", "pattern"),
    [
        (["combine", "bliss", "1.4", "0.2"], r"effect_a: must be a fraction in \[0, 1\]"),
        (["interaction", "--rr10", "-3", "--rr01", "2", "--rr11", "8"], r"rr10: .* must be > 0"),
        (
            ["interaction", "--rr10", "3", "--rr01", "2", "--rr11", "8", "--ci10", "2", "4"],
            r"give all three",
        ),
        (
            ["occupancy", "--drug", "diazepam", "--dose", "10 mg", "--target", "SERT"],
            r"no affinity \(Ki\) data for 'SERT'",
        ),
        (["curve", "gaba", "--conc", "-1 uM"], r"must be >= 0"),
        (
            ["compete", "--agonist", "fentanyl", "--agonist-conc", "1 kg"],
            r"agonist_conc: expected a quantity in nM",
        ),
        (
            [
                "compete",
                "--agonist",
                "fentanyl",
                "--agonist-conc",
                "1 nM",
                "--antagonist",
                "sertraline",
            ],
            r"antagonist: sertraline is a ssri",
        ),
        (
            ["release", "--drug", "pregabalin", "--conc", "10 uM", "--potency", "clinical"],
            r"potency: must be",
        ),
    ],
)
def test_bad_input_is_one_line_error(args: list[str], pattern: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", "from allostasis.interfaces.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in proc.stderr
    import re

    assert re.search(pattern, lines[0]), lines[0]


def test_pk_iv_weight_based_dose_matches_bolus_closed_form() -> None:
    """IV doses go to the central compartment; "0.05 mg/kg" x 80 kg = 4 mg."""
    d = run_json(
        "pk",
        "--drug",
        "midazolam",
        "--route",
        "iv",
        "--dose",
        "0.05 mg/kg",
        "--weight",
        "80 kg",
        "--every",
        "24h",
        "--days",
        "1",
        "--unit",
        "mg/L",
    )
    p = d["parameters"]
    assert "4 mg" in d["regimen"]
    tc = d["timecourse"]
    rows = [
        i
        for i, (a, t) in enumerate(zip(tc["analyte"], tc["time"], strict=True))
        if a == "midazolam" and t == 0.0
    ]
    c0 = tc["concentration"][rows[0]]
    v = p["v"] if "v" in p else p["v1"]
    assert c0 == pytest.approx(4.0 / v, rel=1e-9)
