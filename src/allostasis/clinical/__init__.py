"""Clinical decision tools (decision support, not autonomous prescribing)."""

from allostasis.clinical._dispensing import DispensedDose, DispensedItem, dispense
from allostasis.clinical._equivalence import (
    DISAGREEMENT_THRESHOLD,
    EquivalentDose,
    convert_benzodiazepine,
)
from allostasis.clinical._mme import (
    DEFAULT_MME_FACTOR_SET,
    MME_NOT_FOR_CONVERSION,
    MMEResult,
    OrderMME,
    calculate_mme,
    combine_mme,
)
from allostasis.clinical._sig import PATCH_WEAR_H, Order, parse_sig
from allostasis.clinical._switch_comparison import RegimenComparison, compare_equivalent_regimens

__all__ = [
    "DEFAULT_MME_FACTOR_SET",
    "DISAGREEMENT_THRESHOLD",
    "MME_NOT_FOR_CONVERSION",
    "PATCH_WEAR_H",
    "DispensedDose",
    "DispensedItem",
    "EquivalentDose",
    "MMEResult",
    "Order",
    "OrderMME",
    "RegimenComparison",
    "calculate_mme",
    "combine_mme",
    "compare_equivalent_regimens",
    "convert_benzodiazepine",
    "dispense",
    "parse_sig",
]

# --- co-prescription risk and naloxone (issue 7, item 5) ---
from allostasis.clinical._coprescription_risk import (
    DECISION_SUPPORT_NOTICE,
    IMPLAUSIBLE_DOSE_MULTIPLE,
    BenzodiazepineEquivalents,
    InteractionFlag,
    MedicationEntry,
    RiskAssessment,
    SedativeBurden,
    assess_risk,
)
from allostasis.clinical._interaction_estimates import (
    INTERACTIONS,
    InteractionSpec,
    RiskEstimate,
    interaction_for,
)
from allostasis.clinical._naloxone import (
    BUPRENORPHINE_NALOXONE_NOT_RESCUE,
    NALOXONE_MME_THRESHOLD,
    NaloxoneRecommendation,
    NaloxoneTrigger,
    OverdoseRiskProfile,
    RiskModifier,
    recommend_naloxone,
)

__all__ += [
    "BUPRENORPHINE_NALOXONE_NOT_RESCUE",
    "DECISION_SUPPORT_NOTICE",
    "IMPLAUSIBLE_DOSE_MULTIPLE",
    "INTERACTIONS",
    "NALOXONE_MME_THRESHOLD",
    "BenzodiazepineEquivalents",
    "InteractionFlag",
    "InteractionSpec",
    "MedicationEntry",
    "NaloxoneRecommendation",
    "NaloxoneTrigger",
    "OverdoseRiskProfile",
    "RiskAssessment",
    "RiskEstimate",
    "RiskModifier",
    "SedativeBurden",
    "assess_risk",
    "interaction_for",
    "recommend_naloxone",
]
