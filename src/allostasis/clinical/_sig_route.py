"""The route of administration: as written, or assumed where only one route fits.

A route written in the sig must be one route (``PO`` and ``SL`` together are refused) and must fit
the dose form (a patch is transdermal, a transdermal order is a patch). With no route written, a
patch is transdermal and any other form is taken as oral -- the parser's one assumption, since the
CDC MME factors for tablets, capsules, liquids and bare mg doses are oral factors (Dowell D et al.
2022, MMWR Recomm Rep 71(3):1-95, doi:10.15585/mmwr.rr7103a1); the order records
``route_stated=False`` and a note.
"""

from __future__ import annotations

from dataclasses import dataclass

from allostasis.clinical._order import DoseForm
from allostasis.clinical._sig_pieces import SigPieces
from allostasis.clinical._sig_text import refusal
from allostasis.clinical._sig_vocabulary import ROUTES

__all__ = ["Route", "read_route"]


@dataclass(frozen=True)
class Route:
    """The route of an order and whether the sig wrote it."""

    name: str
    """``"oral"``, ``"transdermal"``, ``"sublingual"`` ... (the values of :data:`ROUTES`)."""
    stated: bool
    notes: list[str]
    """What was assumed, when the route was not written."""


def read_route(text: str, pieces: SigPieces, form: DoseForm) -> Route:
    """The route the sig writes, or the one its dose form implies.

    Rejects (:class:`InvalidValueError`) two different routes, a patch by a route other than
    transdermal, and a transdermal order for anything but a patch.

    Examples
    --------
    >>> from allostasis.clinical._sig_pieces import find_pieces
    >>> read_route("", find_pieces(" 10 mg bid"), "dose")
    Route(name='oral', stated=False, notes=['route not written; oral assumed for a dose order'])
    >>> read_route("", find_pieces(" 8/2 mg 1 film sl daily"), "film").name
    'sublingual'
    """
    routes = {ROUTES[p.groups[0]] for p in pieces.of("route")}
    if len(routes) > 1:
        raise refusal(text, f"gives contradictory routes ({', '.join(sorted(routes))}); give one")
    if routes:
        route = routes.pop()
        if form == "patch" and route != "transdermal":
            raise refusal(text, f"a patch is transdermal; the sig says {route}")
        if route == "transdermal" and form != "patch":
            raise refusal(text, "a transdermal order needs a patch strength in mcg/h")
        return Route(route, True, [])
    if form == "patch":
        return Route("transdermal", False, ["route not written; transdermal (patch)"])
    return Route("oral", False, [f"route not written; oral assumed for a {form} order"])
