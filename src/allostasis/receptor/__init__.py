"""Receptor pharmacology: from a concentration to an effect.

Occupancy (mass action, Hill, competition, dose-occupancy Emax, target engagement through PK),
agonism (operational model, partial agonists, inverse agonists), allosteric modulation (GABA-A
and benzodiazepines, subunit profiles), competitive antagonism (Schild) and binding kinetics
(naloxone against opioids), presynaptic calcium and release (gabapentinoids), and drug
combination (Bliss, Loewe, highest single agent, response surface, epidemiological interaction).

>>> from allostasis.receptor import bliss, interaction_from_ratios
>>> round(bliss(0.41, 0.65).expected, 4)
0.7935
>>> interaction_from_ratios(3, 2, 8).reri.estimate
4.0
"""

from allostasis.receptor._allosteric import (
    ModulatedCurve,
    allosteric_response,
    allosteric_shift,
    cooperativity_from_potentiation,
    gaba_concentration_response,
    gaba_operational_parameters,
)
from allostasis.receptor._antagonist_challenge import antagonist_challenge
from allostasis.receptor._binding_kinetics import (
    ASSUMED_KON,
    MANN_2022_MOR_KINETICS,
    BindingLigand,
    CompetitionResult,
    binding_ligand,
    equilibrium_competition,
    ligand_from_knowledge_base,
    simulate_competition,
    unbound_molar_concentration,
)
from allostasis.receptor._bliss import EXCESS_TOLERANCE, CombinationExcess, bliss, bliss_expected
from allostasis.receptor._dose_occupancy import DoseOccupancy, OccupancyCI
from allostasis.receptor._epidemiological_interaction import (
    ConfidenceInterval,
    InteractionMeasure,
    InteractionResult,
    attributable_proportion,
    interaction_from_ratios,
    multiplicative_interaction,
    reri,
    synergy_index,
)
from allostasis.receptor._gabaa_subunits import (
    SUBUNITS,
    GabaaSubunitData,
    SubunitProfile,
    compare_at_equal_anxiolysis,
    load_gabaa_subunit_data,
    subunit_profile,
)
from allostasis.receptor._highest_single_agent import hsa_excess
from allostasis.receptor._interaction_from_counts import interaction_from_counts
from allostasis.receptor._loewe import (
    CI_ADDITIVE_BAND,
    CombinationIndex,
    DoseEffectCurve,
    isobologram,
    loewe_additive_effect,
    loewe_combination_index,
)
from allostasis.receptor._occupancy import (
    competitive_occupancy,
    hill_occupancy,
    molar_concentration,
    occupancy,
    unbound_concentration,
)
from allostasis.receptor._operational import (
    SEROTONIN_5HT1A_KA_NM,
    SEROTONIN_5HT1A_TAU,
    PartialAgonism,
    competitive_operational_response,
    efficacy_from_tau,
    operational_response,
    partial_agonism_by_tone,
    partial_agonist_crossover,
    tau_from_efficacy,
)
from allostasis.receptor._release import (
    DODGE_RAHAMIMOFF_EXPONENT,
    GABAPENTINOID_FUNCTIONAL_IC50,
    GABAPENTINOID_MAX_ENTRY_REDUCTION,
    GabapentinoidReleaseEffect,
    gabapentinoid_release_effect,
    release_fraction,
)
from allostasis.receptor._response_surface import (
    ResponseSurfaceFit,
    fit_response_surface,
    response_surface_effect,
)
from allostasis.receptor._schild import (
    SchildFit,
    dose_ratio,
    schild_regression,
    shifted_agonist_response,
)
from allostasis.receptor._target_engagement import (
    PET_EMAX,
    OccupancySummary,
    SteadyStateOccupancy,
    pet_observed_occupancy,
    steady_state_occupancy,
    target_occupancy,
)

__all__ = [
    "ASSUMED_KON",
    "CI_ADDITIVE_BAND",
    "DODGE_RAHAMIMOFF_EXPONENT",
    "EXCESS_TOLERANCE",
    "GABAPENTINOID_FUNCTIONAL_IC50",
    "GABAPENTINOID_MAX_ENTRY_REDUCTION",
    "MANN_2022_MOR_KINETICS",
    "PET_EMAX",
    "SEROTONIN_5HT1A_KA_NM",
    "SEROTONIN_5HT1A_TAU",
    "SUBUNITS",
    "BindingLigand",
    "CombinationExcess",
    "CombinationIndex",
    "CompetitionResult",
    "ConfidenceInterval",
    "DoseEffectCurve",
    "DoseOccupancy",
    "GabaaSubunitData",
    "GabapentinoidReleaseEffect",
    "InteractionMeasure",
    "InteractionResult",
    "ModulatedCurve",
    "OccupancyCI",
    "OccupancySummary",
    "PartialAgonism",
    "ResponseSurfaceFit",
    "SchildFit",
    "SteadyStateOccupancy",
    "SubunitProfile",
    "allosteric_response",
    "allosteric_shift",
    "antagonist_challenge",
    "attributable_proportion",
    "binding_ligand",
    "bliss",
    "bliss_expected",
    "compare_at_equal_anxiolysis",
    "competitive_occupancy",
    "competitive_operational_response",
    "cooperativity_from_potentiation",
    "dose_ratio",
    "efficacy_from_tau",
    "equilibrium_competition",
    "fit_response_surface",
    "gaba_concentration_response",
    "gaba_operational_parameters",
    "gabapentinoid_release_effect",
    "hill_occupancy",
    "hsa_excess",
    "interaction_from_counts",
    "interaction_from_ratios",
    "isobologram",
    "ligand_from_knowledge_base",
    "load_gabaa_subunit_data",
    "loewe_additive_effect",
    "loewe_combination_index",
    "molar_concentration",
    "multiplicative_interaction",
    "occupancy",
    "operational_response",
    "partial_agonism_by_tone",
    "partial_agonist_crossover",
    "pet_observed_occupancy",
    "release_fraction",
    "reri",
    "response_surface_effect",
    "schild_regression",
    "shifted_agonist_response",
    "simulate_competition",
    "steady_state_occupancy",
    "subunit_profile",
    "synergy_index",
    "target_occupancy",
    "tau_from_efficacy",
    "unbound_concentration",
    "unbound_molar_concentration",
]
