"""Time-resolved competition at one site (Mann et al. 2022 Clin Pharmacol Ther, doi:10.1002/cpt.2696)."""

from __future__ import annotations

import numpy as np
import pytest

from allostasis.errors import InvalidValueError, UnknownDrugError
from allostasis.receptor._binding_kinetics import (
    ASSUMED_KON,
    MANN_2022_MOR_KINETICS,
    binding_ligand,
    equilibrium_competition,
    ligand_from_knowledge_base,
    simulate_competition,
    unbound_molar_concentration,
)
from allostasis.units import Q_

T = np.linspace(0.0, 240.0, 481)  # min
NAL_T_HALF = 64.0  # min, naloxone serum half-life (label mean 64 min)


def naloxone_pulse(peak_nM: float = 20.0, start: float = 10.0) -> np.ndarray:
    c = peak_nM * np.exp(-np.log(2) / NAL_T_HALF * (T - start))
    return np.where(start <= T, c, 0.0)


def agonist_conc_for(lig, occ: float) -> float:  # type: ignore[no-untyped-def]
    """Concentration (nM) giving equilibrium occupancy ``occ`` alone: K50 (occ/(1-occ))^(1/n)."""
    return float(lig.k50_nm * (occ / (1 - occ)) ** (1 / lig.slope))


def test_kb_constants_from_mann_2022() -> None:
    fen = ligand_from_knowledge_base("fentanyl", "MOR")
    bup = ligand_from_knowledge_base("buprenorphine", "MOR")
    nal = ligand_from_knowledge_base("naloxone", "MOR")
    # K50 = (koff/kon)^(1/n) from Table S2: 0.351, 0.00805, 0.578 nM; koff 0.26, 0.0082, 2.38 /min
    assert fen.k50_nm == pytest.approx(0.351, rel=2e-3)
    assert bup.k50_nm == pytest.approx(0.00805, rel=2e-3)
    assert nal.k50_nm == pytest.approx(0.578, rel=2e-3)
    assert bup.dissociation_half_life_min == pytest.approx(84.3, abs=0.2)
    for name in ("fentanyl", "buprenorphine", "naloxone"):
        raw = MANN_2022_MOR_KINETICS[name]
        kb = ligand_from_knowledge_base(name, "MOR")
        assert kb.k50_nm == pytest.approx(raw.k50_nm, rel=2e-3)
        assert kb.koff == pytest.approx(raw.koff, rel=1e-3)


def test_naloxone_displaces_fentanyl_then_rebinding() -> None:
    fen = ligand_from_knowledge_base("fentanyl", "MOR")
    nal = ligand_from_knowledge_base("naloxone", "MOR")
    c_fen = np.full(T.size, 1.0)  # long-acting agonist exposure held constant, 1 nM unbound
    res = simulate_competition(
        [fen, nal], Q_(T, "min"), [Q_(c_fen, "nM"), Q_(naloxone_pulse(), "nM")]
    )
    occ = res.of("fentanyl")[0]
    before = occ[T == 0][0]
    trough_i = int(np.argmin(occ))
    assert before == pytest.approx(1.0 / (1.0 + fen.k50_nm / 1.0), rel=1e-6)  # 0.740
    assert occ[trough_i] < 0.2  # displaced: 0.74 -> about 0.11
    assert 10 < T[trough_i] < 40
    # re-binding: naloxone cleared (t1/2 64 min) while fentanyl persists
    assert occ[-1] > occ[trough_i] + 0.2
    assert occ[-1] < before


def test_buprenorphine_resists_displacement() -> None:
    fen = ligand_from_knowledge_base("fentanyl", "MOR")
    bup = ligand_from_knowledge_base("buprenorphine", "MOR")
    mor = ligand_from_knowledge_base("morphine", "MOR", assumed_kon=ASSUMED_KON)
    nal = ligand_from_knowledge_base("naloxone", "MOR")
    c_nal = Q_(naloxone_pulse(), "nM")
    falls = {}
    for lig in (fen, mor, bup):
        c = Q_(np.full(T.size, agonist_conc_for(lig, 0.8)), "nM")
        occ = simulate_competition([lig, nal], Q_(T, "min"), [c, c_nal]).of(lig.name)[0]
        assert occ[0] == pytest.approx(0.8, rel=1e-6)
        falls[lig.name] = occ[0] - occ[T <= 30].min()
    assert falls["buprenorphine"] < 0.5 * falls["fentanyl"]
    assert falls["buprenorphine"] < 0.5 * falls["morphine"]


