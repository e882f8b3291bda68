"""Physiology: chloride and GABA's driving force, excitation/inhibition balance, symptom domains,
and breathing (preBötzinger rhythm network, chemoreflex loop, gas exchange).

>>> from allostasis.physiology import gaba_driving_force, symptom_severity
>>> round(float(gaba_driving_force(1.0)), 3)
1.0
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
from allostasis.physiology._gas_exchange import aa_gradient, oxygen_saturation
from allostasis.physiology._respiratory_network import (
    NETWORK,
    NetworkOutput,
    RespiratoryNetwork,
    respiratory_network,
)
from allostasis.physiology._symptoms import (
    SEIZURE_INDEX_THRESHOLD,
    SYMPTOM_DOMAINS,
    SymptomDomain,
    heart_rate,
    seizure_risk,
    symptom_severity,
)
from allostasis.physiology._ventilatory_control import (
    VentilationTrace,
    simulate_ventilatory_control,
)

__all__ = [
    "E_GABA_NORMAL_MV",
    "NETWORK",
    "P_HCO3_OVER_P_CL",
    "SEIZURE_INDEX_THRESHOLD",
    "SYMPTOM_DOMAINS",
    "NetworkOutput",
    "RespiratoryNetwork",
    "SymptomDomain",
    "VentilationTrace",
    "aa_gradient",
    "balance_index",
    "benzodiazepine_shift",
    "gaba_driving_force",
    "gaba_potentiation",
    "ghk_gaba_reversal",
    "heart_rate",
    "intracellular_chloride",
    "nernst_chloride",
    "net_inhibitory_drive",
    "oxygen_saturation",
    "respiratory_network",
    "seizure_risk",
    "simulate_ventilatory_control",
    "symptom_severity",
]
