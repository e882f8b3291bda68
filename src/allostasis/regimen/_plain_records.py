"""Normalise dosing records that are already plain numbers, with NumPy instead of pandas.

:meth:`DosingRecords._normalise` accepts anything a NONMEM data set may hold (any column case,
``.`` for missing, text numbers, ``DUR``, extra columns) and spends about 30 pandas operations on
it. Records built by the package's own constructors are simpler: upper-case NONMEM columns only,
NumPy number dtypes, nothing missing. For those, :func:`normalise_plain` builds the same frame
(same columns in the same order, same dtypes, same values) in a few array operations; anything
else returns ``None`` and takes the general path. The rules are checked afterwards in both cases.

What the general path does to such a frame, and so what this does:

- every column except EVID becomes float64; missing columns are appended with their NONMEM
  default, in the order of ``COLUMNS`` (EVID last, as 1 where AMT > 0, else 0);
- a given EVID keeps its dtype (the general path only fills its missing values);
- TIME and II are multiplied by the time factor, AMT by the amount factor and a positive RATE by
  amount/time.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

__all__ = ["is_plain", "normalise_plain"]


def is_plain(data: pd.DataFrame, columns: dict[str, Any]) -> bool:
    """Upper-case NONMEM columns only (TIME among them), unique, NumPy number dtypes, no missing.

    Such a frame cannot break any of the general path's column checks, so its first possible
    error is a unit error, as there.
    """
    names = list(data.columns)
    if "TIME" not in names or not data.columns.is_unique:
        return False
    for name in names:
        if not isinstance(name, str) or name not in columns:
            return False
        dtype = data[name].dtype
        if not isinstance(dtype, np.dtype) or dtype.kind not in "iuf":
            return False
    return not data.isna().to_numpy().any()


def normalise_plain(
    data: pd.DataFrame, columns: dict[str, Any], time_factor: float, amount_factor: float
) -> pd.DataFrame:
    """The normalised records of a plain frame (see :func:`is_plain`), before the rule check.

    Parameters
    ----------
    data : pandas.DataFrame
        Records as given.
    columns : dict
        The NONMEM columns and their defaults (``allostasis.regimen.COLUMNS``).
    time_factor, amount_factor : float
        Conversion of TIME/II to h and of AMT to mg.

    Examples
    --------
    >>> import pandas as pd
    >>> from allostasis.regimen import COLUMNS
    >>> given = pd.DataFrame({"TIME": [0, 12], "AMT": [5, 0]})
    >>> df = normalise_plain(given, COLUMNS, 1.0, 1000.0)
    >>> list(df.columns), df["AMT"].tolist(), df["EVID"].tolist()
    (['TIME', 'AMT', 'ID', 'CMT', 'II', 'ADDL', 'RATE', 'SS', 'EVID'], [5000.0, 0.0], [1.0, 0.0])
    >>> is_plain(given, COLUMNS), is_plain(pd.DataFrame({"time": [0]}), COLUMNS)
    (True, False)
    """
    out: dict[str, np.ndarray] = {}
    for name in data.columns:
        values = data[name].to_numpy()
        out[name] = values.copy() if name == "EVID" else values.astype(float)
    n = len(data)
    for name, default in columns.items():
        if name != "EVID" and name not in out:
            out[name] = np.full(n, default, dtype=float)
    if "EVID" not in out:
        out["EVID"] = np.where(out["AMT"] > 0, 1.0, 0.0)
    out["TIME"] = out["TIME"] * time_factor
    out["II"] = out["II"] * time_factor
    out["AMT"] = out["AMT"] * amount_factor
    out["RATE"] = out["RATE"] * np.where(out["RATE"] > 0, amount_factor / time_factor, 1.0)
    return pd.DataFrame(out)
