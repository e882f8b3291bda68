"""``allostasis ssri``, ``snri`` and ``select``: monoamine circuits and anxiolytic dose selection."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from allostasis.clinical import select_anxiolytic, ssri_course, transporter_engagement
from allostasis.interfaces.cli._app import JsonOpt, app, emit_json, out


@app.command("ssri")
def ssri(
    drug: Annotated[str, typer.Option(help="SSRI, SNRI or buspirone.")],
    titrate: Annotated[str, typer.Option(help='Daily doses, e.g. "25 mg for 1 week, then 50 mg".')],
    weeks: Annotated[float, typer.Option(help="Weeks simulated from the first dose.")] = 8.0,
    as_json: JsonOpt = False,
    plot: Annotated[Path | None, typer.Option(help="Write a PNG plot.")] = None,
) -> None:
    """Raphe firing, postsynaptic 5-HT and expected benefit over a titration (delayed onset)."""
    c = ssri_course(drug, titrate, weeks)
    if plot is not None:
        from allostasis.interfaces.plots import plot_lines

        long = c.timecourse.melt(
            id_vars="day",
            value_vars=["sert_occupancy", "firing", "postsynaptic", "expected_benefit"],
            var_name="measure",
        )
        plot_lines(
            long,
            plot,
            x="day",
            y="value",
            group="measure",
            title=f"{c.drug}: {titrate} (early dip {c.early_dip:.2f})",
            xlabel="days from the first dose",
            ylabel="relative to baseline / fraction",
        )
    if as_json:
        emit_json(c.to_dict())
        return
    for label in c.labels:
        out.print(f"[yellow]{escape(label)}[/yellow]")
    table = Table(title=f"{c.drug}: {escape(titrate)} (model output; decision support)")
    for col in (
        "early dip",
        "nadir day",
        "firing back >= 90%",
        "benefit half-way",
        "5-HT signal (end)",
    ):
        table.add_column(col)
    table.add_row(
        f"{c.early_dip:.2f}",
        f"{c.nadir_day:.1f}",
        "not reached" if c.firing_recovery_day is None else f"day {c.firing_recovery_day:.1f}",
        "not reached" if c.benefit_half_day is None else f"day {c.benefit_half_day:.1f}",
        f"{c.postsynaptic_final:.2f} x baseline",
    )
    out.print(table)


@app.command("snri")
def snri(
    drug: Annotated[str, typer.Option(help="SNRI or SSRI.")],
    dose: Annotated[str, typer.Option(help='Daily dose, e.g. "75 mg/day".')],
    as_json: JsonOpt = False,
) -> None:
    """Steady-state SERT and NET occupancy of a daily dose and the locus coeruleus consequence."""
    e = transporter_engagement(drug, dose)
    if as_json:
        emit_json(e.to_dict())
        return
    table = Table(title=f"{e.drug} {e.daily_dose_mg:g} mg/day at steady state (model output)")
    for col in ("SERT", "SERT (PET scale)", "NET", "NET engaged", "postsynaptic NE", "activation"):
        table.add_column(col)
    table.add_row(
        f"{e.sert_mean:.2f}",
        f"{e.sert_pet:.2f}" + (" (>= 0.80)" if e.reaches_sert_threshold else ""),
        "-" if e.net_mean is None else f"{e.net_mean:.2f}",
        "yes" if e.net_engaged else "no",
        "-" if e.postsynaptic_noradrenaline is None else f"{e.postsynaptic_noradrenaline:.3f}",
        "-" if e.activation_index is None else f"{e.activation_index:.3f}",
    )
    out.print(table)


@app.command("select")
def select(
    drug: Annotated[
        str, typer.Option(help="Anxiolytic (SSRI, SNRI, buspirone, BZD, gabapentinoid).")
    ],
    target_occupancy: Annotated[
        float, typer.Option(help="Therapeutic SERT occupancy, PET scale (Meyer 2004: 0.8).")
    ] = 0.8,
    as_json: JsonOpt = False,
) -> None:
    """Dose-selection aid: occupancy by dose, dose for the target, start-low course, class profile."""
    s = select_anxiolytic(drug, target_occupancy=target_occupancy)
    if as_json:
        emit_json(s.to_dict())
        return
    out.print(
        f"[bold]{escape(s.drug)}[/bold] ({escape(s.drug_class)}) - decision support, not a prescription"
    )
    for label in s.labels:
        out.print(f"[yellow]{escape(label)}[/yellow]")
    for key, value in s.summary.items():
        out.print(f"{escape(str(key))}: {escape(str(value))}")
