"""Draw the figures of the documentation with the package itself: ``python docs/make_figures.py``.

Every figure is computed by allostasis functions (nothing is drawn from hand-entered numbers except
the published data points, which come from the package's own study files).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from allostasis.clinical import INTERACTIONS, assess_risk
from allostasis.knowledge import load_pet_studies
from allostasis.receptor import (
    DoseEffectCurve,
    DoseOccupancy,
    antagonist_challenge,
    bliss_expected,
    compare_at_equal_anxiolysis,
    gaba_concentration_response,
    gabapentinoid_release_effect,
    isobologram,
    partial_agonism_by_tone,
    pet_observed_occupancy,
    release_fraction,
    shifted_agonist_response,
    steady_state_occupancy,
)
from allostasis.units import Q_

OUT = Path(__file__).parent / "figures"
NOTE = "allostasis - model output for education and decision support"


def _save(fig: plt.Figure, name: str) -> None:
    fig.text(0.01, 0.01, NOTE, fontsize=7, color="0.4")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fig.savefig(OUT / name, dpi=110)
    plt.close(fig)
    print("wrote", OUT / name)


def dose_occupancy() -> None:
    seed = DoseOccupancy().fit(["25 mg", "50 mg"], [0.68, 0.76])
    doses = np.linspace(0, 200, 201)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.plot(
        doses,
        seed.predict(Q_(doses, "mg")),
        label=f"seed model: Emax {seed.emax_:.2f}, D50 {seed.d50_:.1f} mg",
    )
    model = [
        pet_observed_occupancy(
            steady_state_occupancy("sertraline", f"{d} mg").targets["SERT"].mean, "SERT"
        )
        for d in (12.5, 25, 50, 100, 200)
    ]
    ax.plot([12.5, 25, 50, 100, 200], model, "s--", label="PK + Ki model (x PET_EMAX), sertraline")
    pet = [s for s in load_pet_studies() if s.drug == "sertraline"]
    ax.plot(
        [Q_(s.daily_dose).to("mg").magnitude for s in pet],
        [s.mean_occupancy for s in pet],
        "ko",
        label="PET (Meyer 2004)",
    )
    ax.axhline(0.70, color="0.5", ls=":", label="~0.70 therapeutic threshold (seed)")
    ax.axvline(Q_(seed.dose_for(0.70)).to("mg").magnitude, color="crimson", ls=":", lw=1)
    ax.set(
        xlabel="sertraline dose (mg/day)",
        ylabel="SERT occupancy",
        ylim=(0, 1),
        title="Dose-occupancy (hyperbolic Emax model)",
    )
    ax.legend(frameon=False, fontsize=8)
    _save(fig, "dose_occupancy.png")


def snri() -> None:
    fig, axes = plt.subplots(1, 2, figsize=(10, 4), sharey=True)
    for ax, (drug, doses, tau) in zip(
        axes,
        [("venlafaxine", [37.5, 75, 150, 225, 300], 12), ("duloxetine", [30, 60, 90, 120], 24)],
        strict=True,
    ):
        res = [
            steady_state_occupancy(drug, f"{d * tau / 24} mg", f"{tau} h", targets=["SERT", "NET"])
            for d in doses
        ]
        for target in ("SERT", "NET"):
            ax.plot(doses, [r.targets[target].mean for r in res], "o-", label=target)
        ax.set(title=f"{drug} (+ active metabolite)", xlabel="daily dose (mg)")
        ax.grid(alpha=0.3)
        ax.legend(frameon=False)
    axes[0].set_ylabel("steady-state occupancy (unbound plasma, in-vitro Ki)")
    _save(fig, "snri_occupancy.png")


def partial_agonism() -> None:
    res = partial_agonism_by_tone("buspirone", drug_conc="10 nM")
    c = res.curve
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for col in [k for k in c.columns if k.startswith("activation")]:
        ax.plot(c["agonist_conc"], c[col], label=col.replace("_", " "))
    ax.axvline(
        res.crossover.tone_nm,
        color="crimson",
        ls=":",
        label=f"crossover {res.crossover.tone_nm:.2g} nM",
    )
    ax.set(
        xscale="log",
        xlabel="serotonin tone (nM)",
        ylabel="5-HT1A activation",
        title="Buspirone (efficacy 0.4): agonist at low tone, antagonist at high tone",
    )
    ax.legend(frameon=False, fontsize=8)
    _save(fig, "partial_agonism.png")


def gaba_shift() -> None:
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for conc in ("0 nM", "10 nM", "100 nM", "1 uM", "10 uM"):
        r = gaba_concentration_response("diazepam", conc)
        sub = r.curve[r.curve["modulator_conc"] == r.curve["modulator_conc"].max()]
        ax.plot(
            sub["gaba_conc"],
            sub["response"],
            label=f"diazepam {conc} (EC50 {r.ec50_with_um:.3g} uM)",
        )
    ax.set(
        xscale="log",
        xlabel="GABA (uM)",
        ylabel="fraction of channels open",
        title="Allosteric modulation: leftward shift saturating at alpha",
    )
    ax.legend(frameon=False, fontsize=8)
    _save(fig, "gaba_shift.png")


def subunits() -> None:
    df = compare_at_equal_anxiolysis()
    fig, ax = plt.subplots(figsize=(7, 4))
    domains = ["sedation", "amnesia", "anxiolysis", "cognition"]
    x = np.arange(len(domains))
    for i, (_, row) in enumerate(df.iterrows()):
        ax.bar(
            x + 0.38 * i,
            [row[d] for d in domains],
            width=0.38,
            label=row["compound"] + (" (hypothetical)" if row["hypothetical"] else ""),
        )
    ax.set_xticks(
        x + 0.19, ["sedation (a1)", "amnesia (a1)", "anxiolysis (a2/a3)", "cognition (a5)"]
    )
    ax.set(ylabel="modulation", title="Equal anxiolysis, different side-effect profiles")
    ax.legend(frameon=False, fontsize=8)
    _save(fig, "subunits.png")


def schild() -> None:
    a = np.logspace(-2, 4, 200)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for b in ("0 nM", "3 nM", "30 nM", "300 nM"):
        ax.plot(
            a,
            shifted_agonist_response(Q_(a, "nM"), ec50="10 nM", antagonist=b, kb="3 nM"),
            label=f"antagonist {b}",
        )
    ax.set(
        xscale="log",
        xlabel="agonist (nM)",
        ylabel="response",
        title="Competitive antagonism: parallel shift, DR = 1 + [B]/KB",
    )
    ax.legend(frameon=False, fontsize=8)
    _save(fig, "schild.png")


def naloxone() -> None:
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for agonist in ("fentanyl", "buprenorphine"):
        r = antagonist_challenge(agonist, "1 nM", "naloxone", "2 mg", route="iv", duration="6 h")
        ax.plot(r.time, r.of(agonist)[0], label=f"{agonist} occupancy")
    ax.axvline(10, color="0.5", ls=":", label="naloxone 2 mg IV")
    ax.set(
        xlabel="time (min)",
        ylabel="mu-opioid receptor occupancy",
        title="Displacement, re-binding, and buprenorphine's slow dissociation",
    )
    ax.legend(frameon=False, fontsize=8)
    _save(fig, "naloxone_competition.png")


def release() -> None:
    fig, axes = plt.subplots(1, 2, figsize=(10, 4))
    entry = np.linspace(0.5, 1, 101)
    for f in (None, "40 Hz"):
        axes[0].plot(
            entry,
            release_fraction(entry, firing_rate=f),
            label="single spikes" if f is None else f"firing {f}",
        )
    axes[0].plot(entry, entry, "k:", lw=1, label="linear (for contrast)")
    axes[0].set(
        xlabel="calcium entry (fraction of baseline)",
        ylabel="release (fraction of baseline)",
        title="Release ~ entry^3.8 (Dodge & Rahamimoff)",
    )
    axes[0].legend(frameon=False, fontsize=8)
    conc = np.logspace(0, 2.5, 40)
    for f in (None, "40 Hz"):
        red = [
            gabapentinoid_release_effect("pregabalin", f"{c} uM", firing_rate=f).release_reduction[
                0
            ]
            for c in conc
        ]
        axes[1].plot(conc, red, label="single spikes" if f is None else f"firing {f}")
    axes[1].set(
        xscale="log",
        xlabel="pregabalin, unbound (uM)",
        ylabel="release reduction",
        title="Gabapentinoid: larger cut in busy neurons",
    )
    axes[1].legend(frameon=False, fontsize=8)
    _save(fig, "release.png")


def combination() -> None:
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
    e = np.linspace(0, 1, 101)
    ea, eb = np.meshgrid(e, e)
    cs = axes[0].contourf(ea, eb, bliss_expected(ea, eb), levels=11, cmap="viridis")
    fig.colorbar(cs, ax=axes[0], label="expected combined effect")
    axes[0].plot([0.41], [0.65], "ro")
    axes[0].annotate(
        "0.41 + 0.65 -> 0.79",
        (0.41, 0.65),
        textcoords="offset points",
        xytext=(8, 8),
        color="white",
    )
    axes[0].set(xlabel="effect of A alone", ylabel="effect of B alone", title="Bliss independence")
    ca = DoseEffectCurve(ed50="10 mg", hill=1.0, name="A")
    cb = DoseEffectCurve(ed50="2 mg", hill=1.0, name="B")
    iso = isobologram(ca, cb, [0.25, 0.5, 0.75])
    for eff, g in iso.groupby("effect"):
        axes[1].plot(g["dose_a"], g["dose_b"], label=f"additive isobole E = {eff:g}")
    axes[1].plot([2.5], [0.5], "ro", label="tested pair: CI = 0.5 (synergy)")
    axes[1].set(xlabel="dose A (mg)", ylabel="dose B (mg)", title="Loewe additivity (isobologram)")
    axes[1].legend(frameon=False, fontsize=8)
    _save(fig, "combination.png")


def withdrawal_timing() -> None:
    from allostasis.engine._scenario import withdrawal_scenario

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for drug, dose in (("alprazolam", "2 mg/day"), ("diazepam", "40 mg/day")):
        run = withdrawal_scenario(drug, dose, "180 days", follow_up="40 days")
        r = run.result
        t = (r.times_h - run.stop_time_h) / 24.0
        keep = t >= -3
        axes[0].plot(
            t[keep],
            r.variable("balance_index")[0][keep],
            label=f"{drug} {dose}: peak day {run.summary.peak_day:.1f}",
        )
    axes[0].axhline(0.16, color="crimson", ls=":", label="seizure-risk threshold")
    axes[0].set(
        xlabel="days from the last dose",
        ylabel="excitation/inhibition index",
        title="Abrupt stop: timing follows half-life",
    )
    axes[0].legend(frameon=False, fontsize=8)
    for label, kw in (
        ("abrupt stop", {}),
        ("taper 10% every 2 weeks", {"taper": "proportional 10% every 2 weeks"}),
    ):
        run = withdrawal_scenario("alprazolam", "4 mg/day", "1 year", follow_up="30 days", **kw)
        r = run.result
        t = (r.times_h - run.stop_time_h) / 24.0
        keep = t >= -3
        axes[1].plot(
            t[keep],
            r.variable("balance_index")[0][keep],
            label=f"{label}: peak {run.summary.peak_index:.3f}",
        )
    axes[1].axhline(0.16, color="crimson", ls=":")
    axes[1].set(
        xlabel="days from the end of chronic use",
        ylabel="excitation/inhibition index",
        title="Alprazolam 4 mg/day for a year",
    )
    axes[1].legend(frameon=False, fontsize=8)
    _save(fig, "withdrawal_timing.png")


def kcc2() -> None:
    from allostasis.adaptation import gaba_driving_force
    from allostasis.adaptation._chloride import e_gaba_from_kcc2

    k = np.linspace(0.1, 1.0, 91)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.plot(k, e_gaba_from_kcc2(k), label="E_GABA (mV, GHK with bicarbonate)")
    ax2 = ax.twinx()
    ax2.plot(k, gaba_driving_force(k), color="tab:orange", label="relative GABA driving force")
    ax.set(
        xlabel="KCC2 activity (1 = normal)",
        ylabel="E_GABA (mV)",
        title="Impaired KCC2: chloride rises, E_GABA depolarises, inhibition weakens",
    )
    ax2.set_ylabel("driving force (1 = normal)")
    ax.legend(loc="upper left", frameon=False, fontsize=8)
    ax2.legend(loc="lower right", frameon=False, fontsize=8)
    _save(fig, "kcc2.png")


def coprescription_risk() -> None:
    """Forest plot of the published estimates the risk assessment cites, with the issue patient."""
    rows = [
        (spec.title, est)
        for spec in INTERACTIONS.values()
        for est in spec.estimates
        if est.measure != "relative change"
    ]
    patient = assess_risk(["alprazolam 1 mg TID for 6 years", "oxycodone 10 mg BID"], age_years=68)
    chosen = {f.primary_estimate for f in patient.interactions if f.primary_estimate is not None}
    fig, ax = plt.subplots(figsize=(11, 0.42 * len(rows) + 1.6))
    for i, (_title, est) in enumerate(rows):
        y = len(rows) - 1 - i
        colour = "tab:red" if est in chosen else "tab:blue"
        if est.ci_low is not None and est.ci_high is not None:
            ax.plot([est.ci_low, est.ci_high], [y, y], color=colour, lw=2)
        ax.plot(est.value, y, "o", color=colour)
        author, year = est.source.split("-")[:2]
        ax.text(7.4, y, f"{est.value:.2f}  {author.title()} {year}", va="center", fontsize=8)
    ax.set_yticks(range(len(rows)))
    labels = [f"{t}: {e.exposure}" for t, e in reversed(rows)]
    ax.set_yticklabels([lab if len(lab) < 58 else lab[:55] + "..." for lab in labels], fontsize=7.5)
    ax.axvline(1.0, color="0.5", ls="--", lw=1)
    ax.set_xscale("log")
    ax.set_xlim(0.8, 7)
    ticks = [1, 1.5, 2, 3, 4, 6]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.minorticks_off()
    ax.set_xlabel("published ratio (hazard or odds ratio; 95% CI where stored)")
    ax.set_title(
        "Published overdose estimates for sedative co-prescription\n"
        "(red: the estimate shown for the issue patient, alprazolam 1 mg TID + oxycodone 10 mg BID)",
        fontsize=10,
    )
    _save(fig, "coprescription_risk.png")


def monoamine() -> None:
    """Raphe loop under sertraline (start low vs full dose), LC biphasic curve, gabapentinoid circuit."""
    from allostasis.clinical import ssri_course
    from allostasis.physiology import gabapentinoid_circuit, locus_coeruleus_response

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for titrate, style in (("50 mg", "-"), ("25 mg for 1 week, then 50 mg", "--")):
        c = ssri_course("sertraline", titrate, weeks=8).timecourse
        axes[0].plot(c["day"], c["firing"], style, color="tab:blue", label=f"firing ({titrate})")
        axes[0].plot(
            c["day"],
            c["postsynaptic"],
            style,
            color="tab:red",
            label=f"postsynaptic 5-HT ({titrate})",
        )
        axes[1].plot(
            c["day"],
            c["expected_benefit"],
            style,
            color="tab:green",
            label=f"benefit, hypothesis ({titrate})",
        )
        axes[1].plot(
            c["day"],
            c["early_activation"],
            style,
            color="tab:orange",
            label=f"early activation, hypothesis ({titrate})",
        )
    axes[0].axhline(1.0, color="0.6", lw=0.8)
    axes[0].set(xlabel="days", ylabel="relative to baseline", title="Raphe loop: sertraline")
    axes[1].set(xlabel="days", ylabel="fraction", title="Early activation and expected benefit")
    for ax in axes:
        ax.legend(frameon=False, fontsize=7)
    _save(fig, "raphe_sertraline.png")

    u = np.linspace(0, 1, 201)
    r = locus_coeruleus_response(u)
    fig, ax = plt.subplots(figsize=(7, 4.2))
    ax.plot(u, r.postsynaptic_noradrenaline, label="postsynaptic NE")
    ax.plot(u, r.firing, label="LC firing")
    ax.axhline(1.0, color="0.6", lw=0.8)
    for drug, mg, occ in (
        ("venlafaxine", 75, 0.22),
        ("venlafaxine", 225, 0.46),
        ("duloxetine", 60, 0.30),
    ):
        ax.axvline(occ, color="0.8", lw=0.8)
        ax.text(occ, 0.35, f"{drug} {mg}", rotation=90, fontsize=7)
    ax.set(
        xlabel="NET occupancy",
        ylabel="relative to baseline",
        title="Locus coeruleus: biphasic NE (alpha2 loop)",
    )
    ax.legend(frameon=False)
    _save(fig, "lc_biphasic.png")

    conc = np.linspace(0, 40, 41)
    eff = gabapentinoid_circuit("pregabalin", Q_(conc, "uM"))
    fig, ax = plt.subplots(figsize=(7, 4.2))
    for name, st in eff.states.items():
        ax.plot(conc, st.reduction, label=f"{name} ({st.baseline_rate_hz:.0f} Hz at rest)")
    ax.axvspan(7.8, 31.2, color="0.9", label="150-600 mg/day (steady-state mean)")
    ax.set(
        xlabel="pregabalin (uM, unbound)",
        ylabel="reduction of circuit output",
        title="Gabapentinoid: state-dependent damping",
    )
    ax.legend(frameon=False)
    _save(fig, "gabapentinoid_circuit.png")


def respiration() -> None:
    """Breathing: convergence/synergy, naloxone, re-narcotisation, lost tolerance (issue 6)."""
    from allostasis.engine import simulate_breathing

    def tc(meds: list[tuple[str, str, str]], **kw: object) -> tuple[np.ndarray, np.ndarray]:
        r = simulate_breathing(meds, **kw)  # type: ignore[arg-type]
        return r.time_course["time_h"].to_numpy(), r.time_course

    oxy, lor = ("oxycodone", "40 mg", "PO"), ("lorazepam", "4 mg", "PO")
    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
    for meds, label in (
        ([oxy], "oxycodone 40 mg"),
        ([lor], "lorazepam 4 mg"),
        ([oxy, lor], "both"),
    ):
        t, d = tc(meds)
        axes[0].plot(t, d["co2_mmHg"], label=label)
        t, d = tc(meds, paco2_clamp="50 mmHg")
        axes[1].plot(t, d["minute_ventilation_rel"], label=label)
    axes[0].set(xlabel="hours", ylabel="PaCO2 (mmHg)", title="Closed loop: CO2 retention")
    axes[1].set(
        xlabel="hours",
        ylabel="ventilation (x drug-free, PaCO2 50)",
        title="Isohypercapnic: drive (both < Bliss)",
    )
    for ax in axes:
        ax.legend(frameon=False, fontsize=8)
        ax.grid(alpha=0.3)
    _save(fig, "respiration_convergence.png")

    fig, axes = plt.subplots(1, 2, figsize=(10, 4.2))
    for nal, label in ((None, "no naloxone"), ("4 mg IN at 60 min", "naloxone 4 mg IN at 1 h")):
        t, d = tc([oxy, lor], paco2_clamp="50 mmHg", naloxone=nal)
        axes[0].plot(t, d["minute_ventilation_rel"], label=label)
    t, d = tc([lor], paco2_clamp="50 mmHg")
    axes[0].plot(t, d["minute_ventilation_rel"], "--", label="lorazepam alone")
    axes[0].set(
        xlabel="hours",
        ylabel="ventilation (x drug-free, PaCO2 50)",
        title="Naloxone acts on the opioid share only",
    )
    met = ("methadone", "40 mg", "PO")
    for nal, label in (
        (None, "methadone 40 mg"),
        ("0.4 mg IV at 3 h", "+ naloxone 0.4 mg IV at 3 h"),
    ):
        t, d = tc([met], paco2_clamp="50 mmHg", naloxone=nal, duration="12 h")
        axes[1].plot(t, d["minute_ventilation_rel"], label=label)
    axes[1].set(xlabel="hours", title="Re-narcotisation: naloxone wears off first")
    for ax in axes:
        ax.legend(frameon=False, fontsize=8)
        ax.grid(alpha=0.3)
    _save(fig, "respiration_naloxone.png")

    fig, ax = plt.subplots(figsize=(7, 4.2))
    for tol in ("chronic", "lost:7d", "lost:14d", "naive"):
        t, d = tc([("fentanyl", "0.5 mg", "IV")], tolerance=tol, duration="2 h")
        ax.plot(t * 60, d["spo2"], label=tol)
    ax.set(
        xlabel="minutes after fentanyl 0.5 mg IV",
        ylabel="SpO2",
        title="The same dose after tolerance is lost",
    )
    ax.legend(frameon=False, fontsize=8)
    ax.grid(alpha=0.3)
    _save(fig, "respiration_tolerance.png")


def population_trial() -> None:
    """In-silico taper trial: four strategies on the same virtual cohort (examples/cohort.toml)."""
    from allostasis.interfaces.trial_plots import trial_figure_png
    from allostasis.population import load_cohort, run_trial

    spec = load_cohort(Path(__file__).resolve().parents[1] / "examples" / "cohort.toml")
    n = 4096
    res = run_trial(spec, n=n, chunk_size=1024)
    trial_figure_png(
        res.summary,
        res.outcomes,
        OUT / "population_trial.png",
        title=f"{spec.drug} {spec.dose_mg:g} mg every {spec.interval_h:g} h for "
        f"{spec.use_days:g} days: {n:,} virtual patients",
    )


def population_paces() -> None:
    """Paces and subgroups: examples/cohort_fast_taper.toml through four arms, 1,024 patients."""
    from allostasis.interfaces.trial_plots import subgroup_figure_png, trial_figure_png
    from allostasis.population import load_cohort, run_trial

    spec = load_cohort(Path(__file__).resolve().parents[1] / "examples" / "cohort_fast_taper.toml")
    n = 1024
    arms = [
        "direct-proportional",
        "direct-proportional:25%/7d",
        "direct-proportional:50%/7d",
        "symptom-guided:50%/7d",
    ]
    res = run_trial(spec, arms, n=n, chunk_size=1024)
    head = f"{spec.drug} {spec.dose_mg:g} mg every {spec.interval_h:g} h for {spec.use_days:g} days"
    trial_figure_png(
        res.summary,
        res.outcomes,
        OUT / "population_paces.png",
        title=f"{head}: {n:,} virtual patients, four paces",
        log_completion=True,
    )
    subgroup_figure_png(
        res.subgroups,
        OUT / "population_subgroups.png",
        outcome="severe",
        title=f"Who does worse: severe withdrawal by subgroup (n={n:,})",
    )


# --- Neuroadaptation (issue 4): one figure per page of docs/neuroadaptation/ -----------------------
ALPRAZOLAM_2MG = ("0.667 mg", "8 h")  # 2 mg/day, 16% benzodiazepine-site occupancy (Fujita 1999)
SEIZURE_LINE = {"color": "crimson", "ls": ":", "lw": 1.2}


def _days(res: object) -> np.ndarray:
    return np.asarray(res.times_h) / 24.0  # type: ignore[attr-defined]


def neuro_symptoms() -> None:
    """Symptom domains as Hill functions of the balance index; the seizure-risk threshold."""
    import pandas as pd

    from allostasis.interfaces.plots import plot_lines
    from allostasis.physiology import SEIZURE_INDEX_THRESHOLD, symptom_severity

    x = np.linspace(0.0, 0.3, 301)
    sev = symptom_severity(x)
    df = pd.concat(
        [pd.DataFrame({"index": x, "severity": v, "domain": k}) for k, v in sev.items()],
        ignore_index=True,
    )
    plot_lines(
        df,
        OUT / "neuro_symptoms.png",
        x="index",
        y="severity",
        group="domain",
        title=f"Symptom domains from the balance index X (seizure-risk flag at X >= "
        f"{SEIZURE_INDEX_THRESHOLD:g}, the sensory X50)",
        xlabel="balance index X = ln(E/I)",
        ylabel="severity (0-1, modelling assumption)",
    )
    print("wrote", OUT / "neuro_symptoms.png")


def neuro_tolerance() -> None:
    """Alprazolam 2 mg/day for 180 days: balance index, adapting states, sedation and anxiolysis."""
    from allostasis.adaptation import PARAMETERS
    from allostasis.engine import simulate_adaptation
    from allostasis.regimen import every

    reg = {"alprazolam": every(*ALPRAZOLAM_2MG, duration="180 days")}
    r = simulate_adaptation(reg, end="180 days", detail_from="0 days")
    # the same doses with every adaptation gain 0: the non-tolerant effect of each concentration
    off = {p.name: 0.0 for p in PARAMETERS if p.name.startswith("gain_")}
    naive = simulate_adaptation(reg, end="180 days", detail_from="0 days", params=off)
    t = _days(r)
    day = np.floor(t).astype(int)

    def daily(name: str, res: Any = r) -> tuple[np.ndarray, np.ndarray]:
        v = res.variable(name)[0]
        d = np.unique(day)[:-1]
        return d + 0.5, np.array([v[day == k].mean() for k in d])

    fig, axes = plt.subplots(1, 3, figsize=(14, 4.2))
    axes[0].plot(t[1:], r.variable("balance_index")[0][1:], lw=0.4, color="0.6", label="hourly")
    axes[0].plot(*daily("balance_index"), color="tab:blue", label="daily mean")
    axes[0].axhline(0, color="0.3", lw=0.8)
    axes[0].set(
        xlabel="days of alprazolam 2 mg/day",
        ylabel="balance index X",
        title="Net effect decays to a plateau",
    )
    for name in (
        "gabaa_density",
        "site_coupling_alpha1",
        "site_coupling_alpha23",
        "bzd_sensitive_fraction",
        "glutamatergic_gain",
        "kcc2_activity",
    ):
        axes[1].plot(*daily(name), label=name)
    axes[1].axhline(1, color="0.3", lw=0.8)
    axes[1].set(xlabel="days", ylabel="relative to drug-naive", title="Adapting states")
    for name in ("sedation", "anxiolysis"):
        d, eff = daily(name)
        _, eff0 = daily(name, naive)
        axes[2].plot(d, 1.0 - eff / eff0, label=f"{name}: share of the effect lost")
    axes[2].set(
        xlabel="days",
        ylabel="1 - effect / non-tolerant effect",
        title="Sedative tolerance leads anxiolytic",
    )
    for ax in axes:
        ax.set(xscale="log", xlim=(0.4, 180))
        ax.grid(alpha=0.3)
        ax.legend(frameon=False, fontsize=7)
    _save(fig, "neuro_tolerance.png")


def neuro_dependence() -> None:
    """Drug-free index (dependence) over 200 days of alprazolam at five daily doses."""
    from allostasis.engine import simulate_adaptation
    from allostasis.regimen import every

    doses = [0.75, 1.5, 3.0, 12.0, 48.0]  # mg/day; 0.75-48 as in test_adaptation_runner
    reg = every(f"{doses[0] / 3} mg", "8 h", duration="200 days", subject_id=1)
    for i, d in enumerate(doses[1:], start=2):
        reg = reg + every(f"{d / 3} mg", "8 h", duration="200 days", subject_id=i)
    r = simulate_adaptation({"alprazolam": reg}, end="200 days", detail_from="200 days")
    t = _days(r)
    dfree = r.variable("drug_free_index")
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for i, d in enumerate(doses):
        axes[0].plot(t, dfree[i], label=f"{d:g} mg/day")
    axes[0].set(
        xlabel="days of use",
        ylabel="drug-free index (X if the drug were removed now)",
        title="Dependence grows with duration and saturates",
    )
    for day in (7, 28, 60, 200):
        k = int(np.argmin(np.abs(t - day)))
        axes[1].plot(doses, dfree[:, k], "o-", label=f"after {day} days")
    axes[1].set(
        xscale="log",
        xlabel="alprazolam (mg/day)",
        ylabel="drug-free index",
        title="... and with dose, each 4-fold step adding less",
    )
    for ax in axes:
        ax.axhline(0.16, **SEIZURE_LINE, label="seizure-risk threshold")
        ax.grid(alpha=0.3)
        ax.legend(frameon=False, fontsize=8)
    _save(fig, "neuro_dependence.png")


def neuro_abrupt_stop() -> None:
    """Abrupt stop after 180 days: alprazolam 2 mg/day vs diazepam 40 mg/day; symptom domains."""
    from allostasis.engine import simulate_adaptation
    from allostasis.physiology import SYMPTOM_DOMAINS
    from allostasis.regimen import every

    runs = {
        "alprazolam 2 mg/day": every(*ALPRAZOLAM_2MG, duration="180 days"),
        "diazepam 40 mg/day": every("13.3 mg", "8 h", duration="180 days"),
    }
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    for (label, reg), drug in zip(runs.items(), ("alprazolam", "diazepam"), strict=True):
        r = simulate_adaptation({drug: reg}, end="200 days", detail_from="176 days")
        s = r.summary()[0]
        t = _days(r) - 180.0 + 1.0 / 3.0  # days from the last dose (day 179.67)
        keep = t >= -3
        axes[0].plot(
            t[keep],
            r.variable("balance_index")[0][keep],
            label=f"{label}: peak {s.peak_index:.3f} on day {s.peak_day:.1f}",
        )
        if drug == "alprazolam":
            for d in SYMPTOM_DOMAINS:
                axes[1].plot(t[keep], r.variable(d.name)[0][keep], label=d.name)
    axes[0].axhline(0.16, **SEIZURE_LINE, label="seizure-risk threshold")
    axes[0].axvspan(1, 3, color="tab:blue", alpha=0.08, label="clinical peak, short t1/2 (1-3 d)")
    axes[0].axvspan(
        5, 10, color="tab:orange", alpha=0.08, label="clinical peak, long t1/2 (5-10 d)"
    )
    axes[0].set(
        xlabel="days from the last dose",
        ylabel="balance index X",
        title="Abrupt stop after 180 days: timing follows half-life",
    )
    axes[1].set(
        xlabel="days from the last dose",
        ylabel="severity (0-1)",
        title="Symptom domains, alprazolam 2 mg/day",
    )
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.legend(frameon=False, fontsize=7)
    _save(fig, "neuro_abrupt_stop.png")


def _taper_run(
    every_days: int, kind: str = "linear", step: float | str = "0.5 mg", daily_mg: float = 2.0
) -> tuple:
    from allostasis.engine import simulate_adaptation
    from allostasis.regimen import every, reduction_taper

    tp = reduction_taper(
        f"{daily_mg} mg",
        times_per_day=2,
        kind=kind,
        step=step,
        every=f"{every_days} days",
        start="180 days",
    )
    n = len(tp.data)
    r = simulate_adaptation(
        {"alprazolam": every(f"{daily_mg / 3:.4f} mg", "8 h", duration="180 days") + tp},
        end=f"{180 + n * every_days + 20} days",
        detail_from="170 days",
        step="3 h",
    )
    return r, n


def neuro_tapering() -> None:
    """Slow vs fast linear taper; switch to diazepam; per-step change, linear vs proportional."""
    from allostasis.engine import simulate_adaptation
    from allostasis.regimen import every, reduction_taper

    fig, axes = plt.subplots(1, 4, figsize=(20, 4.2))
    linear = {d: _taper_run(d) for d in (7, 28)}
    for d, (r, _) in linear.items():
        t = _days(r) - 180.0
        x = r.variable("balance_index")[0]
        axes[0].plot(t, x, lw=0.8, label=f"0.5 mg/day every {d} days: peak {x[t >= 0].max():.3f}")
    axes[0].set(
        xlim=(-10, 140),
        xlabel="days from the start of the taper",
        ylabel="balance index X",
        title="Alprazolam 2 mg/day: slower taper, lower peak",
    )
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
    for r, label in ((ra, "alprazolam, 4 weekly steps"), (rd, "switched to diazepam 40 mg/day")):
        t = _days(r)
        x = r.variable("balance_index")[0]
        axes[1].plot(t, x, lw=0.8, label=f"{label}: peak {x[t >= 176].max():.3f}")
    axes[1].axvline(173, color="0.5", ls="--", lw=0.8)
    axes[1].axvline(194, color="0.5", ls=":", lw=0.8)
    axes[1].set(
        xlim=(170, 240),
        xlabel="day (diazepam from day 173; taper from day 194)",
        ylabel="balance index X",
        title="Switching to diazepam before the same taper",
    )
    width = 0.38
    for ax, daily in ((axes[2], 2.0), (axes[3], 8.0)):
        for j, (kind, step) in enumerate((("linear", f"{daily / 4:g} mg"), ("proportional", 0.5))):
            if kind == "linear" and daily == 2.0:
                r, n = linear[28]
            else:
                r, n = _taper_run(28, kind, step, daily)
            t = _days(r)
            eff = r.variable("drug_free_index")[0] - r.variable("balance_index")[0]
            ends = [float(eff[np.argmin(np.abs(t - (180 + 28 * (k + 1) - 1)))]) for k in range(n)]
            steps = -np.diff([*ends, 0.0])
            cv = steps.std() / steps.mean()
            peak = r.variable("balance_index")[0][t >= 180].max()
            ax.bar(
                np.arange(n) + j * width,
                steps,
                width=width,
                label=f"{kind} (CV {cv:.2f}, peak {peak:.3f})",
            )
        ax.set(
            xlabel=f"dose reduction (4-week steps from {daily:g} mg/day; last = final stop)",
            ylabel="loss of drug effect at the step",
            title=(
                "2 mg/day (16% occupancy): linear already even"
                if daily == 2.0
                else "8 mg/day (43% occupancy): proportional more even"
            ),
        )
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.legend(frameon=False, fontsize=7)
    _save(fig, "neuro_tapering.png")


def neuro_protracted() -> None:
    """Slow states after the drug is gone (four histories), and a conditioned cue."""
    from allostasis.engine import simulate_adaptation
    from allostasis.regimen import every, reduction_taper

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
    labels = [
        "2 mg/day x 180 d, abrupt",
        "0.5 mg/day x 180 d, abrupt",
        "2 mg/day x 30 d, abrupt",
        "2 mg/day x 180 d, 8-week taper",
    ]
    stop = [180.0, 180.0, 30.0, 236.0]
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    t = _days(r)
    for i, (lab, s) in enumerate(zip(labels, stop, strict=True)):
        keep = t >= s - 5
        axes[0].plot(t[keep] - s, 1 - r.variable("bzd_sensitive_fraction")[i][keep], label=lab)
        axes[1].plot(t[keep] - s, 1 - r.variable("kcc2_activity")[i][keep], label=lab)
    axes[0].set(
        xlabel="days from the last dose",
        ylabel="1 - S",
        title="Benzodiazepine-sensitive deficit (tau 60 d)",
    )
    axes[1].set(xlabel="days from the last dose", ylabel="1 - a", title="KCC2 deficit (tau 90 d)")
    rc = simulate_adaptation(
        {"alprazolam": every(*ALPRAZOLAM_2MG, duration="180 days")},
        end="241 days",
        detail_from="176 days",
        cues=[("240 days", "3 h")],
    )
    tc = _days(rc)
    axes[2].plot(tc - 180 + 1 / 3, rc.variable("balance_index")[0], label="balance index X")
    axes[2].plot(
        tc - 180 + 1 / 3, rc.variable("conditioned_arousal")[0], label="conditioned arousal C"
    )
    axes[2].axvline(240 - 180 + 1 / 3, color="0.5", ls=":", lw=0.8, label="3 h cue, day 60")
    axes[2].set(
        xlim=(-5, 62),
        ylim=(-0.07, 0.15),
        xlabel="days from the last dose (2 mg/day x 180 d, abrupt)",
        title="A cue re-triggers arousal",
    )
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.legend(frameon=False, fontsize=7)
    _save(fig, "neuro_protracted.png")


def neuro_kcc2() -> None:
    """E_GABA and chloride vs KCC2; benzodiazepine dose-response at normal and impaired KCC2."""
    from allostasis.adaptation import (
        INITIAL_STATE,
        adaptation_outputs,
        parameter_array,
        receptor_constants,
    )

    rc, p = receptor_constants(), parameter_array()
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    k = np.linspace(0.05, 1.0, 96)
    st = np.tile(INITIAL_STATE, (k.size, 1))
    st[:, 5] = k
    o = adaptation_outputs(st, parameter_array(k.size), np.zeros((k.size, 5)), rc)
    axes[0].plot(k, o["e_gaba"], label="E_GABA (mV, GHK with bicarbonate)")
    axes[0].set(xlabel="KCC2 activity (1 = normal)", ylabel="E_GABA (mV)")
    ax2 = axes[0].twinx()
    ax2.plot(k, o["intracellular_chloride"], color="tab:orange", label="[Cl-]i (mM)")
    ax2.set_ylabel("intracellular chloride (mM)")
    axes[0].set_title("Less KCC2: more chloride inside, E_GABA toward -50 mV")
    axes[0].legend(loc="upper center", frameon=False, fontsize=8)
    ax2.legend(loc="center right", frameon=False, fontsize=8)
    y = np.logspace(-2, 1.5, 60)
    for a in (1.0, 0.5, 0.1):
        s = INITIAL_STATE.copy()
        s[5] = a
        base = adaptation_outputs(s[None, :], p, np.zeros((1, 5)), rc)
        gain = []
        for yy in y:
            u = np.array([[yy, yy, 0.0, 0.0, 0.0]])
            gain.append(
                float(
                    adaptation_outputs(s[None, :], p, u, rc)["inhibitory_drive"][0]
                    - base["inhibitory_drive"][0]
                )
            )
        axes[1].plot(
            y / (1 + y),
            gain,
            label=f"KCC2 {a:g} (E_GABA {float(base['e_gaba'][0]):.0f} mV)",
        )
    axes[1].axvline(0.16, color="0.5", ls=":", lw=0.8, label="alprazolam 2 mg/day (16%)")
    axes[1].set(
        xlabel="benzodiazepine-site occupancy",
        ylabel="inhibition restored by the drug (I - I without drug)",
        title="Same dose, less inhibition restored",
    )
    axes[1].legend(frameon=False, fontsize=8)
    for ax in axes:
        ax.grid(alpha=0.3)
    _save(fig, "neuro_kcc2.png")


def neuro_flumazenil() -> None:
    """Flumazenil: 2 mg IV bolus dependent vs naive; low-dose infusion (HYPOTHESIS)."""
    from allostasis.engine import simulate_adaptation
    from allostasis.regimen import every, infusion, iv_bolus

    fig, axes = plt.subplots(1, 2, figsize=(11, 4.2))
    dep = simulate_adaptation(
        {
            "alprazolam": every(*ALPRAZOLAM_2MG, duration="120 days"),
            "flumazenil": iv_bolus("2 mg", at="100 days"),
        },
        end="100.5 days",
        detail_from="99 days",
    )
    naive = simulate_adaptation(
        {"flumazenil": iv_bolus("2 mg", at="1 day")}, end="1.5 days", detail_from="0 days"
    )
    for r, t0, label in (
        (dep, 2400.0, "after 100 days of alprazolam 2 mg/day"),
        (naive, 24.0, "drug-naive"),
    ):
        m = (r.times_h - t0) * 60.0
        x = r.variable("balance_index")[0]
        pre, post = (m >= -180) & (m < 0), (m >= 0) & (m <= 180)
        (line,) = axes[0].plot(m[post], x[post], label=label)
        axes[0].plot(m[pre], x[pre], "o", ms=3, color=line.get_color())
    axes[0].axhline(0.16, **SEIZURE_LINE, label="seizure-risk threshold")
    axes[0].set(
        xlabel="minutes from flumazenil 2 mg IV (dots: hourly values before)",
        ylabel="balance index X",
        title="Bolus precipitates withdrawal only in the dependent state",
    )
    kw = {"end": "240 days", "detail_from": "181 days", "step": "6 h"}
    base = every(*ALPRAZOLAM_2MG, duration="180 days")
    r0 = simulate_adaptation({"alprazolam": base}, **kw)
    rf = simulate_adaptation(
        {"alprazolam": base, "flumazenil": infusion("4 mg", duration="96 h", at="210 days")}, **kw
    )
    for r, label in ((r0, "no flumazenil"), (rf, "flumazenil 1 mg/day IV, days 210-214")):
        t = _days(r)
        keep = t >= 181
        axes[1].plot(t[keep], 1 - r.variable("bzd_sensitive_fraction")[0][keep], label=label)
    axes[1].axvspan(210, 214, color="0.9")
    axes[1].set(
        xlabel="day (alprazolam 2 mg/day stopped at day 180)",
        ylabel="1 - S (benzodiazepine-sensitive deficit)",
        title="HYPOTHESIS: low-dose infusion speeds the slow reset",
    )
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.legend(frameon=False, fontsize=8)
    _save(fig, "neuro_flumazenil.png")


def neuro_ketamine() -> None:
    """INVESTIGATIONAL: ketamine infusion in withdrawal; plasticity; dose-dependent dissociation."""
    from allostasis.engine import simulate_adaptation
    from allostasis.regimen import every, infusion

    base = every(*ALPRAZOLAM_2MG, duration="180 days")
    kw = {"end": "192 days", "detail_from": "176 days"}
    r0 = simulate_adaptation({"alprazolam": base}, **kw)
    rk = simulate_adaptation(
        {"alprazolam": base, "ketamine": infusion("240 mg", duration="48 h", at="180.5 days")}, **kw
    )
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.2))
    for r, label in ((r0, "abrupt stop"), (rk, "+ ketamine 5 mg/h IV, days 180.5-182.5")):
        t = _days(r)
        axes[0].plot(t, r.variable("balance_index")[0], label=label)
    axes[0].axvspan(180.5, 182.5, color="0.9")
    axes[0].set(
        xlabel="day (alprazolam 2 mg/day to day 180)",
        ylabel="balance index X",
        title="Blunted peak while present, lower after",
    )
    t = _days(rk)
    for name in ("nmda_block", "plasticity", "excitatory_drive"):
        axes[1].plot(t, rk.variable(name)[0], label=name)
    axes[1].set(xlabel="day", title="NMDA block, then slower BDNF/mTOR plasticity")
    for ax in axes[:2]:
        ax.set_xlim(176, 192)
    doses = ["10 mg", "35 mg", "70 mg"]
    reg = infusion(doses[0], duration="40 min", at="1 day", subject_id=1)
    for i, d in enumerate(doses[1:], start=2):
        reg = reg + infusion(d, duration="40 min", at="1 day", subject_id=i)
    rd = simulate_adaptation({"ketamine": reg}, end="1.5 days", detail_from="0 days")
    m = (rd.times_h - 24.0) * 60.0
    keep = (m >= -20) & (m <= 240)
    for i, d in enumerate(doses):
        axes[2].plot(m[keep], rd.variable("dissociation")[i][keep], label=f"{d} over 40 min IV")
    axes[2].set(
        xlabel="minutes from the start of the infusion",
        ylabel="dissociation (0-1)",
        title="Dissociation rises with dose",
    )
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.legend(frameon=False, fontsize=7)
    fig.suptitle("Ketamine in benzodiazepine withdrawal: INVESTIGATIONAL", fontsize=10)
    _save(fig, "neuro_ketamine.png")


def neuro_hpa() -> None:
    """HPA tone (cortisol) on alprazolam and after an abrupt stop, at two doses."""
    import pandas as pd

    from allostasis.engine import simulate_adaptation
    from allostasis.interfaces.plots import plot_lines
    from allostasis.regimen import every

    frames = []
    for dose, label in (
        ("0.1667 mg", "alprazolam 0.5 mg/day x 180 d, abrupt stop"),
        ("0.667 mg", "alprazolam 2 mg/day x 180 d, abrupt stop"),
    ):
        r = simulate_adaptation(
            {"alprazolam": every(dose, "8 h", duration="180 days")}, end="230 days"
        )
        frames.append(
            pd.DataFrame({"day": _days(r), "hpa": r.variable("hpa_tone")[0], "run": label})
        )
    plot_lines(
        pd.concat(frames, ignore_index=True),
        OUT / "neuro_hpa.png",
        x="day",
        y="hpa",
        group="run",
        title="HPA tone: suppressed on the drug, overshoot after the stop (daily nodes before "
        "day 166, hourly after)",
        xlabel="day",
        ylabel="cortisol relative to drug-naive",
    )
    print("wrote", OUT / "neuro_hpa.png")


NEURO_FIGURES = (
    neuro_symptoms,
    neuro_tolerance,
    neuro_dependence,
    neuro_abrupt_stop,
    neuro_tapering,
    neuro_protracted,
    neuro_kcc2,
    neuro_flumazenil,
    neuro_ketamine,
    neuro_hpa,
)


if __name__ == "__main__":
    import sys

    OUT.mkdir(exist_ok=True)
    ALL = (
        dose_occupancy,
        snri,
        partial_agonism,
        gaba_shift,
        subunits,
        schild,
        naloxone,
        release,
        combination,
        coprescription_risk,
        monoamine,
        respiration,
        population_trial,
        population_paces,
        *NEURO_FIGURES,
    )
    # `python docs/make_figures.py` draws every figure in ALL; `python docs/make_figures.py
    # neuro_hpa kcc2` draws only the named ones ("neuro" selects every neuroadaptation figure).
    # withdrawal_timing and kcc2 (the old single neuroadaptation page's figures, no longer shown
    # by any page) are drawn only when named.
    by_name = {f.__name__: f for f in (*ALL, withdrawal_timing, kcc2)}
    wanted = sys.argv[1:]
    if "neuro" in wanted:
        wanted = [w for w in wanted if w != "neuro"] + [f.__name__ for f in NEURO_FIGURES]
    unknown = [w for w in wanted if w not in by_name]
    if unknown:
        sys.exit(f"unknown figure(s): {', '.join(unknown)}; known: {', '.join(by_name)}")
    for make in [by_name[w] for w in wanted] if wanted else ALL:
        make()
