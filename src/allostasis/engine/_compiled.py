"""Compiled cohort simulation: one GABA-A modulator, a dosing rule, many subjects at once.

Python entry point of the numba kernel (``_kernel``): builds each subject's PK rate matrix exactly as
:func:`allostasis.exposure.pk_model` does, the drug's per-analyte constants from
:func:`allostasis.adaptation.drug_potency`, log-normal between-subject variability, and the shared
step sequence, then runs the kernel and returns per-subject summaries.

Between-subject variability is log-normal with the typical value as the median:

.. math:: \\theta_i = \\theta\\, e^{\\omega \\eta_i}, \\quad \\eta_i \\sim N(0, 1), \\quad
    \\omega = \\sqrt{\\ln(1 + CV^2)}

The adaptation ODEs are integrated by an adaptive Dormand-Prince 5(4) method with error control
(``_kernel``; default tolerance 1e-6, which keeps the balance index within about 1e-5 of
``scipy.integrate.solve_ivp`` at rtol 1e-10 relative to its largest magnitude: checked in
``benchmarks/bench_engine.py`` and the tests).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import pandas as pd

from allostasis.adaptation._drug_action import drug_potency
from allostasis.adaptation._model import INITIAL_STATE, STATE_NAMES, receptor_constants
from allostasis.adaptation._parameters import PARAMETER_INDEX, parameter_array
from allostasis.engine._block_model import LANES, pack_parameters, receptor_terms
from allostasis.engine._carry_over import PreviousDrug, combine
from allostasis.engine._cohort_result import CohortResult
from allostasis.engine._kernel import (
    N_STATS,
    N_SUMMARY,
    STATS_FIELDS,
    default_threads,
    simulate_cohort_kernel,
)
from allostasis.engine._rules import RULE_FIELDS, DosingRule
from allostasis.engine._segments import timeline
from allostasis.errors import InvalidValueError
from allostasis.exposure import pk_model
from allostasis.physiology._symptoms import SEIZURE_INDEX_THRESHOLD
from allostasis.units import magnitude

__all__ = ["CohortResult", "simulate_cohort"]

#: Balance index below which a subject counts as recovered (as in ``simulate_adaptation``).
_RECOVERY_INDEX: Final = 0.05
#: First trial step (h); the controller adapts it within a few steps.
_FIRST_STEP_H: Final = 0.05


@dataclass(frozen=True)
class _Cohort:
    """Everything the kernel needs (also used by the benchmark's scipy reference)."""

    n: int
    kmat: np.ndarray
    f_dose: np.ndarray
    cmt: int
    an_state: np.ndarray
    an_coef: np.ndarray
    inv_ratio: float
    params: np.ndarray
    slots: np.ndarray
    tlag: float
    timeline: dict[str, np.ndarray]
    t_end: float
    tolerance: float
    window_start: float
    sampled: dict[str, np.ndarray]
    basis: list[str]
    init: np.ndarray
    max_segment: float = 24.0
    out_dt: float | None = None


def _prepare(
    drug: str,
    rule: DosingRule,
    *,
    end: Any,
    n_subjects: int,
    variability: Mapping[str, float] | None,
    seed: int,
    params: Mapping[str, float] | None,
    tolerance: float,
    max_segment: Any,
    output_every: Any,
    window_start: Any,
    route: str,
    source: str,
    subjects: pd.DataFrame | None = None,
    initial_state: np.ndarray | None = None,
) -> _Cohort:
    if subjects is not None:
        if variability:
            raise InvalidValueError(
                "variability: give either variability (sampled here) or subjects (given), not both"
            )
        n_subjects = len(subjects)
    if not isinstance(n_subjects, int) or n_subjects < 1:
        raise InvalidValueError(f"n_subjects: must be an integer >= 1; got {n_subjects!r}")
    if not isinstance(rule, DosingRule):
        raise InvalidValueError(f"rule: must be a DosingRule; got {type(rule).__name__}")
    if not (isinstance(tolerance, (int, float)) and 1e-12 <= tolerance <= 1e-3):
        raise InvalidValueError(f"tolerance: must be a number in [1e-12, 1e-3]; got {tolerance!r}")
    t_end = magnitude(end, field="end", unit="h", strictly_positive=True)
    seg = magnitude(max_segment, field="max_segment", unit="h", strictly_positive=True)
    t_win = magnitude(window_start, field="window_start", unit="h", minimum=0.0)
    out_dt = (
        None
        if output_every is None
        else magnitude(output_every, field="output_every", unit="h", strictly_positive=True)
    )
    pot = drug_potency(drug, source=source)
    if pot.role != "modulator":
        raise InvalidValueError(
            f"drug: the compiled engine runs GABA-A modulators; {drug} is a {pot.role} "
            "(use simulate_adaptation for flumazenil or ketamine)"
        )
    model = pk_model(drug, route)
    typical = model.typical()
    n = n_subjects
    cvs = dict(variability or {})
    if "tlag" in cvs:
        raise InvalidValueError("variability: tlag cannot vary (the step sequence is shared)")
    rng = np.random.default_rng(seed)
    table = pd.DataFrame({k: np.full(n, v, dtype=float) for k, v in typical.items()})
    p = parameter_array(n, **dict(params or {}))
    sampled: dict[str, np.ndarray] = {}
    for name, cv in cvs.items():
        if not (isinstance(cv, (int, float)) and math.isfinite(cv) and cv >= 0):
            raise InvalidValueError(f"variability[{name!r}]: CV must be a number >= 0; got {cv!r}")
        omega = math.sqrt(math.log1p(float(cv) ** 2))
        eta = np.exp(omega * rng.standard_normal(n))
        if name in table:
            table[name] = table[name] * eta
            sampled[name] = table[name].to_numpy()
        elif name in PARAMETER_INDEX:
            p[:, PARAMETER_INDEX[name]] *= eta
            sampled[name] = p[:, PARAMETER_INDEX[name]].copy()
        else:
            raise InvalidValueError(
                f"variability: unknown parameter {name!r}; PK: {sorted(typical)}, adaptation: "
                f"{sorted(PARAMETER_INDEX)}"
            )
    if subjects is not None:
        unknown = [
            k
            for k in subjects.columns
            if k not in table and k not in PARAMETER_INDEX and k != "subject_id"
        ]
        if unknown or "tlag" in subjects.columns:
            raise InvalidValueError(
                f"subjects: unknown or fixed parameter column(s) {sorted(unknown) or ['tlag']}; PK: "
                f"{sorted(k for k in typical if k != 'tlag')}, adaptation: {sorted(PARAMETER_INDEX)}"
            )
        for name in subjects.columns:
            if name == "subject_id":
                continue
            v = subjects[name].to_numpy(dtype=float)
            if not np.all(np.isfinite(v) & (v >= 0)):
                raise InvalidValueError(f"subjects[{name!r}]: values must be finite and >= 0")
            if name in table:
                table[name] = v
            else:
                p[:, PARAMETER_INDEX[name]] = v
            sampled[name] = v.copy()
    init = np.tile(INITIAL_STATE.astype(float), (n, 1))
    if initial_state is not None:
        init = np.asarray(initial_state, dtype=float)
        if init.shape != (n, len(STATE_NAMES)) or not np.all(np.isfinite(init)):
            raise InvalidValueError(
                f"initial_state: must be a finite ({n}, {len(STATE_NAMES)}) array (columns "
                f"{list(STATE_NAMES)}); got shape {init.shape}"
            )
    kmat = np.ascontiguousarray(model.rate_matrix(table))
    states, inv_v = model._output_scale(table)
    an_state = np.array([states[model.analytes.index(a)] for a in pot.analytes], dtype=np.int64)
    an_coef = np.column_stack(
        [
            pot.unbound_nm(inv_v[:, model.analytes.index(a)], j) / pot.constant_nm[j]
            for j, a in enumerate(pot.analytes)
        ]
    )
    cmt = model.dose_compartment - 1  # 0: depot (F applies), 1: central
    f_dose = table["f"].to_numpy() if cmt == 0 else np.ones(n)
    tlag = float(typical.get("tlag", 0.0)) if cmt == 0 else 0.0
    if tlag >= rule.interval_h:
        raise InvalidValueError(
            f"rule: the dosing interval ({rule.interval_h:g} h) must exceed the lag ({tlag:g} h)"
        )
    slots = np.arange(rule.first_dose_h, min(t_end, rule.last_dose_h), rule.interval_h)
    tl = timeline(t_end, seg, slots, tlag, out_dt, t_win)
    basis = [
        f"{drug} ({route}): exact linear PK ({type(model).__name__}, analytes {list(pot.analytes)})",
        *pot.basis,
        f"adaptation: adaptive Dormand-Prince 5(4), tolerance {tolerance:g} (error per step "
        "relative to 1 + |state|, max over each block's subjects); rule: " + rule.describe(),
        f"rule fields: {dict(zip(RULE_FIELDS, rule.to_array().tolist(), strict=True))}",
    ]
    if cvs:
        basis.append(f"log-normal variability (CV): {cvs}, seed {seed}")
    if subjects is not None:
        basis.append(
            f"per-subject parameters given: {[k for k in subjects.columns if k != 'subject_id']}"
        )
    if initial_state is not None:
        basis.append("per-subject initial adaptation state given (PK starts empty)")
    return _Cohort(
        n=n,
        kmat=kmat,
        f_dose=np.ascontiguousarray(f_dose, dtype=float),
        cmt=int(cmt),
        an_state=an_state,
        an_coef=np.ascontiguousarray(an_coef),
        inv_ratio=1.0 / pot.alpha23_ratio,
        params=np.ascontiguousarray(p),
        slots=slots.astype(float),
        tlag=tlag,
        timeline=tl,
        t_end=t_end,
        tolerance=float(tolerance),
        window_start=t_win,
        sampled=sampled,
        basis=basis,
        init=np.ascontiguousarray(init),
        max_segment=seg,
        out_dt=out_dt,
    )


def simulate_cohort(
    drug: str,
    rule: DosingRule,
    *,
    end: Any,
    n_subjects: int = 1,
    variability: Mapping[str, float] | None = None,
    seed: int = 0,
    params: Mapping[str, float] | None = None,
    tolerance: float = 1e-6,
    max_segment: Any = "24 h",
    output_every: Any = None,
    window_start: Any = "0 h",
    route: str = "oral",
    threads: int | None = None,
    source: str = "ashton-2002",
    subjects: pd.DataFrame | None = None,
    initial_state: np.ndarray | None = None,
    initial_drive: np.ndarray | None = None,
    initial_pk: np.ndarray | None = None,
    initial_step_h: np.ndarray | None = None,
    carry_over: PreviousDrug | None = None,
) -> CohortResult:
    """Simulate PK + neuroadaptation for a cohort under a state-dependent dosing rule (compiled).

    .. math::

        x_{PK}(t + \\Delta) = e^{K\\Delta} x_{PK}(t), \\quad
        y_B = \\sum_j \\frac{f_{u,j} A_j}{V_j MW_j K_{B,j}}, \\quad
        \\dot x = f(x, \\theta, y_B) \\ \\text{(Dormand-Prince 5(4), error-controlled)}

    Parameters
    ----------
    drug : str
        A GABA-A benzodiazepine-site modulator of the knowledge base (parent and active
        metabolites act together, e.g. diazepam + nordiazepam).
    rule : DosingRule
        From :func:`~allostasis.engine.dosing_rule`.
    end : quantity
        Simulation length (e.g. ``"365 days"``).
    n_subjects : int
        Number of subjects (>= 1).
    variability : mapping of str to float, optional
        Coefficient of variation (log-normal) per parameter: PK parameters of the drug's model
        (``cl``, ``v``, ``ka``, ...) and adaptation parameters (``tau_glutamate``, ...).
    seed : int
        Random seed of the variability.
    params : mapping, optional
        Adaptation parameter overrides (canonical units, see ``PARAMETERS``).
    tolerance : float
        Local error tolerance of the adaptive steps, relative to ``1 + |state|`` (default 1e-6:
        the balance index within about 1e-5 of its largest magnitude against scipy at rtol 1e-10,
        at most 2.6e-5 in the scenarios checked; ``benchmarks/bench_engine.py``), in
        [1e-12, 1e-3].
    max_segment : quantity
        Longest interval between shared segment boundaries (default ``"24 h"``); steps never cross
        a boundary and are multiples of 1/4096 of their segment.
    output_every : quantity, optional
        Interval of the index output grid (default: none).
    window_start : quantity
        Summaries (peak, time above threshold, recovery) count from this time (default 0 h).
    route : str
        PK route (default ``"oral"``).
    threads : int, optional
        Threads over blocks of 64 subjects (default: all cores). Results do not depend on it.
    source : str
        Equivalence table for the drug's potency.
    subjects : pandas.DataFrame, optional
        Per-subject parameter values (one row per subject, columns named as in ``variability``;
        an optional ``subject_id`` column is ignored), instead of sampling them here; sets
        ``n_subjects`` (used by :mod:`allostasis.population`).
    initial_state : numpy.ndarray, optional
        ``(n_subjects, 9)`` adaptation state at time 0 (default: the drug-naive state), e.g. the
        ``final_state`` of an earlier run; PK compartments start empty unless ``initial_drive``.
    initial_drive : numpy.ndarray, optional
        ``(n_subjects,)`` drug drive at time 0: placed as parent drug in the central compartment,
        the amount that gives this drive (a hand-over from another drug's ``final_drive``: the
        substitution keeps the receptor drive continuous; it then decays with this drug's PK).
    initial_pk : numpy.ndarray, optional
        ``(n_subjects, n_pk)`` PK amounts at time 0 (mg), e.g. the ``final_pk`` of an earlier run
        of the same drug and subjects: with ``initial_state`` and ``initial_step_h`` the run
        continues that one (not with ``initial_drive``).
    initial_step_h : numpy.ndarray, optional
        ``(n_subjects, 2)`` step controller at time 0 (an earlier run's ``final_step_h``; the
        first subject of each block of 64 sets the block's). A run of ``T1`` hours continued from
        ``T1`` (dose times and ``max_segment`` grid aligned with the split) then takes the same
        steps as one run: results agree to rounding (about 1e-12).
    carry_over : PreviousDrug, optional
        A drug the cohort switches from, with its PK amounts at time 0 (``engine._carry_over``):
        eliminated with its own kinetics while ``drug`` is dosed, its drive added. ``final_pk``
        then lists ``drug``'s compartments followed by the carried drug's. Not with
        ``initial_drive`` or ``initial_pk``.

    Returns
    -------
    CohortResult

    Raises
    ------
    InvalidValueError, UnitError, UnknownDrugError
        On bad values, a drug that is not a GABA-A modulator, or an unknown parameter name.

    Notes
    -----
    Subjects are integrated in blocks of 64 that share their steps (the step is controlled by the
    block's worst subject), so a subject's result can differ between cohorts within the engine's
    accuracy (about 1e-5 of the index's range at the default tolerance), never more. Threads do not
    change results.

    References
    ----------
    1. Dormand JR, Prince PJ (1980). J Comput Appl Math 6:19-26. doi:10.1016/0771-050X(80)90013-3
    2. Van Loan CF (1978). IEEE Trans Autom Control 23:395-404. doi:10.1109/TAC.1978.1101743

    Examples
    --------
    >>> from allostasis.engine import dosing_rule
    >>> r = simulate_cohort("alprazolam", dosing_rule("1 mg", taper_start="20 days", step_fraction=1.0),
    ...                     end="30 days")
    >>> 21 < round(float(r.summary["peak_day"].iloc[0]), 1) < 23
    True
    >>> simulate_cohort("alprazolam", dosing_rule("1 mg"), end="1 day", n_subjects=0)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: n_subjects: must be an integer >= 1; got 0
    """
    c = _prepare(
        drug,
        rule,
        end=end,
        n_subjects=n_subjects,
        variability=variability,
        seed=seed,
        params=params,
        tolerance=tolerance,
        max_segment=max_segment,
        output_every=output_every,
        window_start=window_start,
        route=route,
        source=source,
        subjects=subjects,
        initial_state=initial_state,
    )
    n, tl, slots = c.n, c.timeline, c.slots
    summary = np.empty((n, N_SUMMARY))
    final = np.empty((n, len(STATE_NAMES)))
    doses = np.zeros((n, slots.size))
    grid = tl["grid"]
    index_grid = np.empty((n, grid.size))
    n_blocks = (n + LANES - 1) // LANES
    stats = np.zeros((n_blocks, N_STATS))
    g_coef = np.zeros((n, c.kmat.shape[1]))
    for j, st in enumerate(c.an_state):
        g_coef[:, st] += c.an_coef[:, j]
    kmat = c.kmat
    init_pk = np.zeros((n, kmat.shape[1]))
    carry_basis: list[str] = []
    fixed_mg, fixed_cmt, fixed_f = np.zeros((0, 2)), np.zeros(2, dtype=np.int64), np.ones((n, 2))
    if carry_over is not None:
        if initial_drive is not None or initial_pk is not None:
            raise InvalidValueError(
                "carry_over: not with initial_drive or initial_pk (the previous drug's amounts "
                "are the PK state at time 0)"
            )
        pk = combine(carry_over, drug, c.kmat, g_coef, c.cmt, c.f_dose, c.tlag, c.inv_ratio, source)
        kmat, g_coef, init_pk, carry_basis = pk.kmat, pk.g, pk.init_pk, pk.basis
        fixed_mg, fixed_cmt, fixed_f = pk.fixed_mg, pk.fixed_cmt, pk.fixed_f
        if pk.fixed_t.size:
            tl = timeline(
                c.t_end, c.max_segment, slots, c.tlag, c.out_dt, c.window_start, pk.fixed_t
            )
    final_pk = np.zeros((n, kmat.shape[1]))
    if initial_drive is not None and initial_pk is not None:
        raise InvalidValueError("initial_pk: give either initial_drive or initial_pk, not both")
    if initial_pk is not None:
        x0 = np.asarray(initial_pk, dtype=float)
        if x0.shape != init_pk.shape or not np.all(np.isfinite(x0) & (x0 >= 0)):
            raise InvalidValueError(
                f"initial_pk: must be a finite, non-negative {init_pk.shape} array; got shape "
                f"{x0.shape}"
            )
        init_pk[:] = x0
    ctrl = np.full((n, 2), -1.0)
    if initial_step_h is not None:
        h0 = np.asarray(initial_step_h, dtype=float)
        if h0.shape != (n, 2) or not np.all(np.isfinite(h0)):
            raise InvalidValueError(
                f"initial_step_h: must be a finite ({n}, 2) array; got shape {h0.shape}"
            )
        ctrl[:] = h0
    final_ctrl = np.empty((n, 2))
    if initial_drive is not None:
        y0 = np.asarray(initial_drive, dtype=float)
        if y0.shape != (n,) or not np.all(np.isfinite(y0) & (y0 >= 0)):
            raise InvalidValueError(
                f"initial_drive: must be a finite, non-negative ({n},) array; got shape {y0.shape}"
            )
        central = 1 if c.cmt == 0 else 0
        init_pk[:, central] = y0 / g_coef[:, central]
    limits = np.array(
        [
            float(SEIZURE_INDEX_THRESHOLD),
            _RECOVERY_INDEX,
            c.window_start,
            c.tolerance,
            _FIRST_STEP_H,
        ]
    )
    simulate_cohort_kernel(
        np.ascontiguousarray(kmat),
        c.f_dose,
        c.cmt,
        g_coef,
        c.inv_ratio,
        pack_parameters(c.params),
        np.array(receptor_terms(receptor_constants())),
        c.init,
        tl["lengths"],
        tl["kind"],
        tl["t"],
        tl["decide"],
        tl["enter"],
        slots,
        rule.to_array(),
        limits,
        tl["out"],
        tl["settled_t"],
        tl["settled_kind"],
        tl["settled_out"],
        tl["to_settled"],
        summary,
        final,
        doses,
        index_grid,
        stats,
        init_pk,
        final_pk,
        ctrl,
        final_ctrl,
        tl["fixed"],
        fixed_mg,
        fixed_cmt,
        fixed_f,
        threads=default_threads() if threads is None else max(1, int(threads)),
    )
    rec = summary[:, 3]
    df = pd.DataFrame(
        {
            "subject_id": np.arange(1, n + 1),
            "peak_index": summary[:, 0],
            "peak_day": summary[:, 1] / 24.0,
            "days_above_seizure_threshold": summary[:, 2] / 24.0,
            "days_to_recovery": (rec - summary[:, 1]) / 24.0,
            "held_doses": summary[:, 4].astype(int),
            "final_index": summary[:, 5],
        }
    )
    return CohortResult(
        summary=df,
        final_state=final,
        dose_times_h=slots,
        doses_mg=doses,
        grid_times_h=grid,
        index_grid=index_grid,
        parameters=pd.DataFrame({"subject_id": df["subject_id"], **c.sampled}),
        solver=dict(zip(STATS_FIELDS, stats.sum(axis=0).astype(int).tolist(), strict=True)),
        basis=list(c.basis)
        + carry_basis
        + (
            ["initial PK amounts and step controller handed over (a continued run)"]
            if initial_pk is not None
            else []
        ),
        final_drive=np.einsum("ij,ij->i", g_coef, final_pk),
        final_pk=final_pk,
        final_step_h=final_ctrl,
        due_index_max=summary[:, 6].copy(),
    )
