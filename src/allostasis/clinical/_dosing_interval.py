"""The labelled dosing interval of a drug: how many doses a day, and hours between them.

A daily dose is split into ``n`` equal doses every ``tau = 24 / n`` hours, with ``n`` the first
labelled dosing's doses per day in the knowledge base (once daily when the drug has none). The
occupancy, titration and steady-state concentration calculations of the dose-selection aid all
split daily doses this way.
"""

from __future__ import annotations

from allostasis.knowledge import Drug

__all__ = ["dosing_interval"]


def dosing_interval(d: Drug) -> tuple[float, int]:
    """Hours between doses and doses per day, from the drug's first labelled dosing.

    .. math:: \\tau = 24\\,\\mathrm{h} / n

    Examples
    --------
    >>> from allostasis.knowledge import load_knowledge_base
    >>> dosing_interval(load_knowledge_base()["escitalopram"])
    (24.0, 1)
    """
    n = d.dosing[0].times_per_day if d.dosing else 1
    return 24.0 / n, n
