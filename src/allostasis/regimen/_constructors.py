"""Human constructors for common regimens, returning :class:`DosingRecords`.

Each takes quantities with units ("0.5 mg", "8 h", "14 days", "25 mcg/h") and writes the compact
NONMEM form (ADDL/II) a pharmacometrician would write by hand. Compartment numbers follow the PK
models: 1 is the absorption depot (oral, transdermal, intranasal, ...), 2 the central compartment
(intravenous doses).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import pandas as pd

from allostasis.errors import InvalidValueError
from allostasis.regimen._records import DosingRecords
from allostasis.units import QuantityLike, magnitude

__all__ = ["CENTRAL", "DEPOT", "every", "infusion", "iv_bolus", "patch", "taper"]

DEPOT = 1
CENTRAL = 2


def _n_doses(
    interval_h: float, duration: Any, n_doses: int | None, field: str, count: str = "n_doses"
) -> int:
    """Number of doses; ``count`` is the caller's name for ``n_doses`` (``n_patches`` for patch)."""
    if (duration is None) == (n_doses is None):
        raise InvalidValueError(f"{field}: give exactly one of 'duration' or '{count}'")
    if n_doses is not None:
        if not isinstance(n_doses, int) or isinstance(n_doses, bool) or n_doses < 1:
            raise InvalidValueError(f"{field}: {count} must be an integer >= 1; got {n_doses!r}")
        return n_doses
    dur = magnitude(duration, field="duration", unit="h", strictly_positive=True)
    # doses at 0, tau, 2 tau, ... strictly before the end of the period
    return max(1, math.ceil(dur / interval_h - 1e-9))


def every(
    dose: QuantityLike,
    interval: QuantityLike,
    *,
    duration: QuantityLike | None = None,
    n_doses: int | None = None,
    start: QuantityLike = "0 h",
    cmt: int = DEPOT,
    subject_id: int = 1,
) -> DosingRecords:
    """The same dose every ``interval`` for ``duration`` (or ``n_doses`` doses).

    Examples
    --------
    >>> every("0.5 mg", "8 h", duration="14 days")
    <DosingRecords: 1 subject(s), 1 dose record(s) (42 doses after ADDL), 0 observation(s), 0-328 h>
    >>> every("0.5 mg", "8 kg", duration="14 days")
    Traceback (most recent call last):
    ...
    allostasis.errors.UnitError: interval: expected a quantity in h (dimension [time]); got 8 kg (dimension [mass])
    """
    amt = magnitude(dose, field="dose", unit="mg", strictly_positive=True)
    tau = magnitude(interval, field="interval", unit="h", strictly_positive=True)
    t0 = magnitude(start, field="start", unit="h", minimum=0.0)
    n = _n_doses(tau, duration, n_doses, "every")
    df = pd.DataFrame(
        {
            "ID": [subject_id],
            "TIME": [t0],
            "AMT": [amt],
            "CMT": [cmt],
            "EVID": [1],
            "II": [tau],
            "ADDL": [n - 1],
        }
    )
    return DosingRecords(df)


def taper(
    steps: Sequence[tuple[QuantityLike, QuantityLike]],
    *,
    interval: QuantityLike,
    start: QuantityLike = "0 h",
    cmt: int = DEPOT,
    subject_id: int = 1,
) -> DosingRecords:
    """A piecewise regimen: each step is ``(dose per administration, how long)``.

    Examples
    --------
    >>> taper([("2 mg", "2 weeks"), ("1.5 mg", "2 weeks"), ("1 mg", "2 weeks")], interval="12 h")
    <DosingRecords: 1 subject(s), 3 dose record(s) (84 doses after ADDL), 0 observation(s), 0-996 h>
    """
    if not steps:
        raise InvalidValueError("taper: 'steps' must list at least one (dose, duration) pair")
    tau = magnitude(interval, field="interval", unit="h", strictly_positive=True)
    t = magnitude(start, field="start", unit="h", minimum=0.0)
    rows = []
    for i, (dose, length) in enumerate(steps):
        amt = magnitude(dose, field=f"steps[{i}].dose", unit="mg", minimum=0.0)
        dur = magnitude(length, field=f"steps[{i}].duration", unit="h", strictly_positive=True)
        n = _n_doses(tau, f"{dur} h", None, "taper")
        if amt > 0:
            rows.append(
                {
                    "ID": subject_id,
                    "TIME": t,
                    "AMT": amt,
                    "CMT": cmt,
                    "EVID": 1,
                    "II": tau,
                    "ADDL": n - 1,
                }
            )
        t += n * tau
    if not rows:
        raise InvalidValueError("taper: every step has a zero dose; nothing to give")
    return DosingRecords(pd.DataFrame(rows))


