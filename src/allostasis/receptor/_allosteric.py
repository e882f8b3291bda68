"""Operational model of allosterism: an orthosteric agonist A and an allosteric modulator B.

The allosteric ternary complex model with an operational transducer (Leach, Sexton & Christopoulos
2007, Trends Pharmacol Sci 28:382; the Black & Leff 1983 operational model with cooperativity
factors): :math:`\\alpha` scales the affinity of A when B is bound (and vice versa), :math:`\\beta`
scales the efficacy of A when B is bound, :math:`\\tau_B` is B's own agonism:

.. math::

    E = \\frac{E_m\\, T^n}{D^n + T^n}, \\quad
    T = \\tau_A [A](K_B + \\alpha\\beta [B]) + \\tau_B [B] K_A, \\quad
    D = K_A K_B + K_B [A] + K_A [B] + \\alpha [A][B]

A benzodiazepine is a modulator without agonism (:math:`\\tau_B = 0`): with no GABA there is no
response. With :math:`\\beta = 1` it shifts GABA's curve in parallel; the EC50 falls by the factor

.. math::

    \\text{shift} = \\frac{1 + \\alpha [B]/K_B}{1 + [B]/K_B} \\;\\to\\; \\alpha \\quad ([B] \\to \\infty)

so a positive modulator (:math:`\\alpha > 1`) shifts left by at most :math:`\\alpha`, a negative one
(:math:`\\alpha < 1`) shifts right. GABA-A parameters (GABA EC50 and Hill slope, diazepam's KB and
alpha) come from ``knowledge/data/studies/gabaa_subunits.toml`` with their sources.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from allostasis.errors import InvalidValueError
from allostasis.knowledge import load_knowledge_base
from allostasis.receptor._gabaa_subunits import load_gabaa_subunit_data
from allostasis.units import Q_, as_quantity

__all__ = [
    "ModulatedCurve",
    "allosteric_response",
    "allosteric_shift",
    "cooperativity_from_potentiation",
    "gaba_concentration_response",
    "gaba_operational_parameters",
]

FloatArray = np.ndarray


def _conc(value: Any, field_name: str, unit: str = "nM") -> FloatArray:
    q = as_quantity(value, field=field_name, unit=unit)
    out = np.asarray(q.to(unit).magnitude, dtype=float)
    if np.any(out < 0):
        raise InvalidValueError(
            f"{field_name}: concentrations must be >= 0 {unit}; got {np.min(out):g} {unit}"
        )
    return out


def _positive_conc(value: Any, field_name: str, unit: str = "nM") -> FloatArray:
    out = _conc(value, field_name, unit)
    if np.any(out <= 0):
        raise InvalidValueError(f"{field_name}: must be > 0 {unit}; got {np.min(out):g} {unit}")
    return out


def _nonneg(value: Any, field_name: str, *, strictly: bool = False) -> FloatArray:
    try:
        out = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InvalidValueError(f"{field_name}: must be a number; got {value!r}") from None
    bad = ~np.isfinite(out) | ((out <= 0) if strictly else (out < 0))
    if np.any(bad):
        rel = "> 0" if strictly else ">= 0"
        raise InvalidValueError(f"{field_name}: must be a finite number {rel}; got {value!r}")
    return out


def allosteric_response(
    agonist_conc: Any,
    modulator_conc: Any,
    *,
    agonist_ka: Any,
    agonist_tau: float,
    modulator_kb: Any,
    alpha: float,
    beta: float = 1.0,
    modulator_tau: float = 0.0,
    emax: float = 1.0,
    hill: float = 1.0,
) -> FloatArray:
    """Response to an orthosteric agonist in the presence of an allosteric modulator.

    .. math::

        E = \\frac{E_m\\, T^n}{D^n + T^n}, \\quad
        T = \\tau_A [A](K_B + \\alpha\\beta [B]) + \\tau_B [B] K_A, \\quad
        D = K_A K_B + K_B [A] + K_A [B] + \\alpha [A][B]

    Parameters
    ----------
    agonist_conc, modulator_conc : str or pint.Quantity
        Molar concentrations (scalars or arrays that broadcast), >= 0.
    agonist_ka, modulator_kb : str or pint.Quantity
        Equilibrium dissociation constants of A and B from the free receptor, > 0.
    agonist_tau : float
        Operational efficacy of A, >= 0.
    alpha : float
        Affinity cooperativity, > 0 (> 1 positive, < 1 negative, 1 neutral).
    beta : float
        Efficacy cooperativity, >= 0 (default 1: none).
    modulator_tau : float
        Intrinsic agonism of B, >= 0 (default 0: a pure modulator).
    emax : float
        System maximum, > 0 (default 1: response as a fraction of the system maximum).
    hill : float
        Transducer slope n, > 0.

    Returns
    -------
    numpy.ndarray
        Response, broadcast shape of the two concentrations, in [0, emax).

    Raises
    ------
    UnitError
        If a concentration is a bare number or not molar.
    InvalidValueError
        If a concentration is negative or a parameter is outside its range.

    References
    ----------
    1. Leach K, Sexton PM, Christopoulos A (2007). Trends Pharmacol Sci 28:382-389.
       doi:10.1016/j.tips.2007.06.004
    2. Black JW, Leff P (1983). Proc R Soc Lond B 220:141-162. doi:10.1098/rspb.1983.0093

    Examples
    --------
    >>> kw = dict(agonist_ka="10 uM", agonist_tau=9.0, modulator_kb="30 nM", alpha=2.5)
    >>> float(allosteric_response("0 uM", "1 uM", **kw))
    0.0
    >>> float(allosteric_response("1 uM", "0 nM", **kw)) < float(allosteric_response("1 uM", "1 uM", **kw))
    True
    >>> allosteric_response(1.0, "1 uM", **kw)
    Traceback (most recent call last):
    ...
    allostasis.errors.UnitError: agonist_conc: a bare number (1.0) has no unit; give a quantity such as '1.0 nM'
    """
    a = _conc(agonist_conc, "agonist_conc")
    b = _conc(modulator_conc, "modulator_conc")
    ka = _positive_conc(agonist_ka, "agonist_ka")
    kb = _positive_conc(modulator_kb, "modulator_kb")
    tau_a = _nonneg(agonist_tau, "agonist_tau")
    tau_b = _nonneg(modulator_tau, "modulator_tau")
    al = _nonneg(alpha, "alpha", strictly=True)
    be = _nonneg(beta, "beta")
    em = _nonneg(emax, "emax", strictly=True)
    n = _nonneg(hill, "hill", strictly=True)
    # work in units of the dissociation constants to keep the numbers O(1)
    x, y = a / ka, b / kb
    t = tau_a * x * (1.0 + al * be * y) + tau_b * y
    d = 1.0 + x + y + al * x * y
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.where(t > 0, 1.0 / (1.0 + (d / np.where(t > 0, t, 1.0)) ** n), 0.0)
    return np.asarray(em * r, dtype=float)


def allosteric_shift(
    modulator_conc: Any,
    *,
    modulator_kb: Any,
    alpha: float,
    beta: float = 1.0,
    agonist_tau: float = 1.0,
    hill: float = 1.0,
) -> FloatArray:
    """Fold decrease of the agonist's EC50 caused by a modulator without agonism (:math:`\\tau_B = 0`).

    .. math::

        \\text{shift} = \\frac{EC_{50}(0)}{EC_{50}([B])}
        = \\frac{1 + \\alpha y}{1 + y}\\cdot
          \\frac{(2 + \\tau'^n)^{1/n} - 1}{(2 + \\tau_A^n)^{1/n} - 1},
        \\quad y = [B]/K_B, \\quad \\tau' = \\tau_A \\frac{1 + \\alpha\\beta y}{1 + \\alpha y}

    With :math:`\\beta = 1` this is :math:`(1 + \\alpha y)/(1 + y)`, which rises (or falls) to
    :math:`\\alpha` as :math:`[B] \\to \\infty`; > 1 is a leftward shift.

    Parameters
    ----------
    modulator_conc : str or pint.Quantity
        Modulator concentration(s), >= 0.
    modulator_kb : str or pint.Quantity
        Modulator KB, > 0.
    alpha : float
        Affinity cooperativity, > 0.
    beta : float
        Efficacy cooperativity, >= 0 (default 1).
    agonist_tau : float
        Agonist operational efficacy, > 0; matters only when ``beta != 1``.
    hill : float
        Transducer slope, > 0; matters only when ``beta != 1``.

    Returns
    -------
    numpy.ndarray
        Shift factor, shape of ``modulator_conc``.

    Raises
    ------
    UnitError, InvalidValueError
        On a bare number, a negative concentration or a parameter out of range.

    References
    ----------
    1. Leach K, Sexton PM, Christopoulos A (2007). Trends Pharmacol Sci 28:382-389.
       doi:10.1016/j.tips.2007.06.004

    Examples
    --------
    >>> from allostasis.units import Q_
    >>> allosteric_shift(Q_([30.0, 1000.0, 1e6], "nM"), modulator_kb="30 nM", alpha=2.5).round(3)
    array([1.75 , 2.456, 2.5  ])
    >>> allosteric_shift("-1 nM", modulator_kb="30 nM", alpha=2.5)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: modulator_conc: concentrations must be >= 0 nM; got -1 nM
    """
    y = _conc(modulator_conc, "modulator_conc") / _positive_conc(modulator_kb, "modulator_kb")
    al = _nonneg(alpha, "alpha", strictly=True)
    be = _nonneg(beta, "beta")
    tau = _nonneg(agonist_tau, "agonist_tau", strictly=True)
    n = _nonneg(hill, "hill", strictly=True)
    base = (1.0 + al * y) / (1.0 + y)
    tau_prime = tau * (1.0 + al * be * y) / (1.0 + al * y)
    with np.errstate(divide="ignore"):
        factor = ((2.0 + tau_prime**n) ** (1.0 / n) - 1.0) / ((2.0 + tau**n) ** (1.0 / n) - 1.0)
    return np.asarray(base * factor, dtype=float)


def cooperativity_from_potentiation(
    potentiation: float, *, baseline_fraction: float = 0.2, hill: float = 1.0
) -> float:
    """Affinity cooperativity implied by a saturating modulator's potentiation of a low GABA response.

    For a Hill-type agonist curve whose EC50 falls by :math:`\\alpha` at saturating modulator
    (:math:`\\beta = 1`), a response at fraction :math:`f_0` of maximum rises to
    :math:`f_1 = f_0 (1 + P)` where

    .. math::

        \\alpha = \\left(\\frac{f_1 / (1 - f_1)}{f_0 / (1 - f_0)}\\right)^{1/n}

    Parameters
    ----------
    potentiation : float
        Fractional increase P of the response (1.03 = +103%), > 0, with :math:`f_0 (1 + P) < 1`.
    baseline_fraction : float
        :math:`f_0`, the response without modulator as a fraction of maximum, in (0, 1); 0.2 for an
        EC20 test concentration (default).
    hill : float
        Hill slope n of the agonist curve, > 0.

    Returns
    -------
    float
        The implied :math:`\\alpha` (> 1).

    Raises
    ------
    InvalidValueError
        If an argument is out of range.

    References
    ----------
    1. Leach K, Sexton PM, Christopoulos A (2007). Trends Pharmacol Sci 28:382-389.
       doi:10.1016/j.tips.2007.06.004

    Examples
    --------
    >>> round(cooperativity_from_potentiation(1.03), 2)
    2.73
    >>> cooperativity_from_potentiation(5.0)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: potentiation: 5 of an EC20 response would exceed the maximum (0.2 x (1 + 5) = 1.2 >= 1); give a potentiation below 4
    """
    f0 = float(baseline_fraction)
    if not 0 < f0 < 1:
        raise InvalidValueError(f"baseline_fraction: must be in (0, 1); got {baseline_fraction!r}")
    p = float(potentiation)
    if not np.isfinite(p) or not p > 0:
        raise InvalidValueError(f"potentiation: must be a finite number > 0; got {potentiation!r}")
    n = float(_nonneg(hill, "hill", strictly=True))
    f1 = f0 * (1.0 + p)
    if not f1 < 1:
        raise InvalidValueError(
            f"potentiation: {p:g} of an EC{f0 * 100:g} response would exceed the maximum "
            f"({f0:g} x (1 + {p:g}) = {f1:g} >= 1); give a potentiation below {1 / f0 - 1:g}"
        )
    return float(((f1 / (1 - f1)) / (f0 / (1 - f0))) ** (1.0 / n))


def gaba_operational_parameters() -> dict[str, float]:
    """GABA's operational parameters at alpha1beta2gamma2, derived from EC50, Hill and max open fraction.

    .. math::

        \\tau = \\left(\\frac{f_{max}}{1 - f_{max}}\\right)^{1/n}, \\qquad
        K_A = EC_{50}\\left[(2 + \\tau^n)^{1/n} - 1\\right]

    Returns
    -------
    dict
        ``ec50_uM``, ``hill``, ``max_open_fraction``, ``tau``, ``ka_uM``.

    References
    ----------
    1. Black JW, Leff P (1983). Proc R Soc Lond B 220:141-162. doi:10.1098/rspb.1983.0093

    Examples
    --------
    >>> p = gaba_operational_parameters()
    >>> round(p["tau"], 3), round(p["ka_uM"], 1)
    (4.327, 78.9)
    """
    g = load_gabaa_subunit_data().gaba
    ec50 = g.ec50.to("uM")
    n = g.hill.to("dimensionless")
    fmax = g.max_open_fraction.to("dimensionless")
    tau = (fmax / (1 - fmax)) ** (1 / n)
    ka = ec50 * ((2 + tau**n) ** (1 / n) - 1)
    return {"ec50_uM": ec50, "hill": n, "max_open_fraction": fmax, "tau": tau, "ka_uM": ka}


@dataclass(frozen=True)
class ModulatedCurve:
    """GABA concentration-response with and without a modulator.

    Attributes
    ----------
    modulator : str
    curve : pandas.DataFrame
        Long format: ``gaba_conc`` (uM), ``modulator_conc`` (nM), ``response`` (fraction of
        receptors open); rows for modulator 0 and for the asked concentration.
    ec50_without_um, ec50_with_um : float
    shift : float
        EC50 without / EC50 with (> 1 leftward, < 1 rightward).
    max_shift : float
        The shift at saturating modulator (alpha when beta = 1).
    basis : list of str
    """

    modulator: str
    modulator_conc_nm: float
    curve: pd.DataFrame
    ec50_without_um: float
    ec50_with_um: float
    shift: float
    max_shift: float
    basis: list[str] = field(default_factory=list)


def gaba_concentration_response(
    modulator: str = "diazepam",
    modulator_conc: Any = "1 uM",
    *,
    gaba_conc: Any = None,
    alpha: float | None = None,
    modulator_kb: Any = None,
    beta: float | None = None,
) -> ModulatedCurve:
    """GABA concentration-response at alpha1beta2gamma2 with and without an allosteric modulator.

    .. math::

        E = \\frac{T^n}{D^n + T^n}, \\quad T = \\tau_A [A](K_B + \\alpha\\beta[B]), \\quad
        D = K_A K_B + K_B [A] + K_A [B] + \\alpha [A][B]

    GABA's :math:`K_A, \\tau_A, n` come from :func:`gaba_operational_parameters`; the modulator's
    :math:`K_B, \\alpha, \\beta` from the data file unless given (give all three for a modulator that
    is not in the file, e.g. a hypothetical negative modulator with ``alpha < 1``).

    Parameters
    ----------
    modulator : str
        A modulator in ``studies/gabaa_subunits.toml`` (``"diazepam"``) or a label for one whose
        parameters are given.
    modulator_conc : str or pint.Quantity
        Free modulator concentration, >= 0 (default ``"1 uM"``).
    gaba_conc : str or pint.Quantity, optional
        GABA concentrations; default 61 log-spaced points from 0.01 uM to 10 mM.
    alpha, modulator_kb, beta : optional
        Override the data-file values (alpha > 0, KB > 0 molar, beta >= 0).

    Returns
    -------
    ModulatedCurve
        Labelled curve, EC50s, shift and its saturating limit, and the basis.

    Raises
    ------
    UnknownDrugError
        If the modulator is not in the file and its parameters are not all given.
    UnitError, InvalidValueError
        On bad concentrations or parameters.

    References
    ----------
    1. Leach K, Sexton PM, Christopoulos A (2007). Trends Pharmacol Sci 28:382-389.
       doi:10.1016/j.tips.2007.06.004
    2. Ghansah E, Weiss DS (1999). Neuroreport 10:817-821. doi:10.1097/00001756-199903170-00028

    Examples
    --------
    >>> r = gaba_concentration_response("diazepam", "1 uM")
    >>> round(r.ec50_without_um, 1), round(r.ec50_with_um, 2), round(r.shift, 2)
    (20.0, 8.13, 2.46)
    >>> sorted(r.curve.columns)
    ['gaba_conc', 'modulator_conc', 'response']
    >>> nam = gaba_concentration_response("NAM", "1 uM", alpha=0.4, modulator_kb="10 nM", beta=1.0)
    >>> nam.shift < 1
    True
    """
    data = load_gabaa_subunit_data()
    kb_src = load_knowledge_base()
    given = [v is not None for v in (alpha, modulator_kb, beta)]
    if all(given):
        kb_nM = float(_positive_conc(modulator_kb, "modulator_kb"))
        al, be = float(_nonneg(alpha, "alpha", strictly=True)), float(_nonneg(beta, "beta"))
        param_basis = [
            f"{modulator}: KB = {kb_nM:g} nM, alpha = {al:g}, beta = {be:g} (user-given)"
        ]
    else:
        m = data.modulator_named(modulator)
        kb_nM = float(_positive_conc(modulator_kb, "modulator_kb")) if given[1] else m.kb.to("nM")
        al = float(_nonneg(alpha, "alpha", strictly=True)) if given[0] else m.alpha.typical
        be = float(_nonneg(beta, "beta")) if given[2] else m.beta.typical
        param_basis = [
            f"{m.name}: KB = {kb_nM:g} nM ({kb_src.source(m.kb.source).citation()})",
            f"{m.name}: alpha = {al:g} ({kb_src.source(m.alpha.source).citation()})",
            f"{m.name}: beta = {be:g} ({m.beta.note})",
        ]
    b_nM = float(_conc(modulator_conc, "modulator_conc"))
    if gaba_conc is None:
        a_uM = np.logspace(-2, 4, 61)
    else:
        a_uM = np.atleast_1d(_conc(gaba_conc, "gaba_conc", unit="uM")).ravel()
    p = gaba_operational_parameters()
    kw = dict(
        agonist_ka=Q_(p["ka_uM"], "uM"),
        agonist_tau=p["tau"],
        modulator_kb=Q_(kb_nM, "nM"),
        alpha=al,
        beta=be,
        hill=p["hill"],
    )
    frames = []
    for conc in (0.0, b_nM):
        resp = allosteric_response(Q_(a_uM, "uM"), Q_(conc, "nM"), **kw)  # type: ignore[arg-type]
        frames.append(pd.DataFrame({"gaba_conc": a_uM, "modulator_conc": conc, "response": resp}))
    curve = pd.concat(frames, ignore_index=True)
    curve.attrs["units"] = {"gaba_conc": "uM", "modulator_conc": "nM", "response": "fraction open"}
    shift = float(
        allosteric_shift(
            Q_(b_nM, "nM"),
            modulator_kb=Q_(kb_nM, "nM"),
            alpha=al,
            beta=be,
            agonist_tau=p["tau"],
            hill=p["hill"],
        )
    )
    max_shift = float(
        allosteric_shift(
            Q_(1e12 * kb_nM, "nM"),
            modulator_kb=Q_(kb_nM, "nM"),
            alpha=al,
            beta=be,
            agonist_tau=p["tau"],
            hill=p["hill"],
        )
    )
    g = data.gaba
    basis = [
        "operational allosteric model (Leach, Sexton & Christopoulos 2007) with tau_B = 0",
        f"GABA: EC50 = {p['ec50_uM']:g} uM, Hill = {p['hill']:g}, max open fraction = "
        f"{p['max_open_fraction']:g} -> tau = {p['tau']:.4g}, KA = {p['ka_uM']:.4g} uM "
        f"({g.ec50.note})",
        *param_basis,
        f"EC50 shift at {b_nM:g} nM = {shift:.4g}; saturating limit = {max_shift:.4g}",
    ]
    return ModulatedCurve(
        modulator=modulator,
        modulator_conc_nm=b_nM,
        curve=curve,
        ec50_without_um=p["ec50_uM"],
        ec50_with_um=p["ec50_uM"] / shift,
        shift=shift,
        max_shift=max_shift,
        basis=basis,
    )
