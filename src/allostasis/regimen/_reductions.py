"""Dose-reduction (taper) schedules: linear or proportional (hyperbolic) steps at a fixed interval.

Linear: each step removes the same amount, :math:`D_k = D_0 - k\\,\\Delta`. Proportional: each step
removes the same fraction of the *current* dose, :math:`D_k = D_0 (1 - p)^k`, which keeps the steps
in receptor effect more even because dose and effect follow a hyperbola (Horowitz & Taylor, Lancet
Psychiatry 2019;6:538-546, doi:10.1016/S2215-0366(19)30032-X). These are regimen constructors
only; the guideline limits on step size and pace are checked by the taper planner, not here.
"""

from __future__ import annotations

import math
import re
from typing import Any, Literal

import pandas as pd

from allostasis.errors import InvalidValueError
from allostasis.regimen._constructors import DEPOT
from allostasis.regimen._records import DosingRecords
from allostasis.units import magnitude

__all__ = ["parse_reduction", "reduction_taper"]

#: Most steps a schedule may have (a guard against a step too small to ever finish).
MAX_STEPS = 500


def reduction_taper(
    daily_dose: Any,
    *,
    times_per_day: int,
    kind: Literal["linear", "proportional"],
    step: float | str,
    every: Any,
    start: Any = "0 h",
    stop_below: Any = None,
    cmt: int = DEPOT,
    subject_id: int = 1,
) -> DosingRecords:
    """A taper from ``daily_dose`` to zero by linear or proportional steps every ``every``.

    Parameters
    ----------
    daily_dose : quantity
        Starting total daily dose (mass), e.g. ``"3 mg"``.
    times_per_day : int
        Doses per day (the daily dose is split equally), 1-6.
    kind : {"linear", "proportional"}
        Linear removes a fixed amount per step; proportional a fixed fraction of the current dose.
    step : float or quantity
        Proportional: the fraction removed per step, in (0, 1). Linear: an amount (``"0.25 mg"``)
        or a fraction of the *starting* dose in (0, 1).
    every : quantity
        Time between steps, e.g. ``"2 weeks"``.
    stop_below : quantity, optional
        Stop (dose 0) once the daily dose would fall below this; default: one linear step, or 5% of
        the starting dose for proportional tapers.

    Returns
    -------
    DosingRecords
        One ADDL record per step, then nothing (the drug stops).

    Examples
    --------
    >>> r = reduction_taper("2 mg", times_per_day=2, kind="linear", step="0.5 mg", every="14 days")
    >>> (r.data["AMT"] * 2).round(3).tolist()
    [2.0, 1.5, 1.0, 0.5]
    >>> r = reduction_taper("2 mg", times_per_day=1, kind="proportional", step=0.25, every="14 days", stop_below="0.6 mg")
    >>> r.data["AMT"].round(4).tolist()
    [2.0, 1.5, 1.125, 0.8438, 0.6328]
    >>> reduction_taper("2 mg", times_per_day=1, kind="proportional", step=1.5, every="14 days")
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: step: a proportional step is a fraction in (0, 1); got 1.5
    """
    d0 = magnitude(daily_dose, field="daily_dose", unit="mg", strictly_positive=True)
    if (
        not isinstance(times_per_day, int)
        or isinstance(times_per_day, bool)
        or not 1 <= times_per_day <= 6
    ):
        raise InvalidValueError(f"times_per_day: must be an integer 1-6; got {times_per_day!r}")
    if kind not in ("linear", "proportional"):
        raise InvalidValueError(f"kind: must be 'linear' or 'proportional'; got {kind!r}")
    interval_h = magnitude(every, field="every", unit="h", strictly_positive=True)
    t = magnitude(start, field="start", unit="h", minimum=0.0)
    if kind == "proportional":
        if isinstance(step, str) or not 0 < float(step) < 1:
            raise InvalidValueError(
                f"step: a proportional step is a fraction in (0, 1); got {step!r}"
            )
        floor = 0.05 * d0
    else:
        if isinstance(step, str):
            delta = magnitude(step, field="step", unit="mg", strictly_positive=True)
        elif 0 < float(step) < 1:
            delta = float(step) * d0
        else:
            raise InvalidValueError(
                f"step: a linear step is an amount ('0.25 mg') or a fraction of the starting dose in (0, 1); got {step!r}"
            )
        floor = delta
    if stop_below is not None:
        floor = magnitude(stop_below, field="stop_below", unit="mg", minimum=0.0)
    tau = 24.0 / times_per_day
    per_step = max(1, math.ceil(interval_h / tau - 1e-9))
    rows = []
    dose = d0
    for k in range(MAX_STEPS):
        if dose < floor - 1e-12 or dose <= 1e-12:
            break
        rows.append(
            {
                "ID": subject_id,
                "TIME": t,
                "AMT": dose / times_per_day,
                "CMT": cmt,
                "EVID": 1,
                "II": tau,
                "ADDL": per_step - 1,
            }
        )
        t += per_step * tau
        dose = dose * (1 - float(step)) if kind == "proportional" else d0 - (k + 1) * delta
    else:
        raise InvalidValueError(
            f"step: more than {MAX_STEPS} steps; use a larger step or stop_below"
        )
    return DosingRecords(pd.DataFrame(rows))


_SPEC = re.compile(
    r"^\s*(?P<kind>linear|proportional|hyperbolic)\s+(?P<step>\d+(?:\.\d+)?\s*(?:%|[a-zA-Z]+)?)\s+every\s+(?P<every>.+?)\s*$",
    re.IGNORECASE,
)


def parse_reduction(spec: str) -> dict[str, Any]:
    """Read a taper spec such as ``"proportional 10% every 2 weeks"`` or ``"linear 0.5 mg every 14 days"``.

    Returns the keyword arguments ``kind``, ``step`` and ``every`` for :func:`reduction_taper`.

    Examples
    --------
    >>> parse_reduction("proportional 10% every 2 weeks")
    {'kind': 'proportional', 'step': 0.1, 'every': '2 weeks'}
    >>> parse_reduction("linear 0.5 mg every 14 days")
    {'kind': 'linear', 'step': '0.5 mg', 'every': '14 days'}
    >>> parse_reduction("slowly")
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: taper: cannot read 'slowly'; write e.g. 'proportional 10% every 2 weeks' or 'linear 0.5 mg every 14 days'
    """
    m = _SPEC.match(spec or "")
    if m is None:
        raise InvalidValueError(
            f"taper: cannot read {spec!r}; write e.g. 'proportional 10% every 2 weeks' or "
            "'linear 0.5 mg every 14 days'"
        )
    kind = "proportional" if m["kind"].lower() in ("proportional", "hyperbolic") else "linear"
    raw = m["step"].replace(" ", "")
    step: float | str
    if raw.endswith("%"):
        step = float(raw[:-1]) / 100.0
    elif re.fullmatch(r"\d+(?:\.\d+)?", raw):
        step = float(raw)
    else:
        step = m["step"].strip()
    magnitude(m["every"], field="taper interval", unit="h", strictly_positive=True)
    return {"kind": kind, "step": step, "every": m["every"]}
