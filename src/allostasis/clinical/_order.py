"""The parsed order: what a sig says, in canonical units, and the maximum daily dose it implies.

The maximum daily dose counts PRN orders at their maximum: the most units per dose at the shortest
interval (capped by a written daily maximum),

.. math:: D_{max} = s \\cdot u_{max} \\cdot \\frac{24\\,\\mathrm{h}}{\\tau_{min}}

with strength per unit :math:`s`, units per dose :math:`u` and dosing interval :math:`\\tau`; with
only a quantity :math:`Q` and days' supply :math:`T`, :math:`D = s \\cdot Q / T`. A patch's dose is
its delivery rate (mcg/h) times the patches worn at one time (Dowell D et al. 2022, CDC Clinical
Practice Guideline for Prescribing Opioids for Pain, MMWR Recomm Rep 71(3):1-95,
doi:10.15585/mmwr.rr7103a1: the daily dose is the one the order allows).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

__all__ = ["PATCH_WEAR_H", "DoseForm", "Order"]

#: Hours one transdermal fentanyl patch is worn (Duragesic label: each patch is applied for 72 h).
#: Used only when a patch order gives quantity and days' supply but no interval.
PATCH_WEAR_H = 72.0

#: What one unit of the order is: a tablet, capsule, patch, mL of liquid, film, spray, lozenge, or
#: ``"dose"`` for a bare amount per administration (``"10 mg BID"``).
DoseForm = Literal["tablet", "capsule", "patch", "mL", "film", "spray", "lozenge", "dose"]


class Order(BaseModel):
    """A parsed opioid order: what it says, in canonical units, and the maximum daily dose it implies.

    Amounts are in mg (``dose_unit == "mg"``) or, for patches, in mcg/h per application
    (``dose_unit == "mcg/h"``). ``per_day_min``/``per_day_max`` are administrations per day (a
    range for ``q4-6h``; 1/3 for ``q72h``); they are ``None`` when only quantity/days' supply is given.

    Examples
    --------
    >>> from allostasis.clinical import parse_sig
    >>> o = parse_sig("oxycodone 5 mg 1-2 tabs PO q4h PRN pain max 6 tabs/day")
    >>> o.units_per_dose_high * o.per_day_max, o.max_units_per_day, o.max_daily_dose
    (12.0, 6.0, 30.0)
    """

    model_config = ConfigDict(frozen=True)

    text: str
    drug: str
    co_ingredients: dict[str, float]
    """Non-opioid ingredients per unit (mg), e.g. ``{"acetaminophen": 325.0}``."""
    strength: float | None
    """Opioid strength per unit in ``strength_unit``; ``None`` for a bare dose (``"10 mg BID"``)."""
    strength_unit: str | None
    dose_form: DoseForm
    units_per_dose_low: float
    units_per_dose_high: float
    dose_unit: Literal["mg", "mcg/h"]
    dose_low: float
    """Opioid amount per administration (mg), or delivery rate per application (mcg/h)."""
    dose_high: float
    route: str
    route_stated: bool
    frequency: str | None
    per_day_min: float | None
    per_day_max: float | None
    prn: bool
    prn_reason: str | None
    quantity: float | None
    days_supply: float | None
    max_units_per_day_stated: float | None
    extended_release: bool
    notes: list[str]

    @property
    def max_units_per_day(self) -> float:
        """Most units (tablets, patches, mL, doses) per day: PRN orders at their maximum."""
        if self.per_day_max is None:
            assert self.quantity is not None
            assert self.days_supply is not None
            return self.quantity / self.days_supply
        most = self.units_per_dose_high * self.per_day_max
        if self.max_units_per_day_stated is not None:
            most = min(most, self.max_units_per_day_stated)
        return most

    @property
    def max_daily_dose(self) -> float:
        """Maximum opioid dose per day in :attr:`daily_dose_unit` (mg/day; mcg/h for patches)."""
        per_unit = self.dose_high / self.units_per_dose_high
        if self.dose_unit == "mcg/h":
            return per_unit * self.patches_worn
        return per_unit * self.max_units_per_day

    @property
    def daily_dose_unit(self) -> str:
        """``"mg/day"``, or ``"mcg/h"`` for a patch (its delivery rate)."""
        return "mcg/h" if self.dose_unit == "mcg/h" else "mg/day"

    @property
    def patches_worn(self) -> float:
        """Patches worn at one time (each patch replaced when the next is applied)."""
        if self.per_day_max is not None:
            return self.units_per_dose_high
        return self.max_units_per_day * PATCH_WEAR_H / 24.0
