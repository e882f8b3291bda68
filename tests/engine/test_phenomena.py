"""Clinical phenomena of the calibrated neuroadaptation model, each with its numbers.

Reference scenario: alprazolam 2 mg/day (0.667 mg every 8 h) for 180 days, which occupies 16% of
benzodiazepine sites in vivo (Fujita et al. 1999, Eur J Pharmacol 368:161-172), and its Ashton (2002)
equivalent, diazepam 40 mg/day. Numbers quoted in docstrings are the model's values at the current
calibration (``adaptation._parameters``, section Calibration); the assertions hold margins around them.
Sources for the clinical timing: Busto U et al. (1986) N Engl J Med 315:854-859 (withdrawal earlier
after short-acting benzodiazepines); Petursson H (1994) Addiction 89:1455-1459; Ashton CH (2002).
"""

import numpy as np
import pytest

from allostasis.engine import RECOVERY_INDEX, simulate_adaptation
from allostasis.physiology import SEIZURE_INDEX_THRESHOLD
from allostasis.regimen import every, infusion, iv_bolus, reduction_taper

ALPRAZOLAM_2MG = ("0.667 mg", "8 h")


def _at(res, name, day, subject=0):
    k = int(np.argmin(np.abs(res.times_h / 24.0 - day)))
    return float(res.variable(name)[subject, k])


def _peak(res, from_day, to_day=np.inf, name="balance_index", subject=0):
    t = res.times_h / 24.0
    w = (t >= from_day) & (t <= to_day)
    x = res.variable(name)[subject, w]
    return float(x.max()), float(t[w][np.argmax(x)])


@pytest.fixture(scope="module")
def alprazolam_abrupt():
    return simulate_adaptation(
        {"alprazolam": every(*ALPRAZOLAM_2MG, duration="180 days")},
        end="200 days",
        detail_from="176 days",
    )


@pytest.fixture(scope="module")
def diazepam_abrupt():
    return simulate_adaptation(
        {"diazepam": every("13.3 mg", "8 h", duration="180 days")},
        end="200 days",
        detail_from="176 days",
    )


def test_abrupt_stop_peak_timing_follows_half_life(alprazolam_abrupt, diazepam_abrupt) -> None:
    """Alprazolam peaks 2.3 days after the last dose (clinical 1-3), diazepam 9.4 days (5-10), lower.

    Peak index 0.132 (alprazolam) vs 0.057 (diazepam with nordiazepam, t1/2 44 h and 70 h).
    Busto et al. 1986; Petursson 1994; Ashton 2002.
    """
    a, d = alprazolam_abrupt.summary()[0], diazepam_abrupt.summary()[0]
    assert 1.0 <= a.peak_day <= 3.0
    assert 5.0 <= d.peak_day <= 10.0
    assert d.peak_index < 0.6 * a.peak_index
    assert a.peak_index == pytest.approx(0.132, abs=0.01)
    assert d.peak_index == pytest.approx(0.057, abs=0.01)


def test_tolerance_balance_decays_to_plateau(alprazolam_abrupt) -> None:
    """On-drug balance index: about -0.15 on day 2, -0.03 on days 150-175 (partial tolerance)."""
    r = alprazolam_abrupt
    x2, x150, x175 = (_at(r, "balance_index", d) for d in (2, 150, 175))
    assert x2 < -0.12
    assert -0.05 < x150 < -0.01  # a plateau short of full tolerance
    assert abs(x175 - x150) < 0.005


def test_seizure_threshold_crossed_by_flumazenil_not_by_abrupt_stop(alprazolam_abrupt) -> None:
    """Threshold 0.16 (anchor: 90% of the 0.18 dependence ceiling at 2 mg/day; see _symptoms).

    The abrupt stop of 2 mg/day peaks at 0.132 (below); a 2 mg flumazenil bolus after 100 days
    unmasks the whole dependence at once, 0.173 (above).
    """
    assert pytest.approx(0.16) == SEIZURE_INDEX_THRESHOLD
    assert not alprazolam_abrupt.summary()[0].seizure_risk
    dep = simulate_adaptation(
        {
            "alprazolam": every(*ALPRAZOLAM_2MG, duration="120 days"),
            "flumazenil": iv_bolus("2 mg", at="100 days"),
        },
        end="101 days",
        detail_from="99 days",
    )
    assert _peak(dep, 99.9)[0] == pytest.approx(0.173, abs=0.01)
    assert dep.summary()[0].seizure_risk


