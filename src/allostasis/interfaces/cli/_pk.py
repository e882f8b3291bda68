"""``allostasis pk``: plasma concentrations for a regimen."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from allostasis.errors import InvalidValueError
from allostasis.exposure import pk_model, time_grid
from allostasis.interfaces.cli._app import JsonOpt, app, emit_json, out
from allostasis.knowledge import load_knowledge_base
from allostasis.regimen import DosingRecords, every
from allostasis.units import dose_per_weight, magnitude

#: Doses above this multiple of the label maximum daily dose are refused as implausible.
ABSURD_MULTIPLE = 10.0


@app.command("pk")
def pk(
    drug: Annotated[str, typer.Option(help="Drug name or synonym.")],
    dose: Annotated[
        str | None, typer.Option(help='Dose per administration, e.g. "0.5 mg".')
    ] = None,
    every_: Annotated[
        str | None, typer.Option("--every", help='Dosing interval, e.g. "8h".')
    ] = None,
    days: Annotated[float, typer.Option(help="Days to simulate.")] = 14.0,
    route: Annotated[str, typer.Option(help="Route with data in the knowledge base.")] = "oral",
    records: Annotated[
        Path | None, typer.Option(help="NONMEM-style dosing CSV instead of --dose/--every.")
    ] = None,
    step: Annotated[str, typer.Option(help='Output step, e.g. "1 h".')] = "1 h",
    unit: Annotated[str, typer.Option(help="Concentration unit.")] = "ng/mL",
    weight: Annotated[str, typer.Option(help='Body weight, e.g. "70 kg".')] = "70 kg",
    allow_supratherapeutic: Annotated[
        bool, typer.Option(help=f"Allow daily doses above {ABSURD_MULTIPLE:g}x the label maximum.")
    ] = False,
    as_json: JsonOpt = False,
    csv: Annotated[Path | None, typer.Option("--csv", help="Write the time course as CSV.")] = None,
    plot: Annotated[Path | None, typer.Option(help="Write a PNG plot.")] = None,
) -> None:
    """Simulate plasma concentrations for a regimen of one drug."""
    kb = load_knowledge_base()
    d = kb[drug]
    model = pk_model(d, route, weight=weight)
    warnings: list[str] = []
    if records is not None:
        if dose or every_:
            raise InvalidValueError("--records: give either --records or --dose/--every, not both")
        regimen = DosingRecords.read_csv(records)
        times = None if not regimen.observations.empty else time_grid(f"{days} day", step)
        label = f"{d.name} ({records.name})"
    else:
        if dose is None or every_ is None:
            raise InvalidValueError(
                "--dose and --every: both are required (or give --records FILE.csv)"
            )
        if not days > 0 or days > 3650:
            raise InvalidValueError(f"--days: must be > 0 and <= 3650; got {days:g}")
        # a weight-based dose ("0.1 mg/kg") becomes an absolute dose for --weight
        amt = magnitude(
            dose_per_weight(dose, weight, field="--dose"),
            field="--dose",
            unit="mg",
            strictly_positive=True,
        )
        tau = magnitude(every_, field="--every", unit="h", strictly_positive=True)
        daily = amt * 24.0 / tau
        if d.dosing:
            cap = d.dosing[0].max_daily_dose.to("mg")
            if daily > ABSURD_MULTIPLE * cap and not allow_supratherapeutic:
                raise InvalidValueError(
                    f"--dose: {daily:g} mg/day of {d.name} is more than {ABSURD_MULTIPLE:g}x the label maximum "
                    f"({cap:g} mg/day); check the dose, or pass --allow-supratherapeutic to simulate an overdose"
                )
            if daily > cap:
                warnings.append(
                    f"{daily:g} mg/day is above the label maximum of {cap:g} mg/day [{d.dosing[0].source}]"
                )
        regimen = every(f"{amt} mg", every_, duration=f"{days} day", cmt=model.dose_compartment)
        times = time_grid(f"{days} day", step)
        label = f"{d.name} {amt:g} mg every {tau:g} h ({route})"
    res = model.simulate(regimen, times)
    df = res.to_dataframe(unit=unit)
    summary = res.summary(unit=unit, last="24 h" if records is None else None)
    if csv is not None:
        df.to_csv(csv, index=False)
    if plot is not None:
        from allostasis.interfaces.plots import plot_concentrations

        plot_concentrations(df, plot, title=label)
    if as_json:
        emit_json(
            {
                "drug": d.name,
                "route": route,
                "regimen": label,
                "units": {"time": "h", "concentration": unit},
                "parameters": {k: v for k, v in model.typical().items()},
                "parameter_units": {k: p.unit for k, p in model.parameters.items()},
                "basis": list(model.basis),
                "warnings": warnings,
                "timecourse": {
                    "subject_id": df["subject_id"].tolist(),
                    "time": df["time"].tolist(),
                    "analyte": df["analyte"].tolist(),
                    "concentration": df["concentration"].tolist(),
                },
                "summary": summary.to_dict(orient="records"),
                "summary_window": "last 24 h" if records is None else "all output times",
            }
        )
        return
    for w in warnings:
        out.print(f"[yellow]warning:[/yellow] {escape(w)}")
    table = Table(title=f"{label}: {'last 24 h' if records is None else 'all times'}")
    for col in (
        "subject",
        "analyte",
        f"Cmax ({unit})",
        "tmax (h)",
        f"Cmin ({unit})",
        f"Cavg ({unit})",
    ):
        table.add_column(col)
    for _, r in summary.iterrows():
        table.add_row(
            str(r["subject_id"]),
            r["analyte"],
            f"{r['cmax']:.4g}",
            f"{r['tmax']:.4g}",
            f"{r['cmin']:.4g}",
            f"{r['cavg']:.4g}",
        )
    out.print(table)
    out.print("[dim]basis: " + escape("; ".join(model.basis)) + "[/dim]")
