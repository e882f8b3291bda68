"""Round a dose to what a pharmacy can dispense: whole or split tablets, capsules, or a liquid.

A dose per administration is matched to the drug's marketed solid oral forms (knowledge base
``formulations``): up to two strengths, counts in steps of the smallest permitted fraction
(``splittable_to``: 1 whole, 0.5 halves for scored tablets), at most ``max_units`` pieces. The
candidate closest to the target wins (ties: no splitting, then one strength, then fewer pieces). If no solid
combination is within ``tolerance`` and an oral liquid exists, a volume rounded to the measuring
resolution (0.1 mL by default, an oral syringe) is offered instead — the small final doses of a
proportional taper usually need one (Horowitz & Taylor 2019; Brunner et al. 2025). The rounding
error is always reported; nothing outside the tolerance is returned silently.
"""

from __future__ import annotations

import itertools
from typing import Any

from pydantic import BaseModel, ConfigDict

from allostasis.errors import InvalidValueError, UnknownDrugError
from allostasis.knowledge import Formulation, KnowledgeBase, load_knowledge_base
from allostasis.units import Q_, magnitude

__all__ = ["DispensedDose", "DispensedItem", "dispense"]

_SOLID = ("tablet", "capsule", "orally disintegrating tablet", "sublingual tablet")
_LIQUID = ("oral solution", "oral suspension")


class DispensedItem(BaseModel):
    """One product in a dose: ``count`` units (tablets may be fractional) or ``volume_ml``."""

    model_config = ConfigDict(frozen=True)

    form: str
    strength: float
    unit: str
    count: float | None = None
    volume_ml: float | None = None
    source: str

    def describe(self) -> str:
        if self.volume_ml is not None:
            return f"{self.volume_ml:g} mL of {self.strength:g} {self.unit} {self.form}"
        whole, frac = divmod(self.count or 0.0, 1.0)
        parts = {0.0: "", 0.25: "1/4", 0.5: "1/2", 0.75: "3/4"}
        amount = (f"{int(whole)}" if whole else "") + (
            (" " if whole and frac else "") + parts.get(round(frac, 2), f"{frac:g}") if frac else ""
        )
        plural = "s" if (self.count or 0) > 1 else ""
        return f"{amount} x {self.strength:g} {self.unit} {self.form}{plural}"


class DispensedDose(BaseModel):
    """The dispensable dose closest to a target, with its rounding error."""

    model_config = ConfigDict(frozen=True)

    drug: str
    target_mg: float
    dispensed_mg: float
    error_mg: float
    relative_error: float
    within_tolerance: bool
    items: list[DispensedItem]
    description: str
    warnings: list[str]
    basis: list[str]


def _candidates(
    forms: list[Formulation], max_units: float
) -> list[tuple[float, list[DispensedItem], float, int]]:
    """All solid combinations: (mg, items, pieces, n_splits)."""
    singles: list[tuple[Formulation, float]] = [
        (f, s)
        for f in forms
        for s in f.strengths
        if Q_(1, f.unit).dimensionality == Q_(1, "mg").dimensionality
    ]
    out: list[tuple[float, list[DispensedItem], float, int]] = []
    for size in (1, 2):
        for combo in itertools.combinations(singles, size):
            grids = []
            for f, _s in combo:
                step = f.splittable_to
                grids.append([k * step for k in range(1, int(max_units / step) + 1)])
            for counts in itertools.product(*grids):
                if sum(counts) > max_units + 1e-9:
                    continue
                mg = sum(
                    Q_(s * c, f.unit).to("mg").magnitude
                    for (f, s), c in zip(combo, counts, strict=True)
                )
                items = [
                    DispensedItem(form=f.form, strength=s, unit=f.unit, count=c, source=f.source)
                    for (f, s), c in zip(combo, counts, strict=True)
                ]
                splits = sum(1 for c in counts if abs(c - round(c)) > 1e-9)
                out.append((float(mg), items, float(sum(counts)), splits))
    return out


