"""Parameter specs, value constraints and per-subject parameter tables.

Constraints are data (``Interval``), checked by one function, and reused by the tests to generate
invalid input. Per-subject parameters come as a table with a ``subject_id`` column and one column
per parameter, in the model's declared units; unknown columns and NaNs are refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pint

from allostasis.errors import InvalidValueError, UnitError
from allostasis.units import as_quantity

__all__ = ["Interval", "Parameter", "check_values", "coerce_typical", "subject_table"]


@dataclass(frozen=True)
class Interval:
    """Allowed range of a parameter: ``low < x`` (or ``<=``) and ``x < high`` (or ``<=``)."""

    low: float | None = None
    high: float | None = None
    closed: str = "neither"  # "left", "right", "both", "neither"

    def contains(self, x: np.ndarray) -> np.ndarray:
        """Boolean mask of the values inside the interval (NaN and inf are outside)."""
        ok: np.ndarray = np.isfinite(x)
        if self.low is not None:
            ok &= x >= self.low if self.closed in ("left", "both") else x > self.low
        if self.high is not None:
            ok &= x <= self.high if self.closed in ("right", "both") else x < self.high
        return ok

    def __str__(self) -> str:
        lo = "[" if self.closed in ("left", "both") else "("
        hi = "]" if self.closed in ("right", "both") else ")"
        a = "-inf" if self.low is None else f"{self.low:g}"
        b = "inf" if self.high is None else f"{self.high:g}"
        return f"in {lo}{a}, {b}{hi}"


@dataclass(frozen=True)
class Parameter:
    """One model parameter: name (pharmacometric symbol), unit, meaning and allowed range."""

    name: str
    unit: str
    description: str
    constraint: Interval


def coerce_typical(spec: Parameter, value: Any, owner: str) -> float:
    """Convert a typical value (quantity, string, or plain float for dimensionless) to ``spec.unit``."""
    if spec.unit in ("1", "dimensionless"):
        if isinstance(value, (int, float, np.floating)) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, (str, pint.Quantity)):
            return float(
                as_quantity(value, field=f"{owner}: {spec.name}", unit="dimensionless")
                .to("dimensionless")
                .magnitude
            )
        raise UnitError(f"{owner}: {spec.name} must be a number; got {value!r}")
    q = as_quantity(value, field=f"{owner}: {spec.name}", unit=spec.unit)
    return float(np.asarray(q.to(spec.unit).magnitude))


def check_values(
    specs: dict[str, Parameter], values: dict[str, np.ndarray], ids: np.ndarray, owner: str
) -> None:
    """Raise one error naming every parameter (and subject) outside its allowed range."""
    problems = []
    for name, arr in values.items():
        spec = specs[name]
        bad = ~spec.constraint.contains(arr)
        if bad.any():
            where = ", ".join(str(int(i)) for i in ids[bad][:5])
            more = f" and {int(bad.sum()) - 5} more" if bad.sum() > 5 else ""
            problems.append(
                f"{name!r} must be {spec.constraint} {spec.unit}; got {arr[bad][0]:g} {spec.unit} "
                f"for subject_id {where}{more}"
            )
    if problems:
        raise InvalidValueError(f"{owner}: " + "; ".join(problems))


def subject_table(
    specs: dict[str, Parameter],
    typical: dict[str, float],
    subjects: pd.DataFrame | None,
    ids: np.ndarray,
    owner: str,
) -> pd.DataFrame:
    """One row per subject in ``ids``: columns from ``subjects`` where given, else typical values.

    ``subjects`` may carry ``attrs["units"]`` ({column: unit}); such columns are converted.
    """
    # columns gathered first and the frame built once (inserting them one by one cost ~1 ms)
    columns: dict[str, np.ndarray] = {"subject_id": ids.astype(np.int64)}
    for name, v in typical.items():
        columns[name] = np.full(ids.size, v, dtype=float)
    if subjects is None:
        return pd.DataFrame(columns)
    if not isinstance(subjects, pd.DataFrame):
        raise InvalidValueError(
            f"{owner}: subjects must be a pandas DataFrame; got {type(subjects).__name__}"
        )
    if "subject_id" not in subjects.columns:
        raise InvalidValueError(f"{owner}: the subjects table needs a 'subject_id' column")
    unknown = sorted(set(subjects.columns) - set(specs) - {"subject_id"})
    if unknown:
        raise InvalidValueError(
            f"{owner}: unknown parameter column(s) {unknown}; allowed: {sorted(specs)}"
        )
    if subjects["subject_id"].duplicated().any():
        raise InvalidValueError(f"{owner}: subject_id values must be unique in the subjects table")
    units = dict(subjects.attrs.get("units", {}))
    sub = subjects.set_index("subject_id")
    missing_ids = sorted(set(ids.tolist()) - set(sub.index.astype(np.int64).tolist()))
    if missing_ids and len(sub) != 0:
        raise InvalidValueError(
            f"{owner}: subjects table has no row for subject_id {missing_ids[:5]} in the regimen"
        )
    for col in sub.columns:
        vals = pd.to_numeric(sub[col], errors="coerce").reindex(ids).to_numpy(dtype=float)
        if np.isnan(vals).any():
            raise InvalidValueError(f"{owner}: column {col!r} has missing or non-numeric values")
        if col in units and units[col] != specs[col].unit:
            vals = (
                as_quantity(f"1 {units[col]}", field=f"{owner}: {col}", unit=specs[col].unit)
                .to(specs[col].unit)
                .magnitude
                * vals
            )
        columns[col] = vals
    return pd.DataFrame(columns)
