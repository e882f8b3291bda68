"""Typed, validated models of the drug knowledge base.

Every number in the data files is a :class:`Measured` value: a typical value (and/or a range), a
unit that pint understands and whose dimension matches the field, and the id of a source in
``data/sources.toml``. A value without a unit or a source cannot be loaded.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Literal

import pint
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from allostasis.units import Q_, Quantity, ureg

__all__ = [
    "DosingPattern",
    "Drug",
    "DrugClass",
    "Formulation",
    "Measured",
    "Metabolite",
    "PKParameters",
    "PopulationNote",
    "RouteParameters",
    "Source",
    "Target",
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Source(_Frozen):
    """A citable source: article, drug label, guideline, book or database."""

    id: str
    kind: Literal["article", "label", "guideline", "book", "database", "review"]
    authors: str
    year: int = Field(ge=1900, le=2100)
    title: str
    journal: str | None = None
    """Journal with volume/pages, or the publisher / agency for labels and guidelines."""
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None

    def citation(self) -> str:
        """Return a one-line citation: authors, year, title, journal, DOI/PMID."""
        parts = [f"{self.authors} ({self.year}). {self.title}."]
        if self.journal:
            parts.append(f"{self.journal}.")
        if self.doi:
            parts.append(f"doi:{self.doi}")
        if self.pmid:
            parts.append(f"PMID:{self.pmid}")
        return " ".join(parts)


class Measured(_Frozen):
    """A literature value with unit and source.

    Either ``value`` (the typical value used by models) or ``low``/``high`` (a reported range) or
    both must be given; if only a range is given, models use its geometric mean.
    """

    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str
    source: str
    note: str | None = None

    @model_validator(mode="after")
    def _check(self) -> Measured:
        if self.value is None and (self.low is None or self.high is None):
            raise ValueError("give 'value', or both 'low' and 'high'")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low ({self.low}) > high ({self.high})")
        if (
            self.value is not None
            and self.low is not None
            and self.high is not None
            and not self.low <= self.value <= self.high
        ):
            raise ValueError(f"value {self.value} outside its range [{self.low}, {self.high}]")
        for name in ("value", "low", "high"):
            v = getattr(self, name)
            if v is not None and v < 0:
                raise ValueError(f"{name} must be >= 0; got {v}")
        try:
            ureg.Unit(self.unit)
        except (pint.errors.PintError, ValueError, AttributeError) as exc:
            raise ValueError(f"unit {self.unit!r} is not a unit pint understands ({exc})") from None
        return self

    @property
    def typical(self) -> float:
        """The value models use: ``value``, else the geometric mean of the range."""
        if self.value is not None:
            return self.value
        assert self.low is not None
        assert self.high is not None
        return float((self.low * self.high) ** 0.5) if self.low > 0 else (self.low + self.high) / 2

    def quantity(self) -> Quantity:
        """The typical value as a pint Quantity."""
        return Q_(self.typical, self.unit)

    def to(self, unit: str) -> float:
        """The typical value converted to ``unit``."""
        return _converted(self.typical, self.unit, unit)


@lru_cache(maxsize=2048)
def _converted(value: float, unit: str, target: str) -> float:
    """``Q_(value, unit).to(target)`` as a float, computed once per arguments (errors not cached).

    Knowledge-base values are converted to the same few units on every model build; the result is
    an immutable float, the same computation as before, so remembering it changes no number.
    """
    return float(Q_(value, unit).to(target).magnitude)


def _dimension(unit: str) -> AfterValidator:
    expected = ureg.Unit(unit).dimensionality

    def check(m: Measured) -> Measured:
        got = ureg.Unit(m.unit).dimensionality
        if got != expected:
            raise ValueError(f"unit {m.unit!r} has dimension {got}; expected one like {unit!r}")
        return m

    return AfterValidator(check)


def _fraction(m: Measured) -> Measured:
    for name in ("value", "low", "high"):
        v = getattr(m, name)
        if v is not None and Q_(v, m.unit).to("dimensionless").magnitude > 1:
            raise ValueError(f"a fraction must be <= 1; got {name}={v} {m.unit}")
    return m


Time = Annotated[Measured, _dimension("h")]
Amount = Annotated[Measured, _dimension("mg")]
Volume = Annotated[Measured, _dimension("L")]
VolumePerWeight = Annotated[Measured, _dimension("L/kg")]
Clearance = Annotated[Measured, _dimension("L/h")]
RateConstant = Annotated[Measured, _dimension("1/h")]
Concentration = Annotated[Measured, _dimension("mg/L")]
MolarMass = Annotated[Measured, _dimension("g/mol")]
Affinity = Annotated[Measured, _dimension("nM")]
AssociationRate = Annotated[Measured, _dimension("1/nM/min")]
Fraction = Annotated[Measured, _dimension("dimensionless"), AfterValidator(_fraction)]
Factor = Annotated[Measured, _dimension("dimensionless")]

DrugClass = Literal[
    "benzodiazepine",
    "z-drug",
    "opioid",
    "ssri",
    "snri",
    "azapirone",
    "gabapentinoid",
    "nmda-antagonist",
    "benzodiazepine-antagonist",
    "opioid-antagonist",
]

Route = Literal[
    "oral", "sublingual", "buccal", "iv", "im", "sc", "intranasal", "rectal", "transdermal"
]


class Target(_Frozen):
    """A molecular target and what the drug does there."""

    target: str
    """Short name: ``GABAA-BZD``, ``MOR``, ``SERT``, ``NET``, ``5-HT1A``, ``a2d``, ``NMDA``..."""
    action: Literal[
        "positive allosteric modulator",
        "negative allosteric modulator",
        "full agonist",
        "partial agonist",
        "antagonist",
        "inverse agonist",
        "inhibitor",
        "channel blocker",
        "ligand",
    ]
    ki: Affinity | None = None
    """Equilibrium dissociation/inhibition constant, as reported (usually nM)."""
    kon: AssociationRate | None = None
    """Association rate constant (e.g. 1/nM/min), for time-resolved competition."""
    koff: RateConstant | None = None
    """Dissociation rate constant (e.g. 1/min)."""
    efficacy: Factor | None = None
    """Intrinsic efficacy relative to the endogenous agonist (1 full, 0 antagonist, <0 inverse)."""
    note: str | None = None


class RouteParameters(_Frozen):
    """Absorption for one route of administration.

    Give ``absorption_rate`` (ka) or ``tmax`` (ka is then solved from tmax and the elimination rate);
    neither for intravenous routes.
    """

    bioavailability: Fraction
    absorption_rate: RateConstant | None = None
    tmax: Time | None = None
    lag_time: Time | None = None
    note: str | None = None


class PKParameters(_Frozen):
    """Disposition of a parent drug or metabolite (systemic, i.e. not divided by F).

    A one-compartment model needs ``volume`` and one of ``clearance`` or ``half_life``. A
    two-compartment model additionally needs ``volume_peripheral`` and
    ``intercompartmental_clearance`` (then ``volume`` is the central volume). Volumes may be given
    per kilogram (``volume_per_kg``); models convert with a 70 kg reference weight unless told.
    """

    model: Literal["one_compartment", "two_compartment"] = "one_compartment"
    half_life: Time | None = None
    clearance: Clearance | None = None
    volume: Volume | None = None
    volume_per_kg: VolumePerWeight | None = None
    volume_peripheral: Volume | None = None
    intercompartmental_clearance: Clearance | None = None
    protein_binding: Fraction | None = None
    routes: dict[Route, RouteParameters] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _check(self) -> PKParameters:
        if self.volume is None and self.volume_per_kg is None:
            raise ValueError("give 'volume' or 'volume_per_kg'")
        if self.clearance is None and self.half_life is None:
            raise ValueError("give 'clearance' or 'half_life'")
        if self.model == "two_compartment" and (
            self.volume_peripheral is None or self.intercompartmental_clearance is None
        ):
            raise ValueError(
                "two_compartment needs volume_peripheral and intercompartmental_clearance"
            )
        return self


class Metabolite(_Frozen):
    """An active metabolite formed from the parent's systemic clearance."""

    name: str
    active: bool = True
    fraction_formed: Fraction
    """Fraction of the parent's clearance that forms this metabolite (molar)."""
    molecular_weight: MolarMass
    pk: PKParameters
    targets: list[Target] = Field(default_factory=list)
    note: str | None = None


