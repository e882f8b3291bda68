"""Benzodiazepine and Z-drug dose-equivalence tables, one per published source.

Equivalence is stored per source (Ashton 2002, VA/DoD 2021, NHS Scotland 2024, ...) and never
collapsed to one number: the sources disagree by up to a factor of two (alprazolam, lorazepam,
clonazepam, triazolam, oxazepam, temazepam), and a result must name the table it used.
"""

from __future__ import annotations

from pydantic import Field

from allostasis.knowledge._schema import Amount, _Frozen

__all__ = ["EquivalenceSet"]


class EquivalenceSet(_Frozen):
    """Doses taken as equivalent to ``reference_dose`` of ``reference_drug``, from one source."""

    id: str
    """Versioned id, e.g. ``ashton-2002``; results name it."""
    source: str
    description: str
    reference_drug: str
    reference_dose: Amount
    doses: dict[str, Amount] = Field(min_length=1)
