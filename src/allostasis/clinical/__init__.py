"""Clinical decision tools (decision support, not autonomous prescribing)."""

from allostasis.clinical._benzodiazepine_use import BenzodiazepineUse, benzodiazepine_use
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
from allostasis.clinical._symptom_guided import (
    RED_FLAGS,
    TABLE3_DOMAINS,
    SymptomReport,
    TaperAdjustment,
    adjust_taper,
    symptom_report,
)
from allostasis.clinical._taper_conformance import check_taper_conformance
from allostasis.clinical._taper_guideline import TaperPace, default_pace, largest_step
from allostasis.clinical._taper_plan import SWITCH_TARGETS, plan_taper
from allostasis.clinical._taper_prediction import StepPrediction, TaperPrediction, predict_taper
from allostasis.clinical._taper_schedule import ScheduledDose, TaperOverride, TaperPlan, TaperStep

__all__ = [
    "DEFAULT_MME_FACTOR_SET",
    "DISAGREEMENT_THRESHOLD",
    "MME_NOT_FOR_CONVERSION",
    "PATCH_WEAR_H",
    "RED_FLAGS",
    "SWITCH_TARGETS",
    "TABLE3_DOMAINS",
    "BenzodiazepineUse",
    "DispensedDose",
    "DispensedItem",
    "EquivalentDose",
    "MMEResult",
    "Order",
    "OrderMME",
    "RegimenComparison",
    "ScheduledDose",
    "StepPrediction",
    "SymptomReport",
    "TaperAdjustment",
    "TaperOverride",
    "TaperPace",
    "TaperPlan",
    "TaperPrediction",
    "TaperStep",
    "adjust_taper",
    "benzodiazepine_use",
    "calculate_mme",
    "check_taper_conformance",
    "combine_mme",
    "compare_equivalent_regimens",
    "convert_benzodiazepine",
    "default_pace",
    "dispense",
    "largest_step",
    "parse_sig",
    "plan_taper",
    "predict_taper",
    "symptom_report",
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
