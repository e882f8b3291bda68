"""Greco universal response surface: closed forms, cross-check with Loewe, recovery of alpha."""

from __future__ import annotations

import numpy as np
import pytest

from allostasis.errors import InvalidValueError, UnitError
from allostasis.receptor._loewe import DoseEffectCurve, loewe_additive_effect
from allostasis.receptor._response_surface import fit_response_surface, response_surface_effect
from allostasis.units import Q_

TRUE = {"ed50_a": "10 mg", "ed50_b": "2 mg", "hill_a": 1.5, "hill_b": 0.8}
GRID_A, GRID_B = np.meshgrid([0.0, 2.5, 5.0, 10.0, 20.0, 40.0], [0.0, 0.5, 1.0, 2.0, 4.0, 8.0])
DA, DB = Q_(GRID_A.ravel(), "mg"), Q_(GRID_B.ravel(), "mg")


def test_single_agent_is_the_hill_curve() -> None:
    d = np.array([1.0, 10.0, 30.0])
    e = response_surface_effect(Q_(d, "mg"), "0 mg", alpha=3.0, emax=0.8, **TRUE)
    np.testing.assert_allclose(e, 0.8 / (1 + (10.0 / d) ** 1.5), rtol=1e-12)
    assert response_surface_effect("0 mg", "0 mg", **TRUE) == 0.0


def test_alpha_zero_is_loewe_additivity() -> None:
    # Independent implementations: Greco's surface at alpha = 0 and the Loewe isobole solver.
    a = DoseEffectCurve(ed50="10 mg", hill=1.5)
    b = DoseEffectCurve(ed50="2 mg", hill=0.8)
    np.testing.assert_allclose(
        response_surface_effect(DA, DB, alpha=0.0, **TRUE),
        loewe_additive_effect(DA, DB, a, b),
        atol=1e-12,
    )


def test_alpha_closed_form_for_unit_slopes() -> None:
    # h_A = h_B = 1: 1 = (s_A + s_B)/y + alpha s_A s_B / y, so y = s_A + s_B + alpha s_A s_B.
    sa, sb, alpha = 0.5, 0.5, 4.0
    e = response_surface_effect("5 mg", "1 mg", ed50_a="10 mg", ed50_b="2 mg", alpha=alpha)
    y = sa + sb + alpha * sa * sb
    assert e == pytest.approx(y / (1 + y), rel=1e-12)
    assert response_surface_effect("5 mg", "1 mg", ed50_a="10 mg", ed50_b="2 mg", alpha=-0.5) < 0.5


@pytest.mark.parametrize("alpha", [2.0, -0.5])
def test_fit_recovers_alpha_from_noiseless_grid(alpha: float) -> None:
    e = response_surface_effect(DA, DB, alpha=alpha, **TRUE)
    fit = fit_response_surface(DA, DB, e, drug_a="opioid", drug_b="benzodiazepine")
    assert fit.alpha == pytest.approx(alpha, abs=1e-6)
    assert fit.ed50_a == pytest.approx(10.0, rel=1e-6)
    assert fit.ed50_b == pytest.approx(2.0, rel=1e-6)
    assert fit.hill_a == pytest.approx(1.5, rel=1e-6)
    assert fit.hill_b == pytest.approx(0.8, rel=1e-6)
    assert fit.classification == ("synergy" if alpha > 0 else "antagonism")
    assert fit.unit_a == "milligram"
    np.testing.assert_allclose(fit.predict(DA, DB), e, atol=1e-8)


@pytest.mark.parametrize(("alpha", "label"), [(3.0, "synergy"), (0.0, "additivity")])
def test_fit_with_noise_covers_true_alpha(alpha: float, label: str) -> None:
    rng = np.random.default_rng(20240611)
    e = response_surface_effect(DA, DB, alpha=alpha, **TRUE)
    noisy = np.clip(e + rng.normal(0.0, 0.01, e.shape), 0.0, 1.0)
    fit = fit_response_surface(DA, DB, noisy)
    lo, hi = fit.alpha_ci
    assert lo < alpha < hi
    assert fit.classification == label
    assert fit.residual_sd == pytest.approx(0.01, rel=0.5)
    assert fit.n_observations == 36
    assert str(round(fit.alpha, 2))[:3] in fit.interpretation


def test_doses_given_as_strings() -> None:
    da = [f"{v} mg" for v in GRID_A.ravel()]
    db = [f"{v * 1000} ug" for v in GRID_B.ravel()]  # micrograms of B
    e = response_surface_effect(DA, DB, alpha=1.0, **TRUE)
    fit = fit_response_surface(da, db, e)
    assert fit.alpha == pytest.approx(1.0, abs=1e-6)
    assert fit.unit_b == "microgram"
    assert fit.ed50_b == pytest.approx(2000.0, rel=1e-6)


def test_bad_input() -> None:
    e = response_surface_effect(DA, DB, alpha=1.0, **TRUE)
    with pytest.raises(InvalidValueError, match=r"0 single-agent points for A \(need >= 2\)"):
        fit_response_surface(DA[DB.magnitude > 0], DB[DB.magnitude > 0], e[DB.magnitude > 0])
    with pytest.raises(
        InvalidValueError, match=r"must have one value per observation; got lengths 36, 36, 35"
    ):
        fit_response_surface(DA, DB, e[:-1])
    with pytest.raises(InvalidValueError, match=r"effect: must be a fraction in \[0, 1\]; got 1.3"):
        fit_response_surface(DA, DB, np.where(np.arange(36) == 5, 1.3, e))
    with pytest.raises(InvalidValueError, match=r"dose_b: a dose must be >= 0 milligram; got -1"):
        response_surface_effect("1 mg", "-1 mg", **TRUE)
    with pytest.raises(UnitError, match=r"dose_a: bare numbers have no unit"):
        fit_response_surface(GRID_A.ravel(), DB, e)
    with pytest.raises(UnitError, match=r"dose_b: a bare number \(1.0\) has no unit"):
        fit_response_surface(DA, [1.0] * 36, e)
    with pytest.raises(InvalidValueError, match=r"hill_a: must be > 0; got -1"):
        response_surface_effect("1 mg", "1 mg", ed50_a="1 mg", ed50_b="1 mg", hill_a=-1.0)
    with pytest.raises(InvalidValueError, match=r"confidence: must be in \(0, 1\); got 95"):
        fit_response_surface(DA, DB, e, confidence=95)
