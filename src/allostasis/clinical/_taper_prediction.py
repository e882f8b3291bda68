"""The model-predicted withdrawal course of a taper plan, step by step.

The plan's doses (after ``duration_days`` of the current regimen) are run through the
neuroadaptation engine (:func:`allostasis.engine.simulate_adaptation`: PK, benzodiazepine-site
action, the 9-state adaptation model, the excitation/inhibition balance index and its symptom
domains). Each dose time of each step becomes a daily dose record, so a switch, a dropped dose time
and a liquid dose are simulated as dispensed. The result is a daily table (day from the plan's start,
date, balance index, symptom domains) and a per-step summary (peak index and domain severities while
the step is in force, whether the seizure-risk threshold was crossed).

This is a model prediction for one typical patient, not a forecast for this patient: it shows the
shape of the course a plan implies (where the peaks fall, which steps are hardest), and is labelled
as such.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from allostasis.clinical._taper_schedule import TaperPlan
from allostasis.engine import simulate_adaptation
from allostasis.errors import InvalidValueError
from allostasis.physiology import SEIZURE_INDEX_THRESHOLD
from allostasis.regimen import DosingRecords, every
from allostasis.units import magnitude

__all__ = ["StepPrediction", "TaperPrediction", "predict_taper"]

DOMAINS = ("anxiety", "insomnia", "autonomic", "tremor", "sensory", "cognitive")
PREDICTION_LABEL = (
    "MODEL PREDICTION for a typical patient (allostasis neuroadaptation model), not a forecast for "
    "this patient; symptoms guide the taper, not the model"
)


class StepPrediction(BaseModel):
    """What the model predicts while one step is in force."""

    model_config = ConfigDict(frozen=True)

    index: int
    start: dt.date
    phase: str
    diazepam_equivalent_mg: float
    peak_index: float
    peak_day: float
    """Days from the step's start to its peak balance index."""
    peak_severity: dict[str, float]
    seizure_risk: bool


@dataclass(frozen=True)
class TaperPrediction:
    """Daily model course of a plan and its per-step summary."""

    daily: pd.DataFrame
    """Columns: day (from the plan's start), date, balance_index, and one column per symptom domain."""
    steps: list[StepPrediction]
    seizure_threshold: float
    labels: list[str]
    basis: list[str]

    @property
    def peak_index(self) -> float:
        return float(self.daily["balance_index"].max())

    def to_dict(self) -> dict[str, object]:
        return {
            "steps": [s.model_dump(mode="json") for s in self.steps],
            "peak_index": self.peak_index,
            "seizure_threshold": self.seizure_threshold,
            "daily": {
                c: (self.daily[c].astype(str) if c == "date" else self.daily[c].round(6)).tolist()
                for c in self.daily.columns
            },
            "labels": self.labels,
            "basis": self.basis,
        }


def _hours(clock: str) -> float:
    h, m = clock.split(":")
    return int(h) + int(m) / 60.0


def _regimens(plan: TaperPlan, prior_days: int, end_day: int) -> dict[str, DosingRecords]:
    """Daily dose records per drug: the current regimen for ``prior_days``, then every step."""
    periods: list[tuple[int, int, list[tuple[str, str, float]]]] = []
    current = [
        (t, u.drug, mg)
        for u in plan.current
        for t, mg in zip(u.clock_times, u.doses_mg, strict=True)
    ]
    first = plan.steps[0].start if plan.steps else dt.date.fromisoformat(str(plan.patient["start"]))
    periods.append((0, prior_days, current))
    for i, s in enumerate(plan.steps):
        a = prior_days + (s.start - first).days
        b = prior_days + (
            (plan.steps[i + 1].start - first).days if i + 1 < len(plan.steps) else end_day
        )
        periods.append((a, b, [(d.time, d.drug, d.mg) for d in s.doses]))
    out: dict[str, DosingRecords] = {}
    for a, b, doses in periods:
        if b <= a:
            continue
        for clock, drug, mg in doses:
            if mg <= 0:
                continue
            rec = every(f"{mg} mg", "24 h", n_doses=b - a, start=f"{a * 24 + _hours(clock)} h")
            out[drug] = out[drug] + rec if drug in out else rec
    return out


