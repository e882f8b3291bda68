"""How each drug reaches the respiratory network: mechanism, unbound plasma course and binding.

One :class:`_Agent` per drug of a medication list (``engine._breathing``):

- **mu-opioid ligands**: unbound molar concentration and MOR binding -- Mann et al. 2022 kinetics
  for fentanyl, buprenorphine and naloxone; for the others an in-vivo affinity derived from the CDC
  2022 MME table (60 MME/day at steady state occupies MOR as fentanyl 25 mcg/h does), with an
  assumed association rate;
- **GABA-A positive modulators**: the summed :math:`y = \\sum_j C_{u,j}/K_{B,j}` of parent and
  active metabolites, with the in-vivo potencies of ``adaptation._drug_action``;
- **gabapentinoids**: unbound concentration for the calcium-entry cut of the receptor layer;
- anything else: no respiratory mechanism (listed in the basis, contributes nothing).

References
----------
1. Mann J et al. (2022). Clin Pharmacol Ther 112:1020-1032. doi:10.1002/cpt.2696
2. Dowell D, Ragan KR, Jones CM, Baldwin GT, Chou R (2022). MMWR Recomm Rep 71(3):1-95.
   doi:10.15585/mmwr.rr7103a1
3. Dahan A, Yassen A, Bijl H, et al. (2005). Br J Anaesth 94(6):825-834. doi:10.1093/bja/aei145
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from allostasis.adaptation import drug_potency
from allostasis.engine._breathing_inputs import Dose
from allostasis.errors import UnknownDrugError
from allostasis.exposure import pk_model
from allostasis.knowledge import Drug, KnowledgeBase, load_mme_factor_sets
from allostasis.receptor import (
    ASSUMED_KON,
    GABAPENTINOID_FUNCTIONAL_IC50,
    GABAPENTINOID_MAX_ENTRY_REDUCTION,
    MANN_2022_MOR_KINETICS,
)
from allostasis.regimen import DosingRecords
from allostasis.units import magnitude

__all__ = [
    "BUPRENORPHINE_EFFICACY",
    "DEFAULT_KE0_HALF_LIFE_MIN",
    "FENTANYL_IV_THREE_COMPARTMENT",
    "GABAPENTINOID_RESPIRATORY_WEIGHT",
    "KE0_HALF_LIFE_MIN",
    "NALOXONE_UNBOUND_FRACTION",
    "build_agents",
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
#: Share of the synaptosomal calcium-entry cut by gabapentinoids that reaches the respiratory
#: network (dimensionless): MODELLING ASSUMPTION (gabapentinoids alone rarely depress breathing but
#: add to opioids; FDA Drug Safety Communication 2019-12-19).
GABAPENTINOID_RESPIRATORY_WEIGHT: Final[float] = 0.3

_MME_REFERENCE: Final[tuple[str, float]] = ("fentanyl", 0.025)  # 25 mcg/h = 60 MME/day (CDC 2022)


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


def _single_dose(dose: Dose, cmt: int) -> DosingRecords:
    """One dose record, as ``every(f"{mg} mg", "24 h", n_doses=1, start=f"{at} h", cmt=cmt)``.

    The dose (mg, > 0) and time (h, >= 0) were read and checked by ``medication_doses`` or
    ``parse_naloxone``; the record is built from those floats instead of writing them out as text
    for pint to read back (the same numbers: a float's ``str`` reads back exactly), and is still
    validated by :class:`~allostasis.regimen.DosingRecords`.
    """
    record = {"ID": [1], "TIME": [dose.at_h], "AMT": [dose.dose_mg], "CMT": [cmt], "EVID": [1]}
    return DosingRecords(pd.DataFrame(record | {"II": [24.0], "ADDL": [0]}))


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
        reg = _single_dose(dose, model.dose_compartment)
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


def build_agents(
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
