"""State-dependent dosing rules that the compiled engine applies inside the simulation.

A :class:`DosingRule` is a small typed spec: a fixed dose every ``interval``; from ``taper_start``
the dose steps down every ``step_every`` (proportionally, ``D <- D (1 - f)``, or linearly,
``D <- D - f D_0``), and becomes 0 once it would fall below ``min_dose``. If ``hold_above`` is set,
a step that falls due while the balance index :math:`X = \\ln(E/I)` is above it is *held*: the
current dose continues and the step is retried at every later dose time. When the index has come
back below the threshold the taper resumes, and every hold episode stretches the step interval by
``slow_factor``:

.. math::

    D_{k+1} =
    \\begin{cases}
        D_k & X(t_k) > X_{hold}\\ \\text{(hold)} \\\\
        D_k (1 - f) & \\text{otherwise (proportional)} \\\\
    \\end{cases}, \\qquad
    \\Delta_{step} \\leftarrow \\Delta_{step}\\, \\phi_{slow} \\ \\text{after each hold episode}

The spec compiles to one float array (:meth:`DosingRule.to_array`, layout :data:`RULE_FIELDS`) that
the kernel reads; doses are decided per subject at run time. An abrupt stop is a taper with
``step_fraction = 1``. Rules of this kind (hold while withdrawal symptoms are marked, then resume
more slowly) are what clinical taper guidance describes (Ashton 2002; Horowitz & Taylor 2024).

References
----------
1. Ashton CH (2002). Benzodiazepines: how they work and how to withdraw (The Ashton Manual).
2. Horowitz MA, Taylor D (2024). The Maudsley Deprescribing Guidelines. Wiley-Blackwell.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

from allostasis.errors import InvalidValueError
from allostasis.units import magnitude

__all__ = ["RULE_FIELDS", "DosingRule", "dosing_rule"]

#: Layout of the compiled rule array.
RULE_FIELDS: Final[tuple[str, ...]] = (
    "dose_mg",
    "interval_h",
    "first_dose_h",
    "taper_start_h",
    "step_every_h",
    "step_fraction",
    "linear",
    "min_dose_mg",
    "hold_above",
    "slow_factor",
    "last_dose_h",
)


@dataclass(frozen=True)
class DosingRule:
    """A compiled-engine dosing rule, in canonical units (mg, h). Build it with :func:`dosing_rule`.

    Attributes
    ----------
    dose_mg, interval_h, first_dose_h : float
        Starting dose (mg) given every ``interval_h`` from ``first_dose_h``.
    taper_start_h, step_every_h : float
        First step-down time and the step interval (h); ``inf`` start: no taper.
    step_fraction : float
        Reduction per step: a fraction of the current dose (proportional) or of the starting dose
        (``linear``); 1 = stop.
    linear : bool
    min_dose_mg : float
        Below this the dose becomes 0 (the drug is stopped).
    hold_above : float
        Balance-index threshold that holds a due step (``inf``: never hold).
    slow_factor : float
        Step-interval multiplier after each hold episode (>= 1).
    last_dose_h : float
        No dose at or after this time (``inf``: until the end).
    """

    dose_mg: float
    interval_h: float
    first_dose_h: float = 0.0
    taper_start_h: float = math.inf
    step_every_h: float = math.inf
    step_fraction: float = 0.0
    linear: bool = False
    min_dose_mg: float = 0.0
    hold_above: float = math.inf
    slow_factor: float = 1.0
    last_dose_h: float = math.inf

    def to_array(self) -> np.ndarray:
        """The float array the kernel reads, in :data:`RULE_FIELDS` order."""
        return np.array([float(getattr(self, k)) for k in RULE_FIELDS])

    def describe(self) -> str:
        """One line for a result's ``basis``."""
        s = f"{self.dose_mg:g} mg every {self.interval_h:g} h"
        if math.isfinite(self.taper_start_h):
            kind = "of the starting dose" if self.linear else "of the current dose"
            s += (
                f"; from {self.taper_start_h / 24:g} days step down {self.step_fraction:.3g} {kind} "
                f"every {self.step_every_h / 24:g} days (stop below {self.min_dose_mg:g} mg)"
            )
        if math.isfinite(self.hold_above):
            s += (
                f"; hold while the balance index > {self.hold_above:g}, then step "
                f"{self.slow_factor:g}x more slowly"
            )
        return s


