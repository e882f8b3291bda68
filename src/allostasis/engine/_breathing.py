"""Breathing under CNS depressants: doses -> PK -> receptors -> preBötC network -> chemoreflex loop.

The stable entry points for the clinical layer are :func:`simulate_breathing` (one patient, a
ventilation time course with nadir, apnoea and attribution) and :func:`sedative_burden` (total
CNS-depressant load read from the same model). :func:`breathing_population` runs a virtual cohort
with between-subject variability in sensitivity.

How each drug enters (per drug, ``basis`` lists the values and their sources):

- **Mu-opioid ligands** compete for one receptor pool (Mann et al. 2022 kinetics for fentanyl,
  buprenorphine and naloxone; others bind with an assumed association rate and a dissociation rate
  set by an *in-vivo* affinity). In-vivo affinity of opioids without Mann kinetics is derived from
  the CDC 2022 MME table so that 60 MME/day at steady state gives the same occupancy as
  fentanyl 25 mcg/h (60 MME/day) -- the opioid counterpart of the benzodiazepine potencies from an
  equivalence table in ``adaptation._drug_action``. Activation is occupancy times intrinsic
  efficacy (1 for full agonists; buprenorphine's fitted to its ceiling), then tolerance.
- **GABA-A positive modulators** (benzodiazepines, Z-drugs) through the allosteric model of the
  adaptation layer (in-vivo K_B, shift, potentiation of ambient GABA); **alcohol** multiplies the
  GABA-A conductance (a fitted factor, see :data:`ALCOHOL_GABA_GAIN_PER_G_L`).
- **Gabapentinoids** cut presynaptic calcium entry (receptor layer, Fink et al. 2002), weighted by
  :data:`GABAPENTINOID_RESPIRATORY_WEIGHT` (a modelling assumption).
- Unbound plasma concentrations reach the effect site with a first-order delay (:data:`KE0_HALF_LIFE_MIN`).

Attribution: each drug's share of the depression (1 - nadir ventilation) is its Shapley value over
all subsets of the medications (naloxone, a treatment, is in every subset), so shares add up to the
total and synergy is split evenly between the partners.

References
----------
1. Mann J et al. (2022). Clin Pharmacol Ther 112:1020-1032. doi:10.1002/cpt.2696
2. Algera MH et al. (2021). Clin Pharmacol Ther 109:637-645. doi:10.1002/cpt.2027
3. Dowell D, Ragan KR, Jones CM, Baldwin GT, Chou R (2022). CDC clinical practice guideline for
   prescribing opioids for pain. MMWR Recomm Rep 71(3):1-95. doi:10.15585/mmwr.rr7103a1
4. Scott JC, Stanski DR (1987). Decreased fentanyl and alfentanil dose requirements with age.
   J Pharmacol Exp Ther 240(1):159-166.
5. Mangoni AA, Jackson SHD (2004). Age-related changes in pharmacokinetics and pharmacodynamics.
   Br J Clin Pharmacol 57(1):6-14. doi:10.1046/j.1365-2125.2003.02007.x
6. Dahan A, Yassen A, Bijl H, et al. (2005). Comparison of the respiratory effects of intravenous
   buprenorphine and fentanyl in humans and rats. Br J Anaesth 94(6):825-834. doi:10.1093/bja/aei145
7. van der Schrier R et al. (2017). Anesthesiology 126:534-542. doi:10.1097/ALN.0000000000001505
8. Shapley LS (1953). A value for n-person games. Ann Math Stud 28:307-317.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from allostasis.adaptation import drug_potency
from allostasis.adaptation._balance import ec20_level, potentiation_kernel
from allostasis.adaptation._opioid_tolerance import OpioidTolerance, opioid_tolerance
from allostasis.engine._breathing_inputs import Dose, medication_doses, parse_naloxone
from allostasis.engine._breathing_kernel import effect_site, mor_competition
from allostasis.errors import InvalidValueError, UnknownDrugError
from allostasis.exposure import pk_model
from allostasis.knowledge import Drug, KnowledgeBase, load_knowledge_base, load_mme_factor_sets
from allostasis.physiology._respiratory_network import NETWORK
from allostasis.physiology._ventilatory_control import simulate_ventilatory_control
from allostasis.receptor import (
    ASSUMED_KON,
    GABAPENTINOID_FUNCTIONAL_IC50,
    GABAPENTINOID_MAX_ENTRY_REDUCTION,
    MANN_2022_MOR_KINETICS,
    gaba_operational_parameters,
)
from allostasis.regimen import every
from allostasis.units import magnitude

__all__ = [
    "ALCOHOL_GABA_GAIN_PER_G_L",
    "APNOEA_MIN_DURATION_S",
    "BUPRENORPHINE_EFFICACY",
    "GABAPENTINOID_RESPIRATORY_WEIGHT",
    "KE0_HALF_LIFE_MIN",
    "BreathingResult",
    "breathing_population",
    "simulate_breathing",
]

#: Effect-site equilibration half-lives (min). Values from the literature are approximate and
#: were not re-checked against the primary papers in this pass: fentanyl 6.4 (Scott, Ponganis &
#: Stanski 1985, Anesthesiology 62:234), naloxone 6.5 (Yassen et al. 2007, Clin Pharmacokinet
#: 46:965), midazolam 5 (order of the EEG values), morphine 120 (Dahan-group studies report
#: 1.6-4.4 h). Every other drug: 15 min, a MODELLING ASSUMPTION (its oral absorption is slower).
KE0_HALF_LIFE_MIN: Final[dict[str, float]] = {
    "fentanyl": 6.4,
    "naloxone": 6.5,
    "midazolam": 5.0,
    "morphine": 120.0,
}
DEFAULT_KE0_HALF_LIFE_MIN: Final[float] = 15.0
#: Intrinsic efficacy of buprenorphine at MOR relative to fentanyl: fitted so that full occupancy
#: halves isohypercapnic ventilation, the ceiling of Dahan et al. 2005 (doi:10.1093/bja/aei145).
BUPRENORPHINE_EFFICACY: Final[float] = 0.42
#: Unbound fraction of naloxone in plasma: about 45% bound, mostly to albumin (naloxone injection
#: label; not re-checked in this pass).
NALOXONE_UNBOUND_FRACTION: Final[float] = 0.55
#: Increase of the GABA-A conductance per g/L blood alcohol (1/(g/L)). FITTED: with it oxycodone
#: 20 mg plus 1 g/L ethanol gives 0.84 x the VE55 of oxycodone alone, as observed (15.7 vs
#: 18.6 L/min; van der Schrier et al. 2017). Ethanol acts on many targets; this lumps them.
ALCOHOL_GABA_GAIN_PER_G_L: Final[float] = 0.19
#: Share of the synaptosomal calcium-entry cut by gabapentinoids that reaches the respiratory
#: network (dimensionless): MODELLING ASSUMPTION (gabapentinoids alone rarely depress breathing but
#: add to opioids; FDA Drug Safety Communication 2019-12-19).
GABAPENTINOID_RESPIRATORY_WEIGHT: Final[float] = 0.3
#: Apnoea: no breath for at least this long (s), as in Bailey et al. 1990 (15 s).
APNOEA_MIN_DURATION_S: Final[float] = 15.0
#: Hypoxaemia: SpO2 below this (Bailey et al. 1990: < 90%).
HYPOXAEMIA_SPO2: Final[float] = 0.90
#: Age effects (MODELLING ASSUMPTIONS from the cited reviews): clearance falls 0.75%/year after 40
#: (about 30% lower at 80; Mangoni & Jackson 2004); sensitivity (effect-site concentration for
#: the same effect) halves between 20 and 89 years (fentanyl/alfentanil, Scott & Stanski 1987),
#: applied to opioids and GABA-A modulators alike.
AGE_CLEARANCE_SLOPE_PER_YEAR: Final[float] = 0.0075
AGE_SENSITIVITY_HALVING_SPAN: Final[tuple[float, float]] = (20.0, 89.0)

_DT_MIN: Final[float] = 1.0 / 12.0
_ALPHA: Final[float] = (
    2.5  # diazepam affinity cooperativity (Ghansah & Weiss 1999), as in adaptation
)
_MME_REFERENCE: Final[tuple[str, float]] = ("fentanyl", 0.025)  # 25 mcg/h = 60 MME/day (CDC 2022)


# ------------------------------------------------------------------------------- drug agents
@dataclass(frozen=True)
class _Agent:
    """How one drug acts: mechanism, parameters and its unbound molar plasma time course."""

    name: str
    mechanism: str  # "mor" | "gaba" | "a2d" | "none"
    cu_nm: np.ndarray  # (n_s, n_t) unbound nM (GABA: summed y = C_u/K_B, dimensionless)
    ke0: float  # 1/min
    kon: float = 0.0
    koff: float = 0.0
    slope: float = 1.0
    efficacy: float = 0.0
    age_sensitive: bool = True
    basis: tuple[str, ...] = ()


def _mechanism(d: Drug) -> str:
    targets = {t.target for t in d.targets}
    if "MOR" in targets:
        return "mor"
    if any(t.target == "GABAA-BZD" and "positive allosteric" in t.action for t in d.targets):
        return "gaba"
    if "a2d" in targets:
        return "a2d"
    return "none"


def _fu(d: Drug) -> float:
    if d.name == "naloxone":
        return NALOXONE_UNBOUND_FRACTION
    if d.pk.protein_binding is None:
        raise UnknownDrugError(f"drug: {d.name} has no protein binding in the knowledge base")
    return 1.0 - float(d.pk.protein_binding.to("dimensionless"))


def _steady_unbound_nm(d: Drug, route: str, mg_per_day: float, kb: KnowledgeBase) -> float:
    p = pk_model(d, route, metabolites=False, kb=kb).typical()
    c = p["f"] * mg_per_day / 24.0 / p["cl"]  # mg/L
    return float(c * _fu(d) / d.molecular_weight.to("g/mol") * 1e6)


def _opioid_binding(d: Drug, kb: KnowledgeBase) -> tuple[float, float, float, float, list[str]]:
    """kon (1/(nM^n min)), koff (1/min), slope n, efficacy, basis."""
    if d.name in MANN_2022_MOR_KINETICS:
        lig = MANN_2022_MOR_KINETICS[d.name]
        eff = {"buprenorphine": BUPRENORPHINE_EFFICACY, "naloxone": 0.0}.get(d.name, 1.0)
        extra = (
            [
                f"buprenorphine intrinsic efficacy {BUPRENORPHINE_EFFICACY:g} (fitted to the 50% "
                "ventilation ceiling, Dahan 2005, doi:10.1093/bja/aei145)"
            ]
            if d.name == "buprenorphine"
            else []
        )
        return lig.kon, lig.koff, lig.slope, eff, [*lig.basis, *extra]
    sets = load_mme_factor_sets()["cdc-2022"]
    route = "oral"
    factor = sets.factor_for(d.name, route).factor_at(60.0)
    ref_name, ref_mg_h = _MME_REFERENCE
    ref = kb[ref_name]
    ref_cu = _steady_unbound_nm(ref, "transdermal", ref_mg_h * 24.0, kb)
    fen = MANN_2022_MOR_KINETICS[ref_name]
    q_ref = fen.kon * ref_cu**fen.slope / fen.koff
    mg_day = 60.0 / factor
    cu = _steady_unbound_nm(d, route, mg_day, kb)
    k_vivo = cu / q_ref
    kon = float(magnitude(ASSUMED_KON, field="kon", unit="1/nM/min"))
    basis = [
        f"{d.name}: in-vivo MOR K = {k_vivo:.4g} nM (unbound): {mg_day:.3g} mg/day oral (60 MME, "
        f"CDC 2022 factor {factor:g}) gives steady-state unbound {cu:.4g} nM and the same occupancy "
        f"as fentanyl 25 mcg/h (unbound {ref_cu:.3g} nM, Mann 2022 binding) -- derived, modelling "
        f"assumption; kon {kon:g} 1/nM/min assumed (ASSUMED_KON), koff = kon x K"
    ]
    return kon, kon * k_vivo, 1.0, 1.0, basis


def _plasma(
    d: Drug,
    doses: list[Dose],
    t_h: np.ndarray,
    cl_scale: np.ndarray,
    kb: KnowledgeBase,
    metabolites: bool,
) -> dict[str, np.ndarray]:
    """Total concentration (mg/L) per analyte, ``(n_s, n_t)``, summed over this drug's doses."""
    out: dict[str, np.ndarray] = {}
    n_s = cl_scale.size
    from allostasis.units import Q_

    for dose in doses:
        model = pk_model(d, dose.route, metabolites=metabolites, kb=kb)
        typ = model.typical()
        subjects = pd.DataFrame({"subject_id": np.arange(1, n_s + 1), "cl": typ["cl"] * cl_scale})
        subjects.attrs["units"] = {"cl": "L/h"}
        reg = every(
            f"{dose.dose_mg} mg",
            "24 h",
            n_doses=1,
            start=f"{dose.at_h} h",
            cmt=model.dose_compartment,
        )
        res = model.simulate(reg, Q_(t_h, "h"), subjects=subjects)
        for a in res.analytes:
            out[a] = out.get(a, 0.0) + res.concentration(a)
    return out


