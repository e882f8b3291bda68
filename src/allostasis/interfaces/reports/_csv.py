"""A taper plan as CSV: exactly :meth:`TaperPlan.to_dataframe`, nothing added or hidden.

One row per step and dose time, a header row, dates as ISO 8601 (``YYYY-MM-DD``), floats written
in full precision so that reading the file back gives the same values.
"""

from __future__ import annotations

import os
from pathlib import Path

from allostasis.clinical import TaperPlan
from allostasis.interfaces.reports._patient_text import require_taper_plan

__all__ = ["write_taper_csv"]


def write_taper_csv(plan: TaperPlan, path: str | os.PathLike[str]) -> Path:
    """Write the plan's dated schedule (``plan.to_dataframe()``) to a CSV file.

    Parameters
    ----------
    plan : TaperPlan
        From :func:`allostasis.clinical.plan_taper`.
    path : str or path-like
        The file to write (UTF-8, ``\\n`` line ends, no index column).

    Returns
    -------
    Path
        The file written.

    Examples
    --------
    >>> import tempfile, pandas as pd
    >>> from allostasis.clinical import plan_taper
    >>> plan = plan_taper(["diazepam 5 mg BID"], duration="1 year", start="2027-01-04")
    >>> out = write_taper_csv(plan, Path(tempfile.mkdtemp()) / "taper.csv")
    >>> df = pd.read_csv(out, keep_default_na=False)
    >>> list(df.columns[:5]), df["start"].iloc[0], len(df) == len(plan.to_dataframe())
    (['step', 'phase', 'start', 'end', 'time'], '2027-01-04', True)
    """
    require_taper_plan(plan)
    out = Path(path)
    plan.to_dataframe().to_csv(out, index=False, encoding="utf-8", lineterminator="\n")
    return out
