"""The mechanism explorer's topics: each seed claim beside the model's curve and its sources.

Every topic calls the library (the same functions as the CLI verbs ``withdraw``, ``breathe``,
``ssri``, ``snri`` ...) with fixed, documented inputs, and is cached after its first request, so a page
costs its model run once (each under about 2 s on a laptop core). The claims paraphrase the seed texts
in ``shared/seeds`` (000: benzodiazepine withdrawal; 002: anxiolytic pharmacology; 003: opioid +
benzodiazepine co-prescription). Model outputs are labelled as such, hypotheses as hypotheses.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import numpy as np

from allostasis.interfaces.web._page import figure, figure_json

__all__ = ["TOPICS", "Topic", "TopicView", "topic_view"]

_COLOURS = ("#0b4f8a", "#b35900", "#1e6b34", "#8a1111", "#6a1b9a", "#4a4a4a")


@dataclass(frozen=True)
class TopicView:
    """What a topic page shows: figures (id, JSON, accessible label), findings, labels and basis."""

    figures: list[tuple[str, str, str]]
    findings: list[str]
    basis: list[str]
    labels: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Topic:
    """A mechanism: its seed claim, where the claim comes from, and how to draw the model."""

    slug: str
    title: str
    claim: str
    seed: str
    build: Callable[[], TopicView] | None
    """None for the GABA-A slider, which has its own template."""


def _line(x: Any, y: Any, name: str, i: int, **kw: Any) -> dict[str, Any]:
    return {
        "x": np.round(np.asarray(x, dtype=float), 6).tolist(),
        "y": np.round(np.asarray(y, dtype=float), 6).tolist(),
        "name": name,
        "mode": "lines",
        "line": {"color": _COLOURS[i % len(_COLOURS)], "width": 2},
        **kw,
    }


def _hline(x0: float, x1: float, y: float, name: str) -> dict[str, Any]:
    return {
        "x": [x0, x1],
        "y": [y, y],
        "name": name,
        "mode": "lines",
        "line": {"color": "#8a1111", "dash": "dot"},
    }


def _withdrawal() -> TopicView:
    from allostasis.engine import withdrawal_scenario

    traces: list[dict[str, Any]] = []
    findings: list[str] = []
    basis: list[str] = []
    labels: list[str] = []
    threshold = 0.0
    for i, (drug, dose) in enumerate((("alprazolam", "2 mg/day"), ("diazepam", "40 mg/day"))):
        run = withdrawal_scenario(drug, dose, "60 days", follow_up="21 days")
        s = run.summary
        threshold = s.seizure_threshold
        df = run.result.to_dataframe(["balance_index"])
        day = (df["time"].to_numpy() - run.stop_time_h) / 24.0
        keep = day >= -3
        traces.append(
            _line(
                day[keep],
                df["value"].to_numpy()[keep],
                f"{drug} {dose}: peak day {s.peak_day:.1f}",
                i,
            )
        )
        findings.append(
            f"{drug} {dose} for 60 days, abrupt stop: peak index {s.peak_index:.3f} on day "
            f"{s.peak_day:.1f} after the last dose"
            + (" (crosses the seizure-risk threshold)" if s.seizure_risk else "")
        )
        basis += [f"{drug}: {b}" for b in run.basis]
        labels += [lab for lab in s.labels if lab not in labels]
    traces.append(_hline(-3, 21, threshold, f"seizure-risk threshold {threshold:g} (assumption)"))
    fig = figure(
        traces,
        title="Abrupt stop: the timing of withdrawal follows the half-life (MODEL OUTPUT)",
        xlabel="days from the last dose",
        ylabel="excitation/inhibition index",
    )
    return TopicView(
        [("withdrawal-chart", figure_json(fig), "balance index after an abrupt stop, two drugs")],
        findings,
        basis,
        labels,
    )


def _kcc2() -> TopicView:
    from allostasis.adaptation import gaba_driving_force, ghk_gaba_reversal, intracellular_chloride

    k = np.linspace(0.1, 1.0, 46)
    cl = np.asarray(intracellular_chloride(k), dtype=float)
    e_gaba = [float(ghk_gaba_reversal(f"{c} mM")) for c in cl]
    drive = np.asarray(gaba_driving_force(k), dtype=float)
    fig = figure(
        [
            _line(k, e_gaba, "E_GABA (mV, GHK with bicarbonate)", 0),
            _line(k, drive, "relative GABA driving force", 1, yaxis="y2"),
        ],
        title="Impaired KCC2: chloride rises, E_GABA depolarises, inhibition weakens",
        xlabel="KCC2 activity (1 = normal)",
        ylabel="E_GABA (mV)",
        yaxis2={
            "title": {"text": "driving force (1 = normal)"},
            "overlaying": "y",
            "side": "right",
        },
    )
    return TopicView(
        [("kcc2-chart", figure_json(fig), "E_GABA and GABA driving force against KCC2 activity")],
        [
            f"KCC2 at 100%: [Cl-]i {cl[-1]:.1f} mM, E_GABA {e_gaba[-1]:.1f} mV",
            f"KCC2 at 10%: [Cl-]i {cl[0]:.1f} mM, E_GABA {e_gaba[0]:.1f} mV, driving force "
            f"{drive[0]:.2f} of normal",
        ],
        [
            "[Cl-]i = [Cl-]i,max / (1 + rho a_KCC2) (allostasis.adaptation.intracellular_chloride)",
            "E_GABA from the GHK equation with P_HCO3/P_Cl = 0.2, [Cl-]o 130 mM, [HCO3-]i 15 mM, "
            "[HCO3-]o 25 mM (allostasis.adaptation.ghk_gaba_reversal)",
            "HYPOTHESIS (seed 000): chronic benzodiazepine use impairs KCC2",
        ],
        ["HYPOTHESIS: that chronic benzodiazepine use impairs KCC2 is a hypothesis (seed 000)"],
    )


def _flumazenil() -> TopicView:
    from allostasis.engine import withdrawal_scenario

    traces = []
    findings = []
    basis: list[str] = []
    threshold = 0.0
    for i, (label, events) in enumerate(
        (
            ("abrupt stop", ()),
            ("abrupt stop + flumazenil 2 mg IV at 12 h", ("flumazenil 2 mg IV at 12 h",)),
        )
    ):
        run = withdrawal_scenario(
            "diazepam", "20 mg/day", "60 days", events=events, follow_up="7 days"
        )
        s = run.summary
        threshold = s.seizure_threshold
        df = run.result.to_dataframe(["balance_index"])
        day = (df["time"].to_numpy() - run.stop_time_h) / 24.0
        keep = day >= -1
        traces.append(_line(day[keep], df["value"].to_numpy()[keep], label, i))
        findings.append(
            f"diazepam 20 mg/day for 60 days, {label}: peak index {s.peak_index:.3f} on day {s.peak_day:.2f}"
        )
        basis = list(run.basis)
    traces.append(_hline(-1, 7, threshold, f"seizure-risk threshold {threshold:g} (assumption)"))
    fig = figure(
        traces,
        title="Flumazenil in a dependent state: precipitated withdrawal (MODEL OUTPUT)",
        xlabel="days from the last diazepam dose",
        ylabel="excitation/inhibition index",
    )
    return TopicView(
        [("flumazenil-chart", figure_json(fig), "balance index with and without flumazenil")],
        findings,
        basis,
        ["flumazenil 'reset' infusions are a HYPOTHESIS and are not modelled here"],
    )


def _ssri() -> TopicView:
    from allostasis.clinical import ssri_course

    traces = []
    findings = []
    basis: list[str] = []
    labels: list[str] = []
    for i, titrate in enumerate(("50 mg", "25 mg for 1 week, then 50 mg")):
        c = ssri_course("sertraline", titrate, 8)
        tc = c.timecourse
        traces.append(_line(tc["day"], tc["firing"], f"raphe firing ({titrate})", 2 * i))
        traces.append(
            _line(tc["day"], tc["expected_benefit"], f"benefit, HYPOTHESIS ({titrate})", 2 * i + 1)
        )
        findings.append(
            f"sertraline {titrate}: early firing dip to {c.early_dip:.2f} of baseline (day "
            f"{c.nadir_day:.1f}); benefit half-way "
            + ("not reached" if c.benefit_half_day is None else f"on day {c.benefit_half_day:.1f}")
        )
        basis = list(c.basis)
        labels += [lab for lab in c.labels if lab not in labels]
    fig = figure(
        traces,
        title="SSRI onset: the autoreceptor brake first, benefit over weeks (MODEL OUTPUT)",
        xlabel="days from the first dose",
        ylabel="relative to baseline / fraction",
    )
    return TopicView(
        [("ssri-chart", figure_json(fig), "raphe firing and expected benefit over 8 weeks")],
        findings,
        basis,
        labels,
    )


def _snri() -> TopicView:
    from allostasis.clinical import transporter_engagement

    traces = []
    findings = []
    basis: list[str] = []
    for i, (drug, doses) in enumerate(
        (
            ("venlafaxine", (37.5, 75.0, 150.0, 225.0, 300.0)),
            ("duloxetine", (30.0, 60.0, 90.0, 120.0)),
        )
    ):
        res = [transporter_engagement(drug, f"{d} mg/day") for d in doses]
        traces.append(
            _line(doses, [r.sert_mean for r in res], f"{drug} SERT", 2 * i, mode="lines+markers")
        )
        traces.append(
            _line(
                doses,
                [r.net_mean or 0.0 for r in res],
                f"{drug} NET",
                2 * i + 1,
                mode="lines+markers",
            )
        )
        for d, r in zip(doses, res, strict=True):
            if d in (75.0, 225.0, 60.0):
                findings.append(
                    f"{drug} {d:g} mg/day: SERT {r.sert_mean:.2f}, NET {r.net_mean or 0.0:.2f}"
                    + (" (NET engaged)" if r.net_engaged else "")
                )
        basis = list(res[-1].basis)
    fig = figure(
        traces,
        title="SNRIs: SERT first, NET at higher doses (steady-state occupancy, MODEL OUTPUT)",
        xlabel="daily dose (mg)",
        ylabel="mean occupancy (unbound plasma, in-vitro Ki)",
        yaxis={"range": [0, 1]},
    )
    return TopicView(
        [("snri-chart", figure_json(fig), "SERT and NET occupancy against dose")], findings, basis
    )


def _locus_coeruleus() -> TopicView:
    from allostasis.physiology import locus_coeruleus_response

    u = np.linspace(0.0, 1.0, 101)
    r = locus_coeruleus_response(u)
    peak = int(np.argmax(r.postsynaptic_noradrenaline))
    fig = figure(
        [
            _line(u, r.postsynaptic_noradrenaline, "postsynaptic NE", 0),
            _line(u, r.firing, "LC firing", 1),
        ],
        title="Locus coeruleus: the alpha2 loop makes NET blockade biphasic (MODEL OUTPUT)",
        xlabel="NET occupancy",
        ylabel="relative to baseline",
    )
    return TopicView(
        [
            (
                "lc-chart",
                figure_json(fig),
                "LC firing and postsynaptic noradrenaline against NET occupancy",
            )
        ],
        [
            f"postsynaptic NE peaks at {float(r.postsynaptic_noradrenaline[peak]):.2f} x baseline at "
            f"NET occupancy {u[peak]:.2f}; firing falls to {float(r.firing[-1]):.2f} at full occupancy",
        ],
        list(r.basis),
    )


def _breathing() -> TopicView:
    from allostasis.engine import simulate_breathing

    oxy, lor = ("oxycodone", "40 mg", "PO"), ("lorazepam", "4 mg", "PO")
    traces = []
    findings = []
    basis: list[str] = []
    for i, (label, meds, nlx) in enumerate(
        (
            ("oxycodone 40 mg", [oxy], None),
            ("lorazepam 4 mg", [lor], None),
            ("both", [oxy, lor], None),
            ("both, naloxone 4 mg IN at 2 h", [oxy, lor], "4 mg IN at 2 h"),
        )
    ):
        r = simulate_breathing(meds, naloxone=nlx)
        tc = r.time_course
        traces.append(_line(tc["time_h"], tc["minute_ventilation_rel"], label, i))
        findings.append(
            f"{label}: nadir ventilation {r.nadir_ventilation:.2f} x rest, min SpO2 "
            f"{100 * r.min_spo2:.0f}%" + (" (apnoea)" if r.apnoea else "")
        )
        d = r.to_dict()["basis"]
        basis = [f"{k}: {v}" for k, v in d.items()] if isinstance(d, dict) else list(d)
    fig = figure(
        traces,
        title="Opioid + benzodiazepine: convergent depression of breathing; naloxone reverses the opioid part",
        xlabel="hours after the dose",
        ylabel="minute ventilation (x rest)",
    )
    return TopicView(
        [("breathing-chart", figure_json(fig), "minute ventilation over 8 hours, four scenarios")],
        findings,
        basis,
        ["MODEL OUTPUT for a typical opioid-naive adult, not a measurement"],
    )


def _bliss() -> TopicView:
    from allostasis.receptor import bliss_expected

    e = np.linspace(0.0, 1.0, 41)
    ea, eb = np.meshgrid(e, e)
    z = np.asarray(bliss_expected(ea, eb), dtype=float)
    combined = float(bliss_expected(0.41, 0.65))
    fig = figure(
        [
            {
                "type": "heatmap",
                "x": e.round(4).tolist(),
                "y": e.round(4).tolist(),
                "z": z.round(4).tolist(),
                "colorscale": "Viridis",
                "colorbar": {"title": {"text": "expected combined effect"}},
            },
            {
                "x": [0.41],
                "y": [0.65],
                "mode": "markers+text",
                "text": [f"0.41 + 0.65 -> {combined:.2f}"],
                "textposition": "top right",
                "marker": {"color": "#ffffff", "size": 10, "line": {"color": "#000", "width": 2}},
                "name": "seed example",
            },
        ],
        title="Bliss independence: E_AB = E_A + E_B - E_A E_B",
        xlabel="effect of A alone (opioid)",
        ylabel="effect of B alone (benzodiazepine)",
    )
    return TopicView(
        [
            (
                "bliss-chart",
                figure_json(fig),
                "Bliss expected combined effect over two single-drug effects",
            )
        ],
        [f"0.41 (opioid) and 0.65 (benzodiazepine) combine to {combined:.4f} under independence"],
        [
            "E_AB = E_A + E_B - E_A E_B (Bliss CI (1939). Ann Appl Biol 26:585-615; "
            "allostasis.receptor.bliss_expected)",
            "seed 003's illustrative single-drug effects: 0.41 and 0.65",
        ],
    )


TOPICS: dict[str, Topic] = {
    t.slug: t
    for t in (
        Topic(
            "gaba",
            "GABA-A: allosteric modulation",
            "Benzodiazepines are positive allosteric modulators: they do not open the GABA-A channel "
            "themselves but make GABA more effective, shifting its concentration-response curve to the "
            "left, with a ceiling.",
            "seed 000 (benzodiazepine withdrawal)",
            None,
        ),
        Topic(
            "withdrawal",
            "Withdrawal by drug and half-life",
            "The timing and intensity of withdrawal are governed by the drug's elimination half-life: "
            "short-acting alprazolam leaves quickly and withdrawal starts within a day or two; "
            "long-acting diazepam fades slowly, acting as its own gentle taper.",
            "seed 000",
            _withdrawal,
        ),
        Topic(
            "kcc2",
            "KCC2 and the chloride gradient",
            "Chronic benzodiazepine use may impair KCC2; chloride then builds up inside the cell, "
            "GABA's reversal potential rises and the same GABA-A opening inhibits less.",
            "seed 000 (labelled a hypothesis there)",
            _kcc2,
        ),
        Topic(
            "flumazenil",
            "Flumazenil in dependence",
            "A bolus of flumazenil in a dependent person competitively displaces the benzodiazepine "
            "from every GABA-A receptor at once and unmasks the adapted, excitable state: acute, "
            "precipitated withdrawal.",
            "seed 000",
            _flumazenil,
        ),
        Topic(
            "ssri",
            "SSRI onset and titration",
            "Anxiolysis lags SSRI initiation by weeks: at first 5-HT1A autoreceptors brake raphe "
            "firing; they desensitise over weeks, and plasticity follows (autoreceptor "
            "desensitisation and neuroplasticity hypotheses).",
            "seed 002 (anxiolytic pharmacology)",
            _ssri,
        ),
        Topic(
            "snri",
            "SNRI occupancy by dose",
            "Venlafaxine has much higher affinity for SERT than for NET: at low doses it acts "
            "essentially as an SSRI, and NET is engaged only at higher doses.",
            "seed 002",
            _snri,
        ),
        Topic(
            "lc",
            "Locus coeruleus and alpha2 autoreceptors",
            "The locus coeruleus, the brain's source of noradrenaline, is restrained by high-affinity "
            "alpha2 autoreceptors, so blocking NET raises noradrenaline at the LC and slows its firing.",
            "seed 002",
            _locus_coeruleus,
        ),
        Topic(
            "breathing",
            "Opioid + benzodiazepine breathing, and naloxone",
            "Opioids and benzodiazepines suppress the same respiratory neurons from two sides; "
            "naloxone competes with the opioid at the mu receptor but is powerless against the "
            "benzodiazepine part.",
            "seed 003 (opioid + benzodiazepine co-prescription)",
            _breathing,
        ),
        Topic(
            "bliss",
            "Bliss independence",
            "If the opioid quiets 41% of the system and the benzodiazepine 65% of what remains, the "
            "combined effect is 0.41 + 0.65 x 0.59 = 0.79 under independent action.",
            "seed 003",
            _bliss,
        ),
    )
}
"""The explorer's topics by URL slug, in display order."""


@lru_cache(maxsize=len(TOPICS))
def topic_view(slug: str) -> TopicView:
    """The topic's figures and findings (computed once, then cached)."""
    build = TOPICS[slug].build
    if build is None:
        raise KeyError(slug)
    return build()
