"""Breathing under CNS depressants: doses -> PK -> receptors -> preBötC network -> chemoreflex loop.

The stable entry points for the clinical layer are :func:`simulate_breathing` (one patient, a
ventilation time course with nadir, apnoea and attribution) and :func:`sedative_burden` (total
CNS-depressant load read from the same model). :func:`breathing_population` runs a virtual cohort
with between-subject variability in sensitivity.

How each drug enters (per drug, ``basis`` lists the values and their sources):

- **Mu-opioid ligands** compete for one receptor pool (Mann et al. 2022 kinetics for fentanyl,
  buprenorphine and naloxone; others bind with an assumed association rate and a dissociation rate
  set by an *in-vivo* affinity). In-vivo affinity of opioids without Mann kinetics is derived from
  the CDC 2022 MME table so that 60 MME/day at steady state gives the same occupancy as
  fentanyl 25 mcg/h (60 MME/day) -- the opioid counterpart of the benzodiazepine potencies from an
  equivalence table in ``adaptation._drug_action``. Activation is occupancy times intrinsic
  efficacy (1 for full agonists; buprenorphine's fitted to its ceiling), then tolerance.
- **GABA-A positive modulators** (benzodiazepines, Z-drugs) through the allosteric model of the
  adaptation layer (in-vivo K_B, shift, potentiation of ambient GABA); **alcohol** multiplies the
  GABA-A conductance (a fitted factor, see :data:`ALCOHOL_GABA_GAIN_PER_G_L`).
- **Gabapentinoids** cut presynaptic calcium entry (receptor layer, Fink et al. 2002), weighted by
  :data:`GABAPENTINOID_RESPIRATORY_WEIGHT` (a modelling assumption).
- Unbound plasma concentrations reach the effect site with a first-order delay (:data:`KE0_HALF_LIFE_MIN`).

Modules: each drug's mechanism, unbound course and binding in ``_breathing_agents``; the
effect-site receptor effects in ``_breathing_effects``; age in ``_breathing_age``; the network and
chemoreflex loop in ``physiology``; this module runs them, attributes the depression and reports.

Attribution: each drug's share of the depression (1 - nadir ventilation) is its Shapley value over
all subsets of the medications (naloxone, a treatment, is in every subset), so shares add up to the
total and synergy is split evenly between the partners.

References
----------
1. Mann J et al. (2022). Clin Pharmacol Ther 112:1020-1032. doi:10.1002/cpt.2696
2. Algera MH et al. (2021). Clin Pharmacol Ther 109:637-645. doi:10.1002/cpt.2027
3. Dowell D, Ragan KR, Jones CM, Baldwin GT, Chou R (2022). CDC clinical practice guideline for
   prescribing opioids for pain. MMWR Recomm Rep 71(3):1-95. doi:10.15585/mmwr.rr7103a1
4. Scott JC, Stanski DR (1987). Decreased fentanyl and alfentanil dose requirements with age.
   J Pharmacol Exp Ther 240(1):159-166.
5. Mangoni AA, Jackson SHD (2004). Age-related changes in pharmacokinetics and pharmacodynamics.
   Br J Clin Pharmacol 57(1):6-14. doi:10.1046/j.1365-2125.2003.02007.x
6. Dahan A, Yassen A, Bijl H, et al. (2005). Comparison of the respiratory effects of intravenous
   buprenorphine and fentanyl in humans and rats. Br J Anaesth 94(6):825-834. doi:10.1093/bja/aei145
7. van der Schrier R et al. (2017). Anesthesiology 126:534-542. doi:10.1097/ALN.0000000000001505
8. Shapley LS (1953). A value for n-person games. Ann Math Stud 28:307-317.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict

from allostasis.adaptation._opioid_tolerance import OpioidTolerance, opioid_tolerance
from allostasis.engine._breathing_age import age_scales
from allostasis.engine._breathing_agents import _Agent, build_agents
from allostasis.engine._breathing_effects import ALCOHOL_GABA_GAIN_PER_G_L, STEP_MIN, effects
from allostasis.engine._breathing_inputs import Dose, medication_doses, parse_naloxone
from allostasis.errors import InvalidValueError
from allostasis.knowledge import KnowledgeBase, load_knowledge_base
from allostasis.physiology._respiratory_network import NETWORK
from allostasis.physiology._ventilatory_control import simulate_ventilatory_control
from allostasis.units import magnitude

__all__ = [
    "APNOEA_MIN_DURATION_S",
    "BreathingResult",
    "breathing_population",
    "simulate_breathing",
]

#: Apnoea: no breath for at least this long (s), as in Bailey et al. 1990 (15 s).
APNOEA_MIN_DURATION_S: Final[float] = 15.0
#: Hypoxaemia: SpO2 below this (Bailey et al. 1990: < 90%).
HYPOXAEMIA_SPO2: Final[float] = 0.90


@dataclass
class _Run:
    trace_min: np.ndarray
    values: dict[str, np.ndarray]  # channel -> (n_s, n_t)
    nadir: np.ndarray
    apnoea_s: np.ndarray
    min_spo2: np.ndarray


def _run(
    agents: list[_Agent],
    included: set[str],
    sens: np.ndarray,
    tol: float,
    alcohol: float,
    shape: tuple[int, int],
    age: float,
    clamp: Any,
    kcc2: float,
) -> _Run:
    eff = effects(agents, included, sens, tol, alcohol, shape)
    tr = simulate_ventilatory_control(
        eff.mor,
        eff.gaba,
        eff.calcium,
        dt_min=STEP_MIN,
        kcc2_activity=kcc2,
        age_years=age,
        paco2_clamp=clamp,
    )
    vals = {c: tr.channel(c) for c in tr.channels}
    vals["mor_activation"] = eff.mor
    vals["gaba_factor"] = eff.gaba
    for k, v in eff.occupancy.items():
        vals[f"mor_occupancy_{k}"] = v
    f = vals["burst_rate_rel"]
    # longest run of no bursts, seconds
    stopped = f <= 0.0
    longest = np.zeros(shape[0])
    for s in range(shape[0]):
        run = best = 0
        for x in stopped[s]:
            run = run + 1 if x else 0
            best = max(best, run)
        longest[s] = best * STEP_MIN * 60.0
    ve = vals["minute_ventilation_rel"]
    if clamp is not None:
        base = simulate_ventilatory_control(np.zeros((1, 2)), paco2_clamp=clamp).channel(
            "minute_ventilation_rel"
        )[0, 0]
        ve = ve / base
        vals["minute_ventilation_rel"] = ve
    return _Run(tr.time_min, vals, ve.min(axis=1), longest, vals["spo2"].min(axis=1))


# ------------------------------------------------------------------------------- results
class BreathingResult(BaseModel):
    """One patient's breathing after the given doses (model output; education and decision support).

    Attributes
    ----------
    time_course : pandas.DataFrame
        Tidy, one row per minute: ``time_h``, ``minute_ventilation_rel``, ``burst_rate_rel``,
        ``tidal_drive_rel``, ``alveolar_ventilation_rel``, ``co2_mmHg``, ``pao2_mmHg``, ``spo2``,
        ``mor_activation``, ``gaba_factor``. Units in ``attrs["units"]``.
    nadir_ventilation : float
        Lowest minute ventilation, fraction of the drug-free resting value.
    apnoea : bool
        Any pause in rhythm of >= 15 s (Bailey et al. 1990's definition).
    longest_apnoea_s : float
    min_spo2 : float
    peak_co2_mmhg : float
    attribution : dict
        Drug -> share of the depression (1 - nadir), Shapley values (sum to the total).
    single_drug_depression : dict
        Drug -> depression when taken alone.
    bliss_expected_depression : float or None
        Bliss independence of the single-drug depressions (None for one drug).
    basis : dict
        Model, parameters and sources.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True, frozen=True)

    medications: list[str]
    tolerance: str
    age_years: float | None
    naloxone: str | None
    time_course: pd.DataFrame
    nadir_ventilation: float
    apnoea: bool
    longest_apnoea_s: float
    min_spo2: float
    peak_co2_mmhg: float
    attribution: dict[str, float]
    single_drug_depression: dict[str, float]
    bliss_expected_depression: float | None
    basis: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (the time course as column lists)."""
        d = self.model_dump(exclude={"time_course"})
        d["time_course"] = {c: self.time_course[c].round(6).tolist() for c in self.time_course}
        return d

    def __repr__(self) -> str:
        return (
            f"<BreathingResult: {', '.join(self.medications)}; nadir {self.nadir_ventilation:.2f} "
            f"of baseline, apnoea {'yes' if self.apnoea else 'no'}, min SpO2 {self.min_spo2:.2f}>"
        )


def _alcohol(alcohol: Any) -> float:
    if alcohol is None:
        return 0.0
    return magnitude(alcohol, field="alcohol (blood concentration)", unit="g/L", minimum=0.0)


def _prepare(
    medications: Sequence[Any],
    naloxone: Any,
    duration: Any,
    age_years: float | None,
    tolerance: str | float,
    n_subjects: int,
    kb: KnowledgeBase,
) -> tuple[list[Dose], list[_Agent], np.ndarray, np.ndarray, float, OpioidTolerance, list[str]]:
    doses = medication_doses(medications, kb)
    if not doses:
        raise InvalidValueError("medications: give at least one (drug, dose, route)")
    dur_h = magnitude(duration, field="duration", unit="h", strictly_positive=True)
    if dur_h > 72:
        raise InvalidValueError(
            f"duration: at most 72 h for a single-dose simulation; got {dur_h:g} h"
        )
    all_doses = list(doses)
    if naloxone is not None:
        mg, route, at = parse_naloxone(naloxone)
        all_doses.append(
            Dose("naloxone", mg, route, at, f"naloxone {mg:g} mg {route} at {at * 60:g} min")
        )
    n_t = round(dur_h * 60 / STEP_MIN) + 1
    t_h = np.arange(n_t) * STEP_MIN / 60.0
    cl_scale, sens, age_basis = age_scales(age_years, n_subjects)
    agents = build_agents(all_doses, t_h, cl_scale, kb)
    tol = opioid_tolerance(tolerance)
    return all_doses, agents, t_h, np.full(n_subjects, sens), 0.0, tol, age_basis


def _shapley(values: dict[frozenset[str], float], players: list[str]) -> dict[str, float]:
    n = len(players)
    out = {}
    for p in players:
        others = [q for q in players if q != p]
        total = 0.0
        for k in range(n):
            for sub in itertools.combinations(others, k):
                s = frozenset(sub)
                w = math.factorial(k) * math.factorial(n - k - 1) / math.factorial(n)
                total += w * (values[s | {p}] - values[s])
        out[p] = total
    return out


def simulate_breathing(
    medications: Sequence[Any],
    *,
    age_years: float | None = None,
    tolerance: str | float = "naive",
    naloxone: Any = None,
    duration: Any = "8 h",
    alcohol: Any = None,
    paco2_clamp: Any = None,
    kcc2_activity: float = 1.0,
    kb: KnowledgeBase | None = None,
) -> BreathingResult:
    """Simulate breathing after single doses at t = 0 (or at given times) of CNS depressants.

    .. math::

        \\dot V_E/\\dot V_{E,0} = \\frac{f}{f_0}\\,\\frac{V_T}{V_{T0}}, \\quad
        (f, V_T) = \\mathcal N\\big(A_{MOR}(t), \\Pi_{GABA}(t), e_{Ca}(t), P_{aCO_2}(t)\\big)

    Parameters
    ----------
    medications : sequence of tuples
        ``(drug, dose, route)`` or ``(drug, dose, route, at)``, e.g.
        ``[("oxycodone", "20 mg", "PO"), ("lorazepam", "2 mg", "PO")]``. Routes: PO/oral, IV, IM,
        IN/intranasal, SL/sublingual, SC, TD/transdermal, buccal (as the drug's data allow).
    age_years : float, optional
        18-110; lowers clearance and raises sensitivity (see module constants).
    tolerance : str or float
        ``"naive"``, ``"chronic"``, ``"lost:14d"`` or a factor >= 1 (see
        :func:`allostasis.adaptation.opioid_tolerance`).
    naloxone : str or tuple, optional
        ``"4 mg IN at 30 min"`` or ``(dose, route, at)``.
    duration : str or pint.Quantity
        Simulated time (default ``"8 h"``, at most 72 h).
    alcohol : str or pint.Quantity, optional
        Constant blood alcohol concentration, e.g. ``"0.8 g/L"`` (= 80 mg/dL).
    paco2_clamp : str or pint.Quantity, optional
        Hold PaCO2 fixed (isohypercapnic experiment); ventilation is then relative to drug-free
        ventilation at that PaCO2.
    kcc2_activity : float
        KCC2 activity relative to normal (sets E_GABA), >= 0.

    Returns
    -------
    BreathingResult

    Raises
    ------
    UnknownDrugError, InvalidValueError, UnitError
        Unknown drug or route, bad dose, duration, age, tolerance or naloxone spec.

    Examples
    --------
    >>> r = simulate_breathing([("oxycodone", "20 mg", "PO"), ("lorazepam", "2 mg", "PO")])
    >>> r.nadir_ventilation < 0.9, sorted(r.attribution)
    (True, ['lorazepam', 'oxycodone'])
    >>> simulate_breathing([("oxycodone", "20 mg", "rectal")])
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: route of oxycodone: 'rectal' is not a known route; use one of ['buccal', 'im', 'in', 'intranasal', 'iv', 'nasal', 'oral', 'po', 'sc', 'sl', 'sublingual', 'td', 'transdermal'] (PO = oral, IN = intranasal, SL = sublingual)
    """
    kb = kb or load_knowledge_base()
    alc = _alcohol(alcohol)
    doses, agents, t_h, sens, _, tol, age_basis = _prepare(
        medications, naloxone, duration, age_years, tolerance, 1, kb
    )
    age = 40.0 if age_years is None else float(age_years)
    shape = (1, t_h.size)
    med_doses = doses[:-1] if naloxone is not None else doses
    players = list(dict.fromkeys(d.drug for d in med_doses))
    if alc > 0:
        players.append("alcohol")
    fixed = {"naloxone"} if naloxone is not None else set()
    cache: dict[frozenset[str], _Run] = {}

    def run(sub: frozenset[str]) -> _Run:
        if sub not in cache:
            cache[sub] = _run(
                agents,
                set(sub) | fixed,
                sens,
                tol.factor,
                alc,
                shape,
                age,
                paco2_clamp,
                kcc2_activity,
            )
        return cache[sub]

    full = run(frozenset(players))
    depression = {s: 1.0 - float(run(s).nadir[0]) for s in _subsets(players)}
    shares = _shapley(depression, players)
    singles = {p: depression[frozenset({p})] for p in players}
    bliss = None
    if len(players) > 1:
        bliss = 1.0 - float(np.prod([1.0 - max(0.0, v) for v in singles.values()]))
    every_min = round(1.0 / STEP_MIN)
    idx = np.arange(0, t_h.size, every_min)
    cols = [
        "minute_ventilation_rel",
        "burst_rate_rel",
        "tidal_drive_rel",
        "alveolar_ventilation_rel",
        "co2_mmHg",
        "pao2_mmHg",
        "spo2",
        "mor_activation",
        "gaba_factor",
    ]
    df = pd.DataFrame({"time_h": t_h[idx]} | {c: full.values[c][0, idx] for c in cols})
    df.attrs["units"] = {
        "time_h": "h",
        "co2_mmHg": "mmHg",
        "pao2_mmHg": "mmHg",
        "spo2": "fraction",
        "minute_ventilation_rel": "fraction of drug-free rest",
    }
    basis: dict[str, Any] = {
        "model": "averaged conductance preBötC neuron + CO2/O2 chemoreflex loop "
        "(allostasis.physiology); MODEL OUTPUT, not a measurement",
        "network": NETWORK.basis(),
        "drugs": {a.name: list(a.basis) for a in agents},
        "tolerance": list(tol.basis),
        "age": age_basis,
        "attribution": "Shapley values of depression (1 - nadir ventilation) over subsets of the "
        "medications (Shapley 1953); naloxone is in every subset",
        "apnoea_definition": f"no burst for >= {APNOEA_MIN_DURATION_S:g} s (Bailey et al. 1990)",
    }
    if alc > 0:
        basis["alcohol"] = (
            f"blood alcohol {alc:g} g/L: GABA-A conductance x (1 + "
            f"{ALCOHOL_GABA_GAIN_PER_G_L:g} x {alc:g}) (FITTED to van der Schrier 2017 VE55 ratio 15.7/18.6)"
        )
    if paco2_clamp is not None:
        basis["paco2_clamp"] = f"PaCO2 held at {paco2_clamp} (open loop; isohypercapnic)"
    return BreathingResult(
        medications=[d.label for d in med_doses],
        tolerance=tol.label,
        age_years=age_years,
        naloxone=None if naloxone is None else doses[-1].label,
        time_course=df,
        nadir_ventilation=float(full.nadir[0]),
        apnoea=bool(full.apnoea_s[0] >= APNOEA_MIN_DURATION_S),
        longest_apnoea_s=float(full.apnoea_s[0]),
        min_spo2=float(full.min_spo2[0]),
        peak_co2_mmhg=float(full.values["co2_mmHg"][0].max()),
        attribution=shares,
        single_drug_depression=singles,
        bliss_expected_depression=bliss,
        basis=basis,
    )


def _subsets(players: list[str]) -> list[frozenset[str]]:
    return [
        frozenset(c) for k in range(len(players) + 1) for c in itertools.combinations(players, k)
    ]


def breathing_population(
    medications: Sequence[Any],
    *,
    n_subjects: int = 200,
    seed: int = 0,
    sensitivity_cv: float = 0.5,
    age_years: float | None = None,
    tolerance: str | float = "naive",
    naloxone: Any = None,
    duration: Any = "2 h",
    alcohol: Any = None,
    kb: KnowledgeBase | None = None,
) -> pd.DataFrame:
    """Per-subject outcomes in a virtual cohort with log-normal variability in drug sensitivity.

    .. math:: s_i = \\exp(\\sigma z_i),\\quad \\sigma = \\sqrt{\\ln(1 + CV^2)},\\quad z_i \\sim N(0, 1)

    Each subject's effect-site concentrations of opioids and GABA-A modulators are multiplied by
    :math:`s_i` (one factor per subject for both classes: a MODELLING ASSUMPTION).

    Parameters
    ----------
    medications, age_years, tolerance, naloxone, duration, alcohol
        As in :func:`simulate_breathing`.
    n_subjects : int
        1-100000.
    seed : int
        Random seed.
    sensitivity_cv : float
        Coefficient of variation of sensitivity, in [0, 3] (default 0.5, MODELLING ASSUMPTION).

    Returns
    -------
    pandas.DataFrame
        ``subject_id``, ``sensitivity``, ``nadir_ventilation``, ``apnoea``, ``longest_apnoea_s``,
        ``min_spo2``, ``hypoxaemia`` (SpO2 < 90%), ``peak_co2_mmhg``.

    Raises
    ------
    InvalidValueError
        On bad counts or variability, plus everything :func:`simulate_breathing` raises.

    Examples
    --------
    >>> df = breathing_population([("fentanyl", "0.14 mg", "IV")], n_subjects=20, duration="1 h")
    >>> bool(0.0 <= df["hypoxaemia"].mean() <= 1.0)
    True
    """
    if not (isinstance(n_subjects, int) and 1 <= n_subjects <= 100_000):
        raise InvalidValueError(f"n_subjects: must be an integer in 1-100000; got {n_subjects!r}")
    if not (math.isfinite(sensitivity_cv) and 0 <= sensitivity_cv <= 3):
        raise InvalidValueError(f"sensitivity_cv: must be in [0, 3]; got {sensitivity_cv!r}")
    kb = kb or load_knowledge_base()
    alc = _alcohol(alcohol)
    doses, agents, t_h, sens, _, tol, _ = _prepare(
        medications, naloxone, duration, age_years, tolerance, n_subjects, kb
    )
    rng = np.random.default_rng(seed)
    sigma = math.sqrt(math.log(1.0 + sensitivity_cv**2))
    s_i = np.exp(sigma * rng.standard_normal(n_subjects))
    included = {d.drug for d in doses} | ({"alcohol"} if alc > 0 else set())
    age = 40.0 if age_years is None else float(age_years)
    r = _run(agents, included, sens * s_i, tol.factor, alc, (n_subjects, t_h.size), age, None, 1.0)
    return pd.DataFrame(
        {
            "subject_id": np.arange(1, n_subjects + 1),
            "sensitivity": s_i,
            "nadir_ventilation": r.nadir,
            "apnoea": r.apnoea_s >= APNOEA_MIN_DURATION_S,
            "longest_apnoea_s": r.apnoea_s,
            "min_spo2": r.min_spo2,
            "hypoxaemia": r.min_spo2 < HYPOXAEMIA_SPO2,
            "peak_co2_mmhg": r.values["co2_mmHg"].max(axis=1),
        }
    )
