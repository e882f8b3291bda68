"""Compiled cohort kernel: exact linear PK + fixed-step RK4 adaptation, subjects innermost, with rules.

For each block of subjects the kernel walks one shared sequence of steps (a regular grid of length
``h`` plus the dose times and dose-plus-lag times). Over a step of length :math:`\\Delta` the PK
amounts (depot, central, peripheral, metabolites; exactly as ``allostasis.exposure`` builds the rate
matrix :math:`K` per subject) are advanced exactly with the propagator of the homogeneous system,

.. math::

    x(t + \\Delta/2) = \\Phi(\\Delta/2)\\, x(t), \\qquad
    x(t + \\Delta) = \\Phi(\\Delta/2)\\, x(t + \\Delta/2), \\qquad \\Phi(\\delta) = e^{K\\delta},

(``allostasis.exposure._kernel._propagators``, Van Loan 1978), so that the drug inputs of the
classical fourth-order Runge-Kutta stages at :math:`t, t + \\Delta/2, t + \\Delta` are exact:

.. math::

    y_{B,\\alpha1} = \\sum_j \\frac{f_{u,j}\\, A_j / V_j}{MW_j\\, K_{B,j}}, \\qquad
    y_{B,\\alpha2/3} = y_{B,\\alpha1} / r_{23}.

The adaptation state is advanced by RK4 of :func:`allostasis.adaptation.adaptation_rhs`, compiled
from its own source (:func:`compiled_model_function`), so the model is defined once. Doses are
decided at run time by a :class:`~allostasis.engine._rules.DosingRule` from the balance index at the
dose time, and summaries (peak index and time, time above the seizure threshold, recovery) are
accumulated on the fly at every step boundary.

References
----------
1. Van Loan CF (1978). Computing integrals involving the matrix exponential. IEEE Trans Autom
   Control 23:395-404. doi:10.1109/TAC.1978.1101743
2. Hairer E, Norsett SP, Wanner G (1993). Solving Ordinary Differential Equations I, 2nd ed.
   Springer (classical Runge-Kutta, order 4).
"""

from __future__ import annotations

import ast
import copy
import hashlib
import inspect
import os
import textwrap
import types
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Final

import numpy as np
from numba import njit

from allostasis.adaptation import _model
from allostasis.adaptation._parameters import PARAMETER_INDEX
from allostasis.exposure._kernel import _propagators

__all__ = [
    "BLOCK",
    "N_SUMMARY",
    "SUMMARY_FIELDS",
    "compiled_model_function",
    "default_threads",
    "model_source_hash",
    "run_block",
    "simulate_cohort_kernel",
]

#: Default subjects per block (a block's arrays stay in L2; allocation is amortised over it).
BLOCK: Final = 256
#: Per-subject summary columns written by the kernel.
SUMMARY_FIELDS: Final[tuple[str, ...]] = (
    "peak_index",
    "peak_time_h",
    "hours_above_seizure_threshold",
    "recovery_time_h",
    "held_doses",
    "final_index",
)
N_SUMMARY: Final = len(SUMMARY_FIELDS)

_COMPILED: dict[Any, Any] = {}


class _ParameterIndex(ast.NodeTransformer):
    """``_P["name"]`` -> the integer column (numba cannot index a global dict)."""

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        self.generic_visit(node)
        if (
            isinstance(node.value, ast.Name)
            and node.value.id == "_P"
            and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, str)
        ):
            return ast.copy_location(ast.Constant(PARAMETER_INDEX[node.slice.value]), node)
        return node


