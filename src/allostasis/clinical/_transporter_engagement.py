"""Transporter engagement: the steady-state SERT and NET occupancy of a daily dose, and what NET
blockade does to the locus coeruleus.

.. math::

    \\bar\\theta_T = \\frac{1}{\\tau}\\int_0^\\tau \\theta_T\\,dt, \\qquad
    \\theta_{PET} = E_{max,PET}\\,\\bar\\theta_{SERT}

The occupancy is the mean over one dosing interval at steady state
(:func:`allostasis.receptor.steady_state_occupancy`); SERT is also given on the PET scale and
compared with the therapeutic target, NET with the engagement threshold
(:mod:`allostasis.clinical._occupancy_targets`); NET occupancy drives the locus coeruleus model
(:func:`allostasis.physiology.locus_coeruleus_response`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from allostasis.clinical._dosing_interval import dosing_interval
from allostasis.clinical._occupancy_targets import (
    MEANINGFUL_NET_OCCUPANCY,
    THERAPEUTIC_SERT_OCCUPANCY,
)
from allostasis.errors import UnknownDrugError
from allostasis.knowledge import KnowledgeBase, load_knowledge_base
from allostasis.physiology import locus_coeruleus_response
from allostasis.receptor import PET_EMAX, pet_observed_occupancy, steady_state_occupancy
from allostasis.units import magnitude

__all__ = ["TransporterEngagement", "transporter_engagement"]


@dataclass(frozen=True)
class TransporterEngagement:
    """Steady-state SERT/NET occupancy of a daily dose and its noradrenergic consequences."""

    drug: str
    daily_dose_mg: float
    sert_mean: float
    sert_pet: float
    """SERT occupancy as PET would report it (x PET Emax)."""
    net_mean: float | None
    net_engaged: bool
    reaches_sert_threshold: bool
    postsynaptic_noradrenaline: float | None
    activation_index: float | None
    basis: list[str] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def transporter_engagement(
    drug: str, daily_dose: Any, *, kb: KnowledgeBase | None = None
) -> TransporterEngagement:
    """SERT and NET occupancy at steady state for a daily dose, with the LC consequence of NET blockade.

    .. math::

        \\bar\\theta_T = \\frac{1}{\\tau}\\int_0^\\tau \\theta_T\\,dt, \\quad
        \\text{engaged}_{NET} = \\bar\\theta_{NET} \\ge 0.25, \\quad
        \\theta_{PET} = E_{max,PET}\\,\\bar\\theta_{SERT}

    Parameters
    ----------
    drug : str
        A drug with a SERT Ki.
    daily_dose : str or pint.Quantity
        Daily dose ("75 mg" or "75 mg/day"), split by the labelled doses per day.

    Returns
    -------
    TransporterEngagement

    Raises
    ------
    UnitError, InvalidValueError, UnknownDrugError

    Examples
    --------
    >>> e = transporter_engagement("venlafaxine", "75 mg/day")
    >>> round(e.sert_mean, 2), round(e.net_mean, 2), e.net_engaged
    (0.82, 0.22, False)
    >>> transporter_engagement("venlafaxine", "75 kg")
    Traceback (most recent call last):
    ...
    allostasis.errors.UnitError: dose: 75 kg is in kilogram, a body-weight unit; a drug amount is given in g, mg, mcg or ng
    """
    kb = kb or load_knowledge_base()
    d = kb[drug]
    mg = _daily_mg(daily_dose)
    tau, n = dosing_interval(d)
    targets = [t.target for t in d.targets if t.ki is not None and t.target in ("SERT", "NET")]
    if "SERT" not in targets:
        raise UnknownDrugError(f"drug: {d.name} has no SERT affinity in the knowledge base")
    ss = steady_state_occupancy(d, f"{mg / n} mg", f"{tau} h", targets=targets, kb=kb)
    sert = ss.targets["SERT"].mean
    net = ss.targets["NET"].mean if "NET" in ss.targets else None
    lc = locus_coeruleus_response(net) if net is not None else None
    pet = float(pet_observed_occupancy(sert, "SERT"))
    basis = [
        f"SERT PET-scale occupancy = {PET_EMAX['SERT']:g} x pharmacological; therapeutic threshold "
        f"{THERAPEUTIC_SERT_OCCUPANCY:g} (Meyer 2004 Am J Psychiatry 161:826)",
        f"NET engaged when mean occupancy >= {MEANINGFUL_NET_OCCUPANCY:g} (MODELLING ASSUMPTION; "
        "nortriptyline 33-41% NET occupancy at 25-75 mg, Sekine 2010)",
        *ss.basis,
        *(lc.basis if lc is not None else []),
    ]
    return TransporterEngagement(
        drug=d.name,
        daily_dose_mg=mg,
        sert_mean=sert,
        sert_pet=pet,
        net_mean=net,
        net_engaged=net is not None and net >= MEANINGFUL_NET_OCCUPANCY,
        reaches_sert_threshold=pet >= THERAPEUTIC_SERT_OCCUPANCY,
        postsynaptic_noradrenaline=None if lc is None else float(lc.postsynaptic_noradrenaline),
        activation_index=None if lc is None else float(lc.activation_index),
        basis=basis,
    )


def _daily_mg(value: Any) -> float:
    """Daily dose in mg from "75 mg", "75 mg/day" or "75 mg daily"."""
    if isinstance(value, str):
        text = value.strip()
        low = text.lower()
        for suffix in ("/day", "/d", " daily", " a day"):
            if low.endswith(suffix):
                text = text[: len(text) - len(suffix)].strip()
                break
        return magnitude(text, field="dose", unit="mg", strictly_positive=True)
    return magnitude(value, field="dose", unit="mg", strictly_positive=True)
