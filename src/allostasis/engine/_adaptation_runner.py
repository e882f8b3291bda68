"""Simulate a regimen: PK concentrations -> drug action -> adaptation ODEs -> physiology outputs.

Concentrations come from :func:`allostasis.exposure.pk_model` (exact linear PK) on an hourly grid
(plus 1-minute points for 3 h after each intravenous dose). Drug actions (``_drug_action``) become
the model inputs, linear between integration nodes, and the adaptation ODEs (``_model``) are
integrated either by classical fourth-order Runge-Kutta with a fixed step no longer than
``max_step`` (vectorised over subjects), or by :func:`scipy.integrate.solve_ivp` (Radau) as the
reference. Both integrate the same ODE (the same piecewise-linear inputs).

Before ``detail_from`` (default: 14 days before the last modulator dose) the nodes are daily and the
inputs are the day's mean of the hourly inputs: chronic use is integrated on daily-average exposure.
This is justified because every adaptation time constant except the HPA's is a day or longer and
the inputs enter the slow states only through their average effect. The error is bounded by a test
(``tests/engine/test_phenomena.py::test_daily_mean_shortcut_error_is_bounded``): for alprazolam
2 mg/day x 60 days and an abrupt stop, the peak index differs from the fully hourly simulation by
0.06% at the same hour and the end states by < 1e-4 relative (conditioned arousal 2e-3); the fast
states (alpha1 coupling, HPA tone) differ by up to 0.01 while on drug and re-converge within the
14-day hourly window.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict
from scipy.integrate import solve_ivp

from allostasis.adaptation._drug_action import DrugPotency, drug_potency
from allostasis.adaptation._model import (
    INITIAL_STATE,
    INPUT_NAMES,
    STATE_NAMES,
    STATE_UNITS,
    adaptation_outputs,
    adaptation_rhs,
    receptor_constants,
)
from allostasis.adaptation._parameters import parameter_array
from allostasis.errors import DosingRecordError, InvalidValueError
from allostasis.exposure import pk_model
from allostasis.knowledge import load_knowledge_base
from allostasis.physiology._symptoms import (
    SEIZURE_INDEX_THRESHOLD,
    SYMPTOM_DOMAINS,
    heart_rate,
    severity_kernel,
)
from allostasis.regimen import DosingRecords
from allostasis.units import magnitude

__all__ = ["RECOVERY_INDEX", "AdaptationResult", "WithdrawalSummary", "simulate_adaptation"]

#: Balance index below which a subject counts as recovered (modelling assumption: below the
#: anxiety domain's 10% severity, 0.06 x (1/9)^(1/2) = 0.02).
RECOVERY_INDEX: Final = 0.02
_LABELS: Final[dict[str, str]] = {
    "bzd_antagonist": "HYPOTHESIS: the speed-up of receptor re-equilibration by low-dose flumazenil "
    "is a hypothesis without quantitative data (flumazenil_reset_gain)",
    "nmda_blocker": "INVESTIGATIONAL: ketamine for benzodiazepine withdrawal is investigational; "
    "its BDNF/mTOR plasticity effect is a modelling assumption",
}


class WithdrawalSummary(BaseModel):
    """Per-subject summary of a simulation's window of interest."""

    model_config = ConfigDict(frozen=True)

    subject_id: int
    last_modulator_dose_day: float | None
    peak_day: float
    """Day of the peak balance index, counted from the last modulator dose (from t = 0 if none)."""
    peak_index: float
    peak_severity: dict[str, float]
    peak_heart_rate_bpm: float
    seizure_risk: bool
    seizure_threshold: float
    days_to_recovery: float | None
    """Days from the peak until the index stays below RECOVERY_INDEX; None if it never does."""
    labels: list[str]
    basis: list[str]