def patch(
    rate: QuantityLike,
    *,
    wear: QuantityLike = "72 h",
    duration: QuantityLike | None = None,
    n_patches: int | None = None,
    start: QuantityLike = "0 h",
    subject_id: int = 1,
) -> DosingRecords:
    """Transdermal patches of nominal delivery ``rate`` (e.g. "25 mcg/h"), each worn for ``wear``.

    Each patch is a zero-order input of ``rate`` into the skin depot (CMT 1) for ``wear``; a new patch
    goes on as the old one comes off.

    Examples
    --------
    >>> patch("25 mcg/h", wear="72 h", n_patches=3).data[["TIME", "AMT", "RATE", "II", "ADDL"]].round(4).values.tolist()
    [[0.0, 1.8, 0.025, 72.0, 2.0]]
    >>> patch("25 mg", n_patches=1)
    Traceback (most recent call last):
    ...
    allostasis.errors.UnitError: rate: expected a quantity in mg/h (dimension [mass] / [time]); got 25 mg (dimension [mass])
    """
    r = magnitude(rate, field="rate", unit="mg/h", strictly_positive=True)
    w = magnitude(wear, field="wear", unit="h", strictly_positive=True)
    t0 = magnitude(start, field="start", unit="h", minimum=0.0)
    n = _n_doses(w, duration, n_patches, "patch", "n_patches")
    df = pd.DataFrame(
        {
            "ID": [subject_id],
            "TIME": [t0],
            "AMT": [r * w],
            "CMT": [DEPOT],
            "EVID": [1],
            "II": [w],
            "ADDL": [n - 1],
            "RATE": [r],
        }
    )
    return DosingRecords(df)


def iv_bolus(dose: QuantityLike, *, at: QuantityLike = "0 h", subject_id: int = 1) -> DosingRecords:
    """A single intravenous bolus into the central compartment (CMT 2).

    Examples
    --------
    >>> iv_bolus("2 mg", at="30 min").data[["TIME", "AMT", "CMT"]].values.tolist()
    [[0.5, 2.0, 2.0]]
    """
    amt = magnitude(dose, field="dose", unit="mg", strictly_positive=True)
    t = magnitude(at, field="at", unit="h", minimum=0.0)
    return DosingRecords(
        pd.DataFrame({"ID": [subject_id], "TIME": [t], "AMT": [amt], "CMT": [CENTRAL], "EVID": [1]})
    )


def infusion(
    dose: QuantityLike,
    *,
    duration: QuantityLike,
    at: QuantityLike = "0 h",
    cmt: int = CENTRAL,
    subject_id: int = 1,
) -> DosingRecords:
    """A zero-order intravenous infusion of ``dose`` over ``duration``.

    Examples
    --------
    >>> infusion("10 mg", duration="2 h").data[["AMT", "RATE"]].values.tolist()
    [[10.0, 5.0]]
    """
    amt = magnitude(dose, field="dose", unit="mg", strictly_positive=True)
    dur = magnitude(duration, field="duration", unit="h", strictly_positive=True)
    t = magnitude(at, field="at", unit="h", minimum=0.0)
    return DosingRecords(
        pd.DataFrame(
            {
                "ID": [subject_id],
                "TIME": [t],
                "AMT": [amt],
                "CMT": [cmt],
                "EVID": [1],
                "RATE": [amt / dur],
            }
        )
    )
