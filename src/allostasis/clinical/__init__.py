"""Clinical decision tools (decision support, not autonomous prescribing)."""

# issue 5: anxiolytic dose selection (monoamine circuits)
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
from allostasis.clinical._titration import TitrationStep, parse_titration

__all__ = [
    "DEFAULT_MME_FACTOR_SET",
    "DISAGREEMENT_THRESHOLD",
    # issue 5
    "MEANINGFUL_NET_OCCUPANCY",
    "MME_NOT_FOR_CONVERSION",
    "PATCH_WEAR_H",
    "THERAPEUTIC_SERT_OCCUPANCY",
    "AnxiolyticSelection",
    "DispensedDose",
    "DispensedItem",
    "EquivalentDose",
    "MMEResult",
    "Order",
    "OrderMME",
    "RegimenComparison",
    "SSRICourse",
    "TitrationStep",
    "TransporterEngagement",
    "calculate_mme",
    "combine_mme",
    "compare_equivalent_regimens",
    "convert_benzodiazepine",
    "dispense",
    "dose_for_sert_occupancy",
    "parse_sig",
    "parse_titration",
    "select_anxiolytic",
    "ssri_course",
    "transporter_engagement",
]
