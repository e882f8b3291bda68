"""Combination verbs: ``combine bliss|hsa|loewe`` and ``interaction``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from allostasis.errors import InvalidValueError
from allostasis.interfaces.cli._app import JsonOpt, app, emit_json, out
from allostasis.receptor import (
    DoseEffectCurve,
    bliss,
    hsa_excess,
    interaction_from_ratios,
    isobologram,
    loewe_combination_index,
)

combine_app = typer.Typer(
    help="Drug combination: Bliss, highest single agent, Loewe.", no_args_is_help=True
)
app.add_typer(combine_app, name="combine")


def _print_basis(lines: list[str]) -> None:
    out.print("[bold]basis[/bold]")
    for line in lines:
        out.print("  " + escape(line))


@combine_app.command("bliss")
def combine_bliss(
    effect_a: Annotated[float, typer.Argument(help="Fractional effect of A alone, in [0, 1].")],
    effect_b: Annotated[float, typer.Argument(help="Fractional effect of B alone, in [0, 1].")],
    observed: Annotated[
        float | None, typer.Option(help="Observed combined effect, to classify.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Bliss independence: expected combined effect E_A + E_B - E_A E_B."""
    res = bliss(effect_a, effect_b, observed)
    if as_json:
        emit_json(res.model_dump())
        return
    d = res.model_dump()
    line = f"Bliss expected {d['expected']:.4g}"
    if d["observed"] is not None:
        line += f"; observed {d['observed']:.4g}, excess {d['excess']:+.4g}: {d['classification']}"
    out.print(line)
    _print_basis(res.basis)


@combine_app.command("hsa")
def combine_hsa(
    effect_a: Annotated[float, typer.Argument(help="Fractional effect of A alone.")],
    effect_b: Annotated[float, typer.Argument(help="Fractional effect of B alone.")],
    observed: Annotated[float, typer.Option(help="Observed combined effect.")],
    as_json: JsonOpt = False,
) -> None:
    """Highest single agent: excess of the combination over the larger single effect."""
    res = hsa_excess(effect_a, effect_b, observed)
    if as_json:
        emit_json(res.model_dump())
        return
    d = res.model_dump()
    out.print(
        f"HSA expected {d['expected']:.4g}; observed {d['observed']:.4g}, excess {d['excess']:+.4g}: {d['classification']}"
    )
    _print_basis(res.basis)


@combine_app.command("loewe")
def combine_loewe(
    dose_a: Annotated[str, typer.Option(help='Dose of A in the combination, e.g. "2.5 mg".')],
    dose_b: Annotated[str, typer.Option(help="Dose of B in the combination.")],
    effect: Annotated[float, typer.Option(help="Observed combined effect (fraction).")],
    ed50_a: Annotated[str, typer.Option(help='ED50 of A alone, e.g. "10 mg".')],
    ed50_b: Annotated[str, typer.Option(help="ED50 of B alone.")],
    hill_a: Annotated[float, typer.Option(help="Hill slope of A.")] = 1.0,
    hill_b: Annotated[float, typer.Option(help="Hill slope of B.")] = 1.0,
    emax_a: Annotated[float, typer.Option(help="Maximal effect of A.")] = 1.0,
    emax_b: Annotated[float, typer.Option(help="Maximal effect of B.")] = 1.0,
    as_json: JsonOpt = False,
    plot: Annotated[Path | None, typer.Option(help="Write an isobologram PNG.")] = None,
) -> None:
    """Loewe additivity: combination index CI = d_A/D_A(E) + d_B/D_B(E) (Chou-Talalay)."""
    ca = DoseEffectCurve(ed50=ed50_a, hill=hill_a, emax=emax_a, name="A")
    cb = DoseEffectCurve(ed50=ed50_b, hill=hill_b, emax=emax_b, name="B")
    res = loewe_combination_index(dose_a, dose_b, effect, ca, cb)
    if plot is not None:
        from allostasis.interfaces.plots import plot_isobologram

        plot_isobologram(
            isobologram(ca, cb, [effect]),
            plot,
            point=(dose_a, dose_b),
            title=f"Isobole at effect {effect:g}: CI = {float(res.combination_index):.3g}",
        )
    if as_json:
        emit_json(res.model_dump())
        return
    out.print(escape(", ".join(f"{k}: {v}" for k, v in res.model_dump().items() if k != "basis")))
    _print_basis(res.basis)


@app.command("interaction")
def interaction(
    rr10: Annotated[float, typer.Option(help="Relative risk with A only.")],
    rr01: Annotated[float, typer.Option(help="Relative risk with B only.")],
    rr11: Annotated[float, typer.Option(help="Relative risk with both.")],
    ci10: Annotated[tuple[float, float] | None, typer.Option(help="95% CI of rr10: L U.")] = None,
    ci01: Annotated[tuple[float, float] | None, typer.Option(help="95% CI of rr01: L U.")] = None,
    ci11: Annotated[tuple[float, float] | None, typer.Option(help="95% CI of rr11: L U.")] = None,
    odds_ratios: Annotated[bool, typer.Option("--or", help="The ratios are odds ratios.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Additive and multiplicative interaction: RERI, AP, synergy index S, ratio of ratios."""
    given = [c is not None for c in (ci10, ci01, ci11)]
    if any(given) and not all(given):
        raise InvalidValueError(
            "--ci10/--ci01/--ci11: give all three confidence intervals, or none"
        )
    res = interaction_from_ratios(
        rr10, rr01, rr11, ci10=ci10, ci01=ci01, ci11=ci11, ratio_kind="OR" if odds_ratios else "RR"
    )
    if as_json:
        emit_json(res.model_dump(mode="json"))
        return
    d = res.model_dump()
    for key in ("reri", "ap", "synergy_index", "multiplicative"):
        m = d.get(key)
        if not m:
            continue
        est = "undefined" if m["estimate"] is None else f"{m['estimate']:.3g}"
        cis = "; ".join(
            f"{i['method']} {i['level']:.0%} CI {i['low']:.3g} to {i['high']:.3g}"
            for i in m["intervals"]
        )
        out.print(
            escape(
                f"{m['name']}: {est}" + (f" ({cis})" if cis else "") + f" - {m['interpretation']}"
            )
        )
    for w in d.get("warnings", []):
        out.print(f"[yellow]warning:[/yellow] {escape(w)}")
    _print_basis(res.basis)