def _gaba_potency(name: str, kb: KnowledgeBase) -> Any:
    """drug_potency from the equivalence tables (Ashton 2002 first, else the first that lists it)."""
    return drug_potency(name, kb=kb)


#: Fentanyl IV three-compartment model for a 70 kg adult (L, L/min): V1 10.1, V2 26.5, V3 206,
#: CL 0.704, Q2 2.38, Q3 1.49 -- population PK of 95 surgical patients ("An allometric
#: pharmacokinetic model and minimum effective analgesic concentration of fentanyl in patients
#: undergoing major abdominal surgery", trial KCT0003273; abstract read, authors and journal not
#: verified in this pass). Used for IV fentanyl because the knowledge base's one-compartment model
#: (V 420 L) misses the early distribution peak that drives bolus respiratory depression.
FENTANYL_IV_THREE_COMPARTMENT: Final[dict[str, float]] = {
    "v1": 10.1,
    "v2": 26.5,
    "v3": 206.0,
    "cl": 0.704,
    "q2": 2.38,
    "q3": 1.49,
}


def _fentanyl_iv(doses: list[Dose], t_h: np.ndarray, cl_scale: np.ndarray) -> np.ndarray:
    """Plasma fentanyl (mg/L), ``(n_s, n_t)``, after IV boluses, three-compartment, exact steps."""
    from scipy.linalg import expm

    p = FENTANYL_IV_THREE_COMPARTMENT
    dt = float(t_h[1] - t_h[0]) * 60.0  # min
    out = np.zeros((cl_scale.size, t_h.size))
    for s, scale in enumerate(cl_scale):
        cl = p["cl"] * scale
        k10, k12, k21 = cl / p["v1"], p["q2"] / p["v1"], p["q2"] / p["v2"]
        k13, k31 = p["q3"] / p["v1"], p["q3"] / p["v3"]
        k = np.array([[-(k10 + k12 + k13), k21, k31], [k12, -k21, 0.0], [k13, 0.0, -k31]])
        step = expm(k * dt)
        x = np.zeros(3)
        for i, t in enumerate(t_h):
            for dose in doses:
                if abs(dose.at_h - t) < 0.5 * dt / 60.0:
                    x[0] += dose.dose_mg
            out[s, i] = x[0] / p["v1"]
            x = step @ x
    return out


