"""Interaction flags: each pair of sedative classes listed together, with its mechanism, warnings
and the published estimate that best matches the patient.

The pairs checked are opioid + benzodiazepine, opioid + gabapentinoid, opioid + Z-drug,
benzodiazepine + Z-drug and benzodiazepine + gabapentinoid, and alcohol with each sedative class
present when alcohol is reported. For opioid + gabapentin the estimate shown is the one for the
patient's Gomes et al. 2017 dose band (low < 900, moderate 900-1799, high >= 1800 mg/day) where one
is stored; for pregabalin the Gomes et al. 2018 any-use estimate. Estimates are associations from
observational data, reported, never combined (:mod:`allostasis.clinical._interaction_estimates`).

References
----------
1. Gomes T et al. (2017). PLoS Med 14(10):e1002396. doi:10.1371/journal.pmed.1002396
2. Gomes T et al. (2018). Ann Intern Med 169(10):732-734. doi:10.7326/M18-1136
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from allostasis.clinical._interaction_estimates import (
    GABAPENTIN_DOSE_BANDS_MG_PER_DAY,
    InteractionSpec,
    RiskEstimate,
    interaction_for,
)
from allostasis.clinical._medication_list import SEDATIVE_CLASSES, MedicationEntry

__all__ = ["SEDATIVE_PAIRS", "InteractionFlag", "flag_interactions", "gabapentin_band"]

#: Pairs of sedative classes flagged when both are listed, in the order reported.
SEDATIVE_PAIRS = (
    ("opioid", "benzodiazepine"),
    ("opioid", "gabapentinoid"),
    ("opioid", "z-drug"),
    ("benzodiazepine", "z-drug"),
    ("benzodiazepine", "gabapentinoid"),
)


class InteractionFlag(BaseModel):
    """A pair of sedative classes present together: mechanism, estimates, warnings and sources."""

    model_config = ConfigDict(frozen=True)

    interaction: str
    title: str
    drugs: list[str]
    mechanism: str
    primary_estimate: RiskEstimate | None
    """The estimate that best matches this patient (e.g. the gabapentin dose band); ``None`` where no
    published estimate is stored for the pair."""
    estimates: list[RiskEstimate]
    warnings: list[str]
    sources: list[str]
    basis: list[str]


def gabapentin_band(mg_per_day: float) -> str:
    """The Gomes et al. 2017 gabapentin dose band of a daily dose.

    Examples
    --------
    >>> gabapentin_band(600), gabapentin_band(900), gabapentin_band(3600)
    ('low', 'moderate', 'high')
    """
    for name, lo, hi in GABAPENTIN_DOSE_BANDS_MG_PER_DAY:
        if lo <= mg_per_day < hi:
            return name
    raise AssertionError("dose bands cover [0, inf)")


def _gabapentinoid_estimate(
    spec: InteractionSpec, entries: list[MedicationEntry]
) -> tuple[RiskEstimate | None, str]:
    """Opioid + gabapentinoid: the estimate for the patient's gabapentin dose band (or pregabalin),
    and the basis line that says which was chosen and why."""
    gaba = [e for e in entries if e.drug == "gabapentin"]
    if not gaba:
        primary = next(e for e in spec.estimates if e.source == "gomes-2018-pregabalin-opioid")
        return primary, "pregabalin: Gomes 2018 any-use estimate shown"
    total = sum(e.daily_dose or 0.0 for e in gaba)
    band = gabapentin_band(total)
    match = [
        est
        for est in spec.estimates
        if est.source == "gomes-2017-gabapentin-opioid" and est.exposure.startswith(band)
    ]
    if match:
        return match[0], (
            f"gabapentin {total:g} mg/day is in the Gomes 2017 {band}-dose band; its estimate is "
            "shown"
        )
    return spec.estimates[0] if spec.estimates else None, (
        f"gabapentin {total:g} mg/day is in the Gomes 2017 {band}-dose band (< 900 "
        "mg/day), for which no band estimate is stored; the any-use estimate is shown"
    )


def _flag(
    a: str,
    b: str,
    drugs: dict[str, list[str]],
    entries: list[MedicationEntry],
    alcohol: float | None,
) -> InteractionFlag:
    """The flag for classes ``a`` and ``b`` listed together (``drugs``: sedative drugs by class)."""
    spec = interaction_for(a, b)
    involved: list[str] = []
    for cls in spec.pair:
        involved += ["alcohol"] if cls == "alcohol" else drugs[cls]
    primary: RiskEstimate | None = spec.estimates[0] if spec.estimates else None
    basis = [f"{spec.title}: {', '.join(involved)} listed together"]
    if spec.key == "opioid+gabapentinoid":
        primary, chosen = _gabapentinoid_estimate(spec, entries)
        basis.append(chosen)
    if "alcohol" in spec.pair and alcohol is not None:
        basis.append(f"alcohol {alcohol:g} drinks/day (as reported)")
    if primary is not None:
        basis.append(f"estimate: {primary.describe()}")
    else:
        basis.append(f"no published effect estimate stored for {spec.title}; warnings only")
    sources = sorted(
        {s for _, s in spec.warnings}
        | {e.source for e in spec.estimates}
        | set(spec.mechanism_sources)
    )
    return InteractionFlag(
        interaction=spec.key,
        title=spec.title,
        drugs=involved,
        mechanism=spec.mechanism,
        primary_estimate=primary,
        estimates=list(spec.estimates),
        warnings=[f"{text} [{src}]" for text, src in spec.warnings],
        sources=sources,
        basis=basis,
    )


def flag_interactions(
    drugs_by_class: dict[str, list[str]],
    entries: list[MedicationEntry],
    alcohol_drinks_per_day: float | None,
) -> list[InteractionFlag]:
    """Flags for every sedative pair listed together, then alcohol with each class present.

    ``drugs_by_class`` is :attr:`SedativeBurden.drugs_by_class`; alcohol pairs are flagged only when
    more than 0 drinks/day are reported.
    """
    by_class, drinks = drugs_by_class, alcohol_drinks_per_day
    flags = [
        _flag(a, b, by_class, entries, drinks)
        for a, b in SEDATIVE_PAIRS
        if a in by_class and b in by_class
    ]
    if drinks:
        flags += [
            _flag("alcohol", c, by_class, entries, drinks)
            for c in SEDATIVE_CLASSES
            if c in by_class
        ]
    return flags
