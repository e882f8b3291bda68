"""Physiology: chloride and GABA's driving force, excitation/inhibition balance, symptom domains,
monoamine circuits and breathing.

Monoamine circuits: the raphe serotonin loop (SERT blockade, 5-HT1A autoreceptor desensitisation,
delayed postsynaptic rise), the locus coeruleus alpha2 loop (biphasic noradrenaline) and a
recurrent circuit damped by gabapentinoids (state-dependent). Breathing: the preBötzinger rhythm
network, the chemoreflex loop and gas exchange.

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
from allostasis.physiology._gabapentinoid_circuit import (
    CIRCUIT_PARAMETERS,
    EXCITABILITY_STATES,
    CircuitState,
    GabapentinoidCircuitEffect,
    gabapentinoid_circuit,
)
from allostasis.physiology._gas_exchange import (
    aa_gradient,
    oxygen_saturation,
)
from allostasis.physiology._locus_coeruleus import (
    LC_PARAMETER_NOTES,
    LocusCoeruleusParameters,
    LocusCoeruleusResponse,
    locus_coeruleus_response,
)
from allostasis.physiology._raphe import (
    RAPHE_PARAMETER_NOTES,
    RapheParameters,
    RapheResult,
    RapheSummary,
    raphe_loop,
)
from allostasis.physiology._raphe_drug import (
    simulate_raphe,
)
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
    "CIRCUIT_PARAMETERS",
    "EXCITABILITY_STATES",
    "E_GABA_NORMAL_MV",
    "LC_PARAMETER_NOTES",
    "NETWORK",
    "P_HCO3_OVER_P_CL",
    "RAPHE_PARAMETER_NOTES",
    "SEIZURE_INDEX_THRESHOLD",
    "SYMPTOM_DOMAINS",
    "CircuitState",
    "GabapentinoidCircuitEffect",
    "LocusCoeruleusParameters",
    "LocusCoeruleusResponse",
    "NetworkOutput",
    "RapheParameters",
    "RapheResult",
    "RapheSummary",
    "RespiratoryNetwork",
    "SymptomDomain",
    "VentilationTrace",
    "aa_gradient",
    "balance_index",
    "benzodiazepine_shift",
    "gaba_driving_force",
    "gaba_potentiation",
    "gabapentinoid_circuit",
    "ghk_gaba_reversal",
    "heart_rate",
    "intracellular_chloride",
    "locus_coeruleus_response",
    "nernst_chloride",
    "net_inhibitory_drive",
    "oxygen_saturation",
    "raphe_loop",
    "respiratory_network",
    "seizure_risk",
    "simulate_raphe",
    "simulate_ventilatory_control",
    "symptom_severity",
]