@dataclass(frozen=True)
class AdaptationResult:
    """States and outputs on the integration nodes, ``(n_subjects, n_times)`` each."""

    subject_ids: np.ndarray
    times_h: np.ndarray
    states: np.ndarray
    outputs: dict[str, np.ndarray]
    units: dict[str, str]
    detail_from_h: float
    last_modulator_dose_h: np.ndarray
    labels: list[str] = field(default_factory=list)
    basis: list[str] = field(default_factory=list)

    def variable(self, name: str) -> np.ndarray:
        """``(n_subjects, n_times)`` values of a state or output."""
        if name in STATE_NAMES:
            return np.asarray(self.states[:, :, STATE_NAMES.index(name)])
        if name in self.outputs:
            return self.outputs[name]
        known = ", ".join([*STATE_NAMES, *self.outputs])
        raise InvalidValueError(f"name: {name!r} is not a variable; known: {known}")

    def to_dataframe(self, variables: Sequence[str] | None = None) -> pd.DataFrame:
        """Tidy table with columns subject_id, time (h), variable, value; units in ``attrs``."""
        names = list(variables) if variables is not None else [*STATE_NAMES, *self.outputs]
        n, nt = self.states.shape[:2]
        frames = [
            pd.DataFrame(
                {
                    "subject_id": np.repeat(self.subject_ids, nt),
                    "time": np.tile(self.times_h, n),
                    "variable": name,
                    "value": self.variable(name).astype(float).reshape(-1),
                }
            )
            for name in names
        ]
        df = pd.concat(frames, ignore_index=True)
        df.attrs["units"] = {"time": "h", **{k: self.units[k] for k in names}}
        df.attrs["labels"] = list(self.labels)
        return df

    def summary(self, from_time: Any = None) -> list[WithdrawalSummary]:
        """One :class:`WithdrawalSummary` per subject over the window from ``detail_from``.

        ``from_time`` (a quantity, e.g. ``"730 days"``) starts the window later: the withdrawal
        peak after chronic use ends, rather than interdose swings while still on the drug.
        """
        out = []
        start_h = self.detail_from_h
        if from_time is not None:
            start_h = max(start_h, magnitude(from_time, field="from_time", unit="h", minimum=0.0))
        win = self.times_h >= start_h - 1e-9
        t = self.times_h[win]
        x_all = self.outputs["balance_index"][:, win]
        for i, sid in enumerate(self.subject_ids):
            x = x_all[i]
            k = int(np.argmax(x))
            ref = self.last_modulator_dose_h[i]
            t0 = 0.0 if np.isnan(ref) else ref
            below = x < RECOVERY_INDEX
            rec = None
            after = np.nonzero(~below[k:])[0]
            if below[-1]:
                j = k + (int(after[-1]) + 1 if after.size else 0)
                rec = float((t[j] - t[k]) / 24.0)
            out.append(
                WithdrawalSummary(
                    subject_id=int(sid),
                    last_modulator_dose_day=None if np.isnan(ref) else float(ref / 24.0),
                    peak_day=float((t[k] - t0) / 24.0),
                    peak_index=float(x[k]),
                    peak_severity={
                        d.name: float(severity_kernel(np.array(x[k]), d.x50, d.hill))
                        for d in SYMPTOM_DOMAINS
                    },
                    peak_heart_rate_bpm=float(heart_rate(x[k])),
                    seizure_risk=bool(np.any(x >= SEIZURE_INDEX_THRESHOLD)),
                    seizure_threshold=SEIZURE_INDEX_THRESHOLD,
                    days_to_recovery=rec,
                    labels=list(self.labels),
                    basis=list(self.basis),
                )
            )
        return out

    def __repr__(self) -> str:
        return (
            f"<AdaptationResult: {len(self.subject_ids)} subject(s), {self.times_h.size} time(s) "
            f"0-{self.times_h[-1] / 24.0:g} days, {len(STATE_NAMES)} states>"
        )


def _route(drug: str, reg: DosingRecords, routes: Mapping[str, str]) -> str:
    if drug in routes:
        return routes[drug]
    d = load_knowledge_base()[drug]
    doses = reg.data[reg.data["EVID"] == 1]
    if (doses["CMT"] == 2).all() and "iv" in d.pk.routes:
        return "iv"
    return "oral" if "oral" in d.pk.routes else next(iter(d.pk.routes))


def _inputs_on(pots: list[tuple[DrugPotency, np.ndarray]], n: int, nt: int) -> np.ndarray:
    """Model inputs ``(n_subjects, n_times, 5)`` from unbound concentrations per drug."""
    inp = np.zeros((n, nt, len(INPUT_NAMES)))
    block_ratio = np.zeros((n, nt))
    for pot, conc in pots:
        for j in range(len(pot.analytes)):
            y = pot.unbound_nm(conc[:, j], j) / pot.constant_nm[j]
            if pot.role == "modulator":
                inp[:, :, 0] += y
                inp[:, :, 1] += y / pot.alpha23_ratio
            elif pot.role == "bzd_antagonist":
                inp[:, :, 2] += y
            else:
                block_ratio += y
    inp[:, :, 3] = block_ratio / (1.0 + block_ratio)
    return inp


