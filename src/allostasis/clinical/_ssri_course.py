"""A start-low SSRI/SNRI (or buspirone) titration simulated through PK, SERT and the raphe loop.

.. math::

    \\text{early activation}(t) = \\max(0, 1 - F(t)), \\qquad
    \\text{benefit}(t) = B(t) / (P_{final} - 1)

with :math:`F` the raphe firing rate (fraction of baseline), :math:`B` the slow plasticity (BDNF)
variable and :math:`P_{final}` the postsynaptic 5-HT signal at the end of the course
(:func:`allostasis.physiology.simulate_raphe`). A written titration ("25 mg for 1 week, then
50 mg", :func:`allostasis.clinical.parse_titration`) becomes a stepped regimen split by the
labelled dosing interval; the daily rows give the expected time course of the early autoreceptor
brake and of benefit.

The mappings "early autoreceptor brake -> early activation (jitteriness)" and "plasticity variable
-> benefit" are HYPOTHESES taken from seed text 002 and are labelled as such in every result.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from allostasis.clinical._dosing_interval import dosing_interval
from allostasis.clinical._titration import TitrationStep, parse_titration
from allostasis.errors import InvalidValueError
from allostasis.knowledge import Drug, KnowledgeBase, load_knowledge_base
from allostasis.physiology import simulate_raphe
from allostasis.regimen import DosingRecords, taper

__all__ = [
    "HYPOTHESIS_BENEFIT",
    "HYPOTHESIS_EARLY_ACTIVATION",
    "SSRICourse",
    "ssri_course",
    "titration_regimen",
]

#: Label carried by every result that reads early activation from the raphe firing.
HYPOTHESIS_EARLY_ACTIVATION = (
    "HYPOTHESIS: early activation ('jitteriness') tracks the early autoreceptor brake "
    "(1 - raphe firing) (seed text 002)"
)
#: Label carried by every result that reads benefit from the plasticity variable.
HYPOTHESIS_BENEFIT = (
    "HYPOTHESIS: benefit tracks the slow plasticity (BDNF) variable, expressed as the fraction of "
    "its eventual value (neuroplasticity hypothesis, seed text 002)"
)

#: Columns of the daily time course, in order.
_DAILY_COLUMNS = [
    "day",
    "sert_occupancy",
    "agonist_occupancy",
    "firing",
    "postsynaptic",
    "early_activation",
    "expected_benefit",
]


def titration_regimen(d: Drug, steps: list[TitrationStep], horizon_h: float) -> DosingRecords:
    """The titration steps as a stepped regimen over ``horizon_h`` hours.

    Each step's daily dose is split by the labelled dosing interval
    (:func:`allostasis.clinical._dosing_interval.dosing_interval`); an open-ended last step runs
    to the horizon, and steps past the horizon are dropped or cut short.
    """
    tau, n = dosing_interval(d)
    pieces = []
    t = 0.0
    for s in steps:
        length = horizon_h - t if s.duration_h is None else s.duration_h
        if length <= 0:
            break
        pieces.append((f"{s.daily_dose_mg / n} mg", f"{min(length, horizon_h - t)} h"))
        t += length
        if t >= horizon_h:
            break
    return taper(pieces, interval=f"{tau} h")


@dataclass(frozen=True)
class SSRICourse:
    """Simulated course of an SSRI/SNRI (or buspirone) titration through the raphe loop."""

    drug: str
    steps: list[TitrationStep]
    weeks: float
    early_dip: float
    nadir_day: float
    firing_recovery_day: float | None
    benefit_half_day: float | None
    postsynaptic_final: float
    timecourse: pd.DataFrame = field(repr=False)
    """Daily rows: day, sert_occupancy, firing, postsynaptic, early_activation, expected_benefit."""
    labels: list[str] = field(default_factory=list)
    basis: list[str] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (time course as daily lists)."""
        return {
            "drug": self.drug,
            "steps": [
                {"daily_dose_mg": s.daily_dose_mg, "duration_h": s.duration_h} for s in self.steps
            ],
            "weeks": self.weeks,
            "early_dip": self.early_dip,
            "nadir_day": self.nadir_day,
            "firing_recovery_day": self.firing_recovery_day,
            "benefit_half_day": self.benefit_half_day,
            "postsynaptic_final": self.postsynaptic_final,
            "timecourse_daily": {c: self.timecourse[c].round(6).tolist() for c in self.timecourse},
            "labels": list(self.labels),
            "basis": list(self.basis),
        }


