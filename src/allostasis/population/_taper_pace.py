"""The pace of a trial's taper strategy, written into the strategy spec: ``NAME[:STEP%/DAYSd]``.

``direct-proportional`` takes the default pace (10% every 14 days); ``direct-proportional:25%/14d``
steps 25% every 14 days, ``symptom-guided:25%/7d`` 25% every 7 days (before holds). The step is
a share of the current dose (proportional strategies, the diazepam switch after settling) or of the
starting dose (``direct-linear``).

Allowed: steps of 1-50% (:data:`STEP_PERCENT_RANGE`) every 3-56 days (:data:`STEP_DAYS_RANGE`),
which spans the guideline's first reductions (5-10% every 2-4 weeks) and paces well beyond its
ceiling, for research. The ceiling (Brunner 2025: typically not more than 25% every 2 weeks) is
read as in the clinical taper planner: over any 14-day window the dose falls by at most 25%, so
with steps every :math:`I` days, :math:`k = \\lceil 14 / I \\rceil` steps can fall in one window
and the pace's largest fall per window is

.. math:: r = 1 - (1 - f)^{k}

(:math:`f` the step); a pace with :math:`r > 0.25` is run but flagged "outside guideline" in the
trial's warnings and basis. For ``direct-linear`` this is checked on the nominal step; its late
steps are larger shares of the current dose whatever the pace (the last is 100%).

References
----------
1. Brunner E et al. (2025). Joint clinical practice guideline on benzodiazepine tapering. J Gen
   Intern Med. doi:10.1007/s11606-025-09499-2

>>> p = parse_strategy_spec("symptom-guided:25%/7d")
>>> p.strategy, p.step_fraction, p.step_days, p.label, round(p.fall_per_window, 4), p.within_guideline
('symptom-guided', 0.25, 7.0, 'symptom-guided:25%/7d', 0.4375, False)
>>> parse_strategy_spec("direct-proportional").label
'direct-proportional'
>>> parse_strategy_spec("direct-proportional:60%/14d")
Traceback (most recent call last):
...
allostasis.errors.InvalidValueError: strategy 'direct-proportional:60%/14d': step 60% is outside 1-50% per step
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Final

from allostasis.errors import InvalidValueError

__all__ = [
    "DEFAULT_STEP_DAYS",
    "DEFAULT_STEP_FRACTION",
    "GUIDELINE_CEILING",
    "GUIDELINE_WINDOW_DAYS",
    "STEP_DAYS_RANGE",
    "STEP_PERCENT_RANGE",
    "STRATEGIES",
    "StrategySpec",
    "parse_strategy_spec",
]

STRATEGIES: Final = ("direct-linear", "direct-proportional", "diazepam-switch", "symptom-guided")
#: Default step (fraction) and interval (days): allostasis's default pace inside Brunner 2025 (10%
#: every 2 weeks; doi:10.1007/s11606-025-09499-2) -- a prescribing assumption.
DEFAULT_STEP_FRACTION: Final = 0.10
DEFAULT_STEP_DAYS: Final = 14.0
#: Allowed step sizes, percent per step (research range; assumption).
STEP_PERCENT_RANGE: Final = (1.0, 50.0)
#: Allowed step intervals, days (research range; assumption).
STEP_DAYS_RANGE: Final = (3.0, 56.0)
#: Brunner 2025 ceiling: at most 25% fall in any 14 days.
GUIDELINE_CEILING: Final = 0.25
GUIDELINE_WINDOW_DAYS: Final = 14.0

_PACE = re.compile(r"^(?P<pct>\d+(?:\.\d+)?)%/(?P<days>\d+(?:\.\d+)?)d$")


@dataclass(frozen=True)
class StrategySpec:
    """A strategy and its pace: ``step_fraction`` every ``step_days`` days.

    ``label`` is the canonical spec (the bare name for the default pace) that labels outcome
    tables; ``key`` identifies the arm (two specs with the same key are the same arm).
    """

    strategy: str
    step_fraction: float
    step_days: float
    label: str

    @property
    def key(self) -> tuple[str, float, float]:
        """(strategy, step fraction, step days)."""
        return (self.strategy, self.step_fraction, self.step_days)

    @property
    def fall_per_window(self) -> float:
        """Largest fall of the dose in any 14-day window: :math:`1 - (1-f)^{\\lceil 14/I \\rceil}`."""
        k = max(1, math.ceil(GUIDELINE_WINDOW_DAYS / self.step_days - 1e-9))
        return 1.0 - (1.0 - self.step_fraction) ** k

    @property
    def within_guideline(self) -> bool:
        """Whether the pace keeps every 14-day window within Brunner 2025's 25% ceiling."""
        return self.fall_per_window <= GUIDELINE_CEILING + 1e-12

    def pace_text(self) -> str:
        """``"25% every 7 days"``."""
        return f"{100 * self.step_fraction:g}% every {self.step_days:g} days"

    def guideline_warning(self) -> str | None:
        """The "outside guideline" flag for a pace above the ceiling (None within it)."""
        if self.within_guideline:
            return None
        return (
            f"{self.label}: pace {self.pace_text()} is outside guideline -- up to "
            f"{100 * self.fall_per_window:.1f}% in 14 days, above the Brunner 2025 ceiling of "
            f"{100 * GUIDELINE_CEILING:g}% per 2 weeks (doi:10.1007/s11606-025-09499-2); run for "
            "research only"
        )


def _number(text: str) -> float:
    return float(text)


def parse_strategy_spec(text: str) -> StrategySpec:
    """Parse ``NAME`` or ``NAME:STEP%/DAYSd`` (e.g. ``"direct-proportional:25%/14d"``).

    Raises
    ------
    InvalidValueError
        Naming the spec and the bad part: an unknown strategy, a pace not written ``STEP%/DAYSd``,
        a step outside 1-50% or an interval outside 3-56 days.
    """
    if not isinstance(text, str):
        raise InvalidValueError(f"strategy: must be a string NAME[:STEP%/DAYSd]; got {text!r}")
    name, sep, pace = text.strip().partition(":")
    name = name.strip()
    if name not in STRATEGIES:
        raise InvalidValueError(f"strategy: unknown {name!r}; allowed {list(STRATEGIES)}")
    if not sep:
        return StrategySpec(name, DEFAULT_STEP_FRACTION, DEFAULT_STEP_DAYS, name)
    m = _PACE.match(pace.strip().replace(" ", ""))
    if m is None:
        raise InvalidValueError(
            f"strategy {text!r}: pace {pace!r} must be written STEP%/DAYSd, e.g. "
            f"'{name}:25%/14d' (a step of 25% every 14 days)"
        )
    pct, days = _number(m["pct"]), _number(m["days"])
    lo, hi = STEP_PERCENT_RANGE
    if not lo <= pct <= hi:
        raise InvalidValueError(
            f"strategy {text!r}: step {pct:g}% is outside {lo:g}-{hi:g}% per step"
        )
    dlo, dhi = STEP_DAYS_RANGE
    if not dlo <= days <= dhi:
        raise InvalidValueError(
            f"strategy {text!r}: step interval {days:g} days is outside {dlo:g}-{dhi:g} days"
        )
    return StrategySpec(name, pct / 100.0, days, f"{name}:{pct:g}%/{days:g}d")
