"""Drug knowledge base: typed drug data with units and sources, and equivalence sets.

>>> from allostasis.knowledge import load_knowledge_base
>>> kb = load_knowledge_base()
>>> kb["alprazolam"].drug_class
'benzodiazepine'
"""

from allostasis.knowledge._equivalence import EquivalenceSet
from allostasis.knowledge._loader import (
    KnowledgeBase,
    build_knowledge_base,
    load_knowledge_base,
    read_data_files,
)
from allostasis.knowledge._mme_factors import (
    DoseBand,
    MMEExclusion,
    MMEFactor,
    MMEFactorSet,
    MMEThreshold,
    load_mme_factor_sets,
)
from allostasis.knowledge._schema import (
    DosingPattern,
    Drug,
    Formulation,
    Measured,
    Metabolite,
    PKParameters,
    PopulationNote,
    RouteParameters,
    Source,
    Target,
)
from allostasis.knowledge._studies import PETStudy, load_pet_studies

__all__ = [
    "DoseBand",
    "DosingPattern",
    "Drug",
    "EquivalenceSet",
    "Formulation",
    "KnowledgeBase",
    "MMEExclusion",
    "MMEFactor",
    "MMEFactorSet",
    "MMEThreshold",
    "Measured",
    "Metabolite",
    "PETStudy",
    "PKParameters",
    "PopulationNote",
    "RouteParameters",
    "Source",
    "Target",
    "build_knowledge_base",
    "load_knowledge_base",
    "load_mme_factor_sets",
    "load_pet_studies",
    "read_data_files",
]
