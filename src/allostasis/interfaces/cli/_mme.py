"""``allostasis mme``: morphine milligram equivalents of a medication list, by a named factor set."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from allostasis.clinical import DEFAULT_MME_FACTOR_SET, calculate_mme
from allostasis.interfaces.cli._app import JsonOpt, app, emit_json, out


@app.command("mme")
def mme(
    med: Annotated[
        list[str],
        typer.Option(
            help='An opioid order; repeat for several: --med "oxycodone 5 mg 1 tab PO q6h PRN pain".'
        ),
    ],
    factor_set: Annotated[
        str, typer.Option(help="cdc-2022 (clinical default), cdc-2016, cdc-2018-analytic.")
    ] = DEFAULT_MME_FACTOR_SET,
    as_json: JsonOpt = False,
) -> None:
    """Total MME/day (PRN orders at their maximum), per order with factor and source."""
    res = calculate_mme(med, factor_set=factor_set)
    if as_json:
        emit_json(res.model_dump(mode="json"))
        return
    table = Table(title=f"MME by {res.factor_set} ({res.factor_set_kind})")
    for col in ("order", "daily dose", "factor", "MME/day"):
        table.add_column(col)
    for o in res.orders:
        dose = f"{o.daily_dose:g} {o.daily_dose_unit}" if o.daily_dose is not None else "-"
        factor = f"{o.factor:g} [{o.factor_source}]" if o.factor is not None else "-"
        mme_cell = f"{o.mme_per_day:g}" if o.counted else f"not counted: {o.excluded_reason}"
        table.add_row(escape(o.order), dose, escape(factor), escape(mme_cell))
    out.print(table)
    flag = " - at or above the reassessment point" if res.at_or_above_reassessment else ""
    out.print(f"[bold]total {res.total_mme_per_day:g} MME/day[/bold]{flag}")
    for w in res.warnings:
        out.print(f"[yellow]warning:[/yellow] {escape(w)}")
    for n in dict.fromkeys(res.notes):
        out.print(f"[dim]{escape(n)}[/dim]")