def predict_taper(
    plan: TaperPlan, *, follow_up: str = "90 days", prior_use: str | None = None
) -> TaperPrediction:
    """Run a plan through the neuroadaptation model: daily course and per-step peaks.

    Parameters
    ----------
    plan : TaperPlan
        From :func:`~allostasis.clinical.plan_taper`.
    follow_up : quantity
        Time simulated after the last step (default 90 days).
    prior_use : quantity, optional
        Length of the current regimen before the plan; default the plan's duration of use.

    Examples
    --------
    >>> from allostasis.clinical import plan_taper
    >>> plan = plan_taper(["diazepam 5 mg BID"], duration="180 days", start="2027-01-04")
    >>> pred = predict_taper(plan, follow_up="30 days")
    >>> len(pred.steps) == len(plan.steps), pred.peak_index < pred.seizure_threshold
    (True, True)
    """
    if not plan.steps:
        raise InvalidValueError(
            "plan: has no steps to simulate (the plan stalled at its first step)"
        )
    prior = (
        magnitude(prior_use, field="prior_use", unit="day", strictly_positive=True)
        if prior_use is not None
        else float(plan.patient["duration_days"] or 0.0)
    )
    prior_days = round(prior)
    follow_days = round(magnitude(follow_up, field="follow_up", unit="day", strictly_positive=True))
    first = plan.steps[0].start
    plan_days = (plan.steps[-1].start - first).days + follow_days
    regimens = _regimens(plan, prior_days, plan_days)
    end_day = prior_days + plan_days
    # hourly detail from two weeks before the plan (interdose swings of the current regimen), daily-mean
    # inputs before that (chronic use only sets the adapted state)
    result = simulate_adaptation(
        regimens,
        end=f"{end_day} days",
        detail_from=f"{max(prior_days - 14, 0)} days",
        step="6 h",
        max_step="2 h",
    )
    t_day = result.times_h / 24.0 - prior_days
    keep = t_day >= -1e-9
    values = {name: result.variable(name)[0, keep] for name in ("balance_index", *DOMAINS)}
    day = t_day[keep]
    df = pd.DataFrame({"day": day, **values})
    # one row per day: the day's maximum (a step's hardest moment is what matters)
    df["day"] = np.floor(df["day"] + 1e-9).astype(int)
    daily = df.groupby("day", as_index=False).max()
    daily.insert(1, "date", [first + dt.timedelta(days=int(d)) for d in daily["day"]])
    steps = []
    for i, s in enumerate(plan.steps):
        a = (s.start - first).days
        b = (plan.steps[i + 1].start - first).days if i + 1 < len(plan.steps) else plan_days
        w = daily[(daily["day"] >= a) & (daily["day"] < max(b, a + 1))]
        k = int(w["balance_index"].to_numpy().argmax())
        steps.append(
            StepPrediction(
                index=s.index,
                start=s.start,
                phase=s.phase,
                diazepam_equivalent_mg=s.diazepam_equivalent_mg,
                peak_index=float(w["balance_index"].iloc[k]),
                peak_day=float(w["day"].iloc[k] - a),
                peak_severity={d: float(w[d].max()) for d in DOMAINS},
                seizure_risk=bool((w["balance_index"] >= SEIZURE_INDEX_THRESHOLD).any()),
            )
        )
    return TaperPrediction(
        daily=daily,
        steps=steps,
        seizure_threshold=SEIZURE_INDEX_THRESHOLD,
        labels=[PREDICTION_LABEL, *result.labels],
        basis=[
            f"{prior_days} days of the current regimen, then the plan's doses as dispensed, "
            f"{follow_days} days of follow-up; daily maxima of the model's outputs",
            *result.basis,
        ],
    )
