"""Chloride (Nernst, GHK), E/I balance and symptom mappings."""

import numpy as np
import pytest

from allostasis.adaptation._chloride import e_gaba_from_kcc2
from allostasis.errors import InvalidValueError, UnitError
from allostasis.physiology import (
    SEIZURE_INDEX_THRESHOLD,
    balance_index,
    benzodiazepine_shift,
    gaba_driving_force,
    gaba_potentiation,
    ghk_gaba_reversal,
    intracellular_chloride,
    nernst_chloride,
    net_inhibitory_drive,
    seizure_risk,
    symptom_severity,
)
from allostasis.receptor import allosteric_response, gaba_operational_parameters
from allostasis.units import Q_


def test_nernst_closed_form() -> None:
    # RT/F at 37 degC = 26.73 mV; ln(10/130) = -2.565 -> -68.6 mV
    assert float(nernst_chloride("10 mM")) == pytest.approx(-68.56, abs=0.01)


def test_ghk_reduces_to_nernst_without_bicarbonate() -> None:
    e = ghk_gaba_reversal("8 mM", permeability_ratio=0.0)
    assert float(e) == pytest.approx(float(nernst_chloride("8 mM")), abs=1e-9)


def test_bicarbonate_depolarises_e_gaba_relative_to_e_cl() -> None:
    assert float(ghk_gaba_reversal("5 mM")) > float(nernst_chloride("5 mM")) + 5.0


def test_kcc2_calibration_normal_and_impaired() -> None:
    # Kaila et al. 2014 / Doyon et al. 2016: about -75 mV normal, about -50 mV impaired KCC2
    e = e_gaba_from_kcc2(np.array([1.0, 0.1]))
    assert e[0] == pytest.approx(-75.0, abs=1e-9)
    assert -52.0 < e[1] < -48.0
    assert float(intracellular_chloride(0.1)) > 3 * float(intracellular_chloride(1.0))


def test_errors_name_the_field() -> None:
    with pytest.raises(UnitError, match="cl_in"):
        nernst_chloride(5)
    with pytest.raises(InvalidValueError, match="kcc2_activity"):
        gaba_driving_force(-1.0)
    with pytest.raises(InvalidValueError, match="inhibition: must be > 0"):
        balance_index(1.0, 0.0)


def test_potentiation_matches_receptor_layer_operational_model() -> None:
    # Pi(s) must equal the ratio of allosteric_response with and without diazepam at EC20 GABA
    p = gaba_operational_parameters()
    from allostasis.adaptation._balance import ec20_level

    x0 = ec20_level(p["tau"], p["hill"])
    kw = dict(
        agonist_ka=Q_(p["ka_uM"], "uM"),
        agonist_tau=p["tau"],
        modulator_kb="27 nM",
        alpha=2.5,
        hill=p["hill"],
    )
    a = Q_(x0 * p["ka_uM"], "uM")
    with_dz = allosteric_response(a, "54 nM", **kw)
    without = allosteric_response(a, "0 nM", **kw)
    s = benzodiazepine_shift(2.0, alpha=2.5)
    assert float(gaba_potentiation(s)) == pytest.approx(float(with_dz / without), rel=1e-9)
    assert float(without) == pytest.approx(0.2 * p["max_open_fraction"], rel=1e-9)


def test_flumazenil_displaces_and_uncoupling_removes_modulation() -> None:
    assert float(benzodiazepine_shift(2.0, y_flumazenil=100.0)) < 1.03
    assert float(benzodiazepine_shift(2.0, coupling=0.0)) == pytest.approx(1.0)


def test_net_inhibition_baseline_and_balance() -> None:
    assert float(net_inhibitory_drive()) == 1.0
    assert float(balance_index(1.0, 1.0)) == 0.0


def test_symptom_order_and_seizure_flag() -> None:
    s = symptom_severity(0.2)
    assert s["anxiety"] > s["tremor"] > s["sensory"] > 0
    assert not bool(seizure_risk(SEIZURE_INDEX_THRESHOLD - 1e-6))
    assert bool(seizure_risk(SEIZURE_INDEX_THRESHOLD))
