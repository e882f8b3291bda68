"""Who does worse: a trial's outcomes per strategy within subgroups of the cohort, with Wilson 95%
intervals, as a tidy table.

Subgroups (:data:`SUBGROUP_COVARIATES`), from each subject's sampled covariates:

- ``age_band``: ``<65`` / ``>=65`` years (the covariate model's elderly cut-off, Beers age);
- ``sex``: ``female`` / ``male``;
- ``hepatic_impairment``, ``cyp3a4_inhibitor``: ``yes`` / ``no``;
- ``exposure_tertile``: ``low`` / ``mid`` / ``high`` tertile of the subject's average steady-state
  concentration of the cohort drug, :math:`C_{ss} = F\\,D / (CL\\,\\tau)` (parent drug; Rowland &
  Tozer). A cohort has one dose, so this is the dose-normalised exposure that varies between
  subjects (clearance, bioavailability, covariates); a ``dose_mg`` column in the covariates, when
  doses vary, adds ``dose_tertile`` the same way.

Subgroups with no subject are left out. For a subgroup with :math:`k` of :math:`n` subjects with
the outcome, ``share`` = :math:`k/n` and ``lo``, ``hi`` its Wilson interval (Wilson 1927).

>>> o = pd.DataFrame({"subject_id": [1, 2, 3, 4] * 2, "strategy": ["a"] * 4 + ["b"] * 4,
...     "severe": [True, False, False, False, True, True, False, True],
...     "moderate": [True] * 8, "seizure_risk": [False] * 8,
...     "completion_days": [1.0, 2.0, 3.0, float("inf")] * 2})
>>> cov = pd.DataFrame({"subject_id": [1, 2, 3, 4], "age": [70.0, 40.0, 50.0, 80.0],
...     "female": [True, False, True, False], "hepatic_impairment": [False] * 4,
...     "cyp3a4_inhibitor": [False] * 4})
>>> t = subgroup_outcomes(o, cov, outcomes=("severe",))
>>> t[(t.covariate == "age_band") & (t.strategy == "b")][["subgroup", "n", "events", "share"]].values.tolist()
[['<65', 2, 1, 0.5], ['>=65', 2, 2, 1.0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np
import pandas as pd

from allostasis.population._cohort_spec import CohortSpec
from allostasis.population._confidence_intervals import wilson_interval
from allostasis.population._covariate_effects import ELDERLY_AGE_YEARS
from allostasis.population._virtual_cohort import sample_cohort, subject_parameters

__all__ = [
    "SUBGROUP_COLUMNS",
    "SUBGROUP_COVARIATES",
    "SUBGROUP_OUTCOMES",
    "subgroup_outcomes",
    "subject_covariates",
]

SUBGROUP_COVARIATES: Final = (
    "age_band",
    "sex",
    "hepatic_impairment",
    "cyp3a4_inhibitor",
    "exposure_tertile",
    "dose_tertile",
)
#: Binary per-subject outcomes tabulated by default (``completed``: finite completion time).
SUBGROUP_OUTCOMES: Final = ("severe", "moderate", "seizure_risk", "completed")
SUBGROUP_COLUMNS: Final = (
    "strategy",
    "covariate",
    "subgroup",
    "outcome",
    "n",
    "events",
    "share",
    "lo",
    "hi",
)
_TERTILES: Final = ("low", "mid", "high")


def subject_covariates(spec: CohortSpec) -> pd.DataFrame:
    """Every subject's covariates and average steady-state concentration ``css_mg_per_l``.

    :math:`C_{ss} = F\\,D/(CL\\,\\tau)` with the subject's own (covariate-adjusted, varied) ``cl``
    and ``f`` of the cohort drug.

    >>> from allostasis.population import cohort_spec
    >>> spec = cohort_spec({"cohort": {"drug": "alprazolam", "dose": "1 mg", "interval": "8 h",
    ...                                "n": 3}})
    >>> c = subject_covariates(spec)  # 0.9 x 1 mg / (4.2 L/h x (WT/70)^0.75 x 8 h)
    >>> round(float(c["weight_kg"].iloc[0]), 1), round(float(c["css_mg_per_l"].iloc[0]), 4)
    (68.3, 0.0273)
    """
    cohort = sample_cohort(spec)
    p = subject_parameters(spec, cohort)
    f = p["f"].to_numpy(dtype=float) if "f" in p else np.ones(len(p))
    cohort["css_mg_per_l"] = f * spec.dose_mg / (p["cl"].to_numpy(dtype=float) * spec.interval_h)
    return cohort


def _tertiles(x: np.ndarray) -> np.ndarray:
    cuts = np.quantile(x, [1 / 3, 2 / 3])
    return np.asarray(_TERTILES, dtype=object)[np.searchsorted(cuts, x, side="right")]


def _groups(cov: pd.DataFrame) -> dict[str, tuple[np.ndarray, tuple[str, ...]]]:
    g: dict[str, tuple[np.ndarray, tuple[str, ...]]] = {}
    yes_no = ("no", "yes")
    if "age" in cov:
        g["age_band"] = (
            np.where(cov["age"].to_numpy(dtype=float) >= ELDERLY_AGE_YEARS, ">=65", "<65"),
            ("<65", ">=65"),
        )
    if "female" in cov:
        g["sex"] = (
            np.where(cov["female"].to_numpy(dtype=bool), "female", "male"),
            ("female", "male"),
        )
    for c in ("hepatic_impairment", "cyp3a4_inhibitor"):
        if c in cov:
            g[c] = (np.where(cov[c].to_numpy(dtype=bool), "yes", "no"), yes_no)
    for c, name in (("css_mg_per_l", "exposure_tertile"), ("dose_mg", "dose_tertile")):
        if c in cov and np.unique(cov[c].to_numpy(dtype=float)).size >= 3:
            g[name] = (_tertiles(cov[c].to_numpy(dtype=float)), _TERTILES)
    return g


def subgroup_outcomes(
    trial_outcomes: pd.DataFrame,
    covariates: pd.DataFrame,
    *,
    outcomes: Sequence[str] = SUBGROUP_OUTCOMES,
) -> pd.DataFrame:
    """Per strategy, covariate and subgroup: the share of subjects with each outcome (Wilson 95%).

    Parameters
    ----------
    trial_outcomes : pandas.DataFrame
        Per-subject trial outcomes (``subject_id``, ``strategy``, boolean outcome columns;
        ``completed`` is derived from ``completion_days`` when absent).
    covariates : pandas.DataFrame
        Per-subject covariates with ``subject_id`` (:func:`subject_covariates`).
    outcomes : sequence of str
        Outcome columns to tabulate (default :data:`SUBGROUP_OUTCOMES`).

    Returns
    -------
    pandas.DataFrame
        Tidy: one row per (strategy, covariate, subgroup, outcome), :data:`SUBGROUP_COLUMNS`.
    """
    o = trial_outcomes
    if "completed" in outcomes and "completed" not in o:
        o = o.assign(completed=np.isfinite(o["completion_days"].to_numpy(dtype=float)))
    cov = covariates.set_index("subject_id")
    groups = _groups(covariates)
    rows: list[dict[str, object]] = []
    for strategy, g in o.groupby("strategy", sort=False, observed=True):
        ids = g["subject_id"].to_numpy()
        pos = cov.index.get_indexer(pd.Index(ids))
        for name, (labels, levels) in groups.items():
            lab = labels[pos]
            for level in levels:
                sel = lab == level
                n = int(sel.sum())
                if n == 0:
                    continue
                for out in outcomes:
                    k = int(g[out].to_numpy(dtype=bool)[sel].sum())
                    lo, hi = wilson_interval(k, n)
                    rows.append(
                        {
                            "strategy": strategy,
                            "covariate": name,
                            "subgroup": level,
                            "outcome": out,
                            "n": n,
                            "events": k,
                            "share": k / n,
                            "lo": lo,
                            "hi": hi,
                        }
                    )
    return pd.DataFrame(rows, columns=list(SUBGROUP_COLUMNS))