def _taper_run(
    every_days: int, kind: str = "linear", step: float | str = "0.5 mg", daily_mg: float = 2.0
):
    tp = reduction_taper(
        f"{daily_mg} mg",
        times_per_day=2,
        kind=kind,
        step=step,
        every=f"{every_days} days",
        start="180 days",
    )
    n_steps = len(tp.data)
    reg = every(f"{daily_mg / 3:.4f} mg", "8 h", duration="180 days") + tp
    return simulate_adaptation(
        {"alprazolam": reg},
        end=f"{180 + n_steps * every_days + 20} days",
        detail_from="170 days",
        step="3 h",
    ), n_steps


def test_slower_taper_gives_lower_peak() -> None:
    """Linear 0.5 mg/day steps from 2 mg/day: every 7 days peak 0.059, every 28 days 0.042."""
    fast, _ = _taper_run(7)
    slow, _ = _taper_run(28)
    p_fast, p_slow = _peak(fast, 180)[0], _peak(slow, 180)[0]
    assert p_fast == pytest.approx(0.059, abs=0.006)
    assert p_slow < 0.8 * p_fast


def _per_step_effect_loss(
    daily_mg: float, kind: str, step: float | str
) -> tuple[np.ndarray, float]:
    """Loss of drug effect (drug-free minus on-drug index) at each 4-weekly reduction, including
    the final stop, and the peak index, for a taper from ``daily_mg`` alprazolam after 180 days."""
    r, n = _taper_run(28, kind, step, daily_mg)
    t = r.times_h / 24.0
    eff = r.variable("drug_free_index")[0] - r.variable("balance_index")[0]
    ends = [float(eff[np.argmin(np.abs(t - (180 + 28 * (k + 1) - 1)))]) for k in range(n)]
    return -np.diff([*ends, 0.0]), _peak(r, 180)[0]


def _cv(x: np.ndarray) -> float:
    return float(x.std() / x.mean())


def test_proportional_taper_gives_more_even_steps_than_linear_where_the_curve_bends() -> None:
    """Horowitz & Taylor 2019 (Lancet Psychiatry 6:538-546): equal dose steps remove ever larger
    amounts of effect as the dose falls; proportional steps approximate equal steps of effect.

    Where the dose-effect curve bends -- alprazolam 8 mg/day (43% site occupancy; the label's
    panic-disorder range) and 24 mg/day (70%; high-dose misuse) -- four linear quarter-dose steps
    remove 0.05 -> 0.16 (8 mg) and 0.04 -> 0.33 (24 mg) of effect, CV 0.45 and 0.84; halving steps
    CV 0.38 and 0.13, with lower withdrawal peaks (0.078 vs 0.13; 0.11 vs 0.25).
    """
    for daily, cv_lin, cv_prop in ((8.0, 0.45, 0.38), (24.0, 0.84, 0.13)):
        lin, peak_lin = _per_step_effect_loss(daily, "linear", f"{daily / 4} mg")
        prop, peak_prop = _per_step_effect_loss(daily, "proportional", 0.5)
        assert lin[-1] > 3.0 * lin[0]  # each equal dose step removes more effect than the last
        assert _cv(lin) == pytest.approx(cv_lin, abs=0.05)
        assert _cv(prop) == pytest.approx(cv_prop, abs=0.05)
        assert _cv(prop) < _cv(lin)
        assert peak_prop < 0.7 * peak_lin


@pytest.mark.xfail(
    strict=True,
    reason="at the usual dose the model's dose-effect curve is nearly linear (alprazolam 2 mg/day "
    "occupies 16% of sites; Fujita 1999), so linear steps are already even: per-step loss of effect, "
    "4-week steps from 2 mg/day, linear 0.5 mg/day 0.033/0.037/0.043/0.050 (CV 0.16), proportional "
    "halving 0.070/0.043/0.024/0.013/0.013 (CV 0.67). Human dose-effect data agree that the curve "
    "is not saturated there (sedation still rose with each single dose up to 8 mg; Wright et al. "
    "1997, J Clin Pharmacol 37:321-329, PMID 9115058); the hyperbolic argument applies from about "
    "8 mg/day (test above)",
)
def test_proportional_taper_gives_more_even_steps_than_linear_at_usual_dose() -> None:
    """Coefficient of variation of the per-step change in drug effect at 2 mg/day."""
    lin, _ = _per_step_effect_loss(2.0, "linear", "0.5 mg")
    prop, _ = _per_step_effect_loss(2.0, "proportional", 0.5)
    assert _cv(prop) < _cv(lin)