def _ke0(name: str) -> tuple[float, str]:
    t = KE0_HALF_LIFE_MIN.get(name, DEFAULT_KE0_HALF_LIFE_MIN)
    src = (
        "literature (see KE0_HALF_LIFE_MIN)"
        if name in KE0_HALF_LIFE_MIN
        else "MODELLING ASSUMPTION"
    )
    return math.log(2.0) / t, f"{name}: effect-site t1/2,ke0 = {t:g} min ({src})"


def _build_agents(
    doses: list[Dose], t_h: np.ndarray, cl_scale: np.ndarray, kb: KnowledgeBase
) -> list[_Agent]:
    agents: list[_Agent] = []
    by_drug: dict[str, list[Dose]] = {}
    for dose in doses:
        by_drug.setdefault(dose.drug, []).append(dose)
    for name, ds in by_drug.items():
        d = kb[name]
        mech = _mechanism(d)
        ke0, ke_basis = _ke0(d.name)
        if mech == "none":
            agents.append(
                _Agent(
                    d.name,
                    "none",
                    np.zeros((cl_scale.size, t_h.size)),
                    ke0,
                    basis=(
                        f"{d.name} ({d.drug_class}): no respiratory mechanism modelled; "
                        "contributes nothing",
                    ),
                )
            )
            continue
        if mech == "mor":
            iv_fen = [x for x in ds if d.name == "fentanyl" and x.route == "iv"]
            rest = [x for x in ds if x not in iv_fen]
            conc = np.zeros((cl_scale.size, t_h.size))
            if rest:
                conc = conc + _plasma(d, rest, t_h, cl_scale, kb, metabolites=False)[d.name]
            if iv_fen:
                conc = conc + _fentanyl_iv(iv_fen, t_h, cl_scale)
            cu = conc * _fu(d) / d.molecular_weight.to("g/mol") * 1e6
            kon, koff, n, eff, b = _opioid_binding(d, kb)
            agents.append(
                _Agent(
                    d.name,
                    "mor",
                    cu,
                    ke0,
                    kon,
                    koff,
                    n,
                    eff,
                    d.name != "naloxone",
                    (
                        *b,
                        ke_basis,
                        f"{d.name} unbound fraction {_fu(d):.3g}",
                        *(
                            [
                                "IV fentanyl PK: FENTANYL_IV_THREE_COMPARTMENT (V1 10.1 L, V2 26.5 L, "
                                "V3 206 L, CL 0.704, Q2 2.38, Q3 1.49 L/min; KCT0003273 population "
                                "model)"
                            ]
                            if iv_fen
                            else []
                        ),
                    ),
                )
            )
        elif mech == "gaba":
            pot = _gaba_potency(d.name, kb)
            by_analyte = _plasma(d, ds, t_h, cl_scale, kb, metabolites=len(pot.analytes) > 1)
            y = np.zeros((cl_scale.size, t_h.size))
            for j, a in enumerate(pot.analytes):
                if a in by_analyte:
                    y = y + pot.unbound_nm(by_analyte[a], j) / pot.constant_nm[j]
            agents.append(_Agent(d.name, "gaba", y, ke0, basis=(*pot.basis, ke_basis)))
        else:
            conc = _plasma(d, ds, t_h, cl_scale, kb, metabolites=False)[d.name]
            cu = conc * _fu(d) / d.molecular_weight.to("g/mol") * 1e6
            agents.append(
                _Agent(
                    d.name,
                    "a2d",
                    cu,
                    ke0,
                    basis=(
                        f"{d.name}: calcium entry cut {GABAPENTINOID_MAX_ENTRY_REDUCTION.get(d.name, 0.35):g} x "
                        f"occupancy (IC50 {GABAPENTINOID_FUNCTIONAL_IC50.get(d.name, '17 uM')}, Fink 2002) x "
                        f"respiratory weight {GABAPENTINOID_RESPIRATORY_WEIGHT:g} (MODELLING ASSUMPTION)",
                        ke_basis,
                    ),
                )
            )
    return agents


