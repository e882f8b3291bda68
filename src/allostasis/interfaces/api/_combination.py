"""Combination endpoints: ``combine/bliss``, ``combine/hsa``, ``combine/loewe`` and ``interaction``."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter
from pydantic import Field

from allostasis.errors import InvalidValueError
from allostasis.interfaces.api._fields import NOT_A_PRESCRIPTION, ApiRequest, Quantity
from allostasis.receptor import (
    CombinationExcess,
    CombinationIndex,
    DoseEffectCurve,
    InteractionResult,
    bliss,
    hsa_excess,
    interaction_from_ratios,
    loewe_combination_index,
)

__all__ = ["router"]

router = APIRouter(tags=["combination"])

Effect = Annotated[float, Field(ge=0, le=1, description="Fractional effect in [0, 1].")]
#: Ratios are bounded away from 0: below ~1e-300 the library's formulas divide by zero (found by
#: the schemathesis test); no real relative risk is that small.
Ratio = Annotated[float, Field(ge=1e-6, le=1e6, description="Relative risk or odds ratio (> 0).")]
Interval = Annotated[
    list[Ratio], Field(min_length=2, max_length=2, description="95% CI: [low, high].")
]
Dose = Quantity("mg", minimum=0.0, example="2.5 mg")
ED50 = Quantity("mg", positive=True, example="10 mg")


class BlissRequest(ApiRequest):
    effect_a: Effect = Field(examples=[0.3])
    effect_b: Effect = Field(examples=[0.4])
    observed: Effect | None = Field(None, examples=[0.7])


class HSARequest(ApiRequest):
    effect_a: Effect = Field(examples=[0.3])
    effect_b: Effect = Field(examples=[0.4])
    observed: Effect = Field(examples=[0.6])


@router.post(
    "/combine/bliss",
    response_model=CombinationExcess,
    summary="Bliss independence",
    description="Expected combined effect E_A + E_B - E_A E_B and, with an observed effect, the "
    "excess and its classification (`allostasis combine bliss`)." + NOT_A_PRESCRIPTION,
)
def combine_bliss(req: BlissRequest) -> CombinationExcess:
    return bliss(req.effect_a, req.effect_b, req.observed)


@router.post(
    "/combine/hsa",
    response_model=CombinationExcess,
    summary="Highest single agent",
    description="Excess of the observed combination over the larger single effect "
    "(`allostasis combine hsa`)." + NOT_A_PRESCRIPTION,
)
def combine_hsa(req: HSARequest) -> CombinationExcess:
    return hsa_excess(req.effect_a, req.effect_b, req.observed)


class LoeweRequest(ApiRequest):
    dose_a: Annotated[str, Dose]
    dose_b: Annotated[str, Dose]
    effect: Annotated[float, Field(gt=0, lt=1, description="Observed combined effect (fraction).")]
    ed50_a: Annotated[str, ED50]
    ed50_b: Annotated[str, ED50]
    hill_a: Annotated[float, Field(gt=0, le=20)] = 1.0
    hill_b: Annotated[float, Field(gt=0, le=20)] = 1.0
    emax_a: Annotated[float, Field(gt=0, le=1)] = 1.0
    emax_b: Annotated[float, Field(gt=0, le=1)] = 1.0


@router.post(
    "/combine/loewe",
    response_model=CombinationIndex,
    summary="Loewe additivity (combination index)",
    description="Combination index CI = d_A/D_A(E) + d_B/D_B(E) (Chou-Talalay) with Chou's grade "
    "(`allostasis combine loewe`). Infinite dose-reduction indices are written as null."
    + NOT_A_PRESCRIPTION,
)
def combine_loewe(req: LoeweRequest) -> CombinationIndex:
    ca = DoseEffectCurve(ed50=req.ed50_a, hill=req.hill_a, emax=req.emax_a, name="A")
    cb = DoseEffectCurve(ed50=req.ed50_b, hill=req.hill_b, emax=req.emax_b, name="B")
    return loewe_combination_index(req.dose_a, req.dose_b, req.effect, ca, cb)


class InteractionRequest(ApiRequest):
    rr10: Ratio = Field(examples=[2.0])
    rr01: Ratio = Field(examples=[3.0])
    rr11: Ratio = Field(examples=[8.0])
    ci10: Interval | None = None
    ci01: Interval | None = None
    ci11: Interval | None = None
    ratio_kind: Literal["RR", "OR"] = "RR"


@router.post(
    "/interaction",
    response_model=InteractionResult,
    summary="Additive and multiplicative interaction",
    description="RERI, attributable proportion, synergy index S and the ratio of ratios from "
    "relative risks (or odds ratios) of A only, B only and both (`allostasis interaction`)."
    + NOT_A_PRESCRIPTION,
)
def interaction(req: InteractionRequest) -> InteractionResult:
    cis = (req.ci10, req.ci01, req.ci11)
    if any(c is not None for c in cis) and not all(c is not None for c in cis):
        raise InvalidValueError("ci10/ci01/ci11: give all three confidence intervals, or none")
    ci10, ci01, ci11 = (None if c is None else (c[0], c[1]) for c in cis)
    return interaction_from_ratios(
        req.rr10, req.rr01, req.rr11, ci10=ci10, ci01=ci01, ci11=ci11, ratio_kind=req.ratio_kind
    )
