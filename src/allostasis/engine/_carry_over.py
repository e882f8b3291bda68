"""A drug still in the body when the cohort switches to another: carried over with its own kinetics.

When a run switches drug (alprazolam to diazepam), the old drug does not vanish: its amounts keep
being eliminated at its own rates while the new drug is dosed. The compiled engine carries both as
one linear PK system,

.. math::

    \\dot x = \\begin{pmatrix} K_{new} & 0 \\\\ 0 & K_{old} \\end{pmatrix} x, \\qquad
    y_B = g_{new}^{\\top} x_{new} + g_{old}^{\\top} x_{old},

exactly as a patient who takes the first dose of the new drug at the time of the old drug's last
scheduled dose would have them (linear PK superposes; the receptor drive is the sum of
:math:`C_u/K_B` over every analyte of both drugs, as in ``adaptation._drug_action``). The two drugs
must share the alpha2/3-to-alpha1 potency ratio (all benzodiazepines and Z-drugs of the knowledge
base do), since the engine scales one drive for the alpha2/3 pool.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from allostasis.adaptation._drug_action import drug_potency
from allostasis.errors import InvalidValueError
from allostasis.exposure import pk_model

__all__ = [
    "CarriedSystem",
    "CombinedPK",
    "CrossTaper",
    "PreviousDrug",
    "carried_system",
    "combine",
]


@dataclass(frozen=True)
class CrossTaper:
    """Doses on a fixed schedule during a switch, given to every subject whatever the rule decides:
    the previous drug's remaining doses and the new drug's build-up (a gradual switch).

    Attributes
    ----------
    times_h : numpy.ndarray
        ``(k,)`` dose times (h from the run's start), strictly increasing. A drug with an oral
        absorption lag (lorazepam 0.27 h) absorbs each dose from its time plus the lag, as the
        rule's doses do.
    new_mg, previous_mg : numpy.ndarray
        ``(k,)`` mg of the run's drug and of the previous drug at each time (0: none).
    """

    times_h: np.ndarray
    new_mg: np.ndarray
    previous_mg: np.ndarray

    def checked(self) -> tuple[np.ndarray, np.ndarray]:
        """``(times (k,), mg (k, 2))``, columns new, previous; raises on a malformed schedule.

        >>> CrossTaper(np.array([0.0, 8.0]), np.array([20.0, 0.0]), np.array([0.0, 1.0])).checked()[1]
        array([[20.,  0.],
               [ 0.,  1.]])
        >>> CrossTaper(np.array([8.0, 0.0]), np.zeros(2), np.zeros(2)).checked()
        Traceback (most recent call last):
        ...
        allostasis.errors.InvalidValueError: cross_taper: times_h must be finite, >= 0 and strictly increasing, with one new_mg and one previous_mg (>= 0) per time
        """
        t = np.asarray(self.times_h, dtype=float)
        mg = np.column_stack([np.asarray(self.new_mg, float), np.asarray(self.previous_mg, float)])
        ok = (
            t.ndim == 1
            and mg.shape == (t.size, 2)
            and bool(np.all(np.isfinite(t)) and np.all(t >= 0) and np.all(np.diff(t) > 0))
            and bool(np.all(np.isfinite(mg)) and np.all(mg >= 0))
        )
        if not ok:
            raise InvalidValueError(
                "cross_taper: times_h must be finite, >= 0 and strictly increasing, with one "
                "new_mg and one previous_mg (>= 0) per time"
            )
        return t, mg


@dataclass(frozen=True)
class CarriedSystem:
    """The previous drug's PK for the engine: rate matrices ``(n, m, m)``, drive coefficients
    ``(n, m)``, its dose compartment (0-based, within its block), bioavailability per subject for
    doses into it, the basis, and its absorption lag (h) for doses into the depot."""

    kmat: np.ndarray
    g: np.ndarray
    dose_cmt: int
    f_dose: np.ndarray
    basis: list[str]
    tlag: float = 0.0


@dataclass(frozen=True)
class PreviousDrug:
    """The drug a cohort switches from, with its PK amounts at the switch.

    Attributes
    ----------
    drug : str
        A GABA-A modulator of the knowledge base.
    amounts : numpy.ndarray
        ``(n_subjects, n_pk)`` amounts (mg) in its compartments at the switch: the ``final_pk`` of
        the run that dosed it.
    subjects : pandas.DataFrame, optional
        That run's per-subject parameters (its PK columns give each subject's rate matrix;
        typical values otherwise).
    route : str
        The route it was given by (default ``"oral"``).
    cross_taper : CrossTaper, optional
        Its remaining doses and the new drug's build-up on a fixed schedule (a gradual switch);
        without it the switch is overnight.
    """

    drug: str
    amounts: np.ndarray
    subjects: pd.DataFrame | None = None
    route: str = "oral"
    cross_taper: CrossTaper | None = None


def carried_system(prev: PreviousDrug, n: int, inv_ratio: float, source: str) -> CarriedSystem:
    """Per-subject PK of ``prev`` in the engine's layout (:class:`CarriedSystem`).

    Examples
    --------
    >>> inv = 1.0 / drug_potency("diazepam").alpha23_ratio  # the new drug's
    >>> c = carried_system(PreviousDrug("alprazolam", np.zeros((2, 2))), 2, inv, "ashton-2002")
    >>> c.kmat.shape, c.g.shape, bool(c.g[0, 1] > 0), c.dose_cmt
    ((2, 2, 2), (2, 2), True, 0)
    >>> carried_system(PreviousDrug("alprazolam", np.zeros((3, 2))), 2, inv, "ashton-2002")
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: carry_over: amounts must be a finite, non-negative (2, 2) array for alprazolam's compartments; got shape (3, 2)
    """
    pot = drug_potency(prev.drug, source=source)
    if pot.role != "modulator":
        raise InvalidValueError(
            f"carry_over: {prev.drug} is a {pot.role}; only GABA-A modulators can be carried over"
        )
    if abs(1.0 / pot.alpha23_ratio - inv_ratio) > 1e-12:
        raise InvalidValueError(
            f"carry_over: {prev.drug}'s alpha2/3-to-alpha1 potency ratio {pot.alpha23_ratio:.6g} "
            f"differs from the new drug's {1.0 / inv_ratio:.6g}; the engine carries one ratio"
        )
    model = pk_model(prev.drug, prev.route)
    typical = model.typical()
    table = pd.DataFrame({k: np.full(n, v, dtype=float) for k, v in typical.items()})
    if prev.subjects is not None:
        if len(prev.subjects) != n:
            raise InvalidValueError(
                f"carry_over: subjects has {len(prev.subjects)} rows for {n} subjects"
            )
        for name in prev.subjects.columns:
            if name in table and name != "tlag":
                table[name] = prev.subjects[name].to_numpy(dtype=float)
    kmat = np.ascontiguousarray(model.rate_matrix(table))
    m = kmat.shape[1]
    x = np.asarray(prev.amounts, dtype=float)
    if x.shape != (n, m) or not np.all(np.isfinite(x) & (x >= 0)):
        raise InvalidValueError(
            f"carry_over: amounts must be a finite, non-negative ({n}, {m}) array for "
            f"{prev.drug}'s compartments; got shape {x.shape}"
        )
    states, inv_v = model._output_scale(table)
    g = np.zeros((n, m))
    for j, a in enumerate(pot.analytes):
        g[:, states[model.analytes.index(a)]] += (
            pot.unbound_nm(inv_v[:, model.analytes.index(a)], j) / pot.constant_nm[j]
        )
    cmt = model.dose_compartment - 1
    tlag = float(typical.get("tlag", 0.0)) if cmt == 0 else 0.0
    f_dose = table["f"].to_numpy(dtype=float) if cmt == 0 else np.ones(n)
    basis = [
        f"{prev.drug} carried over from the previous run: its amounts at the switch eliminated "
        f"with its own PK ({type(model).__name__}, analytes {list(pot.analytes)}), its drive added",
        *pot.basis,
    ]
    return CarriedSystem(kmat, g, cmt, f_dose, basis, tlag)


@dataclass(frozen=True)
class CombinedPK:
    """The engine's PK with a carried-over drug: rate matrices ``(n, m, m)`` and drive
    coefficients ``(n, m)`` (the run's drug's compartments first), PK amounts at time 0, and the
    cross-taper as the kernel takes it: times ``(k,)``, mg ``(k, 2)`` (new, previous), their
    compartments ``(2,)`` and bioavailabilities ``(n, 2)`` (empty ``k`` without one)."""

    kmat: np.ndarray
    g: np.ndarray
    init_pk: np.ndarray
    fixed_t: np.ndarray
    fixed_mg: np.ndarray
    fixed_cmt: np.ndarray
    fixed_f: np.ndarray
    basis: list[str]


def _entries(
    t: np.ndarray, mg: np.ndarray, lags: tuple[float, float]
) -> tuple[np.ndarray, np.ndarray]:
    """Fixed doses at the times they enter the depot: column ``c`` at ``t + lags[c]`` (unchanged
    without lags); doses entering at the same time share a row.

    >>> t, mg = _entries(np.array([0.0, 8.0]), np.array([[1.0, 0.0], [2.0, 3.0]]), (0.25, 0.0))
    >>> t.tolist(), mg.tolist()
    ([0.0, 0.25, 8.0, 8.25], [[0.0, 0.0], [1.0, 0.0], [0.0, 3.0], [2.0, 0.0]])
    """
    if lags == (0.0, 0.0):
        return t, mg
    at = np.concatenate([t + lags[0], t + lags[1]])
    amounts = np.zeros((2 * t.size, 2))
    amounts[: t.size, 0], amounts[t.size :, 1] = mg[:, 0], mg[:, 1]
    times, row = np.unique(np.round(at, 9), return_inverse=True)
    out = np.zeros((times.size, 2))
    np.add.at(out, row, amounts)
    return times, out


def combine(
    prev: PreviousDrug,
    drug: str,
    kmat: np.ndarray,
    g: np.ndarray,
    dose_cmt: int,
    f_dose: np.ndarray,
    tlag: float,
    inv_ratio: float,
    source: str,
) -> CombinedPK:
    """Block-diagonal PK of the run's ``drug`` (``kmat (n, m, m)``, ``g (n, m)``, its dose
    compartment, bioavailability and lag) and the carried-over ``prev``."""
    n = kmat.shape[0]
    old = carried_system(prev, n, inv_ratio, source)
    na, nb = kmat.shape[1], old.kmat.shape[1]
    k = np.zeros((n, na + nb, na + nb))
    k[:, :na, :na] = kmat
    k[:, na:, na:] = old.kmat
    x0 = np.zeros((n, na + nb))
    x0[:, na:] = np.asarray(prev.amounts, dtype=float)
    fixed_t, fixed_mg, basis = np.zeros(0), np.zeros((0, 2)), list(old.basis)
    if prev.cross_taper is not None:
        fixed_t, fixed_mg = _entries(*prev.cross_taper.checked(), (tlag, old.tlag))
        basis.append(
            f"cross-taper: {int(np.count_nonzero(fixed_mg[:, 1]))} more dose(s) of {prev.drug} and "
            f"{int(np.count_nonzero(fixed_mg[:, 0]))} of {drug} on a fixed schedule until "
            f"{fixed_t.max() / 24.0:g} days"
            + (
                f" (each dose absorbed after its drug's lag: {drug} {tlag:g} h, {prev.drug} "
                f"{old.tlag:g} h)"
                if (tlag, old.tlag) != (0.0, 0.0)
                else ""
            )
        )
    return CombinedPK(
        kmat=np.ascontiguousarray(k),
        g=np.concatenate([g, old.g], axis=1),
        init_pk=x0,
        fixed_t=fixed_t,
        fixed_mg=np.ascontiguousarray(fixed_mg),
        fixed_cmt=np.array([dose_cmt, na + old.dose_cmt], dtype=np.int64),
        fixed_f=np.ascontiguousarray(np.column_stack([f_dose, old.f_dose])),
        basis=basis,
    )