def dispense(
    drug: str,
    dose: Any,
    *,
    tolerance: float = 0.05,
    max_units: float = 4.0,
    allow_liquid: bool = True,
    liquid_resolution_ml: float = 0.1,
    kb: KnowledgeBase | None = None,
) -> DispensedDose:
    """The dispensable oral dose closest to ``dose`` (one administration).

    Parameters
    ----------
    drug : str
        Drug in the knowledge base with oral formulations.
    dose : quantity
        Target dose per administration (mass), >= 0.
    tolerance : float
        Largest acceptable relative rounding error (default 5%).
    max_units : float
        Most tablets/capsules per administration (default 4).
    allow_liquid : bool
        Offer the oral liquid when no solid combination is within tolerance.

    Examples
    --------
    >>> d = dispense("alprazolam", "0.75 mg")
    >>> d.description, d.relative_error
    ('3 x 0.25 mg tablets', 0.0)
    >>> dispense("diazepam", "0.3 mg").description
    '0.3 mL of 1 mg/mL oral solution'
    >>> dispense("diazepam", "-1 mg")
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: dose: must be >= 0 mg; got -1 milligram
    """
    if not 0 <= tolerance < 1:
        raise InvalidValueError(f"tolerance: must be in [0, 1); got {tolerance!r}")
    if not 1 <= max_units <= 20:
        raise InvalidValueError(f"max_units: must be between 1 and 20; got {max_units!r}")
    if not liquid_resolution_ml > 0:
        raise InvalidValueError(f"liquid_resolution_ml: must be > 0; got {liquid_resolution_ml!r}")
    kb = kb or load_knowledge_base()
    d = kb[drug]
    target = magnitude(dose, field="dose", unit="mg", minimum=0.0)
    solids = [f for f in d.formulations if f.route == "oral" and f.form in _SOLID]
    liquids = [f for f in d.formulations if f.route == "oral" and f.form in _LIQUID]
    if not solids and not liquids:
        raise UnknownDrugError(
            f"drug: {d.name} has no oral tablets, capsules or liquids in the knowledge base"
        )
    basis = [
        f"target {target:g} mg {d.name}; solid forms: "
        + (
            "; ".join(
                f"{f.form} {', '.join(f'{s:g}' for s in f.strengths)} {f.unit} "
                f"(split to {f.splittable_to:g}) [{f.source}]"
                for f in solids
            )
            or "none"
        )
    ]
    if target == 0:
        return DispensedDose(
            drug=d.name,
            target_mg=0.0,
            dispensed_mg=0.0,
            error_mg=0.0,
            relative_error=0.0,
            within_tolerance=True,
            items=[],
            description="none",
            warnings=[],
            basis=basis,
        )
    best = None
    cands = _candidates(solids, max_units)
    if cands:
        # closest first; then no splitting, a single strength, fewest pieces (simplest to take)
        best = min(cands, key=lambda c: (round(abs(c[0] - target), 9), c[3], len(c[1]), c[2]))
    choice_mg, choice_items = (best[0], best[1]) if best else (0.0, [])
    rel = abs(choice_mg - target) / target if best else float("inf")
    if rel > tolerance and allow_liquid and liquids:
        f = liquids[0]
        conc = Q_(f.strengths[0], f.unit).to("mg/mL").magnitude
        vol = max(
            liquid_resolution_ml, round(target / conc / liquid_resolution_ml) * liquid_resolution_ml
        )
        liquid_mg = float(vol * conc)
        if abs(liquid_mg - target) < abs(choice_mg - target):
            choice_mg = liquid_mg
            choice_items = [
                DispensedItem(
                    form=f.form,
                    strength=f.strengths[0],
                    unit=f.unit,
                    volume_ml=round(vol, 6),
                    source=f.source,
                )
            ]
            rel = abs(choice_mg - target) / target
            basis.append(
                f"liquid {f.strengths[0]:g} {f.unit} [{f.source}] measured to {liquid_resolution_ml:g} mL"
            )
    warnings = []
    within = rel <= tolerance + 1e-12
    if not within:
        warnings.append(
            f"closest dispensable dose {choice_mg:g} mg differs from the target {target:g} mg by "
            f"{rel:.0%} (tolerance {tolerance:.0%}); adjust the plan or use another formulation"
        )
    return DispensedDose(
        drug=d.name,
        target_mg=target,
        dispensed_mg=round(choice_mg, 9),
        error_mg=round(choice_mg - target, 9),
        relative_error=round(rel, 9),
        within_tolerance=within,
        items=choice_items,
        description=" + ".join(i.describe() for i in choice_items) or "none",
        warnings=warnings,
        basis=basis,
    )
