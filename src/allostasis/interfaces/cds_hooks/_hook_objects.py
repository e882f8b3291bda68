"""The CDS Hooks 2.0 wire objects: discovery, hook request, cards (with suggestions, actions and
links) and feedback, as typed pydantic models that serialise with the specification's camelCase names.

Written from the CDS Hooks 2.0 specification (HL7, https://cds-hooks.hl7.org/2.0/): "Discovery",
"Calling a CDS Service", "CDS Service Response" (Card, Source, Suggestion, Action, Link) and
"Feedback". Optional attributes without a value are omitted, never sent as ``null`` (the
specification forbids null and empty values); the routes serialise with ``exclude_none``.

>>> card = Card(summary="Example", indicator="info", source=Source(label="allostasis"))
>>> card.model_dump(by_alias=True, exclude_none=True)["source"]
{'label': 'allostasis'}
>>> Card(summary="x" * 140, indicator="info", source=Source(label="allostasis"))
Traceback (most recent call last):
...
pydantic_core._pydantic_core.ValidationError: 1 validation error for Card
...
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic.alias_generators import to_camel

__all__ = [
    "SUMMARY_MAX_CHARS",
    "AcceptedSuggestion",
    "Action",
    "CDSService",
    "Card",
    "CardsResponse",
    "Coding",
    "Discovery",
    "Feedback",
    "FeedbackRequest",
    "FhirAuthorization",
    "HookRequest",
    "Link",
    "OverrideReason",
    "Source",
    "Suggestion",
]

#: Card.summary: "One-sentence, <140-character summary message" (CDS Hooks 2.0, Card Attributes).
SUMMARY_MAX_CHARS = 139


class _Wire(BaseModel):
    """camelCase on the wire, snake_case in Python."""

    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True, frozen=True)


class Coding(_Wire):
    """A code from a code system (CDS Hooks 2.0 "Coding"): ``code`` and ``system`` are required."""

    code: str = Field(min_length=1)
    system: str = Field(min_length=1)
    display: str | None = None


class Source(_Wire):
    """Where the card's guidance comes from: a label, optionally a URL and a topic."""

    label: str = Field(min_length=1)
    url: str | None = None
    icon: str | None = None
    topic: Coding | None = None


class Action(_Wire):
    """One suggested change: ``create`` needs a new FHIR resource, ``delete`` a resource id."""

    type: Literal["create", "update", "delete"]
    description: str = Field(min_length=1)
    resource: dict[str, Any] | None = None
    resource_id: str | None = None

    @model_validator(mode="after")
    def _resource_for_create(self) -> Action:
        if self.type in ("create", "update") and not self.resource:
            raise ValueError(f"action {self.type!r} needs the FHIR resource to {self.type}")
        return self


class Suggestion(_Wire):
    """A set of actions the user may accept together (button in the CDS Client)."""

    label: str = Field(min_length=1)
    uuid: str | None = None
    is_recommended: bool | None = None
    actions: list[Action] | None = Field(default=None, min_length=1)


class Link(_Wire):
    """A link to more information (``absolute``) or a SMART app launch (``smart``)."""

    label: str = Field(min_length=1)
    url: str = Field(min_length=1)
    type: Literal["absolute", "smart"]
    app_context: str | None = None

    @model_validator(mode="after")
    def _app_context_only_for_smart(self) -> Link:
        if self.app_context is not None and self.type != "smart":
            raise ValueError("appContext is valid only for smart links")
        return self


class Card(_Wire):
    """One card: summary (< 140 characters), indicator, source, and optional detail (markdown),
    suggestions (with ``selectionBehavior``), override reasons and links."""

    uuid: str | None = None
    summary: str = Field(min_length=1, max_length=SUMMARY_MAX_CHARS)
    detail: str | None = None
    indicator: Literal["info", "warning", "critical"]
    source: Source
    suggestions: list[Suggestion] | None = Field(default=None, min_length=1)
    selection_behavior: Literal["at-most-one", "any"] | None = None
    override_reasons: list[Coding] | None = Field(default=None, min_length=1)
    links: list[Link] | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _selection_behavior_with_suggestions(self) -> Card:
        if self.suggestions and self.selection_behavior is None:
            raise ValueError("selectionBehavior must be given when suggestions are present")
        return self


class CardsResponse(_Wire):
    """The service's answer: cards (possibly empty) and optional system actions."""

    cards: list[Card]
    system_actions: list[Action] | None = Field(default=None, min_length=1)


class CDSService(_Wire):
    """One service as advertised by discovery."""

    hook: str
    title: str | None = None
    description: str
    id: str
    prefetch: dict[str, str] | None = None
    usage_requirements: str | None = None


class Discovery(_Wire):
    """``GET /cds-services``: every service this server hosts."""

    services: list[CDSService]


class FhirAuthorization(_Wire):
    """An OAuth 2.0 bearer token for the CDS Client's FHIR server (accepted, never used here)."""

    model_config = ConfigDict(alias_generator=None, frozen=True)

    access_token: str
    token_type: Literal["Bearer"]
    expires_in: int
    scope: str
    subject: str


class HookRequest(_Wire):
    """``POST /cds-services/{id}``: the hook, its instance, the context and prefetched FHIR data.

    ``prefetch`` values may be ``null`` (the CDS Client had no data for that template); a key
    that is absent means the client did not satisfy that template.
    """

    hook: str = Field(min_length=1)
    hook_instance: str = Field(min_length=1)
    fhir_server: str | None = None
    fhir_authorization: FhirAuthorization | None = None
    context: dict[str, Any]
    prefetch: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _server_with_authorization(self) -> HookRequest:
        if self.fhir_authorization is not None and not self.fhir_server:
            raise ValueError("fhirServer is required when fhirAuthorization is given")
        return self


class AcceptedSuggestion(_Wire):
    """The ``uuid`` of a suggestion the user accepted."""

    id: str = Field(min_length=1)


class OverrideReason(_Wire):
    """Why the user overrode a card: a reason from the card's list and/or a comment."""

    reason: Coding | None = None
    user_comment: str | None = None


class Feedback(_Wire):
    """What the user did with one card: ``accepted`` (with the suggestions) or ``overridden``."""

    card: str = Field(min_length=1)
    outcome: Literal["accepted", "overridden"]
    accepted_suggestions: list[AcceptedSuggestion] | None = None
    override_reason: OverrideReason | None = None
    outcome_timestamp: str = Field(min_length=1)

    @model_validator(mode="after")
    def _accepted_needs_suggestions(self) -> Feedback:
        if self.outcome == "accepted" and not self.accepted_suggestions:
            raise ValueError("acceptedSuggestions is required when the outcome is accepted")
        return self


class FeedbackRequest(_Wire):
    """``POST /cds-services/{id}/feedback``."""

    feedback: list[Feedback] = Field(min_length=1)
