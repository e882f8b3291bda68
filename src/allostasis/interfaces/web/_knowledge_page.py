"""The drug knowledge base pages: every drug, every value with its source, and where tables disagree.

``/drugs`` lists the drugs and the benzodiazepine equivalence tables side by side (a row is marked
when the tables disagree by more than :data:`allostasis.clinical.DISAGREEMENT_THRESHOLD`, as judged by
:func:`allostasis.clinical.convert_benzodiazepine`). ``/drugs/{name}`` lists every sourced value of one
drug (each ``{value, unit, source}`` in the knowledge base, found by walking the drug's record) with
the full citation of each source.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from allostasis.clinical import DISAGREEMENT_THRESHOLD, convert_benzodiazepine
from allostasis.interfaces.web._page import render
from allostasis.knowledge import Measured, load_knowledge_base

__all__ = ["router", "sourced_values"]

router = APIRouter()


def sourced_values(node: Any, path: str = "") -> list[dict[str, Any]]:
    """Every value carrying a ``source`` in a dumped record, with its dotted path.

    >>> sourced_values({"pk": {"half_life": {"value": 11.2, "unit": "h", "source": "label"}}})
    [{'path': 'pk.half_life', 'value': '11.2', 'unit': 'h', 'source': 'label', 'note': ''}]
    """
    rows: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if isinstance(node.get("source"), str):
            value = node.get("value")
            if value is None and "strengths" in node:
                value = ", ".join(f"{s:g}" for s in node["strengths"])
            if node.get("low") is not None and node.get("high") is not None:
                value = f"{value} ({node['low']:g}-{node['high']:g})"
            rows.append(
                {
                    "path": path,
                    "value": "" if value is None else str(value),
                    "unit": str(node.get("unit") or ""),
                    "source": node["source"],
                    "note": str(node.get("note") or node.get("text") or ""),
                }
            )
        for key, child in node.items():
            if isinstance(child, dict | list):
                rows += sourced_values(child, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, child in enumerate(node):
            label = (
                child.get("name") or child.get("target") or child.get("form")
                if isinstance(child, dict)
                else None
            )
            rows += sourced_values(child, f"{path}[{label or i}]")
    return rows


def _dose(m: Measured | None) -> str:
    if m is None:
        return "-"
    if m.value is not None:
        return f"{m.value:g} {m.unit}"
    return f"{m.low:g}-{m.high:g} {m.unit}" if m.low is not None and m.high is not None else "-"


@lru_cache(maxsize=1)
def _equivalence_rows() -> tuple[list[str], list[dict[str, Any]]]:
    kb = load_knowledge_base()
    tables = list(kb.equivalence)
    drugs = sorted({d for t in kb.equivalence.values() for d in t.doses})
    rows = []
    for drug in drugs:
        listed = {t: kb.equivalence[t].doses.get(drug) for t in tables}
        first = next(t for t, m in listed.items() if m is not None)
        conv = convert_benzodiazepine(drug, "1 mg", "diazepam", source=first)
        rows.append(
            {
                "drug": drug,
                "doses": {t: _dose(m) for t, m in listed.items()},
                "by_source": conv.by_source,
                "disagree": conv.sources_disagree,
                "warnings": conv.warnings,
            }
        )
    return tables, rows


@router.get("/drugs", response_class=HTMLResponse)
def drugs(request: Request) -> HTMLResponse:
    """All drugs, and the equivalence tables with their disagreements."""
    kb = load_knowledge_base()
    tables, rows = _equivalence_rows()
    return render(
        request,
        "drugs.html",
        {
            "active": "/drugs",
            "drugs": sorted(kb.drugs.values(), key=lambda d: (d.drug_class, d.name)),
            "tables": tables,
            "table_info": {t: kb.equivalence[t] for t in tables},
            "citations": {t: kb.source(kb.equivalence[t].source).citation() for t in tables},
            "rows": rows,
            "threshold": DISAGREEMENT_THRESHOLD,
        },
    )


@router.get("/drugs/{name}", response_class=HTMLResponse)
def drug(request: Request, name: str) -> HTMLResponse:
    """One drug: every sourced value and the citations."""
    kb = load_knowledge_base()
    d = kb[name]  # an unknown name raises UnknownDrugError -> 422 with the known names
    values = sourced_values(d.model_dump(mode="json", exclude_none=True))
    used = sorted({v["source"] for v in values})
    return render(
        request,
        "drug.html",
        {
            "active": "/drugs",
            "drug": d,
            "values": values,
            "sources": {sid: kb.source(sid).citation() for sid in used},
        },
    )
