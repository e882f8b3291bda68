"""Covariate effects on a benzodiazepine's PK parameters: body weight, age, hepatic impairment and
CYP3A4 inhibitors, from the knowledge base's quantified ``populations`` notes.

.. math::

    CL_i = CL \\left(\\frac{WT_i}{70}\\right)^{0.75} \\prod_c \\phi_{c}^{CL}, \\quad
    V_i = V \\frac{WT_i}{70} \\prod_c \\phi_{c}^{V}, \\quad
    F_i = \\min\\left(1, F \\prod_c \\phi_c^{F}\\right)

- **Weight**: allometric exponents 0.75 (clearances, ``cl*`` and ``q``) and 1 (volumes, ``v*``)
  with a 70 kg reference (Anderson & Holford 2008). This also stands in for the knowledge base's
  obesity note (alprazolam Vd x1.56 in obesity, Abernethy 1984), which is therefore not applied on
  top of it.
- **Age >= 65** (``elderly`` notes; the cut-off is the Beers-criteria age, an assumption): a
  half-life factor :math:`f` is applied as clearance / :math:`f` (volume unchanged), except where
  the source reports that clearance is unchanged and the volume grows (diazepam, Klotz 1975), where
  it is applied as volume x :math:`f`.
- **Hepatic impairment** and **CYP3A4 inhibitors**: the notes' clearance, half-life (as above) and
  bioavailability factors (alprazolam: CL x0.25 with ketoconazole, label; midazolam: CL x0.31 and
  F x2, Olkkola 1994/1996). Oral F is capped at 1 (the knowledge base's midazolam note says so).
- **Sex**: the knowledge base quantifies no direct effect; sex enters through the weight
  distribution only (assumption).

Effects act on the parent drug's parameters; metabolite parameters follow weight only.

References
----------
1. Anderson BJ, Holford NHG (2008). Mechanism-based concepts of size and maturity in
   pharmacokinetics. Annu Rev Pharmacol Toxicol 48:303-332. doi:10.1146/annurev.pharmtox.48.113006.094708
2. Klotz U et al. (1975). J Clin Invest 55:347-359. doi:10.1172/JCI107938
3. Xanax (alprazolam) prescribing information (label).
4. Olkkola KT et al. (1994, 1996). Clin Pharmacol Ther; Anesth Analg.

>>> import pandas as pd
>>> cov = pd.DataFrame({"age": [40.0, 70.0], "weight_kg": [70.0, 70.0], "female": [True, False],
...                     "hepatic_impairment": [False, False], "cyp3a4_inhibitor": [False, True]})
>>> t = pk_covariate_table("alprazolam", cov)
>>> [round(x, 3) for x in t["cl"]]
[4.2, 0.709]
"""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from allostasis.errors import InvalidValueError
from allostasis.exposure import pk_model
from allostasis.knowledge import load_knowledge_base

__all__ = [
    "ALLOMETRIC_CLEARANCE",
    "ELDERLY_AGE_YEARS",
    "REFERENCE_WEIGHT_KG",
    "covariate_basis",
    "pk_covariate_table",
]

#: Reference body weight (kg) of the allometric model (Anderson & Holford 2008).
REFERENCE_WEIGHT_KG: Final = 70.0
#: Allometric exponent of clearances (Anderson & Holford 2008); volumes scale with exponent 1.
ALLOMETRIC_CLEARANCE: Final = 0.75
#: Age (years) from which the knowledge base's ``elderly`` notes apply (assumption: Beers age).
ELDERLY_AGE_YEARS: Final = 65.0
#: (drug, population) whose half-life change is carried by the volume, clearance unchanged.
_HALF_LIFE_VIA_VOLUME: Final = frozenset({("diazepam", "elderly")})
_FLAGS: Final = ("elderly", "hepatic_impairment", "cyp3a4_inhibitor")


def _volumes(names: list[str]) -> list[str]:
    return [k for k in names if k in ("v", "v1", "v2")]


