"""Presynaptic calcium entry and transmitter release; gabapentinoid action at alpha2-delta.

Release per action potential rises with calcium entry to a power n (Dodge & Rahamimoff 1967:
slope 3.78 +/- 0.2 of log release against log [Ca] at the frog neuromuscular junction):

.. math:: R / R_0 = (Ca / Ca_0)^n

so cutting entry by 20% removes :math:`1 - 0.8^{3.8} \\approx 57\\%` of release. Gabapentinoids bind
the alpha2-delta subunit of voltage-gated calcium channels and reduce depolarisation-evoked calcium
entry by at most about 35% (pregabalin; 37% gabapentin) in human neocortical synaptosomes
(Fink et al. 2002). At high firing rates, calcium left from earlier spikes (residual calcium,
Katz & Miledi 1968) facilitates release; here facilitation scales with residual calcium, which
itself scales with entry, so release depends more steeply on entry in a fast-firing neuron.

References
----------
1. Dodge FA Jr, Rahamimoff R (1967). Co-operative action of calcium ions in transmitter release at
   the neuromuscular junction. J Physiol 193(2):419-432. doi:10.1113/jphysiol.1967.sp008367
2. Fink K, Dooley DJ, Meder WP, Suman-Chauhan N, Duffy S, Clusmann H, Göthert M (2002). Inhibition
   of neuronal Ca2+ influx by gabapentin and pregabalin in the human neocortex. Neuropharmacology
   42(2):229-236. doi:10.1016/S0028-3908(01)00172-1
3. Katz B, Miledi R (1968). The role of calcium in neuromuscular facilitation. J Physiol
   195(2):481-492.
4. Zucker RS, Regehr WG (2002). Short-term synaptic plasticity. Annu Rev Physiol 64:355-405.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
from pydantic import BaseModel, ConfigDict

from allostasis.errors import InvalidValueError, UnitError, UnknownDrugError
from allostasis.knowledge import KnowledgeBase, load_knowledge_base
from allostasis.units import as_quantity, magnitude

__all__ = [
    "DODGE_RAHAMIMOFF_EXPONENT",
    "FACILITATION_K",
    "GABAPENTINOID_MAX_ENTRY_REDUCTION",
    "RESIDUAL_CALCIUM_TAU",
    "GabapentinoidReleaseEffect",
    "gabapentinoid_release_effect",
    "release_fraction",
]

#: Power of release on calcium (dimensionless): 3.78 +/- 0.2 SD, 28 experiments
#: (Dodge & Rahamimoff 1967, J Physiol 193:419, doi:10.1113/jphysiol.1967.sp008367).
DODGE_RAHAMIMOFF_EXPONENT: Final[float] = 3.78

#: Maximal fractional reduction of K+-evoked Ca2+ influx (dimensionless) in human neocortical
#: synaptosomes (Fink et al. 2002, Neuropharmacology 42:229, doi:10.1016/S0028-3908(01)00172-1):
#: pregabalin 35%, gabapentin 37% (IC50 17 uM for both).
GABAPENTINOID_MAX_ENTRY_REDUCTION: Final[dict[str, float]] = {
    "pregabalin": 0.35,
    "gabapentin": 0.37,
}

#: Functional potency (IC50) for the reduction of Ca2+ influx (Fink et al. 2002, same preparation):
#: 17 uM for both drugs. Used by default, because the alpha2-delta binding Kd (pregabalin ~6 nM)
#: would saturate the effect at every clinical concentration (plasma ~10-60 uM), whereas the
#: functional effect is graded over that range. ``potency="binding"`` uses the knowledge-base Kd.
GABAPENTINOID_FUNCTIONAL_IC50: Final[dict[str, str]] = {
    "pregabalin": "17 uM",
    "gabapentin": "17 uM",
}

#: Decay time constant of residual calcium / facilitation: 100 ms. **Modelling assumption**: a
#: typical value for the fast component of facilitation (tens to hundreds of ms; Zucker & Regehr
#: 2002, Annu Rev Physiol 64:355).
RESIDUAL_CALCIUM_TAU: Final[str] = "100 ms"

#: Residual calcium (in units of one spike's entry) that doubles release: 1. **Modelling
#: assumption** (facilitation F = 1 + residual / K_F, after the residual-calcium hypothesis of
#: Katz & Miledi 1968).
FACILITATION_K: Final[float] = 1.0


def _check_exponent(exponent: float) -> None:
    if not (np.isfinite(exponent) and 0 < exponent <= 10):
        raise InvalidValueError(f"exponent: must be in (0, 10]; got {exponent!r}")


def release_fraction(
    entry_ratio: Any,
    *,
    exponent: float = DODGE_RAHAMIMOFF_EXPONENT,
    firing_rate: Any = None,
    tau_residual: Any = RESIDUAL_CALCIUM_TAU,
    k_facilitation: float = FACILITATION_K,
) -> np.ndarray:
    """Release per spike relative to control when calcium entry per spike changes.

    .. math::

        \\frac{R}{R_0} = e^{n}\\, \\frac{1 + e\\,x}{1 + x}, \\qquad
        x = \\frac{r}{(1 - r) K_F}, \\quad r = \\exp\\!\\left(-\\frac{1}{f\\,\\tau}\\right)

    where :math:`e` is entry relative to control, :math:`x` the steady-state residual calcium
    of a regular train at frequency :math:`f` (in units of one spike's entry, divided by
    :math:`K_F`). Without ``firing_rate`` (or at low rates, :math:`r \\to 0`) this is the pure
    power law :math:`e^n`. At high rates the same cut in :math:`e` removes a larger share.

    Parameters
    ----------
    entry_ratio : array_like of float
        Calcium entry per spike relative to control (dimensionless, >= 0), any shape.
    exponent : float, default 3.78
        Power n of release on calcium, in (0, 10] (Dodge & Rahamimoff 1967).
    firing_rate : str or pint.Quantity, optional
        Mean firing frequency, e.g. ``"40 Hz"`` (>= 0), broadcastable with ``entry_ratio``.
    tau_residual : str or pint.Quantity, default "100 ms"
        Residual calcium decay time constant (> 0); a modelling assumption.
    k_facilitation : float, default 1
        Residual calcium (spike-entry units) that doubles release (> 0); a modelling assumption.

    Returns
    -------
    numpy.ndarray
        Relative release (>= 0), broadcast shape.

    Raises
    ------
    InvalidValueError
        Negative entry, exponent outside (0, 10], negative rate, non-positive tau or K_F.
    UnitError
        A rate or time without a unit.

    References
    ----------
    1. Dodge FA, Rahamimoff R (1967). J Physiol 193(2):419-432. doi:10.1113/jphysiol.1967.sp008367
    2. Katz B, Miledi R (1968). J Physiol 195(2):481-492.

    Examples
    --------
    >>> round(1 - float(release_fraction(0.8, exponent=3.8)), 3)
    0.572
    >>> round(1 - float(release_fraction(0.8, firing_rate="50 Hz")), 3)
    0.64
    >>> release_fraction(0.8, firing_rate="50")
    Traceback (most recent call last):
    ...
    allostasis.errors.UnitError: firing_rate: a bare number ('50') has no unit; give a quantity such as '50 Hz'
    """
    _check_exponent(exponent)
    e = np.asarray(entry_ratio, dtype=float)
    if not np.all(np.isfinite(e)) or np.any(e < 0):
        raise InvalidValueError(
            f"entry_ratio: calcium entry relative to control must be finite and >= 0; got {entry_ratio!r}"
        )
    out = e**exponent
    if firing_rate is None:
        return np.asarray(out)
    fq = as_quantity(firing_rate, field="firing_rate", unit="Hz")
    f = np.asarray(fq.to("Hz").magnitude, dtype=float)
    if np.any(f < 0):
        raise InvalidValueError(f"firing_rate: must be >= 0 Hz; got {firing_rate!s}")
    tau = magnitude(tau_residual, field="tau_residual", unit="s", strictly_positive=True)
    if not (np.isfinite(k_facilitation) and k_facilitation > 0):
        raise InvalidValueError(f"k_facilitation: must be > 0; got {k_facilitation!r}")
    with np.errstate(divide="ignore", over="ignore"):
        r = np.where(f > 0, np.exp(-1.0 / np.where(f > 0, f, 1.0) / tau), 0.0)
    x = r / ((1.0 - r) * k_facilitation)
    return np.asarray(out * (1.0 + e * x) / (1.0 + x))


class GabapentinoidReleaseEffect(BaseModel):
    """Alpha2-delta occupancy, calcium entry and release relative to no drug."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    drug: str
    concentration_nm: list[float]
    occupancy: list[float]
    calcium_entry: list[float]
    """Calcium entry per spike relative to no drug."""
    release: list[float]
    """Release per spike relative to no drug."""
    release_reduction: list[float]
    """1 - release."""
    basis: list[str]


