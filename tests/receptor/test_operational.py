"""Operational model (Black & Leff 1983), constitutive activity (Slack & Hall 2012), seed claim."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allostasis.errors import InvalidValueError, UnitError, UnknownDrugError
from allostasis.receptor._operational import (
    competitive_operational_response,
    efficacy_from_tau,
    operational_response,
    partial_agonism_by_tone,
    partial_agonist_crossover,
    tau_from_efficacy,
)
from allostasis.units import Q_

taus = st.floats(min_value=0.01, max_value=100.0)
hills = st.floats(min_value=0.5, max_value=3.0)


def test_black_leff_closed_form() -> None:
    # Black & Leff 1983 eq.: E = Em tau^n A^n / ((A + KA)^n + tau^n A^n)
    a, ka, tau, n, em = 30.0, 10.0, 5.0, 1.7, 2.0
    expected = em * tau**n * a**n / ((a + ka) ** n + tau**n * a**n)
    got = float(operational_response(f"{a} nM", ka=f"{ka} nM", tau=tau, emax=em, hill=n))
    assert got == pytest.approx(expected, rel=1e-12)


def test_full_partial_and_neutral_antagonist() -> None:
    sat = "1 M"
    full = float(operational_response(sat, ka="10 nM", tau=1000.0))
    partial = float(operational_response(sat, ka="10 nM", tau=0.5))
    neutral = float(operational_response(sat, ka="10 nM", tau=0.0))
    assert full == pytest.approx(1.0, abs=1e-3)
    assert partial == pytest.approx(0.5 / 1.5, rel=1e-6)
    assert neutral == 0.0


def test_inverse_agonist_lowers_basal_activation() -> None:
    basal = float(operational_response("0 nM", ka="10 nM", tau=0.0, tau_basal=0.5))
    assert basal == pytest.approx(0.5 / 1.5)
    inv = operational_response(Q_([1.0, 10.0, 100.0], "nM"), ka="10 nM", tau=0.1, tau_basal=0.5)
    assert np.all(inv < basal)
    assert np.all(np.diff(inv) < 0)
    # a ligand with tau equal to the constitutive tau is a neutral antagonist: basal unchanged
    neutral = operational_response(Q_([1.0, 1e4], "nM"), ka="10 nM", tau=0.5, tau_basal=0.5)
    assert np.allclose(neutral, basal)


@settings(max_examples=60, deadline=None)
@given(tau=taus, n=hills)
def test_response_monotone_in_agonist_concentration(tau: float, n: float) -> None:
    r = operational_response(Q_(np.logspace(-3, 6, 60), "nM"), ka="10 nM", tau=tau, hill=n)
    assert np.all(np.diff(r) >= 0)
    assert np.all((r >= 0) & (r < 1))


@settings(max_examples=40, deadline=None)
@given(tau=taus, n=hills, b=st.floats(min_value=0.1, max_value=100.0))
def test_neutral_antagonist_gaddum_shift_without_change_of_max(
    tau: float, n: float, b: float
) -> None:
    # Gaddum: dose ratio = 1 + [B]/KB; the maximum is unchanged
    kb = 5.0
    kw = dict(agonist_ka="10 nM", agonist_tau=tau, drug_ka=f"{kb} nM", drug_tau=0.0, hill=n)
    a = 7.0
    r0 = competitive_operational_response(f"{a} nM", "0 nM", **kw)
    r1 = competitive_operational_response(f"{a * (1 + b / kb)} nM", f"{b} nM", **kw)
    assert float(r1) == pytest.approx(float(r0), rel=1e-9)
    m0 = competitive_operational_response("1e9 nM", "0 nM", **kw)
    m1 = competitive_operational_response("1e12 nM", f"{b} nM", **kw)
    assert float(m1) == pytest.approx(float(m0), rel=1e-6)


@settings(max_examples=40, deadline=None)
@given(eps=st.floats(min_value=0.0, max_value=1.0), tref=taus, n=hills)
def test_efficacy_mapping_round_trip(eps: float, tref: float, n: float) -> None:
    tau = tau_from_efficacy(eps, reference_tau=tref, hill=n)
    assert float(efficacy_from_tau(tau, reference_tau=tref, hill=n)) == pytest.approx(eps, abs=1e-9)


def test_efficacy_mapping_anchors() -> None:
    assert float(tau_from_efficacy(1.0, reference_tau=3.0)) == pytest.approx(3.0)
    assert float(tau_from_efficacy(0.0, reference_tau=3.0)) == 0.0
    # with constitutive activity, 0 = neutral (tau = tau_basal), negative = inverse agonist
    assert float(tau_from_efficacy(0.0, reference_tau=3.0, tau_basal=0.5)) == pytest.approx(0.5)
    assert float(tau_from_efficacy(-0.2, reference_tau=3.0, tau_basal=0.5)) < 0.5


def test_efficacy_mapping_rejects_bad_values() -> None:
    with pytest.raises(InvalidValueError, match=r"efficacy: must be <= 1"):
        tau_from_efficacy(1.2, reference_tau=3.0)
    with pytest.raises(InvalidValueError, match=r"needs constitutive activity"):
        tau_from_efficacy(-0.1, reference_tau=3.0)
    with pytest.raises(InvalidValueError, match=r"below zero; the floor"):
        tau_from_efficacy(-5.0, reference_tau=3.0, tau_basal=0.5)
    with pytest.raises(InvalidValueError, match=r"reference_tau: .* must exceed tau_basal"):
        tau_from_efficacy(0.5, reference_tau=0.2, tau_basal=0.5)


def test_bad_inputs_rejected() -> None:
    with pytest.raises(UnitError, match=r"conc: a bare number"):
        operational_response(5.0, ka="10 nM", tau=1.0)
    with pytest.raises(UnitError, match=r"ka: expected a quantity in nM"):
        operational_response("5 nM", ka="10 mg", tau=1.0)
    with pytest.raises(InvalidValueError, match=r"conc: concentrations must be >= 0 nM"):
        operational_response("-5 nM", ka="10 nM", tau=1.0)
    with pytest.raises(InvalidValueError, match=r"tau: must be a finite number >= 0"):
        operational_response("5 nM", ka="10 nM", tau=-1.0)
    with pytest.raises(InvalidValueError, match=r"hill: must be a finite number > 0"):
        operational_response("5 nM", ka="10 nM", tau=1.0, hill=0.0)


# --- seed claim (issue 3 item 7): buspirone (efficacy ~0.4) at 5-HT1A raises net autoreceptor
# activation at low serotonin tone and lowers it at high tone.


def test_buspirone_raises_activation_at_low_tone_and_lowers_at_high_tone() -> None:
    r = partial_agonism_by_tone("buspirone", drug_conc="10 nM", agonist_conc=Q_([0.1, 100.0], "nM"))
    low, high = r.curve.itertuples()
    assert r.efficacy == pytest.approx(0.4)
    assert low.activation_with_drug > low.activation_without_drug
    assert high.activation_with_drug < high.activation_without_drug
    assert [low.effect, high.effect] == ["raises", "lowers"]
    assert any("allostasis-seed" in b or "seed text" in b for b in r.basis)


def test_crossover_closed_form_n1() -> None:
    # n = 1: [A]* = KA tau_B / (tau_A - tau_B) = EC50 eps / (1 - eps): 2/3 of 5-HT's EC50 for eps 0.4
    ka, ta = 10.0, 3.0
    tb = float(tau_from_efficacy(0.4, reference_tau=ta))
    c = partial_agonist_crossover(0.4, agonist_ka=f"{ka} nM", agonist_tau=ta)
    assert c.tone_nm == pytest.approx(ka * tb / (ta - tb), rel=1e-9)
    assert c.tone_over_ec50 == pytest.approx(2.0 / 3.0, rel=1e-9)
    # and it does not depend on the serotonin parameters when expressed in EC50 units
    c2 = partial_agonist_crossover(0.4, agonist_ka="2 nM", agonist_tau=20.0)
    assert c2.tone_over_ec50 == pytest.approx(2.0 / 3.0, rel=1e-9)


def test_crossover_separates_raise_from_lower_at_any_drug_concentration() -> None:
    r = partial_agonism_by_tone("buspirone", drug_conc="3 nM")
    x = r.crossover.tone_nm
    below = r.curve[r.curve.agonist_conc < 0.99 * x]
    above = r.curve[r.curve.agonist_conc > 1.01 * x]
    assert (below.change > 0).all()
    assert (above.change < 0).all()


def test_partial_agonism_errors() -> None:
    with pytest.raises(UnknownDrugError, match=r"target: diazepam has no 5-HT1A entry"):
        partial_agonism_by_tone("diazepam")
    with pytest.raises(InvalidValueError, match=r"drug_conc: concentrations must be >= 0"):
        partial_agonism_by_tone("buspirone", drug_conc="-1 nM")
    with pytest.raises(InvalidValueError, match=r"0 < efficacy < 1"):
        partial_agonist_crossover(0.0)
