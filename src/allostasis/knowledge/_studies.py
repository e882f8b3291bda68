"""Published in-vivo occupancy studies (PET/SPECT), used to validate the receptor-occupancy models.

The data live in ``data/studies/pet_occupancy.toml`` (a subfolder, so the drug loader does not read
them as drug files); their citations are in ``data/sources_pet.toml``, which the knowledge base
loads with every other source file. :func:`load_pet_studies` validates every entry: the drug must be
in the knowledge base, the source id must be known, fractions must lie in [0, 1] and doses and times
must carry units.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from allostasis.errors import KnowledgeBaseError, UnknownDrugError
from allostasis.knowledge._loader import KnowledgeBase, load_knowledge_base
from allostasis.units import magnitude

__all__ = ["PETStudy", "load_pet_studies"]


class PETStudy(BaseModel):
    """One published occupancy measurement: a drug, a dose, a scan and its mean occupancy."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    drug: str
    target: str = "SERT"
    daily_dose: str
    """Daily dose as quantity text, e.g. ``"20 mg"`` (once daily)."""
    regimen: Literal["repeated", "single"]
    duration: str | None = None
    """Treatment duration before the scan, as quantity text (``"4 weeks"``)."""
    scan_time_after_dose: str | None = None
    """Time from the last dose to the scan, where the paper states it (``"6 h"``)."""
    mean_occupancy: float = Field(ge=0.0, le=1.0)
    low: float | None = Field(default=None, ge=0.0, le=1.0)
    high: float | None = Field(default=None, ge=0.0, le=1.0)
    sd: float | None = Field(default=None, ge=0.0, le=1.0)
    n: int | None = Field(default=None, ge=1)
    tracer: str
    modality: Literal["PET", "SPECT"]
    region: str
    population: str
    source: str
    note: str | None = None

    @field_validator("daily_dose")
    @classmethod
    def _dose(cls, v: str) -> str:
        magnitude(v, field="daily_dose", unit="mg", strictly_positive=True)
        return v

    @field_validator("duration", "scan_time_after_dose")
    @classmethod
    def _time(cls, v: str | None) -> str | None:
        if v is not None:
            magnitude(v, field="time", unit="h", minimum=0.0)
        return v

    @model_validator(mode="after")
    def _range(self) -> PETStudy:
        if (self.low is None) != (self.high is None):
            raise ValueError("give both 'low' and 'high' or neither")
        if (
            self.low is not None
            and self.high is not None
            and not self.low <= self.mean_occupancy <= self.high
        ):
            raise ValueError(
                f"mean_occupancy {self.mean_occupancy} outside [{self.low}, {self.high}]"
            )
        return self

    @property
    def daily_dose_mg(self) -> float:
        """The daily dose in mg."""
        return magnitude(self.daily_dose, field="daily_dose", unit="mg")

    @property
    def scan_time_h(self) -> float | None:
        """Hours from the last dose to the scan, or None where not reported."""
        if self.scan_time_after_dose is None:
            return None
        return magnitude(self.scan_time_after_dose, field="scan_time_after_dose", unit="h")

    def label(self) -> str:
        """A short id for test names and reports: drug, dose, source."""
        return f"{self.drug}-{self.daily_dose.replace(' ', '')}-{self.source}"


def _default_path() -> Path:
    return Path(
        str(resources.files("allostasis.knowledge") / "data" / "studies" / "pet_occupancy.toml")
    )


@cache
def _load_default() -> tuple[PETStudy, ...]:
    return tuple(load_pet_studies(_default_path()))


def load_pet_studies(
    path: str | Path | None = None, *, kb: KnowledgeBase | None = None
) -> list[PETStudy]:
    """Load and validate the published occupancy studies.

    Parameters
    ----------
    path : str or Path, optional
        A TOML file of ``[[study]]`` tables; default the one shipped with the package.
    kb : KnowledgeBase, optional
        Knowledge base whose drugs and sources the studies must name (default the shipped one).

    Returns
    -------
    list of PETStudy
        In file order.

    Raises
    ------
    KnowledgeBaseError
        Invalid TOML, a schema violation, an unknown drug or source id, or a duplicate id; every
        problem is reported at once.

    Examples
    --------
    >>> studies = load_pet_studies()
    >>> s = next(s for s in studies if s.id == "meyer-2001-paroxetine-20mg")
    >>> s.drug, s.daily_dose_mg, s.mean_occupancy, s.n, s.tracer
    ('paroxetine', 20.0, 0.83, 7, '[11C]DASB')
    """
    if path is None and kb is None:
        return list(_load_default())
    p = Path(path) if path is not None else _default_path()
    kb = kb or load_knowledge_base()
    try:
        doc = tomllib.loads(p.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise KnowledgeBaseError(f"{p.name}: not valid TOML: {exc}") from None
    problems: list[str] = []
    out: list[PETStudy] = []
    seen: set[str] = set()
    for i, entry in enumerate(doc.get("study", [])):
        label = f"{p.name} study #{i + 1} ({entry.get('id', '?')})"
        try:
            st = PETStudy(**entry)
        except (ValidationError, ValueError) as exc:
            msg = (
                "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
                if isinstance(exc, ValidationError)
                else str(exc)
            )
            problems.append(f"{label}: {msg}")
            continue
        if st.id in seen:
            problems.append(f"{label}: duplicate id")
        seen.add(st.id)
        try:
            kb[st.drug]
        except UnknownDrugError:
            problems.append(f"{label}: drug {st.drug!r} is not in the knowledge base")
        if st.source not in kb.sources:
            problems.append(f"{label}: unknown source id {st.source!r}")
        out.append(st)
    if problems:
        raise KnowledgeBaseError(
            f"{p.name} has {len(problems)} problem(s):\n  " + "\n  ".join(problems)
        )
    return out
