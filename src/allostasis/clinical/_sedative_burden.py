"""Sedative burden of a medication list: the sedative classes present, the AGS Beers 2023 count of
CNS-active drugs, and the respiratory model's predicted nadir of ventilation.

.. math::

    n_{\\text{classes}} = |\\{\\text{opioid, benzodiazepine, Z-drug, gabapentinoid present}\\}|
    + [\\text{alcohol} > 0]

The AGS Beers Criteria 2023 advise avoiding 3 or more CNS-active drugs (opioids, benzodiazepines,
Z-drugs, antiepileptics -- gabapentinoids here -- and antidepressants) at age >= 65 (falls,
fractures). The ventilation prediction is :func:`allostasis.engine.simulate_breathing` run on one
administration of every sedative order together, a MODEL PREDICTION for a typical patient.

This is the list-level burden the co-prescription assessment reports
(:func:`allostasis.clinical.assess_risk`); the engine's own ``SedativeBurden``
(:func:`allostasis.engine.sedative_burden`) is the load on breathing at a clamped PaCO2.

References
----------
1. American Geriatrics Society Beers Criteria Update Expert Panel (2023). American Geriatrics
   Society 2023 updated AGS Beers Criteria for potentially inappropriate medication use in older
   adults. J Am Geriatr Soc 71(7):2052-2081. doi:10.1111/jgs.18372
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from allostasis.clinical._medication_list import SEDATIVE_CLASSES, MedicationEntry
from allostasis.clinical._naloxone import OLDER_ADULT_AGE_YEARS
from allostasis.clinical._sig import Order
from allostasis.engine import simulate_breathing
from allostasis.errors import AllostasisError

__all__ = [
    "BEERS_CNS_ACTIVE",
    "BEERS_CNS_ACTIVE_LIMIT",
    "SedativeBurden",
    "assess_sedative_burden",
    "predicted_ventilation",
    "sedative_drugs_by_class",
]

#: AGS Beers 2023 CNS-active classes (opioids, benzodiazepines, Z-drugs, antiepileptics -
#: gabapentinoids here - and antidepressants); >= 3 such drugs should be avoided at >= 65 years.
BEERS_CNS_ACTIVE = ("opioid", "benzodiazepine", "z-drug", "gabapentinoid", "ssri", "snri")
BEERS_CNS_ACTIVE_LIMIT = 3


class SedativeBurden(BaseModel):
    """Which sedative classes are present, how many orders each, and the CNS-active count."""

    model_config = ConfigDict(frozen=True)

    classes: dict[str, int]
    """Orders per sedative class present (opioid, benzodiazepine, z-drug, gabapentinoid)."""
    drugs_by_class: dict[str, list[str]]
    alcohol_drinks_per_day: float | None
    n_sedative_classes: int
    """Sedative classes present, alcohol counted as one when > 0 drinks/day."""
    n_cns_active_drugs: int
    """Distinct AGS Beers 2023 CNS-active drugs (opioids, benzodiazepines, Z-drugs, antiepileptics
    (gabapentinoids), antidepressants)."""
    beers_cns_active_limit_reached: bool
    """3 or more CNS-active drugs in a patient aged >= 65 (AGS Beers 2023: avoid)."""
    predicted_ventilation: float | None = None
    """Model-predicted nadir of minute ventilation (fraction of the drug-free baseline) after one
    administration of every sedative order together (:func:`allostasis.engine.simulate_breathing`);
    ``None`` when the list has no sedative the model covers, or has one it cannot give as one dose
    (a fentanyl patch: leaving it out would understate the risk); the basis says why."""
    basis: list[str]


def sedative_drugs_by_class(entries: list[MedicationEntry]) -> dict[str, list[str]]:
    """Distinct sedative drugs per sedative class, in the order first listed."""
    by_class: dict[str, list[str]] = {}
    for e in entries:
        if e.sedative:
            by_class.setdefault(e.drug_class, [])
            if e.drug not in by_class[e.drug_class]:
                by_class[e.drug_class].append(e.drug)
    return by_class


def predicted_ventilation(
    pairs: list[tuple[MedicationEntry, Order]], age_years: float | None, abstinent_days: int | None
) -> tuple[float | None, str]:
    """Nadir ventilation (fraction of baseline) from the respiratory model, and how it was got.

    Opioid tolerance: ``chronic`` for a listed opioid (a prescription is taken as regular use),
    ``lost:<N>d`` after recent abstinence; a model prediction for a typical patient, not this one.
    """
    covered = [
        (e, o)
        for e, o in pairs
        if e.drug_class in ("opioid", "benzodiazepine", "z-drug", "gabapentinoid")
    ]
    # an order the model cannot take as one dose (a patch, in mcg/h) would be left out, and a
    # prediction without it would understate the depression: withhold the number instead
    left_out = [
        f"{e.drug} {o.max_daily_dose:g} {o.daily_dose_unit}"
        for e, o in covered
        if o.dose_unit != "mg"
    ]
    if left_out:
        return None, (
            f"predicted_ventilation: not computed -- {', '.join(left_out)} cannot be given to the "
            "respiratory model as one dose (a worn patch is a continuous delivery), and a prediction "
            "without it would understate the risk"
        )
    meds = [(e.drug, f"{o.dose_high:g} mg", o.route) for e, o in covered]
    if not meds:
        return None, "predicted_ventilation: no sedative order the respiratory model covers"
    tolerance = f"lost:{abstinent_days}d" if abstinent_days else "chronic"
    try:
        res = simulate_breathing(meds, age_years=age_years, tolerance=tolerance, duration="8 h")
    except AllostasisError as exc:
        return None, f"predicted_ventilation: not computed ({exc})"
    doses = ", ".join(f"{d} {m} {r}" for d, m, r in meds)
    return round(float(res.nadir_ventilation), 4), (
        f"predicted_ventilation: nadir {res.nadir_ventilation:.2f} of baseline after one dose each of "
        f"{doses} taken together (opioid tolerance {tolerance}; allostasis respiratory model, MODEL "
        "PREDICTION for a typical patient)"
    )


def assess_sedative_burden(
    entries: list[MedicationEntry],
    orders: list[tuple[MedicationEntry, Order]],
    *,
    alcohol_drinks_per_day: float | None,
    age_years: float | None,
    abstinent_days: int | None,
) -> SedativeBurden:
    """Sedative classes, CNS-active drugs (AGS Beers 2023) and predicted ventilation of a list.

    ``orders`` are the entries the sig parser read as orders (rescue naloxone has none); alcohol
    counts as one sedative class when above 0 drinks/day.
    """
    drinks = alcohol_drinks_per_day
    by_class = sedative_drugs_by_class(entries)
    counts = {
        c: sum(1 for e in entries if e.drug_class == c) for c in SEDATIVE_CLASSES if c in by_class
    }
    ventilation, ventilation_basis = predicted_ventilation(
        [(e, o) for e, o in orders if e.sedative], age_years, abstinent_days
    )
    cns_active = sorted({e.drug for e in entries if e.drug_class in BEERS_CNS_ACTIVE})
    older = age_years is not None and age_years >= OLDER_ADULT_AGE_YEARS
    return SedativeBurden(
        classes=counts,
        drugs_by_class=by_class,
        alcohol_drinks_per_day=drinks,
        n_sedative_classes=len(by_class) + (1 if drinks else 0),
        n_cns_active_drugs=len(cns_active),
        beers_cns_active_limit_reached=older and len(cns_active) >= BEERS_CNS_ACTIVE_LIMIT,
        basis=[
            "sedative classes: "
            + (
                ", ".join(f"{c} x{n} ({', '.join(by_class[c])})" for c, n in counts.items())
                or "none"
            )
            + (f"; alcohol {drinks:g} drinks/day" if drinks else ""),
            f"CNS-active drugs (AGS Beers 2023 classes): {', '.join(cns_active) or 'none'} "
            f"({len(cns_active)}; avoid >= {BEERS_CNS_ACTIVE_LIMIT} at age >= "
            f"{OLDER_ADULT_AGE_YEARS:g}) [ags-beers-2023]",
            ventilation_basis,
        ],
        predicted_ventilation=ventilation,
    )