@dataclass(frozen=True)
class _Effects:
    mor: np.ndarray
    gaba: np.ndarray
    calcium: np.ndarray
    occupancy: dict[str, np.ndarray]


def _effects(
    agents: list[_Agent],
    included: set[str],
    sens: np.ndarray,
    tolerance: float,
    alcohol_g_l: float,
    shape: tuple[int, int],
) -> _Effects:
    gp = gaba_operational_parameters()
    x0 = ec20_level(gp["tau"], gp["hill"])
    mor_agents = [a for a in agents if a.mechanism == "mor" and a.name in included]
    occ: dict[str, np.ndarray] = {}
    activation = np.zeros(shape)
    if mor_agents:
        drive = np.empty((shape[0], len(mor_agents), shape[1]))
        for j, a in enumerate(mor_agents):
            ce = effect_site(np.ascontiguousarray(a.cu_nm), a.ke0, _DT_MIN)
            if a.age_sensitive:
                ce = ce * sens[:, None]
            drive[:, j, :] = a.kon * np.maximum(ce, 0.0) ** a.slope
        th = mor_competition(drive, np.array([a.koff for a in mor_agents]), _DT_MIN)
        for j, a in enumerate(mor_agents):
            occ[a.name] = th[:, j, :]
            activation = activation + a.efficacy * th[:, j, :]
    activation = np.clip(activation, 0.0, 1.0)
    mor = activation / (activation + tolerance * (1.0 - activation))
    y = np.zeros(shape)
    for a in agents:
        if a.mechanism == "gaba" and a.name in included:
            y = y + effect_site(np.ascontiguousarray(a.cu_nm), a.ke0, _DT_MIN) * sens[:, None]
    shift = (1.0 + _ALPHA * y) / (1.0 + y)
    gaba = potentiation_kernel(shift, gp["tau"], gp["hill"], x0)
    if "alcohol" in included:
        gaba = gaba * (1.0 + ALCOHOL_GABA_GAIN_PER_G_L * alcohol_g_l)
    ca = np.ones(shape)
    for a in agents:
        if a.mechanism == "a2d" and a.name in included:
            ce = effect_site(np.ascontiguousarray(a.cu_nm), a.ke0, _DT_MIN)
            ic50 = magnitude(
                GABAPENTINOID_FUNCTIONAL_IC50.get(a.name, "17 uM"), field="ic50", unit="nM"
            )
            imax = GABAPENTINOID_MAX_ENTRY_REDUCTION.get(a.name, 0.35)
            ca = ca * (1.0 - GABAPENTINOID_RESPIRATORY_WEIGHT * imax * ce / (ce + ic50))
    return _Effects(mor, np.asarray(gaba), ca, occ)


