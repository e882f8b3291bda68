"""Occupancy targets: the therapeutic SERT occupancy, the NET occupancy taken as noradrenergic
engagement, and the daily dose that reaches a SERT target.

About 80% SERT occupancy, as measured by [11C]DASB PET, is reached at the minimum therapeutic doses
of five SSRIs (Meyer et al. 2004); the model's pharmacological occupancy is put on the PET scale by
the PET Emax (:func:`allostasis.receptor.pet_observed_occupancy`). The dose for a target is found by
Brent's method on the steady-state mean occupancy (:func:`allostasis.receptor.steady_state_occupancy`)
in log dose.

References
----------
1. Meyer JH, Wilson AA, Sagrati S, et al. (2004). Serotonin transporter occupancy of five selective
   serotonin reuptake inhibitors at different doses: an [11C]DASB PET study. Am J Psychiatry
   161(5):826-835. doi:10.1176/appi.ajp.161.5.826
2. Sekine M, Arakawa R, Ito H, et al. (2010). Norepinephrine transporter occupancy by
   antidepressant in human brain using PET with (S,S)-[18F]FMeNER-D2. Psychopharmacology (Berl)
   210(3):331-336. PMID 20309528
"""

from __future__ import annotations

import math
from typing import Final

from scipy.optimize import brentq

from allostasis.clinical._dosing_interval import dosing_interval
from allostasis.errors import InvalidValueError
from allostasis.knowledge import KnowledgeBase, load_knowledge_base
from allostasis.receptor import PET_EMAX, steady_state_occupancy

__all__ = ["MEANINGFUL_NET_OCCUPANCY", "THERAPEUTIC_SERT_OCCUPANCY", "dose_for_sert_occupancy"]

#: Therapeutic SERT occupancy on the PET scale: about 80% at the minimum therapeutic doses of five
#: SSRIs (Meyer et al. 2004, Am J Psychiatry 161:826, doi:10.1176/appi.ajp.161.5.826).
THERAPEUTIC_SERT_OCCUPANCY: Final[float] = 0.80

#: Pharmacological NET occupancy taken as "meaningful" noradrenergic engagement: 0.25. MODELLING
#: ASSUMPTION informed by PET: nortriptyline, a clinically noradrenergic antidepressant, occupies
#: 33% of NET at 25 mg and 41% at 75 mg (Sekine et al. 2010, Psychopharmacology 210:331).
MEANINGFUL_NET_OCCUPANCY: Final[float] = 0.25


def dose_for_sert_occupancy(
    drug: str,
    target: float = THERAPEUTIC_SERT_OCCUPANCY,
    *,
    pet_scale: bool = True,
    kb: KnowledgeBase | None = None,
) -> float | None:
    """Daily dose (mg) whose steady-state mean SERT occupancy equals ``target`` (None if > 10x max dose).

    .. math:: \\bar\\theta_{SERT}(D^*) \\cdot E_{max,PET} = \\text{target} \\quad (\\text{Brent's method in } \\log D)

    Examples
    --------
    >>> round(dose_for_sert_occupancy("escitalopram", 0.8))
    10
    >>> dose_for_sert_occupancy("escitalopram", 0.95)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: target: on the PET scale occupancy cannot exceed PET Emax 0.86; got 0.95
    """
    kb = kb or load_knowledge_base()
    d = kb[drug]
    if not 0 < target < 1:
        raise InvalidValueError(f"target: a fraction in (0, 1); got {target!r}")
    emax = PET_EMAX["SERT"] if pet_scale else 1.0
    if target >= emax:
        raise InvalidValueError(
            f"target: on the PET scale occupancy cannot exceed PET Emax {emax:g}; got {target!r}"
        )
    tau, n = dosing_interval(d)
    hi_mg = 10.0 * (d.dosing[0].max_daily_dose.to("mg") if d.dosing else 1000.0)

    def gap(log_d: float) -> float:
        mg = math.exp(log_d)
        ss = steady_state_occupancy(
            d, f"{mg / n} mg", f"{tau} h", targets="SERT", step="1 h", kb=kb
        )
        return ss.targets["SERT"].mean * emax - target

    lo = math.log(hi_mg / 1e5)
    if gap(math.log(hi_mg)) < 0:
        return None
    return float(math.exp(brentq(gap, lo, math.log(hi_mg), xtol=1e-4)))
