"""``allostasis breathe``: ventilation after CNS depressants, with naloxone, tolerance and age."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table

from allostasis.engine import simulate_breathing
from allostasis.errors import InvalidValueError
from allostasis.interfaces.cli._app import JsonOpt, app, emit_json, out

_MED = re.compile(
    r"^\s*(?P<drug>[A-Za-z][A-Za-z0-9 \-]*?)\s+(?P<amount>\d+(?:\.\d+)?)\s*(?P<unit>mg|mcg|ug|g)"
    r"\s+(?P<route>[A-Za-z]+)\s*$",
    re.IGNORECASE,
)


def parse_med(text: str) -> tuple[str, str, str]:
    """``"oxycodone 20 mg PO"`` -> ``("oxycodone", "20 mg", "PO")``; refuses anything else."""
    m = _MED.match(text)
    if not m:
        raise InvalidValueError(
            f"--med: expected '<drug> <dose> <unit> <route>', e.g. 'oxycodone 20 mg PO' "
            f"(one dose, one unit, one route); got {text!r}"
        )
    unit = {"ug": "mcg"}.get(m.group("unit").lower(), m.group("unit").lower())
    return m.group("drug").strip(), f"{m.group('amount')} {unit}", m.group("route")


@app.command("breathe")
def breathe(
    med: Annotated[
        list[str], typer.Option("--med", help='A dose, e.g. "oxycodone 20 mg PO"; repeatable.')
    ],
    age: Annotated[float | None, typer.Option(help="Age in years (18-110).")] = None,
    tolerance: Annotated[
        str, typer.Option(help="naive, chronic or lost:<time>, e.g. lost:14d.")
    ] = "naive",
    naloxone: Annotated[str | None, typer.Option(help='e.g. "4 mg IN at 30 min".')] = None,
    alcohol: Annotated[str | None, typer.Option(help='Blood alcohol, e.g. "0.8 g/L".')] = None,
    duration: Annotated[str, typer.Option(help="Simulated time.")] = "8 h",
    as_json: JsonOpt = False,
    plot: Annotated[Path | None, typer.Option(help="Write a PNG plot.")] = None,
) -> None:
    """Ventilation time course, nadir, apnoea and each drug's share of the depression."""
    meds = [parse_med(m) for m in med]
    r = simulate_breathing(
        meds,
        age_years=age,
        tolerance=tolerance,
        naloxone=naloxone,
        duration=duration,
        alcohol=alcohol,
    )
    if plot is not None:
        from allostasis.interfaces.plots import plot_lines

        tc = r.time_course
        long = pd.concat(
            [
                pd.DataFrame({"time_h": tc["time_h"], "value": tc[c], "measure": label})
                for c, label in (
                    ("minute_ventilation_rel", "minute ventilation (x rest)"),
                    ("spo2", "SpO2"),
                    ("mor_activation", "MOR activation"),
                )
            ]
        )
        plot_lines(
            long,
            plot,
            x="time_h",
            y="value",
            group="measure",
            title=f"{'; '.join(r.medications)}: nadir {r.nadir_ventilation:.2f}"
            + (" (apnoea)" if r.apnoea else ""),
            xlabel="hours after the dose",
            ylabel="fraction",
        )
    if as_json:
        emit_json(r.to_dict())
        return
    out.print(escape("; ".join(r.medications)) + f"  (tolerance {escape(r.tolerance)})")
    if r.naloxone:
        out.print(escape(f"naloxone: {r.naloxone}"))
    table = Table(title="breathing (model output; education and decision support)")
    for col in ("nadir ventilation", "apnoea", "min SpO2", "peak PaCO2"):
        table.add_column(col)
    table.add_row(
        f"{r.nadir_ventilation:.2f} x rest",
        f"{'YES' if r.apnoea else 'no'} (longest {r.longest_apnoea_s:.0f} s)",
        f"{100 * r.min_spo2:.0f}%",
        f"{r.peak_co2_mmhg:.1f} mmHg",
    )
    out.print(table)
    out.print(
        "share of depression: "
        + ", ".join(f"{escape(k)} {v:.2f}" for k, v in r.attribution.items())
    )
