"""Project exceptions.

Every error a user can cause names the field, the value received and what is allowed, so the CLI can
print it as one line and the API can answer 422 with the same text. Each class also subclasses the
builtin exception it resembles, so ``except ValueError`` keeps working for callers who expect it.
"""

from __future__ import annotations

__all__ = [
    "AllostasisError",
    "DosingRecordError",
    "InvalidValueError",
    "KnowledgeBaseError",
    "UnitError",
    "UnknownDrugError",
]


class AllostasisError(Exception):
    """Base class of every error allostasis raises on purpose."""


class UnitError(AllostasisError, ValueError):
    """A quantity is missing its unit, cannot be parsed, or has the wrong dimension."""


class InvalidValueError(AllostasisError, ValueError):
    """A value has the right unit but lies outside what is allowed (negative dose, fraction > 1, ...)."""


class UnknownDrugError(AllostasisError, LookupError):
    """A drug (or route, analyte, formulation) is not in the knowledge base."""

    def __str__(self) -> str:  # LookupError.__str__ would quote the message like a key
        return str(self.args[0]) if self.args else ""


class DosingRecordError(AllostasisError, ValueError):
    """A dosing record set breaks the NONMEM conventions or asks for something unsupported."""


class KnowledgeBaseError(AllostasisError, ValueError):
    """A knowledge-base data file is malformed (missing unit or source, wrong dimension, ...)."""
