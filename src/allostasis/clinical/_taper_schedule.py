"""A taper plan as data: dated steps, each with what to take at each time of day.

:class:`TaperPlan` is what :func:`~allostasis.clinical.plan_taper` returns and what the handouts,
the CLI and the symptom-guided re-planning read. ``to_dataframe()`` gives one row per step and dose
time (tidy, for CSV); ``model_dump(mode="json")`` the whole plan with its basis.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict

from allostasis.clinical._benzodiazepine_use import BenzodiazepineUse
from allostasis.clinical._dispensing import DispensedItem
from allostasis.clinical._equivalence import EquivalentDose
from allostasis.clinical._taper_guideline import TaperPace

__all__ = ["Phase", "ScheduledDose", "TaperOverride", "TaperPlan", "TaperStep"]

#: current: what the patient takes now; switch: one dose time moved to the long-acting drug;
#: reduction: a dose step; stop: the last step, to zero; hold/slow/return: symptom-guided changes.
Phase = Literal["switch", "reduction", "stop", "hold", "slow", "return"]


class ScheduledDose(BaseModel):
    """What to take at one time of day."""

    model_config = ConfigDict(frozen=True)

    time: str
    drug: str
    mg: float
    description: str
    liquid: bool
    items: list[DispensedItem]


class TaperStep(BaseModel):
    """One period of the plan, from ``start`` until the next step."""

    model_config = ConfigDict(frozen=True)

    index: int
    phase: Phase
    start: dt.date
    doses: list[ScheduledDose]
    daily_mg: dict[str, float]
    diazepam_equivalent_mg: float
    target_mg: float | None
    """Daily dose the step aimed at before rounding to what can be dispensed (None for switch steps)."""
    reduction: float
    """Fall of the daily dose from the previous step, as a fraction (in diazepam equivalents for a switch)."""
    rounding_error: float
    """(dispensed - target) / target for the daily dose; 0 when there was nothing to round."""
    note: str


class TaperOverride(BaseModel):
    """An explicit, recorded decision to go beyond the guideline's limits."""

    model_config = ConfigDict(frozen=True)

    reason: str
    rules: list[str]


class TaperPlan(BaseModel):
    """A dated, dispensable taper with its warnings and basis (decision support, not a prescription)."""

    model_config = ConfigDict(frozen=True)

    current: list[BenzodiazepineUse]
    current_diazepam_equivalent_mg: float
    patient: dict[str, str | float | bool | None]
    tapered_drug: str
    switch: EquivalentDose | None
    reduction_kind: Literal["proportional", "linear"]
    pace: TaperPace
    final_dose_mg: float
    """The daily dose from which the drug is stopped (or the maintenance dose if ``end_dose_mg`` > 0)."""
    end_dose_mg: float
    steps: list[TaperStep]
    completed: bool
    """True when the plan reaches zero (or the chosen maintenance dose)."""
    end_date: dt.date
    override: TaperOverride | None
    warnings: list[str]
    basis: list[str]
    labels: list[str]

    def to_dataframe(self) -> pd.DataFrame:
        """One row per step and dose time: dates, drug, mg and what to take.

        Columns: step, phase, start, end (the day before the next step; empty for the last),
        time, drug, mg, take, daily_mg (all drugs), diazepam_equivalent_mg, reduction, note.
        """
        rows = []
        for i, s in enumerate(self.steps):
            end = (
                self.steps[i + 1].start - dt.timedelta(days=1) if i + 1 < len(self.steps) else None
            )
            doses: list[ScheduledDose | None] = list(s.doses) or [None]
            for d in doses:
                rows.append(
                    {
                        "step": s.index,
                        "phase": s.phase,
                        "start": s.start.isoformat(),
                        "end": end.isoformat() if end else "",
                        "time": d.time if d else "",
                        "drug": d.drug if d else "",
                        "mg": d.mg if d else 0.0,
                        "take": d.description if d else "none (stopped)",
                        "daily_mg": round(sum(s.daily_mg.values()), 6),
                        "diazepam_equivalent_mg": round(s.diazepam_equivalent_mg, 4),
                        "reduction": round(s.reduction, 4),
                        "note": s.note,
                    }
                )
        return pd.DataFrame(rows)

    def daily_dose(self, on: dt.date) -> dict[str, float]:
        """Daily mg per drug in force on a date (the current regimen before the first step)."""
        active = [s for s in self.steps if s.start <= on]
        if not active:
            out: dict[str, float] = {}
            for u in self.current:
                out[u.drug] = out.get(u.drug, 0.0) + u.daily_mg
            return out
        return dict(active[-1].daily_mg)
