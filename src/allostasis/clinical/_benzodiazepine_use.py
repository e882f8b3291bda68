"""What a patient takes now: a benzodiazepine or Z-drug, the dose at each time of day.

``benzodiazepine_use("alprazolam 1 mg TID")`` reads a scheduled regimen strictly: a drug in the
knowledge base, one dose with a mass unit, and a frequency from a fixed vocabulary (daily, at night,
BID, TID, QID and their spelled-out forms) or explicit clock times (``"at 08:00 and 21:00"``). "As
needed" use is refused rather than guessed: the taper starts from what the patient actually takes
each day, which only the prescriber and patient can say.

When no clock times are given, doses go at the usual times of the drug's knowledge-base dosing
pattern, or at 08:00 / 08:00, 21:00 / 08:00, 14:00, 21:00 / 08:00, 12:00, 16:00, 21:00 (a convention
of this package, night dose last), and a once-daily hypnotic (Z-drug, or an insomnia indication) at
22:00.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict

from allostasis.errors import InvalidValueError, UnknownDrugError
from allostasis.knowledge import load_knowledge_base
from allostasis.units import magnitude

__all__ = ["BenzodiazepineUse", "benzodiazepine_use"]

_PER_DAY = {
    "daily": 1,
    "once daily": 1,
    "once a day": 1,
    "qd": 1,
    "od": 1,
    "at night": 1,
    "at bedtime": 1,
    "nightly": 1,
    "qhs": 1,
    "bid": 2,
    "twice daily": 2,
    "twice a day": 2,
    "tid": 3,
    "three times daily": 3,
    "three times a day": 3,
    "qid": 4,
    "four times daily": 4,
    "four times a day": 4,
}
_NIGHT = ("at night", "at bedtime", "nightly", "qhs")
_DEFAULT_TIMES = {
    1: ["08:00"],
    2: ["08:00", "21:00"],
    3: ["08:00", "14:00", "21:00"],
    4: ["08:00", "12:00", "16:00", "21:00"],
}
_CLOCK = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")
_USE = re.compile(
    r"^\s*(?P<drug>[a-z][a-z-]*)\s+(?P<dose>\d+(?:\.\d+)?\s*(?:mg|mcg|g|microgram|milligram)s?)\s+"
    r"(?P<freq>.+?)\s*$",
    re.IGNORECASE,
)
_PRN = re.compile(r"\b(prn|as needed|when required|as required)\b", re.IGNORECASE)


class BenzodiazepineUse(BaseModel):
    """One benzodiazepine or Z-drug: the dose (mg) at each clock time, every day."""

    model_config = ConfigDict(frozen=True)

    drug: str
    clock_times: list[str]
    doses_mg: list[float]

    @property
    def daily_mg(self) -> float:
        return float(sum(self.doses_mg))

    def describe(self) -> str:
        parts = ", ".join(
            f"{d:g} mg at {t}" for t, d in zip(self.clock_times, self.doses_mg, strict=True)
        )
        return f"{self.drug} {self.daily_mg:g} mg/day ({parts})"


def _check_times(times: list[str]) -> list[str]:
    for t in times:
        if not _CLOCK.match(t):
            raise InvalidValueError(f"clock_times: {t!r} is not a 24-hour time like '08:00'")
    if len(set(times)) != len(times) or times != sorted(times):
        raise InvalidValueError(
            f"clock_times: give distinct times in order through the day; got {', '.join(times)}"
        )
    if not 1 <= len(times) <= 4:
        raise InvalidValueError(f"clock_times: 1 to 4 dose times a day; got {len(times)}")
    return times


def benzodiazepine_use(
    text_or_drug: str,
    dose: Any = None,
    *,
    times_per_day: int | None = None,
    clock_times: list[str] | None = None,
) -> BenzodiazepineUse:
    """Read a scheduled benzodiazepine / Z-drug regimen.

    Parameters
    ----------
    text_or_drug : str
        Either the whole regimen, ``"alprazolam 1 mg TID"`` / ``"diazepam 5 mg at 08:00 and 21:00"``,
        or the drug name when ``dose`` is given.
    dose : quantity, optional
        Dose per administration (mass), when ``text_or_drug`` is a drug name.
    times_per_day, clock_times
        How often (1-4), or the clock times (``["08:00", "21:00"]``), when ``dose`` is given.

    Examples
    --------
    >>> benzodiazepine_use("alprazolam 1 mg TID").describe()
    'alprazolam 3 mg/day (1 mg at 08:00, 1 mg at 14:00, 1 mg at 20:00)'
    >>> benzodiazepine_use("zolpidem 10 mg at night").clock_times
    ['22:00']
    >>> benzodiazepine_use("diazepam", "5 mg", clock_times=["07:00", "19:00"]).daily_mg
    10.0
    >>> benzodiazepine_use("lorazepam 1 mg PRN anxiety")
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: regimen: 'lorazepam 1 mg PRN anxiety' is as-needed use; give the dose and times the patient actually takes each day (e.g. 'lorazepam 1 mg BID')
    """
    kb = load_knowledge_base()
    if dose is None:
        text = text_or_drug
        if _PRN.search(text):
            raise InvalidValueError(
                f"regimen: {text!r} is as-needed use; give the dose and times the patient actually "
                f"takes each day (e.g. '{text.split()[0]} 1 mg BID')"
            )
        m = _USE.match(text)
        if m is None:
            raise InvalidValueError(
                f"regimen: cannot read {text!r}; write e.g. 'alprazolam 1 mg TID' or "
                "'diazepam 5 mg at 08:00 and 21:00'"
            )
        drug, dose, freq = m["drug"], m["dose"], m["freq"].lower().strip()
        times_match = re.fullmatch(r"at\s+(.+)", freq)
        if freq in _PER_DAY:
            times_per_day = _PER_DAY[freq]
            night = freq in _NIGHT
        elif times_match and re.search(r"\d", times_match[1]):
            clock_times = [t.strip() for t in re.split(r",|\band\b", times_match[1]) if t.strip()]
            night = False
        else:
            raise InvalidValueError(
                f"regimen: frequency {m['freq']!r} in {text!r} is not one of: "
                f"{', '.join(sorted(_PER_DAY))}, or 'at HH:MM and HH:MM'"
            )
    else:
        drug, night = text_or_drug, False
    d = kb[drug]
    if d.drug_class not in ("benzodiazepine", "z-drug"):
        raise UnknownDrugError(
            f"drug: {d.name} is a {d.drug_class}; the taper planner covers benzodiazepines and Z-drugs"
        )
    mg = magnitude(dose, field="dose", unit="mg", strictly_positive=True)
    if clock_times is None:
        if times_per_day is None:
            raise InvalidValueError("times_per_day: give times_per_day (1-4) or clock_times")
        if isinstance(times_per_day, bool) or times_per_day not in _DEFAULT_TIMES:
            raise InvalidValueError(f"times_per_day: must be 1-4; got {times_per_day!r}")
        hypnotic = d.drug_class == "z-drug" or any("insomnia" in p.indication for p in d.dosing[:1])
        usual = d.dosing[0].clock_times if d.dosing else []
        if times_per_day == 1 and (night or hypnotic):
            clock_times = ["22:00"]
        elif len(usual) == times_per_day:
            clock_times = list(usual)
        else:
            clock_times = _DEFAULT_TIMES[times_per_day]
    times = _check_times(list(clock_times))
    if d.dosing:
        most = max(p.max_daily_dose.to("mg") for p in d.dosing)
        if mg * len(times) > 3 * most:
            raise InvalidValueError(
                f"dose: {mg * len(times):g} mg/day of {d.name} is more than 3x the label maximum "
                f"({most:g} mg/day); check the dose"
            )
    return BenzodiazepineUse(drug=d.name, clock_times=times, doses_mg=[mg] * len(times))
