"""Linear compartment models with first-order absorption and parent-to-metabolite chains.

A model is the rate matrix ``K`` of ``dx/dt = K x + u`` (amounts in mg, time in h) plus which states
are reported as concentrations. Subclasses write the parent's disposition
(:class:`OneCompartment`, :class:`TwoCompartment`); this base adds the depot and the metabolites and
runs the compiled exact-propagator kernel over the subject axis.

Metabolite ``m`` is formed from the parent's elimination out of the central compartment,

.. math::

    \\frac{dA_m}{dt} = f_m\\, r_m\\, k_{10} A_c - \\frac{CL_m}{V_m} A_m,

where :math:`f_m` is the molar fraction of parent clearance forming ``m`` and
:math:`r_m = MW_m / MW_{parent}` turns parent mass into metabolite mass. First-pass formation of
metabolite during absorption is not modelled.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import pint

from allostasis.errors import DosingRecordError, InvalidValueError, UnitError
from allostasis.exposure._batched_kernel import (
    BLOCK,
    simulate_linear_batched,
    simulate_linear_one_block,
)
from allostasis.exposure._formatting import model_repr
from allostasis.exposure._kernel import simulate_linear
from allostasis.exposure._parameters import (
    Interval,
    Parameter,
    check_values,
    coerce_typical,
    subject_table,
)
from allostasis.exposure._result import PKResult
from allostasis.exposure._timeline import shared_timeline
from allostasis.regimen import DosingRecords
from allostasis.units import Q_, Quantity, ureg

__all__ = ["LinearCompartmentModel", "time_grid"]

_POSITIVE = Interval(0.0, None, "neither")
_NONNEG = Interval(0.0, None, "left")
_FRACTION = Interval(0.0, 1.0, "right")


def time_grid(end: Any, step: Any = "1 h", start: Any = "0 h") -> Quantity:
    """An evenly spaced time grid from ``start`` to ``end`` inclusive, in hours.

    Examples
    --------
    >>> time_grid("1 day", "6 h")
    <Quantity([ 0.  6. 12. 18. 24.], 'hour')>
    """
    from allostasis.units import magnitude

    t1 = magnitude(end, field="end", unit="h", minimum=0.0)
    dt = magnitude(step, field="step", unit="h", strictly_positive=True)
    t0 = magnitude(start, field="start", unit="h", minimum=0.0)
    if t1 < t0:
        raise InvalidValueError(f"time_grid: end ({t1:g} h) must not be before start ({t0:g} h)")
    n = int(np.floor((t1 - t0) / dt + 1e-9)) + 1
    if n > 10_000_000:
        raise InvalidValueError(f"time_grid: {n} points is too many; use a coarser step (max 1e7)")
    return Q_(t0 + dt * np.arange(n), "h")


class LinearCompartmentModel:
    """Base of the linear PK models. Subclasses define ``_parent_params`` and ``_parent_matrix``."""

    _parent_params: ClassVar[dict[str, Parameter]]
    #: Use the subjects-innermost kernel when subjects share a timeline (tests switch it off to
    #: compare the two kernels).
    _batched: ClassVar[bool] = True
    _parent_states: ClassVar[tuple[str, ...]]
    _central_volume: ClassVar[str]

    _absorption: ClassVar[dict[str, Parameter]] = {
        "ka": Parameter("ka", "1/h", "first-order absorption rate constant", _NONNEG),
        "f": Parameter("f", "1", "bioavailability of doses into the depot (CMT 1)", _FRACTION),
        "tlag": Parameter("tlag", "h", "absorption lag time", _NONNEG),
    }

    def __init__(
        self,
        *,
        name: str = "parent",
        metabolites: Sequence[str] = (),
        route: str | None = None,
        basis: Sequence[str] = (),
        **params: Any,
    ) -> None:
        self.name = name
        self.metabolites = metabolites
        self.route = route
        self.basis = basis
        self.params = params

    # ------------------------------------------------------------------ spec
    @property
    def parameters(self) -> dict[str, Parameter]:
        """Every parameter of this model (absorption, parent disposition, metabolites)."""
        specs = {**self._absorption, **self._parent_params}
        for m in self.metabolites:
            specs[f"fm_{m}"] = Parameter(
                f"fm_{m}", "1", f"fraction of parent clearance forming {m}", _FRACTION
            )
            specs[f"cl_{m}"] = Parameter(f"cl_{m}", "L/h", f"clearance of {m}", _POSITIVE)
            specs[f"v_{m}"] = Parameter(f"v_{m}", "L", f"volume of distribution of {m}", _POSITIVE)
            specs[f"mwr_{m}"] = Parameter(
                f"mwr_{m}", "1", f"molecular weight ratio {m}/parent", _POSITIVE
            )
        return specs

    @property
    def compartments(self) -> list[str]:
        """State names; NONMEM CMT numbers are positions + 1 (CMT 1 depot, CMT 2 central, ...)."""
        return ["depot", *self._parent_states, *self.metabolites]

    @property
    def dose_compartment(self) -> int:
        """NONMEM CMT a dose by this model's route enters: 2 (central) for intravenous routes or
        when there is no absorption phase, else 1 (the depot)."""
        if self.route == "iv":
            return 2
        ka = self.params.get("ka")
        if ka is None:
            return 2
        return 1 if coerce_typical(self._absorption["ka"], ka, type(self).__name__) > 0 else 2

    @property
    def analytes(self) -> list[str]:
        """Reported concentrations: the parent, then each metabolite."""
        return [self.name, *self.metabolites]

    def typical(self) -> dict[str, float]:
        """Typical parameter values in their declared units, validated."""
        specs = self.parameters
        owner = type(self).__name__
        unknown = sorted(set(self.params) - set(specs))
        if unknown:
            raise InvalidValueError(
                f"{owner}: unknown parameter(s) {unknown}; allowed: {sorted(specs)}"
            )
        defaults: dict[str, Any] = {"ka": "0 1/h", "f": 1.0, "tlag": "0 h"}
        missing = sorted(k for k in specs if k not in self.params and k not in defaults)
        if missing:
            raise InvalidValueError(f"{owner}: missing parameter(s) {missing}")
        values = {
            k: coerce_typical(specs[k], self.params.get(k, defaults.get(k)), owner) for k in specs
        }
        check_values(specs, {k: np.array([v]) for k, v in values.items()}, np.array([0]), owner)
        return values

    def with_params(self, **params: Any) -> LinearCompartmentModel:
        """A new model with some parameters replaced (this one is unchanged)."""
        return type(self)(**{**self.get_params(), **params})

    def get_params(self) -> dict[str, Any]:
        """The constructor arguments, as given."""
        return {
            "name": self.name,
            "metabolites": self.metabolites,
            "route": self.route,
            "basis": self.basis,
            **self.params,
        }

    def __repr__(self) -> str:
        try:
            values = self.typical()
        except (InvalidValueError, UnitError):
            return f"<{type(self).__name__} (invalid parameters): {self.params}>"
        units = {k: ("" if p.unit == "1" else p.unit) for k, p in self.parameters.items()}
        return model_repr(type(self).__name__, values, units, self.analytes)

    # ------------------------------------------------------------------ equations
    def _parent_matrix(self, p: pd.DataFrame) -> np.ndarray:
        """Rate matrix of the parent's disposition states (without the depot)."""
        raise NotImplementedError

    def rate_matrix(self, p: pd.DataFrame) -> np.ndarray:
        """Full rate matrix ``K`` with shape ``(n_subjects, n_states, n_states)`` (1/h)."""
        n_sub = len(p)
        n_par = len(self._parent_states)
        n = 1 + n_par + len(self.metabolites)
        k = np.zeros((n_sub, n, n))
        ka = p["ka"].to_numpy()
        k[:, 0, 0] = -ka
        k[:, 1, 0] = ka
        k[:, 1 : 1 + n_par, 1 : 1 + n_par] = self._parent_matrix(p)
        k10 = p["cl"].to_numpy() / p[self._central_volume].to_numpy()
        for j, m in enumerate(self.metabolites):
            i = 1 + n_par + j
            k[:, i, 1] = p[f"fm_{m}"].to_numpy() * p[f"mwr_{m}"].to_numpy() * k10
            k[:, i, i] = -p[f"cl_{m}"].to_numpy() / p[f"v_{m}"].to_numpy()
        return k

    def _output_scale(self, p: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
        n_par = len(self._parent_states)
        states = [1] + [1 + n_par + j for j in range(len(self.metabolites))]
        vols = [p[self._central_volume].to_numpy()] + [
            p[f"v_{m}"].to_numpy() for m in self.metabolites
        ]
        return np.array(states, dtype=np.int64), np.ascontiguousarray(1.0 / np.column_stack(vols))

    # ------------------------------------------------------------------ simulation
    def simulate(
        self,
        regimen: DosingRecords,
        times: Quantity | None = None,
        subjects: pd.DataFrame | None = None,
    ) -> PKResult:
        """Simulate ``regimen`` for every subject and return concentrations.

        Parameters
        ----------
        regimen : DosingRecords
            Doses (and, if ``times`` is None, the observation rows whose times are reported). A
            single-subject regimen is given to every subject in ``subjects``.
        times : Quantity, optional
            Output times (any time unit), shared by all subjects; see :func:`time_grid`.
        subjects : pandas.DataFrame, optional
            ``subject_id`` plus parameter columns in the units of :attr:`parameters` (or with
            ``attrs["units"]``); columns not given take the typical value.

        Returns
        -------
        PKResult
            Concentrations (mg/L) per subject, time and analyte.
        """
        owner = f"{type(self).__name__}.simulate"
        if not isinstance(regimen, DosingRecords):
            raise DosingRecordError(
                f"{owner}: regimen must be DosingRecords; got {type(regimen).__name__}"
            )
        typical = self.typical()
        reg_ids = regimen.subject_ids
        shared = len(reg_ids) == 1 and subjects is not None and len(subjects) > 0
        if shared:
            assert subjects is not None
            ids = (
                subjects["subject_id"].to_numpy(dtype=np.int64)
                if "subject_id" in subjects
                else reg_ids
            )
        else:
            ids = reg_ids
        table = subject_table(self.parameters, typical, subjects, ids, owner)
        check_values(self.parameters, {k: table[k].to_numpy() for k in self.parameters}, ids, owner)

        recs = regimen.expand().data
        n_states = len(self.compartments)
        bad_cmt = recs["EVID"].isin([1, 4]) & (recs["CMT"] > n_states)
        if bad_cmt.any():
            raise DosingRecordError(
                f"{owner}: CMT {int(recs.loc[bad_cmt, 'CMT'].iloc[0])} does not exist; this model has "
                f"CMT 1..{n_states} = {self.compartments}"
            )
        depot_doses = recs["EVID"].isin([1, 4]) & (recs["CMT"] == 1)
        if depot_doses.any() and not (table["ka"] > 0).all():
            raise DosingRecordError(
                f"{owner}: doses into CMT 1 (depot) need an absorption rate ka > 0; this model has "
                "none (an intravenous-only route?); dose into CMT 2 (central) instead"
            )

        # events as flat arrays, grouped by subject
        recs = recs.assign(_order=np.arange(len(recs)))
        groups = {int(np.asarray(i)): g for i, g in recs.groupby("ID", sort=False)}
        ev_subjects = [reg_ids[0]] if shared else list(ids)
        parts = [groups[int(i)] for i in ev_subjects]
        lens = np.array([len(g) for g in parts], dtype=np.int64)
        starts = np.concatenate([[0], np.cumsum(lens)[:-1]]).astype(np.int64)
        ev = pd.concat(parts, ignore_index=True) if parts else recs.iloc[:0]
        if shared:
            ev_start = np.zeros(len(ids), dtype=np.int64)
            ev_stop = np.full(len(ids), lens[0], dtype=np.int64)
        else:
            ev_start, ev_stop = starts, starts + lens

        # output times
        if times is not None:
            if not isinstance(times, pint.Quantity):
                raise UnitError(
                    f"{owner}: times must be a pint Quantity array (e.g. time_grid('14 days')); got {type(times).__name__}"
                )
            if times.dimensionality != ureg.Unit("h").dimensionality:
                raise UnitError(f"{owner}: times must be in a time unit; got {times.units}")
            grid = np.atleast_1d(np.asarray(times.to("h").magnitude, dtype=float))
            if grid.size == 0 or not np.all(np.isfinite(grid)) or np.any(grid < 0):
                raise InvalidValueError(f"{owner}: times must be finite and >= 0 h")
            if np.any(np.diff(grid) < 0):
                raise InvalidValueError(f"{owner}: times must be sorted in increasing order")
            obs_time = grid
            obs_start = np.zeros(len(ids), dtype=np.int64)
            obs_stop = np.full(len(ids), grid.size, dtype=np.int64)
            out_offset = np.arange(len(ids), dtype=np.int64) * grid.size
            n_rows = len(ids) * grid.size
            row_subject, row_time = None, grid  # flat index built lazily by PKResult
        else:
            if shared:
                raise InvalidValueError(
                    f"{owner}: give times when one regimen is shared by many subjects"
                )
            obs = recs[recs["EVID"].isin([0, 2])]
            if obs.empty:
                raise InvalidValueError(
                    f"{owner}: give times, or observation rows (EVID 0) in the records"
                )
            og = {
                int(np.asarray(i)): g["TIME"].to_numpy(dtype=float)
                for i, g in obs.groupby("ID", sort=False)
            }
            per = [og.get(int(i), np.zeros(0)) for i in ids]
            n_obs = np.array([len(x) for x in per], dtype=np.int64)
            obs_time = np.concatenate(per)
            obs_start = np.concatenate([[0], np.cumsum(n_obs)[:-1]]).astype(np.int64)
            obs_stop = obs_start + n_obs
            out_offset = obs_start.copy()
            n_rows = int(obs_time.size)
            row_subject = np.repeat(ids, n_obs)
            row_time = obs_time

        out_state, out_scale = self._output_scale(table)
        k = np.ascontiguousarray(self.rate_matrix(table))
        f = np.ones((len(ids), n_states))
        f[:, 0] = table["f"].to_numpy()
        tlag = np.zeros((len(ids), n_states))
        tlag[:, 0] = table["tlag"].to_numpy()
        out = np.empty((n_rows, len(out_state)))  # every row is written by the kernel
        ev_arrays = {
            "TIME": ev["TIME"].to_numpy(dtype=float),
            "EVID": ev["EVID"].to_numpy(dtype=np.int64),
            "CMT": ev["CMT"].to_numpy(dtype=np.int64) - 1,
            "AMT": ev["AMT"].to_numpy(dtype=float),
            "RATE": ev["RATE"].to_numpy(dtype=float),
            "II": ev["II"].to_numpy(dtype=float),
            "SS": ev["SS"].to_numpy(dtype=np.int64),
        }
        timeline = None
        if times is not None and (shared or len(ids) == 1) and self._batched:
            timeline = shared_timeline(f, tlag, ev_arrays, obs_time)
        if timeline is not None:
            # one block of subjects has nothing to run in parallel: stay on this thread
            kernel = simulate_linear_one_block if len(ids) <= BLOCK else simulate_linear_batched
            status = kernel(
                k,
                f,
                tlag,
                timeline.dts,
                timeline.step_dt,
                timeline.step_action,
                timeline.step_output,
                timeline.a_kind,
                timeline.a_cmt,
                timeline.a_val,
                timeline.a_ii,
                timeline.a_amt,
                int(obs_time.size),
                out_state,
                out_scale,
                out,
            )
        else:
            status = simulate_linear(
                k,
                f,
                tlag,
                ev_start,
                ev_stop,
                ev_arrays["TIME"],
                ev_arrays["EVID"],
                ev_arrays["CMT"],
                ev_arrays["AMT"],
                ev_arrays["RATE"],
                ev_arrays["II"],
                ev_arrays["SS"],
                obs_start,
                obs_stop,
                np.ascontiguousarray(obs_time, dtype=float),
                out_offset,
                out_state,
                out_scale,
                out,
            )
        if status.any():
            bad = ids[status != 0][:5].tolist()
            raise DosingRecordError(
                f"{owner}: a steady-state record (SS) for subject_id {bad} needs tlag < II and, for "
                "an infusion, tlag + duration <= II"
            )
        return PKResult(
            model=self,
            regimen=regimen,
            subjects=table,
            subject_id=row_subject if row_subject is not None else ids,
            time=row_time,
            values=out,
            analytes=self.analytes,
            grid=times is not None,
        )
