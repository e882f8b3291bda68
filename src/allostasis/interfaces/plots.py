"""Static plots (PNG) drawn from result tables, never from model internals."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

__all__ = ["plot_comparison", "plot_concentrations", "plot_isobologram", "plot_lines"]

_DISCLAIMER = "allostasis - model output for education and decision support; not a prescription"


def _finish(fig: Figure, path: str | Path, top: float = 1.0) -> Path:
    """Add the disclaimer, lay out, save as PNG and close."""
    fig.text(0.01, 0.01, _DISCLAIMER, fontsize=7, color="0.4")
    fig.tight_layout(rect=(0, 0.03, 1, top))
    out = Path(path)
    fig.savefig(out)
    plt.close(fig)
    return out


def plot_concentrations(df: pd.DataFrame, path: str | Path, *, title: str) -> Path:
    """Concentration-time curves, one line per analyte (and subject), time in days."""
    unit = df.attrs.get("units", {}).get("concentration", "")
    fig, ax = plt.subplots(figsize=(9, 4.5), dpi=110)
    for (sid, analyte), g in df.groupby(["subject_id", "analyte"], sort=False):
        label = analyte if df["subject_id"].nunique() == 1 else f"{analyte} (subject {sid})"
        ax.plot(g["time"] / 24.0, g["concentration"], lw=1.4, label=label)
    ax.set_xlabel("time (days)")
    ax.set_ylabel(f"plasma concentration ({unit})")
    ax.set_title(title)
    ax.grid(alpha=0.3)
    ax.legend(frameon=False)
    return _finish(fig, path)


def plot_comparison(
    df: pd.DataFrame, path: str | Path, *, title: str, subtitles: dict[str, str]
) -> Path:
    """One panel per regimen (column ``regimen``), each with its analytes."""
    unit = df.attrs.get("units", {}).get("concentration", "")
    regimens = list(dict.fromkeys(df["regimen"]))
    fig, axes = plt.subplots(
        1, len(regimens), figsize=(6 * len(regimens), 4.6), dpi=110, squeeze=False
    )
    for ax, reg in zip(axes[0], regimens, strict=True):
        sub = df[df["regimen"] == reg]
        for analyte, g in sub.groupby("analyte", sort=False):
            ax.plot(g["time"] / 24.0, g["concentration"], lw=1.3, label=str(analyte))
        ax.set_title(subtitles.get(reg, reg), fontsize=10)
        ax.set_xlabel("time (days)")
        ax.set_ylabel(f"plasma concentration ({unit})")
        ax.grid(alpha=0.3)
        ax.legend(frameon=False)
    fig.suptitle(title)
    return _finish(fig, path, top=0.97)


def plot_lines(
    df: pd.DataFrame,
    path: str | Path,
    *,
    x: str,
    y: str,
    group: str,
    title: str,
    xlabel: str,
    ylabel: str,
    logx: bool = False,
) -> Path:
    """One line per value of ``group``: a generic labelled curve plot."""
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=110)
    for name, g in df.groupby(group, sort=False):
        ax.plot(g[x], g[y], lw=1.6, label=str(name))
    if logx:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(frameon=False)
    return _finish(fig, path)


def plot_isobologram(
    df: pd.DataFrame, path: str | Path, *, title: str, point: tuple[str, str] | None = None
) -> Path:
    """Loewe isoboles (``dose_a`` vs ``dose_b`` per ``effect``), optionally with the tested pair."""
    units = df.attrs.get("units", {})
    fig, ax = plt.subplots(figsize=(5.5, 5), dpi=110)
    for eff, g in df.groupby("effect", sort=False):
        ax.plot(g["dose_a"], g["dose_b"], lw=1.6, label=f"additive isobole, effect {eff:g}")
    if point is not None:
        from allostasis.units import magnitude

        pa = magnitude(point[0], field="dose_a", unit=units.get("dose_a", "mg"))
        pb = magnitude(point[1], field="dose_b", unit=units.get("dose_b", "mg"))
        ax.plot([pa], [pb], "o", color="crimson", label="combination tested")
    ax.set_xlabel(f"dose of A ({units.get('dose_a', '')})")
    ax.set_ylabel(f"dose of B ({units.get('dose_b', '')})")
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(frameon=False, fontsize=8)
    return _finish(fig, path)
