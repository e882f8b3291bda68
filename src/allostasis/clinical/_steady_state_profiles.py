"""Benzodiazepine and gabapentinoid profiles at the steady-state unbound concentration of the usual
dose, for the anxiolytic dose-selection aid.

.. math::

    C_{u,ss} = f_u\\,\\overline{C}_{\\text{day }10}\\,/\\,MW

with :math:`\\overline{C}_{\\text{day }10}` the mean plasma concentration over the tenth day of
oral dosing at the labelled interval (:func:`allostasis.exposure.pk_model`), :math:`f_u` the
unbound fraction (1 - protein binding) and :math:`MW` the molecular weight. A benzodiazepine's
usual dose gives its GABA-A modulation by subunit and domain
(:func:`allostasis.receptor.subunit_profile`); a gabapentinoid's lowest and highest usual doses
give the release and circuit reduction in the normal and hyperexcitable states
(:func:`allostasis.physiology.gabapentinoid_circuit`).
"""

from __future__ import annotations

import numpy as np

from allostasis.clinical._dosing_interval import dosing_interval
from allostasis.clinical._selection_result import AnxiolyticSelection
from allostasis.errors import UnknownDrugError
from allostasis.exposure import pk_model, time_grid
from allostasis.knowledge import Drug, KnowledgeBase
from allostasis.physiology import gabapentinoid_circuit
from allostasis.receptor import load_gabaa_subunit_data, subunit_profile
from allostasis.regimen import every
from allostasis.units import Q_

__all__ = ["mean_unbound_nm", "select_benzodiazepine", "select_gabapentinoid"]


def mean_unbound_nm(d: Drug, daily_mg: float, kb: KnowledgeBase) -> float:
    """Steady-state mean unbound plasma concentration of the parent (nM), simulated for 10 days."""
    tau, n = dosing_interval(d)
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


def select_benzodiazepine(d: Drug, kb: KnowledgeBase) -> AnxiolyticSelection:
    """GABA-A modulation by domain and subunit at the unbound concentration of the typical dose.

    Raises
    ------
    UnknownDrugError
        The benzodiazepine has no GABA-A subunit data.
    """
    usual = d.dosing[0].usual_daily_dose
    mg = float(usual.typical)
    conc = mean_unbound_nm(d, mg, kb)
    names = {c.name for c in load_gabaa_subunit_data().compound}
    if d.name not in names:
        raise UnknownDrugError(
            f"drug: {d.name} has no GABA-A subunit data (known: {', '.join(sorted(names))})"
        )
    prof = subunit_profile(d.name, f"{conc} nM")
    return AnxiolyticSelection(
        drug=d.name,
        drug_class=str(d.drug_class),
        summary={
            "daily_dose_mg": mg,
            "unbound_nm": conc,
            "domains": dict(zip(prof.domains["domain"], prof.domains["modulation"], strict=True)),
            "subunits": dict(
                zip(prof.subunits["subunit"], prof.subunits["modulation"], strict=True)
            ),
        },
        basis=[
            f"steady-state mean unbound concentration at {mg:g} mg/day: {conc:.4g} nM",
            *prof.basis,
        ],
    )


def select_gabapentinoid(d: Drug, kb: KnowledgeBase) -> AnxiolyticSelection:
    """Release and circuit reduction, normal and hyperexcitable, at the lowest and highest usual
    daily doses."""
    usual = d.dosing[0].usual_daily_dose
    doses = [v for v in (usual.low, usual.high) if v is not None]
    concs = [mean_unbound_nm(d, float(v), kb) for v in doses]
    eff = gabapentinoid_circuit(d.name, Q_(np.asarray(concs) * 1e-3, "uM"))
    return AnxiolyticSelection(
        drug=d.name,
        drug_class=str(d.drug_class),
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