def test_switch_to_diazepam_before_taper_lowers_peak() -> None:
    """Same 4-step weekly linear taper: from alprazolam peak 0.059; after a switch to diazepam
    40 mg/day (started 1 week before alprazolam stops, 2 weeks before the taper) peak 0.038."""
    taper_alp = reduction_taper(
        "2 mg", times_per_day=2, kind="linear", step=0.25, every="7 days", start="194 days"
    )
    ra = simulate_adaptation(
        {"alprazolam": every(*ALPRAZOLAM_2MG, duration="194 days") + taper_alp},
        end="240 days",
        detail_from="170 days",
        step="3 h",
    )
    dz = every("20 mg", "12 h", duration="21 days", start="173 days") + reduction_taper(
        "40 mg", times_per_day=2, kind="linear", step=0.25, every="7 days", start="194 days"
    )
    rd = simulate_adaptation(
        {"alprazolam": every(*ALPRAZOLAM_2MG, duration="180 days"), "diazepam": dz},
        end="240 days",
        detail_from="170 days",
        step="3 h",
    )
    p_alp, p_dz = _peak(ra, 176)[0], _peak(rd, 176)[0]
    assert p_alp == pytest.approx(0.059, abs=0.006)
    assert p_dz < 0.75 * p_alp


@pytest.fixture(scope="module")
def protracted():
    """Four subjects: 2 mg/day 180 d abrupt; 0.5 mg/day 180 d abrupt; 2 mg/day 30 d abrupt;
    2 mg/day 180 d then an 8-week linear taper. Returned with each one's last-dose day."""
    regs = [
        every(*ALPRAZOLAM_2MG, duration="180 days", subject_id=1),
        every("0.1667 mg", "8 h", duration="180 days", subject_id=2),
        every(*ALPRAZOLAM_2MG, duration="30 days", subject_id=3),
        every(*ALPRAZOLAM_2MG, duration="180 days", subject_id=4)
        + reduction_taper(
            "2 mg",
            times_per_day=2,
            kind="linear",
            step=0.25,
            every="14 days",
            start="180 days",
            subject_id=4,
        ),
    ]
    reg = regs[0]
    for x in regs[1:]:
        reg = reg + x
    r = simulate_adaptation({"alprazolam": reg}, end="420 days", detail_from="30 days", step="6 h")
    return r, [180.0, 180.0, 30.0, 236.0]


def test_protracted_slow_states_off_baseline_for_months(protracted) -> None:
    """2 mg/day x 180 d, abrupt: 60 days after the last dose the BZD-sensitive fraction is still
    0.981 (tau 60 d) and KCC2 0.978 (tau 90 d); the index is 0.006 at +30 d and positive at +60 d."""
    r, stop = protracted
    s = stop[0]
    assert _at(r, "bzd_sensitive_fraction", s + 60) < 0.985
    assert _at(r, "kcc2_activity", s + 60) < 0.985
    assert _at(r, "balance_index", s + 30) == pytest.approx(0.006, abs=0.002)
    assert _at(r, "balance_index", s + 60) > 0.0


def test_protracted_more_after_high_dose_long_use_fast_taper(protracted) -> None:
    """Deficit of the BZD-sensitive fraction (1 - S) 60 days after the last dose: 2 mg/day x 180 d
    abrupt 0.019 > 0.5 mg/day 0.006; > 2 mg/day x 30 d 0.015; > after an 8-week taper 0.011."""
    r, stop = protracted
    deficit = [1.0 - _at(r, "bzd_sensitive_fraction", s + 60, i) for i, s in enumerate(stop)]
    ref, low_dose, short_use, tapered = deficit
    assert ref == pytest.approx(0.019, abs=0.003)
    assert ref > 2.0 * low_dose
    assert ref > short_use
    assert ref > 1.3 * tapered


def test_conditioned_cue_retriggers_arousal() -> None:
    """60 days after an abrupt stop (conditioned arousal C = 0.086, acquired while the index
    exceeded 0.06), a 3 h cue raises the index from 0.002 by about w_C C = 0.04."""
    r = simulate_adaptation(
        {"alprazolam": every(*ALPRAZOLAM_2MG, duration="180 days")},
        end="241 days",
        detail_from="238 days",
        cues=[("240 days", "3 h")],
    )
    before, during = _at(r, "balance_index", 239.9), _at(r, "balance_index", 240.05)
    assert _at(r, "conditioned_arousal", 239.9) == pytest.approx(0.086, abs=0.01)
    assert during - before > 0.03


@pytest.fixture(scope="module")
def ketamine_runs():
    base = every(*ALPRAZOLAM_2MG, duration="180 days")
    kw = dict(end="192 days", detail_from="176 days")
    r0 = simulate_adaptation({"alprazolam": base}, **kw)
    rk = simulate_adaptation(
        {"alprazolam": base, "ketamine": infusion("240 mg", duration="48 h", at="180.5 days")}, **kw
    )
    return r0, rk