def _age_scales(age: float | None, n_s: int) -> tuple[np.ndarray, float, list[str]]:
    if age is None:
        return np.ones(n_s), 1.0, ["age not given: typical adult (no age adjustment)"]
    if not (math.isfinite(age) and 18 <= age <= 110):
        raise InvalidValueError(f"age_years: must be 18-110 years (adults); got {age!r}")
    cl = 1.0 - AGE_CLEARANCE_SLOPE_PER_YEAR * max(0.0, age - 40.0)
    lo, hi = AGE_SENSITIVITY_HALVING_SPAN
    sens = 1.0 / (1.0 - 0.5 * max(0.0, age - lo) / (hi - lo))
    return (
        np.full(n_s, cl),
        sens,
        [
            f"age {age:g}: clearance x {cl:.3f} (0.75%/year after 40, Mangoni & Jackson 2004; "
            "MODELLING ASSUMPTION)",
            f"age {age:g}: effect-site sensitivity x {sens:.3f} (EC50 halves from 20 to 89 years, "
            "Scott & Stanski 1987; applied to opioids and GABA-A modulators)",
        ],
    )


@dataclass
class _Run:
    trace_min: np.ndarray
    values: dict[str, np.ndarray]  # channel -> (n_s, n_t)
    nadir: np.ndarray
    apnoea_s: np.ndarray
    min_spo2: np.ndarray


def _run(
    agents: list[_Agent],
    included: set[str],
    sens: np.ndarray,
    tol: float,
    alcohol: float,
    shape: tuple[int, int],
    age: float,
    clamp: Any,
    kcc2: float,
) -> _Run:
    eff = _effects(agents, included, sens, tol, alcohol, shape)
    tr = simulate_ventilatory_control(
        eff.mor,
        eff.gaba,
        eff.calcium,
        dt_min=_DT_MIN,
        kcc2_activity=kcc2,
        age_years=age,
        paco2_clamp=clamp,
    )
    vals = {c: tr.channel(c) for c in tr.channels}
    vals["mor_activation"] = eff.mor
    vals["gaba_factor"] = eff.gaba
    for k, v in eff.occupancy.items():
        vals[f"mor_occupancy_{k}"] = v
    f = vals["burst_rate_rel"]
    # longest run of no bursts, seconds
    stopped = f <= 0.0
    longest = np.zeros(shape[0])
    for s in range(shape[0]):
        run = best = 0
        for x in stopped[s]:
            run = run + 1 if x else 0
            best = max(best, run)
        longest[s] = best * _DT_MIN * 60.0
    ve = vals["minute_ventilation_rel"]
    if clamp is not None:
        base = simulate_ventilatory_control(np.zeros((1, 2)), paco2_clamp=clamp).channel(
            "minute_ventilation_rel"
        )[0, 0]
        ve = ve / base
        vals["minute_ventilation_rel"] = ve
    return _Run(tr.time_min, vals, ve.min(axis=1), longest, vals["spo2"].min(axis=1))


