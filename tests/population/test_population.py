"""Virtual cohorts and in-silico taper trials (issue 9)."""

from __future__ import annotations

import json
import math
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from allostasis.engine import simulate_cohort
from allostasis.errors import InvalidValueError
from allostasis.interfaces.cli import app
from allostasis.population import (
    check_chunks,
    cohort_spec,
    estimate_memory,
    omega,
    run_trial,
    sample_cohort,
    subject_parameters,
    taper_strategy,
)

COHORT = {
    "cohort": {
        "drug": "alprazolam",
        "dose": "0.5 mg",
        "interval": "12 h",
        "duration_of_use": "30 days",
        "n": 256,
        "seed": 11,
    },
    "variability": {"cl": 0.35, "v": 0.25, "tau_glutamate": 0.3, "tau_coupling_alpha23": 0.3},
    "correlation": {"parameters": ["cl", "v"], "matrix": [[1.0, 0.4], [0.4, 1.0]]},
    "covariates": {"female_fraction": 0.65, "hepatic_impairment": 0.1, "cyp3a4_inhibitor": 0.1},
    "trial": {"taper_horizon": "60 weeks", "follow_up": "0 weeks"},
}
SPEC = cohort_spec(COHORT)


def test_sampled_variability_matches_the_file() -> None:
    n = 20000
    spec = SPEC.with_n(n)
    c = sample_cohort(spec)
    for name, cv in spec.variability.items():
        eta = c[f"eta_{name}"].to_numpy()
        # standard normal deviations: SD 1 within 4 standard errors (SE = 1/sqrt(2n))
        assert abs(eta.std() - 1.0) < 4 / math.sqrt(2 * n)
        theta = np.exp(omega(cv) * eta)
        assert abs(theta.std() / theta.mean() - cv) < 0.03 * cv
    r = np.corrcoef(c["eta_cl"], c["eta_v"])[0, 1]
    assert abs(r - 0.4) < 4 * (1 - 0.4**2) / math.sqrt(n)
    assert abs(np.corrcoef(c["eta_cl"], c["eta_tau_glutamate"])[0, 1]) < 4 / math.sqrt(n)
    assert abs(c["female"].mean() - 0.65) < 4 * math.sqrt(0.65 * 0.35 / n)
    assert abs(c["cyp3a4_inhibitor"].mean() - 0.1) < 4 * math.sqrt(0.09 / n)
    assert c["age"].between(18, 90).all()
    w = c.loc[c["female"], "weight_kg"]
    assert abs(np.median(w) - 72.0) < 1.0


def test_covariate_effects_on_clearance() -> None:
    c = sample_cohort(SPEC)
    for k in SPEC.variability:
        c[f"eta_{k}"] = 0.0
    c["weight_kg"] = 70.0
    c["age"] = 40.0
    c["hepatic_impairment"] = False
    c["cyp3a4_inhibitor"] = [i % 2 == 1 for i in range(len(c))]
    p = subject_parameters(SPEC, c)
    # ketoconazole: alprazolam AUC x3.98 -> clearance x0.25 (label, knowledge base)
    assert p["cl"].iloc[1] / p["cl"].iloc[0] == pytest.approx(0.25)
    c["age"] = 70.0
    c["cyp3a4_inhibitor"] = False
    assert subject_parameters(SPEC, c)["cl"].iloc[0] == pytest.approx(4.2 / 1.48)
    # diazepam in the elderly: volume x2, clearance unchanged (Klotz 1975)
    dz = subject_parameters(SPEC, c, "diazepam")
    assert dz["cl"].iloc[0] == pytest.approx(1.596)
    assert dz["v1"].iloc[0] == pytest.approx(84.0)


def test_samples_do_not_depend_on_the_range_drawn() -> None:
    a = sample_cohort(SPEC, 0, 256)
    b = pd.concat([sample_cohort(SPEC, 0, 100), sample_cohort(SPEC, 100, 256)], ignore_index=True)
    pd.testing.assert_frame_equal(a, b, check_exact=True)


