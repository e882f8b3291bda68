"""Engine: runs the coupled model (PK -> drug action -> adaptation -> balance -> symptoms) over subjects.

This first version integrates the adaptation ODEs with a vectorised fixed-step RK4 (checked against
scipy ``solve_ivp``); the compiled (numba) engine with state-dependent dosing rules is still to come.

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

__all__ = ["RECOVERY_INDEX", "AdaptationResult", "WithdrawalSummary", "simulate_adaptation"]
