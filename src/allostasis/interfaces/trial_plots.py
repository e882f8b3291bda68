"""Figures of an in-silico taper trial: a PNG (matplotlib) and an interactive HTML page (plotly).

Both show, per strategy, the share with severe withdrawal, seizure-risk time, pauses and protracted
symptoms (95% Wilson intervals) and the distribution of the time to completion.
:func:`subgroup_figure_png` draws one outcome per strategy within subgroups (forest plot).
"""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

__all__ = ["subgroup_figure_png", "trial_figure_html", "trial_figure_png"]

_SHARES = (
    ("moderate", "moderate withdrawal"),
    ("severe", "severe withdrawal"),
    ("seizure_risk", "seizure-risk time"),
    ("paused", "any pause"),
    ("protracted", "protracted at 6 months"),
)


def trial_figure_png(
    summary: pd.DataFrame,
    outcomes: pd.DataFrame,
    path: str | Path,
    *,
    title: str,
    log_completion: bool = False,
) -> Path:
    """Two panels: outcome shares with 95% CIs, and time to completion (box plot) per strategy
    (on a log axis if ``log_completion``, for arms of very different length)."""
    fig, (a, b) = plt.subplots(1, 2, figsize=(12, 4.5))
    names = list(summary["strategy"])
    width = 0.8 / len(_SHARES)
    for j, (key, label) in enumerate(_SHARES):
        y = summary[f"{key}_share"].to_numpy(dtype=float) * 100
        lo = y - summary[f"{key}_lo"].to_numpy(dtype=float) * 100
        hi = summary[f"{key}_hi"].to_numpy(dtype=float) * 100 - y
        x = np.arange(len(names)) + (j - (len(_SHARES) - 1) / 2) * width
        a.bar(
            x,
            np.nan_to_num(y),
            width,
            yerr=[np.nan_to_num(lo), np.nan_to_num(hi)],
            label=label,
            capsize=2,
        )
    a.set_xticks(np.arange(len(names)), names, rotation=15)
    a.set_ylabel("% of subjects (95% CI)")
    a.legend(fontsize=8)
    data = []
    for s in names:
        c = outcomes.loc[outcomes["strategy"] == s, "completion_days"].to_numpy(dtype=float)
        data.append(c[np.isfinite(c)] / 7.0)
    b.boxplot(data, tick_labels=names, showfliers=False)
    if log_completion:
        b.set_yscale("log")
    b.set_ylabel("weeks from taper start to last dose (completers)")
    b.tick_params(axis="x", rotation=15)
    fig.suptitle(title)
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out


def trial_figure_html(
    summary: pd.DataFrame, outcomes: pd.DataFrame, path: str | Path, *, title: str
) -> Path:
    """The same two panels as an interactive plotly page (self-contained HTML)."""
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    fig = make_subplots(rows=1, cols=2, subplot_titles=("outcomes (95% CI)", "time to completion"))
    names = list(summary["strategy"])
    for key, label in _SHARES:
        y = summary[f"{key}_share"].to_numpy(dtype=float) * 100
        fig.add_trace(
            go.Bar(
                x=names,
                y=y,
                name=label,
                error_y={
                    "type": "data",
                    "symmetric": False,
                    "array": summary[f"{key}_hi"].to_numpy(dtype=float) * 100 - y,
                    "arrayminus": y - summary[f"{key}_lo"].to_numpy(dtype=float) * 100,
                },
            ),
            row=1,
            col=1,
        )
    for s in names:
        c = outcomes.loc[outcomes["strategy"] == s, "completion_days"].to_numpy(dtype=float)
        c = c[np.isfinite(c)] / 7.0
        q = np.quantile(c, [0.0, 0.25, 0.5, 0.75, 1.0]) if c.size else np.full(5, np.nan)
        fig.add_trace(
            go.Box(
                name=s,
                lowerfence=[q[0]],
                q1=[q[1]],
                median=[q[2]],
                q3=[q[3]],
                upperfence=[q[4]],
                showlegend=False,
            ),
            row=1,
            col=2,
        )
    fig.update_yaxes(title_text="% of subjects", row=1, col=1)
    fig.update_yaxes(title_text="weeks to last dose", row=1, col=2)
    fig.update_layout(title=title, barmode="group")
    out = Path(path)
    fig.write_html(out, include_plotlyjs="cdn")
    return out


def subgroup_figure_png(
    subgroups: pd.DataFrame,
    path: str | Path,
    *,
    outcome: str = "severe",
    title: str,
    covariates: list[str] | None = None,
) -> Path:
    """Forest plot: the share with ``outcome`` (95% Wilson CI) per strategy within each subgroup.

    ``subgroups`` is a trial's tidy subgroup table (``TrialResult.subgroups``).
    """
    sg = subgroups[subgroups["outcome"] == outcome]
    if covariates is not None:
        sg = sg[sg["covariate"].isin(covariates)]
    rows = list(dict.fromkeys(zip(sg["covariate"], sg["subgroup"], strict=True)))
    names = list(dict.fromkeys(sg["strategy"]))
    fig, ax = plt.subplots(figsize=(8, 0.32 * len(rows) * len(names) ** 0.5 + 2.0))
    height = 0.8 / len(names)
    for j, s in enumerate(names):
        part = sg[sg["strategy"] == s].set_index(["covariate", "subgroup"])
        y = np.arange(len(rows)) + (j - (len(names) - 1) / 2) * height
        v = np.array([part.loc[r, "share"] if r in part.index else np.nan for r in rows]) * 100
        lo = np.array([part.loc[r, "lo"] if r in part.index else np.nan for r in rows]) * 100
        hi = np.array([part.loc[r, "hi"] if r in part.index else np.nan for r in rows]) * 100
        ax.errorbar(v, y, xerr=[v - lo, hi - v], fmt="o", ms=4, capsize=2, label=s)
    n = sg.drop_duplicates(["covariate", "subgroup"]).set_index(["covariate", "subgroup"])["n"]
    ax.set_yticks(
        np.arange(len(rows)), [f"{c}: {g} (n={int(n.loc[(c, g)]):,})" for c, g in rows], fontsize=8
    )
    ax.invert_yaxis()
    ax.set_xlabel(f"% with {outcome.replace('_', ' ')} (95% Wilson CI)")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.06), ncol=2, frameon=False)
    ax.set_title(title, fontsize=10)
    fig.tight_layout()
    out = Path(path)
    fig.savefig(out, dpi=110)
    plt.close(fig)
    return out
