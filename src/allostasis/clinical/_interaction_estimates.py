"""Published risk estimates and mechanisms for sedative co-prescription (opioids, benzodiazepines,
Z-drugs, gabapentinoids, alcohol).

Each interaction pairs two classes with a one-sentence mechanism, the regulatory or guideline
warning that covers it, and the published effect estimates (ratio measures from observational
studies, or the relative change in ventilation from a volunteer study). The estimates are
associations from observational data, adjusted for confounders as each paper states; they are
reported, never multiplied together or applied to a patient as an absolute risk.

Sources are ids in the knowledge base (``sources_risk.toml``, ``sources.toml``, ``sources_mme.toml``,
drug labels); :func:`interaction_for` returns the specification of one pair.

References
----------
1. Park TW et al. (2015). BMJ 350:h2698. doi:10.1136/bmj.h2698
2. Hernandez I et al. (2018). JAMA Netw Open 1(2):e180919. doi:10.1001/jamanetworkopen.2018.0919
3. Gomes T et al. (2017). PLoS Med 14(10):e1002396. doi:10.1371/journal.pmed.1002396
4. Gomes T et al. (2018). Ann Intern Med 169(10):732-734. doi:10.7326/M18-1136
5. Szmulewicz AG et al. (2021). Am J Psychiatry. doi:10.1176/appi.ajp.2020.20071038
6. van der Schrier R et al. (2017). Anesthesiology 126(3):534-542. doi:10.1097/ALN.0000000000001505
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from allostasis.errors import UnknownDrugError

__all__ = [
    "GABAPENTIN_DOSE_BANDS_MG_PER_DAY",
    "INTERACTIONS",
    "InteractionSpec",
    "RiskEstimate",
    "interaction_for",
]

SedativeClass = Literal["opioid", "benzodiazepine", "z-drug", "gabapentinoid", "alcohol"]


class RiskEstimate(BaseModel):
    """One published effect estimate with its outcome, comparison, population and source.

    ``ci_low``/``ci_high`` are the 95% confidence limits where they were checked; ``None`` where
    the source read did not show them (the ``note`` says so).
    """

    model_config = ConfigDict(frozen=True)

    measure: Literal[
        "adjusted hazard ratio",
        "hazard ratio",
        "adjusted odds ratio",
        "odds ratio",
        "relative risk",
        "relative change",
    ]
    value: float
    ci_low: float | None = None
    ci_high: float | None = None
    exposure: str
    """Which exposure the estimate is for (e.g. "current benzodiazepine prescription")."""
    outcome: str
    comparison: str
    population: str
    source: str
    note: str | None = None

    def describe(self) -> str:
        """One line: measure, value, CI, exposure, outcome, comparison and source id."""
        ci = (
            f" (95% CI {self.ci_low:.2f}-{self.ci_high:.2f})"
            if self.ci_low is not None and self.ci_high is not None
            else ""
        )
        value = f"{self.value:+.0%}" if self.measure == "relative change" else f"{self.value:.2f}"
        return (
            f"{self.measure} {value}{ci} for {self.exposure}: {self.outcome}, vs "
            f"{self.comparison}; {self.population} [{self.source}]"
        )


class InteractionSpec(BaseModel):
    """A pair of sedative classes: mechanism, warnings (with sources) and published estimates."""

    model_config = ConfigDict(frozen=True)

    pair: tuple[SedativeClass, SedativeClass]
    title: str
    mechanism: str
    """One sentence: why the two add up (pharmacodynamic and, where known, pharmacokinetic)."""
    warnings: tuple[tuple[str, str], ...]
    """(warning text, source id) pairs: boxed warnings, guideline statements."""
    estimates: tuple[RiskEstimate, ...]
    mechanism_sources: tuple[str, ...] = ()

    @property
    def key(self) -> str:
        """``"opioid+benzodiazepine"`` etc."""
        return "+".join(self.pair)


#: Gomes et al. 2017 gabapentin dose bands (mg/day): low < 900, moderate 900-1799, high >= 1800.
GABAPENTIN_DOSE_BANDS_MG_PER_DAY: tuple[tuple[str, float, float], ...] = (
    ("low", 0.0, 900.0),
    ("moderate", 900.0, 1800.0),
    ("high", 1800.0, float("inf")),
)

_PARK = "park-2015-benzodiazepine-opioid"
_HERNANDEZ = "hernandez-2018-opioid-benzodiazepine"
_GOMES17 = "gomes-2017-gabapentin-opioid"
_GOMES18 = "gomes-2018-pregabalin-opioid"
_SZMUL = "szmulewicz-2021-z-drug-opioid"
_VDS = "van-der-schrier-2017-ethanol-oxycodone"
_FDA16 = "fda-2016-opioid-benzodiazepine-boxed-warning"
_FDA19 = "fda-2019-gabapentinoid-respiratory-warning"
_CDC22 = "cdc-2022-opioid-guideline"
_BRUNNER = "brunner-2025"
_BEERS = "ags-beers-2023"

_GOMES17_NOTE = (
    "transcribed from the paper's abstract; the search tool did not display these digits, so "
    "re-check against the paper before quoting"
)

_OPIOID_BENZO = InteractionSpec(
    pair=("opioid", "benzodiazepine"),
    title="opioid + benzodiazepine",
    mechanism=(
        "Opioids slow the brainstem respiratory rhythm and blunt the ventilatory response to CO2 "
        "through mu-opioid receptors while benzodiazepines potentiate GABA-A inhibition of the same "
        "respiratory and arousal networks, so together they depress breathing and the arousal that "
        "rescues it more than either alone."
    ),
    warnings=(
        (
            "FDA boxed warning (2016): concomitant use of opioids with benzodiazepines may result in "
            "profound sedation, respiratory depression, coma and death; reserve for patients whose "
            "alternatives are inadequate, at the lowest doses and shortest duration",
            _FDA16,
        ),
        (
            "CDC 2022 Recommendation 11: use particular caution when prescribing opioids with "
            "benzodiazepines; it may be safer and more practical to taper the opioid first",
            _CDC22,
        ),
        (
            "2025 benzodiazepine tapering guideline: offer naloxone to every patient co-prescribed a "
            "benzodiazepine and an opioid and reassess the co-prescription at least every 3 months",
            _BRUNNER,
        ),
        ("AGS Beers 2023: avoid opioids with benzodiazepines in adults aged 65 or older", _BEERS),
    ),
    estimates=(
        RiskEstimate(
            measure="adjusted hazard ratio",
            value=3.86,
            ci_low=3.49,
            ci_high=4.26,
            exposure="current benzodiazepine prescription while receiving opioid analgesics",
            outcome="death from drug overdose",
            comparison="no benzodiazepine prescription",
            population="US veterans receiving opioid analgesics, 2004-09 (case-cohort)",
            source=_PARK,
        ),
        RiskEstimate(
            measure="adjusted hazard ratio",
            value=2.33,
            ci_low=2.05,
            ci_high=2.64,
            exposure="former benzodiazepine prescription while receiving opioid analgesics",
            outcome="death from drug overdose",
            comparison="no benzodiazepine prescription",
            population="US veterans receiving opioid analgesics, 2004-09 (case-cohort)",
            source=_PARK,
        ),
        RiskEstimate(
            measure="adjusted hazard ratio",
            value=5.05,
            exposure="days 1-90 of concurrent opioid and benzodiazepine supply",
            outcome="opioid-related overdose (fatal or non-fatal)",
            comparison="opioid supply alone",
            population="US Medicare Part D beneficiaries filling an opioid in 2014",
            source=_HERNANDEZ,
            note="95% CI not stored (not read by this session); risk fell to HR 1.87 on days 91-180",
        ),
        RiskEstimate(
            measure="adjusted hazard ratio",
            value=1.87,
            exposure="days 91-180 of concurrent opioid and benzodiazepine supply",
            outcome="opioid-related overdose (fatal or non-fatal)",
            comparison="opioid supply alone",
            population="US Medicare Part D beneficiaries filling an opioid in 2014",
            source=_HERNANDEZ,
            note="95% CI not stored (not read by this session)",
        ),
    ),
)

_OPIOID_GABAPENTINOID = InteractionSpec(
    pair=("opioid", "gabapentinoid"),
    title="opioid + gabapentinoid",
    mechanism=(
        "Gabapentinoids bind the alpha2-delta-1 subunit of voltage-gated calcium channels and reduce "
        "excitatory transmitter release, adding CNS and respiratory depression to the opioid's, and "
        "opioid slowing of gut transit raises gabapentin absorption (morphine raised gabapentin AUC "
        "by 44% in the Neurontin label's interaction study)."
    ),
    mechanism_sources=("neurontin-label",),
    warnings=(
        (
            "FDA Drug Safety Communication (2019): serious, life-threatening respiratory depression "
            "with gabapentin or pregabalin in patients using opioids or other CNS depressants, with "
            "lung disease, or elderly; start at the lowest dose and monitor",
            _FDA19,
        ),
        (
            "AGS Beers 2023: avoid opioids with gabapentinoids in adults aged 65 or older, except "
            "when moving from opioids to gabapentinoids or using them to reduce the opioid dose",
            _BEERS,
        ),
    ),
    estimates=(
        RiskEstimate(
            measure="adjusted odds ratio",
            value=1.49,
            ci_low=1.18,
            ci_high=1.88,
            exposure="any gabapentin in the 120 days before the index date",
            outcome="opioid-related death",
            comparison="opioid use without gabapentin",
            population="Ontario opioid users, 1997-2013 (nested case-control)",
            source=_GOMES17,
            note="unadjusted OR 1.99 (95% CI 1.61-2.46); " + _GOMES17_NOTE,
        ),
        RiskEstimate(
            measure="adjusted odds ratio",
            value=1.56,
            ci_low=1.04,
            ci_high=2.35,
            exposure="moderate-dose gabapentin (900-1799 mg/day)",
            outcome="opioid-related death",
            comparison="opioid use without gabapentin",
            population="Ontario opioid users, 1997-2013 (nested case-control)",
            source=_GOMES17,
            note=_GOMES17_NOTE,
        ),
        RiskEstimate(
            measure="adjusted odds ratio",
            value=1.58,
            ci_low=1.00,
            ci_high=2.49,
            exposure="high-dose gabapentin (>= 1800 mg/day)",
            outcome="opioid-related death",
            comparison="opioid use without gabapentin",
            population="Ontario opioid users, 1997-2013 (nested case-control)",
            source=_GOMES17,
            note=_GOMES17_NOTE,
        ),
        RiskEstimate(
            measure="adjusted odds ratio",
            value=1.68,
            exposure="any pregabalin in the 120 days before the index date",
            outcome="opioid-related death",
            comparison="opioid use without pregabalin",
            population="Ontario opioid users, 1997-2016 (nested case-control)",
            source=_GOMES18,
            note=(
                "from a summary of the research letter (HealthDay); 95% CI not stored; high-dose "
                "pregabalin aOR 2.51, low or moderate dose aOR 1.52"
            ),
        ),
    ),
)

_OPIOID_Z = InteractionSpec(
    pair=("opioid", "z-drug"),
    title="opioid + Z-drug",
    mechanism=(
        "Z-drugs are positive allosteric modulators at the GABA-A benzodiazepine site (alpha1-"
        "preferring), so they add sedation and respiratory depression to the opioid's mu-receptor "
        "effect as benzodiazepines do."
    ),
    warnings=(
        (
            "FDA boxed warning (2016) covers opioids with benzodiazepines and other CNS depressants, "
            "including sleep drugs",
            _FDA16,
        ),
    ),
    estimates=(
        RiskEstimate(
            measure="adjusted hazard ratio",
            value=2.29,
            ci_low=1.79,
            ci_high=2.91,
            exposure="concomitant Z-drug (zolpidem, zopiclone, zaleplon) with a prescription opioid",
            outcome="overdose (hospital admission or emergency visit within 30 days)",
            comparison="prescription opioid alone (matched)",
            population="US commercially insured and Medicare-supplemental patients aged 15-85, "
            "2004-17 (cohort, propensity-score fine stratification)",
            source=_SZMUL,
            note="unadjusted HR 3.67 (95% CI 2.75-4.90)",
        ),
    ),
)

_BENZO_Z = InteractionSpec(
    pair=("benzodiazepine", "z-drug"),
    title="benzodiazepine + Z-drug",
    mechanism=(
        "Both act at the same GABA-A benzodiazepine site, so the combination is duplicate therapy "
        "whose sedative, amnestic and respiratory effects add."
    ),
    warnings=(
        (
            "Z-drug labels: CNS depressants, including benzodiazepines, have additive effects; "
            "dose adjustment may be needed",
            "ambien-label",
        ),
        (
            "AGS Beers 2023: avoid any combination of 3 or more CNS-active drugs (including "
            "benzodiazepines, Z-drugs, opioids, antiepileptics and antidepressants) in adults aged "
            "65 or older",
            _BEERS,
        ),
    ),
    estimates=(),
)

_BENZO_GABA = InteractionSpec(
    pair=("benzodiazepine", "gabapentinoid"),
    title="benzodiazepine + gabapentinoid",
    mechanism=(
        "The benzodiazepine's GABA-A potentiation and the gabapentinoid's reduction of excitatory "
        "transmitter release add CNS and respiratory depression."
    ),
    warnings=(
        (
            "FDA Drug Safety Communication (2019): respiratory depression with gabapentinoids "
            "used with CNS depressants, including anti-anxiety medicines",
            _FDA19,
        ),
    ),
    estimates=(),
)

_ALCOHOL_MECH = (
    "Ethanol potentiates GABA-A receptors and inhibits NMDA receptors, depressing arousal and "
    "ventilation, so it adds to the sedative and respiratory effects of {other}."
)

_ALCOHOL_OPIOID = InteractionSpec(
    pair=("alcohol", "opioid"),
    title="alcohol + opioid",
    mechanism=_ALCOHOL_MECH.format(other="opioids")
    + " (In volunteers, ethanol at 1 g/L deepened oxycodone's ventilatory depression and increased "
    "apnoeic events, more in older than younger adults.)",
    warnings=(
        (
            "Opioid labels (class boxed warning): concomitant use with benzodiazepines or other CNS "
            "depressants, including alcohol, may cause profound sedation, respiratory depression, "
            "coma and death",
            "oxycontin-label",
        ),
    ),
    estimates=(
        RiskEstimate(
            measure="relative change",
            value=-0.19,
            exposure="intravenous ethanol at 1 g/L with oral oxycodone 20 mg",
            outcome="resting minute ventilation (a further fall on top of oxycodone's -28%)",
            comparison="oxycodone 20 mg alone",
            population="12 young (21-28 y) and 12 older (66-77 y) opioid-naive volunteers",
            source=_VDS,
        ),
    ),
)


def _alcohol_with(cls: SedativeClass, what: str, source: str) -> InteractionSpec:
    return InteractionSpec(
        pair=("alcohol", cls),
        title=f"alcohol + {cls}",
        mechanism=_ALCOHOL_MECH.format(other=what),
        warnings=((f"{what}: labels warn that alcohol adds to CNS depression; avoid", source),),
        estimates=(),
    )


#: Every interaction the risk assessment can flag, by key (``"opioid+benzodiazepine"``, ...).
INTERACTIONS: dict[str, InteractionSpec] = {
    s.key: s
    for s in (
        _OPIOID_BENZO,
        _OPIOID_GABAPENTINOID,
        _OPIOID_Z,
        _BENZO_Z,
        _BENZO_GABA,
        _ALCOHOL_OPIOID,
        _alcohol_with("benzodiazepine", "benzodiazepines", "xanax-label"),
        _alcohol_with("z-drug", "Z-drugs", "ambien-label"),
        _alcohol_with("gabapentinoid", "gabapentinoids", _FDA19),
    )
}


def interaction_for(a: str, b: str) -> InteractionSpec:
    """The interaction between two sedative classes, in either order.

    Examples
    --------
    >>> spec = interaction_for("benzodiazepine", "opioid")
    >>> spec.key, spec.estimates[0].value, spec.estimates[0].source
    ('opioid+benzodiazepine', 3.86, 'park-2015-benzodiazepine-opioid')
    >>> interaction_for("opioid", "ssri")
    Traceback (most recent call last):
    ...
    allostasis.errors.UnknownDrugError: interaction: no stored interaction between opioid and ssri; ...
    """
    for spec in INTERACTIONS.values():
        if {a, b} == set(spec.pair) and a != b:
            return spec
    raise UnknownDrugError(
        f"interaction: no stored interaction between {a} and {b}; stored pairs are "
        f"{', '.join(INTERACTIONS)}"
    )
