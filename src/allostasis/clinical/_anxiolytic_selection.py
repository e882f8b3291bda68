"""Anxiolytic dose-selection aid: occupancy, therapeutic threshold, start-low course, class profiles.

For an SSRI or SNRI: daily dose -> steady-state SERT (and NET) occupancy from PK and unbound Ki
(:func:`allostasis.receptor.steady_state_occupancy`); the daily dose reaching a therapeutic SERT
occupancy (about 80% as measured by PET at the minimum therapeutic doses of five SSRIs; Meyer et al.
2004) on the PET scale (:func:`allostasis.receptor.pet_observed_occupancy`); and a start-low
titration simulated through the raphe loop (:func:`allostasis.physiology.simulate_raphe`), giving
the expected time course of the early autoreceptor brake and of benefit. For benzodiazepines the
GABA-A subunit profile at the steady-state unbound concentration; for gabapentinoids the release
and circuit reduction in normal and hyperexcitable states.

The aid is assembled from one module per idea:

- :mod:`allostasis.clinical._occupancy_targets`: the therapeutic SERT and meaningful NET
  occupancies and the dose reaching a SERT target;
- :mod:`allostasis.clinical._transporter_engagement`: SERT/NET occupancy of a daily dose and the
  locus coeruleus consequence;
- :mod:`allostasis.clinical._ssri_course`: a titration simulated through the raphe loop;
- :mod:`allostasis.clinical._reuptake_selection`: the SSRI/SNRI answer (occupancy by strength,
  dose for the target, start low against start at target);
- :mod:`allostasis.clinical._steady_state_profiles`: the benzodiazepine and gabapentinoid answers;
- :mod:`allostasis.clinical._selection_result`: the answer's model, :class:`AnxiolyticSelection`.

**Decision support, not a prescription.** The mappings "early autoreceptor brake -> early activation
(jitteriness)" and "plasticity variable -> benefit" are HYPOTHESES taken from seed text 002 and are
labelled as such in every result.

References
----------
1. Meyer JH, Wilson AA, Sagrati S, et al. (2004). Serotonin transporter occupancy of five selective
   serotonin reuptake inhibitors at different doses: an [11C]DASB PET study. Am J Psychiatry
   161(5):826-835. doi:10.1176/appi.ajp.161.5.826
2. Sekine M, Arakawa R, Ito H, et al. (2010). Norepinephrine transporter occupancy by
   antidepressant in human brain using PET with (S,S)-[18F]FMeNER-D2. Psychopharmacology (Berl)
   210(3):331-336. PMID 20309528
"""

from __future__ import annotations

from allostasis.clinical._occupancy_targets import (
    MEANINGFUL_NET_OCCUPANCY,
    THERAPEUTIC_SERT_OCCUPANCY,
    dose_for_sert_occupancy,
)
from allostasis.clinical._reuptake_selection import select_reuptake_inhibitor
from allostasis.clinical._selection_result import AnxiolyticSelection
from allostasis.clinical._ssri_course import SSRICourse, ssri_course
from allostasis.clinical._steady_state_profiles import (
    select_benzodiazepine,
    select_gabapentinoid,
)
from allostasis.clinical._transporter_engagement import (
    TransporterEngagement,
    transporter_engagement,
)
from allostasis.errors import UnknownDrugError
from allostasis.knowledge import Drug, KnowledgeBase, load_knowledge_base

__all__ = [
    "MEANINGFUL_NET_OCCUPANCY",
    "THERAPEUTIC_SERT_OCCUPANCY",
    "AnxiolyticSelection",
    "SSRICourse",
    "TransporterEngagement",
    "dose_for_sert_occupancy",
    "select_anxiolytic",
    "ssri_course",
    "transporter_engagement",
]


def _select_azapirone(d: Drug, weeks: float, kb: KnowledgeBase) -> AnxiolyticSelection:
    """Buspirone: the raphe course at the low end of the usual daily dose (15 mg when unlabelled)."""
    course = ssri_course(d.name, f"{d.dosing[0].usual_daily_dose.low or 15:g} mg", weeks, kb=kb)
    return AnxiolyticSelection(
        drug=d.name,
        drug_class=str(d.drug_class),
        summary={"course": {k: v for k, v in course.to_dict().items() if k != "basis"}},
        labels=course.labels,
        basis=course.basis,
    )


def select_anxiolytic(
    drug: str,
    *,
    target_occupancy: float = THERAPEUTIC_SERT_OCCUPANCY,
    weeks: float = 8.0,
    kb: KnowledgeBase | None = None,
) -> AnxiolyticSelection:
    """Class-aware dose-selection aid for an anxiolytic.

    SSRI/SNRI: occupancy at the labelled strengths, the dose reaching ``target_occupancy`` (PET
    scale), and a start-low course (half the target dose for a week) against starting at target.
    Benzodiazepine: GABA-A subunit profile at the steady-state unbound concentration of the usual
    dose. Gabapentinoid: release and circuit reduction at the lowest and highest usual doses.

    Examples
    --------
    >>> s = select_anxiolytic("escitalopram")
    >>> s.summary["dose_for_target_mg"] <= 10
    True
    >>> select_anxiolytic("naloxone")
    Traceback (most recent call last):
    ...
    allostasis.errors.UnknownDrugError: drug: naloxone (opioid-antagonist) is not an anxiolytic class handled here (ssri, snri, azapirone, benzodiazepine, gabapentinoid)
    """
    kb = kb or load_knowledge_base()
    d = kb[drug]
    cls = str(d.drug_class)
    if cls in ("ssri", "snri"):
        return select_reuptake_inhibitor(d, target_occupancy, weeks, kb)
    if cls == "azapirone":
        return _select_azapirone(d, weeks, kb)
    if cls == "benzodiazepine":
        return select_benzodiazepine(d, kb)
    if cls == "gabapentinoid":
        return select_gabapentinoid(d, kb)
    raise UnknownDrugError(
        f"drug: {d.name} ({cls}) is not an anxiolytic class handled here "
        "(ssri, snri, azapirone, benzodiazepine, gabapentinoid)"
    )
