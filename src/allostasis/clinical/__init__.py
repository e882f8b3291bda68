"""Clinical decision tools (decision support, not autonomous prescribing)."""

from allostasis.clinical._equivalence import (
    DISAGREEMENT_THRESHOLD,
    EquivalentDose,
    convert_benzodiazepine,
)
from allostasis.clinical._switch_comparison import RegimenComparison, compare_equivalent_regimens

__all__ = [
    "DISAGREEMENT_THRESHOLD",
    "EquivalentDose",
    "RegimenComparison",
    "compare_equivalent_regimens",
    "convert_benzodiazepine",
]
