"""GABA-A alpha-subunit profiles: per-subunit occupancy x efficacy, mapped to effect domains.

A benzodiazepine-site ligand binds receptors containing alpha1, alpha2, alpha3 or alpha5 (with a
gamma2 subunit). At a free concentration :math:`C`, its modulation of subtype :math:`i` is its
occupancy there times its efficacy there,

.. math::

    M_i(C) = \\frac{C}{C + K_i}\\, \\varepsilon_i ,

where :math:`K_i` is the (apparent) affinity and :math:`\\varepsilon_i` the maximal potentiation of
an EC20 GABA current (1.03 = +103%; 0 = neutral antagonist; < 0 = inverse agonist). Effect domains
follow the subunit that mediates them: sedation and amnesia from alpha1 (McKernan et al. 2000;
Rudolph et al. 1999), anxiolysis from alpha2/alpha3 (Low et al. 2000), cognition from alpha5
(Dawson et al. 2006). A domain served by several subunits takes their mean modulation.

The per-compound data (with sources) live in ``knowledge/data/studies/gabaa_subunits.toml``; a
hypothetical compound is labelled ``hypothetical = true`` there and in every table made from it.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError
from scipy.optimize import brentq

from allostasis.errors import InvalidValueError, KnowledgeBaseError, UnknownDrugError
from allostasis.knowledge import Measured, load_knowledge_base
from allostasis.units import magnitude

__all__ = [
    "SUBUNITS",
    "GabaaSubunitData",
    "SubunitProfile",
    "compare_at_equal_anxiolysis",
    "load_gabaa_subunit_data",
    "subunit_profile",
]

#: Benzodiazepine-sensitive alpha subunits, in table order.
SUBUNITS: tuple[str, ...] = ("alpha1", "alpha2", "alpha3", "alpha5")


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SubunitValues(_Frozen):
    """Affinity (nM) and efficacy (fraction potentiation of EC20 GABA) at one alpha subtype."""

    affinity: Measured
    efficacy: Measured


class Compound(_Frozen):
    """A benzodiazepine-site ligand with per-subunit data."""

    name: str
    hypothetical: bool
    description: str
    subunits: dict[str, SubunitValues]


class Modulator(_Frozen):
    """Allosteric parameters of a modulator at alpha1beta2gamma2 (see ``_allosteric``)."""

    name: str
    kb: Measured
    alpha: Measured
    beta: Measured


class GabaParameters(_Frozen):
    """GABA at alpha1beta2gamma2: EC50, Hill slope and fraction open at saturation."""

    ec50: Measured
    hill: Measured
    max_open_fraction: Measured


class Domain(_Frozen):
    """An effect domain and the alpha subunits that mediate it."""

    name: str
    subunits: list[str]
    source: str


class GabaaSubunitData(_Frozen):
    """Contents of ``studies/gabaa_subunits.toml``, validated."""

    gaba: GabaParameters
    modulator: list[Modulator]
    compound: list[Compound]
    domain: list[Domain]

    def compound_named(self, name: str) -> Compound:
        """The compound called ``name`` (case-insensitive)."""
        for c in self.compound:
            if c.name.lower() == str(name).strip().lower():
                return c
        known = ", ".join(c.name for c in self.compound)
        raise UnknownDrugError(
            f"compound: {name!r} has no GABA-A subunit data; known compounds: {known}"
        )

    def modulator_named(self, name: str) -> Modulator:
        """The allosteric modulator called ``name`` (case-insensitive)."""
        for m in self.modulator:
            if m.name.lower() == str(name).strip().lower():
                return m
        known = ", ".join(m.name for m in self.modulator)
        raise UnknownDrugError(
            f"modulator: {name!r} has no allosteric parameters at GABA-A; known modulators: {known}"
        )


def _data_path() -> Path:
    return Path(
        str(resources.files("allostasis.knowledge") / "data" / "studies" / "gabaa_subunits.toml")
    )


def _source_ids(node: Any) -> set[str]:
    if isinstance(node, dict):
        out: set[str] = set()
        for k, v in node.items():
            out |= {v} if k == "source" and isinstance(v, str) else _source_ids(v)
        return out
    if isinstance(node, list):
        return set().union(*(_source_ids(v) for v in node)) if node else set()
    return set()


def _validate(raw: dict[str, Any]) -> GabaaSubunitData:
    try:
        data = GabaaSubunitData(**raw)
    except ValidationError as exc:
        raise KnowledgeBaseError(f"gabaa_subunits.toml: {exc}") from None
    problems: list[str] = []
    unknown = _source_ids(raw) - set(load_knowledge_base().sources)
    problems += [f"unknown source id {s!r}" for s in sorted(unknown)]
    for c in data.compound:
        missing = [s for s in SUBUNITS if s not in c.subunits]
        extra = [s for s in c.subunits if s not in SUBUNITS]
        if missing or extra:
            problems.append(
                f"compound {c.name}: subunits must be exactly {', '.join(SUBUNITS)}; "
                f"missing {missing or 'none'}, unexpected {extra or 'none'}"
            )
        for s, v in c.subunits.items():
            if not v.affinity.to("nM") > 0:
                problems.append(f"compound {c.name} {s}: affinity must be > 0 nM")
    for d in data.domain:
        bad = [s for s in d.subunits if s not in SUBUNITS]
        if bad:
            problems.append(f"domain {d.name}: unknown subunits {bad}")
    if problems:
        raise KnowledgeBaseError(
            f"gabaa_subunits.toml has {len(problems)} problem(s):\n  " + "\n  ".join(problems)
        )
    return data


@cache
def load_gabaa_subunit_data() -> GabaaSubunitData:
    """Load and validate the GABA-A subunit data file (cached).

    Returns
    -------
    GabaaSubunitData
        GABA parameters, allosteric modulators, per-subunit compound data and effect domains; every
        number a :class:`~allostasis.knowledge.Measured` with unit and source.

    Raises
    ------
    KnowledgeBaseError
        If the file is malformed, a compound lacks a subunit, or a source id is unknown.

    Examples
    --------
    >>> data = load_gabaa_subunit_data()
    >>> [c.name for c in data.compound]
    ['diazepam', 'hypothetical-a2a3-selective']
    >>> data.compound_named("diazepam").subunits["alpha2"].efficacy.value
    1.35
    """
    try:
        raw = tomllib.loads(_data_path().read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeBaseError(f"gabaa_subunits.toml: not valid TOML: {exc}") from None
    return _validate(raw)


@dataclass(frozen=True)
class SubunitProfile:
    """Per-subunit modulation of one compound at one free concentration, and its effect domains.

    Attributes
    ----------
    compound : str
    hypothetical : bool
        True for an illustrative compound that is not a measured drug.
    conc_nm : float
        Free concentration used.
    subunits : pandas.DataFrame
        One row per alpha subunit: ``subunit, affinity_nm, efficacy, occupancy, modulation``.
    domains : pandas.DataFrame
        One row per effect domain: ``domain, subunits, modulation``.
    basis : list of str
    """

    compound: str
    hypothetical: bool
    conc_nm: float
    subunits: pd.DataFrame
    domains: pd.DataFrame
    basis: list[str] = field(default_factory=list)


def _modulation(compound: Compound, conc_nm: np.ndarray) -> dict[str, np.ndarray]:
    out: dict[str, np.ndarray] = {}
    for s in SUBUNITS:
        v = compound.subunits[s]
        k = v.affinity.to("nM")
        out[s] = conc_nm / (conc_nm + k) * v.efficacy.to("dimensionless")
    return out


def _domain_values(data: GabaaSubunitData, mod: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    return {d.name: np.mean([mod[s] for s in d.subunits], axis=0) for d in data.domain}


def subunit_profile(compound: str, conc: Any) -> SubunitProfile:
    """Per-subunit occupancy and modulation of a benzodiazepine-site ligand, and its effect domains.

    .. math::

        M_i = \\frac{C}{C + K_i}\\,\\varepsilon_i, \\qquad
        D_d = \\frac{1}{|S_d|}\\sum_{i \\in S_d} M_i

    Parameters
    ----------
    compound : str
        A compound in ``studies/gabaa_subunits.toml`` (``"diazepam"``,
        ``"hypothetical-a2a3-selective"``).
    conc : str or pint.Quantity
        Free (unbound) concentration at the receptor, molar, >= 0 (e.g. ``"50 nM"``).

    Returns
    -------
    SubunitProfile
        ``subunits`` table (4 rows) and ``domains`` table (one row per domain) with a basis.

    Raises
    ------
    UnknownDrugError
        If the compound has no subunit data.
    UnitError
        If ``conc`` is a bare number or not a molar concentration.
    InvalidValueError
        If ``conc`` is negative.

    References
    ----------
    1. McKernan RM et al. (2000) Nat Neurosci 3:587-592. doi:10.1038/75761
    2. Low K et al. (2000) Science 290:131-134.
    3. Dawson GR et al. (2006) J Pharmacol Exp Ther 316(3).

    Examples
    --------
    >>> p = subunit_profile("diazepam", "27 nM")
    >>> round(float(p.subunits.set_index("subunit").loc["alpha1", "occupancy"]), 2)
    0.5
    >>> p.domains[["domain", "modulation"]].round(2).values.tolist()
    [['sedation', 0.52], ['amnesia', 0.52], ['anxiolysis', 0.61], ['cognition', 0.65]]
    >>> subunit_profile("diazepam", "-1 nM")
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: conc: must be >= 0 nM; got -1 nanomolar
    """
    data = load_gabaa_subunit_data()
    c = data.compound_named(compound)
    conc_nm = magnitude(conc, field="conc", unit="nM", minimum=0.0)
    mod = _modulation(c, np.asarray(conc_nm))
    rows = []
    for s in SUBUNITS:
        v = c.subunits[s]
        k = v.affinity.to("nM")
        rows.append(
            {
                "subunit": s,
                "affinity_nm": k,
                "efficacy": v.efficacy.to("dimensionless"),
                "occupancy": conc_nm / (conc_nm + k),
                "modulation": float(mod[s]),
            }
        )
    subunits = pd.DataFrame(rows)
    subunits.attrs["units"] = {
        "affinity_nm": "nM",
        "efficacy": "fraction potentiation of EC20 GABA",
    }
    dom = _domain_values(data, mod)
    domains = pd.DataFrame(
        [
            {"domain": d.name, "subunits": "+".join(d.subunits), "modulation": float(dom[d.name])}
            for d in data.domain
        ]
    )
    kb = load_knowledge_base()
    basis = [
        "M_i = C/(C + K_i) x efficacy_i; domain = mean of its subunits' M_i",
        f"C = {conc_nm:g} nM free {c.name}"
        + (" (HYPOTHETICAL compound)" if c.hypothetical else ""),
        *(
            f"{s}: K = {c.subunits[s].affinity.typical:g} nM, efficacy = "
            f"{c.subunits[s].efficacy.typical:g} ({kb.source(c.subunits[s].efficacy.source).citation()})"
            for s in SUBUNITS
        ),
        *(
            f"{d.name} <- {'+'.join(d.subunits)}: {kb.source(d.source).citation()}"
            for d in data.domain
        ),
    ]
    return SubunitProfile(
        compound=c.name,
        hypothetical=c.hypothetical,
        conc_nm=conc_nm,
        subunits=subunits,
        domains=domains,
        basis=basis,
    )


def _conc_for_anxiolysis(data: GabaaSubunitData, c: Compound, target: float) -> float:
    anx = next(d for d in data.domain if d.name == "anxiolysis")

    def f(log_c: float) -> float:
        mod = _modulation(c, np.asarray(10.0**log_c))
        return float(np.mean([mod[s] for s in anx.subunits])) - target

    ceiling = float(np.mean([c.subunits[s].efficacy.to("dimensionless") for s in anx.subunits]))
    if not target < ceiling:
        raise InvalidValueError(
            f"anxiolytic_modulation: {target:g} cannot be reached by {c.name}, whose maximal "
            f"alpha2/alpha3 modulation is {ceiling:g}; choose a value below {ceiling:g}"
        )
    return float(10.0 ** brentq(f, -6.0, 9.0, xtol=1e-12))


def compare_at_equal_anxiolysis(
    compounds: tuple[str, ...] | list[str] = ("diazepam", "hypothetical-a2a3-selective"),
    *,
    anxiolytic_modulation: float = 0.3,
) -> pd.DataFrame:
    """Compare compounds side by side at the free concentration giving equal alpha2/alpha3 modulation.

    For each compound the free concentration :math:`C^*` solving
    :math:`\\tfrac12 (M_{\\alpha2}(C^*) + M_{\\alpha3}(C^*)) = A` is found (Brent's method on
    :math:`\\log_{10} C`), and every subunit's modulation and every domain's value are reported there.

    .. math::

        M_i(C) = \\frac{C}{C + K_i}\\, \\varepsilon_i

    Parameters
    ----------
    compounds : sequence of str
        Compounds with subunit data; default diazepam and the hypothetical alpha2/alpha3-selective one.
    anxiolytic_modulation : float
        Target anxiolysis :math:`A` (mean alpha2/alpha3 potentiation of EC20 GABA as a fraction),
        > 0 and below each compound's maximal alpha2/alpha3 efficacy. Default 0.3 (+30%).

    Returns
    -------
    pandas.DataFrame
        One row per compound (shape ``(n_compounds, 12)``): ``compound, hypothetical, conc_nm,
        alpha1, alpha2, alpha3, alpha5, sedation, amnesia, anxiolysis, cognition``, plus ``basis``
        in ``df.attrs["basis"]``.

    Raises
    ------
    InvalidValueError
        If ``anxiolytic_modulation`` is not > 0 or cannot be reached by a compound.
    UnknownDrugError
        If a compound has no subunit data.

    References
    ----------
    1. McKernan RM et al. (2000) Nat Neurosci 3:587-592. doi:10.1038/75761
    2. Atack JR et al. (2006) J Pharmacol Exp Ther 316(1) (TPA023 profile).

    Examples
    --------
    >>> df = compare_at_equal_anxiolysis(anxiolytic_modulation=0.3)
    >>> df[["compound", "hypothetical", "anxiolysis", "sedation"]].round(3).values.tolist()
    [['diazepam', False, 0.3, 0.249], ['hypothetical-a2a3-selective', True, 0.3, 0.0]]
    >>> compare_at_equal_anxiolysis(anxiolytic_modulation=0.6)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: anxiolytic_modulation: 0.6 cannot be reached by hypothetical-a2a3-selective, whose maximal alpha2/alpha3 modulation is 0.5; choose a value below 0.5
    """
    target = float(anxiolytic_modulation)
    if not np.isfinite(target) or not target > 0:
        raise InvalidValueError(
            f"anxiolytic_modulation: must be a finite fraction > 0 (e.g. 0.3 for +30%); got {anxiolytic_modulation!r}"
        )
    if isinstance(compounds, str) or len(compounds) == 0:
        raise InvalidValueError(
            f"compounds: give a list of compound names, e.g. ['diazepam']; got {compounds!r}"
        )
    data = load_gabaa_subunit_data()
    rows = []
    basis = [
        f"each compound at the free concentration where mean(alpha2, alpha3) modulation = {target:g}",
        "M_i = C/(C + K_i) x efficacy_i (efficacy = potentiation of EC20 GABA)",
    ]
    for name in compounds:
        c = data.compound_named(name)
        conc = _conc_for_anxiolysis(data, c, target)
        mod = _modulation(c, np.asarray(conc))
        dom = _domain_values(data, mod)
        row: dict[str, Any] = {"compound": c.name, "hypothetical": c.hypothetical, "conc_nm": conc}
        row.update({s: float(mod[s]) for s in SUBUNITS})
        row.update({d: float(v) for d, v in dom.items()})
        rows.append(row)
        basis.append(
            f"{c.name}: C* = {conc:.4g} nM" + (" (HYPOTHETICAL)" if c.hypothetical else "")
        )
    df = pd.DataFrame(rows)
    df.attrs["basis"] = basis
    df.attrs["units"] = {"conc_nm": "nM", "modulation": "fraction potentiation of EC20 GABA"}
    return df
