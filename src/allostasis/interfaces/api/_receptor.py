"""Receptor endpoints: ``occupancy``, ``curve/gaba``, ``partial-agonism``, ``release``, ``compete``."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from allostasis.interfaces.api._fields import NOT_A_PRESCRIPTION, ApiRequest, DrugName, Quantity
from allostasis.interfaces.api._wire import Table, table
from allostasis.receptor import (
    GabapentinoidReleaseEffect,
    antagonist_challenge,
    gaba_concentration_response,
    gabapentinoid_release_effect,
    partial_agonism_by_tone,
    steady_state_occupancy,
)
from allostasis.units import magnitude

__all__ = ["router"]

router = APIRouter(tags=["receptor"])

#: Longest competition simulated over the API: the binding-kinetics run costs about 0.5 s per
#: simulated hour on one core (2.5 s for 4 h, 7-8 s for 24 h), so requests stay within seconds.
MAX_COMPETE_MIN = 6 * 60.0

Concentration = Quantity(
    "nM",
    ("mg/L",),
    minimum=0.0,
    example="1 uM",
    description="Free concentration (molar or mass/volume)",
)


class OccupancyRequest(ApiRequest):
    drug: DrugName = Field(examples=["sertraline"])
    dose: Annotated[
        str,
        Quantity(
            "mg",
            ("mg/day",),
            positive=True,
            example="50 mg/day",
            description="Daily dose (mg/day) or dose per interval (mg)",
        ),
    ]
    interval: Annotated[str, Quantity("h", positive=True, maximum=24 * 28, example="24 h")] = "24 h"
    targets: list[Annotated[str, Field(max_length=30)]] | None = Field(
        None,
        max_length=10,
        description="Targets, e.g. SERT, NET; default all with a Ki.",
        examples=[["SERT"]],
    )
    route: str = Field("oral", max_length=30)


class OccupancyStats(BaseModel):
    mean: float
    trough: float
    peak: float


class OccupancyResponse(BaseModel):
    drug: str
    dose_mg: float
    interval_h: float
    daily_dose_mg: float
    route: str
    targets: dict[str, OccupancyStats]
    profile: Table
    """Occupancy over one steady-state dosing interval, per target."""
    basis: list[str]


@router.post(
    "/occupancy",
    response_model=OccupancyResponse,
    summary="Steady-state target occupancy",
    description="Mean, trough and peak occupancy of each target over one steady-state dosing "
    "interval, with the profile (`allostasis occupancy`)." + NOT_A_PRESCRIPTION,
)
def occupancy(req: OccupancyRequest) -> OccupancyResponse:
    tau = magnitude(req.interval, field="interval", unit="h", strictly_positive=True)
    per_dose = req.dose
    if "/" in req.dose:
        per_day = magnitude(req.dose, field="dose", unit="mg/day", strictly_positive=True)
        per_dose = f"{per_day * tau / 24.0} mg"
    r = steady_state_occupancy(
        req.drug, per_dose, f"{tau} h", targets=req.targets or None, route=req.route
    )
    return OccupancyResponse(
        drug=r.drug,
        dose_mg=r.dose_mg,
        interval_h=r.interval_h,
        daily_dose_mg=r.daily_dose_mg,
        route=r.route,
        targets={
            k: OccupancyStats(mean=v.mean, trough=v.trough, peak=v.peak)
            for k, v in r.targets.items()
        },
        profile=table(r.profile),
        basis=list(r.basis),
    )


class GabaCurveRequest(ApiRequest):
    modulator: DrugName = "diazepam"
    conc: Annotated[str, Concentration] = "1 uM"


class GabaCurveResponse(BaseModel):
    modulator: str
    modulator_conc_nm: float
    ec50_without_um: float
    ec50_with_um: float
    shift: float
    """EC50 without / EC50 with (> 1: leftward)."""
    max_shift: float
    curve: Table
    basis: list[str]


@router.post(
    "/curve/gaba",
    response_model=GabaCurveResponse,
    summary="GABA-A concentration-response with a modulator",
    description="GABA concentration-response at GABA-A with and without a positive allosteric "
    "modulator: EC50s and the leftward shift (`allostasis curve gaba`)." + NOT_A_PRESCRIPTION,
)
def curve_gaba(req: GabaCurveRequest) -> GabaCurveResponse:
    r = gaba_concentration_response(req.modulator, req.conc)
    return GabaCurveResponse(
        modulator=r.modulator,
        modulator_conc_nm=r.modulator_conc_nm,
        ec50_without_um=r.ec50_without_um,
        ec50_with_um=r.ec50_with_um,
        shift=r.shift,
        max_shift=r.max_shift,
        curve=table(r.curve),
        basis=list(r.basis),
    )


class PartialAgonismRequest(ApiRequest):
    drug: DrugName = "buspirone"
    conc: Annotated[str, Concentration] = "10 nM"
    target: str = Field("5-HT1A", max_length=30)


class PartialAgonismResponse(BaseModel):
    drug: str
    target: str
    efficacy: float
    crossover_nm: float
    crossover_over_ec50: float
    curve: Table
    basis: list[str]


@router.post(
    "/partial-agonism",
    response_model=PartialAgonismResponse,
    summary="Partial agonism by endogenous tone",
    description="How a partial agonist raises receptor activation at low endogenous tone and lowers "
    "it at high tone, with the crossover (`allostasis partial-agonism`)." + NOT_A_PRESCRIPTION,
)
def partial_agonism(req: PartialAgonismRequest) -> PartialAgonismResponse:
    r = partial_agonism_by_tone(req.drug, target=req.target, drug_conc=req.conc)
    return PartialAgonismResponse(
        drug=r.drug,
        target=r.target,
        efficacy=r.efficacy,
        crossover_nm=r.crossover.tone_nm,
        crossover_over_ec50=r.crossover.tone_over_ec50,
        curve=table(r.curve),
        basis=list(r.basis),
    )


class ReleaseRequest(ApiRequest):
    drug: Literal["pregabalin", "gabapentin"] = "pregabalin"
    conc: Annotated[str, Concentration] = "10 uM"
    firing_rate: Annotated[
        str | None, Quantity("Hz", positive=True, maximum=1000, example="40 Hz")
    ] = None
    potency: Literal["functional", "binding"] = "functional"


@router.post(
    "/release",
    response_model=GabapentinoidReleaseEffect,
    summary="Gabapentinoid effect on transmitter release",
    description="Alpha2-delta engagement, presynaptic calcium entry and transmitter release under a "
    "gabapentinoid (`allostasis release`)." + NOT_A_PRESCRIPTION,
)
def release(req: ReleaseRequest) -> GabapentinoidReleaseEffect:
    return gabapentinoid_release_effect(
        req.drug, req.conc, firing_rate=req.firing_rate, potency=req.potency
    )


class CompeteRequest(ApiRequest):
    agonist: DrugName = Field(examples=["fentanyl"])
    agonist_conc: Annotated[str, Concentration]
    antagonist: Literal["naloxone", "flumazenil"] = "naloxone"
    antagonist_dose: Annotated[
        str, Quantity("mg", positive=True, maximum=100, example="0.4 mg")
    ] = "0.4 mg"
    route: str = Field("iv", max_length=20, description="Antagonist route (iv, im, intranasal).")
    at: Annotated[str, Quantity("min", minimum=0.0, maximum=MAX_COMPETE_MIN, example="10 min")] = (
        "10 min"
    )
    duration: Annotated[
        str,
        Quantity(
            "min",
            positive=True,
            maximum=MAX_COMPETE_MIN,
            example="4 h",
            description=f"Simulated time (at most {MAX_COMPETE_MIN / 60:g} h over the API)",
        ),
    ] = "4 h"
    assumed_kon: str | None = Field(
        None,
        max_length=40,
        description="Association rate for ligands without published kinetics, e.g. '0.6 1/nM/min'.",
    )


class CompeteResponse(BaseModel):
    agonist: str
    antagonist: str
    before: float
    nadir: float
    nadir_time_min: float
    end: float
    timecourse: Table
    basis: list[str]


@router.post(
    "/compete",
    response_model=CompeteResponse,
    summary="Antagonist challenge at one receptor",
    description="Time-resolved competition at one site: displacement of an agonist by naloxone or "
    "flumazenil and re-binding as it clears (`allostasis compete`)." + NOT_A_PRESCRIPTION,
)
def compete(req: CompeteRequest) -> CompeteResponse:
    r = antagonist_challenge(
        req.agonist,
        req.agonist_conc,
        req.antagonist,
        req.antagonist_dose,
        route=req.route,
        at=req.at,
        duration=req.duration,
        assumed_kon=req.assumed_kon,
    )
    ag = r.of(r.ligands[0])[0]
    return CompeteResponse(
        agonist=r.ligands[0],
        antagonist=r.ligands[1],
        before=float(ag[0]),
        nadir=float(ag.min()),
        nadir_time_min=float(r.time[int(ag.argmin())]),
        end=float(ag[-1]),
        timecourse=table(r.to_dataframe()),
        basis=list(r.basis),
    )
