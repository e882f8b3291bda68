"""Static plots (PNG) drawn from result tables, never from model internals."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd

__all__ = ["plot_comparison", "plot_concentrations"]

_DISCLAIMER = "allostasis - model output for education and decision support; not a prescription"


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
    fig.text(0.01, 0.01, _DISCLAIMER, fontsize=7, color="0.4")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    out = Path(path)
    fig.savefig(out)
    plt.close(fig)
    return out


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
    fig.text(0.01, 0.01, _DISCLAIMER, fontsize=7, color="0.4")
    fig.tight_layout(rect=(0, 0.03, 1, 0.97))
    out = Path(path)
    fig.savefig(out)
    plt.close(fig)
    return out
