"""Receptor verbs: ``occupancy``, ``curve gaba``, ``partial-agonism``, ``subunits``, ``schild``,
``compete``, ``release``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.markup import escape
from rich.table import Table

from allostasis.errors import InvalidValueError
from allostasis.interfaces.cli._app import JsonOpt, app, emit_json, out
from allostasis.receptor import (
    antagonist_challenge,
    compare_at_equal_anxiolysis,
    gaba_concentration_response,
    gabapentinoid_release_effect,
    partial_agonism_by_tone,
    schild_regression,
    steady_state_occupancy,
    subunit_profile,
)
from allostasis.units import Q_, magnitude

PlotOpt = Annotated[Path | None, typer.Option("--plot", help="Write a PNG plot.")]

curve_app = typer.Typer(help="Concentration-response curves.", no_args_is_help=True)
app.add_typer(curve_app, name="curve")


def _basis(lines: list[str]) -> None:
    out.print("[bold]basis[/bold]")
    for line in lines:
        out.print("  " + escape(line))


def _frame_json(df: pd.DataFrame) -> dict[str, Any]:
    return {
        "columns": list(df.columns),
        "rows": df.to_dict(orient="records"),
        "units": df.attrs.get("units", {}),
    }


@app.command("occupancy")
def occupancy_cmd(
    drug: Annotated[str, typer.Option(help="SSRI/SNRI (or any drug with Ki at its targets).")],
    dose: Annotated[
        str, typer.Option(help='Daily dose "50 mg/day", or a dose per interval "25 mg".')
    ],
    interval: Annotated[str, typer.Option(help='Dosing interval, e.g. "24 h", "12 h".')] = "24 h",
    target: Annotated[
        list[str] | None, typer.Option(help="Target(s), e.g. SERT, NET; default all with Ki.")
    ] = None,
    route: Annotated[str, typer.Option(help="Route.")] = "oral",
    as_json: JsonOpt = False,
    plot: PlotOpt = None,
) -> None:
    """Steady-state target occupancy (mean, trough, peak over one dosing interval)."""
    tau = magnitude(interval, field="--interval", unit="h", strictly_positive=True)
    if "/" in dose:
        per_day = magnitude(dose, field="--dose", unit="mg/day", strictly_positive=True)
        per_dose = f"{per_day * tau / 24.0} mg"
    else:
        per_dose = dose
    res = steady_state_occupancy(drug, per_dose, f"{tau} h", targets=target or None, route=route)
    if plot is not None:
        from allostasis.interfaces.plots import plot_lines

        plot_lines(
            res.profile,
            plot,
            x="time",
            y="occupancy",
            group="target",
            title=f"{res.drug} {res.dose_mg:g} mg every {res.interval_h:g} h: steady-state occupancy",
            xlabel="time in the dosing interval (h)",
            ylabel="occupancy (fraction of sites)",
        )
    if as_json:
        emit_json(res.to_dict())
        return
    table = Table(
        title=f"{res.drug} {res.daily_dose_mg:g} mg/day ({res.dose_mg:g} mg every {res.interval_h:g} h): steady state"
    )
    for col in ("target", "mean", "trough", "peak"):
        table.add_column(col)
    for name, s in res.to_dict()["targets"].items():
        table.add_row(name, f"{s['mean']:.0%}", f"{s['trough']:.0%}", f"{s['peak']:.0%}")
    out.print(table)
    _basis(res.basis)


@curve_app.command("gaba")
def curve_gaba(
    modulator: Annotated[
        str, typer.Option(help="Allosteric modulator, e.g. diazepam.")
    ] = "diazepam",
    conc: Annotated[str, typer.Option(help='Free modulator concentration, e.g. "1 uM".')] = "1 uM",
    as_json: JsonOpt = False,
    plot: PlotOpt = None,
) -> None:
    """GABA concentration-response at GABA-A with and without a benzodiazepine."""
    res = gaba_concentration_response(modulator, conc)
    if plot is not None:
        from allostasis.interfaces.plots import plot_lines

        df = res.curve.assign(
            label=[
                f"{modulator} {m:g} nM" if m > 0 else "GABA alone"
                for m in res.curve["modulator_conc"]
            ]
        )
        plot_lines(
            df,
            plot,
            x="gaba_conc",
            y="response",
            group="label",
            logx=True,
            title=f"GABA-A: leftward shift {res.shift:.2f}x with {modulator} {conc}",
            xlabel="GABA (uM)",
            ylabel="fraction of channels open",
        )
    if as_json:
        emit_json(
            {
                "modulator": res.modulator,
                "modulator_conc_nm": res.modulator_conc_nm,
                "ec50_without_um": res.ec50_without_um,
                "ec50_with_um": res.ec50_with_um,
                "shift": res.shift,
                "max_shift": res.max_shift,
                "curve": _frame_json(res.curve),
                "basis": res.basis,
            }
        )
        return
    out.print(
        f"GABA EC50 {res.ec50_without_um:.3g} uM alone -> {res.ec50_with_um:.3g} uM with {modulator} "
        f"{res.modulator_conc_nm:g} nM: leftward shift {res.shift:.2f}x (saturates at {res.max_shift:.2f}x)"
    )
    _basis(res.basis)


@app.command("partial-agonism")
def partial_agonism(
    drug: Annotated[str, typer.Option(help="Partial agonist, e.g. buspirone.")] = "buspirone",
    conc: Annotated[str, typer.Option(help='Drug concentration, e.g. "10 nM".')] = "10 nM",
    target: Annotated[str, typer.Option(help="Receptor.")] = "5-HT1A",
    as_json: JsonOpt = False,
    plot: PlotOpt = None,
) -> None:
    """How a partial agonist raises activation at low endogenous tone and lowers it at high tone."""
    res = partial_agonism_by_tone(drug, target=target, drug_conc=conc)
    if plot is not None:
        from allostasis.interfaces.plots import plot_lines

        cols = [c for c in res.curve.columns if c.startswith("activation")]
        long = res.curve.melt(
            id_vars=["agonist_conc"], value_vars=cols, var_name="condition", value_name="activation"
        )
        plot_lines(
            long,
            plot,
            x="agonist_conc",
            y="activation",
            group="condition",
            logx=True,
            title=f"{res.drug} ({conc}) at {res.target}: crossover at {res.crossover.tone_nm:.3g} nM",
            xlabel="endogenous agonist (nM)",
            ylabel="receptor activation",
        )
    if as_json:
        emit_json(
            {
                "drug": res.drug,
                "target": res.target,
                "efficacy": res.efficacy,
                "crossover_nm": res.crossover.tone_nm,
                "crossover_over_ec50": res.crossover.tone_over_ec50,
                "curve": _frame_json(res.curve),
                "basis": res.basis,
            }
        )
        return
    c = res.curve
    low, high = c.iloc[0], c.iloc[-1]
    out.print(
        f"{res.drug} at {res.target} (efficacy {res.efficacy:g}): "
        f"{'raises' if low['change'] > 0 else 'lowers'} activation at {low['agonist_conc']:.3g} nM tone "
        f"({low['change']:+.3f}); {'raises' if high['change'] > 0 else 'lowers'} it at "
        f"{high['agonist_conc']:.3g} nM ({high['change']:+.3f}); crossover {res.crossover.tone_nm:.3g} nM"
    )
    _basis(res.basis)


@app.command("subunits")
def subunits(
    drug: Annotated[str | None, typer.Option(help="One compound's profile at --conc.")] = None,
    conc: Annotated[str | None, typer.Option(help='Free concentration, e.g. "50 nM".')] = None,
    anxiolysis: Annotated[
        float, typer.Option(help="Equal alpha2/3 modulation for the comparison.")
    ] = 0.3,
    as_json: JsonOpt = False,
) -> None:
    """GABA-A subunit profiles: sedation (alpha1), anxiolysis (alpha2/3), cognition (alpha5)."""
    if drug is not None:
        if conc is None:
            raise InvalidValueError("--conc: required with --drug (e.g. --conc '50 nM')")
        prof = subunit_profile(drug, conc)
        df = prof.to_dataframe() if hasattr(prof, "to_dataframe") else pd.DataFrame([vars(prof)])
    else:
        df = compare_at_equal_anxiolysis(anxiolytic_modulation=anxiolysis)
    if as_json:
        emit_json(_frame_json(df))
        return
    table = Table(
        title="GABA-A subunit modulation"
        + ("" if drug else f" at equal anxiolysis ({anxiolysis:g})")
    )
    for col in df.columns:
        table.add_column(str(col))
    for _, row in df.iterrows():
        table.add_row(*[f"{v:.3g}" if isinstance(v, float) else str(v) for v in row])
    out.print(table)
    out.print("[dim]Compounds marked hypothetical are illustrations, not real drugs.[/dim]")


@app.command("schild")
def schild(
    antagonist: Annotated[
        list[str],
        typer.Option(
            help='Antagonist concentrations, e.g. --antagonist "1 nM" --antagonist "10 nM".'
        ),
    ],
    dose_ratio: Annotated[
        list[float], typer.Option(help="Measured dose ratios, one per concentration.")
    ],
    as_json: JsonOpt = False,
) -> None:
    """Schild regression: slope and pA2 (with confidence intervals) from dose ratios."""
    if len(antagonist) != len(dose_ratio):
        raise InvalidValueError(
            f"--antagonist/--dose-ratio: give one dose ratio per concentration; got "
            f"{len(antagonist)} concentrations and {len(dose_ratio)} ratios"
        )
    concs = [magnitude(c, field="--antagonist", unit="nM", minimum=0.0) for c in antagonist]
    res = schild_regression(Q_(concs, "nM"), dose_ratio)
    if as_json:
        emit_json(res.model_dump())
        return
    d = res.model_dump()
    out.print(escape(", ".join(f"{k}: {v}" for k, v in d.items() if k != "basis")))
    _basis(res.basis)


@app.command("compete")
def compete(
    agonist: Annotated[str, typer.Option(help="Agonist, e.g. fentanyl.")],
    agonist_conc: Annotated[str, typer.Option(help='Unbound agonist concentration, e.g. "1 nM".')],
    antagonist: Annotated[str, typer.Option(help="naloxone or flumazenil.")] = "naloxone",
    antagonist_dose: Annotated[
        str, typer.Option(help='Antagonist dose, e.g. "0.4 mg".')
    ] = "0.4 mg",
    route: Annotated[str, typer.Option(help="Antagonist route (iv, im, intranasal).")] = "iv",
    at: Annotated[str, typer.Option(help='Time of the antagonist dose, e.g. "10 min".')] = "10 min",
    duration: Annotated[str, typer.Option(help='Simulated time, e.g. "4 h".')] = "4 h",
    assumed_kon: Annotated[
        str | None,
        typer.Option(
            help='Association rate for ligands without published kinetics, e.g. "0.6 1/nM/min".'
        ),
    ] = None,
    as_json: JsonOpt = False,
    plot: PlotOpt = None,
) -> None:
    """Time-resolved competition at one site: displacement by an antagonist and re-binding."""
    res = antagonist_challenge(
        agonist,
        agonist_conc,
        antagonist,
        antagonist_dose,
        route=route,
        at=at,
        duration=duration,
        assumed_kon=assumed_kon,
    )
    df = res.to_dataframe()
    if plot is not None:
        from allostasis.interfaces.plots import plot_lines

        plot_lines(
            df,
            plot,
            x="time",
            y="occupancy",
            group="ligand",
            title=f"{agonist} {agonist_conc} vs {antagonist} {antagonist_dose} {route} at {at}",
            xlabel="time (min)",
            ylabel="receptor occupancy",
        )
    ag = res.of(res.ligands[0])[0]
    summary = {
        "agonist": res.ligands[0],
        "antagonist": res.ligands[1],
        "before": float(ag[0]),
        "nadir": float(ag.min()),
        "nadir_time_min": float(res.time[int(ag.argmin())]),
        "end": float(ag[-1]),
    }
    if as_json:
        emit_json({"summary": summary, "timecourse": _frame_json(df), "basis": res.basis})
        return
    out.print(
        f"{summary['agonist']} occupancy {summary['before']:.0%} -> nadir {summary['nadir']:.0%} at "
        f"{summary['nadir_time_min']:.0f} min -> {summary['end']:.0%} at the end (re-binding as "
        f"{summary['antagonist']} clears)"
    )
    _basis(res.basis)


@app.command("release")
def release(
    drug: Annotated[str, typer.Option(help="pregabalin or gabapentin.")] = "pregabalin",
    conc: Annotated[
        str, typer.Option(help='Unbound concentration, e.g. "10 uM" or "3 mg/L".')
    ] = "10 uM",
    firing_rate: Annotated[str | None, typer.Option(help='Firing rate, e.g. "40 Hz".')] = None,
    potency: Annotated[
        str, typer.Option(help="functional (Ca2+ influx IC50) or binding (alpha2-delta Kd).")
    ] = "functional",
    as_json: JsonOpt = False,
) -> None:
    """Presynaptic calcium entry and transmitter release under a gabapentinoid."""
    res = gabapentinoid_release_effect(drug, conc, firing_rate=firing_rate, potency=potency)
    if as_json:
        emit_json(res.model_dump())
        return
    out.print(
        f"{res.drug} {conc}: alpha2-delta engagement {res.occupancy[0]:.0%}, calcium entry "
        f"{res.calcium_entry[0]:.0%} of baseline, release {res.release[0]:.0%} of baseline "
        f"({res.release_reduction[0]:.0%} less)"
    )
    _basis(res.basis)
