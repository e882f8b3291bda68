"""Population simulation: virtual cohorts and in-silico taper trials at scale (layer 8).

- :func:`load_cohort` / :func:`cohort_spec`: a cohort described in a TOML file (drug, dose,
  duration of use, size, seed, log-normal variability with correlations, covariates);
- :func:`sample_cohort`, :func:`subject_parameters`: reproducible sampling, one random stream per
  subject, so results do not depend on chunking, threads or workers;
- :func:`run_trial`: several taper strategies on the same cohort through the compiled engine, in
  64-aligned chunks, locally or on a Dask cluster; per-strategy outcomes with confidence intervals;
  a strategy's pace is part of its spec (:func:`parse_strategy_spec`, ``"symptom-guided:25%/7d"``);
- :func:`subgroup_outcomes`: who does worse -- outcomes per strategy by age band, sex, hepatic
  impairment, CYP3A4 inhibitor and exposure tertile, with Wilson intervals.
"""

from allostasis.population._cohort_spec import (
    AgeDistribution,
    CohortSpec,
    WeightDistribution,
    cohort_spec,
    load_cohort,
)
from allostasis.population._confidence_intervals import quantile_interval, wilson_interval
from allostasis.population._covariate_effects import covariate_basis, pk_covariate_table
from allostasis.population._memory_estimate import MemoryEstimate, estimate_memory
from allostasis.population._subgroup_outcomes import (
    SUBGROUP_COVARIATES,
    subgroup_outcomes,
    subject_covariates,
)
from allostasis.population._subject_streams import subject_draws, subject_generator
from allostasis.population._taper_pace import StrategySpec, parse_strategy_spec
from allostasis.population._taper_strategies import (
    STRATEGIES,
    TaperPhase,
    TaperStrategy,
    taper_strategy,
)
from allostasis.population._trial import TrialResult, run_trial, summarise_trial
from allostasis.population._trial_chunks import (
    MODERATE_INDEX,
    PROTRACTED_INDEX,
    SEVERE_INDEX,
    check_chunks,
    simulate_chunk,
)
from allostasis.population._virtual_cohort import omega, sample_cohort, subject_parameters

__all__ = [
    "MODERATE_INDEX",
    "PROTRACTED_INDEX",
    "SEVERE_INDEX",
    "STRATEGIES",
    "SUBGROUP_COVARIATES",
    "AgeDistribution",
    "CohortSpec",
    "MemoryEstimate",
    "StrategySpec",
    "TaperPhase",
    "TaperStrategy",
    "TrialResult",
    "WeightDistribution",
    "check_chunks",
    "cohort_spec",
    "covariate_basis",
    "estimate_memory",
    "load_cohort",
    "omega",
    "parse_strategy_spec",
    "pk_covariate_table",
    "quantile_interval",
    "run_trial",
    "sample_cohort",
    "simulate_chunk",
    "subgroup_outcomes",
    "subject_covariates",
    "subject_draws",
    "subject_generator",
    "subject_parameters",
    "summarise_trial",
    "taper_strategy",
    "wilson_interval",
]
