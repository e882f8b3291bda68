"""Load the drug knowledge base from the TOML files shipped in ``allostasis/knowledge/data``.

One file per drug class holds ``[[drug]]`` tables; ``sources.toml`` holds the citations that every
value points to; ``equivalence.toml`` holds the benzodiazepine equivalence sets. Loading checks
every drug against the schema and every source id against the citation list, and reports all
problems at once.
"""

from __future__ import annotations

import difflib
import tomllib
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from allostasis.errors import KnowledgeBaseError, UnknownDrugError
from allostasis.knowledge._equivalence import EquivalenceSet
from allostasis.knowledge._schema import Drug, Metabolite, Source

__all__ = ["KnowledgeBase", "load_knowledge_base"]


def _is_sources(fname: str) -> bool:
    """``sources.toml`` and ``sources_<class>.toml`` hold citations."""
    return fname.startswith("sources")


def _is_drug_file(fname: str) -> bool:
    return not _is_sources(fname) and fname != "equivalence.toml"


def _normalise(name: str) -> str:
    return " ".join(name.strip().lower().replace("_", " ").replace("-", " ").split())


class KnowledgeBase(Mapping[str, Drug]):
    """All drugs, sources and equivalence sets, looked up by name or synonym (case-insensitive).

    Examples
    --------
    >>> kb = load_knowledge_base()
    >>> kb["Valium"].name
    'diazepam'
    >>> [m.name for m in kb["diazepam"].metabolites]
    ['nordiazepam']
    >>> kb["diazepan"]
    Traceback (most recent call last):
    ...
    allostasis.errors.UnknownDrugError: drug: 'diazepan' is not in the knowledge base; did you mean 'diazepam', ...
    """

    def __init__(
        self,
        drugs: list[Drug],
        sources: dict[str, Source],
        equivalence: dict[str, EquivalenceSet],
    ) -> None:
        self.drugs = {d.name: d for d in drugs}
        self.sources = sources
        self.equivalence = equivalence
        self._alias: dict[str, str] = {}
        for d in drugs:
            for alias in [d.name, *d.synonyms]:
                self._alias[_normalise(alias)] = d.name

    def __getitem__(self, name: str) -> Drug:
        key = self._alias.get(_normalise(str(name)))
        if key is None:
            close = difflib.get_close_matches(_normalise(str(name)), list(self._alias), n=3)
            hint = (
                f"; did you mean {', '.join(repr(self._alias[c]) for c in close)}?" if close else ""
            )
            raise UnknownDrugError(
                f"drug: {name!r} is not in the knowledge base{hint} "
                f"(`allostasis drugs list` shows the {len(self.drugs)} known drugs)"
            )
        return self.drugs[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self.drugs)

    def __len__(self) -> int:
        return len(self.drugs)

    def __repr__(self) -> str:
        return (
            f"<KnowledgeBase: {len(self.drugs)} drugs, {len(self.sources)} sources, "
            f"equivalence sets {sorted(self.equivalence)}>"
        )

    def source(self, source_id: str) -> Source:
        """The citation behind ``source_id``."""
        try:
            return self.sources[source_id]
        except KeyError:
            raise UnknownDrugError(f"source: {source_id!r} is not a known source id") from None

    def metabolite(self, drug: str, name: str) -> Metabolite:
        """A named metabolite of ``drug``."""
        parent = self[drug]
        for m in parent.metabolites:
            if _normalise(m.name) == _normalise(name):
                return m
        known = [m.name for m in parent.metabolites] or ["none"]
        raise UnknownDrugError(
            f"metabolite: {name!r} is not a metabolite of {parent.name}; known: {', '.join(known)}"
        )

    def by_class(self, drug_class: str) -> list[Drug]:
        """All drugs of one class, e.g. ``"benzodiazepine"``."""
        return [d for d in self.drugs.values() if d.drug_class == drug_class]


def _source_ids(node: Any) -> Iterator[str]:
    """Every ``source`` value in a nested structure of dicts and lists."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "source" and isinstance(value, str):
                yield value
            else:
                yield from _source_ids(value)
    elif isinstance(node, list):
        for item in node:
            yield from _source_ids(item)


def read_data_files(directory: Path | None = None) -> dict[str, dict[str, Any]]:
    """The raw TOML documents of the knowledge base, by file name."""
    root = directory or Path(str(resources.files("allostasis.knowledge") / "data"))
    out: dict[str, dict[str, Any]] = {}
    for path in sorted(root.glob("*.toml")):
        try:
            out[path.name] = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise KnowledgeBaseError(f"{path.name}: not valid TOML: {exc}") from None
    return out


def build_knowledge_base(raw: dict[str, dict[str, Any]]) -> KnowledgeBase:
    """Validate raw TOML documents into a :class:`KnowledgeBase`, reporting every problem at once."""
    problems: list[str] = []
    sources: dict[str, Source] = {}
    for fname, doc in raw.items():
        if not _is_sources(fname):
            continue
        for sid, entry in doc.get("source", {}).items():
            if sid in sources:
                problems.append(f"{fname} [{sid}]: source id defined twice")
                continue
            try:
                sources[sid] = Source(id=sid, **entry)
            except ValidationError as exc:
                problems.append(f"{fname} [{sid}]: {_short(exc)}")
    drugs: list[Drug] = []
    seen: set[str] = set()
    for fname, doc in raw.items():
        if not _is_drug_file(fname):
            continue
        for i, entry in enumerate(doc.get("drug", [])):
            label = f"{fname} drug #{i + 1} ({entry.get('name', '?')})"
            try:
                drug = Drug(**entry)
            except ValidationError as exc:
                problems.append(f"{label}: {_short(exc)}")
                continue
            if drug.name in seen:
                problems.append(f"{label}: duplicate drug name")
            seen.add(drug.name)
            drugs.append(drug)
            problems += [
                f"{label}: unknown source id {s!r}" for s in set(_source_ids(entry)) - set(sources)
            ]
    equivalence: dict[str, EquivalenceSet] = {}
    for i, entry in enumerate(raw.get("equivalence.toml", {}).get("set", [])):
        try:
            eq = EquivalenceSet(**entry)
        except ValidationError as exc:
            problems.append(f"equivalence.toml set #{i + 1}: {_short(exc)}")
            continue
        equivalence[eq.id] = eq
        problems += [
            f"equivalence.toml {eq.id}: unknown source id {s!r}"
            for s in set(_source_ids(entry)) - set(sources)
        ]
    if problems:
        raise KnowledgeBaseError(
            f"knowledge base has {len(problems)} problem(s):\n  " + "\n  ".join(problems)
        )
    kb = KnowledgeBase(drugs, sources, equivalence)
    for eq in equivalence.values():
        for name in [eq.reference_drug, *eq.doses]:
            if _normalise(name) not in kb._alias:
                problems.append(
                    f"equivalence.toml {eq.id}: {name!r} is not a drug in the knowledge base"
                )
    if problems:
        raise KnowledgeBaseError(
            f"knowledge base has {len(problems)} problem(s):\n  " + "\n  ".join(problems)
        )
    return kb


def _short(exc: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
    )


@cache
def load_knowledge_base() -> KnowledgeBase:
    """The knowledge base shipped with the package (loaded once, then cached)."""
    return build_knowledge_base(read_data_files())
