"""Target engagement: occupancy of each molecular target over time for a drug and a regimen.

The chain is regimen -> PK (the knowledge base's typical-value model, with active metabolites) ->
unbound molar concentration of every active species -> competitive occupancy of each target:

.. math::

    \\theta_T(t) = \\frac{\\sum_i f_{u,i}\\, C_i(t) / K_{i,T}}{1 + \\sum_i f_{u,i}\\, C_i(t) / K_{i,T}},

where the sum runs over the parent and its active metabolites that have an inhibition constant
:math:`K_{i,T}` at target T (a metabolite without one is skipped, and the ``basis`` says so),
:math:`C_i` is the total plasma concentration (molar) and :math:`f_{u,i} = 1 -` protein binding.

Assumptions (stated in every result's ``basis``):

- **Plasma unbound concentration is the concentration at the target.** The free-drug hypothesis: at
  equilibrium the unbound concentration in brain interstitial fluid equals that in plasma for
  passively permeating drugs. It ignores efflux transport and slow brain equilibration.
- **In-vitro affinities apply in vivo.** The knowledge base's Ki/KD come from radioligand binding at
  cloned human (or rat) transporters; no in-vivo correction is applied to them.
- **PET-measured occupancy saturates below 1.** [11C]DASB studies find occupancy plateauing near
  85% at high plasma levels (Meyer et al. 2001; Meyer et al. 2004), whereas mass action tends to
  1. To compare with PET, :func:`pet_observed_occupancy` scales the model's occupancy by one explicit
  per-target factor, :data:`PET_EMAX` (the maximal PET-observable occupancy), fitted by least
  squares to the repeated-dose studies in ``knowledge/data/studies/pet_occupancy.toml`` and reported
  there and in the validation tests. The pharmacological occupancy returned by
  :func:`target_occupancy` and :func:`steady_state_occupancy` is never scaled.

References
----------
1. Meyer JH, Wilson AA, Ginovart N, et al. (2001). Occupancy of serotonin transporters by paroxetine
   and citalopram during treatment of depression: a [11C]DASB PET imaging study. Am J Psychiatry
   158(11):1843-1849. doi:10.1176/appi.ajp.158.11.1843
2. Meyer JH, Wilson AA, Sagrati S, et al. (2004). Am J Psychiatry 161(5):826-835.
   doi:10.1176/appi.ajp.161.5.826
3. Bymaster FP, et al. (2001). Neuropsychopharmacology 25(6):871-880.
   doi:10.1016/S0893-133X(01)00298-6
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd

from allostasis.errors import InvalidValueError, UnknownDrugError
from allostasis.exposure import pk_model, time_grid
from allostasis.knowledge import Drug, KnowledgeBase, load_knowledge_base
from allostasis.regimen import DEPOT, DosingRecords
from allostasis.units import magnitude

__all__ = [
    "PET_EMAX",
    "OccupancySummary",
    "SteadyStateOccupancy",
    "pet_observed_occupancy",
    "steady_state_occupancy",
    "target_occupancy",
]

#: Maximal occupancy observable by PET/SPECT, per target (fraction). SERT: fitted by least squares
#: (one parameter, no exclusions) to the eight repeated-dose SERT studies in
#: ``knowledge/data/studies/pet_occupancy.toml`` (Meyer 2001, Meyer 2004, Klein 2007, Takano 2006);
#: ``tests/receptor/test_pet_validation.py`` re-fits it and fails if this value drifts. It agrees
#: with the ~85% plateau reported by Meyer et al. 2001 (doi:10.1176/appi.ajp.158.11.1843).
PET_EMAX: Final[dict[str, float]] = {"SERT": 0.86}


@dataclass(frozen=True)
class _Ligand:
    name: str
    ki_nm: float
    mw: float
    fu: float
    ki_source: str


def _ligands(d: Drug, target: str, analytes: Sequence[str], notes: list[str]) -> list[_Ligand]:
    """Parent and simulated metabolites with a Ki at ``target``; others are noted and skipped."""
    out: list[_Ligand] = []
    known: set[str] = {t.target for t in d.targets if t.ki is not None}
    for m in d.metabolites:
        known |= {t.target for t in m.targets if t.ki is not None}
    species: list[tuple[str, Any, Any, Any]] = [(d.name, d.targets, d.molecular_weight, d.pk)]
    species += [(m.name, m.targets, m.molecular_weight, m.pk) for m in d.metabolites]
    for name, targets, mw, pk in species:
        if name not in analytes:
            continue  # inactive metabolite, or PK without metabolites
        ki = next((t.ki for t in targets if t.target == target and t.ki is not None), None)
        if ki is None:
            notes.append(
                f"{name}: no Ki at {target} in the knowledge base; not counted at {target}"
            )
            continue
        if pk.protein_binding is None:
            raise UnknownDrugError(
                f"protein_binding: {name} has no plasma protein binding in the knowledge base; "
                "its unbound concentration cannot be computed"
            )
        out.append(
            _Ligand(name, ki.to("nM"), mw.to("g/mol"), 1.0 - pk.protein_binding.to("1"), ki.source)
        )
    if not out:
        raise UnknownDrugError(
            f"target: {d.name} has no affinity (Ki) data for {target!r}; "
            f"known targets: {', '.join(sorted(known)) or 'none'}"
        )
    return out


def _target_list(d: Drug, targets: str | Sequence[str] | None) -> list[str]:
    if targets is None:
        names = [t.target for t in d.targets if t.ki is not None]
        if not names:
            raise UnknownDrugError(f"target: {d.name} has no affinity (Ki) data for any target")
        return names
    if isinstance(targets, str):
        return [targets]
    return list(targets)


def target_occupancy(
    drug: str | Drug,
    regimen: DosingRecords,
    times: Any,
    *,
    targets: str | Sequence[str] | None = None,
    route: str = "oral",
    kb: KnowledgeBase | None = None,
) -> pd.DataFrame:
    """Occupancy of each target over time, from the drug's PK and its (and its metabolites') Ki.

    .. math::

        \\theta_T(t) = \\frac{\\sum_i f_{u,i} C_i(t) / K_{i,T}}{1 + \\sum_i f_{u,i} C_i(t) / K_{i,T}}

    Parameters
    ----------
    drug : str or Drug
        Name or synonym in the knowledge base.
    regimen : DosingRecords
        Doses (e.g. :func:`allostasis.regimen.every`); one subject or several.
    times : pint.Quantity
        Output times (see :func:`allostasis.exposure.time_grid`).
    targets : str or sequence of str, optional
        Targets to report (``"SERT"``, ``["SERT", "NET"]``); default every target with a Ki.
    route : str
        Route with absorption data (default ``"oral"``).

    Returns
    -------
    pandas.DataFrame
        Tidy, columns ``subject_id``, ``time`` (h), ``target``, ``occupancy`` (fraction);
        ``n_subjects * n_times * n_targets`` rows. ``attrs["basis"]`` lists the equation, the Ki
        values with their sources, the unbound fractions and the skipped metabolites;
        ``attrs["units"]`` the units.

    Raises
    ------
    UnknownDrugError
        Unknown drug or route, or no Ki for an asked target (the message lists known targets).

    Notes
    -----
    Plasma unbound concentration stands for the concentration at the target (free-drug
    hypothesis), and in-vitro Ki values are used unchanged; see the module docstring.

    Examples
    --------
    >>> from allostasis.regimen import every
    >>> df = target_occupancy("duloxetine", every("60 mg", "24 h", duration="7 days"),
    ...                       time_grid("7 days", "24 h"))
    >>> sorted(df["target"].unique())
    ['NET', 'SERT']
    >>> target_occupancy("sertraline", every("50 mg", "24 h", n_doses=1), time_grid("1 day"),
    ...                  targets="5-HT1A")
    Traceback (most recent call last):
    ...
    allostasis.errors.UnknownDrugError: target: sertraline has no affinity (Ki) data for '5-HT1A'; known targets: DAT, NET, SERT
    """
    kb = kb or load_knowledge_base()
    d = kb[drug] if isinstance(drug, str) else drug
    model = pk_model(d, route, kb=kb)
    names = _target_list(d, targets)
    notes: list[str] = []
    ligands = {t: _ligands(d, t, model.analytes, notes) for t in names}
    res = model.simulate(regimen, times)
    conc_nm: dict[str, np.ndarray] = {}
    for ligs in ligands.values():
        for lig in ligs:
            if lig.name not in conc_nm:
                conc_nm[lig.name] = res.concentration(lig.name, unit="mg/L") * 1e6 / lig.mw
    frames = []
    n_sub, n_t = res.n_subjects, res.times.size
    for t, ligs in ligands.items():
        odds = sum(lig.fu * conc_nm[lig.name] / lig.ki_nm for lig in ligs)
        occ = np.asarray(odds / (1.0 + odds), dtype=float)
        frames.append(
            pd.DataFrame(
                {
                    "subject_id": np.repeat(res.subject_id.astype(np.int64), n_t),
                    "time": np.tile(res.times, n_sub),
                    "target": t,
                    "occupancy": occ.reshape(-1),
                }
            )
        )
    df = pd.concat(frames, ignore_index=True)
    basis = [
        "theta_T = sum_i(fu_i C_i / Ki_iT) / (1 + sum_i(fu_i C_i / Ki_iT)) "
        "(competitive mass action at one site; parent + active metabolites)",
        "assumption: plasma unbound concentration = concentration at the target (free-drug hypothesis)",
        "assumption: in-vitro Ki used unchanged in vivo",
    ]
    for t, ligs in ligands.items():
        for lig in ligs:
            basis.append(
                f"{lig.name} at {t}: Ki = {lig.ki_nm:.4g} nM [{lig.ki_source}], fu = {lig.fu:.3g}, "
                f"MW = {lig.mw:.5g} g/mol"
            )
    basis += notes
    basis += [f"PK: {b}" for b in model.basis]
    df.attrs["basis"] = basis
    df.attrs["units"] = {"time": "h", "occupancy": "1"}
    return df


@dataclass(frozen=True)
class OccupancySummary:
    """Occupancy of one target over a steady-state dosing interval (fractions)."""

    target: str
    mean: float
    """Time-averaged occupancy over the interval (trapezoid rule)."""
    trough: float
    peak: float


@dataclass(frozen=True)
class SteadyStateOccupancy:
    """Steady-state target engagement of a regimen: per-target summary, profile and basis."""

    drug: str
    dose_mg: float
    interval_h: float
    route: str
    targets: dict[str, OccupancySummary]
    profile: pd.DataFrame = field(repr=False)
    """Tidy ``time`` (h since the dose), ``target``, ``occupancy`` over one interval."""
    basis: list[str] = field(repr=False)

    @property
    def daily_dose_mg(self) -> float:
        """Dose per 24 h (mg)."""
        return self.dose_mg * 24.0 / self.interval_h

    def at(self, time_after_dose: Any, target: str) -> float:
        """Occupancy of ``target`` at ``time_after_dose`` (quantity) within the interval."""
        th = magnitude(time_after_dose, field="time_after_dose", unit="h", minimum=0.0)
        if th > self.interval_h + 1e-9:
            raise InvalidValueError(
                f"time_after_dose: must be within the dosing interval (<= {self.interval_h:g} h); "
                f"got {time_after_dose!s}"
            )
        if target not in self.targets:
            raise UnknownDrugError(
                f"target: {target!r} was not computed; available: {', '.join(self.targets)}"
            )
        p = self.profile[self.profile["target"] == target]
        return float(np.interp(th, p["time"].to_numpy(), p["occupancy"].to_numpy()))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary (without the profile)."""
        return {
            "drug": self.drug,
            "dose_mg": self.dose_mg,
            "interval_h": self.interval_h,
            "daily_dose_mg": self.daily_dose_mg,
            "route": self.route,
            "targets": {
                k: {"mean": v.mean, "trough": v.trough, "peak": v.peak}
                for k, v in self.targets.items()
            },
            "basis": list(self.basis),
        }


