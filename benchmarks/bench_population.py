"""Population benchmark: 100,000 virtual subjects x 1 year, PK + neuroadaptation, through
``allostasis.population.run_trial`` (sampling, covariates, chunks of 4096, on-the-fly outcomes).

Cohort: ``examples/cohort.toml`` with alprazolam 0.5 mg every 12 h (IIV on cl, v, tau_glutamate,
tau_coupling_alpha23, gain_glutamate, cl-v correlation 0.4, covariates) with 180 days of use, a
185-day taper window and no follow-up, i.e. 365 simulated days per subject; strategy
``direct-proportional``. Reports:

- patient-days/s at 1 and 2 engine threads (best of ``--repeat``; the machine is shared, so
  numbers are noisy);
- the balance-index error of 3 subjects against the scipy reference of bench_engine.py
  (``solve_ivp`` DOP853, rtol 1e-10, on the coupled PK + adaptation ODE, same doses);
- memory: the estimate for 1 million subject-years, and estimate vs measured (tracemalloc peak and
  the process's max RSS growth) for ``--memory-subjects`` subjects;
- libroadrunner (installed for the benchmark only, not a dependency of allostasis) on the SAME
  model -- all PK compartments and the nine adaptation states, generated in Antimony from the
  engine's prepared cohort by ``roadrunner_model.py`` -- for ``--rr-subjects`` subjects of the
  benchmark's first block (CVODE at its default tolerances, one dosing event, daily output), with
  its largest index difference from the compiled engine; the ratio is allostasis over roadrunner in
  patient-days/s, at 1 thread and at the best thread count (roadrunner: one process).

The whole trial (``--trial-subjects N``, 0 to skip): ``examples/cohort.toml`` as it is (alprazolam
1 mg every 8 h, 365 days of use, 78-week taper horizon, 26-week follow-up: 1,093 days) through
the four strategies (``STRATEGIES``), best of ``--repeat`` at each thread count: wall time, the
time extrapolated to 100,000 subjects (linear in subjects; chunks of 4096), and subject-days/s
counted over all four strategies (4 x 1,093 days per subject, of which the 365-day use phase is
simulated once per chunk and shared). ``--trial-only`` runs just this part.

Usage: python benchmarks/bench_population.py [--subjects 100000] [--repeat 1] [--threads 1 2]
       [--memory-subjects 20000] [--rr-subjects 200] [--trial-subjects 4096] [--trial-only]
       [--trial-tolerance 1e-6]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from bench_engine import reference

from allostasis.engine import simulate_cohort
from allostasis.engine._compiled import _prepare
from allostasis.population import (
    STRATEGIES,
    estimate_memory,
    load_cohort,
    run_trial,
    sample_cohort,
    subject_parameters,
    taper_strategy,
)

ROOT = Path(__file__).resolve().parents[1]
STRATEGY = "direct-proportional"


def whole_trial(
    n: int, threads: list[int], repeat: int, tolerance: float | None = None
) -> dict[str, Any]:
    """Wall time of ``run_trial`` on ``examples/cohort.toml`` with all four strategies."""
    spec = load_cohort(ROOT / "examples" / "cohort.toml")
    if tolerance is not None:
        spec = spec.model_copy(update={"tolerance": tolerance})
    run_trial(spec, STRATEGIES, n=64, chunk_size=64, threads=1)  # compile / cache load
    out: dict[str, Any] = {
        "trial cohort": f"{spec.name}: {spec.drug} {spec.dose_mg:g} mg every {spec.interval_h:g} h, "
        f"{spec.end_days:g} days, tolerance {spec.tolerance:g}",
        "trial strategies": list(STRATEGIES),
        "trial subjects": n,
    }
    for th in threads:
        best = np.inf
        for _ in range(repeat):
            t0 = time.perf_counter()
            run_trial(spec, STRATEGIES, n=n, chunk_size=4096, threads=th)
            best = min(best, time.perf_counter() - t0)
        out[f"trial threads={th}: wall s (best of {repeat})"] = round(best, 2)
        out[f"trial threads={th}: 100,000 subjects, extrapolated s"] = round(best * 1e5 / n, 1)
        out[f"trial threads={th}: subject-days/s (4 strategies)"] = round(
            n * len(STRATEGIES) * spec.end_days / best
        )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--subjects", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--memory-subjects", type=int, default=20_000)
    ap.add_argument("--rr-subjects", type=int, default=200)
    ap.add_argument("--trial-subjects", type=int, default=4096)
    ap.add_argument("--trial-only", action="store_true")
    ap.add_argument("--trial-tolerance", type=float, default=None, help="override the file's")
    a = ap.parse_args()
    if a.trial_only:
        trial = whole_trial(a.trial_subjects, a.threads, a.repeat, a.trial_tolerance)
        print(json.dumps(trial, indent=1))
        return
    spec = load_cohort(ROOT / "examples" / "cohort.toml").model_copy(
        update={
            "dose_mg": 0.5,
            "interval_h": 12.0,
            "use_days": 180.0,
            "taper_horizon_days": 185.0,
            "follow_up_days": 0.0,
        }
    )
    days = spec.end_days
    out: dict[str, Any] = {"cohort": spec.name, "days": days, "strategy": STRATEGY}
    t0 = time.perf_counter()
    run_trial(spec, [STRATEGY], n=64, chunk_size=64)
    out["first call s (compile or cache load)"] = round(time.perf_counter() - t0, 2)
    res = None
    for th in a.threads:
        best = np.inf
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            res = run_trial(spec, [STRATEGY], n=a.subjects, chunk_size=4096, threads=th)
            best = min(best, time.perf_counter() - t0)
        out[f"threads={th}: wall s (best of {a.repeat})"] = round(best, 2)
        out[f"threads={th}: patient-days/s"] = round(a.subjects * days / best)
    if res is not None:
        out["severe share"] = float(res.summary["severe_share"].iloc[0])
    # accuracy: block 0 of the cohort against the scipy reference
    cohort = sample_cohort(spec, 0, 64)
    params = subject_parameters(spec, cohort)
    rule = taper_strategy(STRATEGY, spec).phases[0].rule
    kw: dict[str, Any] = {"end": f"{days} days", "tolerance": spec.tolerance}
    r = simulate_cohort(spec.drug, rule, subjects=params, output_every="6 h", threads=1, **kw)
    c = _prepare(
        spec.drug,
        rule,
        n_subjects=64,
        variability=None,
        seed=0,
        params=None,
        max_segment="24 h",
        output_every="6 h",
        window_start="0 h",
        route="oral",
        source="ashton-2002",
        subjects=params,
        **kw,
    )
    subj = np.array([0, 1, 2])
    ref_idx, _ = reference(c, r.doses_mg, subj, r.grid_times_h)
    err = np.abs(r.index_grid[subj] - ref_idx).max(axis=1) / np.abs(ref_idx).max(axis=1)
    out["max |dX| / max|X| vs scipy (3 subjects)"] = float(f"{err.max():.3g}")
    # memory
    est_1m = estimate_memory(spec, [STRATEGY], n=1_000_000, chunk_size=4096)
    out["memory estimate, 1 M subject-years (MiB)"] = round(est_1m.total_bytes / 2**20)
    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    run_trial(spec, [STRATEGY], n=a.memory_subjects, chunk_size=4096, threads=max(a.threads))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    est = estimate_memory(spec, [STRATEGY], n=a.memory_subjects, chunk_size=4096)
    out[f"memory, {a.memory_subjects} subjects: estimate MiB"] = round(est.total_bytes / 2**20, 1)
    out[f"memory, {a.memory_subjects} subjects: tracemalloc peak MiB"] = round(peak / 2**20, 1)
    out["process max RSS MiB (whole run so far)"] = round(rss1 / 1024)
    out["max RSS growth during the memory run MiB"] = round((rss1 - rss0) / 1024, 1)
    # libroadrunner on the same model, for the first block's subjects
    try:
        from roadrunner_model import compare

        subjects = np.arange(a.rr_subjects) % 64
        daily = np.abs(r.grid_times_h / 24.0 - np.round(r.grid_times_h / 24.0)) < 1e-9
        rr = compare(c, r.doses_mg[0], r.index_grid[:, daily], r.grid_times_h[daily], subjects)
        out["libroadrunner (full model)"] = rr
        one = out.get("threads=1: patient-days/s")
        best2 = max(v for key, v in out.items() if key.endswith(": patient-days/s"))
        if one is not None:
            out["ratio allostasis (1 thread) / roadrunner"] = round(one / rr["patient-days/s"])
        out["ratio allostasis (best threads) / roadrunner"] = round(best2 / rr["patient-days/s"])
    except ImportError as exc:
        out["libroadrunner"] = f"not installed ({exc}); pip install libroadrunner antimony"
    if a.trial_subjects > 0:
        out |= whole_trial(a.trial_subjects, a.threads, a.repeat, a.trial_tolerance)
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
