"""Versioned morphine-milligram-equivalent (MME) conversion-factor sets, one TOML file per set.

The sets live in ``allostasis/knowledge/data/mme/`` (a subfolder, so the drug loader ignores them):
``cdc-2022`` (clinical default), ``cdc-2016`` (clinical, superseded; methadone by dose band) and
``cdc-2018-analytic`` (the CDC conversion file for analyses of prescription data). Each factor
carries the unit of the dose it multiplies and a source id from ``sources_mme.toml``. A set is
either ``clinical`` or ``analytic``, and the two kinds must never be combined in one total: the
analytic file's own notes say its factors are not clinical guidance.

.. math:: \\mathrm{MME/day} = D \\cdot f

where :math:`D` is the daily dose in the factor's ``dose_unit`` (mg/day; mcg/h for transdermal
fentanyl) and :math:`f` the factor (for methadone in ``cdc-2016``, chosen by the band that holds the
total methadone dose per day).

References
----------
1. Dowell D, Ragan KR, Jones CM, Baldwin GT, Chou R (2022). CDC Clinical Practice Guideline for
   Prescribing Opioids for Pain - United States, 2022. MMWR Recomm Rep 71(3):1-95.
   doi:10.15585/mmwr.rr7103a1
2. Dowell D, Haegerich TM, Chou R (2016). CDC Guideline for Prescribing Opioids for Chronic Pain -
   United States, 2016. MMWR Recomm Rep 65(1):1-49. doi:10.15585/mmwr.rr6501e1
3. National Center for Injury Prevention and Control (2018). CDC compilation of ... opioid
   analgesics with oral morphine milligram equivalent conversion factors, 2018 version.

Examples
--------
>>> sets = load_mme_factor_sets()
>>> sorted(sets)
['cdc-2016', 'cdc-2018-analytic', 'cdc-2022']
>>> f = sets["cdc-2022"].factor_for("fentanyl", "transdermal")
>>> f.factor, f.dose_unit
(2.4, 'mcg/h')
>>> sets["cdc-2016"].factor_for("methadone", "oral").factor_at(30.0)
8.0
"""

from __future__ import annotations

import math
import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, ValidationError, model_validator

from allostasis.errors import KnowledgeBaseError, UnknownDrugError
from allostasis.knowledge._loader import load_knowledge_base
from allostasis.knowledge._schema import _Frozen

__all__ = [
    "DoseBand",
    "MMEExclusion",
    "MMEFactor",
    "MMEFactorSet",
    "MMEThreshold",
    "load_mme_factor_sets",
    "read_mme_factor_files",
]

#: Routes a factor can be given for (the CDC tables cover oral doses, transdermal fentanyl and, in
#: the analytic file, transmucosal fentanyl).
MMERoute = Literal["oral", "transdermal", "buccal", "sublingual", "intranasal"]

#: How the daily dose ``D`` is formed before it is multiplied by the factor:
#: ``daily_dose`` - amount per day (mg/day or mcg/day);
#: ``patch_rate`` - delivery rate of the patches worn at one time (mcg/h), the CDC clinical rule;
#: ``units_per_day`` - strength per patch (mcg/h) x patches applied per day, the analytic rule.
DoseBasis = Literal["daily_dose", "patch_rate", "units_per_day"]


class DoseBand(_Frozen):
    """A factor that applies when the total daily dose lies in ``(above, up_to]`` (``unit``)."""

    above: float = Field(ge=0)
    up_to: float | None = None
    """Inclusive upper bound; ``None`` means no upper bound."""
    factor: float = Field(gt=0)
    unit: str
    source: str
    note: str | None = None

    def holds(self, dose: float) -> bool:
        """Whether ``dose`` (in ``unit``) lies in this band."""
        return dose > self.above and (self.up_to is None or dose <= self.up_to)


class MMEFactor(_Frozen):
    """One conversion factor: drug, route, the dose it multiplies (with unit) and its source."""

    drug: str
    route: MMERoute
    dose_basis: DoseBasis
    dose_unit: str
    factor: float | None = Field(default=None, gt=0)
    bands: list[DoseBand] = Field(default_factory=list)
    unit: str
    """Human-readable unit of the factor, e.g. ``"MME/day per mg/day"``."""
    source: str
    note: str | None = None

    @model_validator(mode="after")
    def _check(self) -> MMEFactor:
        if (self.factor is None) == (not self.bands):
            raise ValueError(f"{self.drug}: give either 'factor' or 'bands', not both or neither")
        if self.bands:
            edge = 0.0
            for b in self.bands:
                if not math.isclose(b.above, edge):
                    raise ValueError(
                        f"{self.drug}: dose bands must be contiguous from 0; a band starts at "
                        f"{b.above:g} where {edge:g} was expected"
                    )
                if b.up_to is None:
                    edge = math.inf
                else:
                    if b.up_to <= b.above:
                        raise ValueError(
                            f"{self.drug}: band up_to {b.up_to:g} <= above {b.above:g}"
                        )
                    edge = b.up_to
            if edge != math.inf:
                raise ValueError(f"{self.drug}: the last dose band must have no upper bound")
        return self

    def band_at(self, dose: float) -> DoseBand | None:
        """The band that holds ``dose`` (``None`` for a single-factor entry)."""
        for b in self.bands:
            if b.holds(dose):
                return b
        return None

    def factor_at(self, dose: float) -> float:
        """The factor that applies to a total daily dose ``dose`` (in ``dose_unit``)."""
        if self.factor is not None:
            return self.factor
        band = self.band_at(dose)
        if band is None:
            raise UnknownDrugError(
                f"dose: {dose:g} {self.dose_unit} of {self.drug} lies in no dose band of this set"
            )
        return band.factor


