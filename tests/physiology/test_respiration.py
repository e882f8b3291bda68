"""The preBötC averaged network, gas exchange and the chemoreflex loop (allostasis.physiology)."""

from __future__ import annotations

import numpy as np
import pytest

from allostasis.engine._breathing_kernel import mor_competition
from allostasis.errors import InvalidValueError, UnitError
from allostasis.physiology import (
    NETWORK,
    aa_gradient,
    oxygen_saturation,
    respiratory_network,
    simulate_ventilatory_control,
)
from allostasis.receptor import MANN_2022_MOR_KINETICS, simulate_competition
from allostasis.units import Q_


def _ve(**kw: object) -> float:
    return float(respiratory_network(**kw).minute_drive_rel)  # type: ignore[arg-type]


def test_calibration_fentanyl_c50_halves_isohypercapnic_ventilation() -> None:
    # Algera 2021: C50 0.42 ng/mL -> unbound 0.200 nM -> Mann occupancy 0.383 -> 50% at PaCO2 50
    fen = MANN_2022_MOR_KINETICS["fentanyl"]
    cu = 0.42 * 0.16 / 336.47 * 1e3
    q = fen.kon * cu**fen.slope / fen.koff
    assert q / (1 + q) == pytest.approx(0.383, abs=1e-3)
    ratio = _ve(mor_activation=0.383, paco2="50 mmHg") / _ve(paco2="50 mmHg")
    assert ratio == pytest.approx(0.5, abs=1e-6)


def test_apnoeic_threshold_and_hypercapnic_response() -> None:
    # rhythm stops 4.5 mmHg below rest (Skatrud & Dempsey 1983), VE55/VE40 = 4.5
    assert _ve(paco2="35.5 mmHg") == 0.0
    assert float(respiratory_network(paco2="36 mmHg").burst_rate_rel) > 0.05
    assert _ve(paco2="55 mmHg") / _ve(paco2="40 mmHg") == pytest.approx(4.5, rel=1e-9)


def test_convergence_girk_and_gaba_both_hyperpolarise() -> None:
    v0 = float(respiratory_network().membrane_potential_mv)
    v_op = float(respiratory_network(0.3).membrane_potential_mv)
    v_bz = float(respiratory_network(0.0, 2.0).membrane_potential_mv)
    v_both = float(respiratory_network(0.3, 2.0).membrane_potential_mv)
    assert v_both < min(v_op, v_bz) < max(v_op, v_bz) < v0
    # at the resting PaCO2 the combination silences the rhythm that either alone keeps going
    # (open loop at PaCO2 40: 0.50 and 0.48 alone, 0.12 together; Bliss predicts 0.24)
    alone_op, alone_bz = _ve(mor_activation=0.3), _ve(gaba_factor=2.0)
    both = _ve(mor_activation=0.3, gaba_factor=2.0)
    assert alone_op == pytest.approx(0.50, abs=0.01)
    assert alone_bz == pytest.approx(0.48, abs=0.01)
    assert both < 0.6 * alone_op * alone_bz


def test_impaired_kcc2_weakens_benzodiazepine_inhibition() -> None:
    normal = _ve(gaba_factor=2.0, kcc2_activity=1.0, paco2="50 mmHg")
    impaired = _ve(gaba_factor=2.0, kcc2_activity=0.3, paco2="50 mmHg")
    assert impaired > normal + 0.2


def test_chemoreflex_dampens_depression_in_closed_loop() -> None:
    a = np.full((1, 12 * 240), 0.6)  # 4 h of constant activation
    closed = simulate_ventilatory_control(a)
    ve_closed = closed.channel("minute_ventilation_rel")[0, -1]
    open_loop = _ve(mor_activation=0.6)
    assert open_loop < 0.2  # at fixed PaCO2 40 the drive is almost gone
    assert ve_closed == pytest.approx(0.729, abs=0.01)  # CO2 rises and restores most of it
    assert closed.channel("co2_mmHg")[0, -1] == pytest.approx(47.4, abs=0.3)


def test_apnoea_then_co2_rise_restores_rhythm() -> None:
    a = np.zeros((1, 12 * 20))
    a[:, 12:] = 1.0  # abrupt full activation after 1 min
    tr = simulate_ventilatory_control(a)
    f = tr.channel("burst_rate_rel")[0]
    stopped = (f == 0).sum() * 5.0  # seconds
    assert 120 <= stopped <= 300
    assert f[-1] > 0
    assert tr.channel("spo2")[0].min() < 0.5


def test_gas_exchange_reference_values() -> None:
    assert float(aa_gradient(40)) == pytest.approx(10.9)
    assert float(oxygen_saturation("27 mmHg")) == pytest.approx(0.50, abs=0.01)  # P50
    tr = simulate_ventilatory_control(np.zeros((1, 24)))
    assert tr.channel("co2_mmHg")[0, -1] == pytest.approx(40.0, abs=1e-9)
    assert tr.channel("spo2")[0, -1] == pytest.approx(0.968, abs=0.002)


def test_binding_stepper_matches_reference_solver() -> None:
    fen = MANN_2022_MOR_KINETICS["fentanyl"]
    nal = MANN_2022_MOR_KINETICS["naloxone"]
    dt = 1.0 / 12.0
    t = np.arange(0, 60 + 1e-9, dt)
    c_f = np.full(t.size, 1.0)
    c_n = np.where(t >= 10, 20 * np.exp(-np.log(2) / 64 * (t - 10)), 0.0)
    drive = np.stack([fen.kon * c_f**fen.slope, nal.kon * c_n**nal.slope])[None]
    ours = mor_competition(drive, np.array([fen.koff, nal.koff]), dt)[0]
    ref = simulate_competition(
        [fen, nal], Q_(t, "min"), [Q_(c_f, "nM"), Q_(c_n, "nM")], initial="empty"
    ).occupancy[0]
    assert np.max(np.abs(ours[:, 1:] - ref[:, 1:])) < 0.02


def test_invalid_inputs_are_refused() -> None:
    with pytest.raises(InvalidValueError, match="mor_activation: must be in"):
        respiratory_network(1.2)
    with pytest.raises(UnitError):
        respiratory_network(0.1, paco2=45)
    with pytest.raises(InvalidValueError, match="dt_min"):
        simulate_ventilatory_control(np.zeros((1, 3)), dt_min=5.0)
    assert NETWORK.g_girk > 0
