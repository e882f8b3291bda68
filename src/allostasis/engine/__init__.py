"""Engine: runs the coupled model (PK -> drug action -> adaptation -> balance -> symptoms) over subjects.

Two runners compute the same model:

- :func:`simulate_adaptation` (numpy, fixed-step RK4 or scipy ``solve_ivp``): any mix of GABA-A
  modulators, flumazenil, ketamine and cues; the reference;
- :func:`simulate_cohort` (compiled, blocks of 64 subjects on threads): one modulator with its
  active metabolites, exact PK at the stages of an adaptive Dormand-Prince 5(4) method, and
  state-dependent dosing rules (:func:`dosing_rule`: taper steps, hold while the balance index is
  high, resume more slowly). About 1.1 million patient-days/s on 2 threads, within 1.1e-5 of scipy
  (benchmarks/bench_engine.py; docs/neuroadaptation/engine.md).

:func:`simulate_breathing` (respiratory depression by opioids, GABA-A modulators, gabapentinoids
and alcohol; naloxone; tolerance; age) and :func:`sedative_burden` are the breathing entry points.

:func:`withdrawal_scenario` states a scenario in clinical terms (chronic use, stop or taper, events).

>>> from allostasis.engine import simulate_adaptation
>>> from allostasis.regimen import every
>>> r = simulate_adaptation({"alprazolam": every("0.5 mg", "8 h", duration="20 days")}, end="25 days")
>>> r.summary()[0].peak_day > 0
True
"""

from allostasis.engine._adaptation_runner import (
    RECOVERY_INDEX,
    AdaptationResult,
    WithdrawalSummary,
    simulate_adaptation,
)
from allostasis.engine._block_model import LANES as LANES_PER_BLOCK
from allostasis.engine._breathing import (
    BreathingResult,
    breathing_population,
    simulate_breathing,
)
from allostasis.engine._breathing_inputs import parse_naloxone
from allostasis.engine._carry_over import CrossTaper, PreviousDrug
from allostasis.engine._compiled import CohortResult, simulate_cohort
from allostasis.engine._kernel import default_threads as default_cohort_threads
from allostasis.engine._rules import DosingRule, dosing_rule
from allostasis.engine._scenario import WithdrawalRun, parse_event, withdrawal_scenario
from allostasis.engine._sedative_burden import SedativeBurden, sedative_burden

__all__ = [
    "LANES_PER_BLOCK",
    "RECOVERY_INDEX",
    "AdaptationResult",
    "BreathingResult",
    "CohortResult",
    "CrossTaper",
    "DosingRule",
    "PreviousDrug",
    "SedativeBurden",
    "WithdrawalRun",
    "WithdrawalSummary",
    "breathing_population",
    "default_cohort_threads",
    "dosing_rule",
    "parse_event",
    "parse_naloxone",
    "sedative_burden",
    "simulate_adaptation",
    "simulate_breathing",
    "simulate_cohort",
    "withdrawal_scenario",
]