class _UnrollRange(ast.NodeTransformer):
    """``(e(i) for i in range(n))`` with a literal ``n`` -> the tuple ``(e(0), ..., e(n-1))``."""

    def visit_GeneratorExp(self, node: ast.GeneratorExp) -> ast.AST:
        self.generic_visit(node)
        gen = node.generators[0]
        it = gen.iter
        if (
            len(node.generators) == 1
            and not gen.ifs
            and isinstance(gen.target, ast.Name)
            and isinstance(it, ast.Call)
            and isinstance(it.func, ast.Name)
            and it.func.id == "range"
            and len(it.args) == 1
            and isinstance(it.args[0], ast.Constant)
            and isinstance(it.args[0].value, int)
        ):
            var = gen.target.id
            elts: list[ast.expr] = []
            for i in range(it.args[0].value):

                class _Sub(ast.NodeTransformer):
                    def visit_Name(self, nm: ast.Name, i: int = i) -> ast.AST:
                        return ast.copy_location(ast.Constant(i), nm) if nm.id == var else nm

                elts.append(_Sub().visit(copy.deepcopy(node.elt)))
            return ast.copy_location(ast.Tuple(elts, ast.Load()), node)
        return node


def compiled_model_function(fn: Callable[..., Any]) -> Any:
    """A numba-compiled copy of a model function of ``allostasis.adaptation``, from its source.

    The source is compiled unchanged except for two mechanical rewrites that numba needs:
    ``_P["name"]`` becomes the parameter's column number, and a tuple unpacked from
    ``(e(i) for i in range(n))`` is unrolled. Helper functions of ``allostasis.adaptation`` that it
    calls are compiled the same way (recursively); module constants are frozen by numba.

    .. math:: f_{compiled}(x, \\theta, u) \\equiv f(x, \\theta, u)

    Parameters
    ----------
    fn : callable
        A pure array function of ``allostasis.adaptation`` (e.g. ``adaptation_rhs``).

    Returns
    -------
    numba.core.registry.CPUDispatcher

    Examples
    --------
    >>> from allostasis.adaptation import adaptation_rhs
    >>> compiled_model_function(adaptation_rhs) is compiled_model_function(adaptation_rhs)
    True
    """
    if fn in _COMPILED:
        return _COMPILED[fn]
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    tree = _UnrollRange().visit(_ParameterIndex().visit(tree))
    fdef = tree.body[0]
    assert isinstance(fdef, ast.FunctionDef)
    fdef.decorator_list = []
    ast.increment_lineno(tree, fn.__code__.co_firstlineno - 1)
    ast.fix_missing_locations(tree)
    glb = dict(fn.__globals__)
    for name in fn.__code__.co_names:
        v = glb.get(name)
        if isinstance(v, types.FunctionType) and v.__module__.startswith("allostasis.adaptation"):
            glb[name] = compiled_model_function(v)
    ns: dict[str, Any] = {}
    exec(compile(tree, inspect.getsourcefile(fn) or "<model>", "exec"), glb, ns)
    out = njit(nogil=True)(ns[fn.__name__])
    _COMPILED[fn] = out
    return out