# ------------------------------------------------------------------------------- results
class BreathingResult(BaseModel):
    """One patient's breathing after the given doses (model output; education and decision support).

    Attributes
    ----------
    time_course : pandas.DataFrame
        Tidy, one row per minute: ``time_h``, ``minute_ventilation_rel``, ``burst_rate_rel``,
        ``tidal_drive_rel``, ``alveolar_ventilation_rel``, ``co2_mmHg``, ``pao2_mmHg``, ``spo2``,
        ``mor_activation``, ``gaba_factor``. Units in ``attrs["units"]``.
    nadir_ventilation : float
        Lowest minute ventilation, fraction of the drug-free resting value.
    apnoea : bool
        Any pause in rhythm of >= 15 s (Bailey et al. 1990's definition).
    longest_apnoea_s : float
    min_spo2 : float
    peak_co2_mmhg : float
    attribution : dict
        Drug -> share of the depression (1 - nadir), Shapley values (sum to the total).
    single_drug_depression : dict
        Drug -> depression when taken alone.
    bliss_expected_depression : float or None
        Bliss independence of the single-drug depressions (None for one drug).
    basis : dict
        Model, parameters and sources.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    medications: list[str]
    tolerance: str
    age_years: float | None
    naloxone: str | None
    time_course: pd.DataFrame
    nadir_ventilation: float
    apnoea: bool
    longest_apnoea_s: float
    min_spo2: float
    peak_co2_mmhg: float
    attribution: dict[str, float]
    single_drug_depression: dict[str, float]
    bliss_expected_depression: float | None
    basis: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (the time course as column lists)."""
        d = self.model_dump(exclude={"time_course"})
        d["time_course"] = {c: self.time_course[c].round(6).tolist() for c in self.time_course}
        return d

    def __repr__(self) -> str:
        return (
            f"<BreathingResult: {', '.join(self.medications)}; nadir {self.nadir_ventilation:.2f} "
            f"of baseline, apnoea {'yes' if self.apnoea else 'no'}, min SpO2 {self.min_spo2:.2f}>"
        )


def _alcohol(alcohol: Any) -> float:
    if alcohol is None:
        return 0.0
    return magnitude(alcohol, field="alcohol (blood concentration)", unit="g/L", minimum=0.0)


def _prepare(
    medications: Sequence[Any],
    naloxone: Any,
    duration: Any,
    age_years: float | None,
    tolerance: str | float,
    n_subjects: int,
    kb: KnowledgeBase,
) -> tuple[list[Dose], list[_Agent], np.ndarray, np.ndarray, float, OpioidTolerance, list[str]]:
    doses = medication_doses(medications, kb)
    if not doses:
        raise InvalidValueError("medications: give at least one (drug, dose, route)")
    dur_h = magnitude(duration, field="duration", unit="h", strictly_positive=True)
    if dur_h > 72:
        raise InvalidValueError(
            f"duration: at most 72 h for a single-dose simulation; got {dur_h:g} h"
        )
    all_doses = list(doses)
    if naloxone is not None:
        mg, route, at = parse_naloxone(naloxone)
        all_doses.append(
            Dose("naloxone", mg, route, at, f"naloxone {mg:g} mg {route} at {at * 60:g} min")
        )
    n_t = round(dur_h * 60 / _DT_MIN) + 1
    t_h = np.arange(n_t) * _DT_MIN / 60.0
    cl_scale, sens, age_basis = _age_scales(age_years, n_subjects)
    agents = _build_agents(all_doses, t_h, cl_scale, kb)
    tol = opioid_tolerance(tolerance)
    return all_doses, agents, t_h, np.full(n_subjects, sens), 0.0, tol, age_basis


def _shapley(values: dict[frozenset[str], float], players: list[str]) -> dict[str, float]:
    n = len(players)
    out = {}
    for p in players:
        others = [q for q in players if q != p]
        total = 0.0
        for k in range(n):
            for sub in itertools.combinations(others, k):
                s = frozenset(sub)
                w = math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n)
                total += w * (values[s | {p}] - values[s])
        out[p] = total
    return out


