"""The taper planner's form: what the clinician typed, read back from a POST body or a query string.

The form travels whole between requests (hidden fields, download links), so the server keeps no
session: each request re-plans from the same inputs and replays the recorded symptom reports in order.
A symptom report is carried as ``"2027-02-01|sleep=2,affective=1|seizure"`` (date, Table 3 domain
scores 0-3, red flags).

>>> f = TaperForm.from_fields({"meds": "diazepam 5 mg BID", "duration": "180 days", "start": "2027-01-04"})
>>> f.meds, f.predict
(['diazepam 5 mg BID'], False)
>>> r = encode_report("2027-02-01", {"sleep": 2}, ["seizure"])
>>> r, decode_report(r)
('2027-02-01|sleep=2|seizure', ('2027-02-01', {'sleep': 2}, ['seizure']))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from allostasis.clinical import RED_FLAGS, TABLE3_DOMAINS
from allostasis.errors import InvalidValueError

__all__ = ["TaperForm", "decode_report", "encode_report"]

_FLAGS = ("hepatic", "seizures", "difficult", "opioid", "predict")


def encode_report(date: str, scores: Mapping[str, int], flags: Sequence[str]) -> str:
    """One symptom report as a single form value."""
    body = ",".join(f"{k}={v}" for k, v in scores.items())
    return f"{date}|{body}|{','.join(flags)}"


def decode_report(text: str) -> tuple[str, dict[str, int], list[str]]:
    """Read a carried report back as (date, scores, red flags); refuses anything malformed."""
    parts = text.split("|")
    if len(parts) != 3:
        raise InvalidValueError(
            f"report: cannot read {text!r}; expected 'YYYY-MM-DD|domain=score,...|flag,...'"
        )
    date, body, flags = parts
    scores: dict[str, int] = {}
    for item in filter(None, body.split(",")):
        name, _, value = item.partition("=")
        if name not in TABLE3_DOMAINS or not value.isdigit() or int(value) > 3:
            raise InvalidValueError(
                f"report: {item!r} is not '<domain>=<0-3>' with a domain of "
                f"{', '.join(TABLE3_DOMAINS)}"
            )
        scores[name] = int(value)
    bad = [f for f in filter(None, flags.split(",")) if f not in RED_FLAGS]
    if bad:
        raise InvalidValueError(
            f"report: unknown red flag(s) {', '.join(bad)}; known: {', '.join(RED_FLAGS)}"
        )
    return date, scores, [f for f in flags.split(",") if f]


def _text(fields: Mapping[str, Any], name: str) -> str:
    value = fields.get(name)
    return str(value).strip() if value is not None else ""


@dataclass
class TaperForm:
    """The planner's inputs (strings as typed; the library validates them)."""

    meds: list[str] = field(default_factory=list)
    duration: str = ""
    start: str = ""
    age: str = ""
    hepatic: bool = False
    seizures: bool = False
    difficult: bool = False
    opioid: bool = False
    switch: str = ""
    reduction: str = "proportional"
    predict: bool = True
    reports: list[str] = field(default_factory=list)

    @classmethod
    def from_fields(cls, fields: Mapping[str, Any], reports: Sequence[str] = ()) -> TaperForm:
        """From a form body or query string (checkboxes count when present)."""
        meds = [line.strip() for line in _text(fields, "meds").splitlines() if line.strip()]
        return cls(
            meds=meds,
            duration=_text(fields, "duration"),
            start=_text(fields, "start") or dt.date.today().isoformat(),
            age=_text(fields, "age"),
            switch=_text(fields, "switch"),
            reduction=_text(fields, "reduction") or "proportional",
            reports=list(reports),
            **{name: name in fields for name in _FLAGS},
        )

    @property
    def age_years(self) -> float | None:
        if not self.age:
            return None
        try:
            return float(self.age)
        except ValueError:
            raise InvalidValueError(f"age: must be a number of years; got {self.age!r}") from None

    def fields(self) -> list[tuple[str, str]]:
        """The form as (name, value) pairs, for hidden inputs and download links."""
        pairs = [
            ("meds", "\n".join(self.meds)),
            ("duration", self.duration),
            ("start", self.start),
            ("age", self.age),
            ("switch", self.switch),
            ("reduction", self.reduction),
        ]
        pairs += [(name, "on") for name in _FLAGS if getattr(self, name)]
        pairs += [("report", r) for r in self.reports]
        return pairs

    def query(self) -> str:
        """The form as a query string."""
        return urlencode(self.fields())