def steady_state_occupancy(
    drug: str | Drug,
    dose: Any,
    interval: Any = "24 h",
    *,
    targets: str | Sequence[str] | None = None,
    route: str = "oral",
    step: Any = "0.25 h",
    kb: KnowledgeBase | None = None,
) -> SteadyStateOccupancy:
    """Mean, trough and peak occupancy of each target over a steady-state dosing interval.

    .. math::

        \\bar\\theta_T = \\frac{1}{\\tau}\\int_0^{\\tau} \\theta_T(t)\\,dt \\quad
        \\text{at steady state (NONMEM SS=1 record, dose every } \\tau)

    Parameters
    ----------
    drug : str or Drug
        Name or synonym in the knowledge base.
    dose : str or pint.Quantity
        Amount per administration, e.g. ``"75 mg"`` (> 0).
    interval : str or pint.Quantity
        Dosing interval tau, e.g. ``"24 h"`` (> 0).
    targets : str or sequence of str, optional
        Targets (default every target with a Ki).
    route : str
        Route (default ``"oral"``).
    step : str or pint.Quantity
        Time step of the profile over the interval (default 0.25 h).

    Returns
    -------
    SteadyStateOccupancy
        ``targets`` maps each target to an :class:`OccupancySummary` (mean, trough, peak);
        ``profile`` is the occupancy over the interval; ``basis`` the equations, Ki values and
        sources, assumptions and PK parameters.

    Raises
    ------
    UnitError, InvalidValueError
        Dose or interval without a unit, of the wrong dimension, or not > 0.
    UnknownDrugError
        Unknown drug or route, or no Ki for an asked target.

    Notes
    -----
    Occupancy is the pharmacological (mass-action) occupancy from plasma unbound concentrations; to
    compare with PET/SPECT, apply :func:`pet_observed_occupancy`.

    Examples
    --------
    >>> ss = steady_state_occupancy("venlafaxine", "75 mg")
    >>> round(ss.targets["SERT"].mean, 2), round(ss.targets["NET"].mean, 2)
    (0.82, 0.22)
    >>> steady_state_occupancy("venlafaxine", "75")
    Traceback (most recent call last):
    ...
    allostasis.errors.UnitError: dose: a bare number ('75') has no unit; give a quantity such as '75 mg'
    """
    kb = kb or load_knowledge_base()
    d = kb[drug] if isinstance(drug, str) else drug
    amt = magnitude(dose, field="dose", unit="mg", strictly_positive=True)
    tau = magnitude(interval, field="interval", unit="h", strictly_positive=True)
    dt = magnitude(step, field="step", unit="h", strictly_positive=True)
    if dt > tau / 4:
        raise InvalidValueError(
            f"step: must be at most a quarter of the interval ({tau / 4:g} h); got {step!s}"
        )
    cmt = DEPOT if route != "iv" else 2
    regimen = DosingRecords(
        pd.DataFrame(
            {
                "ID": [1],
                "TIME": [0.0],
                "AMT": [amt],
                "CMT": [cmt],
                "EVID": [1],
                "II": [tau],
                "SS": [1],
            }
        )
    )
    times = time_grid(f"{tau} h", f"{dt} h")
    if float(times.magnitude[-1]) < tau - 1e-9:  # close the interval exactly at tau
        times = np.append(times.magnitude, tau) * times.units
    df = target_occupancy(d, regimen, times, targets=targets, route=route, kb=kb)
    summaries: dict[str, OccupancySummary] = {}
    for t, g in df.groupby("target", sort=False):
        tt = g["time"].to_numpy()
        oo = g["occupancy"].to_numpy()
        mean = float(np.sum((oo[1:] + oo[:-1]) * np.diff(tt)) / 2 / (tt[-1] - tt[0]))
        summaries[str(t)] = OccupancySummary(str(t), mean, float(oo.min()), float(oo.max()))
    basis = [
        f"steady state of {amt:g} mg every {tau:g} h ({route}; NONMEM SS=1 record), "
        f"profile every {dt:g} h over one interval; mean by the trapezoid rule",
        *df.attrs["basis"],
    ]
    return SteadyStateOccupancy(
        drug=d.name,
        dose_mg=amt,
        interval_h=tau,
        route=route,
        targets=summaries,
        profile=df.drop(columns="subject_id").reset_index(drop=True),
        basis=basis,
    )


