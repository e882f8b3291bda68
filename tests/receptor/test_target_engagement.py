"""One ligand at several targets over time: SNRI selectivity claims of seed 002 as tests.

Model numbers (steady state, mean occupancy over the 24 h interval, plasma unbound = target
concentration, in-vitro Ki from Bymaster et al. 2001 and Deecher et al. 2006):

venlafaxine XR (+ desvenlafaxine)  75 / 150 / 225 mg/day: SERT 0.82 / 0.90 / 0.93, NET 0.22 / 0.37 / 0.46
duloxetine                         30 / 60 / 120 mg/day:  SERT 0.66 / 0.79 / 0.88, NET 0.18 / 0.30 / 0.46
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from allostasis.errors import InvalidValueError, UnitError, UnknownDrugError
from allostasis.exposure import time_grid
from allostasis.receptor._target_engagement import (
    SteadyStateOccupancy,
    pet_observed_occupancy,
    steady_state_occupancy,
    target_occupancy,
)
from allostasis.regimen import every

#: "Meaningful" transporter engagement in these tests: mean occupancy >= 0.25 (a quarter of sites).
ENGAGED = 0.25


@cache
def _ss(drug: str, mg: int) -> SteadyStateOccupancy:
    return steady_state_occupancy(drug, f"{mg} mg")


def test_venlafaxine_75_acts_as_ssri() -> None:
    ss = _ss("venlafaxine", 75)
    assert ss.targets["SERT"].mean >= 0.80
    assert ss.targets["NET"].mean < ENGAGED
    assert ss.targets["NET"].mean == pytest.approx(0.225, abs=0.01)


def test_venlafaxine_recruits_net_at_150_225() -> None:
    net = {mg: _ss("venlafaxine", mg).targets["NET"].mean for mg in (75, 150, 225)}
    assert net[75] < ENGAGED <= net[150] < net[225]
    assert net[150] == pytest.approx(0.366, abs=0.01)
    assert net[225] == pytest.approx(0.464, abs=0.01)
    assert net[225] / net[75] > 2.0


@pytest.mark.parametrize(
    "mg",
    [
        pytest.param(
            30,
            marks=pytest.mark.xfail(
                strict=True,
                reason="duloxetine 30 mg/day: model NET mean 0.18 (trough 0.10, peak 0.26) < 0.25 with "
                "Bymaster 2001 Ki (NET 7.5 nM) and 96% protein binding; SERT 0.66",
            ),
        ),
        60,
        90,
        120,
    ],
)
def test_duloxetine_engages_sert_and_net(mg: int) -> None:
    ss = _ss("duloxetine", mg)
    assert ss.targets["SERT"].mean >= 0.65
    assert ss.targets["NET"].mean >= ENGAGED


def test_duloxetine_more_noradrenergic_than_venlafaxine_at_equal_sert() -> None:
    dul, ven = _ss("duloxetine", 60), _ss("venlafaxine", 75)
    assert abs(dul.targets["SERT"].mean - ven.targets["SERT"].mean) < 0.05
    assert dul.targets["NET"].mean > ven.targets["NET"].mean + 0.05


def test_metabolite_counts_at_the_site_and_missing_ki_is_noted() -> None:
    ven = _ss("venlafaxine", 75)
    assert any(b.startswith("desvenlafaxine at SERT: Ki = 40.2 nM") for b in ven.basis)
    assert any("plasma unbound concentration = concentration at the target" in b for b in ven.basis)
    flu = steady_state_occupancy("fluoxetine", "20 mg", targets=["SERT", "NET"])
    assert any("norfluoxetine: no Ki at NET" in b for b in flu.basis)
    assert any(b.startswith("norfluoxetine at SERT") for b in flu.basis)


def test_tidy_time_course_and_summary_consistency() -> None:
    df = target_occupancy(
        "duloxetine", every("60 mg", "24 h", duration="3 days"), time_grid("3 days", "1 h")
    )
    assert list(df.columns) == ["subject_id", "time", "target", "occupancy"]
    assert len(df) == 2 * 73
    assert df["occupancy"].between(0, 1).all()
    assert df.loc[df["time"] == 0.0, "occupancy"].eq(0.0).all()
    ss = _ss("duloxetine", 60)
    s = ss.targets["SERT"]
    assert s.trough <= s.mean <= s.peak
    assert ss.at("0 h", "SERT") == pytest.approx(ss.at("24 h", "SERT"), abs=1e-6)  # periodic
    assert ss.to_dict()["targets"]["NET"]["mean"] == pytest.approx(ss.targets["NET"].mean)


def test_occupancy_rises_with_dose() -> None:
    means = [_ss("venlafaxine", mg).targets["SERT"].mean for mg in (75, 150, 225)]
    assert np.all(np.diff(means) > 0)


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (
            lambda: steady_state_occupancy("sertraline", "50 mg", targets="MOR"),
            UnknownDrugError,
            r"target: sertraline has no affinity \(Ki\) data for 'MOR'; known targets: DAT, NET, SERT",
        ),
        (
            lambda: steady_state_occupancy("sertralin", "50 mg"),
            UnknownDrugError,
            r"did you mean 'sertraline'",
        ),
        (lambda: steady_state_occupancy("sertraline", 50), UnitError, r"dose: a bare number"),
        (
            lambda: steady_state_occupancy("sertraline", "-5 mg"),
            InvalidValueError,
            r"dose: must be > 0 mg",
        ),
        (
            lambda: _ss("sertraline", 50).at("30 h", "SERT"),
            InvalidValueError,
            r"within the dosing interval",
        ),
        (lambda: pet_observed_occupancy(1.2), InvalidValueError, r"occupancy: must be fractions"),
    ],
)
def test_bad_input(call: object, exc: type[Exception], match: str) -> None:
    with pytest.raises(exc, match=match):
        call()  # type: ignore[operator]