def _rk4(
    nodes: np.ndarray, inputs: np.ndarray, params: np.ndarray, rc: np.ndarray, max_step: float
) -> np.ndarray:
    n = inputs.shape[0]
    y = np.tile(INITIAL_STATE, (n, 1))
    out = np.empty((n, nodes.size, y.shape[1]))
    out[:, 0] = y
    for k in range(nodes.size - 1):
        dt_total = nodes[k + 1] - nodes[k]
        m = max(1, int(np.ceil(dt_total / max_step - 1e-9)))
        h = dt_total / m
        u0, u1 = inputs[:, k], inputs[:, k + 1]
        for s in range(m):
            a, b = s / m, (s + 1) / m
            ua = u0 + (u1 - u0) * a
            ub = u0 + (u1 - u0) * b
            um = 0.5 * (ua + ub)
            k1 = adaptation_rhs(y, params, ua, rc)
            k2 = adaptation_rhs(y + 0.5 * h * k1, params, um, rc)
            k3 = adaptation_rhs(y + 0.5 * h * k2, params, um, rc)
            k4 = adaptation_rhs(y + h * k3, params, ub, rc)
            y = y + h / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
        out[:, k + 1] = y
    return out


def _reference(
    nodes: np.ndarray, inputs: np.ndarray, params: np.ndarray, rc: np.ndarray, rtol: float
) -> np.ndarray:
    n, _, ns = inputs.shape[0], inputs.shape[1], INITIAL_STATE.size

    def f(t: float, yflat: np.ndarray) -> np.ndarray:
        k = int(np.clip(np.searchsorted(nodes, t, side="right") - 1, 0, nodes.size - 2))
        w = (t - nodes[k]) / (nodes[k + 1] - nodes[k])
        u = inputs[:, k] + (inputs[:, k + 1] - inputs[:, k]) * w
        return np.asarray(adaptation_rhs(yflat.reshape(n, ns), params, u, rc).reshape(-1))

    out = np.empty((n, nodes.size, ns))
    y = np.tile(INITIAL_STATE, (n, 1)).reshape(-1)
    out[:, 0] = y.reshape(n, ns)
    # integrate node to node so that the kinks of the piecewise-linear inputs are honoured exactly
    for k in range(nodes.size - 1):
        sol = solve_ivp(f, (nodes[k], nodes[k + 1]), y, method="Radau", rtol=rtol, atol=rtol * 1e-3)
        if not sol.success:  # pragma: no cover - Radau on this smooth system does not fail
            raise InvalidValueError(f"solve_ivp: {sol.message}")
        y = sol.y[:, -1]
        out[:, k + 1] = y.reshape(n, ns)
    return out