def pet_observed_occupancy(
    occupancy: Any, target: str = "SERT", *, pet_emax: float | None = None
) -> Any:
    """Occupancy as a PET/SPECT study would report it: the model's occupancy times PET Emax.

    .. math:: \\theta_{PET} = E_{max,PET}\\;\\theta

    Parameters
    ----------
    occupancy : float or numpy.ndarray
        Pharmacological occupancy, fractions in [0, 1].
    target : str
        Target whose :data:`PET_EMAX` is used (default ``"SERT"``).
    pet_emax : float, optional
        Override the maximal PET-observable occupancy, a fraction in (0, 1].

    Returns
    -------
    float or numpy.ndarray
        Same shape as ``occupancy``.

    Raises
    ------
    InvalidValueError
        Fractions outside their range.
    UnknownDrugError
        No PET Emax is known for ``target`` and none was given.

    References
    ----------
    1. Meyer JH, et al. (2001). Am J Psychiatry 158(11):1843-1849. doi:10.1176/appi.ajp.158.11.1843

    Examples
    --------
    >>> pet_observed_occupancy(1.0)
    0.86
    >>> pet_observed_occupancy(0.5, "NET")
    Traceback (most recent call last):
    ...
    allostasis.errors.UnknownDrugError: target: no PET Emax for 'NET'; known: SERT (or pass pet_emax)
    """
    if pet_emax is None:
        if target not in PET_EMAX:
            raise UnknownDrugError(
                f"target: no PET Emax for {target!r}; known: {', '.join(PET_EMAX)} (or pass pet_emax)"
            )
        pet_emax = PET_EMAX[target]
    if not (isinstance(pet_emax, (int, float)) and 0.0 < float(pet_emax) <= 1.0):
        raise InvalidValueError(f"pet_emax: must be a fraction in (0, 1]; got {pet_emax!r}")
    o = np.asarray(occupancy, dtype=float)
    if not np.all(np.isfinite(o) & (o >= 0) & (o <= 1)):
        raise InvalidValueError(f"occupancy: must be fractions in [0, 1]; got {occupancy!r}")
    out = o * float(pet_emax)
    return float(out) if out.ndim == 0 else out