def test_equilibrium_limit_is_mass_action() -> None:
    a = binding_ligand("A", kon="2 1/nM/min", koff="1 1/min")
    b = binding_ligand("B", kon="0.5 1/nM/min", koff="2 1/min")
    t = Q_(np.linspace(0, 30, 61), "min")
    res = simulate_competition([a, b], t, ["3 nM", "8 nM"], initial="empty")
    qa, qb = 3 / 0.5, 8 / 4  # C/K with K = koff/kon
    expected = [qa / (1 + qa + qb), qb / (1 + qa + qb)]  # 0.6667, 0.2222
    assert res.occupancy[0, :, -1] == pytest.approx(expected, abs=1e-7)
    assert equilibrium_competition([a, b], ["3 nM", "8 nM"]) == pytest.approx(expected)


def test_vectorised_subjects_match_single_runs() -> None:
    fen = MANN_2022_MOR_KINETICS["fentanyl"]
    nal = MANN_2022_MOR_KINETICS["nalmefene"]
    t = Q_(np.linspace(0, 60, 121), "min")
    c = np.array([[0.5] * 121, [2.0] * 121])
    c_nal = Q_(np.where(t.magnitude > 5, 10.0, 0.0), "nM")
    both = simulate_competition([fen, nal], t, [Q_(c, "nM"), c_nal])
    for i in range(2):
        one = simulate_competition([fen, nal], t, [Q_(c[i], "nM"), c_nal])
        assert both.occupancy[i] == pytest.approx(one.occupancy[0], abs=1e-8)
    df = both.to_dataframe()
    assert set(df.columns) == {"subject_id", "time", "ligand", "occupancy"}
    assert len(df) == 2 * 2 * 121


def test_concentration_from_pk_engine() -> None:
    from allostasis.exposure import pk_model, time_grid
    from allostasis.knowledge import load_knowledge_base
    from allostasis.regimen import iv_bolus

    kb = load_knowledge_base()
    pk = pk_model("naloxone", "iv").simulate(iv_bolus("2 mg"), time_grid("4 h", "2 min"))
    c_mg_l = pk.concentration("naloxone")[0]
    c_nal = unbound_molar_concentration(
        Q_(c_mg_l, "mg/L"), molecular_weight=kb["naloxone"].molecular_weight.quantity()
    )
    t = Q_(pk.times, "h")
    fen = ligand_from_knowledge_base("fentanyl", "MOR")
    nal = ligand_from_knowledge_base("naloxone", "MOR")
    res = simulate_competition([fen, nal], t, [Q_(np.full(t.size, 1.0), "nM"), c_nal])
    occ = res.of("fentanyl")[0]
    assert occ.min() < occ[-1] < 0.75


def test_errors() -> None:
    fen = ligand_from_knowledge_base("fentanyl", "MOR")
    t = Q_([0.0, 1.0, 2.0], "min")
    with pytest.raises(InvalidValueError, match="strictly increasing"):
        simulate_competition([fen], Q_([0.0, 0.0, 1.0], "min"), ["1 nM"])
    with pytest.raises(InvalidValueError, match="one concentration per ligand"):
        simulate_competition([fen], t, ["1 nM", "2 nM"])
    with pytest.raises(InvalidValueError, match="must be >= 0 nM"):
        simulate_competition([fen], t, [Q_([1.0, -1.0, 1.0], "nM")])
    with pytest.raises(InvalidValueError, match="expected shape"):
        simulate_competition([fen], t, [Q_([1.0, 1.0], "nM")])
    with pytest.raises(InvalidValueError, match="sum <= 1"):
        simulate_competition([fen], t, ["1 nM"], initial=np.array([1.2]))
    with pytest.raises(InvalidValueError, match="koff: must be > 0"):
        binding_ligand("x", kon="1 1/nM/min", koff="0 1/min")
    with pytest.raises(InvalidValueError, match="no kon/koff; pass assumed_kon"):
        ligand_from_knowledge_base("oxycodone", "MOR")
    # flumazenil at the benzodiazepine site: Ki only, so kon must be assumed explicitly
    flu = ligand_from_knowledge_base("flumazenil", "GABAA-BZD", assumed_kon=ASSUMED_KON)
    assert "MODELLING ASSUMPTION" in flu.basis[0]
    with pytest.raises(InvalidValueError, match="neither kon/koff nor ki"):
        ligand_from_knowledge_base("diazepam", "GABAA-BZD", assumed_kon=ASSUMED_KON)
    with pytest.raises(UnknownDrugError, match="has no entry for 'MOR'"):
        ligand_from_knowledge_base("diazepam", "MOR")