def _opt(value: Any, field: str, unit: str) -> float:
    if value is None:
        return math.inf
    return magnitude(value, field=field, unit=unit, minimum=0.0)


def dosing_rule(
    dose: Any,
    interval: Any = "24 h",
    *,
    taper_start: Any = None,
    step_every: Any = "14 days",
    step_fraction: float = 0.1,
    linear: bool = False,
    min_dose: Any = "0 mg",
    hold_above: float | None = None,
    slow_factor: float = 1.5,
    stop_at: Any = None,
    first_dose: Any = "0 h",
) -> DosingRule:
    """Build a state-dependent dosing rule (fixed dosing, taper, hold-and-slow-down) for the engine.

    .. math::

        D_{k+1} = D_k (1 - f) \\ \\text{unless}\\ X(t_k) > X_{hold}; \\quad
        \\Delta_{step} \\leftarrow \\phi_{slow} \\Delta_{step} \\ \\text{after a hold}

    Parameters
    ----------
    dose : quantity
        Starting dose (mass, e.g. ``"1 mg"``), > 0.
    interval : quantity
        Dosing interval (time, default ``"24 h"``), > 0.
    taper_start : quantity, optional
        Time of the first step down (default: no taper).
    step_every : quantity
        Time between steps (default ``"14 days"``), > 0.
    step_fraction : float
        Reduction per step in (0, 1]: of the current dose, or of the starting dose if ``linear``.
        1 is an abrupt stop at ``taper_start``.
    linear : bool
        Linear (fixed mg) rather than proportional (hyperbolic) steps.
    min_dose : quantity
        Stop once the dose would fall below this (default ``"0 mg"``).
    hold_above : float, optional
        Balance-index threshold above which a due step is held (default: never).
    slow_factor : float
        Step-interval multiplier after each hold episode, >= 1 (default 1.5).
    stop_at : quantity, optional
        No doses at or after this time.
    first_dose : quantity
        Time of the first dose (default 0 h).

    Returns
    -------
    DosingRule

    Raises
    ------
    InvalidValueError, UnitError
        On a value out of range or a quantity of the wrong dimension.

    References
    ----------
    1. Ashton CH (2002). The Ashton Manual (tapering with pauses when symptoms are marked).

    Examples
    --------
    >>> r = dosing_rule("1 mg", taper_start="30 days", step_fraction=0.25, hold_above=0.3)
    >>> r.describe()
    '1 mg every 24 h; from 30 days step down 0.25 of the current dose every 14 days (stop below 0 mg); hold while the balance index > 0.3, then step 1.5x more slowly'
    >>> dosing_rule("1 mg", step_fraction=0.0)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: step_fraction: must be in (0, 1]; got 0.0
    """
    d = magnitude(dose, field="dose", unit="mg", strictly_positive=True)
    ii = magnitude(interval, field="interval", unit="h", strictly_positive=True)
    if not 0.0 < float(step_fraction) <= 1.0:
        raise InvalidValueError(f"step_fraction: must be in (0, 1]; got {step_fraction!r}")
    if not float(slow_factor) >= 1.0:
        raise InvalidValueError(f"slow_factor: must be >= 1; got {slow_factor!r}")
    if hold_above is not None and not math.isfinite(float(hold_above)):
        raise InvalidValueError(f"hold_above: must be a finite index or None; got {hold_above!r}")
    return DosingRule(
        dose_mg=d,
        interval_h=ii,
        first_dose_h=magnitude(first_dose, field="first_dose", unit="h", minimum=0.0),
        taper_start_h=_opt(taper_start, "taper_start", "h"),
        step_every_h=magnitude(step_every, field="step_every", unit="h", strictly_positive=True),
        step_fraction=float(step_fraction),
        linear=bool(linear),
        min_dose_mg=magnitude(min_dose, field="min_dose", unit="mg", minimum=0.0),
        hold_above=math.inf if hold_above is None else float(hold_above),
        slow_factor=float(slow_factor),
        last_dose_h=_opt(stop_at, "stop_at", "h"),
    )
