"""What goes into a breathing simulation: single doses (drug, dose, route, time) and naloxone.

Routes are read from a fixed vocabulary (PO, IV, IM, IN, SL, SC, TD, buccal and their words);
anything else is refused with the drug named, never guessed.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from allostasis.errors import InvalidValueError
from allostasis.knowledge import KnowledgeBase
from allostasis.units import magnitude

__all__ = ["Dose", "medication_doses", "parse_naloxone"]

_ROUTES: Final[dict[str, str]] = {
    "po": "oral",
    "oral": "oral",
    "iv": "iv",
    "im": "im",
    "in": "intranasal",
    "intranasal": "intranasal",
    "nasal": "intranasal",
    "sl": "sublingual",
    "sublingual": "sublingual",
    "sc": "sc",
    "td": "transdermal",
    "transdermal": "transdermal",
    "buccal": "buccal",
}


def _route(text: str, drug: str) -> str:
    key = text.strip().lower()
    if key not in _ROUTES:
        raise InvalidValueError(
            f"route of {drug}: {text!r} is not a known route; use one of "
            f"{sorted(set(_ROUTES))} (PO = oral, IN = intranasal, SL = sublingual)"
        )
    return _ROUTES[key]


@dataclass(frozen=True)
class Dose:
    drug: str
    dose_mg: float
    route: str
    at_h: float
    label: str


def medication_doses(medications: Sequence[Any], kb: KnowledgeBase) -> list[Dose]:
    out: list[Dose] = []
    for i, m in enumerate(medications):
        if isinstance(m, str) or not isinstance(m, Sequence) or len(m) not in (3, 4):
            raise InvalidValueError(
                f"medications[{i}]: expected a (drug, dose, route) or (drug, dose, route, at) "
                f"tuple, e.g. ('oxycodone', '20 mg', 'PO'); got {m!r}"
            )
        name, dose, route = m[0], m[1], m[2]
        d = kb[str(name)]
        mg = magnitude(dose, field=f"dose of {d.name}", unit="mg", strictly_positive=True)
        at = (
            magnitude(m[3], field=f"time of {d.name}", unit="h", minimum=0.0)
            if len(m) == 4
            else 0.0
        )
        r = _route(str(route), d.name)
        out.append(Dose(d.name, mg, r, at, f"{d.name} {mg:g} mg {r}"))
    return out


_NALOXONE = re.compile(
    r"^\s*(?P<dose>\d+(?:\.\d+)?\s*(?:mg|mcg|ug|µg))\s+(?P<route>[A-Za-z]+)"
    r"(?:\s+at\s+(?P<at>.+?))?\s*$",
    re.IGNORECASE,
)


def parse_naloxone(spec: str | Sequence[Any]) -> tuple[float, str, float]:
    """Naloxone dose (mg), route and time (h) from ``"4 mg IN at 30 min"`` or a tuple.

    .. math:: \\text{spec} = \\langle dose\\rangle\\ \\langle route\\rangle\\ [\\text{at}\\ \\langle time\\rangle]

    Parameters
    ----------
    spec : str or tuple
        ``"<dose> <route> [at <time>]"`` (time default 0) or ``(dose, route, at)``.

    Returns
    -------
    tuple of (float, str, float)
        Dose in mg, knowledge-base route name, time in hours.

    Raises
    ------
    InvalidValueError, UnitError
        On a spec that does not parse, an unknown route or a bad time.

    Examples
    --------
    >>> parse_naloxone("4 mg IN at 30 min")
    (4.0, 'intranasal', 0.5)
    >>> parse_naloxone("naloxone please")
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: naloxone: expected '<dose> <route> [at <time>]', e.g. '4 mg IN at 30 min' or '0.4 mg IV at 10 min'; got 'naloxone please'
    """
    if isinstance(spec, str):
        m = _NALOXONE.match(spec)
        if not m:
            raise InvalidValueError(
                "naloxone: expected '<dose> <route> [at <time>]', e.g. '4 mg IN at 30 min' or "
                f"'0.4 mg IV at 10 min'; got {spec!r}"
            )
        dose, route, at = m.group("dose"), m.group("route"), m.group("at") or "0 h"
    else:
        if len(spec) != 3:
            raise InvalidValueError(f"naloxone: expected (dose, route, at); got {spec!r}")
        dose, route, at = spec[0], spec[1], spec[2]
    mg = magnitude(dose, field="naloxone dose", unit="mg", strictly_positive=True)
    t = magnitude(at, field="naloxone time", unit="h", minimum=0.0)
    return mg, _route(str(route), "naloxone"), t
