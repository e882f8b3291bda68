"""The patient factors of a co-prescription risk assessment: held together, checked, echoed back.

:func:`allostasis.clinical.assess_risk` takes the patient's age, five yes/no risk factors, whether
rescue naloxone is on hand, a recent period without opioids and its reason, and alcohol use.
:func:`check_patient_factors` refuses what cannot be a patient factor (``"yes"`` for a flag, an age
of 130, half a day of abstinence), naming the field, the value and what is allowed; the factors as
given are echoed in the assessment's ``patient`` field (:meth:`PatientFactors.as_dict`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from allostasis.clinical._naloxone import AbstinenceReason
from allostasis.errors import InvalidValueError

__all__ = [
    "ABSTINENCE_REASONS",
    "PatientFactors",
    "check_medication_list",
    "check_patient_factors",
]

#: Reasons accepted for a recent period without opioids (see :class:`OverdoseRiskProfile`).
ABSTINENCE_REASONS = ("prison", "hospital", "taper", "other")

#: The yes/no factors, in the order they are checked and reported.
_FLAGS = (
    "sleep_apnoea",
    "prior_overdose",
    "substance_use_disorder",
    "renal_impairment",
    "hepatic_impairment",
    "has_rescue_naloxone",
)


@dataclass(frozen=True)
class PatientFactors:
    """The patient factors exactly as given to the assessment (stored unchecked)."""

    age_years: float | None = None
    sleep_apnoea: bool = False
    prior_overdose: bool = False
    substance_use_disorder: bool = False
    renal_impairment: bool = False
    hepatic_impairment: bool = False
    abstinent_days: int | None = None
    abstinent_reason: AbstinenceReason | None = None
    alcohol: str | None = None
    """Standard drinks as written ("2 drinks/day", "10 drinks/week")."""
    has_rescue_naloxone: bool = False

    def as_dict(self, alcohol_drinks_per_day: float | None) -> dict[str, Any]:
        """The factors as given, with alcohol also as read (drinks/day), for the assessment.

        Examples
        --------
        >>> PatientFactors(age_years=68, alcohol="14 drinks/week").as_dict(2.0)["alcohol_drinks_per_day"]
        2.0
        """
        return {
            "age_years": self.age_years,
            "sleep_apnoea": self.sleep_apnoea,
            "prior_overdose": self.prior_overdose,
            "substance_use_disorder": self.substance_use_disorder,
            "renal_impairment": self.renal_impairment,
            "hepatic_impairment": self.hepatic_impairment,
            "abstinent_days": self.abstinent_days,
            "abstinent_reason": self.abstinent_reason,
            "alcohol": self.alcohol,
            "alcohol_drinks_per_day": alcohol_drinks_per_day,
            "has_rescue_naloxone": self.has_rescue_naloxone,
        }


def check_medication_list(medications: Sequence[str]) -> None:
    """Refuse a bare string or an empty list: the assessment reads a list of one or more orders.

    Examples
    --------
    >>> check_medication_list(["oxycodone 10 mg BID"])
    >>> check_medication_list("oxycodone 10 mg BID")
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: medications: give a list of one or more orders; got 'oxycodone 10 mg BID'
    """
    if isinstance(medications, str) or len(medications) == 0:
        raise InvalidValueError(
            f"medications: give a list of one or more orders; got {medications!r}"
        )


def check_patient_factors(p: PatientFactors) -> None:
    """Check the patient factors: the yes/no flags first, then age, abstinent days and reason.

    Each flag must be a bool (all offending flags are reported at once); age a number of years in
    [0, 120]; abstinent days a whole number; the reason one of :data:`ABSTINENCE_REASONS`. Alcohol
    is read later (:func:`allostasis.clinical._medication_list.parse_alcohol`).

    Raises
    ------
    InvalidValueError
        The first factor that fails, naming the field, the value and what is allowed.

    Examples
    --------
    >>> check_patient_factors(PatientFactors(age_years=68, sleep_apnoea=True))
    >>> check_patient_factors(PatientFactors(sleep_apnoea="yes", prior_overdose=1))
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: sleep_apnoea='yes', prior_overdose=1: expected True or False
    """
    bad = [f"{k}={getattr(p, k)!r}" for k in _FLAGS if not isinstance(getattr(p, k), bool)]
    if bad:
        raise InvalidValueError(f"{', '.join(bad)}: expected True or False")
    age = p.age_years
    if age is not None and (
        isinstance(age, bool) or not isinstance(age, (int, float)) or not 0 <= age <= 120
    ):
        raise InvalidValueError(f"age_years: must be a number of years from 0 to 120; got {age!r}")
    days = p.abstinent_days
    if days is not None and (isinstance(days, bool) or not isinstance(days, int)):
        raise InvalidValueError(f"abstinent_days: must be a whole number of days; got {days!r}")
    if p.abstinent_reason is not None and p.abstinent_reason not in ABSTINENCE_REASONS:
        raise InvalidValueError(
            f"abstinent_reason: {p.abstinent_reason!r} is not allowed; one of prison, hospital, "
            "taper, other"
        )
