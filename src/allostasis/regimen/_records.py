"""Dosing records in the NONMEM convention (ID, TIME, AMT, CMT, EVID, II, ADDL, RATE, SS).

A data set written for NONMEM, mrgsolve or rxode2 runs unchanged: column names are matched without
regard to case, ``.`` means missing, extra columns (DV, covariates, ...) are kept and ignored by the
PK engine. Records are stored in canonical units (time in h, amounts in mg, rates in mg/h); a data
set in other units is converted once when it is read (``time_unit=``, ``amount_unit=``).

Semantics (NONMEM 7 user guide, data item definitions):

=====  ===================================================================================
EVID   0 observation; 1 dose; 2 other (output row, no dose); 3 reset; 4 reset then dose
AMT    dose amount (bioavailability F of the compartment applies)
CMT    1-based compartment the dose enters (the model names them, e.g. 1 depot, 2 central)
II     interdose interval of a repeated or steady-state dose
ADDL   number of additional doses, every II after TIME
RATE   0 bolus; > 0 zero-order input at RATE (duration AMT/RATE); -1/-2 (modelled) unsupported
SS     0 none; 1 reset to steady state of this dose repeated every II; 2 add the steady state
=====  ===================================================================================
An infusion with ``SS=1, II=0, RATE>0`` is a constant infusion already at steady state.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any, Final

import numpy as np
import pandas as pd

from allostasis.errors import DosingRecordError
from allostasis.regimen._plain_records import is_plain, normalise_plain
from allostasis.regimen._record_rules import breaks_a_rule
from allostasis.units import Q_, ureg

__all__ = ["COLUMNS", "DosingRecords"]

#: The NONMEM columns the engine reads, with their defaults.
COLUMNS: Final[dict[str, float]] = {
    "ID": 1,
    "TIME": 0.0,
    "AMT": 0.0,
    "CMT": 1,
    "EVID": np.nan,  # derived: 1 where AMT > 0, else 0
    "II": 0.0,
    "ADDL": 0,
    "RATE": 0.0,
    "SS": 0,
}


def _rows(mask: pd.Series | np.ndarray[Any, Any], limit: int = 5) -> str:
    idx = np.flatnonzero(np.asarray(mask))
    shown = ", ".join(str(i + 1) for i in idx[:limit])
    more = f" and {len(idx) - limit} more" if len(idx) > limit else ""
    return f"row(s) {shown}{more}"


@lru_cache(maxsize=64)
def _unit_factor(unit: str, canonical: str, field: str, expected: str) -> float:
    """Factor converting ``unit`` to ``canonical``; a wrong or unknown unit is a DosingRecordError.

    Cached on the unit text: the factor is an immutable float, and an error is not cached (it is
    raised again on every call).
    """
    try:
        u = ureg.Unit(unit)
    except Exception:  # pint raises UndefinedUnitError, AttributeError, ... on bad unit text
        u = None
    if u is None or u.dimensionality != ureg.Unit(canonical).dimensionality:
        raise DosingRecordError(f"dosing records: {field} must be {expected}; got {unit!r}")
    return float(Q_(1.0, unit).to(canonical).magnitude)


class DosingRecords:
    """A validated NONMEM-style dosing and observation record set.

    Parameters
    ----------
    data : pandas.DataFrame
        Records with (case-insensitive) columns ID, TIME, AMT, CMT, EVID, II, ADDL, RATE, SS; any may be
        missing except TIME and (for doses) AMT, and take the NONMEM default. A ``DUR`` column (rxode2)
        gives infusion durations instead of ``RATE``.
    time_unit, amount_unit : str
        Units of TIME/II and AMT in ``data``; converted to h and mg.

    Raises
    ------
    DosingRecordError
        Listing every row that breaks a rule, with the rule.

    Examples
    --------
    >>> import pandas as pd
    >>> recs = DosingRecords(pd.DataFrame({"ID": [1], "TIME": [0], "AMT": [10], "II": [24], "ADDL": [2]}))
    >>> recs
    <DosingRecords: 1 subject(s), 1 dose record(s) (3 doses after ADDL), 0 observation(s), 0-48 h>
    >>> recs.expand().data[["TIME", "AMT", "ADDL"]].to_numpy().tolist()
    [[0.0, 10.0, 0.0], [24.0, 10.0, 0.0], [48.0, 10.0, 0.0]]
    >>> DosingRecords(pd.DataFrame({"TIME": [0], "AMT": [-1]}))
    Traceback (most recent call last):
    ...
    allostasis.errors.DosingRecordError: dosing records: AMT must be >= 0 (row(s) 1)
    """

    def __init__(
        self, data: pd.DataFrame, *, time_unit: str = "h", amount_unit: str = "mg"
    ) -> None:
        self.data = self._normalise(data, time_unit=time_unit, amount_unit=amount_unit)

    @classmethod
    def _validated(cls, data: pd.DataFrame) -> DosingRecords:
        """Records from rows already normalised and validated by this class (no second pass)."""
        records = cls.__new__(cls)
        records.data = data
        return records

    # ------------------------------------------------------------------ construction and checks
    @staticmethod
    def _normalise(data: pd.DataFrame, *, time_unit: str, amount_unit: str) -> pd.DataFrame:
        if not isinstance(data, pd.DataFrame):
            raise DosingRecordError(
                f"dosing records: expected a pandas DataFrame; got {type(data).__name__}"
            )
        if is_plain(data, COLUMNS):  # plain numbers: the same frame, built with NumPy
            t = _unit_factor(time_unit, "h", "time_unit", "a time unit such as 'h' or 'min'")
            a = _unit_factor(amount_unit, "mg", "amount_unit", "a mass unit such as 'mg' or 'mcg'")
            plain = normalise_plain(data, COLUMNS, t, a)
            DosingRecords._validate(plain)
            return plain
        df = data.copy()
        upper = {c: str(c).upper() for c in df.columns}
        dup = [u for u in set(upper.values()) if list(upper.values()).count(u) > 1]
        if dup:
            raise DosingRecordError(
                f"dosing records: duplicate columns (ignoring case): {sorted(dup)}"
            )
        df = df.rename(columns=upper).replace(".", np.nan)
        if "TIME" not in df.columns:
            raise DosingRecordError("dosing records: a TIME column is required")
        if "RATE" in df.columns and "DUR" in df.columns:
            both = (pd.to_numeric(df["RATE"], errors="coerce").fillna(0) != 0) & (
                pd.to_numeric(df["DUR"], errors="coerce").fillna(0) != 0
            )
            if both.any():
                raise DosingRecordError(
                    f"dosing records: give RATE or DUR for an infusion, not both ({_rows(both)})"
                )
        for col in [*COLUMNS, "DUR"]:
            if col in df.columns:
                converted = pd.to_numeric(df[col], errors="coerce")
                bad = converted.isna() & df[col].notna()
                if bad.any():
                    raise DosingRecordError(
                        f"dosing records: {col} must be numeric ({_rows(bad)}: "
                        f"{df.loc[bad, col].head(3).tolist()})"
                    )
                df[col] = converted
        # TIME is required on every row: check before the defaults below would fill it with 0
        if df["TIME"].isna().any():
            raise DosingRecordError(f"dosing records: TIME is missing ({_rows(df['TIME'].isna())})")
        for col, default in COLUMNS.items():
            if col == "EVID":
                continue
            if col not in df.columns:
                df[col] = default
            df[col] = df[col].fillna(default).astype(float)
        if "EVID" not in df.columns:
            df["EVID"] = np.where(df["AMT"] > 0, 1.0, 0.0)
        df["EVID"] = df["EVID"].fillna(pd.Series(np.where(df["AMT"] > 0, 1.0, 0.0), index=df.index))
        # unit conversion to h / mg (dimensions checked before converting)
        t = _unit_factor(time_unit, "h", "time_unit", "a time unit such as 'h' or 'min'")
        a = _unit_factor(amount_unit, "mg", "amount_unit", "a mass unit such as 'mg' or 'mcg'")
        df["TIME"] *= t
        df["II"] *= t
        df["AMT"] *= a
        df["RATE"] *= np.where(df["RATE"] > 0, a / t, 1.0)
        if "DUR" in df.columns:
            dur = df["DUR"].fillna(0.0) * t
            has = dur > 0
            df.loc[has, "RATE"] = df.loc[has, "AMT"] / dur[has]
            df = df.drop(columns="DUR")
        DosingRecords._validate(df)
        return df.reset_index(drop=True)

    @staticmethod
    def _validate(df: pd.DataFrame) -> None:
        if not breaks_a_rule(df, list(COLUMNS)):
            return  # the NumPy check of the same rules; the masks below only name the rows
        problems: list[str] = []

        def rule(mask: pd.Series, text: str) -> None:
            if mask.any():
                problems.append(f"{text} ({_rows(mask)})")

        finite = np.isfinite(df[list(COLUMNS)].to_numpy(dtype=float)).all(axis=1)
        rule(pd.Series(~finite), "values must be finite")
        rule(df["TIME"] < 0, "TIME must be >= 0")
        rule(df["AMT"] < 0, "AMT must be >= 0")
        rule(~df["EVID"].isin([0, 1, 2, 3, 4]), "EVID must be 0, 1, 2, 3 or 4")
        dose = df["EVID"].isin([1, 4])
        rule(
            dose & ~(df["AMT"] > 0) & ~((df["SS"] > 0) & (df["RATE"] > 0)),
            "a dose (EVID 1/4) needs AMT > 0",
        )
        rule((df["CMT"] < 1) | (df["CMT"] != np.round(df["CMT"])), "CMT must be an integer >= 1")
        rule(df["ADDL"] < 0, "ADDL must be >= 0")
        rule(df["ADDL"] != np.round(df["ADDL"]), "ADDL must be an integer")
        rule(df["II"] < 0, "II must be >= 0")
        rule((df["ADDL"] > 0) & ~(df["II"] > 0), "ADDL > 0 needs II > 0")
        rule(~df["SS"].isin([0, 1, 2]), "SS must be 0, 1 or 2")
        rule(
            (df["SS"] > 0) & ~(df["II"] > 0) & ~(df["RATE"] > 0),
            "SS needs II > 0 (or RATE > 0 with II = 0)",
        )
        rule(
            df["RATE"].isin([-1, -2]),
            "RATE -1/-2 (rate or duration modelled in $PK) is not supported; give RATE > 0 or DUR",
        )
        rule(~df["RATE"].isin([-1, -2]) & (df["RATE"] < 0), "RATE must be >= 0")
        rule(df["ID"] != np.round(df["ID"]), "ID must be an integer")
        unsorted = df.groupby("ID", sort=False)["TIME"].diff() < 0
        rule(unsorted, "TIME must not decrease within an ID (sort the records)")
        if problems:
            raise DosingRecordError("dosing records: " + "; ".join(problems))

    # ------------------------------------------------------------------ I/O
    @classmethod
    def read_csv(
        cls, path: str | Path, *, time_unit: str = "h", amount_unit: str = "mg"
    ) -> DosingRecords:
        """Read a NONMEM/mrgsolve/rxode2 data set from CSV (``.`` means missing)."""
        try:
            df = pd.read_csv(path, na_values=["."], keep_default_na=True)
        except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
            raise DosingRecordError(f"dosing records: cannot read {str(path)!r}: {exc}") from None
        return cls(df, time_unit=time_unit, amount_unit=amount_unit)

    def to_csv(self, path: str | Path) -> None:
        """Write the records as CSV (TIME in h, AMT in mg, RATE in mg/h), readable by mrgsolve/rxode2."""
        out = self.data.copy()
        for col in ("ID", "CMT", "EVID", "ADDL", "SS"):
            out[col] = out[col].astype(int)
        out.to_csv(path, index=False)

    # ------------------------------------------------------------------ views
    @property
    def subject_ids(self) -> np.ndarray[Any, np.dtype[np.int64]]:
        """Subject ids in order of first appearance."""
        return pd.unique(self.data["ID"].astype(np.int64))  # type: ignore[return-value]

    @property
    def doses(self) -> pd.DataFrame:
        """Dose rows (EVID 1 or 4)."""
        return self.data[self.data["EVID"].isin([1, 4])]

    @property
    def observations(self) -> pd.DataFrame:
        """Output rows (EVID 0 or 2)."""
        return self.data[self.data["EVID"].isin([0, 2])]

    def expand(self) -> DosingRecords:
        """Return the same records with ADDL written out as explicit dose rows.

        A steady-state row keeps its SS and II; the additional doses become plain doses (SS=0).
        The result simulates identically to the original.
        """
        df = self.data
        if not (df["ADDL"].to_numpy() > 0).any() and df["ID"].is_monotonic_increasing:
            # nothing to write out and already in (ID, TIME) order: the general path below would
            # return these validated rows unchanged, so skip its repeat, sort and re-validation
            same = df.copy()
            same["TIME"] = same["TIME"].to_numpy() + 0.0 * same["II"].to_numpy()
            same["ADDL"] = 0.0
            return DosingRecords._validated(same)
        rep = (df["ADDL"].to_numpy() + 1).astype(np.int64)
        out = df.loc[df.index.repeat(rep)].copy()
        k = np.concatenate([np.arange(r) for r in rep]) if len(rep) else np.zeros(0)
        out["TIME"] = out["TIME"].to_numpy() + k * out["II"].to_numpy()
        extra = k > 0
        out.loc[extra, "SS"] = 0.0
        out.loc[extra, "II"] = 0.0
        out.loc[extra & (out["EVID"] == 4).to_numpy(), "EVID"] = 1.0
        out["ADDL"] = 0.0
        out["_order"] = np.arange(len(out))
        out = out.sort_values(["ID", "TIME", "_order"], kind="stable").drop(columns="_order")
        return DosingRecords(out.reset_index(drop=True))

    def for_subjects(self, ids: Iterable[int]) -> DosingRecords:
        """The same (single-subject) regimen given to each of ``ids``."""
        ids = list(ids)
        if len(self.subject_ids) != 1:
            raise DosingRecordError(
                f"for_subjects: needs single-subject records; these have {len(self.subject_ids)} subjects"
            )
        parts = [self.data.assign(ID=float(i)) for i in ids]
        return DosingRecords(pd.concat(parts, ignore_index=True))

    def __add__(self, other: DosingRecords) -> DosingRecords:
        """Merge two record sets (e.g. a regimen and a rescue dose), keeping time order per subject."""
        if not isinstance(other, DosingRecords):
            return NotImplemented
        df = pd.concat([self.data, other.data], ignore_index=True)
        df["_order"] = np.arange(len(df))
        df = df.sort_values(["ID", "TIME", "_order"], kind="stable").drop(columns="_order")
        return DosingRecords(df.reset_index(drop=True))

    def __len__(self) -> int:
        return len(self.data)

    def __repr__(self) -> str:
        d = self.doses
        n_doses = int((d["ADDL"] + 1).sum())
        end = self.data["TIME"].max() if len(self.data) else 0.0
        if len(d):
            end = max(end, float((d["TIME"] + d["ADDL"] * d["II"]).max()))
        return (
            f"<DosingRecords: {len(self.subject_ids)} subject(s), {len(d)} dose record(s) "
            f"({n_doses} doses after ADDL), {len(self.observations)} observation(s), "
            f"{self.data['TIME'].min() if len(self.data) else 0:g}-{end:g} h>"
        )
