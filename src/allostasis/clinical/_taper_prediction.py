"""The model-predicted withdrawal course of a taper plan, step by step.

The plan's doses (after ``duration_days`` of the current regimen) are run through the
neuroadaptation model (PK, benzodiazepine-site action, the 9-state adaptation model, the
excitation/inhibition balance index and its symptom domains). Each dose time of each step is a
daily dose (``_taper_doses``), so a switch, a dropped dose time and a liquid dose are simulated as
dispensed. The result is a daily table (day from the plan's start, date, balance index, symptom
domains) and a per-step summary (peak index and domain severities while the step is in force,
whether the seizure-risk threshold was crossed).

Two runners compute the course (the balance index hourly, or 6-hourly in the fallback; the domains
are functions of it, :func:`allostasis.physiology.symptom_severity`):

- the compiled engine (:func:`allostasis.engine.simulate_cohort`, every dose a fixed dose;
  ``_taper_compiled_course``), used whenever it can express the plan: one or two oral GABA-A
  modulators (a direct taper, or a switch to diazepam, clonazepam or chlordiazepoxide); about
  0.3 s for a year of use and a year's plan (hourly output);
- the numpy runner (:func:`allostasis.engine.simulate_adaptation`: hourly concentrations, inputs
  linear between 6-hourly nodes, RK4, daily-mean inputs before the last 14 days of prior use), the
  fallback for what the engine cannot express: three or more drugs at once (several current
  drugs switched to one), a drug without an oral route or that is not a GABA-A modulator. The
  basis says which ran, and why the fallback did.

The two agree on the peak day of each step within a day and on its seizure-risk flag, and on its
peak index within 1e-3 for long-acting drugs, 2.9e-3 for lorazepam TID, 5.1e-3 for alprazolam TID
and 1.6e-2 for triazolam nightly: the difference is the numpy runner's linear interpolation of the
drive between 6-hourly nodes (refined to 30-min nodes it comes within 3.5e-4 of the engine;
``tests/clinical/test_taper_prediction_engine.py``).

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

from allostasis.clinical._taper_compiled_course import compiled_course, engine_obstacle
from allostasis.clinical._taper_doses import DosePeriod, clock_hours, dose_periods, dose_schedule
from allostasis.clinical._taper_schedule import TaperPlan
from allostasis.engine import simulate_adaptation
from allostasis.errors import InvalidValueError
from allostasis.physiology import SEIZURE_INDEX_THRESHOLD, symptom_severity
from allostasis.regimen import DEPOT, DosingRecords
from allostasis.units import magnitude

__all__ = ["StepPrediction", "TaperPrediction", "predict_taper"]

DOMAINS = ("anxiety", "insomnia", "autonomic", "tremor", "sensory", "cognitive")
#: Spacing of the compiled engine's output (h); the daily table holds each day's maximum of these
#: points. Hourly, so that the interdose peaks of short-acting drugs are in the table: 6-hourly
#: points understated alprazolam TID's step peaks by up to 0.017 of the index. The numpy runner's
#: points are its 6-hourly nodes.
OUTPUT_EVERY_H = 1.0
#: The numpy runner's node spacing (h): its output points, inputs linear between them.
NUMPY_NODES_H = 6.0
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


def _regimens(periods: list[DosePeriod]) -> dict[str, DosingRecords]:
    """Dose records per drug of the plan's dose periods (the numpy runner's input): one record a
    day per dose time and period (``II`` 24 h, ``ADDL`` the period's days - 1), built at once."""
    rows: dict[str, list[tuple[float, float, int]]] = {}
    for a, b, doses in periods:
        for clock, drug, mg in doses:
            if mg > 0:
                rows.setdefault(drug, []).append((a * 24.0 + clock_hours(clock), mg, b - a - 1))
    out: dict[str, DosingRecords] = {}
    for drug, rs in rows.items():
        t, amt, addl = (np.array(c) for c in zip(*rs, strict=True))
        order = np.argsort(t, kind="stable")
        out[drug] = DosingRecords(
            pd.DataFrame(
                {
                    "ID": 1,
                    "TIME": t[order],
                    "AMT": amt[order],
                    "CMT": DEPOT,
                    "EVID": 1,
                    "II": 24.0,
                    "ADDL": addl[order],
                }
            )
        )
    return out


def _numpy_course(
    periods: list[DosePeriod], prior_days: int, end_day: int
) -> tuple[np.ndarray, np.ndarray, list[str], list[str]]:
    """Times (h), balance index, labels and basis from :func:`engine.simulate_adaptation`."""
    # hourly detail from two weeks before the plan (interdose swings of the current regimen), daily-mean
    # inputs before that (chronic use only sets the adapted state)
    result = simulate_adaptation(
        _regimens(periods),
        end=f"{end_day} days",
        detail_from=f"{max(prior_days - 14, 0)} days",
        step=f"{NUMPY_NODES_H:g} h",
        max_step="2 h",
    )
    return result.times_h, result.variable("balance_index")[0], result.labels, result.basis


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
    return _predict(plan, follow_up=follow_up, prior_use=prior_use, compiled=True)


def _predict(
    plan: TaperPlan,
    *,
    follow_up: str,
    prior_use: str | None,
    compiled: bool,
    output_every_h: float = OUTPUT_EVERY_H,
) -> TaperPrediction:
    """:func:`predict_taper`; ``compiled=False`` forces the numpy runner (the reference), and
    ``output_every_h`` sets the compiled engine's output spacing (6 compares it with that runner)."""
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
    end_day = prior_days + plan_days
    periods = dose_periods(plan, prior_days, plan_days)
    schedule = dose_schedule(periods)
    obstacle = engine_obstacle(sorted({d for at in schedule.values() for d in at}))
    if compiled and obstacle is None:
        times_h, index, basis = compiled_course(
            schedule, end_day * 24.0, output_every_h=output_every_h
        )
        labels: list[str] = []
    else:
        times_h, index, labels, basis = _numpy_course(periods, prior_days, end_day)
        if compiled:
            basis = [f"numpy runner: the compiled engine cannot run this plan ({obstacle})", *basis]
    t_day = times_h / 24.0 - prior_days
    keep = t_day >= -1e-9
    x = index[keep]
    severity = symptom_severity(x)
    df = pd.DataFrame({"day": t_day[keep], "balance_index": x, **{d: severity[d] for d in DOMAINS}})
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
        labels=[PREDICTION_LABEL, *labels],
        basis=[
            f"{prior_days} days of the current regimen, then the plan's doses as dispensed, "
            f"{follow_days} days of follow-up; daily maxima of the model's outputs",
            *basis,
        ],
    )
