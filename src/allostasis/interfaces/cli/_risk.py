"""``allostasis risk``: co-prescription overdose risk and a naloxone recommendation, with basis."""

from __future__ import annotations

from typing import Annotated, Literal, cast

import typer
from rich.markup import escape
from rich.table import Table

from allostasis.clinical import DEFAULT_MME_FACTOR_SET, assess_risk
from allostasis.interfaces.cli._app import JsonOpt, app, emit_json, out


@app.command("risk")
def risk(
    med: Annotated[
        list[str],
        typer.Option(
            help='An order; repeat for several: --med "oxycodone 10 mg BID" --med "alprazolam 1 mg TID".'
        ),
    ],
    age: Annotated[float | None, typer.Option(help="Age in years.")] = None,
    abstinent_days: Annotated[
        int | None, typer.Option(help="Days of a recent period without opioids (lost tolerance).")
    ] = None,
    abstinent_reason: Annotated[
        str | None, typer.Option(help="Why: prison (release), hospital (stay), taper, other.")
    ] = None,
    sleep_apnoea: Annotated[bool, typer.Option("--sleep-apnoea", help="Sleep apnoea.")] = False,
    prior_overdose: Annotated[
        bool, typer.Option("--prior-overdose", help="Prior overdose.")
    ] = False,
    sud: Annotated[bool, typer.Option("--sud", help="Substance use disorder.")] = False,
    renal: Annotated[bool, typer.Option("--renal", help="Renal impairment.")] = False,
    hepatic: Annotated[bool, typer.Option("--hepatic", help="Hepatic impairment.")] = False,
    alcohol: Annotated[
        str | None, typer.Option(help='Standard drinks, e.g. "2 drinks/day" or "10 drinks/week".')
    ] = None,
    has_naloxone: Annotated[
        bool, typer.Option("--has-naloxone", help="The patient already has rescue naloxone.")
    ] = False,
    factor_set: Annotated[
        str, typer.Option(help="MME factor set: cdc-2022 (default), cdc-2016, cdc-2018-analytic.")
    ] = DEFAULT_MME_FACTOR_SET,
    equivalence_source: Annotated[
        str, typer.Option(help="Benzodiazepine equivalence table: ashton-2002, va-dod-2021, ...")
    ] = "ashton-2002",
    as_json: JsonOpt = False,
) -> None:
    """MME, diazepam equivalents, sedative burden, interactions and naloxone, each with its basis."""
    res = assess_risk(
        med,
        age_years=age,
        sleep_apnoea=sleep_apnoea,
        prior_overdose=prior_overdose,
        substance_use_disorder=sud,
        renal_impairment=renal,
        hepatic_impairment=hepatic,
        abstinent_days=abstinent_days,
        abstinent_reason=cast(
            Literal["prison", "hospital", "taper", "other"] | None, abstinent_reason
        ),
        alcohol=alcohol,
        has_rescue_naloxone=has_naloxone,
        factor_set=factor_set,
        equivalence_source=equivalence_source,
    )
    if as_json:
        emit_json(res.to_dict())
        return
    table = Table(title="Medications as read")
    for col in ("order", "drug", "class", "max daily dose"):
        table.add_column(col)
    for m in res.medications:
        dose = f"{m.daily_dose:g} {m.daily_dose_unit}" if m.daily_dose is not None else "-"
        table.add_row(escape(m.text), m.drug, m.drug_class, dose)
    out.print(table)
    if res.mme is not None:
        out.print(f"[bold]total {res.total_mme_per_day:g} MME/day[/bold] ({res.factor_set})")
    de = res.diazepam_equivalents
    if de is not None:
        total = (
            f"{de.total_diazepam_mg_per_day:g} mg/day"
            if de.total_diazepam_mg_per_day is not None
            else "no total"
        )
        others = ", ".join(f"{k}: {v:g}" for k, v in de.total_by_source.items())
        out.print(
            f"[bold]diazepam equivalents {total}[/bold] by {de.source} (all tables: {others})"
        )
    b = res.sedative_burden
    classes = ", ".join(f"{c} x{n}" for c, n in b.classes.items()) or "none"
    out.print(f"sedative classes: {classes}; CNS-active drugs: {b.n_cns_active_drugs}")
    for f in res.interactions:
        out.print(
            f"[bold red]{escape(f.title)}[/bold red] ({', '.join(f.drugs)}): {escape(f.mechanism)}"
        )
        if f.primary_estimate is not None:
            out.print(f"  estimate: {escape(f.primary_estimate.describe())}")
        for w in f.warnings:
            out.print(f"  [yellow]{escape(w)}[/yellow]")
    n = res.naloxone
    out.print(f"[bold]naloxone: {n.level}[/bold]")
    for t in n.triggers:
        out.print(f"  rule {t.rule} ({escape(t.guideline)}): {escape(t.finding)}")
        for e in t.evidence:
            out.print(f"    {escape(e)}")
    for mod in n.modifiers:
        out.print(f"  modifier {escape(mod.factor)}: {escape(mod.finding)}")
    for a in n.actions:
        out.print(f"  action: {escape(a)}")
    for w in res.warnings:
        out.print(f"[yellow]warning:[/yellow] {escape(w)}")
    for note in res.notes:
        out.print(f"[dim]{escape(note)}[/dim]")
    out.print(f"[dim]{escape(res.disclaimer)}[/dim]")
    out.print("[dim]basis:[/dim]")
    for line in res.basis:
        out.print(f"[dim]  {escape(line)}[/dim]")
