"""``GET /api/drugs`` and ``GET /api/drugs/{name}``: the knowledge base, every value with its source."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel

from allostasis.errors import InvalidValueError
from allostasis.knowledge import Drug, Source, load_knowledge_base

__all__ = ["DrugRecord", "DrugSummary", "router"]

router = APIRouter(tags=["knowledge base"])


class DrugSummary(BaseModel):
    """One line of the drug list."""

    name: str
    drug_class: str
    synonyms: list[str]
    routes: list[str]
    metabolites: list[str]
    targets: list[str]
    rxnorm: str | None


class DrugRecord(BaseModel):
    """One drug with the full citation of every source its values name."""

    drug: Drug
    sources: dict[str, Source]
    basis: list[str]
    """One-line citations of the sources, in id order."""


def _source_ids(node: Any) -> set[str]:
    if isinstance(node, dict):
        found: set[str] = set()
        for k, v in node.items():
            found |= {v} if k == "source" and isinstance(v, str) else _source_ids(v)
        return found
    if isinstance(node, list):
        return set().union(*(_source_ids(v) for v in node)) if node else set()
    return set()


@router.get("/drugs", response_model=list[DrugSummary], summary="List the drugs")
def list_drugs(
    drug_class: Annotated[
        str | None,
        Query(
            max_length=40, description="Only this class, e.g. benzodiazepine.", examples=["ssri"]
        ),
    ] = None,
) -> list[DrugSummary]:
    """Every drug in the knowledge base (optionally one class), like ``allostasis drugs list``."""
    kb = load_knowledge_base()
    drugs = [d for d in kb.drugs.values() if drug_class is None or d.drug_class == drug_class]
    if drug_class is not None and not drugs:
        classes = sorted({d.drug_class for d in kb.drugs.values()})
        raise InvalidValueError(
            f"drug_class: no drugs of class {drug_class!r}; classes: {', '.join(classes)}"
        )
    return [
        DrugSummary(
            name=d.name,
            drug_class=d.drug_class,
            synonyms=d.synonyms,
            routes=d.routes,
            metabolites=[m.name for m in d.metabolites],
            targets=[t.target for t in d.targets],
            rxnorm=d.rxnorm,
        )
        for d in sorted(drugs, key=lambda d: (d.drug_class, d.name))
    ]


@router.get("/drugs/{name}", response_model=DrugRecord, summary="Show one drug")
def show_drug(
    name: Annotated[str, Path(max_length=80, description="Drug name or synonym.")],
) -> DrugRecord:
    """PK, targets, metabolites, formulations, dosing and populations, with every source cited
    (``allostasis drugs show``). An unknown name answers 422 with the nearest names."""
    kb = load_knowledge_base()
    d = kb[name]
    ids = sorted(_source_ids(d.model_dump(mode="json")))
    sources = {sid: kb.source(sid) for sid in ids}
    return DrugRecord(
        drug=d, sources=sources, basis=[f"[{sid}] {s.citation()}" for sid, s in sources.items()]
    )
