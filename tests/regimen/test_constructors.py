"""Regimen constructors write the compact NONMEM records a pharmacometrician would write by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from allostasis.errors import AllostasisError, InvalidValueError, UnitError
from allostasis.exposure import OneCompartment, time_grid
from allostasis.regimen import (
    CENTRAL,
    DEPOT,
    DosingRecords,
    every,
    infusion,
    iv_bolus,
    patch,
    taper,
)
from allostasis.units import Q_

COLS = ["ID", "TIME", "AMT", "CMT", "EVID", "II", "ADDL", "RATE", "SS"]


def rows(recs: DosingRecords) -> list[list[float]]:
    return recs.data[COLS].astype(float).round(9).to_numpy().tolist()


def test_compartment_numbers() -> None:
    assert (DEPOT, CENTRAL) == (1, 2)


# --------------------------------------------------------------------------- every
def test_every_for_a_duration() -> None:
    recs = every("0.5 mg", "8 h", duration="14 days")
    assert rows(recs) == [[1, 0, 0.5, 1, 1, 8, 41, 0, 0]]  # 42 doses: 3 a day for 14 days
    assert repr(recs) == (
        "<DosingRecords: 1 subject(s), 1 dose record(s) (42 doses after ADDL), 0 observation(s), 0-328 h>"
    )


def test_every_counts_doses_strictly_before_the_end() -> None:
    assert every("1 mg", "8 h", duration="15 h").data["ADDL"].item() == 1  # doses at 0 and 8 h
    assert every("1 mg", "8 h", duration="16 h").data["ADDL"].item() == 1
    assert every("1 mg", "8 h", duration="16.5 h").data["ADDL"].item() == 2
    assert every("1 mg", "24 h", duration="1 h").data["ADDL"].item() == 0  # at least one dose


def test_every_with_n_doses_units_start_cmt_and_subject() -> None:
    recs = every("500 mcg", "720 min", n_doses=3, start="30 min", cmt=CENTRAL, subject_id=7)
    assert rows(recs) == [[7, 0.5, 0.5, 2, 1, 12, 2, 0, 0]]
    assert recs.subject_ids.tolist() == [7]


def test_every_accepts_pint_quantities() -> None:
    recs = every(Q_(1, "mg"), Q_(0.5, "day"), n_doses=2)
    assert rows(recs) == [[1, 0, 1, 1, 1, 12, 1, 0, 0]]


def test_every_simulates_as_superposed_single_doses() -> None:
    m = OneCompartment(name="d", ka="1.2 1/h", cl="3 L/h", v="40 L", f=0.7)
    t = time_grid("60 h", "0.5 h")
    multi = m.simulate(every("10 mg", "12 h", n_doses=4), t).concentration()[0]
    single = sum(
        m.simulate(every("10 mg", "12 h", n_doses=1, start=f"{12 * i} h"), t).concentration()[0]
        for i in range(4)
    )
    np.testing.assert_allclose(multi, single, rtol=1e-12, atol=1e-15)


EVERY_REJECTIONS = [
    (("0.5 mg", "8 kg"), {"duration": "14 days"}, UnitError,
     r"^interval: expected a quantity in h \(dimension \[time\]\); got 8 kg \(dimension \[mass\]\)$"),
    (("8 kg", "8 h"), {"n_doses": 1}, UnitError, r"^dose: 8 kg is in kilogram, a body-weight unit"),
    (("25 mcg/h", "8 h"), {"n_doses": 1}, UnitError, r"^dose: expected a quantity in mg .*got 25 mcg/h"),
    ((5, "8 h"), {"n_doses": 1}, UnitError, r"^dose: a bare number \(5\) has no unit; give a quantity such as '5 mg'$"),
    (("5 mg", 8), {"n_doses": 1}, UnitError, r"^interval: a bare number \(8\) has no unit; give a quantity such as '8 h'$"),
    (("0 mg", "8 h"), {"n_doses": 1}, InvalidValueError, r"^dose: must be > 0 mg; got 0 milligram$"),
    (("-1 mg", "8 h"), {"n_doses": 1}, InvalidValueError, r"^dose: must be > 0 mg; got -1 milligram$"),
    (("1 mg", "0 h"), {"n_doses": 1}, InvalidValueError, r"^interval: must be > 0 h; got 0 hour$"),
    (("1 mg", "8 h"), {}, InvalidValueError, r"^every: give exactly one of 'duration' or 'n_doses'$"),
    (("1 mg", "8 h"), {"n_doses": 2, "duration": "1 day"}, InvalidValueError,
     r"^every: give exactly one of 'duration' or 'n_doses'$"),
    (("1 mg", "8 h"), {"n_doses": 0}, InvalidValueError, r"^every: n_doses must be an integer >= 1; got 0$"),
    (("1 mg", "8 h"), {"n_doses": 2.0}, InvalidValueError, r"^every: n_doses must be an integer >= 1; got 2\.0$"),
    (("1 mg", "8 h"), {"n_doses": True}, InvalidValueError, r"^every: n_doses must be an integer >= 1; got True$"),
    (("1 mg", "8 h"), {"duration": "0 h"}, InvalidValueError, r"^duration: must be > 0 h; got 0 hour$"),
    (("1 mg", "8 h"), {"duration": "3 mg"}, UnitError, r"^duration: expected a quantity in h"),
    (("1 mg", "8 h"), {"n_doses": 1, "start": "-1 h"}, InvalidValueError, r"^start: must be >= 0 h; got -1 hour$"),
]  # fmt: skip


@pytest.mark.parametrize(("args", "kwargs", "error", "message"), EVERY_REJECTIONS)
def test_every_rejections(
    args: tuple[object, object], kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message) as err:
        every(*args, **kwargs)  # type: ignore[arg-type]
    assert isinstance(err.value, AllostasisError)
    assert isinstance(err.value, ValueError)


# --------------------------------------------------------------------------- taper
def test_taper_writes_one_record_per_step() -> None:
    recs = taper([("2 mg", "2 weeks"), ("1.5 mg", "2 weeks"), ("1 mg", "2 weeks")], interval="12 h")
    assert rows(recs) == [
        [1, 0, 2.0, 1, 1, 12, 27, 0, 0],
        [1, 336, 1.5, 1, 1, 12, 27, 0, 0],
        [1, 672, 1.0, 1, 1, 12, 27, 0, 0],
    ]
    doses = recs.expand().data["AMT"].to_numpy()
    assert len(doses) == 84
    assert np.all(np.diff(doses) <= 0)  # a taper never increases


def test_taper_zero_dose_step_is_a_gap() -> None:
    recs = taper(
        [("2 mg", "1 day"), ("0 mg", "1 day"), ("1 mg", "1 day")], interval="12 h", start="6 h"
    )
    assert rows(recs) == [[1, 6, 2, 1, 1, 12, 1, 0, 0], [1, 54, 1, 1, 1, 12, 1, 0, 0]]


def test_taper_rounds_a_step_up_to_whole_intervals() -> None:
    recs = taper([("2 mg", "30 h"), ("1 mg", "12 h")], interval="12 h")
    assert rows(recs) == [[1, 0, 2, 1, 1, 12, 2, 0, 0], [1, 36, 1, 1, 1, 12, 0, 0, 0]]


@pytest.mark.parametrize(
    ("steps", "kwargs", "error", "message"),
    [
        ([], {"interval": "12 h"}, InvalidValueError, r"^taper: 'steps' must list at least one \(dose, duration\) pair$"),
        ([("0 mg", "1 week")], {"interval": "12 h"}, InvalidValueError, r"^taper: every step has a zero dose; nothing to give$"),
        ([("1 mg", "1 week"), ("-1 mg", "1 week")], {"interval": "12 h"}, InvalidValueError, r"^steps\[1\]\.dose: must be >= 0 mg; got -1 milligram$"),
        ([("1 mg", "1 kg")], {"interval": "12 h"}, UnitError, r"^steps\[0\]\.duration: expected a quantity in h"),
        ([("1 mg", "0 days")], {"interval": "12 h"}, InvalidValueError, r"^steps\[0\]\.duration: must be > 0 h"),
        ([("5 kg", "1 week")], {"interval": "12 h"}, UnitError, r"^steps\[0\]\.dose: 5 kg is in kilogram, a body-weight unit"),
        ([("1 mg", "1 week")], {"interval": "12 mg"}, UnitError, r"^interval: expected a quantity in h"),
    ],
)  # fmt: skip
def test_taper_rejections(
    steps: list[tuple[str, str]], kwargs: dict[str, str], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        taper(steps, **kwargs)


# --------------------------------------------------------------------------- patch
def test_patch_is_a_zero_order_input_for_the_wear_time() -> None:
    recs = patch("25 mcg/h", wear="72 h", n_patches=3)
    assert rows(recs) == [[1, 0, 1.8, 1, 1, 72, 2, 0.025, 0]]
    d = recs.data.iloc[0]
    assert d["AMT"] / d["RATE"] == pytest.approx(
        72.0
    )  # each patch delivers for exactly its wear time


def test_patch_for_a_duration_with_start() -> None:
    recs = patch("0.05 mg/h", wear="3 days", duration="9 days", start="1 day", subject_id=3)
    assert rows(recs) == [[3, 24, 3.6, 1, 1, 72, 2, 0.05, 0]]


def test_patch_delivers_its_nominal_amount() -> None:
    """With F = 1 and no elimination of the depot's content, mass balance: AUC x CL = rate x wear."""
    m = OneCompartment(name="d", ka="0.5 1/h", cl="10 L/h", v="100 L", f=1.0)
    res = m.simulate(patch("100 mcg/h", n_patches=1), time_grid("400 h", "0.1 h"))
    c = res.concentration()[0]
    auc = float(np.sum((c[1:] + c[:-1]) * 0.1) / 2)
    assert auc * 10.0 == pytest.approx(0.1 * 72, rel=1e-3)


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "message"),
    [
        (("25 mg",), {"n_patches": 1}, UnitError, r"^rate: expected a quantity in mg/h \(dimension \[mass\] / \[time\]\); got 25 mg \(dimension \[mass\]\)$"),
        (("0 mcg/h",), {"n_patches": 1}, InvalidValueError, r"^rate: must be > 0 mg/h"),
        (("-25 mcg/h",), {"n_patches": 1}, InvalidValueError, r"^rate: must be > 0 mg/h"),
        (("25 mcg/h",), {}, InvalidValueError, r"^patch: give exactly one of 'duration' or 'n_patches'$"),
        (("25 mcg/h",), {"n_patches": 2, "duration": "6 days"}, InvalidValueError, r"^patch: give exactly one of 'duration' or 'n_patches'$"),
        (("25 mcg/h",), {"n_patches": 0}, InvalidValueError, r"^patch: n_patches must be an integer >= 1; got 0$"),
        (("25 mcg/h",), {"n_patches": 1, "wear": "0 h"}, InvalidValueError, r"^wear: must be > 0 h"),
        (("25 kg/h",), {"n_patches": 1}, UnitError, r"^rate: 25 kg/h is in kilogram, a body-weight unit"),
    ],
)  # fmt: skip
def test_patch_rejections(
    args: tuple[str], kwargs: dict[str, object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        patch(*args, **kwargs)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- iv_bolus and infusion
def test_iv_bolus_goes_into_the_central_compartment() -> None:
    assert rows(iv_bolus("2 mg", at="30 min")) == [[1, 0.5, 2, 2, 1, 0, 0, 0, 0]]
    assert rows(iv_bolus("200 mcg", subject_id=4)) == [[4, 0, 0.2, 2, 1, 0, 0, 0, 0]]


def test_iv_bolus_concentration_is_dose_over_volume() -> None:
    m = OneCompartment(name="d", cl="2 L/h", v="20 L")
    res = m.simulate(iv_bolus("10 mg"), time_grid("10 h", "5 h"))
    np.testing.assert_allclose(
        res.concentration()[0], 0.5 * np.exp(-0.1 * np.array([0.0, 5.0, 10.0])), rtol=1e-12
    )


def test_infusion_rate_is_dose_over_duration() -> None:
    assert rows(infusion("10 mg", duration="2 h")) == [[1, 0, 10, 2, 1, 0, 0, 5, 0]]
    assert rows(infusion("600 mcg", duration="30 min", at="1 h", cmt=1, subject_id=2)) == [
        [2, 1, 0.6, 1, 1, 0, 0, 1.2, 0]
    ]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: iv_bolus("5 kg"), UnitError, r"^dose: 5 kg is in kilogram, a body-weight unit"),
        (lambda: iv_bolus("0 mg"), InvalidValueError, r"^dose: must be > 0 mg; got 0 milligram$"),
        (lambda: iv_bolus("-2 mg"), InvalidValueError, r"^dose: must be > 0 mg; got -2 milligram$"),
        (lambda: iv_bolus("2 mg", at="-1 h"), InvalidValueError, r"^at: must be >= 0 h"),
        (lambda: iv_bolus("2 mg/h"), UnitError, r"^dose: expected a quantity in mg"),
        (lambda: infusion("10 mg", duration="0 h"), InvalidValueError, r"^duration: must be > 0 h; got 0 hour$"),
        (lambda: infusion("10 mg/h", duration="1 h"), UnitError, r"^dose: expected a quantity in mg .*got 10 mg/h"),
        (lambda: infusion("10 mg", duration="2 mg"), UnitError, r"^duration: expected a quantity in h"),
        (lambda: infusion("-10 mg", duration="2 h"), InvalidValueError, r"^dose: must be > 0 mg"),
    ],
)  # fmt: skip
def test_iv_rejections(call: object, error: type[Exception], message: str) -> None:
    with pytest.raises(error, match=message):
        call()  # type: ignore[operator]


def test_constructors_return_dosing_records() -> None:
    for recs in (
        every("1 mg", "24 h", n_doses=1),
        taper([("1 mg", "1 day")], interval="24 h"),
        patch("12 mcg/h", n_patches=1),
        iv_bolus("1 mg"),
        infusion("1 mg", duration="1 h"),
    ):
        assert isinstance(recs, DosingRecords)
        assert isinstance(recs.data, pd.DataFrame)
        assert len(recs.doses) == 1
