"""A virtual cohort described in a TOML file: drug, dose, duration of use, size, seed, variability,
correlations, covariate distributions and the trial's horizon.

The file has four tables (``[cohort]``, ``[variability]``, ``[correlation]``, ``[covariates]``) and
an optional ``[trial]``; ``examples/cohort.toml`` is a complete example. Quantities are strings
with units (``"1 mg"``, ``"180 days"``); coefficients of variation are fractions (0.3 = 30%).

>>> spec = cohort_spec({"cohort": {"drug": "alprazolam", "dose": "0.5 mg", "interval": "12 h",
...                                "duration_of_use": "90 days", "n": 1000, "seed": 7}})
>>> spec.drug, spec.dose_mg, spec.use_days, spec.n
('alprazolam', 0.5, 90.0, 1000)
>>> cohort_spec({"cohort": {"drug": "alprazolam", "dose": "0.5 mg", "n": 0}})
Traceback (most recent call last):
...
allostasis.errors.InvalidValueError: cohort.n: must be an integer >= 1; got 0
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from allostasis.errors import InvalidValueError
from allostasis.units import magnitude

__all__ = ["AgeDistribution", "CohortSpec", "WeightDistribution", "cohort_spec", "load_cohort"]


class AgeDistribution(BaseModel):
    """Normal age distribution truncated to ``[min, max]`` (years)."""

    model_config = ConfigDict(frozen=True)
    mean: float = 55.0
    sd: float = 15.0
    min: float = 18.0
    max: float = 90.0


class WeightDistribution(BaseModel):
    """Log-normal body weight per sex: median (kg) and CV."""

    model_config = ConfigDict(frozen=True)
    female_median_kg: float = 72.0
    female_cv: float = 0.22
    male_median_kg: float = 86.0
    male_cv: float = 0.18


class CohortSpec(BaseModel):
    """A virtual cohort and its trial settings, in canonical units (mg, h, days).

    Attributes
    ----------
    drug : str
        The benzodiazepine the cohort takes.
    dose_mg, interval_h : float
        Dose per administration and dosing interval.
    use_days : float
        Duration of use before the taper starts.
    n, seed : int
        Cohort size and the seed of every subject's random stream.
    variability : dict of str to float
        Log-normal CV per parameter (PK parameters of the drug's model, adaptation parameters).
    correlation_parameters, correlation : list, list of list
        Correlation matrix of the parameters' log-normal deviations (``eta``), in the listed order.
    age, weight : distributions
    female_fraction, hepatic_impairment, cyp3a4_inhibitor : float
        Probabilities in [0, 1].
    taper_horizon_days, follow_up_days : float
        Time given to the taper, then follow-up after it (protracted symptoms are assessed 6 months
        after each subject's last dose, if that falls inside the simulation).
    tolerance : float
        Engine tolerance.
    """

    model_config = ConfigDict(frozen=True)
    name: str = "cohort"
    drug: str
    dose_mg: float
    interval_h: float = 24.0
    use_days: float = 180.0
    n: int = 1000
    seed: int = 0
    variability: dict[str, float] = Field(default_factory=dict)
    correlation_parameters: list[str] = Field(default_factory=list)
    correlation: list[list[float]] = Field(default_factory=list)
    age: AgeDistribution = AgeDistribution()
    weight: WeightDistribution = WeightDistribution()
    female_fraction: float = 0.6
    hepatic_impairment: float = 0.0
    cyp3a4_inhibitor: float = 0.0
    taper_horizon_days: float = 546.0
    follow_up_days: float = 182.0
    tolerance: float = 1e-6

    @property
    def end_days(self) -> float:
        """Simulation length: use + taper horizon + follow-up (days)."""
        return self.use_days + self.taper_horizon_days + self.follow_up_days

    def with_n(self, n: int) -> CohortSpec:
        """A copy with another cohort size."""
        if not isinstance(n, int) or n < 1:
            raise InvalidValueError(f"n: must be an integer >= 1; got {n!r}")
        return self.model_copy(update={"n": n})

    def correlation_matrix(self) -> np.ndarray:
        """The correlation matrix of correlation_parameters (0x0 if none was given)."""
        return np.asarray(self.correlation, dtype=float).reshape(
            len(self.correlation_parameters), len(self.correlation_parameters)
        )


def _prob(value: Any, field: str) -> float:
    if not isinstance(value, (int, float)) or not 0.0 <= float(value) <= 1.0:
        raise InvalidValueError(f"{field}: must be a probability in [0, 1]; got {value!r}")
    return float(value)


def _check_correlation(
    names: list[str], matrix: Any, cvs: Mapping[str, float]
) -> list[list[float]]:
    missing = [k for k in names if k not in cvs]
    if missing:
        raise InvalidValueError(
            f"correlation.parameters: {missing} have no CV in [variability]; correlated parameters "
            f"must vary (got variability for {sorted(cvs)})"
        )
    m = np.asarray(matrix, dtype=float)
    k = len(names)
    if m.shape != (k, k) or not np.allclose(m, m.T) or not np.allclose(np.diag(m), 1.0):
        raise InvalidValueError(
            f"correlation.matrix: must be a symmetric {k}x{k} matrix with unit diagonal; got {m.tolist()}"
        )
    if np.any(np.abs(m) > 1.0) or np.linalg.eigvalsh(m).min() <= 0.0:
        raise InvalidValueError(
            f"correlation.matrix: must be positive definite with entries in [-1, 1]; got {m.tolist()}"
        )
    return [list(map(float, r)) for r in m]


def cohort_spec(data: Mapping[str, Any]) -> CohortSpec:
    """Validate a parsed cohort file (a mapping of its tables) into a :class:`CohortSpec`.

    Parameters
    ----------
    data : mapping
        ``{"cohort": {...}, "variability": {...}, "correlation": {...}, "covariates": {...},
        "trial": {...}}`` as read from TOML.

    Returns
    -------
    CohortSpec

    Raises
    ------
    InvalidValueError, UnitError
        Naming the table and field of a bad value.
    """
    known = {"cohort", "variability", "correlation", "covariates", "trial"}
    extra = sorted(set(data) - known)
    if extra:
        raise InvalidValueError(f"cohort file: unknown table(s) {extra}; allowed {sorted(known)}")
    c = dict(data.get("cohort", {}))
    if "drug" not in c or "dose" not in c:
        raise InvalidValueError(
            "cohort: 'drug' and 'dose' are required (e.g. drug = \"alprazolam\", dose = \"1 mg\")"
        )
    n = c.get("n", 1000)
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise InvalidValueError(f"cohort.n: must be an integer >= 1; got {n!r}")
    seed = c.get("seed", 0)
    if not isinstance(seed, int) or seed < 0:
        raise InvalidValueError(f"cohort.seed: must be an integer >= 0; got {seed!r}")
    cvs: dict[str, float] = {}
    for k, v in dict(data.get("variability", {})).items():
        if not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
            raise InvalidValueError(f"variability.{k}: CV must be a number >= 0; got {v!r}")
        cvs[str(k)] = float(v)
    corr = dict(data.get("correlation", {}))
    names = [str(x) for x in corr.get("parameters", [])]
    matrix = _check_correlation(names, corr.get("matrix", []), cvs) if names else []
    cov = dict(data.get("covariates", {}))
    age = AgeDistribution(**cov.get("age", {}))
    if not (age.sd > 0 and age.min < age.max and age.min <= age.mean <= age.max):
        raise InvalidValueError(f"covariates.age: need sd > 0 and min <= mean <= max; got {age}")
    weight = WeightDistribution(**cov.get("weight", {}))
    trial = dict(data.get("trial", {}))
    return CohortSpec(
        name=str(c.get("name", "cohort")),
        drug=str(c["drug"]),
        dose_mg=magnitude(c["dose"], field="cohort.dose", unit="mg", strictly_positive=True),
        interval_h=magnitude(
            c.get("interval", "24 h"), field="cohort.interval", unit="h", strictly_positive=True
        ),
        use_days=magnitude(
            c.get("duration_of_use", "180 days"),
            field="cohort.duration_of_use",
            unit="day",
            strictly_positive=True,
        ),
        n=n,
        seed=seed,
        variability=cvs,
        correlation_parameters=names,
        correlation=matrix,
        age=age,
        weight=weight,
        female_fraction=_prob(cov.get("female_fraction", 0.6), "covariates.female_fraction"),
        hepatic_impairment=_prob(
            cov.get("hepatic_impairment", 0.0), "covariates.hepatic_impairment"
        ),
        cyp3a4_inhibitor=_prob(cov.get("cyp3a4_inhibitor", 0.0), "covariates.cyp3a4_inhibitor"),
        taper_horizon_days=magnitude(
            trial.get("taper_horizon", "78 weeks"),
            field="trial.taper_horizon",
            unit="day",
            strictly_positive=True,
        ),
        follow_up_days=magnitude(
            trial.get("follow_up", "26 weeks"), field="trial.follow_up", unit="day", minimum=0.0
        ),
        tolerance=float(trial.get("tolerance", 1e-6)),
    )


def load_cohort(path: str | Path) -> CohortSpec:
    """Read a cohort TOML file (see :func:`cohort_spec` and ``examples/cohort.toml``).

    Raises
    ------
    InvalidValueError
        If the file is missing or not valid TOML, or a value is bad.
    """
    p = Path(path)
    try:
        data = tomllib.loads(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InvalidValueError(f"cohort: file not found: {p}") from None
    except tomllib.TOMLDecodeError as exc:
        raise InvalidValueError(f"cohort: {p} is not valid TOML: {exc}") from None
    return cohort_spec(data)
