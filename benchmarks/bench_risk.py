"""Latency of ``assess_risk`` (the work behind ``/api/risk`` and the CDS Hooks services).

Times four representative medication lists, warm (after one untimed call), best of ``--repeat``
calls each:

- opioid + benzodiazepine: ``oxycodone 10 mg BID`` + ``alprazolam 1 mg TID for 6 years``, age 70;
- opioid only: ``oxycodone 10 mg BID``;
- benzodiazepine + gabapentinoid: ``lorazepam 1 mg TID`` + ``gabapentin 300 mg TID``;
- fentanyl patch + rescue naloxone: ``fentanyl 25 mcg/h patch q72h`` + ``naloxone 4 mg nasal spray``.
  (A patch order is in mcg/h, so ``predicted_ventilation`` does not run the breathing model for
  it: this call measures the rest of the assessment.)

``--snapshot FILE`` instead writes the full JSON of ``assess_risk`` for many lists and of
``simulate_breathing`` / ``breathing_population`` for many regimens (every route the model reads,
naloxone, alcohol, clamp), floats written with ``repr`` precision, so two versions of the code
can be compared byte for byte (``cmp a.json b.json``).

Usage: python benchmarks/bench_risk.py [--repeat 10] [--json] [--snapshot FILE]
"""

from __future__ import annotations

import argparse
import json
import time
from typing import Any

import numpy as np

from allostasis.clinical import assess_risk
from allostasis.engine import breathing_population, simulate_breathing

CALLS: dict[str, tuple[list[str], dict[str, Any]]] = {
    "opioid+benzodiazepine": (
        ["oxycodone 10 mg BID", "alprazolam 1 mg TID for 6 years"],
        {"age_years": 70},
    ),
    "opioid only": (["oxycodone 10 mg BID"], {}),
    "benzodiazepine+gabapentin": (["lorazepam 1 mg TID", "gabapentin 300 mg TID"], {}),
    "fentanyl patch+naloxone": (["fentanyl 25 mcg/h patch q72h", "naloxone 4 mg nasal spray"], {}),
}

RISK_CASES: list[tuple[list[str], dict[str, Any]]] = [
    *CALLS.values(),
    (["oxycodone 10 mg BID", "alprazolam 1 mg TID"], {"age_years": 68}),
    (["morphine 30 mg q12h", "diazepam 5 mg BID", "pregabalin 75 mg BID"], {"age_years": 81}),
    (["hydromorphone 4 mg q4h prn", "clonazepam 0.5 mg BID"], {"sleep_apnoea": True}),
    (
        ["methadone 20 mg daily", "zolpidem 10 mg qhs"],
        {"abstinent_days": 14, "abstinent_reason": "prison"},
    ),
    (["tramadol 50 mg QID", "sertraline 50 mg daily"], {"alcohol": "2 drinks/day"}),
    (["buprenorphine 8 mg SL daily", "lorazepam 2 mg BID"], {}),
    (["tapentadol 50 mg BID", "temazepam 15 mg qhs", "gabapentin 600 mg TID"], {"age_years": 72}),
    (["hydrocodone 10 mg q6h", "oxycodone 5 mg q6h prn"], {"prior_overdose": True}),
    (["alprazolam 0.5 mg TID"], {"age_years": 66}),
    (["codeine 30 mg q4h", "midazolam 7.5 mg qhs"], {"renal_impairment": True}),
    (["oxymorphone 10 mg BID", "eszopiclone 3 mg qhs", "pregabalin 150 mg BID"], {}),
    (["fentanyl 50 mcg/h patch q72h", "alprazolam 1 mg TID"], {"age_years": 90}),
    (["escitalopram 10 mg daily"], {}),
    (["chlordiazepoxide 25 mg TID", "oxazepam 15 mg TID"], {"hepatic_impairment": True}),
]