def pk_covariate_table(
    drug: str, covariates: pd.DataFrame, route: str = "oral", *, require_cyp3a4: bool = True
) -> pd.DataFrame:
    """Per-subject typical PK parameters of ``drug`` given each subject's covariates.

    Parameters
    ----------
    drug : str
    covariates : pandas.DataFrame
        Columns ``age`` (years), ``weight_kg``, ``hepatic_impairment``, ``cyp3a4_inhibitor``
        (booleans); one row per subject.
    route : str
    require_cyp3a4 : bool
        Raise if subjects take a CYP3A4 inhibitor and the knowledge base has no such note for the
        drug (default); ``False`` applies no effect (the switch to diazepam: none quantified).

    Returns
    -------
    pandas.DataFrame
        One column per PK parameter of the drug's model except ``tlag``, one row per subject.

    Raises
    ------
    InvalidValueError
        If a subject has a CYP3A4 inhibitor and the knowledge base quantifies no such interaction
        for ``drug``.
    """
    typical = pk_model(drug, route).typical()
    names = [k for k in typical if k != "tlag"]
    n = len(covariates)
    out = pd.DataFrame({k: np.full(n, float(typical[k])) for k in names})
    size = covariates["weight_kg"].to_numpy(dtype=float) / REFERENCE_WEIGHT_KG
    for k in names:
        if k.startswith("cl") or k == "q":
            out[k] *= size**ALLOMETRIC_CLEARANCE
        elif k.startswith("v"):
            out[k] *= size
    flags = {
        "elderly": covariates["age"].to_numpy(dtype=float) >= ELDERLY_AGE_YEARS,
        "hepatic_impairment": covariates["hepatic_impairment"].to_numpy(dtype=bool),
        "cyp3a4_inhibitor": covariates["cyp3a4_inhibitor"].to_numpy(dtype=bool),
    }
    notes = load_knowledge_base()[drug].populations
    if (
        require_cyp3a4
        and flags["cyp3a4_inhibitor"].any()
        and not any(p.population == "cyp3a4_inhibitor" for p in notes)
    ):
        raise InvalidValueError(
            f"covariates.cyp3a4_inhibitor: the knowledge base quantifies no CYP3A4-inhibitor effect "
            f"for {drug} (it does for alprazolam and midazolam); set the share to 0"
        )
    seen: set[tuple[str, str]] = set()
    for p in notes:
        if p.population not in _FLAGS or (p.population, p.parameter) in seen:
            continue  # first note per (population, parameter): the knowledge base's main value
        seen.add((p.population, p.parameter))
        on = flags[p.population]
        f = float(p.factor.value or 1.0)
        if p.parameter == "clearance":
            out.loc[on, "cl"] *= f
        elif p.parameter == "half_life":
            if (drug, p.population) in _HALF_LIFE_VIA_VOLUME:
                for v in _volumes(names):
                    out.loc[on, v] *= f
            else:
                out.loc[on, "cl"] /= f
        elif p.parameter == "bioavailability" and "f" in out:
            out.loc[on, "f"] = np.minimum(1.0, out.loc[on, "f"] * f)
        elif p.parameter == "volume":
            continue  # obesity-type notes: carried by the weight model
    return out


def covariate_basis(drug: str) -> list[str]:
    """The covariate effects applied for ``drug``, one line each, with their sources."""
    lines = [
        f"weight: clearances x (WT/{REFERENCE_WEIGHT_KG:g})^{ALLOMETRIC_CLEARANCE:g}, volumes x "
        f"WT/{REFERENCE_WEIGHT_KG:g} (Anderson & Holford 2008, doi:10.1146/annurev.pharmtox.48.113006.094708)",
        "sex: no direct effect quantified (enters through weight) -- assumption",
    ]
    for p in load_knowledge_base()[drug].populations:
        if p.population in _FLAGS and p.parameter != "volume":
            how = (
                "volume x factor"
                if p.parameter == "half_life" and (drug, p.population) in _HALF_LIFE_VIA_VOLUME
                else (
                    "clearance / factor"
                    if p.parameter == "half_life"
                    else p.parameter + " x factor"
                )
            )
            when = f" (age >= {ELDERLY_AGE_YEARS:g})" if p.population == "elderly" else ""
            lines.append(
                f"{p.population}{when}: {p.parameter} factor {float(p.factor.value or 1.0):g} as {how} "
                f"[{p.factor.source}]"
            )
    return lines
