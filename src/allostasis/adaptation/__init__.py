"""Adaptation: homeostatic set-point dynamics -- tolerance, dependence, withdrawal, KCC2, HPA, plasticity.

The state variables adapt toward set-points driven by the deviation of net inhibition from the
drug-free baseline. The excitation/inhibition balance and the chloride gradient (KCC2 -> [Cl-]i ->
E_GABA) live here rather than in ``physiology``, because the homeostatic loop closes through them:
the adaptation drive *is* the balance (a deliberate refinement of DESIGN.md's sketch, which keeps
imports pointing left). ``physiology`` reads the balance out as symptoms; ``engine`` runs the
coupled system over subjects.

>>> from allostasis.adaptation import STATE_NAMES
>>> len(STATE_NAMES)
9
"""

from allostasis.adaptation._balance import (
    balance_index,
    benzodiazepine_shift,
    gaba_potentiation,
    net_inhibitory_drive,
)
from allostasis.adaptation._chloride import (
    E_GABA_NORMAL_MV,
    P_HCO3_OVER_P_CL,
    gaba_driving_force,
    ghk_gaba_reversal,
    intracellular_chloride,
    nernst_chloride,
)
from allostasis.adaptation._drug_action import (
    IN_VIVO_KB_SCALE,
    KETAMINE_UNBOUND_FRACTION,
    NORKETAMINE_NMDA_KI_NM,
    DrugPotency,
    drug_potency,
)
from allostasis.adaptation._model import (
    INITIAL_STATE,
    INPUT_NAMES,
    STATE_NAMES,
    adaptation_outputs,
    adaptation_rhs,
    receptor_constants,
)
from allostasis.adaptation._opioid_tolerance import (
    CHRONIC_TOLERANCE_FACTOR,
    TOLERANCE_GAIN_HALF_LIFE_DAYS,
    TOLERANCE_LOSS_HALF_LIFE_DAYS,
    OpioidTolerance,
    apply_tolerance,
    opioid_tolerance,
    tolerance_factor,
)
from allostasis.adaptation._parameters import (
    PARAMETER_INDEX,
    PARAMETER_NAMES,
    PARAMETERS,
    AdaptationParameter,
    parameter_array,
)

__all__ = [
    "CHRONIC_TOLERANCE_FACTOR",
    "E_GABA_NORMAL_MV",
    "INITIAL_STATE",
    "INPUT_NAMES",
    "IN_VIVO_KB_SCALE",
    "KETAMINE_UNBOUND_FRACTION",
    "NORKETAMINE_NMDA_KI_NM",
    "PARAMETERS",
    "PARAMETER_INDEX",
    "PARAMETER_NAMES",
    "P_HCO3_OVER_P_CL",
    "STATE_NAMES",
    "TOLERANCE_GAIN_HALF_LIFE_DAYS",
    "TOLERANCE_LOSS_HALF_LIFE_DAYS",
    "AdaptationParameter",
    "DrugPotency",
    "OpioidTolerance",
    "adaptation_outputs",
    "adaptation_rhs",
    "apply_tolerance",
    "balance_index",
    "benzodiazepine_shift",
    "drug_potency",
    "gaba_driving_force",
    "gaba_potentiation",
    "ghk_gaba_reversal",
    "intracellular_chloride",
    "nernst_chloride",
    "net_inhibitory_drive",
    "opioid_tolerance",
    "parameter_array",
    "receptor_constants",
    "tolerance_factor",
]
