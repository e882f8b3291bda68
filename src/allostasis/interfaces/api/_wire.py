"""How results travel over the wire: finite JSON and tables as column/row records.

JSON has no NaN or infinity, and Starlette's :class:`~starlette.responses.JSONResponse` refuses
them (a 500). Model outputs use ``inf`` on purpose (e.g. a dose-reduction index where a dose is 0),
so every API response passes through :func:`finite_json`, which writes them as ``null`` — the same
convention the CLI's ``--json`` uses (:func:`allostasis.interfaces.cli._app.finite`).

>>> finite_json({"a": [1.0, float("nan")], "b": float("inf")})
{'a': [1.0, None], 'b': None}
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
import pandas as pd
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

__all__ = ["FiniteJSONResponse", "Table", "columns", "finite_json", "table"]


def finite_json(node: Any) -> Any:
    """``node`` with numpy scalars made plain and NaN/inf floats replaced by ``None``."""
    if isinstance(node, dict):
        return {k: finite_json(v) for k, v in node.items()}
    if isinstance(node, (list, tuple)):
        return [finite_json(v) for v in node]
    if isinstance(node, np.ndarray):
        return finite_json(node.tolist())
    if isinstance(node, np.generic):
        node = node.item()
    if isinstance(node, float) and not math.isfinite(node):
        return None
    return node


class FiniteJSONResponse(JSONResponse):
    """JSON response that writes NaN and infinity as ``null`` instead of failing."""

    def render(self, content: Any) -> bytes:
        try:  # the common case: already JSON-ready (FastAPI serialised the response model)
            text = json.dumps(content, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
        except (TypeError, ValueError):  # numpy values, NaN or infinity somewhere: clean, retry
            text = json.dumps(
                finite_json(jsonable_encoder(content)),
                ensure_ascii=False,
                allow_nan=False,
                separators=(",", ":"),
            )
        return text.encode("utf-8")


class Table(BaseModel):
    """A tidy table: column names, one record per row, and the unit of each column where known."""

    columns: list[str]
    rows: list[dict[str, Any]]
    units: dict[str, str] = Field(default_factory=dict)


def table(df: pd.DataFrame) -> Table:
    """A :class:`Table` from a DataFrame (units from ``df.attrs["units"]``)."""
    return Table(
        columns=[str(c) for c in df.columns],
        rows=finite_json(df.to_dict(orient="records")),
        units={str(k): str(v) for k, v in df.attrs.get("units", {}).items()},
    )


def columns(df: pd.DataFrame, *, digits: int = 6) -> dict[str, list[Any]]:
    """Column name -> values (numbers rounded to ``digits``; dates as ISO text; NaN as ``None``)."""
    out: dict[str, list[Any]] = {}
    for c in df.columns:
        s = df[c]
        if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
            out[str(c)] = finite_json(s.astype(float).round(digits).tolist())
        else:
            out[str(c)] = [str(v) if not isinstance(v, (bool, int, float)) else v for v in s]
    return out
