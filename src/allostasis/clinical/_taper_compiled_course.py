"""A taper plan's balance-index course on the compiled engine: every dispensed dose a fixed dose.

The compiled engine (:func:`allostasis.engine.simulate_cohort`) doses by a rule, but it also gives
doses of two drugs on a fixed schedule (:class:`allostasis.engine.CrossTaper`, with the second drug
carried as :class:`allostasis.engine.PreviousDrug` starting from empty compartments). A plan is
such a schedule: the run's rule gives no dose, and every dose time of the current regimen and of
every step is a fixed dose of its drug. Linear PK superposes, so this is the same model as
:func:`allostasis.engine.simulate_adaptation` (one drive summed over every analyte of both drugs),
with exact PK at every stage of the adaptive Dormand-Prince 5(4) steps instead of hourly
concentrations interpolated between output nodes.

What the engine cannot express (:func:`engine_obstacle`): more than two drugs, a drug that is not a
GABA-A modulator or has no oral route, or two drugs with different alpha2/3-to-alpha1 potency
ratios. A drug with an oral absorption lag (lorazepam, nitrazepam) absorbs each fixed dose after
its lag, as in the numpy runner.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

import numpy as np

from allostasis.adaptation import drug_potency
from allostasis.engine import CrossTaper, DosingRule, PreviousDrug, simulate_cohort
from allostasis.errors import AllostasisError
from allostasis.exposure import pk_model
from allostasis.knowledge import load_knowledge_base

__all__ = ["TOLERANCE", "compiled_course", "engine_obstacle"]

#: Local error tolerance of the engine's steps (its default; balance index within about 1e-5 of
#: scipy at rtol 1e-10, ``benchmarks/bench_engine.py``).
TOLERANCE: Final = 1e-6
#: The rule of the run: no dose (every dose is on the fixed schedule).
_NO_RULE: Final = DosingRule(dose_mg=0.0, interval_h=24.0, last_dose_h=0.0)


def engine_obstacle(drugs: Sequence[str], source: str = "ashton-2002") -> str | None:
    """Why the compiled engine cannot run these drugs as a fixed oral schedule (``None``: it can).

    >>> engine_obstacle(["alprazolam", "diazepam"]) is None
    True
    >>> engine_obstacle(["alprazolam", "diazepam", "oxazepam"])
    '3 drugs (the engine carries at most two)'
    """
    if not drugs:
        return "no doses"
    if len(drugs) > 2:
        return f"{len(drugs)} drugs (the engine carries at most two)"
    kb = load_knowledge_base()
    ratios = []
    for drug in drugs:
        try:
            pot = drug_potency(drug, source=source)
        except AllostasisError as e:
            return f"{drug}: {e}"
        if pot.role != "modulator":
            return f"{drug} is a {pot.role}, not a GABA-A modulator"
        if "oral" not in kb[drug].pk.routes:
            return f"{drug} has no oral route"
        ratios.append(pot.alpha23_ratio)
    if abs(ratios[0] - ratios[-1]) > 1e-12:
        return "the drugs' alpha2/3-to-alpha1 potency ratios differ"
    return None


def compiled_course(
    schedule: dict[float, dict[str, float]],
    end_h: float,
    *,
    output_every_h: float,
    source: str = "ashton-2002",
) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Balance index of a typical patient on the output grid (every ``output_every_h`` from 0 to
    ``end_h``) under a fixed dose ``schedule`` (time h -> drug -> mg, oral), and the basis.

    The drugs must pass :func:`engine_obstacle`. The drug of the last dose is the run's drug, the
    other (if any) the carried one.

    .. math:: y_B(t) = \\sum_{d} g_d^{\\top} x_d(t), \\quad
        x_d(t) = \\sum_{t_k \\le t} e^{K_d (t - t_k)} F_d\\, D_{d,k}\\, e_{\\mathrm{depot}}

    Examples
    --------
    >>> t, x, _ = compiled_course({8.0: {"alprazolam": 1.0}}, 48.0, output_every_h=6.0)
    >>> t.size, bool(x[2] < 0.0)
    (9, True)
    """
    times = np.array(list(schedule), dtype=float)
    drugs = sorted({d for at in schedule.values() for d in at})
    new = next(iter(schedule[float(times[-1])]))
    carried = next((d for d in drugs if d != new), new)
    new_mg = np.array([schedule[t].get(new, 0.0) for t in schedule])
    carried_mg = (
        np.array([schedule[t].get(carried, 0.0) for t in schedule])
        if carried != new
        else np.zeros(times.size)
    )
    n_pk = len(pk_model(carried, "oral").compartments)
    r = simulate_cohort(
        new,
        _NO_RULE,
        end=f"{end_h} h",
        output_every=f"{output_every_h} h",
        tolerance=TOLERANCE,
        source=source,
        threads=1,
        carry_over=PreviousDrug(
            carried, np.zeros((1, n_pk)), cross_taper=CrossTaper(times, new_mg, carried_mg)
        ),
    )
    basis = [
        "integration: compiled engine (engine.simulate_cohort), exact linear PK at every stage of "
        f"adaptive Dormand-Prince 5(4) steps, tolerance {TOLERANCE:g}; every dose of the plan "
        f"given on a fixed schedule ({times.size} dose times, {' and '.join(drugs)}); balance "
        f"index every {output_every_h:g} h",
        *[f"{d} (oral): {b}" for d in drugs for b in drug_potency(d, source=source).basis],
    ]
    return r.grid_times_h, r.index_grid[0], basis
