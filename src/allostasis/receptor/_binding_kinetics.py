"""Time-resolved competition of ligands for one receptor site (association/dissociation kinetics).

Each ligand :math:`j` binds the free receptor with an association rate :math:`k_{on,j}` and leaves it
with a dissociation rate :math:`k_{off,j}`; all ligands share one pool of sites:

.. math::

    \\frac{d\\theta_j}{dt} = k_{on,j}\\, C_j(t)^{n_j}\\, \\Big(1 - \\sum_k \\theta_k\\Big)
        - k_{off,j}\\, \\theta_j

with :math:`\\theta_j` the fraction of sites bound by ligand :math:`j` and :math:`C_j(t)` its unbound
molar concentration at the receptor. :math:`n_j = 1` is the law of mass action; the FDA
translational opioid model (Mann et al. 2022) fits an empirical slope :math:`n_j` to its binding
assays, which this module supports so that the published model can be reproduced. At constant
concentrations the system relaxes to competitive mass-action occupancy

.. math:: \\theta_j^{eq} = \\frac{q_j}{1 + \\sum_k q_k}, \\qquad q_j = \\frac{k_{on,j} C_j^{n_j}}{k_{off,j}}

(Gaddum's equation). Ligand depletion by binding is neglected (receptor concentration far below
the ligand's), as in Mann et al. 2022, whose assays lost <= 5% of ligand to binding.

References
----------
1. Mann J, Samieegohar M, Chaturbedi A, et al. (2022). Development of a translational model to
   assess the impact of opioid overdose and naloxone dosing on respiratory depression and cardiac
   arrest. Clin Pharmacol Ther 112(5):1020-1032. doi:10.1002/cpt.2696
2. Laffont CM, Purohit P, Delcamp N, Gonzalez-Garcia I, Skolnick P (2024). Comparison of intranasal
   naloxone and intranasal nalmefene in a translational model assessing the impact of synthetic
   opioid overdose on respiratory depression and cardiac arrest. Front Psychiatry 15:1399803.
   doi:10.3389/fpsyt.2024.1399803
3. Copeland RA, Pompliano DL, Meek TD (2006). Drug-target residence time and its implications for
   lead optimization. Nat Rev Drug Discov 5(9):730-739. doi:10.1038/nrd2082
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Final, Literal

import numpy as np
import pandas as pd
import pint
import scipy.sparse as sp
from scipy.integrate import solve_ivp

from allostasis.errors import InvalidValueError, UnitError, UnknownDrugError
from allostasis.knowledge import KnowledgeBase, load_knowledge_base
from allostasis.units import Q_, as_quantity, magnitude

__all__ = [
    "ASSUMED_KON",
    "MANN_2022_MOR_KINETICS",
    "BindingLigand",
    "CompetitionResult",
    "binding_ligand",
    "equilibrium_competition",
    "ligand_from_knowledge_base",
    "simulate_competition",
    "unbound_molar_concentration",
]

#: Association rate assumed where only an equilibrium constant is known: 1e7 /M/s = 0.6 /nM/min.
#: **Modelling assumption**: a mid-range small-molecule association rate, one to two orders below
#: the diffusion limit (about 1e8-1e9 /M/s; Copeland et al. 2006, doi:10.1038/nrd2082). With it,
#: koff = kon x Ki. Results that use it say so in their ``basis``.
ASSUMED_KON: Final[str] = "0.6 1/nM/min"

_MANN = "Mann 2022 Clin Pharmacol Ther 112:1020, Supplement 1 Table S2 (doi:10.1002/cpt.2696)"
_LAFFONT = "Laffont 2024 Front Psychiatry 15:1399803, Supplementary Table S3 (doi:10.3389/fpsyt.2024.1399803)"


@dataclass(frozen=True)
class BindingLigand:
    """Kinetic constants of one ligand at one site, in canonical units.

    ``kon`` is in 1/(nM^slope min) (1/nM/min when ``slope`` is 1), ``koff`` in 1/min.
    Build it with :func:`binding_ligand` or :func:`ligand_from_knowledge_base`.
    """

    name: str
    kon: float
    koff: float
    slope: float = 1.0
    basis: tuple[str, ...] = field(default_factory=tuple)

    @property
    def k50_nm(self) -> float:
        """Concentration (nM) that occupies half the sites at equilibrium alone: (koff/kon)^(1/n)."""
        return float((self.koff / self.kon) ** (1.0 / self.slope))

    @property
    def dissociation_half_life_min(self) -> float:
        """ln 2 / koff, in minutes."""
        return float(np.log(2.0) / self.koff)


def binding_ligand(
    name: str, *, kon: Any, koff: Any, slope: float = 1.0, source: str = "user-supplied"
) -> BindingLigand:
    """Build a :class:`BindingLigand` from quantities.

    .. math:: K_{50} = (k_{off}/k_{on})^{1/n}

    Parameters
    ----------
    name : str
        Ligand name used in results.
    kon : str or pint.Quantity
        Association rate constant, e.g. ``"0.74 1/nM/min"`` or ``"1e7 1/M/s"`` (> 0). With
        ``slope`` n != 1 it is the rate per (1 nM)^n, given in 1/nM/min units.
    koff : str or pint.Quantity
        Dissociation rate constant, e.g. ``"0.26 1/min"`` (> 0).
    slope : float, default 1
        Empirical concentration exponent n of Mann et al. 2022, in (0, 5]; 1 is mass action.
    source : str
        Where the constants come from; recorded in ``basis``.

    Returns
    -------
    BindingLigand

    Raises
    ------
    UnitError
        If ``kon`` or ``koff`` lacks a unit or has the wrong dimension.
    InvalidValueError
        If a constant is not > 0 or ``slope`` is outside (0, 5].

    References
    ----------
    1. Mann J et al. (2022). Clin Pharmacol Ther 112(5):1020-1032. doi:10.1002/cpt.2696

    Examples
    --------
    >>> lig = binding_ligand("fentanyl", kon="0.7408 1/nM/min", koff="0.2598 1/min")
    >>> round(lig.k50_nm, 3), round(lig.dissociation_half_life_min, 2)
    (0.351, 2.67)
    >>> binding_ligand("x", kon="0.7", koff="0.26 1/min")
    Traceback (most recent call last):
    ...
    allostasis.errors.UnitError: kon: a bare number ('0.7') has no unit; give a quantity such as '0.7 1/nM/min'
    """
    kon_v = magnitude(kon, field="kon", unit="1/nM/min", strictly_positive=True)
    koff_v = magnitude(koff, field="koff", unit="1/min", strictly_positive=True)
    if not (np.isfinite(slope) and 0 < slope <= 5):
        raise InvalidValueError(f"slope: must be in (0, 5] (1 = mass action); got {slope!r}")
    basis = (
        f"{name}: kon = {kon_v:.4g} 1/(nM^{slope:g} min), koff = {koff_v:.4g} 1/min, "
        f"slope n = {slope:g} ({source})",
    )
    return BindingLigand(name=name, kon=kon_v, koff=koff_v, slope=float(slope), basis=basis)


def _mann(name: str, kon_pm_s: float, koff_s: float, n: float, src: str) -> BindingLigand:
    # kon in pM^-n s^-1 -> nM^-n min^-1: a concentration of 1 nM is 1000 pM, so multiply by 1000^n.
    kon = kon_pm_s * 1000.0**n * 60.0
    return BindingLigand(
        name=name,
        kon=kon,
        koff=koff_s * 60.0,
        slope=n,
        basis=(
            f"{name}: kon = {kon_pm_s:.3g} pM^-n/s, koff = {koff_s:.3g} 1/s, n = {n:g} ({src})",
        ),
    )


#: Human mu-opioid receptor binding kinetics exactly as published (Hill-type slope n kept).
#: fentanyl, carfentanil, buprenorphine, naloxone: Mann et al. 2022 Supplement 1 Table S2 (C6 cells
#: expressing human MOR). nalmefene: Laffont et al. 2024 Supplementary Table S3 (Mann's naloxone
#: constants scaled by nalmefene/naloxone ratios from Cassel et al. 2005, n assumed equal to
#: naloxone's). Carfentanil and nalmefene are not in the knowledge base, hence named constants here.
MANN_2022_MOR_KINETICS: Final[dict[str, BindingLigand]] = {
    "fentanyl": _mann("fentanyl", 3.08e-05, 4.33e-03, 0.844, _MANN),
    "carfentanil": _mann("carfentanil", 9.95e-06, 2.47e-04, 1.023, _MANN),
    "buprenorphine": _mann("buprenorphine", 4.83e-05, 1.37e-04, 0.5, _MANN),
    "naloxone": _mann("naloxone", 1.67e-04, 3.96e-02, 0.86, _MANN),
    "nalmefene": _mann("nalmefene", 2.06e-04, 1.35e-02, 0.86, _LAFFONT),
}


def ligand_from_knowledge_base(
    drug: str,
    target: str,
    *,
    assumed_kon: Any = None,
    kb: KnowledgeBase | None = None,
) -> BindingLigand:
    """Kinetic constants of ``drug`` at ``target`` from the knowledge base.

    .. math:: k_{off} = k_{on}^{assumed} \\, K_i \\quad \\text{(only when no measured kinetics)}

    Measured ``kon``/``koff`` are used when the target entry has them. Otherwise, if
    ``assumed_kon`` is given (e.g. :data:`ASSUMED_KON`), koff is derived from the entry's ``ki``
    and the assumption is written into ``basis``.

    Parameters
    ----------
    drug : str
        Drug name or synonym.
    target : str
        Target short name, e.g. ``"MOR"`` or ``"GABAA-BZD"``.
    assumed_kon : str or pint.Quantity, optional
        Association rate to assume when no measured kinetics exist (> 0, 1/nM/min dimension).
    kb : KnowledgeBase, optional
        Defaults to the packaged knowledge base.

    Returns
    -------
    BindingLigand

    Raises
    ------
    UnknownDrugError
        If the drug is unknown or has no entry for ``target``.
    InvalidValueError
        If the entry has neither kinetics nor (with ``assumed_kon``) a ``ki``.

    References
    ----------
    1. Mann J et al. (2022). Clin Pharmacol Ther 112(5):1020-1032. doi:10.1002/cpt.2696
    2. Copeland RA et al. (2006). Nat Rev Drug Discov 5(9):730-739. doi:10.1038/nrd2082

    Examples
    --------
    >>> nal = ligand_from_knowledge_base("naloxone", "MOR")
    >>> round(nal.kon, 3), round(nal.koff, 3)
    (4.114, 2.376)
    >>> flu = ligand_from_knowledge_base("flumazenil", "GABAA-BZD", assumed_kon=ASSUMED_KON)
    >>> round(flu.koff, 3)
    0.6
    >>> ligand_from_knowledge_base("morphine", "MOR")
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: morphine at MOR: the knowledge base has no kon/koff; pass assumed_kon (e.g. ASSUMED_KON = '0.6 1/nM/min') to derive koff = kon x Ki, a modelling assumption
    """
    kb = kb or load_knowledge_base()
    entry = kb[drug]
    hits = [t for t in entry.targets if t.target.lower() == target.lower()]
    if not hits:
        known = [t.target for t in entry.targets]
        raise UnknownDrugError(
            f"target: {entry.name} has no entry for {target!r}; its targets are {known}"
        )
    t = hits[0]
    if t.kon is not None and t.koff is not None:
        lig = BindingLigand(
            name=entry.name,
            kon=t.kon.to("1/nM/min"),
            koff=t.koff.to("1/min"),
            basis=(
                f"{entry.name} at {t.target}: kon = {t.kon.to('1/nM/min'):.4g} 1/nM/min "
                f"(source {t.kon.source}), koff = {t.koff.to('1/min'):.4g} 1/min "
                f"(source {t.koff.source}); mass action (n = 1)",
            ),
        )
        return lig
    if assumed_kon is None:
        raise InvalidValueError(
            f"{entry.name} at {t.target}: the knowledge base has no kon/koff; pass assumed_kon "
            f"(e.g. ASSUMED_KON = {ASSUMED_KON!r}) to derive koff = kon x Ki, a modelling assumption"
        )
    if t.ki is None:
        raise InvalidValueError(
            f"{entry.name} at {t.target}: the knowledge base has neither kon/koff nor ki; "
            "give the constants with binding_ligand()"
        )
    kon = magnitude(assumed_kon, field="assumed_kon", unit="1/nM/min", strictly_positive=True)
    ki = t.ki.to("nM")
    return BindingLigand(
        name=entry.name,
        kon=kon,
        koff=kon * ki,
        basis=(
            f"{entry.name} at {t.target}: Ki = {ki:.4g} nM (source {t.ki.source}); "
            f"kon = {kon:.4g} 1/nM/min is a MODELLING ASSUMPTION (no measured kinetics), "
            f"koff = kon x Ki = {kon * ki:.4g} 1/min",
        ),
    )


def unbound_molar_concentration(
    concentration: Any, *, molecular_weight: Any = None, fraction_unbound: float = 1.0
) -> pint.Quantity[Any]:
    """Unbound molar concentration from a total molar or mass concentration.

    .. math:: C_u = f_u \\, C \\;\\; (\\text{molar}), \\qquad C_u = f_u \\, C_{mass} / MW

    Parameters
    ----------
    concentration : str or pint.Quantity
        Molar (``"2 nM"``) or mass (``"0.67 ng/mL"``) concentration, scalar or array, >= 0.
    molecular_weight : str or pint.Quantity, optional
        Needed for mass concentrations, e.g. ``"336.47 g/mol"``.
    fraction_unbound : float, default 1
        Unbound fraction in [0, 1] (1 - protein binding).

    Returns
    -------
    pint.Quantity
        In nM, same shape as ``concentration``.

    Raises
    ------
    UnitError
        Wrong dimension, or a mass concentration without molecular weight.
    InvalidValueError
        Negative concentration or ``fraction_unbound`` outside [0, 1].

    Examples
    --------
    >>> unbound_molar_concentration("1 ng/mL", molecular_weight="336.47 g/mol", fraction_unbound=0.2)
    <Quantity(0.594406, 'nanomolar')>
    >>> unbound_molar_concentration("-1 nM")
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: concentration: must be >= 0; got -1 nM
    """
    if not (0.0 <= fraction_unbound <= 1.0):
        raise InvalidValueError(f"fraction_unbound: must be in [0, 1]; got {fraction_unbound!r}")
    try:
        c = as_quantity(concentration, field="concentration", unit="nM")
        out = c.to("nM")
    except UnitError:
        c = as_quantity(concentration, field="concentration", unit="mg/L")
        if molecular_weight is None:
            raise UnitError(
                f"concentration: {concentration!s} is a mass concentration; give molecular_weight "
                "(e.g. '336.47 g/mol') to convert it to molar"
            ) from None
        mw = magnitude(
            molecular_weight, field="molecular_weight", unit="g/mol", strictly_positive=True
        )
        out = Q_(np.asarray(c.to("mg/L").magnitude, dtype=float) / mw * 1e6, "nM")
    mag = np.asarray(out.magnitude, dtype=float)
    if np.any(mag < 0):
        raise InvalidValueError(f"concentration: must be >= 0; got {concentration!s}")
    value = mag * fraction_unbound if mag.ndim else float(mag) * fraction_unbound
    result: pint.Quantity[Any] = Q_(value, "nM")
    return result


def equilibrium_competition(
    ligands: Sequence[BindingLigand], concentrations: Sequence[Any]
) -> np.ndarray:
    """Competitive equilibrium occupancy of each ligand at one site (Gaddum).

    .. math:: \\theta_j = \\frac{q_j}{1 + \\sum_k q_k}, \\quad q_j = k_{on,j} C_j^{n_j} / k_{off,j}

    Parameters
    ----------
    ligands : sequence of BindingLigand
    concentrations : sequence of str or pint.Quantity
        Unbound molar concentration of each ligand (>= 0), scalars or broadcastable arrays.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_ligands, *broadcast_shape)``, fractions in [0, 1] summing to < 1.

    Raises
    ------
    InvalidValueError
        Mismatched lengths or negative concentrations.

    References
    ----------
    1. Gaddum JH (1937). J Physiol 89:7P-9P (competitive occupancy).

    Examples
    --------
    >>> a = binding_ligand("A", kon="1 1/nM/min", koff="1 1/min")
    >>> b = binding_ligand("B", kon="1 1/nM/min", koff="2 1/min")
    >>> equilibrium_competition([a, b], ["1 nM", "2 nM"]).round(4).tolist()
    [0.3333, 0.3333]
    """
    c = _molar_list(ligands, concentrations)
    q = np.stack(
        np.broadcast_arrays(
            *[lig.kon * ci**lig.slope / lig.koff for lig, ci in zip(ligands, c, strict=True)]
        )
    )
    return np.asarray(q / (1.0 + q.sum(axis=0)))


def _molar_list(
    ligands: Sequence[BindingLigand], concentrations: Sequence[Any]
) -> list[np.ndarray]:
    if len(ligands) == 0 or len(ligands) != len(concentrations):
        raise InvalidValueError(
            f"concentrations: give one concentration per ligand; got {len(concentrations)} for "
            f"{len(ligands)} ligand(s)"
        )
    out = []
    for lig, c in zip(ligands, concentrations, strict=True):
        q = as_quantity(c, field=f"concentration of {lig.name}", unit="nM")
        arr = np.asarray(q.to("nM").magnitude, dtype=float)
        if np.any(arr < 0):
            raise InvalidValueError(f"concentration of {lig.name}: must be >= 0 nM; got {c!s}")
        out.append(arr)
    return out


@dataclass(frozen=True)
class CompetitionResult:
    """Occupancy time courses of competing ligands.

    ``occupancy`` has shape ``(n_subjects, n_ligands, n_times)``; ``time`` is in minutes.
    """

    ligands: tuple[str, ...]
    time: np.ndarray
    occupancy: np.ndarray
    basis: list[str]

    def of(self, ligand: str) -> np.ndarray:
        """``(n_subjects, n_times)`` occupancy of one ligand."""
        if ligand not in self.ligands:
            raise UnknownDrugError(f"ligand: {ligand!r} not simulated; have {list(self.ligands)}")
        return np.asarray(self.occupancy[:, self.ligands.index(ligand), :])

    def to_dataframe(self) -> pd.DataFrame:
        """Tidy table: subject_id, time (min), ligand, occupancy (fraction of sites)."""
        n_s, n_l, n_t = self.occupancy.shape
        df = pd.DataFrame(
            {
                "subject_id": np.repeat(np.arange(1, n_s + 1), n_l * n_t),
                "time": np.tile(self.time, n_s * n_l),
                "ligand": np.tile(np.repeat(np.array(self.ligands, dtype=object), n_t), n_s),
                "occupancy": self.occupancy.reshape(-1),
            }
        )
        df.attrs["units"] = {"time": "min", "occupancy": "fraction"}
        return df

    def __repr__(self) -> str:
        return (
            f"<CompetitionResult: {self.occupancy.shape[0]} subject(s), ligands "
            f"{list(self.ligands)}, {self.time.size} time(s) {self.time[0]:g}-{self.time[-1]:g} min>"
        )


def simulate_competition(
    ligands: Sequence[BindingLigand],
    time: Any,
    concentrations: Sequence[Any],
    *,
    initial: Literal["equilibrium", "empty"] | np.ndarray = "equilibrium",
    rtol: float = 1e-8,
    atol: float = 1e-11,
) -> CompetitionResult:
    """Simulate competition of ligands for one site with time-varying concentrations.

    .. math::

        \\frac{d\\theta_j}{dt} = k_{on,j}\\, C_j(t)^{n_j} \\Big(1 - \\sum_k \\theta_k\\Big)
            - k_{off,j}\\, \\theta_j

    Concentrations are linearly interpolated between the given times. The stiff system is
    integrated with the implicit Radau method (analytic, block-diagonal sparse Jacobian), all
    subjects at once, with tolerances ``rtol``/``atol`` and a step no longer than the grid spacing,
    so no concentration change is stepped over.

    Parameters
    ----------
    ligands : sequence of BindingLigand
        One to several ligands sharing the site.
    time : str or pint.Quantity
        Strictly increasing time grid, shape ``(n_times,)``, e.g. ``Q_(np.arange(0, 121), "min")``.
    concentrations : sequence of pint.Quantity
        Unbound molar concentration of each ligand at the receptor, shape ``(n_times,)`` or
        ``(n_subjects, n_times)``, >= 0 (see :func:`unbound_molar_concentration`).
    initial : {"equilibrium", "empty"} or array, default "equilibrium"
        Occupancy at the first time: at equilibrium with the first concentrations, all sites
        free, or an array ``(n_ligands,)`` or ``(n_subjects, n_ligands)`` with row sums <= 1.
    rtol, atol : float
        Solver tolerances.

    Returns
    -------
    CompetitionResult
        ``occupancy`` of shape ``(n_subjects, n_ligands, n_times)``.

    Raises
    ------
    InvalidValueError
        Non-increasing time, negative or mis-shaped concentrations, bad ``initial``, or solver
        failure.

    Notes
    -----
    Free-ligand approximation (no depletion); concentrations are the unbound concentrations at
    the receptor (for the brain, effect-site or unbound plasma concentrations are modelling
    assumptions the caller makes).

    References
    ----------
    1. Mann J et al. (2022). Clin Pharmacol Ther 112(5):1020-1032. doi:10.1002/cpt.2696
    2. Hairer E, Wanner G (1996). Solving Ordinary Differential Equations II, 2nd ed. Springer
       (Radau IIA).

    Examples
    --------
    >>> fen = ligand_from_knowledge_base("fentanyl", "MOR")
    >>> nal = ligand_from_knowledge_base("naloxone", "MOR")
    >>> t = Q_(np.linspace(0, 60, 61), "min")
    >>> c_fen = Q_(np.full(61, 1.0), "nM")
    >>> c_nal = Q_(np.where(t.magnitude >= 10, 20 * np.exp(-np.log(2) / 64 * (t.magnitude - 10)), 0), "nM")
    >>> res = simulate_competition([fen, nal], t, [c_fen, c_nal])
    >>> res.of("fentanyl")[0, [0, 10, 20, 60]].round(3).tolist()
    [0.74, 0.604, 0.112, 0.115]
    >>> simulate_competition([fen], t, ["-1 nM"])
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: concentration of fentanyl: must be >= 0 nM; got -1 nM
    """
    t_q = as_quantity(time, field="time", unit="min")
    t = np.atleast_1d(np.asarray(t_q.to("min").magnitude, dtype=float))
    if t.ndim != 1 or t.size < 2 or np.any(np.diff(t) <= 0):
        raise InvalidValueError(
            f"time: must be a strictly increasing 1-D grid of at least 2 times; got shape {t.shape}"
        )
    conc = _molar_list(ligands, concentrations)
    n_l, n_t = len(ligands), t.size
    n_s = max((c.shape[0] if c.ndim == 2 else 1) for c in conc)
    c_arr = np.empty((n_s, n_l, n_t))
    for j, (lig, c) in enumerate(zip(ligands, conc, strict=True)):
        if c.ndim == 0:
            c = np.full(n_t, float(c))
        if c.shape[-1] != n_t or c.ndim > 2 or (c.ndim == 2 and c.shape[0] not in (1, n_s)):
            raise InvalidValueError(
                f"concentration of {lig.name}: expected shape ({n_t},) or (n_subjects, {n_t}); "
                f"got {c.shape}"
            )
        c_arr[:, j, :] = np.broadcast_to(c, (n_s, n_t))
    kon = np.array([lig.kon for lig in ligands])
    koff = np.array([lig.koff for lig in ligands])
    slope = np.array([lig.slope for lig in ligands])
    drive = kon[None, :, None] * c_arr ** slope[None, :, None]  # (n_s, n_l, n_t), 1/min

    if isinstance(initial, str):
        if initial == "equilibrium":
            q = drive[:, :, 0] / koff[None, :]
            y0 = q / (1.0 + q.sum(axis=1, keepdims=True))
        elif initial == "empty":
            y0 = np.zeros((n_s, n_l))
        else:
            raise InvalidValueError(
                f"initial: must be 'equilibrium', 'empty' or an array; got {initial!r}"
            )
    else:
        y0 = np.broadcast_to(np.asarray(initial, dtype=float), (n_s, n_l)).copy()
        if np.any(y0 < 0) or np.any(y0.sum(axis=1) > 1 + 1e-12):
            raise InvalidValueError(
                "initial: occupancies must be >= 0 with a sum <= 1 per subject; got "
                f"{np.asarray(initial).tolist()}"
            )

    def drive_at(tt: float) -> np.ndarray:
        i = int(np.clip(np.searchsorted(t, tt, side="right") - 1, 0, n_t - 2))
        w = (tt - t[i]) / (t[i + 1] - t[i])
        return np.asarray((1 - w) * drive[:, :, i] + w * drive[:, :, i + 1])

    def rhs(tt: float, y: np.ndarray) -> np.ndarray:
        th = y.reshape(n_s, n_l)
        free = 1.0 - th.sum(axis=1, keepdims=True)
        return np.asarray((drive_at(tt) * free - koff[None, :] * th).reshape(-1))

    def jac(tt: float, y: np.ndarray) -> sp.csr_matrix:
        d = drive_at(tt)  # d f_j / d theta_k = -d_j - delta_jk koff_j
        blocks = -d[:, :, None] * np.ones((1, 1, n_l)) - np.diag(koff)[None, :, :]
        return sp.block_diag(list(blocks), format="csr")

    sol = solve_ivp(
        rhs,
        (t[0], t[-1]),
        y0.reshape(-1),
        method="Radau",
        t_eval=t,
        jac=jac,
        rtol=rtol,
        atol=atol,
        max_step=float(np.min(np.diff(t))),
    )
    if not sol.success:
        raise InvalidValueError(f"simulate_competition: the solver failed ({sol.message})")
    occ = np.clip(sol.y.reshape(n_s, n_l, n_t), 0.0, 1.0)
    basis = [
        "d theta_j/dt = kon_j C_j(t)^n_j (1 - sum_k theta_k) - koff_j theta_j "
        "(competitive binding at one site; Mann 2022 Clin Pharmacol Ther, doi:10.1002/cpt.2696)",
        f"solver: scipy Radau, rtol={rtol:g}, atol={atol:g}, concentrations linearly interpolated",
        f"initial occupancy: {initial if isinstance(initial, str) else 'given'}",
    ]
    for lig in ligands:
        basis.extend(lig.basis)
    return CompetitionResult(
        ligands=tuple(lig.name for lig in ligands), time=t, occupancy=occ, basis=basis
    )
