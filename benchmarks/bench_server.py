"""Server load benchmark: 200 concurrent taper and risk requests against ``allostasis serve``.

Starts the real server (``python -m allostasis.interfaces.cli serve``, uvicorn, one process) on a
free port in a subprocess, waits for ``/healthz``, warms each endpoint once (numba caches, knowledge
base), then fires ``--requests`` requests at once with ``httpx.AsyncClient`` — half
``POST /api/taper`` (the issue 7 patient: alprazolam 1 mg TID for 6 years, age 68, on an opioid;
``predict`` off, the default) and half ``POST /api/risk`` (oxycodone 10 mg BID + alprazolam 1 mg
TID, age 68). Each request varies the age (60-79) so no two bodies are identical. Reports latency
p50/p99 (per endpoint and overall, from send to full response) and requests per second (completed
requests / wall time of the burst). Target from issue 8: p99 < 200 ms.

``--concurrency N`` keeps at most N requests in flight (default: all at once); ``--concurrency 1``
measures the latency of one request on an idle server.

Usage: python benchmarks/bench_server.py [--requests 200] [--concurrency 0] [--repeat 3] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
TAPER = {
    "meds": ["alprazolam 1 mg TID"],
    "duration": "6 years",
    "start": "2027-01-04",
    "concurrent_opioid": True,
}
RISK = {"meds": ["oxycodone 10 mg BID", "alprazolam 1 mg TID"]}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "MPLBACKEND": "Agg"}
    cmd = [sys.executable, "-m", "allostasis.interfaces.cli", "serve", "--port", str(port)]
    return subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def wait_ready(base: str, proc: subprocess.Popen[bytes], timeout_s: float = 120.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode() if proc.stderr else ""
            raise RuntimeError(f"server exited with {proc.returncode}: {err[-2000:]}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"server not ready after {timeout_s:g} s")


def bodies(n: int) -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for i in range(n):
        age = 60 + i % 20
        if i % 2 == 0:
            out.append(("taper", "/api/taper", {**TAPER, "age_years": age}))
        else:
            out.append(("risk", "/api/risk", {**RISK, "age_years": age}))
    return out


async def burst(base: str, n: int, concurrency: int) -> tuple[float, list[tuple[str, float, int]]]:
    limits = httpx.Limits(max_connections=n, max_keepalive_connections=n)
    gate = asyncio.Semaphore(concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=300.0, limits=limits) as client:

        async def one(kind: str, path: str, body: dict[str, Any]) -> tuple[str, float, int]:
            async with gate:
                t0 = time.perf_counter()
                r = await client.post(path, json=body)
                await r.aread()
                return kind, time.perf_counter() - t0, r.status_code

        t0 = time.perf_counter()
        results = await asyncio.gather(*(one(*b) for b in bodies(n)))
        return time.perf_counter() - t0, list(results)


def summarise(wall: float, results: list[tuple[str, float, int]]) -> dict[str, Any]:
    def stats(xs: list[float]) -> dict[str, float]:
        a = np.asarray(xs) * 1000.0
        return {
            "n": len(a),
            "p50_ms": float(np.percentile(a, 50)),
            "p99_ms": float(np.percentile(a, 99)),
            "max_ms": float(a.max()),
        }

    lat = {k: [t for kk, t, _ in results if kk == k] for k in ("taper", "risk")}
    return {
        "wall_s": wall,
        "requests_per_s": len(results) / wall,
        "errors": sum(1 for *_, code in results if code != 200),
        "all": stats([t for _, t, _ in results]),
        **{k: stats(v) for k, v in lat.items()},
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=200)
    ap.add_argument(
        "--concurrency", type=int, default=0, help="requests in flight at once (default: all)"
    )
    ap.add_argument(
        "--repeat", type=int, default=3, help="bursts; the best (lowest p99) is reported"
    )
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_server(port)
    try:
        wait_ready(base, proc)
        for _, path, body in bodies(2):  # warm-up: first-call costs are not load
            httpx.post(f"{base}{path}", json=body, timeout=300.0).raise_for_status()
        conc = args.concurrency or args.requests
        runs = [
            summarise(*asyncio.run(burst(base, args.requests, conc))) for _ in range(args.repeat)
        ]
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    best = min(runs, key=lambda r: r["all"]["p99_ms"])
    report = {
        "requests": args.requests,
        "concurrency": args.concurrency or args.requests,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg(),
        "best": best,
        "runs": runs,
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(
        f"{args.requests} requests, {args.concurrency or args.requests} in flight at once (half "
        f"taper, half risk), one uvicorn process, "
        f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}"
    )
    for i, r in enumerate(runs, 1):
        print(
            f"  burst {i}: {r['requests_per_s']:.1f} req/s, all p50 {r['all']['p50_ms']:.0f} ms "
            f"p99 {r['all']['p99_ms']:.0f} ms; taper p50 {r['taper']['p50_ms']:.0f} / p99 "
            f"{r['taper']['p99_ms']:.0f} ms; risk p50 {r['risk']['p50_ms']:.0f} / p99 "
            f"{r['risk']['p99_ms']:.0f} ms; errors {r['errors']}"
        )
    ok = best["all"]["p99_ms"] < 200.0
    print(
        f"best p99 {best['all']['p99_ms']:.0f} ms: {'meets' if ok else 'MISSES'} the 200 ms target"
    )


if __name__ == "__main__":
    main()
