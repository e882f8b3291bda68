"""Naloxone recommendation: every guideline rule that fires, with the finding that fired it.

Rules (each fires on its own; the recommendation lists all that fired):

CDC 2022, Recommendation 8 (Dowell et al., MMWR Recomm Rep 2022;71(3)): offer naloxone when the
risk of opioid overdose is increased -

- ``cdc-2022/history-of-overdose``: a prior overdose;
- ``cdc-2022/substance-use-disorder``: a substance use disorder;
- ``cdc-2022/sleep-disordered-breathing``: sleep apnoea, with an opioid prescribed;
- ``cdc-2022/dose-50-mme``: total opioid dose >= 50 MME/day;
- ``cdc-2022/concurrent-benzodiazepine``: a benzodiazepine with an opioid;
- ``cdc-2022/lost-tolerance``: a recent period without opioids (completed taper, release from
  prison, hospital stay), after which a former dose can be fatal.

2025 joint guideline on benzodiazepine tapering (Brunner et al., J Gen Intern Med 2025,
doi:10.1007/s11606-025-09499-2) -

- ``brunner-2025/benzodiazepine-with-opioid``: offer naloxone to every patient co-prescribed a
  benzodiazepine and an opioid.

Risk modifiers (listed, but not triggers on their own): age >= 65 years (CDC 2022; AGS Beers 2023;
FDA 2019 for gabapentinoids), renal or hepatic impairment (CDC 2022: reduced clearance and a higher
risk of accumulation), a gabapentinoid or Z-drug with an opioid, and alcohol with an opioid. With an
opioid and at least one modifier but no trigger, the level is ``"consider"`` - a modelling choice of
this package, not a guideline rule, and labelled as such.

Sleep apnoea, the dose rule and the benzodiazepine rules describe risk *from the prescribed opioid*,
so they need an opioid in the list; a prior overdose, a substance use disorder and lost tolerance
fire without one (the risk then comes from opioids the patient may use or resume). CDC 2022 gives no
minimum length of abstinence; any reported period fires the lost-tolerance rule.

Buprenorphine/naloxone products (Suboxone, Zubsolv) are not rescue naloxone: the naloxone in them
is poorly absorbed sublingually and is there to deter injection. The recommendation says so whenever
such a product is listed and no rescue naloxone is.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from allostasis.errors import InvalidValueError
from allostasis.knowledge import KnowledgeBase, load_knowledge_base

__all__ = [
    "BUPRENORPHINE_NALOXONE_NOT_RESCUE",
    "NALOXONE_MME_THRESHOLD",
    "OLDER_ADULT_AGE_YEARS",
    "AbstinenceReason",
    "NaloxoneRecommendation",
    "NaloxoneTrigger",
    "OverdoseRiskProfile",
    "RiskModifier",
    "recommend_naloxone",
]

#: CDC 2022 Recommendation 8: "higher opioid dosages (e.g., >= 50 MME/day)" (MME/day, clinical factors).
NALOXONE_MME_THRESHOLD = 50.0

#: Age from which CDC 2022 and the AGS Beers Criteria 2023 treat a patient as an older adult (years).
OLDER_ADULT_AGE_YEARS = 65.0

AbstinenceReason = Literal["prison", "hospital", "taper", "other"]

_ABSTINENCE_WORDS: dict[str, str] = {
    "prison": "release from prison or jail",
    "hospital": "a hospital or residential stay",
    "taper": "a completed opioid taper",
    "other": "a period without opioids",
}

#: Said whenever a buprenorphine/naloxone product is listed and no rescue naloxone is.
BUPRENORPHINE_NALOXONE_NOT_RESCUE = (
    "Buprenorphine/naloxone (e.g. Suboxone, Zubsolv) does NOT count as rescue naloxone: its naloxone "
    "is poorly absorbed under the tongue and is there to deter injection, not to reverse an overdose. "
    "Prescribe a separate naloxone rescue kit (nasal spray or injection)."
)

_CDC = "cdc-2022-opioid-guideline"
_BRUNNER = "brunner-2025"
_BEERS = "ags-beers-2023"
_FDA19 = "fda-2019-gabapentinoid-respiratory-warning"


class OverdoseRiskProfile(BaseModel):
    """The facts the naloxone rules read: drugs by class, total MME/day and patient factors."""

    model_config = ConfigDict(frozen=True)

    opioids: list[str] = []
    """Opioid drug names (buprenorphine included: it is an opioid even though MME excludes it)."""
    benzodiazepines: list[str] = []
    z_drugs: list[str] = []
    gabapentinoids: list[str] = []
    total_mme_per_day: float = 0.0
    mme_factor_set: str = "cdc-2022"
    age_years: float | None = None
    sleep_apnoea: bool = False
    prior_overdose: bool = False
    substance_use_disorder: bool = False
    renal_impairment: bool = False
    hepatic_impairment: bool = False
    abstinent_days: int | None = None
    abstinent_reason: AbstinenceReason | None = None
    alcohol_drinks_per_day: float | None = None
    has_rescue_naloxone: bool = False
    rescue_naloxone_from: str | None = None
    """Where rescue naloxone was learnt from: ``"has_rescue_naloxone"`` or the medication text."""
    buprenorphine_naloxone_products: list[str] = []
    """Order texts of buprenorphine/naloxone products in the list."""


class NaloxoneTrigger(BaseModel):
    """One rule that fired: id, guideline, the rule, this patient's finding and the source."""

    model_config = ConfigDict(frozen=True)

    rule: str
    guideline: str
    rule_text: str
    finding: str
    source: str
    evidence: list[str] = []


