"""``allostasis withdraw``: tolerance, dependence and withdrawal after chronic benzodiazepine use."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import numpy as np
import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table

from allostasis.engine import withdrawal_scenario
from allostasis.errors import InvalidValueError
from allostasis.interfaces.cli._app import JsonOpt, app, emit_json, out

_SHOWN = ("balance_index", "anxiety", "insomnia", "autonomic", "tremor", "sensory", "cognitive")


@app.command("withdraw")
def withdraw(
    drug: Annotated[str, typer.Option(help="Benzodiazepine or Z-drug.")],
    dose: Annotated[str, typer.Option(help='Daily dose, e.g. "4 mg/day".')],
    duration: Annotated[str, typer.Option(help='Length of use, e.g. "2 years".')],
    stop: Annotated[str, typer.Option(help="abrupt (default) or taper (give --taper).")] = "abrupt",
    taper: Annotated[
        str | None, typer.Option(help='Taper spec, e.g. "proportional 10% every 2 weeks".')
    ] = None,
    with_: Annotated[
        list[str] | None,
        typer.Option("--with", help='Extra dose, e.g. "flumazenil 2 mg IV at day 3"; repeatable.'),
    ] = None,
    follow_up: Annotated[str, typer.Option(help="Time simulated after the last dose.")] = "60 days",
    as_json: JsonOpt = False,
    plot: Annotated[Path | None, typer.Option(help="Write a PNG plot.")] = None,
) -> None:
    """Simulate chronic use, then an abrupt stop or a taper: time course and summary."""
    if stop not in ("abrupt", "taper"):
        raise InvalidValueError(f"--stop: must be 'abrupt' or 'taper'; got {stop!r}")
    if stop == "taper" and taper is None:
        raise InvalidValueError(
            "--taper: give a spec with --stop taper, e.g. 'proportional 10% every 2 weeks'"
        )
    if stop == "abrupt" and taper is not None:
        stop = "taper"
    run = withdrawal_scenario(
        drug,
        dose,
        duration,
        taper=taper if stop == "taper" else None,
        events=with_ or (),
        follow_up=follow_up,
    )
    s = run.summary
    df = run.result.to_dataframe(list(_SHOWN))
    window = df[df["time"] >= run.stop_time_h - 7 * 24].copy()
    window["day"] = (window["time"] - run.stop_time_h) / 24.0
    if plot is not None:
        from allostasis.interfaces.plots import plot_lines

        plot_lines(
            window.rename(columns={"variable": "measure"}),
            plot,
            x="day",
            y="value",
            group="measure",
            title=f"{' '.join(run.description[:2])}: peak day {s.peak_day:.1f}, index {s.peak_index:.3f}"
            + (" (seizure risk)" if s.seizure_risk else ""),
            xlabel="days from the end of chronic use",
            ylabel="balance index / symptom severity",
        )
    if as_json:
        daily = window[np.isclose(window["day"] % 1.0, 0.0, atol=1e-6)]
        emit_json(
            {
                "drug": run.drug,
                "scenario": run.description,
                "summary": s.model_dump(mode="json"),
                "timecourse_daily": {
                    "day": daily["day"].round(6).tolist(),
                    "variable": daily["variable"].tolist(),
                    "value": daily["value"].tolist(),
                },
                "basis": run.basis,
            }
        )
        return
    for line in run.description:
        out.print(escape(line))
    for label in s.labels:
        out.print(f"[yellow]{escape(label)}[/yellow]")
    table = Table(title="withdrawal summary (model output; education and decision support)")
    for col in ("peak day", "peak index", "seizure risk", "days to recovery", "peak heart rate"):
        table.add_column(col)
    table.add_row(
        f"{s.peak_day:.1f}",
        f"{s.peak_index:.3f}",
        f"{'YES' if s.seizure_risk else 'no'} (threshold {s.seizure_threshold:g})",
        "not within follow-up" if s.days_to_recovery is None else f"{s.days_to_recovery:.1f}",
        f"{s.peak_heart_rate_bpm:.0f} bpm",
    )
    out.print(table)
    sev = pd.Series(s.peak_severity).sort_values(ascending=False)
    out.print("peak severity by domain (0-1): " + ", ".join(f"{k} {v:.2f}" for k, v in sev.items()))