def simulate_breathing(
    medications: Sequence[Any],
    *,
    age_years: float | None = None,
    tolerance: str | float = "naive",
    naloxone: Any = None,
    duration: Any = "8 h",
    alcohol: Any = None,
    paco2_clamp: Any = None,
    kcc2_activity: float = 1.0,
    kb: KnowledgeBase | None = None,
) -> BreathingResult:
    """Simulate breathing after single doses at t = 0 (or at given times) of CNS depressants.

    .. math::

        \\dot V_E/\\dot V_{E,0} = \\frac{f}{f_0}\\,\\frac{V_T}{V_{T0}}, \\quad
        (f, V_T) = \\mathcal N\\big(A_{MOR}(t), \\Pi_{GABA}(t), e_{Ca}(t), P_{aCO_2}(t)\\big)

    Parameters
    ----------
    medications : sequence of tuples
        ``(drug, dose, route)`` or ``(drug, dose, route, at)``, e.g.
        ``[("oxycodone", "20 mg", "PO"), ("lorazepam", "2 mg", "PO")]``. Routes: PO/oral, IV, IM,
        IN/intranasal, SL/sublingual, SC, TD/transdermal, buccal (as the drug's data allow).
    age_years : float, optional
        18-110; lowers clearance and raises sensitivity (see module constants).
    tolerance : str or float
        ``"naive"``, ``"chronic"``, ``"lost:14d"`` or a factor >= 1 (see
        :func:`allostasis.adaptation.opioid_tolerance`).
    naloxone : str or tuple, optional
        ``"4 mg IN at 30 min"`` or ``(dose, route, at)``.
    duration : str or pint.Quantity
        Simulated time (default ``"8 h"``, at most 72 h).
    alcohol : str or pint.Quantity, optional
        Constant blood alcohol concentration, e.g. ``"0.8 g/L"`` (= 80 mg/dL).
    paco2_clamp : str or pint.Quantity, optional
        Hold PaCO2 fixed (isohypercapnic experiment); ventilation is then relative to drug-free
        ventilation at that PaCO2.
    kcc2_activity : float
        KCC2 activity relative to normal (sets E_GABA), >= 0.

    Returns
    -------
    BreathingResult

    Raises
    ------
    UnknownDrugError, InvalidValueError, UnitError
        Unknown drug or route, bad dose, duration, age, tolerance or naloxone spec.

    Examples
    --------
    >>> r = simulate_breathing([("oxycodone", "20 mg", "PO"), ("lorazepam", "2 mg", "PO")])
    >>> r.nadir_ventilation < 0.9, sorted(r.attribution)
    (True, ['lorazepam', 'oxycodone'])
    >>> simulate_breathing([("oxycodone", "20 mg", "rectal")])
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: route of oxycodone: 'rectal' is not a known route; use one of ['buccal', 'im', 'in', 'intranasal', 'iv', 'nasal', 'oral', 'po', 'sc', 'sl', 'sublingual', 'td', 'transdermal'] (PO = oral, IN = intranasal, SL = sublingual)
    """
    kb = kb or load_knowledge_base()
    alc = _alcohol(alcohol)
    doses, agents, t_h, sens, _, tol, age_basis = _prepare(
        medications, naloxone, duration, age_years, tolerance, 1, kb
    )
    age = 40.0 if age_years is None else float(age_years)
    shape = (1, t_h.size)
    med_doses = doses[:-1] if naloxone is not None else doses
    players = list(dict.fromkeys(d.drug for d in med_doses))
    if alc > 0:
        players.append("alcohol")
    fixed = {"naloxone"} if naloxone is not None else set()
    cache: dict[frozenset[str], _Run] = {}

    def run(sub: frozenset[str]) -> _Run:
        if sub not in cache:
            cache[sub] = _run(
                agents,
                set(sub) | fixed,
                sens,
                tol.factor,
                alc,
                shape,
                age,
                paco2_clamp,
                kcc2_activity,
            )
        return cache[sub]

    full = run(frozenset(players))
    depression = {s: 1.0 - float(run(s).nadir[0]) for s in _subsets(players)}
    shares = _shapley(depression, players)
    singles = {p: depression[frozenset({p})] for p in players}
    bliss = None
    if len(players) > 1:
        bliss = 1.0 - float(np.prod([1.0 - max(0.0, v) for v in singles.values()]))
    every_min = round(1.0 / _DT_MIN)
    idx = np.arange(0, t_h.size, every_min)
    cols = [
        "minute_ventilation_rel",
        "burst_rate_rel",
        "tidal_drive_rel",
        "alveolar_ventilation_rel",
        "co2_mmHg",
        "pao2_mmHg",
        "spo2",
        "mor_activation",
        "gaba_factor",
    ]
    df = pd.DataFrame({"time_h": t_h[idx]} | {c: full.values[c][0, idx] for c in cols})
    df.attrs["units"] = {
        "time_h": "h",
        "co2_mmHg": "mmHg",
        "pao2_mmHg": "mmHg",
        "spo2": "fraction",
        "minute_ventilation_rel": "fraction of drug-free rest",
    }
    basis: dict[str, Any] = {
        "model": "averaged conductance preBötC neuron + CO2/O2 chemoreflex loop "
        "(allostasis.physiology); MODEL OUTPUT, not a measurement",
        "network": NETWORK.basis(),
        "drugs": {a.name: list(a.basis) for a in agents},
        "tolerance": list(tol.basis),
        "age": age_basis,
        "attribution": "Shapley values of depression (1 - nadir ventilation) over subsets of the "
        "medications (Shapley 1953); naloxone is in every subset",
        "apnoea_definition": f"no burst for >= {APNOEA_MIN_DURATION_S:g} s (Bailey et al. 1990)",
    }
    if alc > 0:
        basis["alcohol"] = (
            f"blood alcohol {alc:g} g/L: GABA-A conductance x (1 + "
            f"{ALCOHOL_GABA_GAIN_PER_G_L:g} x {alc:g}) (FITTED to van der Schrier 2017 VE55 ratio 15.7/18.6)"
        )
    if paco2_clamp is not None:
        basis["paco2_clamp"] = f"PaCO2 held at {paco2_clamp} (open loop; isohypercapnic)"
    return BreathingResult(
        medications=[d.label for d in med_doses],
        tolerance=tol.label,
        age_years=age_years,
        naloxone=None if naloxone is None else doses[-1].label,
        time_course=df,
        nadir_ventilation=float(full.nadir[0]),
        apnoea=bool(full.apnoea_s[0] >= APNOEA_MIN_DURATION_S),
        longest_apnoea_s=float(full.apnoea_s[0]),
        min_spo2=float(full.min_spo2[0]),
        peak_co2_mmhg=float(full.values["co2_mmHg"][0].max()),
        attribution=shares,
        single_drug_depression=singles,
        bliss_expected_depression=bliss,
        basis=basis,
    )