def _daily_course(raphe: pd.DataFrame, postsynaptic_final: float) -> pd.DataFrame:
    """Whole-day rows of the raphe simulation with early activation and expected benefit added.

    Benefit is the plasticity variable as a fraction of its eventual value
    (``postsynaptic_final - 1``), never below 0; 0 throughout when the signal does not rise.
    """
    daily = raphe[np.isclose(raphe["day"] % 1.0, 0.0, atol=1e-9)].copy()
    target = postsynaptic_final - 1.0
    daily["early_activation"] = np.maximum(1.0 - daily["firing"], 0.0)
    daily["expected_benefit"] = (
        np.clip(daily["plasticity"] / target, 0.0, None) if target > 0 else 0.0
    )
    return daily[_DAILY_COLUMNS].reset_index(drop=True)


def _titration_line(steps: list[TitrationStep]) -> str:
    """One basis line: each step's daily dose and how long it is held."""
    return "titration: " + "; ".join(
        f"{st.daily_dose_mg:g} mg/day for "
        + ("the rest" if st.duration_h is None else f"{st.duration_h / 24:g} days")
        for st in steps
    )


def ssri_course(
    drug: str,
    titrate: str | list[TitrationStep],
    weeks: float = 8.0,
    *,
    kb: KnowledgeBase | None = None,
) -> SSRICourse:
    """Simulate a titration ("25 mg for 1 week, then 50 mg") through PK, SERT and the raphe loop.

    .. math::

        \\text{early activation}(t) = \\max(0, 1 - F(t)), \\qquad
        \\text{benefit}(t) = B(t) / (P_{final} - 1)

    Parameters
    ----------
    drug : str
        SSRI, SNRI or buspirone.
    titrate : str or list of TitrationStep
        See :func:`allostasis.clinical.parse_titration`.
    weeks : float
        Weeks simulated from the first dose, in (0, 52].

    Returns
    -------
    SSRICourse

    Raises
    ------
    InvalidValueError, UnitError, UnknownDrugError

    Examples
    --------
    >>> c = ssri_course("sertraline", "25 mg for 1 week, then 50 mg", weeks=8)
    >>> round(c.early_dip, 2), round(c.benefit_half_day)
    (0.41, 24)
    """
    kb = kb or load_knowledge_base()
    d = kb[drug]
    if not (isinstance(weeks, (int, float)) and 0 < weeks <= 52):
        raise InvalidValueError(f"weeks: must be a number in (0, 52]; got {weeks!r}")
    steps = parse_titration(titrate) if isinstance(titrate, str) else list(titrate)
    horizon = weeks * 7 * 24.0
    res = simulate_raphe(d.name, titration_regimen(d, steps, horizon), f"{horizon} h", kb=kb)
    s = res.summary()
    labels = [HYPOTHESIS_EARLY_ACTIVATION, HYPOTHESIS_BENEFIT]
    if d.drug_class == "azapirone":
        labels.append(
            f"{d.name}: plasma-unbound 5-HT1A occupancy from the knowledge-base PK peaks at "
            f"{float(res.agonist_occupancy.max()):.3f}; the model predicts little raphe effect at "
            "this exposure (oral F 4%, IC50-based affinity, 1-PP not counted)"
        )
    return SSRICourse(
        drug=d.name,
        steps=steps,
        weeks=float(weeks),
        early_dip=s.early_dip,
        nadir_day=s.nadir_day,
        firing_recovery_day=s.firing_recovery_day,
        benefit_half_day=s.benefit_half_day,
        postsynaptic_final=s.postsynaptic_final,
        timecourse=_daily_course(res.to_dataframe(), s.postsynaptic_final),
        labels=labels,
        basis=[
            _titration_line(steps),
            *labels,
            *s.basis,
            *res.basis[: len(res.basis) - len(s.basis)],
        ],
    )
