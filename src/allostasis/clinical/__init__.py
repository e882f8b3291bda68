"""Clinical decision tools (decision support, not autonomous prescribing)."""

from allostasis.clinical._anxiolytic_selection import (
    MEANINGFUL_NET_OCCUPANCY,
    THERAPEUTIC_SERT_OCCUPANCY,
    AnxiolyticSelection,
    SSRICourse,
    TransporterEngagement,
    dose_for_sert_occupancy,
    select_anxiolytic,
    ssri_course,
    transporter_engagement,
)
from allostasis.clinical._benzodiazepine_use import (
    BenzodiazepineUse,
    benzodiazepine_use,
)
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
from allostasis.clinical._dispensing import (
    DispensedDose,
    DispensedItem,
    dispense,
)
from allostasis.clinical._equivalence import (
    DISAGREEMENT_THRESHOLD,
    EquivalentDose,
    convert_benzodiazepine,
)
from allostasis.clinical._interaction_estimates import (
    INTERACTIONS,
    InteractionSpec,
    RiskEstimate,
    interaction_for,
)
from allostasis.clinical._mme import (
    DEFAULT_MME_FACTOR_SET,
    MME_NOT_FOR_CONVERSION,
    MMEResult,
    OrderMME,
    calculate_mme,
    combine_mme,
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
from allostasis.clinical._sig import (
    PATCH_WEAR_H,
    Order,
    parse_sig,
)
from allostasis.clinical._switch_comparison import (
    RegimenComparison,
    compare_equivalent_regimens,
)
from allostasis.clinical._symptom_guided import (
    RED_FLAGS,
    TABLE3_DOMAINS,
    SymptomReport,
    TaperAdjustment,
    adjust_taper,
    symptom_report,
)
from allostasis.clinical._taper_conformance import (
    check_taper_conformance,
)
from allostasis.clinical._taper_guideline import (
    SHORT_USE_DAYS,
    TaperPace,
    default_pace,
    largest_step,
)
from allostasis.clinical._taper_plan import (
    SWITCH_TARGETS,
    plan_taper,
)
from allostasis.clinical._taper_prediction import (
    StepPrediction,
    TaperPrediction,
    predict_taper,
)
from allostasis.clinical._taper_schedule import (
    ScheduledDose,
    TaperOverride,
    TaperPlan,
    TaperStep,
)
from allostasis.clinical._titration import (
    TitrationStep,
    parse_titration,
)

__all__ = [
    "BUPRENORPHINE_NALOXONE_NOT_RESCUE",
    "DECISION_SUPPORT_NOTICE",
    "DEFAULT_MME_FACTOR_SET",
    "DISAGREEMENT_THRESHOLD",
    "IMPLAUSIBLE_DOSE_MULTIPLE",
    "INTERACTIONS",
    "MEANINGFUL_NET_OCCUPANCY",
    "MME_NOT_FOR_CONVERSION",
    "NALOXONE_MME_THRESHOLD",
    "PATCH_WEAR_H",
    "RED_FLAGS",
    "SHORT_USE_DAYS",
    "SWITCH_TARGETS",
    "TABLE3_DOMAINS",
    "THERAPEUTIC_SERT_OCCUPANCY",
    "AnxiolyticSelection",
    "BenzodiazepineEquivalents",
    "BenzodiazepineUse",
    "DispensedDose",
    "DispensedItem",
    "EquivalentDose",
    "InteractionFlag",
    "InteractionSpec",
    "MMEResult",
    "MedicationEntry",
    "NaloxoneRecommendation",
    "NaloxoneTrigger",
    "Order",
    "OrderMME",
    "OverdoseRiskProfile",
    "RegimenComparison",
    "RiskAssessment",
    "RiskEstimate",
    "RiskModifier",
    "SSRICourse",
    "ScheduledDose",
    "SedativeBurden",
    "StepPrediction",
    "SymptomReport",
    "TaperAdjustment",
    "TaperOverride",
    "TaperPace",
    "TaperPlan",
    "TaperPrediction",
    "TaperStep",
    "TitrationStep",
    "TransporterEngagement",
    "adjust_taper",
    "assess_risk",
    "benzodiazepine_use",
    "calculate_mme",
    "check_taper_conformance",
    "combine_mme",
    "compare_equivalent_regimens",
    "convert_benzodiazepine",
    "default_pace",
    "dispense",
    "dose_for_sert_occupancy",
    "interaction_for",
    "largest_step",
    "parse_sig",
    "parse_titration",
    "plan_taper",
    "predict_taper",
    "recommend_naloxone",
    "select_anxiolytic",
    "ssri_course",
    "symptom_report",
    "transporter_engagement",
]
