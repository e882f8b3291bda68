"""``allostasis taper``: a dated, dispensable benzodiazepine taper with its predicted course and handouts."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from allostasis.clinical import (
    RED_FLAGS,
    TaperPlan,
    TaperPrediction,
    adjust_taper,
    plan_taper,
    predict_taper,
    symptom_report,
)
from allostasis.errors import InvalidValueError
from allostasis.interfaces.cli._app import JsonOpt, app, emit_json, out

_REPORT = re.compile(r"^\s*(?P<date>\d{4}-\d{2}-\d{2})\s*:\s*(?P<body>.*)$")


def parse_report(text: str) -> tuple[str, dict[str, int], list[str]]:
    """Read ``"2027-02-01: sleep=2, affective=1, seizure"`` as (date, scores, red flags)."""
    m = _REPORT.match(text or "")
    if m is None:
        raise InvalidValueError(
            f"--report: cannot read {text!r}; write e.g. '2027-02-01: sleep=2, affective=1' "
            f"(domains 0-3; red flags {', '.join(RED_FLAGS)})"
        )
    scores: dict[str, int] = {}
    flags: list[str] = []
    for part in filter(None, (p.strip() for p in m["body"].split(","))):
        if "=" in part:
            k, v = (x.strip() for x in part.split("=", 1))
            if not v.isdigit():
                raise InvalidValueError(f"--report: score for {k!r} must be 0-3; got {v!r}")
            scores[k.lower()] = int(v)
        else:
            flags.append(part.lower())
    return m["date"], scores, flags


@app.command("taper")
def taper(
    med: Annotated[
        list[str],
        typer.Option(help='Current regimen, repeatable: --med "alprazolam 1 mg TID".'),
    ],
    duration: Annotated[str, typer.Option(help='How long it has been taken, e.g. "6 years".')],
    start: Annotated[
        str | None, typer.Option(help="First day of the plan, YYYY-MM-DD (default today).")
    ] = None,
    age: Annotated[float | None, typer.Option(help="Age in years.")] = None,
    hepatic: Annotated[bool, typer.Option("--hepatic", help="Hepatic impairment.")] = False,
    seizures: Annotated[bool, typer.Option("--seizures", help="History of seizures.")] = False,
    difficult: Annotated[
        bool, typer.Option("--difficult-withdrawal", help="A previous difficult withdrawal.")
    ] = False,
    opioid: Annotated[bool, typer.Option("--opioid", help="Takes an opioid too.")] = False,
    switch: Annotated[
        str | None, typer.Option(help="Switch first to diazepam, clonazepam or chlordiazepoxide.")
    ] = None,
    reduction: Annotated[
        str, typer.Option(help="proportional (default) or linear.")
    ] = "proportional",
    step: Annotated[float | None, typer.Option(help="Step as a fraction, e.g. 0.1.")] = None,
    interval: Annotated[str | None, typer.Option(help='Between steps, e.g. "2 weeks".')] = None,
    initial_step: Annotated[float | None, typer.Option(help="First steps, 0.05-0.1.")] = None,
    initial_interval: Annotated[str | None, typer.Option(help="Between the first steps.")] = None,
    end_dose: Annotated[
        str | None, typer.Option(help='Maintenance dose to stop at, "1 mg".')
    ] = None,
    final_dose: Annotated[str | None, typer.Option(help="Daily dose from which to stop.")] = None,
    source: Annotated[str, typer.Option(help="Equivalence table.")] = "ashton-2002",
    override: Annotated[
        str | None, typer.Option(help="Reason to go beyond the guideline limits (recorded).")
    ] = None,
    report: Annotated[
        list[str] | None,
        typer.Option(help='Symptom report, repeatable: "2027-02-01: sleep=2, affective=1".'),
    ] = None,
    predict: Annotated[
        bool, typer.Option("--predict/--no-predict", help="Run the neuroadaptation model.")
    ] = True,
    pdf: Annotated[Path | None, typer.Option(help="Write the patient handout (PDF).")] = None,
    ics: Annotated[
        Path | None, typer.Option(help="Write a calendar of dose changes (ICS).")
    ] = None,
    csv: Annotated[Path | None, typer.Option(help="Write the schedule (CSV).")] = None,
    plot: Annotated[Path | None, typer.Option(help="Write the predicted course (PNG).")] = None,
    as_json: JsonOpt = False,
) -> None:
    """Plan a taper: dated schedule per dose time, predicted course, warnings and basis."""
    if reduction not in ("proportional", "linear"):
        raise InvalidValueError(f"--reduction: 'proportional' or 'linear'; got {reduction!r}")
    plan: TaperPlan = plan_taper(
        med,
        duration=duration,
        start=start or dt.date.today().isoformat(),
        age_years=age,
        hepatic_impairment=hepatic,
        seizure_history=seizures,
        previous_difficult_withdrawal=difficult,
        concurrent_opioid=opioid,
        switch_to=switch,
        reduction=reduction,  # type: ignore[arg-type]
        step=step,
        interval=interval,
        initial_step=initial_step,
        initial_interval=initial_interval,
        end_dose=end_dose,
        final_dose=final_dose,
        equivalence_source=source,
        override_reason=override,
    )
    decisions: list[dict[str, Any]] = []
    for text in report or []:
        date, scores, flags = parse_report(text)
        adj = adjust_taper(plan, symptom_report(date, scores, flags))
        plan = adj.plan
        decisions.append(adj.model_dump(mode="json", exclude={"plan"}))
    pred: TaperPrediction | None = predict_taper(plan) if predict and plan.steps else None
    _handouts(plan, pred, pdf=pdf, ics=ics, csv=csv, plot=plot)
    if as_json:
        emit_json(
            {
                "plan": plan.model_dump(mode="json"),
                "decisions": decisions,
                "prediction": pred.to_dict() if pred else None,
            }
        )
        return
    _print(plan, pred, decisions)


def _handouts(
    plan: TaperPlan,
    pred: TaperPrediction | None,
    *,
    pdf: Path | None,
    ics: Path | None,
    csv: Path | None,
    plot: Path | None,
) -> None:
    if csv is not None:
        from allostasis.interfaces.reports import write_taper_csv

        write_taper_csv(plan, csv)
    if ics is not None:
        from allostasis.interfaces.reports import write_taper_ics

        write_taper_ics(plan, ics)
    if pdf is not None:
        from allostasis.interfaces.reports import write_taper_pdf

        write_taper_pdf(plan, pdf, trajectory=pred.daily if pred else None)
    if plot is not None:
        if pred is None:
            raise InvalidValueError("--plot: needs the model prediction; drop --no-predict")
        from allostasis.interfaces.plots import plot_lines

        df = pred.daily.melt(id_vars=["day", "date"], var_name="measure", value_name="value")
        plot_lines(
            df,
            plot,
            x="day",
            y="value",
            group="measure",
            title=f"{plan.tapered_drug} taper: model-predicted course (typical patient)",
            xlabel="days from the start of the plan",
            ylabel="balance index / symptom severity",
        )


def _print(plan: TaperPlan, pred: TaperPrediction | None, decisions: list[dict[str, Any]]) -> None:
    out.print(f"[bold]current:[/bold] {escape('; '.join(u.describe() for u in plan.current))}")
    for label in plan.labels:
        out.print(f"[yellow]{escape(label)}[/yellow]")
    peaks = {s.index: s for s in pred.steps} if pred else {}
    table = Table(title=f"taper plan ({plan.reduction_kind}), ends {plan.end_date.isoformat()}")
    for col in ("step", "from", "phase", "daily", "what to take", "fall", "model peak"):
        table.add_column(col)
    for s in plan.steps:
        take = "; ".join(f"{d.time} {d.description}" for d in s.doses) or "stop"
        daily = ", ".join(f"{k} {v:g} mg" for k, v in s.daily_mg.items() if v > 0) or "0"
        p = peaks.get(s.index)
        table.add_row(
            str(s.index),
            s.start.isoformat(),
            s.phase,
            escape(daily),
            escape(take),
            f"{s.reduction:.0%}",
            ""
            if p is None
            else f"{p.peak_index:.3f}" + (" SEIZURE RISK" if p.seizure_risk else ""),
        )
    out.print(table)
    for d in decisions:
        out.print(f"[bold]symptom report:[/bold] {d['decision']} - {escape(d['message'])}")
    for w in plan.warnings:
        out.print(f"[yellow]warning:[/yellow] {escape(w)}")
    if pred is not None:
        for label in pred.labels[:1]:
            out.print(f"[yellow]{escape(label)}[/yellow]")
    for b in plan.basis:
        out.print(f"[dim]basis: {escape(b)}[/dim]")
