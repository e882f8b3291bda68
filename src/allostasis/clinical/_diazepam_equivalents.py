"""Diazepam equivalents of a medication list, by one named table and by every table (never mixed)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from allostasis.clinical._equivalence import DISAGREEMENT_THRESHOLD, convert_benzodiazepine
from allostasis.clinical._medication_list import MedicationEntry
from allostasis.clinical._sig import Order
from allostasis.errors import UnknownDrugError
from allostasis.knowledge import KnowledgeBase

__all__ = ["BenzodiazepineEquivalents", "BenzodiazepineOrderEquivalent", "diazepam_equivalents"]


class BenzodiazepineOrderEquivalent(BaseModel):
    """One benzodiazepine/Z-drug order in diazepam equivalents, by every table that lists it."""

    model_config = ConfigDict(frozen=True)

    order: str
    drug: str
    daily_dose_mg: float
    diazepam_mg_per_day: float | None
    """By the chosen table; ``None`` when that table does not list the drug."""
    by_source: dict[str, float]
    sources_disagree: bool


class BenzodiazepineEquivalents(BaseModel):
    """Diazepam-equivalent mg/day of all benzodiazepines and Z-drugs, by a named table."""

    model_config = ConfigDict(frozen=True)

    source: str
    citation: str
    total_diazepam_mg_per_day: float | None
    """Sum by the chosen table; ``None`` when the table lacks one of the drugs (tables never mix)."""
    total_by_source: dict[str, float]
    """Totals under every table that lists every drug in the list."""
    orders: list[BenzodiazepineOrderEquivalent]
    sources_disagree: bool
    warnings: list[str]
    basis: list[str]


def diazepam_equivalents(
    pairs: list[tuple[MedicationEntry, Order]], source: str, kb: KnowledgeBase
) -> BenzodiazepineEquivalents:
    if source not in kb.equivalence:
        raise UnknownDrugError(
            f"equivalence_source: {source!r} is not an equivalence table; choose one of "
            f"{', '.join(kb.equivalence)}"
        )
    rows: list[BenzodiazepineOrderEquivalent] = []
    warnings: list[str] = []
    basis: list[str] = [
        "diazepam equivalents = daily dose (PRN at maximum) x (diazepam dose / drug dose) from one "
        f"equivalence table; chosen table {source}: {kb.source(kb.equivalence[source].source).citation()}"
    ]
    for entry, order in pairs:
        mg = order.max_daily_dose
        res = None
        by_source: dict[str, float] = {}
        for set_id in kb.equivalence:
            try:
                r = convert_benzodiazepine(order.drug, f"{mg} mg", "diazepam", source=set_id, kb=kb)
            except UnknownDrugError:
                continue
            by_source[set_id] = r.dose_mg
            if set_id == source:
                res = r
        spread = (max(by_source.values()) / min(by_source.values()) - 1) if by_source else 0.0
        disagree = spread > DISAGREEMENT_THRESHOLD
        if res is None:
            listed = ", ".join(by_source) or "none"
            warnings.append(
                f"{order.drug}: table {source} lists no diazepam equivalent; tables that do: {listed}"
            )
        if disagree:
            warnings.append(
                f"{order.drug}: equivalence tables disagree by {spread:.0%} ("
                + ", ".join(f"{k}: {v:.3g} mg" for k, v in by_source.items())
                + " diazepam/day); equivalences are approximate"
            )
        rows.append(
            BenzodiazepineOrderEquivalent(
                order=entry.text,
                drug=order.drug,
                daily_dose_mg=mg,
                diazepam_mg_per_day=None if res is None else res.dose_mg,
                by_source=by_source,
                sources_disagree=disagree,
            )
        )
        if res is not None:
            basis.append(f"{entry.text}: {res.basis[0]}")
    total = (
        None
        if any(r.diazepam_mg_per_day is None for r in rows)
        else sum(r.diazepam_mg_per_day or 0.0 for r in rows)
    )
    totals = {
        set_id: sum(r.by_source[set_id] for r in rows)
        for set_id in kb.equivalence
        if all(set_id in r.by_source for r in rows)
    }
    if total is None:
        basis.append(
            f"no total by {source}: it does not list every drug, and tables are never mixed"
        )
    return BenzodiazepineEquivalents(
        source=source,
        citation=kb.source(kb.equivalence[source].source).citation(),
        total_diazepam_mg_per_day=total,
        total_by_source=totals,
        orders=rows,
        sources_disagree=any(r.sources_disagree for r in rows),
        warnings=warnings,
        basis=basis,
    )