def test_trial_is_bit_identical_across_chunking_and_threads() -> None:
    names = ["direct-proportional", "diazepam-switch"]
    a = run_trial(SPEC, names, chunk_size=64, threads=1)
    b = run_trial(SPEC, names, chunk_size=256, threads=2)
    pd.testing.assert_frame_equal(a.outcomes, b.outcomes, check_exact=True)
    # the schedule's arithmetic: 0.5 mg x 0.9^k < 0.025 mg (1 mg diazepam eq/day) at k = 29,
    # so the last dose ends 28 x 14 = 392 days after the taper start; diazepam 20 mg/day: 14 + 392
    s = a.summary.set_index("strategy")
    assert s.loc["direct-proportional", "completion_median_days"] == pytest.approx(392.0)
    assert s.loc["diazepam-switch", "completion_median_days"] == pytest.approx(406.0)
    assert s.loc["direct-proportional", "completed_share"] == 1.0


def test_dask_local_cluster_matches_in_process_run() -> None:
    pytest.importorskip("dask.distributed")
    a = run_trial(SPEC, ["symptom-guided"], chunk_size=128, threads=1)
    b = run_trial(SPEC, ["symptom-guided"], chunk_size=128, scheduler="local")
    pd.testing.assert_frame_equal(a.outcomes, b.outcomes, check_exact=True)


def test_trial_outcomes_agree_with_single_subject_runs() -> None:
    res = run_trial(SPEC, ["direct-linear"], chunk_size=256, threads=2)
    o = res.outcomes.set_index("subject_id")
    strat = taper_strategy("direct-linear", SPEC)
    ph = strat.phases[0]
    cohort = sample_cohort(SPEC)
    params = subject_parameters(SPEC, cohort)
    for i in (3, 77, 200):
        r = simulate_cohort(
            SPEC.drug,
            ph.rule,
            end=f"{ph.end_day} days",
            subjects=params.iloc[[i]].reset_index(drop=True),
            window_start=f"{SPEC.use_days} days",
        )
        row = o.loc[i + 1]
        # a block of 1 vs the subject's block of 64: same model within the engine's accuracy
        assert row["peak_index"] == pytest.approx(r.summary["peak_index"].iloc[0], abs=2e-4)
        last = np.nonzero(r.doses_mg[0] > 0)[0][-1]
        assert row["completion_days"] == pytest.approx(
            (r.dose_times_h[last] + ph.rule.interval_h) / 24 - SPEC.use_days
        )
    # linear: 10 steps of 0.05 mg, the 10th (day 126 after the start) reaches 0
    assert (res.outcomes["completion_days"] == 126.0).all()


def test_memory_estimate_within_25_percent_of_measured() -> None:
    names = ["direct-proportional"]
    run_trial(SPEC, names, n=64, chunk_size=64, threads=1)  # warm-up (compile, caches)
    tracemalloc.start()
    run_trial(SPEC, names, n=512, chunk_size=256, threads=1)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    est = estimate_memory(SPEC, names, n=512, chunk_size=256).total_bytes
    assert abs(est - peak) / peak < 0.25, (est, peak)


def test_chunks_must_be_64_aligned() -> None:
    with pytest.raises(InvalidValueError, match="multiple of 64"):
        check_chunks(1000, 1000)
    with pytest.raises(InvalidValueError, match="unknown 'taper-fast'"):
        run_trial(SPEC, ["taper-fast"])


def test_trial_cli_json_plots_and_trajectories(tmp_path: Path) -> None:
    import tomllib  # noqa: F401  (file written below is TOML)

    f = tmp_path / "cohort.toml"
    f.write_text(
        '[cohort]\ndrug = "alprazolam"\ndose = "0.5 mg"\ninterval = "12 h"\n'
        'duration_of_use = "30 days"\nn = 64\nseed = 3\n[variability]\ncl = 0.3\n'
        '[trial]\ntaper_horizon = "30 weeks"\nfollow_up = "26 weeks"\n'
    )
    png, html, pq = tmp_path / "t.png", tmp_path / "t.html", tmp_path / "t.parquet"
    res = CliRunner().invoke(
        app,
        [
            "trial",
            "--cohort",
            str(f),
            "--strategy",
            "direct-linear",
            "--strategy",
            "symptom-guided",
            "--json",
            "--plot",
            str(png),
            "--html",
            str(html),
            "--trajectories",
            str(pq),
        ],
    )
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    rows = {r["strategy"]: r for r in d["summary"]}
    assert rows["direct-linear"]["completion_median_days"] == 126.0
    # linear taper ends day 126; follow-up covers 6 months after the last dose for everyone
    assert rows["direct-linear"]["protracted_observed"] == 64
    assert png.stat().st_size > 10_000
    assert "plotly" in html.read_text()
    t = pd.read_parquet(pq)
    days = 30 * 7 + 26 * 7
    assert len(t) == 2 * 64 * (days + 1)
