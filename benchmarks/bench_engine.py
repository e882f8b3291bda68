"""Engine benchmark: PK + neuroadaptation, 10,000 subjects x 1 year, daily dosing then a taper.

Alprazolam 1 mg once daily (oral, exact one-compartment PK) for 180 days, then a proportional taper
(10% of the current dose every 14 days, stopped below 0.05 mg). Log-normal between-subject
variability (CV): clearance 30%, tau_glutamate 30%, tau_coupling_alpha23 30%. The compiled engine
(``allostasis.engine.simulate_cohort``) advances PK exactly and the 9-state adaptation model by an
adaptive Dormand-Prince 5(4) method over blocks of 64 subjects (default tolerance 1e-6). Prints
throughput in patient-days per second (best of several timed runs after the compile, at 1 and 2
threads) and the error against a scipy reference for a few subjects. With ``--baseline-rev REV``
it also times the engine of an earlier git revision (fixed-step RK4, 20 min) on the same cohort in
the same run (fewer subjects, ``--baseline-subjects``; throughput is per patient-day) and reports
the ratio, so that other load on the machine affects both alike.

The reference integrates the full coupled system (the linear PK ODE and the adaptation ODE,
numpy ``adaptation_rhs``) with ``solve_ivp`` (DOP853, rtol 1e-10, atol 1e-12) from dose to dose,
with the doses the engine's rule actually gave. Errors are on the balance index on a 6-hourly grid:
max |X_engine - X_ref| / max |X_ref| per subject (the index crosses zero, so a pointwise relative
error is undefined there), and the maximum pointwise relative error of the 9 final states.

Usage: python benchmarks/bench_engine.py [--subjects 10000] [--days 365] [--tolerance 1e-6]
       [--check 3] [--repeat 3] [--threads 1 2] [--drug alprazolam] [--interval 24]
       [--baseline-rev a5df21c]
       [--baseline-subjects 2000]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from scipy.integrate import solve_ivp

from allostasis.adaptation import INITIAL_STATE, adaptation_rhs, receptor_constants
from allostasis.engine._compiled import _prepare, simulate_cohort
from allostasis.engine._rules import DosingRule, dosing_rule

VARIABILITY = {"cl": 0.3, "tau_glutamate": 0.3, "tau_coupling_alpha23": 0.3}


def reference(
    c: Any, doses: np.ndarray, subjects: np.ndarray, times: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Index on ``times`` and final state for ``subjects``, by solve_ivp on the coupled system."""
    rc = receptor_constants()
    from allostasis.adaptation._model import _balance

    idx = np.empty((subjects.size, times.size))
    finals = np.empty((subjects.size, INITIAL_STATE.size))
    for r, s in enumerate(subjects):
        k = c.kmat[s]
        n = k.shape[0]
        p = c.params[s : s + 1]

        def inputs(xpk: np.ndarray, s: int = s) -> np.ndarray:
            yb = float(np.dot(c.an_coef[s], xpk[c.an_state]))
            u = np.zeros((1, 5))
            u[0, 0], u[0, 1] = yb, yb * c.inv_ratio
            return u

        def f(t: float, z: np.ndarray, k: np.ndarray = k, n: int = n, p: np.ndarray = p) -> Any:
            dx = k @ z[:n]
            da = adaptation_rhs(z[n:][None, :], p, inputs(z[:n]), rc)[0]
            return np.concatenate([dx, da])

        z = np.concatenate([np.zeros(n), INITIAL_STATE])
        enter = c.slots + c.tlag
        cuts = np.unique(np.concatenate([[0.0], enter[enter < c.t_end], [c.t_end]]))
        for a, b in itertools.pairwise(cuts):
            hit = np.nonzero(np.abs(enter - a) < 1e-9)[0]
            if hit.size:
                z[c.cmt] += c.f_dose[s] * doses[s, hit[0]]
            sel = np.nonzero((times >= a - 1e-9) & (times < b - 1e-9))[0]
            sol = solve_ivp(
                f,
                (a, b),
                z,
                method="DOP853",
                rtol=1e-10,
                atol=1e-12,
                t_eval=np.append(times[sel], b),
            )
            for col, j in enumerate(sel):
                zz = sol.y[:, col]
                idx[r, j] = _balance(zz[n:][None, :], p, inputs(zz[:n]), rc)[0][0]
            z = sol.y[:, -1].copy()
        at_end = np.abs(times - c.t_end) < 1e-9
        if at_end.any():
            idx[r, at_end] = _balance(z[n:][None, :], p, inputs(z[:n]), rc)[0][0]
        finals[r] = z[n:]
    return idx, finals


def the_rule(days: float, interval_h: float = 24.0) -> DosingRule:
    return dosing_rule(
        "1 mg",
        f"{interval_h:g} h",
        taper_start=f"{min(180.0, days / 2):g} days",
        step_every="14 days",
        step_fraction=0.1,
        min_dose="0.05 mg",
    )


