"""Drug action at time t: benzodiazepine-site modulation, flumazenil displacement, NMDA block.

Positive modulators act through the allosteric model of ``allostasis.receptor`` (see
``physiology._balance``): what the model needs from a drug is its unbound molar concentration over
:math:`K_B`, :math:`y_B = C_u / K_B`. Diazepam's in-vitro :math:`K_B` = 27 nM comes from the receptor layer
(``gabaa_subunits.toml``). In vitro it would occupy 70-90% of benzodiazepine sites at therapeutic
doses, whereas [123I]iomazenil SPECT finds 16% at alprazolam 2 mg/day (Fujita et al. 1999) and
<3% at sedating lorazepam doses (Sybirska et al. 1993): the model's :math:`K_B` is the in-vitro
value times :data:`IN_VIVO_KB_SCALE` (40.7, fitted to the 16%). Without it the effect stays
saturated while concentrations fall, and diazepam's withdrawal peak comes weeks late. Most benzodiazepines have no measured :math:`K_B`; it is derived from a
published dose-equivalence table so that the equivalent daily dose gives the same steady-state
:math:`\\sum y_B` as 10 mg/day diazepam (parent plus nordiazepam):

.. math::

    K_{B,drug} = s_{vivo} K_{B,dz}^{vitro} \\frac{\\sum_j \\bar C_{u,j}(D_{eq})}{\\sum_j \\bar C_{u,j}^{dz}(10\\,mg)},
    \\qquad \\bar C_{u,parent} = f_u \\frac{F D}{CL\\,\\tau}, \\quad
    \\bar C_{u,met} = f_{u,m} \\frac{f_m\\, r_{MW} F D}{CL_m\\,\\tau}

(molar, summed over the drug's active analytes, which share the parent's :math:`K_B` -- a modelling
assumption; Ashton 2002 lists nordazepam as equipotent with diazepam). The alpha2/3 pool uses
diazepam's subunit affinity ratio (geometric mean of alpha2 and alpha3 over alpha1, Dawson et al.
2006) for every drug without subunit data: a modelling assumption that treats them as non-selective.
Flumazenil is a neutral competitive antagonist, :math:`y_F = C_u/K_i` (Ki from the knowledge base).
Ketamine blocks NMDA receptors, :math:`b = \\sum_j (C_{u,j}/K_{i,j}) / (1 + \\sum_j C_{u,j}/K_{i,j})`.

References
----------
1. Dawson GR et al. (2006). J Pharmacol Exp Ther 316:1335-1345.
2. Ashton CH (2002). The Ashton Manual, table 1 (equivalent doses).
3. Ebert B, Mikkelsen S, Thorkildsen C, Borgbjerg FM (1997). Norketamine, the main metabolite of
   ketamine, is a non-competitive NMDA receptor antagonist in the rat cortex and spinal cord.
   Eur J Pharmacol 333:99-104.
4. Fujita M, Woods SW, Verhoeff NPLG, Abi-Dargham A, Baldwin RM, Zoghbi SS, Soares JC, Jatlow PA,
   Krystal JH, Rajeevan N, Charney DS, Seibyl JP, Innis RB (1999). Changes of benzodiazepine
   receptors during chronic benzodiazepine administration in humans. Eur J Pharmacol 368:161-172.
5. Sybirska E, Seibyl JP, Bremner JD, et al. (1993). [123I]Iomazenil SPECT imaging demonstrates
   significant benzodiazepine receptor reserve in human and nonhuman primate brain.
   Neuropharmacology 32:671-680.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from allostasis.errors import UnknownDrugError
from allostasis.exposure import pk_model
from allostasis.knowledge import Drug, KnowledgeBase, load_knowledge_base

__all__ = [
    "IN_VIVO_KB_SCALE",
    "KETAMINE_UNBOUND_FRACTION",
    "NORKETAMINE_NMDA_KI_NM",
    "DrugPotency",
    "drug_potency",
]

#: Unbound fraction of ketamine and norketamine in plasma -- modelling assumption (protein binding
#: of ketamine is reported between about 20% and 50%; the knowledge base has no value).
KETAMINE_UNBOUND_FRACTION: Final = 0.6
#: NMDA Ki of racemic norketamine (nM) -- derived: about 1/3-1/5 of ketamine's potency (S-norketamine
#: 1.7 uM, R-norketamine 13 uM; Ebert et al. 1997); 3000 nM is a modelling assumption within that.
NORKETAMINE_NMDA_KI_NM: Final = 3000.0
#: In-vivo potency scale of benzodiazepine-site positive modulators (dimensionless): the model's
#: :math:`K_B` is the in-vitro value times this factor. Fitted so that alprazolam 2 mg/day at steady
#: state occupies 16% of benzodiazepine sites, the [123I]iomazenil SPECT value of Fujita et al.
#: (1999), :math:`y_B = 0.16/0.84`; with the in-vitro :math:`K_B` (27 nM) the same dose would occupy
#: 89%. Consistent with <3% occupancy at sedating lorazepam doses (Sybirska et al. 1993). It absorbs
#: everything between unbound plasma and the receptor in vivo (brain partitioning, endogenous GABA,
#: receptor reserve); fitted, not measured.
IN_VIVO_KB_SCALE: Final = 40.7
#: Reference: 10 mg/day oral diazepam.
_REFERENCE_DRUG: Final = "diazepam"
_REFERENCE_DOSE_MG: Final = 10.0


@dataclass(frozen=True)
class DrugPotency:
    """How one drug enters the model: its role, and per analyte the unbound fraction, MW and constant.

    Attributes
    ----------
    drug : str
    role : str
        ``"modulator"`` (GABA-A BZD-site PAM), ``"bzd_antagonist"`` or ``"nmda_blocker"``.
    analytes : tuple of str
        PK analytes (parent first) that act.
    unbound_fraction, molecular_weight : tuple of float
        Per analyte (1, g/mol).
    constant_nm : tuple of float
        Per analyte :math:`K_B` (modulators, alpha1 pool), :math:`K_i` (antagonist, NMDA blocker), nM.
    alpha23_ratio : float
        :math:`K_B` at the alpha2/3 pool over that at alpha1 (modulators; 1 otherwise).
    basis : list of str
    """

    drug: str
    role: str
    analytes: tuple[str, ...]
    unbound_fraction: tuple[float, ...]
    molecular_weight: tuple[float, ...]
    constant_nm: tuple[float, ...]
    alpha23_ratio: float = 1.0
    basis: list[str] = field(default_factory=list)

    def unbound_nm(self, conc_mg_per_l: np.ndarray, j: int) -> np.ndarray:
        """Unbound molar concentration (nM) of analyte ``j`` from total mg/L."""
        return np.asarray(conc_mg_per_l * self.unbound_fraction[j] / self.molecular_weight[j] * 1e6)


def _role(d: Drug) -> str:
    for t in d.targets:
        if t.target == "GABAA-BZD" and "positive allosteric" in t.action:
            return "modulator"
        if t.target == "GABAA-BZD" and "antagonist" in t.action:
            return "bzd_antagonist"
        if t.target == "NMDA":
            return "nmda_blocker"
    raise UnknownDrugError(
        f"drug: {d.name} ({d.drug_class}) acts neither at the GABA-A benzodiazepine site nor at "
        "NMDA receptors; the adaptation model takes GABA-A modulators, flumazenil and ketamine"
    )


def _fu(measured: object, name: str) -> float:
    if measured is None:
        raise UnknownDrugError(f"drug: {name} has no protein binding in the knowledge base")
    return 1.0 - float(measured.to("dimensionless"))  # type: ignore[attr-defined]


def _analytes(d: Drug) -> tuple[list[str], list[float], list[float]]:
    names, fu, mw = [d.name], [_fu(d.pk.protein_binding, d.name)], [d.molecular_weight.to("g/mol")]
    for m in d.metabolites:
        if m.active:
            names.append(m.name)
            fu.append(_fu(m.pk.protein_binding, m.name))
            mw.append(m.molecular_weight.to("g/mol"))
    return names, fu, mw


def _mean_unbound_nm_per_mg_day(d: Drug) -> float:
    """Steady-state summed unbound concentration (nM) per 1 mg/day oral dose, all active analytes."""
    model = pk_model(d, "oral")
    p = model.typical()
    rate = p["f"] / 24.0  # mg/h absorbed per 1 mg/day
    names, fu, mw = _analytes(d)
    total = fu[0] * rate / p["cl"] / mw[0] * 1e6
    for j, name in enumerate(names[1:], start=1):
        cm = p[f"fm_{name}"] * p[f"mwr_{name}"] * rate / p[f"cl_{name}"]
        total += fu[j] * cm / mw[j] * 1e6
    return float(total)


def drug_potency(
    drug: str, *, source: str = "ashton-2002", kb: KnowledgeBase | None = None
) -> DrugPotency:
    """The model constants of ``drug``: role, analytes, unbound fractions and K_B or K_i.

    .. math::

        K_{B,drug} = s_{vivo} K_{B,dz}^{vitro}\\, \\frac{\\bar C_u(D_{eq})}{\\bar C_u^{dz}(10\\,\\mathrm{mg/day})}

    Parameters
    ----------
    drug : str
        A GABA-A benzodiazepine-site modulator with an entry in an equivalence table (``source``,
        or else the first table that lists it, named in the basis), flumazenil, or an NMDA channel
        blocker (ketamine, esketamine).
    source : str
        Equivalence table for modulators without a measured K_B (default ``"ashton-2002"``).

    Returns
    -------
    DrugPotency

    Raises
    ------
    UnknownDrugError
        If the drug is unknown, acts elsewhere, or has no equivalent dose in any table.

    References
    ----------
    1. Ashton CH (2002). The Ashton Manual, table 1.
    2. Dawson GR et al. (2006). J Pharmacol Exp Ther 316:1335-1345.

    Examples
    --------
    >>> round(drug_potency("diazepam").constant_nm[0], 1)  # 27 nM in vitro x 40.7
    1098.9
    >>> round(drug_potency("alprazolam").constant_nm[0], 1)
    60.7
    >>> drug_potency("sertraline")
    Traceback (most recent call last):
    ...
    allostasis.errors.UnknownDrugError: drug: sertraline (ssri) acts neither at the GABA-A benzodiazepine site nor at NMDA receptors; the adaptation model takes GABA-A modulators, flumazenil and ketamine
    """
    kb = kb or load_knowledge_base()
    d = kb[drug]
    role = _role(d)
    if role == "modulator":
        from allostasis.receptor import load_gabaa_subunit_data

        data = load_gabaa_subunit_data()
        ref = data.modulator_named(_REFERENCE_DRUG)
        kb_ref = float(ref.kb.to("nM")) * IN_VIVO_KB_SCALE
        dz = data.compound_named(_REFERENCE_DRUG).subunits
        a23 = math.sqrt(dz["alpha2"].affinity.to("nM") * dz["alpha3"].affinity.to("nM"))
        ratio = a23 / dz["alpha1"].affinity.to("nM")
        names, fu, mw = _analytes(d)
        if d.name == _REFERENCE_DRUG:
            k = kb_ref
            basis = [
                f"diazepam in-vivo K_B = {k:.4g} nM = {float(ref.kb.to('nM')):g} nM (receptor "
                f"layer: {ref.kb.note}) x in-vivo scale {IN_VIVO_KB_SCALE:g} (fitted to 16% "
                "SPECT occupancy at alprazolam 2 mg/day, Fujita et al. 1999)"
            ]
        else:
            if source not in kb.equivalence:
                raise UnknownDrugError(
                    f"source: {source!r} is not an equivalence table; choose one of "
                    f"{', '.join(kb.equivalence)}"
                )
            table = source
            if d.name not in kb.equivalence[source].doses:
                # a drug the chosen table omits takes the first table that lists it, said in the
                # basis (midazolam is only in WHO 2009); never a silent substitute
                listing = [t for t, e in kb.equivalence.items() if d.name in e.doses]
                if not listing:
                    raise UnknownDrugError(
                        f"drug: {d.name} has no equivalent dose in any equivalence table "
                        f"({', '.join(kb.equivalence)})"
                    )
                table = listing[0]
            d_eq = kb.equivalence[table].doses[d.name].typical
            ref_per_mg = _mean_unbound_nm_per_mg_day(kb[_REFERENCE_DRUG])
            drug_per_mg = _mean_unbound_nm_per_mg_day(d)
            k = kb_ref * drug_per_mg * d_eq / (ref_per_mg * _REFERENCE_DOSE_MG)
            basis = [
                (f"{d.name} is not in {source}; " if table != source else "")
                + f"{d.name} K_B = {k:.4g} nM derived from {table}: {d_eq:g} mg = "
                f"{_REFERENCE_DOSE_MG:g} mg diazepam; steady-state unbound "
                f"{drug_per_mg * d_eq:.4g} nM vs diazepam+nordiazepam "
                f"{ref_per_mg * _REFERENCE_DOSE_MG:.4g} nM at K_B {kb_ref:g} nM (modelling assumption)"
            ]
        basis.append(
            f"alpha2/3 pool K_B = {ratio:.3f} x alpha1 (diazepam subunit affinities, Dawson 2006; "
            "assumed for drugs without subunit data)"
        )
        if len(names) > 1:
            basis.append(
                f"active metabolites {names[1:]} share the parent's K_B (modelling assumption)"
            )
        return DrugPotency(
            d.name, role, tuple(names), tuple(fu), tuple(mw), (k,) * len(names), ratio, basis
        )
    if role == "bzd_antagonist":
        t = next(t for t in d.targets if t.target == "GABAA-BZD")
        assert t.ki is not None
        ki = float(t.ki.to("nM"))
        fu_f = _fu(d.pk.protein_binding, d.name)
        return DrugPotency(
            d.name,
            role,
            (d.name,),
            (fu_f,),
            (d.molecular_weight.to("g/mol"),),
            (ki,),
            1.0,
            [
                f"{d.name}: neutral competitive antagonist, Ki = {ki:g} nM [{t.ki.source}], fu = {fu_f:g}"
            ],
        )
    t = next(t for t in d.targets if t.target == "NMDA")
    assert t.ki is not None
    names = [d.name] + [m.name for m in d.metabolites if m.active]
    mws = [d.molecular_weight.to("g/mol")] + [
        m.molecular_weight.to("g/mol") for m in d.metabolites if m.active
    ]
    kis = [float(t.ki.typical)] + [NORKETAMINE_NMDA_KI_NM] * (len(names) - 1)
    return DrugPotency(
        d.name,
        role,
        tuple(names),
        (KETAMINE_UNBOUND_FRACTION,) * len(names),
        tuple(mws),
        tuple(kis),
        1.0,
        [
            f"{d.name}: NMDA channel block, Ki = {kis[0]:.4g} nM [{t.ki.source}]; metabolites "
            f"Ki {NORKETAMINE_NMDA_KI_NM:g} nM; fu = {KETAMINE_UNBOUND_FRACTION:g} (modelling "
            "assumption). INVESTIGATIONAL for withdrawal",
        ],
    )