def model_source_hash() -> str:
    """SHA-256 (16 hex digits) of every source file of ``allostasis.adaptation``.

    The kernel is a closure over this value; numba's on-disk cache key includes closure values, so
    any edit of the model (equations, constants, parameter layout) compiles a fresh kernel instead
    of loading a stale one.

    .. math:: h = \\mathrm{SHA256}(\\text{adaptation/*.py})

    Examples
    --------
    >>> len(model_source_hash())
    16
    """
    import allostasis.adaptation as pkg

    h = hashlib.sha256()
    for path in sorted(Path(next(iter(pkg.__path__))).glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


_rhs = compiled_model_function(_model.adaptation_rhs)
_balance = compiled_model_function(_model._balance)
_N_STATE: Final = len(_model.STATE_NAMES)
_N_INPUT: Final = len(_model.INPUT_NAMES)


def _make_kernel(model_hash: str) -> Any:
    """The kernel, as a closure over the model's source hash so that numba's cache (whose key
    includes closure values) is invalidated whenever the adaptation model's source changes."""
    n_state, n_input = _N_STATE, _N_INPUT

    @njit(cache=True, nogil=True)
    def run_block(
        b: int,
        kmat: np.ndarray,
        f_dose: np.ndarray,
        dose_cmt: int,
        an_state: np.ndarray,
        an_coef: np.ndarray,
        inv_ratio: float,
        params: np.ndarray,
        rc: np.ndarray,
        init: np.ndarray,
        dts: np.ndarray,
        step_dt: np.ndarray,
        step_t: np.ndarray,
        step_decide: np.ndarray,
        step_enter: np.ndarray,
        slot_t: np.ndarray,
        rule: np.ndarray,
        seizure_threshold: float,
        recovery_index: float,
        window_start: float,
        step_out: np.ndarray,
        block: int,
        summary: np.ndarray,
        final_state: np.ndarray,
        doses: np.ndarray,
        index_grid: np.ndarray,
    ) -> None:  # pragma: no cover - compiled
        """Advance block ``b`` of subjects through the shared steps."""
        _ = model_hash  # part of the cache key
        n_subj, n = kmat.shape[0], kmat.shape[1]
        n_dt = dts.shape[0]
        n_an = an_state.shape[0]
        n_steps = step_dt.shape[0]
        dose0, first_step = rule[0], rule[3]
        step_every, frac, linear = rule[4], rule[5], rule[6] > 0.5
        min_dose, hold_above, slow, last_dose = rule[7], rule[8], rule[9], rule[10]
        s0 = b * block
        m = min(block, n_subj - s0)
        # exact half-step propagators per distinct step length, subjects innermost
        phi = np.empty((n_dt, n, n, m))
        p1 = np.empty((n, n))
        g1 = np.empty((n, n))
        for s in range(m):
            for d in range(n_dt):
                _propagators(kmat[s0 + s], 0.5 * dts[d], p1, g1)
                for i in range(n):
                    for j in range(n):
                        phi[d, i, j, s] = p1[i, j]
        x = np.zeros((n, m))
        xh = np.empty((n, m))
        xe = np.empty((n, m))
        # adaptation arrays in (subjects, columns) layout with contiguous columns
        y = np.empty((n_state, m)).T
        yt = np.empty((n_state, m)).T
        acc = np.empty((n_state, m)).T
        u0 = np.zeros((n_input, m)).T
        uh = np.zeros((n_input, m)).T
        ue = np.zeros((n_input, m)).T
        p = np.empty((params.shape[1], m)).T
        for s in range(m):
            for i in range(n_state):
                y[s, i] = init[i]
            for i in range(params.shape[1]):
                p[s, i] = params[s0 + s, i]
        dose = np.full(m, dose0)
        next_step = np.full(m, first_step)
        every = np.full(m, step_every)
        holding = np.zeros(m, dtype=np.bool_)
        peak = np.full(m, -np.inf)
        peak_t = np.zeros(m)
        above_h = np.zeros(m)
        ever_above = np.zeros(m, dtype=np.bool_)
        below_after = np.zeros(m)
        held = np.zeros(m)
        x_last = np.zeros(m)
        for st in range(n_steps + 1):
            t = step_t[st]
            # inputs and balance index at the boundary (before any dose given now)
            for s in range(m):
                yb = 0.0
                for j in range(n_an):
                    yb += an_coef[s0 + s, j] * x[an_state[j], s]
                u0[s, 0] = yb
                u0[s, 1] = yb * inv_ratio
            xb = _balance(y, p, u0, rc)[0]
            for s in range(m):
                xi = xb[s]
                x_last[s] = xi
                if t >= window_start:
                    if xi > peak[s]:
                        peak[s] = xi
                        peak_t[s] = t
                    if xi >= recovery_index:
                        ever_above[s] = True
                        below_after[s] = -1.0
                    elif below_after[s] < 0.0:
                        below_after[s] = t
            io = step_out[st]
            if io >= 0:
                for s in range(m):
                    index_grid[s0 + s, io] = xb[s]
            if st == n_steps:
                break
            dt = dts[step_dt[st]]
            if t >= window_start:
                for s in range(m):
                    if xb[s] >= seizure_threshold:
                        above_h[s] += dt
            # dosing rule: decide the dose of a slot at its time, from the index now
            k = step_decide[st]
            if k >= 0:
                ts = slot_t[k]
                for s in range(m):
                    amt = 0.0
                    if ts < last_dose:
                        if ts >= next_step[s] - 1e-9 and dose[s] > 0.0:
                            if xb[s] > hold_above:
                                holding[s] = True
                                held[s] += 1.0
                            else:
                                if holding[s]:
                                    every[s] *= slow
                                    holding[s] = False
                                if linear:
                                    dose[s] -= frac * dose0
                                else:
                                    dose[s] *= 1.0 - frac
                                if dose[s] < min_dose or dose[s] <= 1e-12 * dose0:
                                    dose[s] = 0.0
                                next_step[s] = ts + every[s]
                        amt = dose[s]
                    doses[s0 + s, k] = amt
            k = step_enter[st]
            if k >= 0:
                for s in range(m):
                    x[dose_cmt, s] += f_dose[s0 + s] * doses[s0 + s, k]
                for s in range(m):
                    yb = 0.0
                    for j in range(n_an):
                        yb += an_coef[s0 + s, j] * x[an_state[j], s]
                    u0[s, 0] = yb
                    u0[s, 1] = yb * inv_ratio
            # exact PK to the half step and the end of the step
            d = step_dt[st]
            for i in range(n):
                for s in range(m):
                    xh[i, s] = 0.0
                for j in range(n):
                    for s in range(m):
                        xh[i, s] += phi[d, i, j, s] * x[j, s]
            for i in range(n):
                for s in range(m):
                    xe[i, s] = 0.0
                for j in range(n):
                    for s in range(m):
                        xe[i, s] += phi[d, i, j, s] * xh[j, s]
            for s in range(m):
                yh = 0.0
                ye = 0.0
                for j in range(n_an):
                    yh += an_coef[s0 + s, j] * xh[an_state[j], s]
                    ye += an_coef[s0 + s, j] * xe[an_state[j], s]
                uh[s, 0] = yh
                uh[s, 1] = yh * inv_ratio
                ue[s, 0] = ye
                ue[s, 1] = ye * inv_ratio
            # classical RK4 of the adaptation model
            k1 = _rhs(y, p, u0, rc)
            for i in range(n_state):
                for s in range(m):
                    acc[s, i] = k1[s, i]
                    yt[s, i] = y[s, i] + 0.5 * dt * k1[s, i]
            k2 = _rhs(yt, p, uh, rc)
            for i in range(n_state):
                for s in range(m):
                    acc[s, i] += 2.0 * k2[s, i]
                    yt[s, i] = y[s, i] + 0.5 * dt * k2[s, i]
            k3 = _rhs(yt, p, uh, rc)
            for i in range(n_state):
                for s in range(m):
                    acc[s, i] += 2.0 * k3[s, i]
                    yt[s, i] = y[s, i] + dt * k3[s, i]
            k4 = _rhs(yt, p, ue, rc)
            for i in range(n_state):
                for s in range(m):
                    y[s, i] += dt / 6.0 * (acc[s, i] + k4[s, i])
            for i in range(n):
                for s in range(m):
                    x[i, s] = xe[i, s]
        for s in range(m):
            summary[s0 + s, 0] = peak[s]
            summary[s0 + s, 1] = peak_t[s]
            summary[s0 + s, 2] = above_h[s]
            if not ever_above[s]:
                summary[s0 + s, 3] = peak_t[s]
            elif below_after[s] > 0.0:
                summary[s0 + s, 3] = below_after[s]
            else:
                summary[s0 + s, 3] = np.nan
            summary[s0 + s, 4] = held[s]
            summary[s0 + s, 5] = x_last[s]
            for i in range(n_state):
                final_state[s0 + s, i] = y[s, i]

    return run_block


run_block = _make_kernel(model_source_hash())


def simulate_cohort_kernel(*args: Any, threads: int = 1) -> int:
    """Run every block of subjects (``args`` as for ``run_block`` after ``b``), on ``threads``
    threads; the compiled block function releases the GIL. Returns the number of blocks."""
    n_subj, block = int(args[0].shape[0]), int(args[20])
    n_blocks: int = (n_subj + block - 1) // block
    if threads <= 1 or n_blocks == 1:
        for b in range(n_blocks):
            run_block(b, *args)
    else:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            list(pool.map(lambda b: run_block(b, *args), range(n_blocks)))
    return n_blocks


def default_threads() -> int:
    """CPU cores available to this process."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
