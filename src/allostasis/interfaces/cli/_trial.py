"""``allostasis trial``: an in-silico taper trial of several strategies on a virtual cohort."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from allostasis.errors import InvalidValueError
from allostasis.interfaces.cli._app import JsonOpt, app, emit_json, out
from allostasis.population import (
    STRATEGIES,
    SUBGROUP_COVARIATES,
    estimate_memory,
    load_cohort,
    run_trial,
)
from allostasis.population._taper_pace import STEP_DAYS_RANGE, STEP_PERCENT_RANGE


def _fmt_share(row: pd.Series, key: str) -> str:
    v = row[f"{key}_share"]
    if isinstance(v, float) and math.isnan(v):
        return "n/a"
    return f"{100 * v:.1f}% ({100 * row[f'{key}_lo']:.1f}-{100 * row[f'{key}_hi']:.1f})"


def _fmt_days(v: float) -> str:
    return "not reached" if not math.isfinite(v) else f"{v:.0f}"


def _fmt_iqr(r: pd.Series) -> str:
    """Quartiles of time to completion in weeks, each with its 95% order-statistic CI."""
    parts = []
    for q in (25, 75):
        est, lo, hi = (r[f"completion_q{q}_{k}"] / 7 for k in ("days", "lo", "hi"))
        parts.append(f"{_fmt_days(est)} ({_fmt_days(lo)}-{_fmt_days(hi)})")
    return " to ".join(parts)


def _subgroup_table(res: Any, by: list[str]) -> Table:
    """Outcome shares (Wilson 95% CI) per strategy within the subgroups of the ``by`` covariates."""
    sg = res.subgroups
    t = Table(title="by subgroup: share (95% CI)")
    outs = ("severe", "moderate", "seizure_risk", "completed")
    t.add_column("strategy", no_wrap=True)
    for col in ("covariate", "subgroup", "n", *(o.replace("_", " ") for o in outs)):
        t.add_column(col)
    for cov in by:
        part = sg[sg["covariate"] == cov]
        for (strategy, level), g in part.groupby(["strategy", "subgroup"], sort=False):
            g = g.set_index("outcome")
            cells = [
                f"{100 * g.loc[o, 'share']:.1f}% ({100 * g.loc[o, 'lo']:.1f}-{100 * g.loc[o, 'hi']:.1f})"
                for o in outs
            ]
            t.add_row(
                escape(str(strategy)), cov, escape(str(level)), str(int(g["n"].iloc[0])), *cells
            )
    return t


@app.command("trial")
def trial(
    cohort: Annotated[Path, typer.Option(help="Cohort TOML file (see examples/cohort.toml).")],
    strategy: Annotated[
        list[str] | None,
        typer.Option(
            help=(
                f"Strategy spec NAME[:STEP%/DAYSd] (repeatable): NAME one of {', '.join(STRATEGIES)}; "
                f"optional pace, e.g. direct-proportional:25%/7d (steps of {STEP_PERCENT_RANGE[0]:g}-"
                f"{STEP_PERCENT_RANGE[1]:g}% every {STEP_DAYS_RANGE[0]:g}-{STEP_DAYS_RANGE[1]:g} "
                "days; default 10%/14d; above 25% per 2 weeks is flagged 'outside guideline'). "
                "The same strategy may come twice with different paces. Default: all four."
            )
        ),
    ] = None,
    n: Annotated[
        int | None, typer.Option(help="Number of virtual patients (default: the file's).")
    ] = None,
    chunk: Annotated[int, typer.Option(help="Subjects per chunk (a multiple of 64).")] = 4096,
    threads: Annotated[int | None, typer.Option(help="Engine threads (local runs).")] = None,
    scheduler: Annotated[
        str | None,
        typer.Option(help='Dask: "local" (LocalCluster, 2 workers) or a scheduler address.'),
    ] = None,
    trajectories: Annotated[
        Path | None, typer.Option(help="Stream daily index trajectories to this Parquet file.")
    ] = None,
    by: Annotated[
        list[str] | None,
        typer.Option(
            help=f"Print outcomes by subgroup of this covariate (repeatable): {', '.join(SUBGROUP_COVARIATES)}."
        ),
    ] = None,
    as_json: JsonOpt = False,
    plot: Annotated[Path | None, typer.Option(help="Write a PNG figure.")] = None,
    html: Annotated[Path | None, typer.Option(help="Write an interactive HTML figure.")] = None,
) -> None:
    """Run taper strategies on the same virtual cohort; outcome shares with 95% CIs."""
    spec = load_cohort(cohort)
    for cov in by or []:
        if cov not in SUBGROUP_COVARIATES:
            raise InvalidValueError(
                f"by: unknown covariate {cov!r}; allowed {list(SUBGROUP_COVARIATES)}"
            )
    names = strategy or list(STRATEGIES)
    size = spec.n if n is None else n
    mem = estimate_memory(
        spec,
        names,
        n=size,
        chunk_size=chunk,
        trajectories=trajectories is not None,
        workers=1 if scheduler is None else 2,
    )
    quiet = as_json
    if not quiet:
        out.print(
            f"{escape(spec.drug)} cohort {escape(spec.name)!r}: {size:,} subjects x {len(names)} "
            f"strategies, {spec.end_days:g} days each ({size * len(names) * spec.end_days / 1e6:,.1f} M "
            f"patient-days); {mem.describe()}"
        )
    progress_cb: Any = None
    bar = None
    if not quiet:
        bar = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.completed:,}/{task.total:,}"),
            TimeRemainingColumn(),
            console=out,
            transient=True,
        )
        tasks = {s: bar.add_task(s, total=size) for s in names}
        severe: dict[str, list[int]] = {s: [0, 0] for s in names}

        def progress_cb(s: str, done: int, total: int, part: pd.DataFrame) -> None:
            severe[s][0] += int(part["severe"].sum())
            severe[s][1] += len(part)
            share = severe[s][0] / severe[s][1]
            bar.update(
                tasks[s], completed=done, description=f"{s} (severe so far {100 * share:.1f}%)"
            )

        bar.start()
    try:
        res = run_trial(
            spec,
            names,
            n=size,
            chunk_size=chunk,
            threads=threads,
            scheduler=scheduler,
            trajectories=trajectories,
            progress=progress_cb,
        )
    finally:
        if bar is not None:
            bar.stop()
    title = f"{spec.drug} {spec.dose_mg:g} mg every {spec.interval_h:g} h for {spec.use_days:g} days: {size:,} virtual patients"
    if plot is not None:
        from allostasis.interfaces.trial_plots import trial_figure_png

        trial_figure_png(res.summary, res.outcomes, plot, title=title)
    if html is not None:
        from allostasis.interfaces.trial_plots import trial_figure_html

        trial_figure_html(res.summary, res.outcomes, html, title=title)
    if as_json:
        payload = res.to_json()
        payload["memory_estimate_bytes"] = mem.total_bytes
        emit_json(payload)
        return
    t = Table(title=escape(title))
    t.add_column("strategy", no_wrap=True)
    for col in (
        "moderate",
        "severe",
        "seizure risk",
        "median weeks (95% CI)",
        "IQR weeks (95% CIs)",
        "completed",
        "paused",
        "protracted 6 mo",
    ):
        t.add_column(col)
    for _, r in res.summary.iterrows():
        t.add_row(
            str(r["strategy"]),
            _fmt_share(r, "moderate"),
            _fmt_share(r, "severe"),
            _fmt_share(r, "seizure_risk"),
            f"{_fmt_days(r['completion_median_days'] / 7)} ({_fmt_days(r['completion_median_lo'] / 7)}-{_fmt_days(r['completion_median_hi'] / 7)})",
            _fmt_iqr(r),
            f"{100 * r['completed_share']:.1f}%",
            _fmt_share(r, "paused"),
            _fmt_share(r, "protracted") + f" n={int(r['protracted_observed']):,}",
        )
    out.print(t)
    if by:
        present = set(res.subgroups["covariate"])
        missing = [c for c in by if c not in present]
        if missing:
            out.print(f"  (no subgroups for {missing}: the covariate does not vary in this cohort)")
        out.print(_subgroup_table(res, [c for c in by if c in present]))
    for w in res.warnings:
        out.print(f"[yellow]warning:[/yellow] {escape(w)}")
    for line in res.basis:
        if line in res.warnings:
            continue  # printed above
        out.print(f"  - {escape(line)}")
