"""Read a start-low titration written in words: "25 mg for 1 week, then 50 mg".

Grammar (strict; anything else is refused rather than guessed):

    step  := DOSE [" daily" | "/day"] " for " DURATION
    plan  := step (", then " step)* [", then " DOSE [" daily" | "/day"]]

DOSE is a daily dose with a mass unit ("25 mg"); DURATION a time ("1 week", "10 days"). Only the
last step may omit "for DURATION" (it then lasts to the end of the simulation). Ranges ("25-50 mg",
"25 to 50 mg"), alternatives ("or"), "as needed" and unknown words are refused because they make
the schedule ambiguous.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from allostasis.errors import InvalidValueError
from allostasis.units import magnitude

__all__ = ["TitrationStep", "parse_titration"]


@dataclass(frozen=True)
class TitrationStep:
    """One step: a daily dose (mg) held for ``duration_h`` hours (None: until the end)."""

    daily_dose_mg: float
    duration_h: float | None


_STEP = re.compile(
    r"^(?P<dose>[0-9]*\.?[0-9]+\s*[a-zA-Z]+)(?:\s*/\s*day|\s+daily|\s+a\s+day)?"
    r"(?:\s+for\s+(?P<dur>[0-9]*\.?[0-9]+\s*[a-zA-Z]+))?$"
)
_AMBIGUOUS = re.compile(r"\bor\b|\bto\b|\bprn\b|as needed|\bup\b|-|\.\.|~|\babout\b", re.IGNORECASE)


def parse_titration(text: str) -> list[TitrationStep]:
    """Parse a titration such as ``"25 mg for 1 week, then 50 mg"`` into steps.

    Parameters
    ----------
    text : str
        Steps separated by ``", then "``; each ``"<daily dose> for <duration>"``, the last one may
        omit the duration.

    Returns
    -------
    list of TitrationStep

    Raises
    ------
    InvalidValueError
        Empty text, a range or alternative, an unreadable step, a non-final step without a
        duration, or a dose <= 0.
    UnitError
        A dose that is not a mass or a duration that is not a time.

    Examples
    --------
    >>> parse_titration("25 mg for 1 week, then 50 mg")
    [TitrationStep(daily_dose_mg=25.0, duration_h=168.0), TitrationStep(daily_dose_mg=50.0, duration_h=None)]
    >>> parse_titration("25 mg, then 50 mg")
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: titrate: step 1 ('25 mg') has no duration; only the last step may omit 'for <duration>', e.g. '25 mg for 1 week, then 50 mg'
    >>> parse_titration("25-50 mg for 2 weeks")
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: titrate: '25-50 mg for 2 weeks' is ambiguous (a range, alternative or 'as needed'); give one daily dose per step, e.g. '25 mg for 1 week, then 50 mg'
    """
    example = "e.g. '25 mg for 1 week, then 50 mg'"
    if not isinstance(text, str) or not text.strip():
        raise InvalidValueError(f"titrate: empty titration; write steps, {example}")
    if _AMBIGUOUS.search(text):
        raise InvalidValueError(
            f"titrate: {text!r} is ambiguous (a range, alternative or 'as needed'); give one "
            f"daily dose per step, {example}"
        )
    parts = [s.strip() for s in re.split(r",\s*then\s+|;\s*then\s+", text.strip(), flags=re.I)]
    steps: list[TitrationStep] = []
    for i, part in enumerate(parts, start=1):
        m = _STEP.match(part)
        if m is None:
            raise InvalidValueError(
                f"titrate: cannot read step {i} ({part!r}); write '<daily dose> for <duration>', "
                f"steps separated by ', then ', {example}"
            )
        dose = magnitude(m["dose"], field=f"titrate step {i} dose", unit="mg")
        if not dose > 0:
            raise InvalidValueError(f"titrate: step {i} dose must be > 0 mg; got {m['dose']!r}")
        dur = None
        if m["dur"] is not None:
            dur = magnitude(
                m["dur"], field=f"titrate step {i} duration", unit="h", strictly_positive=True
            )
        elif i < len(parts):
            raise InvalidValueError(
                f"titrate: step {i} ({part!r}) has no duration; only the last step may omit "
                f"'for <duration>', {example}"
            )
        steps.append(TitrationStep(dose, dur))
    return steps