def simulate_adaptation(
    regimens: Mapping[str, DosingRecords],
    *,
    end: Any,
    detail_from: Any = None,
    step: Any = "1 h",
    max_step: Any = "2 h",
    cues: Sequence[tuple[Any, Any]] = (),
    params: Mapping[str, float] | None = None,
    routes: Mapping[str, str] | None = None,
    source: str = "ashton-2002",
    method: str = "rk4",
    rtol: float = 1e-9,
) -> AdaptationResult:
    """Simulate tolerance, dependence and withdrawal for any mix of GABA-A modulators, flumazenil, ketamine.

    .. math::

        C(t) \\xrightarrow{\\text{PK}} y_B, y_F, b_{NMDA} \\xrightarrow{} \\dot x = f(x, \\theta, u(t))
        \\xrightarrow{} X = \\ln(E/I),\\ \\sigma_d(X)

    Parameters
    ----------
    regimens : mapping of str to DosingRecords
        Drug name -> its dosing records (``every``, ``taper``, ``iv_bolus``, merged with ``+``).
        Several modulators (e.g. alprazolam then diazepam) add at the benzodiazepine site.
    end : quantity
        Simulation length (e.g. ``"200 days"``).
    detail_from : quantity, optional
        Start of the hourly window; before it chronic use is integrated on daily-mean inputs.
        Default 14 days before the last modulator dose (0 if there is none).
    step : quantity
        Output / node spacing in the window (default ``"1 h"``).
    max_step : quantity
        Longest Runge-Kutta step (default ``"2 h"``).
    cues : sequence of (time, duration)
        Conditioned cues (e.g. ``[("150 days", "2 h")]``).
    params : mapping, optional
        Parameter overrides in canonical units (see ``PARAMETERS``).
    routes : mapping, optional
        Route per drug; default ``iv`` when every dose goes into CMT 2, else ``oral``.
    source : str
        Equivalence table for modulator potency (default ``ashton-2002``).
    method : str
        ``"rk4"`` (fixed step, default) or ``"solve_ivp"`` (Radau reference, ``rtol``).
    rtol : float
        Relative tolerance of the reference (default 1e-9).

    Returns
    -------
    AdaptationResult
        ``to_dataframe()`` (subject_id, time, variable, value) and ``summary()``.

    Raises
    ------
    UnitError, InvalidValueError, DosingRecordError, UnknownDrugError
        On bad quantities, an empty regimen mapping, an unknown method or an unsupported drug.

    References
    ----------
    1. Busto U et al. (1986). Withdrawal reaction after long-term therapeutic use of
       benzodiazepines. N Engl J Med 315:854-859 (earlier withdrawal after short-acting drugs).

    Examples
    --------
    >>> from allostasis.regimen import every
    >>> r = simulate_adaptation({"alprazolam": every("0.5 mg", "8 h", duration="20 days")}, end="25 days")
    >>> r
    <AdaptationResult: 1 subject(s), 486 time(s) 0-25 days, 9 states>
    >>> simulate_adaptation({}, end="1 day")
    Traceback (most recent call last):
    ...
    allostasis.errors.DosingRecordError: regimens: give at least one drug and its DosingRecords
    """
    if not regimens:
        raise DosingRecordError("regimens: give at least one drug and its DosingRecords")
    if method not in ("rk4", "solve_ivp"):
        raise InvalidValueError(f"method: must be 'rk4' or 'solve_ivp'; got {method!r}")
    t_end = magnitude(end, field="end", unit="h", strictly_positive=True)
    dt = magnitude(step, field="step", unit="h", strictly_positive=True)
    h_max = magnitude(max_step, field="max_step", unit="h", strictly_positive=True)
    routes = dict(routes or {})
    ids = np.unique(np.concatenate([r.subject_ids for r in regimens.values()])).astype(int)
    n = ids.size
    pots: dict[str, DrugPotency] = {}
    last_dose = np.full(n, np.nan)
    iv_times: list[float] = []
    for drug, reg in regimens.items():
        if not isinstance(reg, DosingRecords):
            raise DosingRecordError(
                f"regimens[{drug!r}]: must be DosingRecords; got {type(reg).__name__}"
            )
        pots[drug] = drug_potency(drug, source=source)
        dd = reg.data[reg.data["EVID"] == 1]
        if pots[drug].role == "modulator":
            ends = dd["TIME"] + dd["II"].fillna(0) * dd["ADDL"].fillna(0)
            for i, sid in enumerate(ids):
                sel = ends[(dd["ID"] == sid) | (reg.subject_ids.size == 1)]
                if sel.size:
                    last_dose[i] = np.fmax(last_dose[i], float(sel.max()))
        if _route(drug, reg, routes) != "oral":
            iv_times.extend(float(t) for t in dd["TIME"])
    if detail_from is None:
        t_detail = (
            max(0.0, float(np.nanmax(last_dose)) - 14 * 24.0)
            if np.any(~np.isnan(last_dose))
            else 0.0
        )
    else:
        t_detail = magnitude(detail_from, field="detail_from", unit="h", minimum=0.0)
    t_detail = min(24.0 * np.floor(t_detail / 24.0), t_end)
    hourly = np.arange(0.0, t_end + 1e-9, min(dt, 1.0))
    fine = [t + np.arange(0.0, 3.0, 1.0 / 60.0) for t in iv_times]
    pk_times = np.unique(np.concatenate([hourly, *fine, [t_end]]))
    pk_times = pk_times[pk_times <= t_end + 1e-9]
    from allostasis.units import Q_

    subj = pd.DataFrame({"subject_id": ids})
    conc: list[tuple[DrugPotency, np.ndarray]] = []
    basis: list[str] = []
    for drug, reg in regimens.items():
        route = _route(drug, reg, routes)
        model = pk_model(drug, route)
        res = model.simulate(reg, Q_(pk_times, "h"), subjects=subj)
        pot = pots[drug]
        c = np.stack([res.concentration(a) for a in pot.analytes], axis=-1)  # (n, nt, n_an)
        conc.append((pot, np.moveaxis(c, -1, 1)))
        basis += [f"{drug} ({route}): {b}" for b in pot.basis]
    inputs_fine = _inputs_on(conc, n, pk_times.size)
    for t0, dur in cues:
        a = magnitude(t0, field="cues time", unit="h", minimum=0.0)
        w = magnitude(dur, field="cues duration", unit="h", strictly_positive=True)
        inputs_fine[:, (pk_times >= a) & (pk_times <= a + w), 4] = 1.0
    # nodes: daily means before the window, every pk time (>= step apart except fine points) after
    days = np.arange(0.0, t_detail + 1e-9, 24.0)
    coarse_inputs = np.empty((n, days.size, len(INPUT_NAMES)))
    for k, t in enumerate(days):
        sel = (pk_times >= t - 12.0) & (pk_times < t + 12.0)
        coarse_inputs[:, k] = inputs_fine[:, sel].mean(axis=1)
    win = pk_times > t_detail + 1e-9
    keep = win & (
        (np.abs(np.round(pk_times / dt) * dt - pk_times) < 1e-9)
        | np.isin(pk_times, np.concatenate(fine) if fine else [])
        | (pk_times == pk_times[-1])
    )
    nodes = np.concatenate([days, pk_times[keep]])
    inputs = np.concatenate([coarse_inputs, inputs_fine[:, keep]], axis=1)
    p = parameter_array(n, **dict(params or {}))
    rc = receptor_constants()
    if method == "rk4":
        states = _rk4(nodes, inputs, p, rc, h_max)
    else:
        states = _reference(nodes, inputs, p, rc, float(rtol))
    outs: dict[str, list[np.ndarray]] = {}
    for k in range(nodes.size):
        o = adaptation_outputs(states[:, k], p, inputs[:, k], rc)
        for name, v in o.items():
            outs.setdefault(name, []).append(v)
    outputs = {name: np.stack(v, axis=1) for name, v in outs.items()}
    x = outputs["balance_index"]
    for d in SYMPTOM_DOMAINS:
        outputs[d.name] = severity_kernel(x, d.x50, d.hill)
    outputs["heart_rate"] = np.asarray(heart_rate(x))
    outputs["seizure_risk"] = (x >= SEIZURE_INDEX_THRESHOLD).astype(float)
    outputs["dissociation"] = outputs["nmda_block"] ** 2 / (0.3**2 + outputs["nmda_block"] ** 2)
    units = dict(STATE_UNITS)
    units.update(
        {
            "inhibitory_drive": "relative to drug-naive",
            "excitatory_drive": "relative to drug-naive",
            "balance_index": "ln(E/I), 0 = drug-naive",
            "drug_free_index": "ln(E/I) with all drug removed",
            "e_gaba": "mV",
            "intracellular_chloride": "mM",
            "sedation": "net inhibition of an alpha1 circuit, -ln(E/I_1), 0 = drug-naive",
            "anxiolysis": "net inhibition of an alpha2/3 circuit, -ln(E/I_23), 0 = drug-naive",
            "nmda_block": "fraction",
            "heart_rate": "beats/min",
            "seizure_risk": "flag (1 = index >= threshold)",
            "dissociation": "0-1, INVESTIGATIONAL (modelling assumption: Hill of NMDA block, b50 0.3)",
            **{d.name: "severity 0-1 (modelling assumption)" for d in SYMPTOM_DOMAINS},
        }
    )
    labels = sorted({_LABELS[p_.role] for p_ in pots.values() if p_.role in _LABELS})
    basis.insert(
        0,
        f"integration: {method}, max step {h_max:g} h; daily-mean inputs before "
        f"{t_detail / 24.0:g} days",
    )
    return AdaptationResult(
        subject_ids=ids,
        times_h=nodes,
        states=states,
        outputs=outputs,
        units=units,
        detail_from_h=t_detail,
        last_modulator_dose_h=last_dose,
        labels=labels,
        basis=basis,
    )
