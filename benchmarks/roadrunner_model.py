"""The full PK + neuroadaptation model in Antimony, for the libroadrunner comparison of the benchmarks.

libroadrunner is installed for the benchmarks only (``pip install libroadrunner antimony``); it is
not a dependency of allostasis. The model text is generated from the same objects the compiled
engine runs (``engine._compiled._prepare``): the subject's linear PK rate matrix ``K`` (all
compartments, parent and metabolites), the receptor-weighted analyte coefficients, the packed
adaptation parameters, GABA's operational constants and the chloride constants -- so the two solve
the same equations (``adaptation._model``; the flumazenil, ketamine and cue inputs are zero in the
benchmark and are left out). Doses enter by one repeating SBML event whose amount is a piecewise
function of time built from the doses the compiled run gave (valid for rules without holds).
``compare`` checks the balance index against the compiled engine before timing is trusted.

Usage (from the other benchmarks): ``rr = RoadRunnerCohort(c, doses_mg); rr.run(s, grid_h)``.
"""

from __future__ import annotations

import time
from typing import Any

import numpy as np

from allostasis.adaptation._chloride import (
    _RT_F_MV,
    CL_IN_MAX_MM,
    CL_OUT_MM,
    E_GABA_NORMAL_MV,
    FIRING_THRESHOLD_MV,
    HCO3_IN_MM,
    HCO3_OUT_MM,
    KCC2_EXTRUSION_RATIO,
    P_HCO3_OVER_P_CL,
)
from allostasis.adaptation._model import INITIAL_STATE, receptor_constants
from allostasis.adaptation._parameters import PARAMETER_INDEX

_STATES = ("R", "S", "K1", "K23", "G", "A", "H", "C", "P")


def _dose_piecewise(slot_t: np.ndarray, amounts: np.ndarray) -> str:
    """Antimony expression of the dose (mg) at time ``time``: run-length coded over the slots."""
    pieces: list[str] = []
    level = amounts[0]
    for t, a in zip(slot_t[1:], amounts[1:], strict=True):
        if a != level:
            pieces.append(f"{level:.17g}, time < {t - 1e-6:.17g}")
            level = a
    return f"piecewise({', '.join([*pieces, f'{level:.17g}'])})" if pieces else f"{level:.17g}"


def antimony_text(c: Any, doses_mg: np.ndarray) -> str:
    """The model for cohort ``c`` (``_prepare``'s result); ``doses_mg (n_slots,)`` shared doses."""
    n = c.kmat.shape[1]
    tau, hill, x0 = (float(v) for v in receptor_constants())
    e_x0 = (tau * x0) ** hill / ((1 + x0) ** hill + (tau * x0) ** hill)
    lines = ["model allostasis_full"]
    for i in range(n):
        terms = " + ".join(f"k{i}_{j} * x{j}" for j in range(n))
        lines.append(f"  x{i} = 0; x{i}' = {terms};")
        lines += [f"  k{i}_{j} = 0;" for j in range(n)]
    lines.append("  " + "; ".join(f"g{i} = 0" for i in range(n)) + "; fdose = 1;")
    yb = " + ".join(f"g{i} * x{i}" for i in range(n))
    lines += [
        f"  yb := {yb}; y23 := yb * {c.inv_ratio:.17g};",
        f"  amt := {_dose_piecewise(c.slots, doses_mg)};",
        # the first dose is set by RoadRunnerCohort.run after the subject's parameters (a t0
        # event would fire inside resetAll, with the default parameter values)
        f"  ii = {float(np.diff(c.slots)[0]):.17g}; tnext = {float(c.slots[0] + c.tlag):.17g} + ii;",
        f"  E1: at (time >= tnext), t0 = true: x{c.cmt} = x{c.cmt} + fdose * amt, "
        "tnext = tnext + ii;",
    ]
    for name in PARAMETER_INDEX:
        lines.append(f"  {name} = 1;")
    for s, v in zip(_STATES, INITIAL_STATE, strict=True):
        lines.append(f"  {s} = {float(v):.17g};")
    rho, cmax, rtf = KCC2_EXTRUSION_RATIO, CL_IN_MAX_MM, _RT_F_MV
    q0 = CL_OUT_MM + P_HCO3_OVER_P_CL * HCO3_OUT_MM
    lines += [
        # GABA potentiation per pool (operational allosteric model)
        "  s1 := (1 + (1 + K1 * (alpha_cooperativity - 1)) * yb) / (1 + yb);",
        "  s23 := (1 + (1 + K23 * (alpha_cooperativity - 1)) * y23) / (1 + y23);",
        f"  xs1 := s1 * {x0:.17g}; xs23 := s23 * {x0:.17g};",
        f"  pi1 := ({tau:.17g} * xs1)^{hill:.17g} / ((1 + xs1)^{hill:.17g} + "
        f"({tau:.17g} * xs1)^{hill:.17g}) / {e_x0:.17g};",
        f"  pi23 := ({tau:.17g} * xs23)^{hill:.17g} / ((1 + xs23)^{hill:.17g} + "
        f"({tau:.17g} * xs23)^{hill:.17g}) / {e_x0:.17g};",
        # chloride: KCC2 -> [Cl-]i -> E_GABA (GHK with bicarbonate) -> driving force
        f"  egaba := {rtf:.17g} * ln(({cmax:.17g} / (1 + {rho:.17g} * A) + "
        f"{P_HCO3_OVER_P_CL * HCO3_IN_MM:.17g}) / {q0:.17g});",
        f"  d := ({FIRING_THRESHOLD_MV:.17g} - egaba) / "
        f"({FIRING_THRESHOLD_MV - E_GABA_NORMAL_MV:.17g});",
        "  ins := (1 - S) * alpha4_efficacy;",
        "  inh := R * d * (weight_alpha1 * (S * pi1 + ins) + (1 - weight_alpha1) * (S * pi23 + ins));",
        "  X := ln(G / inh);",
        "  h := tanh(-X / drive_saturation); hp := piecewise(h, h > 0, 0);",
        "  R' = (1 - gain_density * h - R) / tau_density;",
        "  S' = (1 - gain_sensitive * hp - S) / tau_sensitive;",
        "  K1' = (1 - gain_coupling_alpha1 * h - K1) / tau_coupling_alpha1;",
        "  K23' = (1 - gain_coupling_alpha23 * h - K23) / tau_coupling_alpha23;",
        "  G' = (1 + gain_glutamate * h - G) * (1 + plasticity_gain * P) / tau_glutamate;",
        "  A' = (1 - gain_kcc2 * hp - A) / tau_kcc2;",
        "  H' = (exp(gain_hpa * X) - H) / tau_hpa;",
        "  C' = conditioning_rate * piecewise(X - conditioning_threshold, "
        "X > conditioning_threshold, 0) * (1 - C) - C / tau_extinction;",
        "  P' = -P / tau_plasticity;",
        "end",
    ]
    return "\n".join(lines)


