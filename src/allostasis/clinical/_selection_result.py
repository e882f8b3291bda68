"""The answer of the anxiolytic dose-selection aid for one drug (:func:`select_anxiolytic`).

Its ``summary`` holds the class-specific numbers: occupancy by dose, the dose for the target and a
start-low suggestion for an SSRI/SNRI (:mod:`allostasis.clinical._reuptake_selection`); the course
for buspirone; the GABA-A subunit profile for a benzodiazepine and the release and circuit
reduction for a gabapentinoid (:mod:`allostasis.clinical._steady_state_profiles`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["AnxiolyticSelection"]


@dataclass(frozen=True)
class AnxiolyticSelection:
    """Dose-selection answer for one drug: class-specific numbers, a suggestion and the basis."""

    drug: str
    drug_class: str
    summary: dict[str, Any]
    labels: list[str] = field(default_factory=list)
    basis: list[str] = field(default_factory=list, repr=False)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return {
            "drug": self.drug,
            "drug_class": self.drug_class,
            "summary": self.summary,
            "labels": list(self.labels),
            "basis": list(self.basis),
        }