class Formulation(_Frozen):
    """A marketed product form: tablet strengths, liquids, patches."""

    form: Literal[
        "tablet",
        "capsule",
        "oral solution",
        "oral suspension",
        "orally disintegrating tablet",
        "extended-release tablet",
        "extended-release capsule",
        "sublingual tablet",
        "buccal film",
        "injection",
        "nasal spray",
        "transdermal patch",
        "rectal gel",
        "lozenge",
        "delayed-release capsule",
        "delayed-release tablet",
    ]
    route: Route
    strengths: list[float] = Field(min_length=1)
    """Available strengths, in ``unit`` (e.g. [2, 5, 10] mg, [12, 25, 50] mcg/h, [1] mg/mL)."""
    unit: str
    scored: bool = False
    """A tablet that can be split in halves (quarters only where the source says so)."""
    splittable_to: float = 1.0
    """Smallest fraction of a unit that can be given: 1 (whole), 0.5 (halves), 0.25 (quarters)."""
    source: str
    note: str | None = None
    region: str = "US"

    @model_validator(mode="after")
    def _check(self) -> Formulation:
        try:
            ureg.Unit(self.unit)
        except (pint.errors.PintError, ValueError, AttributeError) as exc:
            raise ValueError(f"unit {self.unit!r} is not a unit pint understands ({exc})") from None
        if any(v <= 0 for v in self.strengths):
            raise ValueError(f"strengths must be > 0; got {self.strengths}")
        if self.splittable_to not in (1.0, 0.5, 0.25):
            raise ValueError(f"splittable_to must be 1, 0.5 or 0.25; got {self.splittable_to}")
        return self