def test_ketamine_blunts_withdrawal_while_present(ketamine_runs) -> None:
    """INVESTIGATIONAL. Ketamine 5 mg/h IV over days 180.5-182.5 (NMDA block 0.26) lowers the
    excitatory drive to 1.01 and the index at day 182 from 0.132 to 0.041."""
    r0, rk = ketamine_runs
    assert any("INVESTIGATIONAL" in s for s in rk.labels)
    assert _at(rk, "nmda_block", 182) == pytest.approx(0.26, abs=0.03)
    assert _at(rk, "excitatory_drive", 182) < _at(r0, "excitatory_drive", 182) - 0.05
    assert _at(rk, "balance_index", 182) < 0.5 * _at(r0, "balance_index", 182)


def test_ketamine_plasticity_effect_lasts_days(ketamine_runs) -> None:
    """INVESTIGATIONAL. Four days after the infusion ended (block 0) plasticity is 0.28 (tau 5 d)
    and the index is 0.013 vs 0.051 without ketamine (faster glutamatergic re-equilibration)."""
    r0, rk = ketamine_runs
    assert _at(rk, "nmda_block", 189) < 1e-3
    assert _at(rk, "plasticity", 189) == pytest.approx(0.28, abs=0.04)
    assert _at(rk, "balance_index", 189) < 0.5 * _at(r0, "balance_index", 189)


def test_ketamine_dissociation_is_dose_dependent() -> None:
    """INVESTIGATIONAL. 40-min infusions of 10/35/70 mg: peak dissociation 0.15/0.55/0.74."""
    doses = ["10 mg", "35 mg", "70 mg"]
    reg = infusion(doses[0], duration="40 min", at="1 day", subject_id=1)
    for i, d in enumerate(doses[1:], start=2):
        reg = reg + infusion(d, duration="40 min", at="1 day", subject_id=i)
    r = simulate_adaptation({"ketamine": reg}, end="3 days", detail_from="0 days")
    diss = r.variable("dissociation").max(axis=1)
    assert np.all(np.diff(diss) > 0.1)
    assert diss[1] == pytest.approx(0.55, abs=0.05)


def test_low_dose_flumazenil_infusion_speeds_slow_receptor_reset() -> None:
    """HYPOTHESIS (flumazenil_reset_gain). 30 days after an abrupt stop of 2 mg/day, flumazenil
    1 mg/day IV for 4 days cuts the BZD-sensitive deficit 1 - S from 0.032 to 0.014 (0.030
    without), with no acute rise of the index (neutral antagonist, drug-free)."""
    kw = dict(end="215 days", detail_from="209 days", step="6 h")
    base = every(*ALPRAZOLAM_2MG, duration="180 days")
    r0 = simulate_adaptation({"alprazolam": base}, **kw)
    rf = simulate_adaptation(
        {"alprazolam": base, "flumazenil": infusion("4 mg", duration="96 h", at="210 days")}, **kw
    )
    assert any("HYPOTHESIS" in s for s in rf.labels)
    d0, df = (1.0 - _at(r, "bzd_sensitive_fraction", 214) for r in (r0, rf))
    assert d0 == pytest.approx(0.030, abs=0.003)
    assert df < 0.6 * d0
    assert _peak(rf, 210, 214)[0] <= _peak(r0, 210, 214)[0] + 1e-3


def test_daily_mean_shortcut_error_is_bounded() -> None:
    """Daily-mean inputs before ``detail_from`` vs the full hourly simulation (alprazolam 2 mg/day
    x 60 days, abrupt stop): peak index 0.13119 vs 0.13111 (0.06%), same peak hour, end states
    within 1e-4 relative (conditioned arousal, which integrates the index above 0.06: 1.7e-3). The fast states differ while on drug (alpha1 coupling by 0.003, HPA tone
    by 0.008 on day 40, from averaging within-day swings) and re-converge in the hourly window."""
    reg = {"alprazolam": every(*ALPRAZOLAM_2MG, duration="60 days")}
    short = simulate_adaptation(reg, end="75 days")  # default: daily means before day 46
    full = simulate_adaptation(reg, end="75 days", detail_from="0 days")
    a, b = short.summary()[0], full.summary()[0]
    assert a.peak_index == pytest.approx(b.peak_index, rel=5e-3)
    assert a.peak_day == pytest.approx(b.peak_day, abs=1.5 / 24)
    rel = np.abs(short.states[0, -1] - full.states[0, -1]) / np.maximum(
        np.abs(full.states[0, -1]), 1e-2
    )
    assert np.delete(rel, 7).max() < 1e-4
    assert rel[7] < 5e-3
    assert pytest.approx(0.02) == RECOVERY_INDEX
