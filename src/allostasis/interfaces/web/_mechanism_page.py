"""The mechanism explorer: an index of topics, the GABA-A slider page, and one page per topic."""

from __future__ import annotations

import json

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from allostasis.interfaces.web._gaba_slider import MODULATOR_NM, gaba_family
from allostasis.interfaces.web._mechanism_topics import TOPICS, topic_view
from allostasis.interfaces.web._page import render

__all__ = ["router"]

router = APIRouter()


@router.get("/mechanisms", response_class=HTMLResponse)
def mechanisms(request: Request) -> HTMLResponse:
    """The list of topics, each with its seed claim."""
    return render(request, "mechanisms.html", {"active": "/mechanisms", "topics": TOPICS})


@router.get("/mechanisms/{slug}", response_class=HTMLResponse)
async def mechanism(request: Request, slug: str) -> HTMLResponse:
    """One topic: claim, model curve(s), findings, basis and sources."""
    topic = TOPICS.get(slug)
    if topic is None:
        raise HTTPException(
            status_code=404, detail=f"no topic {slug!r}; topics: {', '.join(TOPICS)}"
        )
    ctx = {"active": "/mechanisms", "topic": topic, "topics": TOPICS}
    if topic.build is None:
        family = await run_in_threadpool(gaba_family)
        start = MODULATOR_NM.index(100.0)
        payload = json.dumps({k: v for k, v in family.items() if k != "basis"}).replace(
            "</", "<\\/"
        )
        return render(
            request,
            "gaba.html",
            {**ctx, "family": family, "family_json": payload, "start": start},
        )
    view = await run_in_threadpool(topic_view, slug)
    return render(request, "mechanism.html", {**ctx, "view": view})
