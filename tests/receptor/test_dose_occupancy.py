"""Dose-occupancy Emax model: the seed's sertraline example and a fit to published SPECT data."""

from __future__ import annotations

import numpy as np
import pytest

from allostasis.errors import InvalidValueError, UnitError
from allostasis.knowledge._studies import load_pet_studies
from allostasis.receptor._dose_occupancy import DoseOccupancy


def test_seed_sertraline_two_points() -> None:
    # Seed 002: sertraline 25 mg -> 0.68 and 50 mg -> 0.76 SERT occupancy under O = Emax D/(D50 + D).
    # Solving both: D50 = 4/0.6 = 6.667 mg, Emax = 0.68 (D50 + 25)/25 = 0.8613.
    m = DoseOccupancy().fit(["25 mg", "50 mg"], [0.68, 0.76])
    assert m.emax_ == pytest.approx(0.8613, abs=1e-3)
    assert m.d50_ == pytest.approx(6.667, abs=1e-2)
    assert m.predict("25 mg") == pytest.approx(0.68, abs=1e-6)
    assert m.predict("50 mg") == pytest.approx(0.76, abs=1e-6)
    assert np.isnan(m.emax_se_)  # two points, two parameters: no residual degrees of freedom
    # the dose that crosses 0.70: D = O D50 / (Emax - O) = 28.9 mg
    assert m.dose_for(0.70).to("mg").magnitude == pytest.approx(28.93, abs=0.05)


def test_daily_doses_and_parameters() -> None:
    m = DoseOccupancy(emax=0.8613, d50="6.667 mg/day")
    assert m.predict("25 mg/day") == pytest.approx(0.68, abs=1e-3)
    np.testing.assert_allclose(
        m.predict(np.array([25.0, 50.0]) * m.dose_for(0.5).units), [0.68, 0.76], atol=1e-3
    )
    with pytest.raises(UnitError, match=r"dose: this model uses doses in mg/day"):
        m.predict("25 mg")
    assert m.basis[0].startswith("O(D) = Emax * D / (D50 + D)")


def test_fit_to_published_spect_points_with_ci() -> None:
    # Klein et al. 2006 (Psychopharmacology 188:263, doi:10.1007/s00213-006-0486-0): single doses
    # of escitalopram 5/10/20 mg gave midbrain SERT occupancy 60/64/75% ([123I]ADAM, 6 h).
    pts = [
        s
        for s in load_pet_studies()
        if s.drug == "escitalopram"
        and s.regimen == "single"
        and s.source == "klein-2006-escitalopram-spect"
    ]
    assert [s.daily_dose_mg for s in pts] == [5.0, 10.0, 20.0]
    m = DoseOccupancy().fit([s.daily_dose for s in pts], [s.mean_occupancy for s in pts])
    assert 0.75 < m.emax_ <= 1.0
    assert 0.5 < m.d50_ < 5.0
    lo, hi = m.ci_.emax
    assert lo < m.emax_ < hi
    assert m.emax_se_ > 0
    lo_d, hi_d = m.ci_.d50
    assert lo_d < m.d50_ < hi_d
    boot = m.bootstrap_ci(n_boot=300, seed=1)
    assert boot.emax[0] <= m.emax_ <= boot.emax[1] + 1e-9
    assert "bootstrap" in boot.method
    for s in pts:  # the fitted curve passes within 5 points of each mean
        assert abs(m.predict(s.daily_dose) - s.mean_occupancy) < 0.05


@pytest.mark.parametrize(
    ("call", "exc", "match"),
    [
        (
            lambda: DoseOccupancy().predict("10 mg"),
            InvalidValueError,
            r"give emax and d50, or call fit",
        ),
        (
            lambda: DoseOccupancy(emax=1.2, d50="5 mg").predict("1 mg"),
            InvalidValueError,
            r"emax: must be a fraction",
        ),
        (
            lambda: DoseOccupancy(emax=0.8, d50="5 mg").predict(10),
            UnitError,
            r"dose: a bare number",
        ),
        (
            lambda: DoseOccupancy(emax=0.8, d50="5 mg").predict("-1 mg"),
            InvalidValueError,
            r"dose: must be >= 0",
        ),
        (
            lambda: DoseOccupancy(emax=0.8, d50="5 mg").dose_for(0.8),
            InvalidValueError,
            r"not below Emax 0.8",
        ),
        (
            lambda: DoseOccupancy(emax=0.8, d50="5 mg").dose_for(1.5),
            InvalidValueError,
            r"occupancy: must be a fraction in \[0, 1\)",
        ),
        (
            lambda: DoseOccupancy().fit(["10 mg", "10 mg"], [0.5, 0.5]),
            InvalidValueError,
            r"two distinct doses",
        ),
        (
            lambda: DoseOccupancy().fit(["10 mg", "20 mg/day"], [0.5, 0.6]),
            UnitError,
            r"mix amounts",
        ),
        (
            lambda: DoseOccupancy().fit(["10 mg", "20 mg"], [0.5]),
            InvalidValueError,
            r"one per dose",
        ),
        (
            lambda: DoseOccupancy().fit(["10 mg", "20 mg"], [0.5, 0.6]).bootstrap_ci(),
            InvalidValueError,
            r"at least 3 points",
        ),
    ],
)
def test_bad_input(call: object, exc: type[Exception], match: str) -> None:
    with pytest.raises(exc, match=match):
        call()  # type: ignore[operator]


def test_init_stores_arguments_unchanged() -> None:
    m = DoseOccupancy(emax=0.8, d50="5 mg")
    assert (m.emax, m.d50) == (0.8, "5 mg")
    m.predict("5 mg")
    assert (m.emax, m.d50) == (0.8, "5 mg")
    assert "emax=0.8" in repr(m)
