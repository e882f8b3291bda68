"""Simulation results as labelled data."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from allostasis.errors import InvalidValueError, UnknownDrugError
from allostasis.exposure._formatting import result_repr
from allostasis.regimen import DosingRecords
from allostasis.units import Q_, ureg

if TYPE_CHECKING:
    from allostasis.exposure._linear_model import LinearCompartmentModel

__all__ = ["PKResult"]


def _factor(unit: str) -> float:
    if ureg.Unit(unit).dimensionality != ureg.Unit("mg/L").dimensionality:
        raise InvalidValueError(
            f"unit: expected a concentration unit such as 'ng/mL'; got {unit!r}"
        )
    return float(Q_(1.0, "mg/L").to(unit).magnitude)


class PKResult:
    """Concentrations per subject, time and analyte, with the inputs that produced them.

    ``values`` has shape ``(n_rows, n_analytes)`` in mg/L, one row per (subject, time); on a shared
    time grid :meth:`concentration` gives the ``(n_subjects, n_times)`` array of one analyte.

    On a shared grid, ``subject_id`` holds one id per subject and ``time`` the grid; the flat
    per-row labels (:attr:`row_subject_id`, :attr:`row_time`) are built only when asked for, since
    for large cohorts they cost more memory than the concentrations themselves.
    """

    def __init__(
        self,
        *,
        model: LinearCompartmentModel,
        regimen: DosingRecords,
        subjects: pd.DataFrame,
        subject_id: np.ndarray,
        time: np.ndarray,
        values: np.ndarray,
        analytes: Sequence[str],
        grid: bool,
    ) -> None:
        self.model = model
        self.regimen = regimen
        self.subjects = subjects
        self.subject_id = subject_id
        self.time = time
        self.values = values
        self.analytes = list(analytes)
        self.grid = grid

    @property
    def n_subjects(self) -> int:
        return len(self.subjects)

    @property
    def row_subject_id(self) -> np.ndarray:
        """Subject id of each row of ``values``."""
        if self.grid:
            return np.repeat(self.subject_id, self.time.size)
        return self.subject_id

    @property
    def row_time(self) -> np.ndarray:
        """Time (h) of each row of ``values``."""
        if self.grid:
            return np.tile(self.time, self.n_subjects)
        return self.time

    def _column(self, analyte: str | None) -> int:
        name = self.analytes[0] if analyte is None else analyte
        if name not in self.analytes:
            raise UnknownDrugError(
                f"analyte: {name!r} is not simulated; available: {self.analytes}"
            )
        return self.analytes.index(name)

    def concentration(self, analyte: str | None = None, unit: str = "mg/L") -> np.ndarray:
        """``(n_subjects, n_times)`` concentrations of one analyte on the shared time grid."""
        if not self.grid:
            raise InvalidValueError("concentration(): needs a shared time grid; use to_dataframe()")
        j = self._column(analyte)
        return self.values[:, j].reshape(self.n_subjects, -1) * _factor(unit)

    @property
    def times(self) -> np.ndarray:
        """The shared time grid (h)."""
        if not self.grid:
            raise InvalidValueError(
                "times: no shared grid; per-subject times are in to_dataframe()"
            )
        return self.time

    def to_dataframe(self, unit: str = "mg/L", form: str = "long") -> pd.DataFrame:
        """Tidy table: ``long`` has columns subject_id, time, analyte, concentration; ``wide`` has
        one column per analyte, indexed by (subject_id, time). Units are in ``df.attrs["units"]``.

        Examples
        --------
        >>> from allostasis.exposure import OneCompartment, time_grid
        >>> from allostasis.regimen import iv_bolus
        >>> r = OneCompartment(cl="1 L/h", v="10 L").simulate(iv_bolus("10 mg"), time_grid("1 h", "1 h"))
        >>> r.to_dataframe(unit="ng/mL")
           subject_id  time  analyte  concentration
        0           1   0.0   parent    1000.000000
        1           1   1.0   parent     904.837418
        """
        fac = _factor(unit)
        if form == "wide":
            df = pd.DataFrame(self.values * fac, columns=self.analytes)
            df.insert(0, "time", self.row_time)
            df.insert(0, "subject_id", self.row_subject_id.astype(np.int64))
            df = df.set_index(["subject_id", "time"])
        elif form == "long":
            n_rows, n_an = self.values.shape
            df = pd.DataFrame(
                {
                    "subject_id": np.tile(self.row_subject_id.astype(np.int64), n_an),
                    "time": np.tile(self.row_time, n_an),
                    "analyte": np.repeat(np.array(self.analytes, dtype=object), n_rows),
                    "concentration": (self.values * fac).T.reshape(-1),
                }
            )
            df = df.sort_values(["subject_id", "analyte", "time"], kind="stable").reset_index(
                drop=True
            )
        else:
            raise InvalidValueError(f"form: must be 'long' or 'wide'; got {form!r}")
        df.attrs["units"] = {"time": "h", "concentration": unit, **{a: unit for a in self.analytes}}
        return df

    def summary(self, unit: str = "mg/L", last: Any = None) -> pd.DataFrame:
        """Per subject and analyte: Cmax, tmax, Cmin, mean and AUC (trapezoid) over the window.

        ``last`` (e.g. ``"24 h"``) restricts the window to the final stretch of the simulation, as
        for a steady-state dosing interval.
        """
        from allostasis.units import magnitude

        df = self.to_dataframe(unit=unit)
        if last is not None:
            span = magnitude(last, field="last", unit="h", strictly_positive=True)
            t_end = df.groupby("subject_id")["time"].transform("max")
            df = df[df["time"] >= t_end - span - 1e-9]
        rows = []
        for (sid, an), g in df.groupby(["subject_id", "analyte"], sort=False):
            t = g["time"].to_numpy()
            c = g["concentration"].to_numpy()
            i = int(np.argmax(c))
            auc = float(np.sum((c[1:] + c[:-1]) * np.diff(t)) / 2) if len(t) > 1 else 0.0
            rows.append(
                {
                    "subject_id": sid,
                    "analyte": an,
                    "cmax": c[i],
                    "tmax": t[i],
                    "cmin": float(c.min()),
                    "cavg": auc / (t[-1] - t[0]) if t[-1] > t[0] else float(c[0]),
                    "auc": auc,
                }
            )
        out = pd.DataFrame(rows)
        out.attrs["units"] = {
            "cmax": unit,
            "cmin": unit,
            "cavg": unit,
            "tmax": "h",
            "auc": f"{unit}*h",
        }
        return out

    def __repr__(self) -> str:
        t0 = float(self.time.min()) if self.time.size else 0.0
        t1 = float(self.time.max()) if self.time.size else 0.0
        n_t = self.values.shape[0] // max(self.n_subjects, 1)
        return result_repr(type(self.model).__name__, self.n_subjects, t0, t1, n_t, self.analytes)