_BASELINE_CODE = """
import json, sys, time
from allostasis.engine import dosing_rule, simulate_cohort
drug, days, n, repeat = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
threads = [int(t) for t in sys.argv[5].split(",")]
rule = dosing_rule("1 mg", "24 h", taper_start=f"{min(180.0, days / 2):g} days",
                   step_every="14 days", step_fraction=0.1, min_dose="0.05 mg")
kw = dict(end=f"{days:g} days", variability=%r, step="0.333333 h")
simulate_cohort(drug, rule, n_subjects=64, **kw)
out = {}
for th in threads:
    best = 1e300
    for _ in range(repeat):
        t0 = time.perf_counter()
        simulate_cohort(drug, rule, n_subjects=n, threads=th, **kw)
        best = min(best, time.perf_counter() - t0)
    out[th] = n * days / best
print(json.dumps(out))
"""


def baseline_throughput(
    rev: str, drug: str, days: float, subjects: int, repeat: int, threads: list[int]
) -> dict[int, float]:
    """Patient-days/s of the engine at git revision ``rev`` (its fixed-step RK4 API), per thread count."""
    repo = Path(__file__).resolve().parents[1]
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(
            ["git", "archive", rev, "src"], cwd=repo, capture_output=True, check=True
        ).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        env = {**os.environ, "PYTHONPATH": str(Path(tmp) / "src")}
        code = _BASELINE_CODE % (VARIABILITY,)
        args = [drug, str(days), str(subjects), str(repeat), ",".join(map(str, threads))]
        out = subprocess.run(
            [sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, check=True
        )
    return {int(k): float(v) for k, v in json.loads(out.stdout.strip().splitlines()[-1]).items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--subjects", type=int, default=10_000)
    ap.add_argument("--days", type=float, default=365.0)
    ap.add_argument("--tolerance", type=float, default=1e-6, help="engine error tolerance")
    ap.add_argument("--check", type=int, default=3, help="subjects checked against scipy")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--drug", default="alprazolam")
    ap.add_argument(
        "--interval",
        type=float,
        default=24.0,
        help="dosing interval, h (1 mg each dose; 8 = the trial cohort's 3 mg/day)",
    )
    ap.add_argument("--baseline-rev", default=None, help="git revision of an older engine to time")
    ap.add_argument("--baseline-subjects", type=int, default=2000)
    a = ap.parse_args()
    rule = the_rule(a.days, a.interval)
    kw: dict[str, Any] = {
        "end": f"{a.days:g} days",
        "variability": VARIABILITY,
        "tolerance": a.tolerance,
    }
    t0 = time.perf_counter()
    simulate_cohort(a.drug, rule, n_subjects=64, **kw)
    compile_s = time.perf_counter() - t0
    result: dict[str, Any] = {
        "drug": a.drug,
        "subjects": a.subjects,
        "days": a.days,
        "tolerance": a.tolerance,
        "interval_h": a.interval,
        "rule": rule.describe(),
        "first_call_s (compile or cache load)": round(compile_s, 2),
    }
    res = None
    for th in a.threads:
        best = np.inf
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            res = simulate_cohort(a.drug, rule, n_subjects=a.subjects, threads=th, **kw)
            best = min(best, time.perf_counter() - t0)
        result[f"threads={th}: best wall s"] = round(best, 3)
        result[f"threads={th}: patient-days/s"] = round(a.subjects * a.days / best)
    if a.baseline_rev:
        base = baseline_throughput(
            a.baseline_rev, a.drug, a.days, a.baseline_subjects, a.repeat, a.threads
        )
        for th in a.threads:
            new = result[f"threads={th}: patient-days/s"]
            result[f"baseline {a.baseline_rev} threads={th}: patient-days/s"] = round(base[th])
            result[f"threads={th}: speed-up over baseline"] = round(new / base[th], 1)
    # accuracy against scipy for a few subjects (same cohort, with the output grid)
    n_chk = min(a.check, a.subjects)
    rng = np.random.default_rng(1)
    subj = np.sort(rng.choice(min(a.subjects, 1000), size=n_chk, replace=False))
    res = simulate_cohort(
        a.drug, rule, n_subjects=min(a.subjects, 1000), output_every="6 h", threads=1, **kw
    )
    c = _prepare(
        a.drug,
        rule,
        n_subjects=min(a.subjects, 1000),
        seed=0,
        params=None,
        output_every="6 h",
        window_start="0 h",
        route="oral",
        source="ashton-2002",
        max_segment="24 h",
        **kw,
    )
    t0 = time.perf_counter()
    ref_idx, ref_final = reference(c, res.doses_mg, subj, res.grid_times_h)
    result["reference_s"] = round(time.perf_counter() - t0, 1)
    eng = res.index_grid[subj]
    scale = np.abs(ref_idx).max(axis=1)
    rel_idx = (np.abs(eng - ref_idx).max(axis=1) / scale).max()
    rel_final = (np.abs(res.final_state[subj] - ref_final) / np.abs(ref_final).clip(1e-300)).max()
    result["max |dX| / max|X| (index, 6-hourly)"] = float(f"{rel_idx:.3g}")
    result["max rel error final state"] = float(f"{rel_final:.3g}")
    result["peak index (checked subjects)"] = [float(f"{v:.4g}") for v in ref_idx.max(axis=1)]
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
