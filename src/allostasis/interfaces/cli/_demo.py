"""``allostasis demo``: the main job of ``make run`` (until the web app exists)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from allostasis.clinical import compare_equivalent_regimens
from allostasis.interfaces.cli._app import JsonOpt, app, emit_json, finite, out


@app.command("demo")
def demo(
    source: Annotated[str, typer.Option(help="Equivalence table.")] = "ashton-2002",
    plot: Annotated[Path | None, typer.Option(help="Write a PNG plot.")] = None,
    as_json: JsonOpt = False,
) -> None:
    """14 days of alprazolam 0.5 mg three times a day against its diazepam equivalent."""
    cmp = compare_equivalent_regimens(
        "alprazolam", "0.5 mg", "8 h", "diazepam", duration="14 days", source=source
    )
    if plot is not None:
        from allostasis.interfaces.plots import plot_comparison

        plot_comparison(
            cmp.timecourse("ng/mL"),
            plot,
            title="Alprazolam vs its diazepam equivalent (14 days, typical adult)",
            subtitles=cmp.regimens,
        )
    if as_json:
        emit_json(
            {
                "regimens": cmp.regimens,
                "conversion": cmp.conversion.model_dump(),
                "summary": [
                    {k: (finite(v) if isinstance(v, float) else v) for k, v in r.items()}
                    for r in cmp.summary
                ],
                "basis": cmp.basis,
                "plot": str(plot) if plot else None,
            }
        )
        return
    c = cmp.conversion
    out.print(
        f"[bold]{c.from_dose_mg:g} mg/day {c.from_drug} ~ {c.dose_mg:g} mg/day {c.to_drug}[/bold] ({c.source})"
    )
    for w in c.warnings:
        out.print(f"[yellow]warning:[/yellow] {escape(w)}")
    for name, text in cmp.regimens.items():
        out.print(f"  {name}: {text}")
    table = Table(title="Last 24 h of 14 days (typical adult)")
    for col in (
        "drug",
        "analyte",
        "mg/day",
        "Cmax ng/mL",
        "Cmin ng/mL",
        "Cavg ng/mL",
        "fluctuation (Cmax-Cmin)/Cavg",
        "day-7 / day-14 level",
    ):
        table.add_column(col)
    for r in cmp.summary:
        table.add_row(
            r["regimen"],
            r["analyte"],
            f"{r['daily_dose_mg']:g}",
            f"{r['cmax_ng_ml']:.1f}",
            f"{r['cmin_ng_ml']:.1f}",
            f"{r['cavg_ng_ml']:.1f}",
            f"{r['fluctuation']:.0%}",
            f"{r['day7_over_day14']:.0%}",
        )
    out.print(table)
    out.print("[bold]basis[/bold]")
    for line in cmp.basis:
        out.print("  " + escape(line))
    if plot is not None:
        out.print(f"plot written to {plot}")
    out.print("[dim]Education and decision support only; equivalences are approximate.[/dim]")
