"""Web UI: server-rendered pages with plain JavaScript and offline Plotly charts.

Pages (each calls the library directly, the same functions as the CLI):

- ``/taper``: the taper planner (:func:`allostasis.clinical.plan_taper`, ``predict_taper``,
  ``adjust_taper``; handouts from :mod:`allostasis.interfaces.reports`);
- ``/risk``: risk and MME (:func:`allostasis.clinical.assess_risk`, sigs read back line by line);
- ``/mechanisms``: the mechanism explorer (GABA-A slider, withdrawal, KCC2, flumazenil, SSRI onset,
  SNRI occupancy, locus coeruleus, breathing with naloxone, Bliss);
- ``/drugs``: the knowledge base, every value with its source.

plotly.js is served from the installed ``plotly`` package (``/static/plotly.min.js``); no page makes
an outside request. Decision support and education, not prescribing.
"""

from fastapi import APIRouter

from allostasis.interfaces.web import (
    _assets,
    _home_page,
    _knowledge_page,
    _mechanism_page,
    _risk_page,
    _taper_page,
)

__all__ = ["router"]

router = APIRouter(include_in_schema=False)
for _module in (_assets, _home_page, _taper_page, _risk_page, _mechanism_page, _knowledge_page):
    router.include_router(_module.router)
