"""Linear and proportional taper schedules: shape, timing, and refusals."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allostasis.errors import InvalidValueError, UnitError
from allostasis.regimen import parse_reduction, reduction_taper


def _daily(recs, n: int) -> np.ndarray:
    return recs.data["AMT"].to_numpy() * n


@settings(max_examples=60, deadline=None)
@given(
    d0=st.floats(0.25, 60.0),
    n=st.integers(1, 4),
    p=st.floats(0.05, 0.5),
    weeks=st.integers(1, 4),
)
def test_proportional_taper_never_increases_and_keeps_its_ratio(
    d0: float, n: int, p: float, weeks: int
) -> None:
    r = reduction_taper(
        f"{d0} mg", times_per_day=n, kind="proportional", step=p, every=f"{weeks} weeks"
    )
    daily = _daily(r, n)
    assert np.all(np.diff(daily) < 0)  # a taper never increases
    np.testing.assert_allclose(daily[1:] / daily[:-1], 1 - p, rtol=1e-12)
    assert daily[-1] >= 0.05 * d0 - 1e-12  # stops before the default floor
    assert np.allclose(np.diff(r.data["TIME"]), weeks * 7 * 24)


@settings(max_examples=60, deadline=None)
@given(d0=st.floats(1.0, 60.0), frac=st.floats(0.05, 0.5), n=st.integers(1, 3))
def test_linear_taper_steps_are_equal_amounts(d0: float, frac: float, n: int) -> None:
    r = reduction_taper(f"{d0} mg", times_per_day=n, kind="linear", step=frac, every="14 days")
    daily = _daily(r, n)
    assert np.all(np.diff(daily) < 0)
    np.testing.assert_allclose(np.diff(daily), -frac * d0, rtol=1e-9)


def test_doses_are_split_over_the_day_and_each_step_lasts_the_interval() -> None:
    r = reduction_taper("3 mg", times_per_day=3, kind="linear", step="1 mg", every="2 weeks")
    d = r.data
    assert d["AMT"].round(6).tolist() == [1.0, pytest.approx(2 / 3), pytest.approx(1 / 3)]
    assert d["II"].unique().tolist() == [8.0]
    assert (d["ADDL"] + 1).tolist() == [42, 42, 42]  # 14 days x 3 doses


@pytest.mark.parametrize(
    ("kwargs", "error", "pattern"),
    [
        (
            {"kind": "proportional", "step": 0.0},
            InvalidValueError,
            r"step: a proportional step is a fraction in \(0, 1\)",
        ),
        ({"kind": "linear", "step": 2.0}, InvalidValueError, r"step: a linear step is an amount"),
        ({"kind": "linear", "step": "1 mg/h"}, UnitError, r"step: expected a quantity in mg"),
        (
            {"kind": "stepwise", "step": 0.1},
            InvalidValueError,
            r"kind: must be 'linear' or 'proportional'",
        ),
        ({"kind": "proportional", "step": 0.001}, InvalidValueError, r"more than 500 steps"),
    ],
)
def test_refusals(kwargs: dict, error: type, pattern: str) -> None:
    with pytest.raises(error, match=pattern):
        reduction_taper(
            "2 mg",
            times_per_day=1,
            every="14 days",
            stop_below="0.0001 mg" if kwargs["step"] == 0.001 else None,
            **kwargs,
        )


def test_parse_reduction_specs() -> None:
    assert parse_reduction("Hyperbolic 25% every 4 weeks") == {
        "kind": "proportional",
        "step": 0.25,
        "every": "4 weeks",
    }
    assert parse_reduction("linear 0.25 mg every 2 weeks")["step"] == "0.25 mg"
    with pytest.raises(UnitError, match="taper interval"):
        parse_reduction("linear 0.25 mg every 2 kg")
