"""A small line chart of the model-predicted withdrawal index over a taper plan (PNG bytes).

The trajectory is a table with a ``day`` column (days since the plan's first step, float) and a
``balance_index`` column (the predicted withdrawal index), possibly with symptom columns and a
``subject_id`` column; with several subjects the chart shows the median and the 10th-90th
percentile range. Dose changes are marked as ticks along the bottom. The chart is labelled as a
model prediction (a hypothesis about an average course), not a forecast for the patient.
"""

from __future__ import annotations

import datetime as dt
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from allostasis.clinical import TaperPlan
from allostasis.errors import InvalidValueError
from allostasis.interfaces.reports._patient_text import format_month

__all__ = ["FIG_HEIGHT_IN", "FIG_WIDTH_IN", "trajectory_png"]

REQUIRED_COLUMNS = ("day", "balance_index")
#: Drawn at the size it is printed (the PDF's text width), so 10 pt stays 10 pt on paper.
FIG_WIDTH_IN = 6.6
FIG_HEIGHT_IN = 3.2


def _check(trajectory: object) -> pd.DataFrame:
    if not isinstance(trajectory, pd.DataFrame):
        raise InvalidValueError(
            f"trajectory: a pandas DataFrame with columns day, balance_index; got "
            f"{type(trajectory).__name__}"
        )
    missing = [c for c in REQUIRED_COLUMNS if c not in trajectory.columns]
    if missing:
        raise InvalidValueError(
            f"trajectory: missing column(s) {', '.join(missing)}; need day (days since the plan's "
            f"first step) and balance_index; got columns {', '.join(map(str, trajectory.columns))}"
        )
    if trajectory.empty:
        raise InvalidValueError("trajectory: has no rows; give at least two time points")
    values = trajectory[list(REQUIRED_COLUMNS)].to_numpy(dtype=float)
    if not np.isfinite(values).all():
        raise InvalidValueError("trajectory: day and balance_index must be finite numbers (no NaN)")
    return trajectory


def _month_ticks(origin: dt.date, last_day: float) -> list[tuple[float, str]]:
    """Ticks on the first of a month, every 1, 2, 3, 6 or 12 months: (day since origin, 'Jan 2027')."""
    months = int(last_day // 30.44) + 2
    every = next(n for n in (1, 2, 3, 6, 12, 24) if months / n <= 7)
    ticks: list[tuple[float, str]] = []
    year, month = origin.year, origin.month
    while True:
        month += 1
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        first = dt.date(year, month, 1)
        day = float((first - origin).days)
        if day > last_day:
            return ticks
        if (12 * year + month - 1) % every == 0:
            ticks.append((day, format_month(first)))


def trajectory_png(trajectory: pd.DataFrame, plan: TaperPlan) -> bytes:
    """PNG bytes of the predicted withdrawal index against calendar date.

    Examples
    --------
    >>> from allostasis.clinical import plan_taper
    >>> plan = plan_taper(["diazepam 5 mg BID"], duration="1 year", start="2027-01-04")
    >>> traj = pd.DataFrame({"day": [0.0, 100.0, 300.0], "balance_index": [0.0, 0.2, 0.1]})
    >>> trajectory_png(traj, plan)[:8]
    b'\\x89PNG\\r\\n\\x1a\\n'
    """
    df = _check(trajectory)
    origin = plan.steps[0].start if plan.steps else plan.end_date
    stats = df.groupby("day", sort=True)["balance_index"].agg(
        median="median", low=lambda x: x.quantile(0.1), high=lambda x: x.quantile(0.9), n="size"
    )
    days = stats.index.to_numpy(dtype=float)
    fig, ax = plt.subplots(figsize=(FIG_WIDTH_IN, FIG_HEIGHT_IN), dpi=150)
    if int(stats["n"].max()) > 1:
        ax.fill_between(
            days,
            stats["low"],
            stats["high"],
            color="0.8",
            hatch="///",
            edgecolor="0.55",
            linewidth=0,
            label="10th-90th percentile of simulated patients",
        )
        label = "median predicted withdrawal index"
    else:
        label = "predicted withdrawal index"
    ax.plot(days, stats["median"], color="black", lw=1.8, label=label)
    changes = [float((s.start - origin).days) for s in plan.steps]
    ax.plot(
        changes,
        np.zeros(len(changes)),
        linestyle="none",
        marker=2,  # a tick pointing up from the axis
        markersize=9,
        color="black",
        transform=ax.get_xaxis_transform(),
        label="dose change",
        clip_on=False,
    )
    last_day = max(float((plan.end_date - origin).days), float(days[-1]))
    ticks = _month_ticks(origin, last_day)
    ax.set_xticks([t for t, _ in ticks], [name for _, name in ticks])
    ax.set_xlim(-7.0, last_day + 7.0)
    ax.set_ylabel("withdrawal index\n(model)", fontsize=10)
    ax.tick_params(labelsize=10)
    ax.grid(alpha=0.3)
    ax.legend(  # above the plot, never over the curve
        fontsize=10, frameon=False, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=2
    )
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()
