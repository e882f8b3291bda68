"""``allostasis drugs list|show``: the knowledge base."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from allostasis.errors import InvalidValueError
from allostasis.interfaces.cli._app import JsonOpt, app, emit_json, out
from allostasis.knowledge import Drug, Measured, load_knowledge_base

drugs_app = typer.Typer(help="The drug knowledge base.", no_args_is_help=True)
app.add_typer(drugs_app, name="drugs")


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
        emit_json(
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
        emit_json(payload)
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
