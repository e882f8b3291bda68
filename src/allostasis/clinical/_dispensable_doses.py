"""Every daily dose a pharmacy can dispense for a drug, split over the patient's dose times.

A taper must move between doses a patient can actually take. For one administration the choices are
the solid combinations of :mod:`allostasis.clinical._dispensing` (up to two strengths, halves where
scored, at most ``max_units`` pieces) and, where the drug has an oral liquid, volumes on the measuring
grid (0.1 mL, an oral syringe) up to 5 mL — used where tablets cannot reach a step, as for the small
final doses of a proportional taper (Horowitz & Taylor, Lancet Psychiatry 2019;6:538). A daily dose with
``m`` dose times is a near-equal split: ``m - j`` administrations of one per-dose option and ``j`` of
the next larger one (the larger ones at the last times of day, so the night dose is the largest, as in
the Ashton Manual's schedules). Fewer dose times than the patient's usual are offered too; the planner
prefers keeping them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from allostasis.clinical._dispensing import _LIQUID, _SOLID, DispensedItem, _candidates
from allostasis.errors import UnknownDrugError
from allostasis.knowledge import load_knowledge_base
from allostasis.units import Q_

__all__ = ["MAX_LIQUID_ML", "DailyOption", "PerDoseOption", "daily_options", "per_dose_options"]

#: Largest liquid volume offered per administration (an oral syringe; a package convention).
MAX_LIQUID_ML = 5.0


@dataclass(frozen=True)
class PerDoseOption:
    """One administration: the dose (mg) and what to take."""

    mg: float
    items: tuple[DispensedItem, ...]
    liquid: bool
    pieces: float

    def describe(self) -> str:
        return " + ".join(i.describe() for i in self.items)


@dataclass(frozen=True)
class DailyOption:
    """A daily dose as administrations (one per kept dose time, in time order)."""

    mg: float
    per_dose: tuple[PerDoseOption, ...]

    @property
    def liquid(self) -> bool:
        return any(p.liquid for p in self.per_dose)

    @property
    def times(self) -> int:
        return len(self.per_dose)


@lru_cache(maxsize=64)
def per_dose_options(
    drug: str, max_units: float = 4.0, liquid_resolution_ml: float = 0.1
) -> tuple[PerDoseOption, ...]:
    """Dispensable single doses of ``drug`` (oral), smallest first, the simplest per dose.

    Examples
    --------
    >>> opts = per_dose_options("diazepam")
    >>> [(o.mg, o.liquid) for o in opts][8:12]
    [(0.9, True), (1.0, False), (1.1, True), (1.2, True)]
    >>> [o.describe() for o in opts if o.mg in (1.0, 1.5, 2.5)]
    ['1/2 x 2 mg tablet', '1.5 mL of 1 mg/mL oral solution', '1/2 x 5 mg tablet']
    """
    d = load_knowledge_base()[drug]
    solids = [f for f in d.formulations if f.route == "oral" and f.form in _SOLID]
    liquids = [f for f in d.formulations if f.route == "oral" and f.form in _LIQUID]
    best: dict[float, PerDoseOption] = {}
    # simplest first: no splitting, one strength, fewest pieces (as dispense() ranks ties)
    for mg, items, pieces, _splits in sorted(
        _candidates(solids, max_units), key=lambda c: (c[3], len(c[1]), c[2])
    ):
        key = round(mg, 6)
        if key not in best:
            best[key] = PerDoseOption(key, tuple(items), liquid=False, pieces=pieces)
    if liquids:
        f = liquids[0]
        conc = float(Q_(f.strengths[0], f.unit).to("mg/mL").magnitude)
        k = 1
        while k * liquid_resolution_ml <= MAX_LIQUID_ML + 1e-9:
            vol = round(k * liquid_resolution_ml, 6)
            key = round(vol * conc, 6)
            if key not in best:
                item = DispensedItem(
                    form=f.form,
                    strength=f.strengths[0],
                    unit=f.unit,
                    volume_ml=vol,
                    source=f.source,
                )
                best[key] = PerDoseOption(key, (item,), liquid=True, pieces=0.0)
            k += 1
    if not best:
        raise UnknownDrugError(
            f"drug: {d.name} has no oral tablets, capsules or liquids in the knowledge base"
        )
    return tuple(best[k] for k in sorted(best))


def daily_options(drug: str, times: int) -> list[DailyOption]:
    """All near-equal splits of dispensable single doses over ``times`` administrations a day.

    Examples
    --------
    >>> opts = daily_options("alprazolam", 3)
    >>> sorted({round(o.mg, 3) for o in opts if 2.5 <= o.mg <= 3.0 and not o.liquid})
    [2.5, 2.625, 2.75, 2.875, 3.0]
    >>> sorted({round(o.mg, 3) for o in opts if 2.5 <= o.mg <= 3.0 and o.liquid})
    [2.55, 2.65, 2.675, 2.7, 2.8, 2.9]
    """
    everything = per_dose_options(drug)
    solids = tuple(o for o in everything if not o.liquid)
    out: list[DailyOption] = []
    # tablets alone, then tablets and liquid: neighbours on the solid ladder stay tablets-only
    for k, singles in enumerate((solids, everything)):
        for i, low in enumerate(singles):
            if k == 0 or low.liquid:
                out.append(DailyOption(low.mg * times, (low,) * times))
            if i + 1 < len(singles):
                high = singles[i + 1]
                if k == 1 and not (low.liquid or high.liquid):
                    continue
                for j in range(1, times):
                    out.append(
                        DailyOption(
                            low.mg * (times - j) + high.mg * j, (low,) * (times - j) + (high,) * j
                        )
                    )
    return out
