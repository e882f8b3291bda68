"""``POST /api/withdraw``: tolerance, dependence and withdrawal after chronic benzodiazepine use."""

from __future__ import annotations

from typing import Annotated

import numpy as np
from fastapi import APIRouter
from pydantic import BaseModel, Field

from allostasis.engine import WithdrawalSummary, withdrawal_scenario
from allostasis.interfaces.api._fields import NOT_A_PRESCRIPTION, ApiRequest, DrugName, Quantity
from allostasis.interfaces.api._wire import columns

__all__ = ["WithdrawRequest", "WithdrawResponse", "router"]

router = APIRouter(tags=["neuroadaptation"])

#: The API simulates at most this much chronic use, to keep a request within a few seconds
#: (the run's cost grows with it: ~4 s for 2 years, ~20 s for 10 years on one core). A modelling
#: choice of the API, not a pharmacological limit; the CLI has none.
MAX_USE_DAYS = 730.0
MAX_FOLLOW_UP_DAYS = 180.0
_SHOWN = ("balance_index", "anxiety", "insomnia", "autonomic", "tremor", "sensory", "cognitive")


class WithdrawRequest(ApiRequest):
    drug: DrugName = Field(examples=["alprazolam"])
    dose: Annotated[
        str,
        Quantity("mg/day", ("mg",), positive=True, example="4 mg/day", description="Daily dose"),
    ]
    duration: Annotated[
        str,
        Quantity(
            "day",
            positive=True,
            maximum=MAX_USE_DAYS,
            example="120 days",
            description=f"Length of use (at most {MAX_USE_DAYS:g} days over the API)",
        ),
    ]
    taper: str | None = Field(
        None,
        max_length=80,
        description="Taper spec instead of an abrupt stop, e.g. 'proportional 10% every 2 weeks'.",
    )
    events: list[Annotated[str, Field(max_length=80)]] = Field(
        default_factory=list,
        max_length=5,
        description="Extra doses, e.g. 'flumazenil 2 mg IV at day 3'.",
    )
    follow_up: Annotated[
        str, Quantity("day", positive=True, maximum=MAX_FOLLOW_UP_DAYS, example="60 days")
    ] = "60 days"


class WithdrawResponse(BaseModel):
    drug: str
    scenario: list[str]
    summary: WithdrawalSummary
    timecourse_daily: dict[str, list[float | str | None]]
    """Daily values from a week before the stop: day (from the end of use), variable, value."""
    basis: list[str]


@router.post(
    "/withdraw",
    response_model=WithdrawResponse,
    summary="Simulate withdrawal after chronic use",
    description="Chronic use of a benzodiazepine or Z-drug, then an abrupt stop or a taper: peak "
    "day and index, seizure-risk flag, recovery and the daily course (`allostasis withdraw`). "
    f"Runs the neuroadaptation model (about a second per 100 days of use); use is capped at "
    f"{MAX_USE_DAYS:g} days over the API." + NOT_A_PRESCRIPTION,
)
def withdraw(req: WithdrawRequest) -> WithdrawResponse:
    run = withdrawal_scenario(
        req.drug,
        req.dose,
        req.duration,
        taper=req.taper,
        events=req.events,
        follow_up=req.follow_up,
    )
    df = run.result.to_dataframe(list(_SHOWN))
    window = df[df["time"] >= run.stop_time_h - 7 * 24].copy()
    window["day"] = (window["time"] - run.stop_time_h) / 24.0
    daily = window[np.isclose(window["day"] % 1.0, 0.0, atol=1e-6)]
    return WithdrawResponse(
        drug=run.drug,
        scenario=list(run.description),
        summary=run.summary,
        timecourse_daily=columns(daily[["day", "variable", "value"]]),
        basis=list(run.basis),
    )
