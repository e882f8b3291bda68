"""Draw the figures of the documentation with the package itself: ``python docs/make_figures.py``.

Every figure is computed by allostasis functions (nothing is drawn from hand-entered numbers except
the published data points, which come from the package's own study files).
"""

from __future__ import annotations

from pathlib import Path

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


if __name__ == "__main__":
    OUT.mkdir(exist_ok=True)
    for make in (
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
    ):
        make()
