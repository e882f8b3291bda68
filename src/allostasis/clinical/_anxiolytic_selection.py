"""Anxiolytic dose-selection aid: occupancy, therapeutic threshold, start-low course, class profiles.

For an SSRI or SNRI: daily dose -> steady-state SERT (and NET) occupancy from PK and unbound Ki
(:func:`allostasis.receptor.steady_state_occupancy`); the daily dose reaching a therapeutic SERT
occupancy (about 80% as measured by PET at the minimum therapeutic doses of five SSRIs; Meyer et al.
2004) on the PET scale (:func:`allostasis.receptor.pet_observed_occupancy`); and a start-low
titration simulated through the raphe loop (:func:`allostasis.physiology.simulate_raphe`), giving
the expected time course of the early autoreceptor brake and of benefit. For benzodiazepines the
GABA-A subunit profile at the steady-state unbound concentration; for gabapentinoids the release
and circuit reduction in normal and hyperexcitable states.

**Decision support, not a prescription.** The mappings "early autoreceptor brake -> early activation
(jitteriness)" and "plasticity variable -> benefit" are HYPOTHESES taken from seed text 002 and are
labelled as such in every result.

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
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from allostasis.clinical._titration import TitrationStep, parse_titration
from allostasis.errors import InvalidValueError, UnknownDrugError
from allostasis.exposure import pk_model, time_grid
from allostasis.knowledge import Drug, KnowledgeBase, load_knowledge_base
from allostasis.physiology import (
    gabapentinoid_circuit,
    locus_coeruleus_response,
    simulate_raphe,
)
from allostasis.receptor import (
    PET_EMAX,
    load_gabaa_subunit_data,
    pet_observed_occupancy,
    steady_state_occupancy,
    subunit_profile,
)
from allostasis.regimen import DosingRecords, every, taper
from allostasis.units import Q_, magnitude

__all__ = [
    "MEANINGFUL_NET_OCCUPANCY",
    "THERAPEUTIC_SERT_OCCUPANCY",
    "AnxiolyticSelection",
    "SSRICourse",
    "TransporterEngagement",
    "dose_for_sert_occupancy",
    "select_anxiolytic",
    "ssri_course",
    "transporter_engagement",
]

#: Therapeutic SERT occupancy on the PET scale: about 80% at the minimum therapeutic doses of five
#: SSRIs (Meyer et al. 2004, Am J Psychiatry 161:826, doi:10.1176/appi.ajp.161.5.826).
THERAPEUTIC_SERT_OCCUPANCY: Final[float] = 0.80

#: Pharmacological NET occupancy taken as "meaningful" noradrenergic engagement: 0.25. MODELLING
#: ASSUMPTION informed by PET: nortriptyline, a clinically noradrenergic antidepressant, occupies
#: 33% of NET at 25 mg and 41% at 75 mg (Sekine et al. 2010, Psychopharmacology 210:331).
MEANINGFUL_NET_OCCUPANCY: Final[float] = 0.25

_HYPOTHESIS_EARLY = (
    "HYPOTHESIS: early activation ('jitteriness') tracks the early autoreceptor brake "
    "(1 - raphe firing) (seed text 002)"
)
_HYPOTHESIS_BENEFIT = (
    "HYPOTHESIS: benefit tracks the slow plasticity (BDNF) variable, expressed as the fraction of "
    "its eventual value (neuroplasticity hypothesis, seed text 002)"
)


def _interval_h(d: Drug) -> tuple[float, int]:
    n = d.dosing[0].times_per_day if d.dosing else 1
    return 24.0 / n, n


def _regimen(d: Drug, steps: list[TitrationStep], horizon_h: float) -> DosingRecords:
    tau, n = _interval_h(d)
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
    res = simulate_raphe(d.name, _regimen(d, steps, horizon), f"{horizon} h", kb=kb)
    s = res.summary()
    df = res.to_dataframe()
    daily = df[np.isclose(df["day"] % 1.0, 0.0, atol=1e-9)].copy()
    target = s.postsynaptic_final - 1.0
    daily["early_activation"] = np.maximum(1.0 - daily["firing"], 0.0)
    daily["expected_benefit"] = (
        np.clip(daily["plasticity"] / target, 0.0, None) if target > 0 else 0.0
    )
    tc = daily[
        [
            "day",
            "sert_occupancy",
            "agonist_occupancy",
            "firing",
            "postsynaptic",
            "early_activation",
            "expected_benefit",
        ]
    ].reset_index(drop=True)
    labels = [_HYPOTHESIS_EARLY, _HYPOTHESIS_BENEFIT]
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
        timecourse=tc,
        labels=labels,
        basis=[
            "titration: "
            + "; ".join(
                f"{st.daily_dose_mg:g} mg/day for "
                + ("the rest" if st.duration_h is None else f"{st.duration_h / 24:g} days")
                for st in steps
            ),
            *labels,
            *s.basis,
            *res.basis[: len(res.basis) - len(s.basis)],
        ],
    )


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
    tau, n = _interval_h(d)
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
    tau, n = _interval_h(d)
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


@dataclass(frozen=True)
class AnxiolyticSelection:
    """Dose-selection answer for one drug: class-specific numbers, a suggestion and the basis."""

    drug: str
    drug_class: str
    summary: dict[str, Any]
    labels: list[str] = field(default_factory=list)
    basis: list[str] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "drug": self.drug,
            "drug_class": self.drug_class,
            "summary": self.summary,
            "labels": list(self.labels),
            "basis": list(self.basis),
        }


def _mean_unbound_nm(d: Drug, daily_mg: float, kb: KnowledgeBase) -> float:
    """Steady-state mean unbound plasma concentration of the parent (nM), simulated for 10 days."""
    tau, n = _interval_h(d)
    model = pk_model(d, "oral", kb=kb)
    days = 10
    res = model.simulate(
        every(f"{daily_mg / n} mg", f"{tau} h", duration=f"{days * 24} h"),
        time_grid(f"{days * 24} h", "0.5 h"),
    )
    c = res.concentration(d.name, unit="mg/L")[0]
    last = res.times >= (days - 1) * 24
    fu = 1.0 - (d.pk.protein_binding.to("1") if d.pk.protein_binding is not None else 0.0)
    return float(np.mean(c[last]) * fu / d.molecular_weight.to("g/mol") * 1e6)


def select_anxiolytic(
    drug: str,
    *,
    target_occupancy: float = THERAPEUTIC_SERT_OCCUPANCY,
    weeks: float = 8.0,
    kb: KnowledgeBase | None = None,
) -> AnxiolyticSelection:
    """Class-aware dose-selection aid for an anxiolytic.

    SSRI/SNRI: occupancy at the labelled strengths, the dose reaching ``target_occupancy`` (PET
    scale), and a start-low course (half the target dose for a week) against starting at target.
    Benzodiazepine: GABA-A subunit profile at the steady-state unbound concentration of the usual
    dose. Gabapentinoid: release and circuit reduction at the lowest and highest usual doses.

    Examples
    --------
    >>> s = select_anxiolytic("escitalopram")
    >>> s.summary["dose_for_target_mg"] <= 10
    True
    >>> select_anxiolytic("naloxone")
    Traceback (most recent call last):
    ...
    allostasis.errors.UnknownDrugError: drug: naloxone (opioid-antagonist) is not an anxiolytic class handled here (ssri, snri, azapirone, benzodiazepine, gabapentinoid)
    """
    kb = kb or load_knowledge_base()
    d = kb[drug]
    cls = str(d.drug_class)
    if cls in ("ssri", "snri"):
        return _select_reuptake(d, target_occupancy, weeks, kb)
    if cls == "azapirone":
        course = ssri_course(d.name, f"{d.dosing[0].usual_daily_dose.low or 15:g} mg", weeks, kb=kb)
        return AnxiolyticSelection(
            drug=d.name,
            drug_class=cls,
            summary={"course": {k: v for k, v in course.to_dict().items() if k != "basis"}},
            labels=course.labels,
            basis=course.basis,
        )
    if cls == "benzodiazepine":
        usual = d.dosing[0].usual_daily_dose
        mg = float(usual.typical)
        conc = _mean_unbound_nm(d, mg, kb)
        names = {c.name for c in load_gabaa_subunit_data().compound}
        if d.name not in names:
            raise UnknownDrugError(
                f"drug: {d.name} has no GABA-A subunit data (known: {', '.join(sorted(names))})"
            )
        prof = subunit_profile(d.name, f"{conc} nM")
        return AnxiolyticSelection(
            drug=d.name,
            drug_class=cls,
            summary={
                "daily_dose_mg": mg,
                "unbound_nm": conc,
                "domains": dict(
                    zip(prof.domains["domain"], prof.domains["modulation"], strict=True)
                ),
                "subunits": dict(
                    zip(prof.subunits["subunit"], prof.subunits["modulation"], strict=True)
                ),
            },
            basis=[
                f"steady-state mean unbound concentration at {mg:g} mg/day: {conc:.4g} nM",
                *prof.basis,
            ],
        )
    if cls == "gabapentinoid":
        usual = d.dosing[0].usual_daily_dose
        doses = [v for v in (usual.low, usual.high) if v is not None]
        concs = [_mean_unbound_nm(d, float(v), kb) for v in doses]
        eff = gabapentinoid_circuit(d.name, Q_(np.asarray(concs) * 1e-3, "uM"))
        return AnxiolyticSelection(
            drug=d.name,
            drug_class=cls,
            summary={
                "daily_doses_mg": doses,
                "unbound_um": [c / 1000 for c in concs],
                "states": {
                    k: {
                        "baseline_hz": v.baseline_rate_hz,
                        "reduction": v.reduction,
                        "release_reduction": v.release_reduction,
                    }
                    for k, v in eff.states.items()
                },
            },
            basis=eff.basis,
        )
    raise UnknownDrugError(
        f"drug: {d.name} ({cls}) is not an anxiolytic class handled here "
        "(ssri, snri, azapirone, benzodiazepine, gabapentinoid)"
    )


def _select_reuptake(
    d: Drug, target: float, weeks: float, kb: KnowledgeBase
) -> AnxiolyticSelection:
    dose_star = dose_for_sert_occupancy(d.name, target, kb=kb)
    strengths = sorted(
        {s for f in d.formulations if f.route == "oral" and f.unit == "mg" for s in f.strengths}
    )
    table = []
    for mg in strengths:
        e = transporter_engagement(d.name, f"{mg} mg", kb=kb)
        table.append(
            {
                "daily_dose_mg": mg,
                "sert": e.sert_mean,
                "sert_pet": e.sert_pet,
                "net": e.net_mean,
                "net_engaged": e.net_engaged,
            }
        )
    maxd = d.dosing[0].max_daily_dose.to("mg") if d.dosing else None
    suggestion: dict[str, Any] = {}
    labels = [_HYPOTHESIS_EARLY, _HYPOTHESIS_BENEFIT]
    basis: list[str] = [
        f"target SERT occupancy {target:g} on the PET scale (Meyer 2004 Am J Psychiatry 161:826; "
        f"PET Emax {PET_EMAX['SERT']:g})",
    ]
    if dose_star is not None and strengths:
        pick = next((s for s in strengths if s >= dose_star - 1e-6), strengths[-1])
        if maxd is not None and pick > maxd:
            labels.append(
                f"the dose for the target ({dose_star:.1f} mg) exceeds the labelled maximum {maxd:g} mg"
            )
        start = pick / 2
        low = ssri_course(d.name, f"{start:g} mg for 1 week, then {pick:g} mg", weeks, kb=kb)
        full = ssri_course(d.name, f"{pick:g} mg", weeks, kb=kb)
        suggestion = {
            "target_dose_mg": pick,
            "start_low": f"{start:g} mg for 1 week, then {pick:g} mg",
            "early_dip_start_low": low.early_dip,
            "early_dip_full_dose": full.early_dip,
            "benefit_half_day_start_low": low.benefit_half_day,
            "benefit_half_day_full_dose": full.benefit_half_day,
        }
        basis += low.basis
    elif dose_star is None:
        labels.append(f"the target occupancy {target:g} is not reached below 10x the maximum dose")
    return AnxiolyticSelection(
        drug=d.name,
        drug_class=str(d.drug_class),
        summary={
            "target_occupancy": target,
            "dose_for_target_mg": dose_star,
            "occupancy_by_dose": table,
            "titration": suggestion,
        },
        labels=labels,
        basis=basis,
    )
