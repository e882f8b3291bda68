"""Validation: model steady-state SERT occupancy vs published PET/SPECT means (within 10 points).

The model is mass action on plasma unbound parent + active metabolite with in-vitro Ki, scaled by
one explicit factor, ``PET_EMAX["SERT"]`` (the maximal PET-observable occupancy), fitted here by
least squares to the same eight studies; ``test_pet_emax_is_the_least_squares_fit`` pins it. Because
that fit is in-sample, ``test_leave_one_out`` repeats each comparison with the factor re-fitted
without the study being predicted. Studies are in knowledge/data/studies/pet_occupancy.toml.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pytest

from allostasis.knowledge._studies import PETStudy, load_pet_studies
from allostasis.receptor._target_engagement import (
    PET_EMAX,
    pet_observed_occupancy,
    steady_state_occupancy,
)

TOLERANCE = 0.10  # 10 percentage points
STUDIES = [s for s in load_pet_studies() if s.regimen == "repeated" and s.target == "SERT"]


@cache
def _model(study_id: str) -> float:
    """Pharmacological SERT occupancy at the scan time (or the interval mean if not reported)."""
    s = next(x for x in STUDIES if x.id == study_id)
    ss = steady_state_occupancy(s.drug, s.daily_dose, targets="SERT")
    if s.scan_time_after_dose is not None:
        return ss.at(s.scan_time_after_dose, "SERT")
    return ss.targets["SERT"].mean


def _fit(studies: list[PETStudy]) -> float:
    o = np.array([_model(s.id) for s in studies])
    y = np.array([s.mean_occupancy for s in studies])
    return float(o @ y / (o @ o))


#: Cases the model cannot meet honestly, with the numbers (PET_EMAX 0.86 fitted on all eight).
_XFAIL = {
    "klein-2007-citalopram-20mg": "citalopram 20 mg/day at 6 h (Klein 2007, [123I]ADAM midbrain): "
    "model 0.952 x 0.86 = 0.82 vs published 0.64 (+17.8 points); the same dose gave 0.77 by "
    "[11C]DASB (Meyer 2001), and Klein attribute the low value to R-citalopram, which the model "
    "does not separate from the S-enantiomer (racemate KD 1.16 nM, Tatsumi 1997)",
}
_XFAIL_LOO = {
    **_XFAIL,
    "meyer-2004-venlafaxine-75mg": "venlafaxine XR 75 mg/day: model 0.819; with PET_EMAX re-fitted "
    "without this study (0.846) predicts 0.69 vs 0.80 (-10.7 points)",
    "takano-2006-duloxetine-60mg": "duloxetine 60 mg/day at 6 h: model 0.865; with PET_EMAX re-fitted "
    "without this study (0.844) predicts 0.73 vs 0.843 (-11.3 points)",
}
_XFAIL_LOO["klein-2007-citalopram-20mg"] = (
    "citalopram 20 mg/day at 6 h (Klein 2007): PET_EMAX re-fitted without it is 0.888, prediction "
    "0.85 vs 0.64 (+20.5 points); see the in-sample case"
)


def _params(xfails: dict[str, str]) -> list[object]:
    return [
        pytest.param(
            s,
            id=f"{s.label()}",
            marks=[pytest.mark.xfail(strict=True, reason=xfails[s.id])] if s.id in xfails else [],
        )
        for s in STUDIES
    ]


def test_eight_repeated_dose_studies_of_seven_drugs() -> None:
    assert len(STUDIES) == 8
    assert {s.drug for s in STUDIES} == {
        "sertraline",
        "citalopram",
        "escitalopram",
        "paroxetine",
        "fluoxetine",
        "venlafaxine",
        "duloxetine",
    }


def test_pet_emax_is_the_least_squares_fit() -> None:
    # one-parameter least squares over all eight studies, no exclusions: 0.859
    assert _fit(STUDIES) == pytest.approx(PET_EMAX["SERT"], abs=0.005)


@pytest.mark.parametrize("study", _params(_XFAIL))
def test_steady_state_sert_occupancy_matches_pet(study: PETStudy) -> None:
    predicted = pet_observed_occupancy(_model(study.id), "SERT")
    assert abs(predicted - study.mean_occupancy) <= TOLERANCE, (
        f"{study.label()}: predicted {predicted:.3f}, published {study.mean_occupancy:.3f}"
    )


@pytest.mark.parametrize("study", _params(_XFAIL_LOO))
def test_leave_one_out(study: PETStudy) -> None:
    emax = _fit([s for s in STUDIES if s.id != study.id])
    predicted = pet_observed_occupancy(_model(study.id), pet_emax=emax)
    assert abs(predicted - study.mean_occupancy) <= TOLERANCE, (
        f"{study.label()}: predicted {predicted:.3f} (PET Emax {emax:.3f}), "
        f"published {study.mean_occupancy:.3f}"
    )