class RiskModifier(BaseModel):
    """A factor that raises overdose risk but is not a naloxone trigger on its own."""

    model_config = ConfigDict(frozen=True)

    factor: str
    finding: str
    why: str
    sources: list[str]


class NaloxoneRecommendation(BaseModel):
    """Whether to offer naloxone, every rule that fired, modifiers, actions and basis."""

    model_config = ConfigDict(frozen=True)

    level: Literal["offer", "consider", "no rule triggered"]
    recommended: bool
    """True when at least one guideline rule fired (``level == "offer"``)."""
    triggers: list[NaloxoneTrigger]
    modifiers: list[RiskModifier]
    has_rescue_naloxone: bool
    rescue_naloxone_from: str | None
    buprenorphine_naloxone_not_rescue: bool
    """True when a buprenorphine/naloxone product is listed and no rescue naloxone is."""
    actions: list[str]
    notes: list[str]
    basis: list[str]

    @property
    def rules(self) -> list[str]:
        """The ids of the rules that fired."""
        return [t.rule for t in self.triggers]


def _check_profile(p: OverdoseRiskProfile) -> None:
    if p.abstinent_days is not None:
        if p.abstinent_days < 1:
            raise InvalidValueError(
                f"abstinent_days: must be >= 1 day (the length of the recent period without "
                f"opioids); got {p.abstinent_days}; leave it out when there was none"
            )
        if p.abstinent_reason is None:
            raise InvalidValueError(
                "abstinent_reason: required with abstinent_days; one of prison, hospital, taper, other"
            )
    elif p.abstinent_reason is not None:
        raise InvalidValueError(
            f"abstinent_days: required with abstinent_reason={p.abstinent_reason!r}; give the "
            "number of days without opioids"
        )
    if p.total_mme_per_day < 0:
        raise InvalidValueError(f"total_mme_per_day: must be >= 0; got {p.total_mme_per_day:g}")