BREATHING_CASES: list[tuple[list[tuple[str, ...]], dict[str, Any]]] = [
    ([("oxycodone", "20 mg", "PO"), ("lorazepam", "2 mg", "PO")], {}),
    ([("fentanyl", "0.14 mg", "IV")], {"naloxone": "2 mg IN at 20 min"}),
    ([("fentanyl", "0.1 mg", "IV"), ("fentanyl", "0.05 mg", "IV", "30 min")], {}),
    ([("fentanyl", "0.1 mg", "IV"), ("fentanyl", "0.2 mg", "IN")], {"age_years": 75}),
    ([("morphine", "10 mg", "IV"), ("midazolam", "2 mg", "IV")], {"tolerance": "chronic"}),
    ([("buprenorphine", "0.4 mg", "IV"), ("buprenorphine", "0.4 mg", "IV", "2 h")], {}),
    ([("oxycodone", "10 mg", "PO"), ("oxycodone", "10 mg", "PO", "4 h")], {"duration": "12 h"}),
    ([("diazepam", "10 mg", "PO"), ("pregabalin", "150 mg", "PO")], {"alcohol": "0.8 g/L"}),
    (
        [
            ("alprazolam", "2 mg", "PO"),
            ("gabapentin", "600 mg", "PO"),
            ("sertraline", "50 mg", "PO"),
        ],
        {},
    ),
    ([("fentanyl", "0.075 mg", "IV")], {"paco2_clamp": "50 mmHg", "duration": "1 h"}),
    ([("hydromorphone", "2 mg", "IV"), ("clonazepam", "1 mg", "PO")], {"tolerance": "lost:14d"}),
    ([("methadone", "30 mg", "PO"), ("zolpidem", "10 mg", "PO")], {"duration": "24 h"}),
    ([("naloxone", "0.4 mg", "IV"), ("fentanyl", "0.2 mg", "IV", "10 min")], {}),
]


def _plain(x: Any) -> Any:
    """JSON-ready data with floats as ``repr`` strings (full precision, byte-comparable)."""
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_plain(v) for v in x]
    if isinstance(x, np.ndarray):
        return [_plain(v) for v in x.tolist()]
    if isinstance(x, (float, np.floating)):
        return repr(float(x))
    if isinstance(x, np.integer):
        return int(x)
    if isinstance(x, np.bool_):
        return bool(x)
    return x


def snapshot() -> dict[str, Any]:
    """Every number and string of many assessments and breathing simulations."""
    out: dict[str, Any] = {"risk": [], "breathing": [], "population": []}
    for meds, kw in RISK_CASES:
        try:
            out["risk"].append(_plain(assess_risk(meds, **kw).model_dump(mode="python")))
        except Exception as exc:  # errors are part of the behaviour being pinned
            out["risk"].append(f"{type(exc).__name__}: {exc}")
    for meds, kw in BREATHING_CASES:
        r = simulate_breathing(meds, **kw)
        d = r.model_dump(exclude={"time_course"})
        d["time_course"] = {c: r.time_course[c].to_numpy() for c in r.time_course}
        out["breathing"].append(_plain(d))
    for meds, kw in BREATHING_CASES[:4]:
        df = breathing_population(meds, n_subjects=7, duration="2 h", **kw)
        out["population"].append(_plain({c: df[c].to_numpy() for c in df}))
    return out


def time_calls(repeat: int) -> dict[str, float]:
    """Best-of-``repeat`` warm latency (ms) of each representative call."""
    best: dict[str, float] = {}
    for name, (meds, kw) in CALLS.items():
        assess_risk(meds, **kw)  # warm: knowledge base, numba, caches
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            assess_risk(meds, **kw)
            times.append(time.perf_counter() - t0)
        best[name] = 1e3 * min(times)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--snapshot", metavar="FILE")
    a = ap.parse_args()
    if a.snapshot:
        with open(a.snapshot, "w") as f:
            json.dump(snapshot(), f, indent=1, sort_keys=True)
        return
    best = time_calls(a.repeat)
    if a.json:
        print(json.dumps({k: round(v, 2) for k, v in best.items()}))
    else:
        for k, v in best.items():
            print(f"{k:28s} {v:8.1f} ms (best of {a.repeat})")


if __name__ == "__main__":
    main()