class RoadRunnerCohort:
    """One compiled roadrunner model; :meth:`run` simulates one subject of the cohort."""

    def __init__(self, c: Any, doses_mg: np.ndarray) -> None:
        import antimony
        import roadrunner

        antimony.clearPreviousLoads()
        if antimony.loadAntimonyString(antimony_text(c, doses_mg)) < 0:
            raise RuntimeError(antimony.getLastError())
        self.rr = roadrunner.RoadRunner(antimony.getSBMLString("allostasis_full"))
        self.c = c
        self.first_dose = float(doses_mg[0])
        if c.tlag != 0.0 or c.slots[0] != 0.0:
            raise ValueError("the roadrunner comparison needs the first dose at t = 0, no lag")
        n = c.kmat.shape[1]
        self._kids = [(f"k{i}_{j}", i, j) for i in range(n) for j in range(n)]

    def run(self, s: int, grid_h: np.ndarray) -> np.ndarray:
        """Balance index of subject ``s`` on ``grid_h`` (h, starting at 0)."""
        rr, c = self.rr, self.c
        rr.resetAll()
        for key, i, j in self._kids:
            rr[key] = float(c.kmat[s, i, j])
        g = np.zeros(c.kmat.shape[1])
        g[c.an_state] = c.an_coef[s]
        for i, v in enumerate(g):
            rr[f"g{i}"] = float(v)
        rr["fdose"] = float(c.f_dose[s])
        rr[f"x{c.cmt}"] = float(c.f_dose[s] * self.first_dose)
        for name, k in PARAMETER_INDEX.items():
            rr[name] = float(c.params[s, k])
        out = rr.simulate(float(grid_h[0]), float(grid_h[-1]), int(grid_h.size), ["time", "X"])
        return np.asarray(out[:, 1])


def compare(
    c: Any, doses_mg: np.ndarray, index_grid: np.ndarray, grid_h: np.ndarray, subjects: np.ndarray
) -> dict[str, Any]:
    """Time roadrunner on ``subjects`` and its largest index difference from the engine's grid."""
    model = RoadRunnerCohort(c, doses_mg)
    t0 = time.perf_counter()
    err = 0.0
    for s in subjects:
        x = model.run(int(s), grid_h)
        ref = index_grid[s]
        err = max(err, float(np.abs(x - ref).max() / np.abs(ref).max()))
    dt = time.perf_counter() - t0
    days = float(grid_h[-1] - grid_h[0]) / 24.0
    return {
        "subjects": int(subjects.size),
        "wall_s": round(dt, 2),
        "patient-days/s": round(subjects.size * days / dt),
        "max |dX| / max|X| vs allostasis": float(f"{err:.3g}"),
    }