class DosingPattern(_Frozen):
    """Usual dosing of the drug for its main indication."""

    indication: str
    times_per_day: int = Field(ge=1, le=6)
    dosing_interval: Time | None = None
    """For products not dosed daily: patch change every 72 h, weekly, ... (then times_per_day = 1)."""
    clock_times: list[str] = Field(default_factory=list)
    """Usual administration times, e.g. ["08:00", "20:00"]."""
    usual_daily_dose: Amount
    max_daily_dose: Amount
    source: str


class PopulationNote(_Frozen):
    """A quantified effect of age, hepatic/renal impairment or an interaction on a PK parameter."""

    population: Literal[
        "elderly",
        "hepatic_impairment",
        "renal_impairment",
        "cyp3a4_inhibitor",
        "cyp2d6_poor",
        "cyp2c19_poor",
        "cyp1a2_inhibitor",
        "cyp2d6_inhibitor",
        "pregnancy",
        "obesity",
        "smoker",
    ]
    parameter: Literal["clearance", "half_life", "volume", "bioavailability"]
    factor: Factor
    """Multiplier on the parameter relative to a healthy young adult (e.g. 0.5 = half)."""
    text: str


class Drug(_Frozen):
    """One drug: identity, targets, PK, metabolites, formulations, dosing and sources."""

    name: str
    synonyms: list[str] = Field(default_factory=list)
    drug_class: DrugClass
    atc: str | None = None
    rxnorm: str | None = None
    """RxNorm ingredient concept (RXCUI), used to map EHR orders."""
    molecular_weight: MolarMass
    targets: list[Target]
    pk: PKParameters
    metabolites: list[Metabolite] = Field(default_factory=list)
    formulations: list[Formulation] = Field(default_factory=list)
    dosing: list[DosingPattern] = Field(default_factory=list)
    populations: list[PopulationNote] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)

    @property
    def routes(self) -> list[str]:
        """Routes with absorption data."""
        return list(self.pk.routes)