def recommend_naloxone(
    profile: OverdoseRiskProfile, *, kb: KnowledgeBase | None = None
) -> NaloxoneRecommendation:
    """Apply the CDC 2022 and 2025 benzodiazepine-guideline naloxone rules to ``profile``.

    The recommendation is ``"offer"`` when any rule fires, and lists every rule that fired.

    Parameters
    ----------
    profile : OverdoseRiskProfile
        Drugs by class, total MME/day (with its factor set) and patient factors.
    kb : KnowledgeBase, optional
        Used to cite the sources in the basis.

    Returns
    -------
    NaloxoneRecommendation

    Raises
    ------
    InvalidValueError
        ``abstinent_days`` < 1, or given without ``abstinent_reason`` (or the reverse).

    References
    ----------
    1. Dowell D et al. (2022). MMWR Recomm Rep 71(3):1-95. doi:10.15585/mmwr.rr7103a1
    2. Brunner E et al. (2025). J Gen Intern Med. doi:10.1007/s11606-025-09499-2

    Examples
    --------
    >>> r = recommend_naloxone(OverdoseRiskProfile(opioids=["oxycodone"],
    ...                        benzodiazepines=["alprazolam"], total_mme_per_day=30.0))
    >>> r.level, r.rules
    ('offer', ['cdc-2022/concurrent-benzodiazepine', 'brunner-2025/benzodiazepine-with-opioid'])
    >>> recommend_naloxone(OverdoseRiskProfile(opioids=["oxycodone"], total_mme_per_day=15.0)).level
    'no rule triggered'
    """
    _check_profile(profile)
    kb = kb or load_knowledge_base()
    p = profile
    on_opioid = bool(p.opioids)
    opioid_names = ", ".join(sorted(set(p.opioids)))
    triggers: list[NaloxoneTrigger] = []

    def fire(
        rule: str, guideline: str, rule_text: str, finding: str, source: str, **kw: list[str]
    ) -> None:
        triggers.append(
            NaloxoneTrigger(
                rule=rule,
                guideline=guideline,
                rule_text=rule_text,
                finding=finding,
                source=source,
                evidence=kw.get("evidence", []),
            )
        )

    if p.prior_overdose:
        fire(
            "cdc-2022/history-of-overdose",
            "CDC 2022",
            "offer naloxone to patients with a history of overdose",
            "prior overdose reported",
            _CDC,
        )
    if p.substance_use_disorder:
        fire(
            "cdc-2022/substance-use-disorder",
            "CDC 2022",
            "offer naloxone to patients with a history of substance use disorder",
            "substance use disorder reported",
            _CDC,
        )
    if p.sleep_apnoea and on_opioid:
        fire(
            "cdc-2022/sleep-disordered-breathing",
            "CDC 2022",
            "offer naloxone to patients with sleep-disordered breathing who are prescribed opioids",
            f"sleep apnoea reported, on {opioid_names}",
            _CDC,
        )
    if on_opioid and p.total_mme_per_day >= NALOXONE_MME_THRESHOLD:
        fire(
            "cdc-2022/dose-50-mme",
            "CDC 2022",
            f"offer naloxone at higher opioid dosages (>= {NALOXONE_MME_THRESHOLD:g} MME/day)",
            f"total {p.total_mme_per_day:.4g} MME/day ({p.mme_factor_set}) >= "
            f"{NALOXONE_MME_THRESHOLD:g}",
            _CDC,
        )
    if on_opioid and p.benzodiazepines:
        benzos = ", ".join(sorted(set(p.benzodiazepines)))
        fire(
            "cdc-2022/concurrent-benzodiazepine",
            "CDC 2022",
            "offer naloxone to patients taking benzodiazepines with opioids",
            f"{benzos} with {opioid_names}",
            _CDC,
        )
        fire(
            "brunner-2025/benzodiazepine-with-opioid",
            "2025 joint benzodiazepine tapering guideline",
            "offer naloxone to every patient co-prescribed a benzodiazepine and an opioid",
            f"{benzos} co-prescribed with {opioid_names}",
            _BRUNNER,
        )
    if p.abstinent_days is not None:
        assert p.abstinent_reason is not None
        evidence = []
        if p.abstinent_reason == "prison":
            evidence.append(
                "Binswanger et al. 2007 (N Engl J Med 356:157-165): in the first 2 weeks after "
                "release from prison the risk of death from drug overdose was 129 times (95% CI "
                "89-186) that of other state residents [binswanger-2007-prison-release]"
            )
        fire(
            "cdc-2022/lost-tolerance",
            "CDC 2022",
            "offer naloxone to patients at risk of returning to a high dose to which they have lost "
            "tolerance (e.g. after a taper or release from prison)",
            f"{p.abstinent_days} day(s) without opioids after "
            f"{_ABSTINENCE_WORDS[p.abstinent_reason]}",
            _CDC,
            evidence=evidence,
        )

    modifiers = _modifiers(p)
    recommended = bool(triggers)
    level: Literal["offer", "consider", "no rule triggered"]
    if recommended:
        level = "offer"
    elif on_opioid and modifiers:
        level = "consider"
    else:
        level = "no rule triggered"

    bup_not_rescue = bool(p.buprenorphine_naloxone_products) and not p.has_rescue_naloxone
    actions: list[str] = []
    notes: list[str] = []
    if recommended and not p.has_rescue_naloxone:
        actions.append(
            "Offer naloxone (e.g. 4 mg nasal spray) and teach the patient and household to recognise "
            "an overdose and use it (CDC 2022 Recommendation 8)"
        )
    elif recommended:
        actions.append(
            "Rescue naloxone is on hand: confirm it is in date and that household members know "
            "where it is and how to use it"
        )
    elif level == "consider":
        actions.append(
            "No guideline rule fired, but risk modifiers are present with an opioid: consider "
            "offering naloxone (a modelling choice of this package, not a guideline rule)"
        )
    if bup_not_rescue:
        notes.append(BUPRENORPHINE_NALOXONE_NOT_RESCUE)
        if recommended:
            actions.append(
                "Prescribe a separate naloxone rescue kit: " + BUPRENORPHINE_NALOXONE_NOT_RESCUE
            )
    if "buprenorphine" in p.opioids and not p.substance_use_disorder:
        notes.append(
            "Buprenorphine is listed: if it treats opioid use disorder, set substance_use_disorder "
            "(CDC 2022 offers naloxone to every patient with an opioid use disorder)."
        )
    if p.mme_factor_set != "cdc-2022" and on_opioid:
        notes.append(
            f"The 50 MME/day rule is defined on CDC 2022 clinical factors; this total uses "
            f"{p.mme_factor_set}."
        )
    if not on_opioid and triggers:
        notes.append(
            "No opioid is prescribed: the rules that fired concern opioids the patient may use or "
            "resume (illicit supply, relapse, restart)."
        )

    cited = sorted({t.source for t in triggers} | {s for m in modifiers for s in m.sources})
    basis = [f"{t.rule}: {t.rule_text}; finding: {t.finding} [{t.source}]" for t in triggers]
    basis += [
        f"modifier {m.factor}: {m.finding}; {m.why} [{', '.join(m.sources)}]" for m in modifiers
    ]
    if not triggers:
        basis.append(
            "no naloxone rule fired: no prior overdose, substance use disorder, lost tolerance; "
            + (
                f"total {p.total_mme_per_day:.4g} MME/day < {NALOXONE_MME_THRESHOLD:g}, no "
                "benzodiazepine, no sleep apnoea with the opioid"
                if on_opioid
                else "no opioid prescribed"
            )
        )
    basis += [f"{sid}: {kb.source(sid).citation()}" for sid in cited]
    return NaloxoneRecommendation(
        level=level,
        recommended=recommended,
        triggers=triggers,
        modifiers=modifiers,
        has_rescue_naloxone=p.has_rescue_naloxone,
        rescue_naloxone_from=p.rescue_naloxone_from,
        buprenorphine_naloxone_not_rescue=bup_not_rescue,
        actions=actions,
        notes=notes,
        basis=basis,
    )