def _subsets(players: list[str]) -> list[frozenset[str]]:
    return [
        frozenset(c) for k in range(len(players) + 1) for c in itertools.combinations(players, k)
    ]


def breathing_population(
    medications: Sequence[Any],
    *,
    n_subjects: int = 200,
    seed: int = 0,
    sensitivity_cv: float = 0.5,
    age_years: float | None = None,
    tolerance: str | float = "naive",
    naloxone: Any = None,
    duration: Any = "2 h",
    alcohol: Any = None,
    kb: KnowledgeBase | None = None,
) -> pd.DataFrame:
    """Per-subject outcomes in a virtual cohort with log-normal variability in drug sensitivity.

    .. math:: s_i = \\exp(\\sigma z_i),\\quad \\sigma = \\sqrt{\\ln(1 + CV^2)},\\quad z_i \\sim N(0, 1)

    Each subject's effect-site concentrations of opioids and GABA-A modulators are multiplied by
    :math:`s_i` (one factor per subject for both classes: a MODELLING ASSUMPTION).

    Parameters
    ----------
    medications, age_years, tolerance, naloxone, duration, alcohol
        As in :func:`simulate_breathing`.
    n_subjects : int
        1-100000.
    seed : int
        Random seed.
    sensitivity_cv : float
        Coefficient of variation of sensitivity, in [0, 3] (default 0.5, MODELLING ASSUMPTION).

    Returns
    -------
    pandas.DataFrame
        ``subject_id``, ``sensitivity``, ``nadir_ventilation``, ``apnoea``, ``longest_apnoea_s``,
        ``min_spo2``, ``hypoxaemia`` (SpO2 < 90%), ``peak_co2_mmhg``.

    Raises
    ------
    InvalidValueError
        On bad counts or variability, plus everything :func:`simulate_breathing` raises.

    Examples
    --------
    >>> df = breathing_population([("fentanyl", "0.14 mg", "IV")], n_subjects=20, duration="1 h")
    >>> bool(0.0 <= df["hypoxaemia"].mean() <= 1.0)
    True
    """
    if not (isinstance(n_subjects, int) and 1 <= n_subjects <= 100_000):
        raise InvalidValueError(f"n_subjects: must be an integer in 1-100000; got {n_subjects!r}")
    if not (math.isfinite(sensitivity_cv) and 0 <= sensitivity_cv <= 3):
        raise InvalidValueError(f"sensitivity_cv: must be in [0, 3]; got {sensitivity_cv!r}")
    kb = kb or load_knowledge_base()
    alc = _alcohol(alcohol)
    doses, agents, t_h, sens, _, tol, _ = _prepare(
        medications, naloxone, duration, age_years, tolerance, n_subjects, kb
    )
    rng = np.random.default_rng(seed)
    sigma = math.sqrt(math.log(1.0 + sensitivity_cv**2))
    s_i = np.exp(sigma * rng.standard_normal(n_subjects))
    included = {d.drug for d in doses} | ({"alcohol"} if alc > 0 else set())
    age = 40.0 if age_years is None else float(age_years)
    r = _run(agents, included, sens * s_i, tol.factor, alc, (n_subjects, t_h.size), age, None, 1.0)
    return pd.DataFrame(
        {
            "subject_id": np.arange(1, n_subjects + 1),
            "sensitivity": s_i,
            "nadir_ventilation": r.nadir,
            "apnoea": r.apnoea_s >= APNOEA_MIN_DURATION_S,
            "longest_apnoea_s": r.apnoea_s,
            "min_spo2": r.min_spo2,
            "hypoxaemia": r.min_spo2 < HYPOXAEMIA_SPO2,
            "peak_co2_mmhg": r.values["co2_mmHg"].max(axis=1),
        }
    )