class MMEExclusion(_Frozen):
    """A drug the set deliberately leaves out of the MME total, with the reason."""

    drug: str
    reason: str
    source: str


class MMEThreshold(_Frozen):
    """A guideline dose benchmark (MME/day) and what the guideline says to do at it."""

    mme_per_day: float = Field(gt=0)
    unit: Literal["MME/day"]
    action: str
    source: str


class MMEFactorSet(_Frozen):
    """One versioned MME factor set (clinical or analytic), as published by one source."""

    id: str
    kind: Literal["clinical", "analytic"]
    title: str
    source: str
    notes: list[str] = Field(min_length=1)
    factor: list[MMEFactor] = Field(min_length=1)
    excluded: list[MMEExclusion] = Field(default_factory=list)
    threshold: list[MMEThreshold] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> MMEFactorSet:
        keys = [(f.drug, f.route) for f in self.factor]
        dupes = sorted({f"{d} ({r})" for d, r in keys if keys.count((d, r)) > 1})
        if dupes:
            raise ValueError(f"duplicate factors for {', '.join(dupes)}")
        return self

    def exclusion_for(self, drug: str) -> MMEExclusion | None:
        """The exclusion entry for ``drug``, if the set excludes it."""
        return next((e for e in self.excluded if e.drug == drug), None)

    def factor_for(self, drug: str, route: str) -> MMEFactor:
        """The factor for ``drug`` by ``route``.

        Raises
        ------
        UnknownDrugError
            If the set has no factor for that drug and route; the message lists what it has.
        """
        for f in self.factor:
            if f.drug == drug and f.route == route:
                return f
        routes = [f.route for f in self.factor if f.drug == drug]
        if routes:
            raise UnknownDrugError(
                f"route: factor set {self.id!r} has no MME factor for {drug} by the {route} route; "
                f"it covers {drug} by {', '.join(routes)}"
            )
        drugs = sorted({f.drug for f in self.factor})
        raise UnknownDrugError(
            f"drug: factor set {self.id!r} has no MME factor for {drug}; it covers "
            f"{', '.join(drugs)}"
        )


def read_mme_factor_files(directory: Path | None = None) -> dict[str, dict[str, Any]]:
    """The raw TOML documents of the MME factor sets, by file name."""
    root = directory or Path(str(resources.files("allostasis.knowledge") / "data" / "mme"))
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(root.glob("*.toml")):
        try:
            out[path.name] = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise KnowledgeBaseError(f"mme/{path.name}: not valid TOML: {exc}") from None
    return out


def _source_ids(s: MMEFactorSet) -> set[str]:
    ids = {s.source}
    for f in s.factor:
        ids.add(f.source)
        ids.update(b.source for b in f.bands)
    ids.update(e.source for e in s.excluded)
    ids.update(t.source for t in s.threshold)
    return ids


def build_mme_factor_sets(raw: dict[str, dict[str, Any]]) -> dict[str, MMEFactorSet]:
    """Validate raw TOML documents into factor sets, reporting every problem at once.

    Checks: the schema; the file name equals ``<id>.toml``; every source id is in the knowledge
    base's citation list; every drug (factor or exclusion) is an opioid in the knowledge base.
    """
    kb = load_knowledge_base()
    problems: list[str] = []
    sets: dict[str, MMEFactorSet] = {}
    for fname, doc in raw.items():
        try:
            s = MMEFactorSet(**doc)
        except ValidationError as exc:
            detail = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
            )
            problems.append(f"mme/{fname}: {detail}")
            continue
        if fname != f"{s.id}.toml":
            problems.append(f"mme/{fname}: id {s.id!r} does not match the file name")
        problems += [
            f"mme/{fname}: unknown source id {sid!r}"
            for sid in sorted(_source_ids(s) - set(kb.sources))
        ]
        for name in sorted({f.drug for f in s.factor} | {e.drug for e in s.excluded}):
            if name not in kb.drugs or kb.drugs[name].drug_class != "opioid":
                problems.append(f"mme/{fname}: {name!r} is not an opioid in the knowledge base")
        sets[s.id] = s
    if problems:
        raise KnowledgeBaseError(
            f"MME factor sets have {len(problems)} problem(s):\n  " + "\n  ".join(problems)
        )
    return sets


@cache
def load_mme_factor_sets() -> dict[str, MMEFactorSet]:
    """The MME factor sets shipped with the package, by id (loaded once, then cached).

    Returns
    -------
    dict of str to MMEFactorSet
        ``cdc-2022`` (clinical default), ``cdc-2016`` (clinical) and ``cdc-2018-analytic``.

    Raises
    ------
    KnowledgeBaseError
        If a file is malformed, names an unknown source or a drug that is not an opioid.
    """
    return build_mme_factor_sets(read_mme_factor_files())
