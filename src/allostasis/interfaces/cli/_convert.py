"""``allostasis convert``: an equivalent dose of another benzodiazepine or Z-drug, by a named table."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape

from allostasis.clinical import convert_benzodiazepine
from allostasis.interfaces.cli._app import JsonOpt, app, emit_json, out
from allostasis.units import magnitude


@app.command("convert")
def convert(
    from_: Annotated[str, typer.Option("--from", help="Drug converted from, e.g. alprazolam.")],
    dose: Annotated[str, typer.Option(help='Dose, e.g. "2 mg/day" or "0.5 mg".')],
    to: Annotated[str, typer.Option(help="Drug converted to, e.g. diazepam.")],
    source: Annotated[
        str,
        typer.Option(
            help="Equivalence table: ashton-2002, va-dod-2021, nhs-scotland-2024, who-2009."
        ),
    ] = "ashton-2002",
    as_json: JsonOpt = False,
) -> None:
    """Equivalent dose by one named table, with what every other table says and a flag when they differ."""
    per_day = "/" in dose
    if per_day:  # a daily dose converts to a daily dose
        dose = f"{magnitude(dose, field='--dose', unit='mg/day', strictly_positive=True)} mg"
    r = convert_benzodiazepine(from_, dose, to, source=source)
    unit = "mg/day" if per_day else "mg"
    if as_json:
        emit_json({**r.model_dump(mode="json"), "unit": unit})
        return
    out.print(
        f"[bold]{r.from_dose_mg:g} {unit} {r.from_drug} ~ {r.dose_mg:.4g} {unit} {r.to_drug}[/bold] "
        f"({escape(r.source)})"
    )
    out.print("all tables: " + ", ".join(f"{k} {v:.4g} {unit}" for k, v in r.by_source.items()))
    for w in r.warnings:
        out.print(f"[yellow]warning:[/yellow] {escape(w)}")
    for b in r.basis:
        out.print(f"[dim]{escape(b)}[/dim]")
    out.print("[dim]equivalences are approximate; for switching under supervision[/dim]")
