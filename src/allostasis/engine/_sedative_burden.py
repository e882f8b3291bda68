"""Sedative burden: the total CNS-depressant load on breathing, read from the respiratory model."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from allostasis.engine._breathing import simulate_breathing
from allostasis.knowledge import KnowledgeBase, load_knowledge_base

__all__ = ["SedativeBurden", "sedative_burden"]


class SedativeBurden(BaseModel):
    """Total CNS-depressant load on breathing, read from the respiratory model.

    ``total`` is the depression of ventilation at a clamped PaCO2 of 50 mmHg (the chemoreflex
    removed, so the drugs' own effect on the drive is seen), at its worst over the time simulated:
    0 = none, 1 = no ventilation. ``by_drug`` splits it into Shapley shares; ``by_class`` sums
    them by drug class; ``synergy`` is total minus the Bliss-independent expectation of the
    single-drug depressions; ``level`` bands total (< 0.25 low, < 0.5 moderate, < 0.75 high,
    else very high -- bands are a presentation choice, not validated thresholds).
    """

    model_config = ConfigDict(frozen=True)

    total: float
    by_drug: dict[str, float]
    by_class: dict[str, float]
    single_drug: dict[str, float]
    bliss_expected: float | None
    synergy: float | None
    level: str
    basis: dict[str, Any]


def sedative_burden(
    medications: Sequence[Any],
    alcohol: Any = None,
    *,
    age_years: float | None = None,
    tolerance: str | float = "naive",
    duration: Any = "8 h",
    kb: KnowledgeBase | None = None,
) -> SedativeBurden:
    """Sedative burden: depression of isohypercapnic ventilation by all CNS depressants together.

    .. math:: B = 1 - \\min_t \\frac{\\dot V_E(t;\\ \\text{all drugs})}{\\dot V_E(\\text{no drug})}
        \\Big|_{P_{aCO_2} = 50\\,\\mathrm{mmHg}}

    Parameters
    ----------
    medications, alcohol, age_years, tolerance, duration
        As in :func:`simulate_breathing`.

    Returns
    -------
    SedativeBurden

    Examples
    --------
    >>> b = sedative_burden([("oxycodone", "10 mg", "PO"), ("alprazolam", "1 mg", "PO")])
    >>> b.by_class["opioid"] > b.by_class["benzodiazepine"] > 0, b.level
    (True, 'high')
    """
    kb = kb or load_knowledge_base()
    r = simulate_breathing(
        medications,
        age_years=age_years,
        tolerance=tolerance,
        duration=duration,
        alcohol=alcohol,
        paco2_clamp="50 mmHg",
        kb=kb,
    )
    total = 1.0 - r.nadir_ventilation
    by_class: dict[str, float] = {}
    for name, share in r.attribution.items():
        cls = "alcohol" if name == "alcohol" else kb[name].drug_class
        by_class[cls] = by_class.get(cls, 0.0) + share
    level = (
        "low"
        if total < 0.25
        else "moderate"
        if total < 0.5
        else "high"
        if total < 0.75
        else "very high"
    )
    return SedativeBurden(
        total=total,
        by_drug=r.attribution,
        by_class=by_class,
        single_drug=r.single_drug_depression,
        bliss_expected=r.bliss_expected_depression,
        synergy=None
        if r.bliss_expected_depression is None
        else total - r.bliss_expected_depression,
        level=level,
        basis={
            **r.basis,
            "burden": "1 - nadir ventilation at PaCO2 clamped at 50 mmHg "
            "(chemoreflex compensation removed); level bands are a presentation choice",
        },
    )
