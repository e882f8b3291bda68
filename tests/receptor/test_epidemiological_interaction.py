"""Epidemiological interaction: seed example, delta method, counts, bootstrap and bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allostasis.errors import InvalidValueError
from allostasis.receptor import (
    InteractionResult,
    attributable_proportion,
    interaction_from_counts,
    interaction_from_ratios,
    multiplicative_interaction,
    reri,
    synergy_index,
)

Z95 = 1.959963984540054
# Cohort with risks 1%, 2%, 3%, 8% (neither, B only, A only, both): the seed's RR 3, 2, 8.
CASES = [[10, 20], [30, 80]]
NONCASES = [[990, 980], [970, 920]]


def test_seed_relative_risks() -> None:
    # Seed 003: opioid RR10 = 3, benzodiazepine RR01 = 2, both RR11 = 8 ("RERI 4, AP 0.50, S 2.33").
    r = interaction_from_ratios(3, 2, 8)
    assert r.reri.estimate == 4.0
    assert r.ap.estimate == 0.5
    assert r.synergy_index.estimate == pytest.approx(7 / 3)
    assert round(r.synergy_index.estimate, 2) == 2.33
    assert r.multiplicative.estimate == pytest.approx(4 / 3)
    assert all(m.intervals == [] for m in r.measures)
    assert "point estimate" in r.reri.interpretation
    assert reri(3, 2, 8) == 4.0
    assert attributable_proportion(3, 2, 8) == 0.5
    assert synergy_index(3, 2, 8) == pytest.approx(7 / 3)
    assert multiplicative_interaction(3, 2, 8) == pytest.approx(4 / 3)


def test_formulas_vectorise() -> None:
    out = reri([3.0, 1.0], 2.0, [8.0, 2.0])
    np.testing.assert_allclose(out, [4.0, 0.0])
    np.testing.assert_allclose(synergy_index([3.0, 2.0], 2.0, [5.0, 3.0]), [4 / 3, 1.0])


@settings(max_examples=100, deadline=None)
@given(r10=st.floats(0.05, 20), r01=st.floats(0.05, 20))
def test_exactly_additive_joint_risk_has_no_additive_interaction(r10: float, r01: float) -> None:
    r11 = r10 + r01 - 1.0
    if r11 <= 0 or abs(r10 + r01 - 2) < 1e-6:
        return
    assert reri(r10, r01, r11) == pytest.approx(0.0, abs=1e-12)
    assert synergy_index(r10, r01, r11) == pytest.approx(1.0, rel=1e-9)
    assert multiplicative_interaction(r10, r01, r10 * r01) == pytest.approx(1.0)


def test_delta_method_matches_monte_carlo_of_the_log_ratios() -> None:
    # Independent check of the Hosmer-Lemeshow gradients: simulate ln RR ~ N(ln RR, SE^2).
    rr = np.array([3.0, 2.0, 8.0])
    se = np.array([0.04, 0.05, 0.03])
    cis = [
        (float(v * np.exp(-Z95 * s)), float(v * np.exp(Z95 * s)))
        for v, s in zip(rr, se, strict=True)
    ]
    r = interaction_from_ratios(*rr, ci10=cis[0], ci01=cis[1], ci11=cis[2])
    rng = np.random.default_rng(7)
    b = rr * np.exp(rng.normal(0.0, se, size=(400_000, 3)))
    sims = {
        "reri": b[:, 2] - b[:, 0] - b[:, 1] + 1,
        "ap": (b[:, 2] - b[:, 0] - b[:, 1] + 1) / b[:, 2],
        "synergy_index": np.log((b[:, 2] - 1) / (b[:, 0] + b[:, 1] - 2)),
        "multiplicative": np.log(b[:, 2] / (b[:, 0] * b[:, 1])),
    }
    for key, draws in sims.items():
        iv = getattr(r, key).intervals[0]
        if key in ("synergy_index", "multiplicative"):
            half = (np.log(iv.high) - np.log(iv.low)) / 2
        else:
            half = (iv.high - iv.low) / 2
        assert half / Z95 == pytest.approx(draws.std(), rel=0.03), key
    assert any("ASSUMPTION" in line and "independent" in line for line in r.basis)


def test_counts_delta_equals_ratios_with_the_shared_reference_covariance() -> None:
    c = np.array(CASES, float)
    n = np.array(NONCASES, float)
    v = 1 / c - 1 / (c + n)  # Var ln risk per cell (cohort)
    cov = np.full((3, 3), v[0, 0]) + np.diag([v[1, 0], v[0, 1], v[1, 1]])
    from_counts = interaction_from_counts(CASES, NONCASES, n_bootstrap=0)
    from_ratios = interaction_from_ratios(3, 2, 8, cov=cov)
    assert (from_counts.rr10, from_counts.rr01, from_counts.rr11) == pytest.approx((3.0, 2.0, 8.0))
    for a, b in zip(from_counts.measures, from_ratios.measures, strict=True):
        assert a.intervals[0].low == pytest.approx(b.intervals[0].low, rel=1e-12)
        assert a.intervals[0].high == pytest.approx(b.intervals[0].high, rel=1e-12)
    # the covariance makes a difference: independence would give another interval
    indep = interaction_from_ratios(3, 2, 8, cov=np.diag(np.diag(cov)))
    assert indep.reri.intervals[0].low != pytest.approx(from_counts.reri.intervals[0].low, rel=1e-3)
    assert any("no independence assumption" in line for line in from_counts.basis)


def test_bootstrap_agrees_with_delta_method_in_a_large_cohort() -> None:
    big_c = (np.array(CASES) * 40).tolist()
    big_n = (np.array(NONCASES) * 40).tolist()
    r = interaction_from_counts(big_c, big_n, n_bootstrap=3000, rng=11)
    for m in r.measures:
        delta, boot = m.intervals
        assert delta.method.startswith("delta method")
        assert boot.method == "percentile bootstrap (3000 replicates)"
        width_d, width_b = delta.high - delta.low, boot.high - boot.low
        assert width_b == pytest.approx(width_d, rel=0.15), m.name
        assert boot.low < m.estimate < boot.high


def test_bootstrap_is_reproducible_with_a_seed() -> None:
    a = interaction_from_counts(CASES, NONCASES, n_bootstrap=500, rng=3)
    b = interaction_from_counts(CASES, NONCASES, n_bootstrap=500, rng=np.random.default_rng(3))
    c = interaction_from_counts(CASES, NONCASES, n_bootstrap=500, rng=4)
    assert a.reri.intervals[1] == b.reri.intervals[1]
    assert a.reri.intervals[1] != c.reri.intervals[1]


def test_case_control_uses_odds_ratios() -> None:
    cases = [[50, 60], [90, 200]]
    controls = [[500, 300], [300, 200]]
    r = interaction_from_counts(cases, controls, design="case-control", n_bootstrap=200, rng=0)
    assert r.ratio_kind == "OR"
    assert r.rr10 == pytest.approx((90 * 500) / (50 * 300))
    assert r.rr01 == pytest.approx((60 * 500) / (50 * 300))
    assert r.rr11 == pytest.approx((200 * 500) / (50 * 200))
    assert any("odds ratios" in line for line in r.basis)


def test_undefined_synergy_index_is_reported_not_raised() -> None:
    r = interaction_from_ratios(1.5, 0.5, 2.0)
    assert r.synergy_index.estimate is None
    assert "undefined because (rr10 - 1) + (rr01 - 1) = 0" in (r.synergy_index.note or "")
    assert any("synergy index: undefined" in w for w in r.warnings)
    assert any("preventive" in w for w in r.warnings)  # RR01 < 1 (Knol et al. 2011)
    assert r.reri.estimate == pytest.approx(1.0)
    with pytest.raises(
        InvalidValueError,
        match=r"synergy index: undefined because \(rr10 - 1\) \+ \(rr01 - 1\) = 0",
    ):
        synergy_index(1.5, 0.5, 2.0)


def test_result_round_trips_through_json() -> None:
    r = interaction_from_ratios(3, 2, 8, ci10=(2, 4.5), ci01=(1.5, 2.67), ci11=(5, 12.8))
    again = InteractionResult.model_validate(json.loads(r.model_dump_json()))
    assert again == r


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (
            {"rr10": 0, "rr01": 2, "rr11": 8},
            r"rr10: a relative risk or odds ratio must be > 0 \(1 = no effect\); got 0",
        ),
        ({"rr10": 3, "rr01": -2, "rr11": 8}, r"rr01: .* must be > 0 .*got -2"),
        ({"rr10": 3, "rr01": 2, "rr11": float("inf")}, r"rr11: .*got inf"),
        (
            {"rr10": 3, "rr01": 2, "rr11": 8, "ci10": (2, 4)},
            r"ci01, ci11: give confidence limits for all three",
        ),
        (
            {"rr10": 3, "rr01": 2, "rr11": 8, "ci10": (4, 5), "ci01": (1, 3), "ci11": (5, 9)},
            r"ci10: the estimate 3 lies outside its confidence interval \(4, 5\)",
        ),
        (
            {"rr10": 3, "rr01": 2, "rr11": 8, "ci10": (0, 5), "ci01": (1, 3), "ci11": (5, 9)},
            r"ci10: confidence limits must satisfy 0 < lower < upper",
        ),
        (
            {
                "rr10": 3,
                "rr01": 2,
                "rr11": 8,
                "ci10": (2, 5),
                "ci01": (1, 3),
                "ci11": (5, 9),
                "cov": np.eye(3),
            },
            r"cov: give either",
        ),
        ({"rr10": 3, "rr01": 2, "rr11": 8, "cov": np.eye(2)}, r"cov: must be a finite 3 x 3"),
        (
            {"rr10": 3, "rr01": 2, "rr11": 8, "cov": -np.eye(3)},
            r"cov: must be symmetric and positive semi-definite",
        ),
        ({"rr10": 3, "rr01": 2, "rr11": 8, "confidence": 95}, r"confidence: must be in \(0, 1\)"),
    ],
)
def test_bad_ratio_input(kwargs: dict, match: str) -> None:
    with pytest.raises(InvalidValueError, match=match):
        interaction_from_ratios(**kwargs)


@pytest.mark.parametrize(
    ("cases", "noncases", "kwargs", "match"),
    [
        ([[10, 20], [-30, 80]], NONCASES, {}, r"cases: counts must be whole numbers >= 0; got -30"),
        (
            CASES,
            [[990, 980.5], [970, 920]],
            {},
            r"noncases: counts must be whole numbers >= 0; got 980.5",
        ),
        ([10, 20, 30, 80], NONCASES, {}, r"cases: expected a 2 x 2 table indexed \[A\]\[B\]"),
        (
            [[0, 20], [30, 80]],
            NONCASES,
            {},
            r"zero count in cases A-B-; the risk ratios are undefined",
        ),
        (
            CASES,
            [[990, 0], [970, 920]],
            {"design": "case-control"},
            r"zero count in controls A-B\+; the odds ratios",
        ),
        (
            CASES,
            NONCASES,
            {"design": "cross-sectional"},
            r"design: must be 'cohort' or 'case-control'",
        ),
        (CASES, NONCASES, {"n_bootstrap": -1}, r"n_bootstrap: must be >= 0; got -1"),
    ],
)
def test_bad_count_input(cases, noncases, kwargs: dict, match: str) -> None:
    with pytest.raises(InvalidValueError, match=match):
        interaction_from_counts(cases, noncases, **kwargs)