def _modifiers(p: OverdoseRiskProfile) -> list[RiskModifier]:
    out: list[RiskModifier] = []
    sedating = bool(p.opioids or p.benzodiazepines or p.z_drugs or p.gabapentinoids)
    if p.age_years is not None and p.age_years >= OLDER_ADULT_AGE_YEARS and sedating:
        out.append(
            RiskModifier(
                factor="older age",
                finding=f"age {p.age_years:g} years (>= {OLDER_ADULT_AGE_YEARS:g})",
                why=(
                    "reduced renal function and drug clearance even without kidney disease, more "
                    "accumulation and respiratory depression (CDC 2022); AGS Beers 2023 advises "
                    "avoiding opioids with benzodiazepines or gabapentinoids and 3 or more CNS-active "
                    "drugs; FDA 2019 names the elderly at higher risk with gabapentinoids"
                ),
                sources=[_CDC, _BEERS, _FDA19],
            )
        )
    if p.renal_impairment and sedating:
        out.append(
            RiskModifier(
                factor="renal impairment",
                finding="renal impairment reported",
                why=(
                    "reduced clearance of opioids and their active metabolites and of renally "
                    "cleared gabapentinoids raises the risk of accumulation and respiratory "
                    "depression (CDC 2022; FDA 2019)"
                ),
                sources=[_CDC, _FDA19],
            )
        )
    if p.hepatic_impairment and sedating:
        out.append(
            RiskModifier(
                factor="hepatic impairment",
                finding="hepatic impairment reported",
                why=(
                    "reduced hepatic metabolism of opioids and benzodiazepines raises exposure and "
                    "the risk of accumulation and overdose (CDC 2022)"
                ),
                sources=[_CDC],
            )
        )
    if p.opioids and p.gabapentinoids:
        out.append(
            RiskModifier(
                factor="gabapentinoid with opioid",
                finding=f"{', '.join(sorted(set(p.gabapentinoids)))} with an opioid",
                why="opioid-related death more likely (Gomes 2017/2018); FDA 2019 warning",
                sources=["gomes-2017-gabapentin-opioid", _FDA19],
            )
        )
    if p.opioids and p.z_drugs:
        out.append(
            RiskModifier(
                factor="Z-drug with opioid",
                finding=f"{', '.join(sorted(set(p.z_drugs)))} with an opioid",
                why="overdose more likely (Szmulewicz 2021, adjusted HR 2.29)",
                sources=["szmulewicz-2021-z-drug-opioid"],
            )
        )
    if p.opioids and p.alcohol_drinks_per_day:
        out.append(
            RiskModifier(
                factor="alcohol with opioid",
                finding=f"{p.alcohol_drinks_per_day:g} drinks/day with an opioid",
                why="ethanol deepens opioid respiratory depression (van der Schrier 2017)",
                sources=["van-der-schrier-2017-ethanol-oxycodone"],
            )
        )
    return out
