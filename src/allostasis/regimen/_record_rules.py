"""A fast yes/no check of the NONMEM record rules, on plain arrays.

:meth:`DosingRecords._validate` states each rule as a pandas mask and lists the rows that break
it. Building those masks costs about 40 pandas operations, which dominates the construction of a
small record set (a one-dose regimen is built and expanded per drug in every breathing
simulation). :func:`breaks_a_rule` evaluates the same rules with NumPy and only answers whether
any row breaks any of them; the caller then runs the pandas rules to write the message, so every
error is word for word what it was.

The rules (NONMEM 7 user guide, data item definitions), one line each in both places:

- every value of ID, TIME, AMT, CMT, EVID, II, ADDL, RATE, SS finite;
- TIME >= 0, AMT >= 0, EVID in {0, 1, 2, 3, 4};
- a dose (EVID 1/4) has AMT > 0, unless it is a steady-state infusion (SS > 0, RATE > 0);
- CMT an integer >= 1; ADDL an integer >= 0; II >= 0; ADDL > 0 needs II > 0;
- SS in {0, 1, 2}; SS > 0 needs II > 0 or RATE > 0;
- RATE >= 0 (RATE -1/-2, modelled rates, are not supported);
- ID an integer; TIME does not decrease within an ID.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["breaks_a_rule"]


def breaks_a_rule(df: pd.DataFrame, columns: list[str]) -> bool:
    """Whether any row of normalised records breaks a record rule.

    Parameters
    ----------
    df : pandas.DataFrame
        Records after normalisation (upper-case NONMEM columns, numeric).
    columns : list of str
        The NONMEM columns in the order ID, TIME, AMT, CMT, EVID, II, ADDL, RATE, SS.

    Examples
    --------
    >>> import pandas as pd
    >>> cols = ["ID", "TIME", "AMT", "CMT", "EVID", "II", "ADDL", "RATE", "SS"]
    >>> ok = pd.DataFrame([[1, 0.0, 10.0, 1, 1, 24.0, 2, 0.0, 0]], columns=cols)
    >>> breaks_a_rule(ok, cols), breaks_a_rule(ok.assign(AMT=-1.0), cols)
    (False, True)
    """
    values = df[columns].to_numpy(dtype=float)
    if not np.isfinite(values).all():
        return True
    i_d, time, amt, cmt, evid, ii, addl, rate, ss = values.T
    dose = (evid == 1) | (evid == 4)
    steady_infusion = (ss > 0) & (rate > 0)
    broken = (
        (time < 0)
        | (amt < 0)
        | ~np.isin(evid, (0, 1, 2, 3, 4))
        | (dose & ~(amt > 0) & ~steady_infusion)
        | (cmt < 1)
        | (cmt != np.round(cmt))
        | (addl < 0)
        | (addl != np.round(addl))
        | (ii < 0)
        | ((addl > 0) & ~(ii > 0))
        | ~np.isin(ss, (0, 1, 2))
        | ((ss > 0) & ~(ii > 0) & ~(rate > 0))
        | (rate < 0)
        | (i_d != np.round(i_d))
    )
    if broken.any():
        return True
    if len(time) < 2:
        return False
    order = np.argsort(i_d, kind="stable")
    same_id = i_d[order][1:] == i_d[order][:-1]
    return bool((same_id & (np.diff(time[order]) < 0)).any())
