"""The ``allostasis`` command line: thin verbs over library functions.

Every verb takes ``--json`` (a stable schema, documented in docs/cli.md). Bad input prints one line
``error: ...`` on stderr and exits with status 2; no traceback reaches the user.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from allostasis import __version__
from allostasis.clinical import compare_equivalent_regimens
from allostasis.errors import AllostasisError, InvalidValueError
from allostasis.exposure import pk_model, time_grid
from allostasis.knowledge import Drug, Measured, load_knowledge_base
from allostasis.regimen import DosingRecords, every
from allostasis.units import magnitude

app = typer.Typer(
    name="allostasis",
    help="Executable pharmacology of anxiety drugs (education and decision support; not a prescription).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
drugs_app = typer.Typer(help="The drug knowledge base.", no_args_is_help=True)
app.add_typer(drugs_app, name="drugs")

out = Console(width=140, highlight=False)
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print machine-readable JSON (see docs/cli.md).")
]


def _emit_json(payload: Any) -> None:
    sys.stdout.write(json.dumps(payload, indent=2, default=_json_default) + "\n")


def _json_default(o: Any) -> Any:
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def _finite(x: float) -> float | None:
    return None if not math.isfinite(x) else x


# --------------------------------------------------------------------------- drugs
@drugs_app.command("list")
def drugs_list(
    drug_class: Annotated[
        str | None, typer.Option("--class", help="Only this class, e.g. benzodiazepine.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """List the drugs in the knowledge base."""
    kb = load_knowledge_base()
    drugs = [d for d in kb.drugs.values() if drug_class is None or d.drug_class == drug_class]
    if drug_class is not None and not drugs:
        classes = sorted({d.drug_class for d in kb.drugs.values()})
        raise InvalidValueError(
            f"--class: no drugs of class {drug_class!r}; classes: {', '.join(classes)}"
        )
    if as_json:
        _emit_json(
            [
                {
                    "name": d.name,
                    "class": d.drug_class,
                    "routes": d.routes,
                    "metabolites": [m.name for m in d.metabolites],
                    "targets": [t.target for t in d.targets],
                }
                for d in drugs
            ]
        )
        return
    table = Table(title=f"allostasis knowledge base ({len(drugs)} drugs)")
    for col in ("drug", "class", "routes", "active metabolites", "targets"):
        table.add_column(col)
    for d in sorted(drugs, key=lambda d: (d.drug_class, d.name)):
        table.add_row(
            d.name,
            d.drug_class,
            ", ".join(d.routes),
            ", ".join(m.name for m in d.metabolites if m.active),
            ", ".join(t.target for t in d.targets),
        )
    out.print(table)


def _fmt(m: Measured | None) -> str:
    if m is None:
        return "-"
    rng = f" ({m.low:g}-{m.high:g})" if m.low is not None and m.high is not None else ""
    val = f"{m.value:g}" if m.value is not None else f"{m.typical:.3g}*"
    return escape(f"{val}{rng} {m.unit} [{m.source}]")


@drugs_app.command("show")
def drugs_show(
    name: Annotated[str, typer.Argument(help="Drug name or synonym.")],
    as_json: JsonOpt = False,
) -> None:
    """Show one drug: PK, metabolites, formulations, dosing, and the source of every value."""
    kb = load_knowledge_base()
    d: Drug = kb[name]
    if as_json:
        payload = d.model_dump(mode="json", exclude_none=True)
        used = sorted(set(_source_ids(payload)))
        payload["sources"] = {
            sid: kb.source(sid).model_dump(mode="json", exclude_none=True) for sid in used
        }
        _emit_json(payload)
        return
    out.print(f"[bold]{d.name}[/bold] ({d.drug_class}; {', '.join(d.synonyms) or 'no synonyms'})")
    out.print(
        "targets: "
        + "; ".join(
            f"{t.target} {t.action}" + (f" Ki {_fmt(t.ki)}" if t.ki else "") for t in d.targets
        )
    )
    pk = d.pk
    table = Table(title="pharmacokinetics (systemic)")
    table.add_column("parameter")
    table.add_column("value [source]")
    for label, m in (
        ("half-life", pk.half_life),
        ("clearance", pk.clearance),
        ("volume", pk.volume),
        ("volume per kg", pk.volume_per_kg),
        ("protein binding", pk.protein_binding),
    ):
        if m is not None:
            table.add_row(label, _fmt(m))
    for route, r in pk.routes.items():
        table.add_row(f"{route}: bioavailability", _fmt(r.bioavailability))
        if r.absorption_rate:
            table.add_row(f"{route}: ka", _fmt(r.absorption_rate))
        if r.tmax:
            table.add_row(f"{route}: tmax", _fmt(r.tmax))
    for met in d.metabolites:
        table.add_row(f"metabolite {met.name}: fraction formed", _fmt(met.fraction_formed))
        table.add_row(f"metabolite {met.name}: half-life", _fmt(met.pk.half_life))
    out.print(table)
    for f in d.formulations:
        out.print(
            escape(
                f"formulation: {f.form} ({f.route}) {', '.join(f'{s:g}' for s in f.strengths)} {f.unit}"
                f"{' scored' if f.scored else ''} [{f.source}]"
            )
        )
    for p in d.populations:
        out.print(f"{p.population}: {p.parameter} x {_fmt(p.factor)} - {escape(p.text)}")
    used = sorted(set(_source_ids(d.model_dump(mode="json"))))
    out.print("[bold]sources[/bold]")
    for sid in used:
        out.print(escape(f"  [{sid}] {kb.source(sid).citation()}"))


def _source_ids(node: Any) -> list[str]:
    found: list[str] = []
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "source" and isinstance(v, str):
                found.append(v)
            else:
                found += _source_ids(v)
    elif isinstance(node, list):
        for v in node:
            found += _source_ids(v)
    return found


# --------------------------------------------------------------------------- pk
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
        amt = magnitude(dose, field="--dose", unit="mg", strictly_positive=True)
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
        regimen = every(dose, every_, duration=f"{days} day")
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
        _emit_json(
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


# --------------------------------------------------------------------------- demo
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
        _emit_json(
            {
                "regimens": cmp.regimens,
                "conversion": cmp.conversion.model_dump(),
                "summary": [
                    {k: (_finite(v) if isinstance(v, float) else v) for k, v in r.items()}
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


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.")] = False,
) -> None:
    if version:
        typer.echo(f"allostasis {__version__}")
        raise typer.Exit()


def main() -> None:
    """Entry point: run the app; turn project errors into one line on stderr and exit status 2.

    Usage errors (unknown option, missing value) are reported by typer itself, also with status 2.
    """
    try:
        app()
    except AllostasisError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)


if __name__ == "__main__":
    main()
