"""An antagonist dose against an agonist held at a steady concentration, at one receptor site.

Naloxone against fentanyl, morphine or buprenorphine at the mu-opioid receptor; flumazenil against
a benzodiazepine at the GABA-A benzodiazepine site. The antagonist's plasma concentration comes
from the PK engine (knowledge-base PK for the chosen route), converted to an unbound molar
concentration; both ligands then compete with their binding kinetics
(:func:`~allostasis.receptor.simulate_competition`):

.. math::

    \\frac{d\\theta_i}{dt} = k_{on,i}\\, C_i(t) \\Big(1 - \\sum_j \\theta_j\\Big) - k_{off,i}\\, \\theta_i

Simplifications, stated in the result's basis: the agonist's unbound concentration is constant
(a patient at steady state, or a fixed exposure); plasma unbound concentration stands for the
concentration at the receptor (no brain distribution delay).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from allostasis.errors import InvalidValueError
from allostasis.exposure import pk_model, time_grid
from allostasis.knowledge import KnowledgeBase, load_knowledge_base
from allostasis.receptor._binding_kinetics import (
    CompetitionResult,
    ligand_from_knowledge_base,
    simulate_competition,
    unbound_molar_concentration,
)
from allostasis.regimen import DosingRecords
from allostasis.units import Q_, magnitude

__all__ = ["antagonist_challenge"]

_SITE = {"opioid-antagonist": "MOR", "benzodiazepine-antagonist": "GABAA-BZD"}


def antagonist_challenge(
    agonist: str,
    agonist_conc: Any,
    antagonist: str = "naloxone",
    antagonist_dose: Any = "0.4 mg",
    *,
    route: str = "iv",
    at: Any = "10 min",
    duration: Any = "4 h",
    assumed_kon: Any = None,
    kb: KnowledgeBase | None = None,
) -> CompetitionResult:
    """Receptor occupancy of an agonist before and after an antagonist dose.

    Parameters
    ----------
    agonist : str
        Drug in the knowledge base with kinetics (or a Ki and ``assumed_kon``) at the site.
    agonist_conc : quantity
        Constant unbound agonist concentration at the receptor (molar, e.g. ``"1 nM"``).
    antagonist : str
        ``naloxone`` (mu-opioid site) or ``flumazenil`` (benzodiazepine site).
    antagonist_dose : quantity
        One dose (mass), given by ``route`` at time ``at``.
    duration : quantity
        Simulated time from 0 (the agonist alone is at equilibrium at time 0).
    assumed_kon : quantity, optional
        Association rate for ligands without published kinetics (labelled an assumption).

    Returns
    -------
    CompetitionResult
        Occupancy of both ligands, ``(1, 2, n_times)``, time in minutes, with basis.

    Examples
    --------
    >>> r = antagonist_challenge("fentanyl", "1 nM", "naloxone", "2 mg", route="iv")
    >>> before, after = r.of("fentanyl")[0][[0, 30]]
    >>> bool(after < 0.5 * before)
    True
    >>> antagonist_challenge("fentanyl", "1 nM", "sertraline", "50 mg")
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: antagonist: sertraline is a ssri; give an opioid antagonist (naloxone) or a benzodiazepine antagonist (flumazenil)
    """
    kb = kb or load_knowledge_base()
    ant = kb[antagonist]
    site = _SITE.get(ant.drug_class)
    if site is None:
        raise InvalidValueError(
            f"antagonist: {ant.name} is a {ant.drug_class}; give an opioid antagonist (naloxone) "
            "or a benzodiazepine antagonist (flumazenil)"
        )
    t_dose = magnitude(at, field="at", unit="h", minimum=0.0)
    t_end = magnitude(duration, field="duration", unit="h", strictly_positive=True)
    if t_dose >= t_end:
        raise InvalidValueError(
            f"at: the dose ({t_dose:g} h) must come before the end ({t_end:g} h)"
        )
    agonist_nm = magnitude(agonist_conc, field="agonist_conc", unit="nM", strictly_positive=True)
    mg = magnitude(antagonist_dose, field="antagonist_dose", unit="mg", strictly_positive=True)
    model = pk_model(ant, route, kb=kb)
    cmt = model.dose_compartment
    records = DosingRecords(
        pd.DataFrame({"TIME": [t_dose], "AMT": [mg], "CMT": [cmt], "EVID": [1]})
    )
    grid = time_grid(f"{t_end} h", "1 min")
    pk = model.simulate(records, grid)
    pb = ant.pk.protein_binding.to("dimensionless") if ant.pk.protein_binding else 0.0
    c_ant = unbound_molar_concentration(
        Q_(pk.concentration(ant.name)[0], "mg/L"),
        molecular_weight=ant.molecular_weight.quantity(),
        fraction_unbound=1.0 - pb,
    )
    lig_a = ligand_from_knowledge_base(agonist, site, assumed_kon=assumed_kon, kb=kb)
    lig_b = ligand_from_knowledge_base(ant.name, site, assumed_kon=assumed_kon, kb=kb)
    res = simulate_competition(
        [lig_a, lig_b], Q_(grid.magnitude, "h"), [Q_(np.full(grid.size, agonist_nm), "nM"), c_ant]
    )
    res.basis.extend(
        [
            f"{ant.name} {mg:g} mg {route} at {t_dose * 60:g} min; PK from the knowledge base "
            f"(unbound fraction {1 - pb:.3g})",
            f"{lig_a.name}: constant unbound concentration {agonist_nm:g} nM (simplification: "
            "agonist exposure held fixed)",
            "plasma unbound concentration stands for the receptor-site concentration (no brain "
            "distribution delay)",
        ]
    )
    return res
