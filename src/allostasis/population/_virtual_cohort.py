"""Sampling a virtual cohort: covariates and log-normal, correlated between-subject variability.

Subject :math:`i` draws :math:`k + 5` uniforms :math:`u_i` from its own stream
(:func:`~allostasis.population.subject_draws`); normals are :math:`z = \\Phi^{-1}(u)`.

.. math::

    \\eta_i = L z_i^{(1..k)},\\ LL^\\top = R, \\qquad
    \\theta_{i,p} = \\theta_p(\\text{covariates}_i)\\, e^{\\omega_p \\eta_{i,p}}, \\qquad
    \\omega_p = \\sqrt{\\ln(1 + CV_p^2)}

(log-normal with the covariate-adjusted typical value as median, so the CV of
:math:`\\theta/\\theta(\\text{cov})` is :math:`CV_p`; the correlation :math:`R` is that of the
:math:`\\eta`). Covariates: age from a normal truncated to ``[min, max]`` (inverse CDF), sex
female with probability ``female_fraction``, weight log-normal by sex, hepatic impairment and a
CYP3A4 inhibitor with their probabilities; their effects in ``_covariate_effects``.

>>> from allostasis.population import cohort_spec
>>> spec = cohort_spec({"cohort": {"drug": "alprazolam", "dose": "1 mg", "n": 200, "seed": 3},
...                     "variability": {"cl": 0.3, "tau_glutamate": 0.2}})
>>> c = sample_cohort(spec, 0, 200)
>>> c.shape, list(c.columns[:4])
((200, 8), ['subject_id', 'age', 'female', 'weight_kg'])
>>> bool((sample_cohort(spec, 50, 60) == c.iloc[50:60].reset_index(drop=True)).all().all())
True
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy.special import ndtr, ndtri

from allostasis.adaptation._parameters import PARAMETER_INDEX, parameter_array
from allostasis.errors import InvalidValueError
from allostasis.exposure import pk_model
from allostasis.population._cohort_spec import CohortSpec
from allostasis.population._covariate_effects import pk_covariate_table
from allostasis.population._subject_streams import subject_draws

__all__ = ["omega", "sample_cohort", "subject_parameters"]

_N_COVARIATE_DRAWS = 5


def omega(cv: float) -> float:
    """Log-scale SD of a log-normal with coefficient of variation ``cv``: sqrt(ln(1 + CV^2)).

    >>> round(omega(0.3), 4)
    0.2936
    """
    return math.sqrt(math.log1p(cv * cv))


def _cholesky(spec: CohortSpec) -> np.ndarray:
    names = list(spec.variability)
    full = np.eye(len(names))
    idx = [names.index(p) for p in spec.correlation_parameters]
    full[np.ix_(idx, idx)] = spec.correlation_matrix()
    return np.linalg.cholesky(full)


def sample_cohort(spec: CohortSpec, start: int = 0, stop: int | None = None) -> pd.DataFrame:
    """Covariates and variability deviations of subjects ``[start, stop)`` (0-based indices).

    Parameters
    ----------
    spec : CohortSpec
    start, stop : int
        Subject index range (default: the whole cohort).

    Returns
    -------
    pandas.DataFrame
        One row per subject: ``subject_id`` (1-based, global), ``age``, ``female``,
        ``weight_kg``, ``hepatic_impairment``, ``cyp3a4_inhibitor`` and ``eta_<parameter>``
        (standard normal, correlated as in the file) per varied parameter.
    """
    stop = spec.n if stop is None else stop
    if not 0 <= start < stop <= spec.n:
        raise InvalidValueError(
            f"subjects: need 0 <= start < stop <= n={spec.n}; got [{start}, {stop})"
        )
    names = list(spec.variability)
    k = len(names)
    u = subject_draws(spec.seed, start, stop, k + _N_COVARIATE_DRAWS)
    eta = ndtri(u[:, :k]) @ _cholesky(spec).T
    a = spec.age
    lo, hi = ndtr((a.min - a.mean) / a.sd), ndtr((a.max - a.mean) / a.sd)
    age = a.mean + a.sd * ndtri(lo + (hi - lo) * u[:, k])
    female = u[:, k + 1] < spec.female_fraction
    w = spec.weight
    med = np.where(female, w.female_median_kg, w.male_median_kg)
    om = np.where(female, omega(w.female_cv), omega(w.male_cv))
    weight = med * np.exp(om * ndtri(u[:, k + 2]))
    out = pd.DataFrame(
        {
            "subject_id": np.arange(start + 1, stop + 1),
            "age": age,
            "female": female,
            "weight_kg": weight,
            "hepatic_impairment": u[:, k + 3] < spec.hepatic_impairment,
            "cyp3a4_inhibitor": u[:, k + 4] < spec.cyp3a4_inhibitor,
        }
    )
    for j, name in enumerate(names):
        out[f"eta_{name}"] = eta[:, j]
    return out


def subject_parameters(
    spec: CohortSpec, cohort: pd.DataFrame, drug: str | None = None
) -> pd.DataFrame:
    """Per-subject parameter values of ``drug`` (default the cohort's) for the engine.

    PK parameters: covariate-adjusted typical values (``pk_covariate_table``) times
    :math:`e^{\\omega\\eta}` for varied ones; adaptation parameters: typical value times
    :math:`e^{\\omega\\eta}`. For another drug (the diazepam switch) a subject keeps its ``eta`` of
    same-named parameters (``cl``: the same person's relative clearance -- an assumption).

    Raises
    ------
    InvalidValueError
        If a varied parameter is neither a PK parameter of the drug nor an adaptation parameter.
    """
    drug = drug or spec.drug
    table = pk_covariate_table(drug, cohort, require_cyp3a4=drug == spec.drug)
    typical_pk = pk_model(drug, "oral").typical()
    base = parameter_array(1)[0]
    for name, cv in spec.variability.items():
        e = np.exp(omega(cv) * cohort[f"eta_{name}"].to_numpy())
        if name in table:
            table[name] = table[name].to_numpy() * e
            if name == "f":
                table[name] = np.minimum(table[name].to_numpy(), 1.0)
        elif name in PARAMETER_INDEX:
            table[name] = base[PARAMETER_INDEX[name]] * e
        elif drug == spec.drug or name == "tlag":
            raise InvalidValueError(
                f"variability: {name!r} is not a parameter of {drug}'s PK model "
                f"{sorted(k for k in typical_pk if k != 'tlag')} nor of the adaptation model "
                f"{sorted(PARAMETER_INDEX)}"
            )
    return table.reset_index(drop=True)