def gabapentinoid_release_effect(
    drug: str,
    concentration: Any,
    *,
    firing_rate: Any = None,
    exponent: float = DODGE_RAHAMIMOFF_EXPONENT,
    max_entry_reduction: float | None = None,
    kd: Any = None,
    potency: str = "functional",
    kb: KnowledgeBase | None = None,
) -> GabapentinoidReleaseEffect:
    """Reduction of transmitter release by a gabapentinoid at a given unbound concentration.

    .. math::

        O = \\frac{C}{C + K_d}, \\qquad e = 1 - I_{max} O, \\qquad
        \\frac{R}{R_0} = e^{n} \\frac{1 + e x}{1 + x}

    Parameters
    ----------
    drug : str
        ``"pregabalin"`` or ``"gabapentin"`` (any knowledge-base drug with an ``a2d`` target).
    concentration : str or pint.Quantity
        Unbound concentration at the terminal, molar (``"10 uM"``) or mass (``"5 mg/L"``, converted
        with the knowledge-base molecular weight); >= 0; scalar or 1-D array.
    firing_rate : str or pint.Quantity, optional
        Firing frequency for the residual-calcium term (see :func:`release_fraction`).
    exponent : float, default 3.78
        Dodge-Rahamimoff power.
    max_entry_reduction : float, optional
        Maximal fractional cut in calcium entry at full occupancy, in [0, 1]; default from
        :data:`GABAPENTINOID_MAX_ENTRY_REDUCTION` (Fink et al. 2002).
    kd : str or pint.Quantity, optional
        Explicit potency (molar, > 0); overrides ``potency``.
    potency : {"functional", "binding"}
        ``functional`` (default): the IC50 for inhibition of Ca2+ influx
        (:data:`GABAPENTINOID_FUNCTIONAL_IC50`, 17 uM, Fink et al. 2002); ``binding``: the
        knowledge-base alpha2-delta binding Kd.
    kb : KnowledgeBase, optional

    Returns
    -------
    GabapentinoidReleaseEffect
        Lists of length ``n_concentrations``.

    Raises
    ------
    UnknownDrugError
        Drug unknown or without an ``a2d`` entry.
    InvalidValueError
        Negative concentration, ``max_entry_reduction`` outside [0, 1], no Kd available.

    Notes
    -----
    The binding Kd (pregabalin 6 nM at recombinant alpha2delta-1) is far below the functional IC50
    for inhibition of Ca2+ influx (17 uM, Fink et al. 2002); the drug acts mainly by reducing
    channel trafficking over hours to days, which an occupancy model does not capture. The
    functional IC50 is therefore the default; ``potency="binding"`` shows the binding-site view, in
    which the effect is saturated at every clinical concentration.

    References
    ----------
    1. Fink K et al. (2002). Neuropharmacology 42(2):229-236. doi:10.1016/S0028-3908(01)00172-1
    2. Dodge FA, Rahamimoff R (1967). J Physiol 193(2):419-432. doi:10.1113/jphysiol.1967.sp008367

    Examples
    --------
    >>> r = gabapentinoid_release_effect("pregabalin", "6 nM", potency="binding")
    >>> r.occupancy, [round(v, 3) for v in r.calcium_entry], [round(v, 3) for v in r.release]
    ([0.5], [0.825], [0.483])
    >>> gabapentinoid_release_effect("pregabalin", "-1 uM")
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: concentration: must be >= 0; got -1 uM
    """
    kb = kb or load_knowledge_base()
    entry = kb[drug]
    hits = [t for t in entry.targets if t.target.lower() == "a2d"]
    if not hits:
        raise UnknownDrugError(
            f"drug: {entry.name} has no alpha2-delta ('a2d') target in the knowledge base; "
            f"its targets are {[t.target for t in entry.targets]}"
        )
    target = hits[0]
    if potency not in ("functional", "binding"):
        raise InvalidValueError(f"potency: must be 'functional' or 'binding'; got {potency!r}")
    if kd is not None:
        kd_nm = magnitude(kd, field="kd", unit="nM", strictly_positive=True)
        kd_src = "user-supplied kd"
    elif potency == "functional" and entry.name in GABAPENTINOID_FUNCTIONAL_IC50:
        kd_nm = magnitude(GABAPENTINOID_FUNCTIONAL_IC50[entry.name], field="kd", unit="nM")
        kd_src = "functional IC50 for Ca2+ influx, Fink 2002 Neuropharmacology 42:229"
    elif target.ki is not None:
        kd_nm = target.ki.to("nM")
        kd_src = f"knowledge base a2d Kd (source {target.ki.source})"
    else:
        raise InvalidValueError(f"kd: {entry.name} has no a2d Kd in the knowledge base; pass kd")
    if max_entry_reduction is None:
        if entry.name not in GABAPENTINOID_MAX_ENTRY_REDUCTION:
            raise InvalidValueError(
                f"max_entry_reduction: no published value for {entry.name}; pass one in [0, 1]"
            )
        imax = GABAPENTINOID_MAX_ENTRY_REDUCTION[entry.name]
        imax_src = "Fink 2002 Neuropharmacology 42:229 (human neocortical synaptosomes)"
    else:
        imax = float(max_entry_reduction)
        imax_src = "user-supplied"
        if not (0.0 <= imax <= 1.0):
            raise InvalidValueError(f"max_entry_reduction: must be in [0, 1]; got {imax!r}")
    try:
        c = as_quantity(concentration, field="concentration", unit="nM")
        c_nm = np.atleast_1d(np.asarray(c.to("nM").magnitude, dtype=float))
    except UnitError:
        c = as_quantity(concentration, field="concentration", unit="mg/L")
        mw = entry.molecular_weight.to("g/mol")
        c_nm = np.atleast_1d(np.asarray(c.to("mg/L").magnitude, dtype=float)) / mw * 1e6
    if np.any(c_nm < 0):
        raise InvalidValueError(f"concentration: must be >= 0; got {concentration!s}")
    occ = c_nm / (c_nm + kd_nm)
    e = 1.0 - imax * occ
    rel = np.atleast_1d(release_fraction(e, exponent=exponent, firing_rate=firing_rate))
    return GabapentinoidReleaseEffect(
        drug=entry.name,
        concentration_nm=c_nm.tolist(),
        occupancy=occ.tolist(),
        calcium_entry=e.tolist(),
        release=rel.tolist(),
        release_reduction=(1.0 - rel).tolist(),
        basis=[
            f"occupancy O = C / (C + Kd), Kd = {kd_nm:g} nM ({kd_src})",
            f"calcium entry e = 1 - Imax * O, Imax = {imax:g} ({imax_src})",
            f"release R/R0 = e^n, n = {exponent:g} (Dodge & Rahamimoff 1967 J Physiol 193:419)",
            "frequency term: "
            + (
                "none (single spikes)"
                if firing_rate is None
                else f"{firing_rate!s}; residual calcium tau = {RESIDUAL_CALCIUM_TAU}, "
                f"K_F = {FACILITATION_K:g} (MODELLING ASSUMPTIONS, Katz & Miledi 1968)"
            ),
        ],
    )
