"""Benzodiazepine / Z-drug dose equivalence by a named published table.

.. math:: D_{to} = D_{from} \\cdot \\frac{E_{to}}{E_{from}}

where :math:`E_x` is the dose of drug x that the chosen table takes as equivalent to 10 mg oral
diazepam. The result names its table and shows what every other table would give; if they differ by
more than 25% the result is flagged, because the tables disagree by up to a factor of two for
alprazolam, clonazepam, lorazepam, oxazepam, temazepam and triazolam (see Brunner et al. 2025,
Table 7, which reprints Ashton 2002 beside VA/DoD 2021). Equivalences are approximate and are for
switching under supervision, not for exact dosing.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from allostasis.errors import UnknownDrugError
from allostasis.knowledge import KnowledgeBase, load_knowledge_base
from allostasis.units import magnitude

__all__ = ["DISAGREEMENT_THRESHOLD", "EquivalentDose", "convert_benzodiazepine"]

#: Relative spread between tables (max/min - 1) above which a conversion is flagged.
DISAGREEMENT_THRESHOLD = 0.25


class EquivalentDose(BaseModel):
    """An equivalent dose with the table it came from and what the other tables say."""

    model_config = ConfigDict(frozen=True)

    from_drug: str
    from_dose_mg: float
    to_drug: str
    dose_mg: float
    source: str
    citation: str
    by_source: dict[str, float]
    """Equivalent dose (mg) under every table that lists both drugs."""
    sources_disagree: bool
    warnings: list[str]
    basis: list[str]


def _eq_dose(kb: KnowledgeBase, set_id: str, drug: str) -> float | None:
    m = kb.equivalence[set_id].doses.get(drug)
    return None if m is None else m.to("mg")


def convert_benzodiazepine(
    from_drug: str,
    dose: Any,
    to_drug: str,
    *,
    source: str = "ashton-2002",
    kb: KnowledgeBase | None = None,
) -> EquivalentDose:
    """Convert ``dose`` of ``from_drug`` to an approximately equivalent dose of ``to_drug``.

    Parameters
    ----------
    from_drug, to_drug : str
        Benzodiazepines or Z-drugs in the knowledge base.
    dose : quantity
        Total dose to convert, e.g. ``"1.5 mg"`` (a daily dose gives a daily dose).
    source : str
        Equivalence table id: ``ashton-2002`` (default), ``va-dod-2021``, ``nhs-scotland-2024``, ``who-2009``.

    Examples
    --------
    >>> r = convert_benzodiazepine("alprazolam", "1.5 mg", "diazepam")
    >>> r.dose_mg, r.source, r.sources_disagree
    (30.0, 'ashton-2002', True)
    >>> r.by_source
    {'ashton-2002': 30.0, 'va-dod-2021': 15.0, 'nhs-scotland-2024': 30.0, 'who-2009': 15.0}
    >>> convert_benzodiazepine("alprazolam", "1.5 mg", "diazepam", source="bnf")
    Traceback (most recent call last):
    ...
    allostasis.errors.UnknownDrugError: source: 'bnf' is not an equivalence table; choose one of ashton-2002, va-dod-2021, nhs-scotland-2024, who-2009
    """
    kb = kb or load_knowledge_base()
    a, b = kb[from_drug], kb[to_drug]
    for d, field in ((a, "from_drug"), (b, "to_drug")):
        if d.drug_class not in ("benzodiazepine", "z-drug"):
            raise UnknownDrugError(
                f"{field}: {d.name} is a {d.drug_class}; equivalence tables cover benzodiazepines and Z-drugs"
            )
    if source not in kb.equivalence:
        raise UnknownDrugError(
            f"source: {source!r} is not an equivalence table; choose one of {', '.join(kb.equivalence)}"
        )
    mg = magnitude(dose, field="dose", unit="mg", strictly_positive=True)
    by_source: dict[str, float] = {}
    for set_id in kb.equivalence:
        ea, eb = _eq_dose(kb, set_id, a.name), _eq_dose(kb, set_id, b.name)
        if ea is not None and eb is not None:
            by_source[set_id] = mg * eb / ea
    if source not in by_source:
        missing = [n for n in (a.name, b.name) if _eq_dose(kb, source, n) is None]
        others = ", ".join(by_source) or "none"
        raise UnknownDrugError(
            f"source: table {source!r} lists no equivalent dose for {', '.join(missing)}; "
            f"tables that list both: {others}"
        )
    table = kb.equivalence[source]
    ea_m, eb_m = table.doses[a.name], table.doses[b.name]
    spread = max(by_source.values()) / min(by_source.values()) - 1
    disagree = spread > DISAGREEMENT_THRESHOLD
    warnings = []
    if disagree:
        warnings.append(
            "equivalence tables disagree by "
            f"{spread:.0%} for this pair ({', '.join(f'{k}: {v:.3g} mg' for k, v in by_source.items())}); "
            "start at the lower dose and titrate to response"
        )
    for name, m in ((a.name, ea_m), (b.name, eb_m)):
        if m.value is None:
            warnings.append(
                f"{table.id} gives a range for {name} ({m.low:g}-{m.high:g} mg); the geometric mean is used"
            )
    basis = [
        f"{mg:g} mg {a.name} x ({eb_m.typical:g} mg {b.name} / {ea_m.typical:g} mg {a.name}) "
        f"= {by_source[source]:.4g} mg {b.name}, both equivalent to "
        f"{table.reference_dose.typical:g} mg {table.reference_drug} in {table.id}",
        f"{table.id}: {kb.source(table.source).citation()}",
    ]
    return EquivalentDose(
        from_drug=a.name,
        from_dose_mg=mg,
        to_drug=b.name,
        dose_mg=by_source[source],
        source=source,
        citation=kb.source(table.source).citation(),
        by_source=by_source,
        sources_disagree=disagree,
        warnings=warnings,
        basis=basis,
    )
