"""Operational model of agonism (Black & Leff 1983), with constitutive activity and two ligands.

Black & Leff (1983, Proc R Soc Lond B 220:141) describe a response by the agonist's dissociation
constant :math:`K_A`, its transducer ratio (efficacy in the system) :math:`\\tau`, the system
maximum :math:`E_m` and a slope :math:`n`:

.. math::

    E = \\frac{E_m \\tau^n [A]^n}{([A] + K_A)^n + \\tau^n [A]^n}

Large :math:`\\tau` gives a full agonist, small :math:`\\tau` a partial agonist, :math:`\\tau = 0` a
neutral antagonist. Inverse agonism needs constitutive activity: following Slack & Hall (2012, Br J
Pharmacol 166:1774), unoccupied receptors also produce stimulus, with transducer ratio
:math:`\\tau_0`. For ligands :math:`i` competing for one orthosteric site, with
:math:`x_i = [L_i]/K_i`, the stimulus (in units of the transducer constant) is the
occupancy-weighted mean

.. math::

    s = \\frac{\\tau_0 + \\sum_i \\tau_i x_i}{1 + \\sum_i x_i}, \\qquad
    E = E_m \\frac{s^n}{1 + s^n}

which is Black & Leff's model when :math:`\\tau_0 = 0`. A ligand with :math:`\\tau_i < \\tau_0`
lowers basal activation (inverse agonist); one with :math:`\\tau_i = \\tau_0` is a neutral
antagonist.

**The seed's efficacy scale.** The seed text rates intrinsic efficacy :math:`\\varepsilon` relative
to the endogenous full agonist (1 full, 0.4 buspirone, 0 antagonist, < 0 inverse). Here
:math:`\\varepsilon` is defined as the drug's response at full occupancy above basal, relative to
the endogenous agonist's:

.. math::

    \\varepsilon = \\frac{E_{max}(\\tau) - E_0}{E_{max}(\\tau_{ref}) - E_0}, \\quad
    E_{max}(\\tau) = E_m \\frac{\\tau^n}{1 + \\tau^n}, \\quad E_0 = E_{max}(\\tau_0)

so :math:`\\tau` follows from :math:`\\varepsilon` and the endogenous agonist's :math:`\\tau_{ref}`
(:func:`tau_from_efficacy`). With :math:`n = 1` and :math:`\\tau_0 = 0` a partial agonist raises net
activation exactly when the endogenous agonist alone activates less than :math:`\\varepsilon` of its
own maximum, i.e. below the tone :math:`[A]^* = EC_{50}\\,\\varepsilon/(1 - \\varepsilon)` — for
buspirone (:math:`\\varepsilon = 0.4`) two thirds of serotonin's EC50 — and lowers it above.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from allostasis.errors import InvalidValueError, UnknownDrugError
from allostasis.knowledge import KnowledgeBase, load_knowledge_base
from allostasis.units import Q_, as_quantity

__all__ = [
    "SEROTONIN_5HT1A_KA_NM",
    "SEROTONIN_5HT1A_TAU",
    "PartialAgonism",
    "competitive_operational_response",
    "efficacy_from_tau",
    "operational_response",
    "partial_agonism_by_tone",
    "partial_agonist_crossover",
    "tau_from_efficacy",
]

FloatArray = np.ndarray

#: Serotonin's dissociation constant at the 5-HT1A autoreceptor, nM. Modelling assumption (5-HT
#: binds 5-HT1A with low-nanomolar affinity); the crossover expressed in units of serotonin's
#: EC50 does not depend on it.
SEROTONIN_5HT1A_KA_NM = 10.0
#: Serotonin's operational efficacy (tau) at the 5-HT1A autoreceptor. Modelling assumption; the
#: crossover in units of serotonin's EC50 does not depend on it when n = 1.
SEROTONIN_5HT1A_TAU = 3.0


def _conc(value: Any, field_name: str) -> FloatArray:
    q = as_quantity(value, field=field_name, unit="nM")
    out = np.asarray(q.to("nM").magnitude, dtype=float)
    if np.any(out < 0):
        raise InvalidValueError(
            f"{field_name}: concentrations must be >= 0 nM; got {np.min(out):g} nM"
        )
    return out


def _positive_conc(value: Any, field_name: str) -> FloatArray:
    out = _conc(value, field_name)
    if np.any(out <= 0):
        raise InvalidValueError(f"{field_name}: must be > 0 nM; got {np.min(out):g} nM")
    return out


def _number(value: Any, field_name: str, *, low: float = 0.0, strictly: bool = False) -> FloatArray:
    try:
        out = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InvalidValueError(f"{field_name}: must be a number; got {value!r}") from None
    bad = ~np.isfinite(out) | ((out <= low) if strictly else (out < low))
    if np.any(bad):
        rel = ">" if strictly else ">="
        raise InvalidValueError(
            f"{field_name}: must be a finite number {rel} {low:g}; got {value!r}"
        )
    return out


def _transduce(stimulus: FloatArray, emax: FloatArray, n: FloatArray) -> FloatArray:
    s = np.asarray(stimulus, dtype=float)
    with np.errstate(divide="ignore", over="ignore"):
        r = np.where(s > 0, 1.0 / (1.0 + np.where(s > 0, s, 1.0) ** (-n)), 0.0)
    return np.asarray(emax * r, dtype=float)


def operational_response(
    conc: Any,
    *,
    ka: Any,
    tau: float,
    emax: float = 1.0,
    hill: float = 1.0,
    tau_basal: float = 0.0,
) -> FloatArray:
    """Operational-model response to one ligand (Black & Leff 1983; constitutive activity optional).

    .. math::

        E = E_m \\frac{s^n}{1 + s^n}, \\quad s = \\frac{\\tau_0 K_A + \\tau [A]}{K_A + [A]}

    With :math:`\\tau_0 = 0` this is :math:`E_m \\tau^n [A]^n / (([A]+K_A)^n + \\tau^n [A]^n)`.

    Parameters
    ----------
    conc : str or pint.Quantity
        Ligand concentration(s), molar, >= 0 (scalar or array; e.g. ``"10 nM"``).
    ka : str or pint.Quantity
        Dissociation constant :math:`K_A`, molar, > 0.
    tau : float or array
        Operational efficacy, >= 0 (0: neutral antagonist when ``tau_basal`` = 0).
    emax : float
        System maximum :math:`E_m`, > 0 (default 1).
    hill : float
        Transducer slope :math:`n`, > 0 (default 1).
    tau_basal : float
        Transducer ratio of the unoccupied receptor :math:`\\tau_0` (constitutive activity), >= 0.

    Returns
    -------
    numpy.ndarray
        Response, broadcast shape of ``conc`` and ``tau``, in [0, emax).

    Raises
    ------
    UnitError
        If ``conc`` or ``ka`` is a bare number or not molar.
    InvalidValueError
        If a concentration is negative or a parameter is out of range.

    References
    ----------
    1. Black JW, Leff P (1983). Operational models of pharmacological agonism. Proc R Soc Lond B
       220:141-162. doi:10.1098/rspb.1983.0093
    2. Slack RJ, Hall DA (2012). Br J Pharmacol 166:1774-1792. doi:10.1111/j.1476-5381.2012.01901.x

    Examples
    --------
    >>> float(operational_response("10 nM", ka="10 nM", tau=3.0))
    0.6
    >>> float(operational_response("1 mM", ka="10 nM", tau=0.0, tau_basal=0.5))  # inverse agonist
    0.0
    >>> operational_response(10, ka="10 nM", tau=3.0)
    Traceback (most recent call last):
    ...
    allostasis.errors.UnitError: conc: a bare number (10) has no unit; give a quantity such as '10 nM'
    """
    return competitive_operational_response(
        conc,
        Q_(0.0, "nM"),
        agonist_ka=ka,
        agonist_tau=tau,
        drug_ka=ka,
        drug_tau=0.0,
        emax=emax,
        hill=hill,
        tau_basal=tau_basal,
        _fields=("conc", "ka", "tau"),
    )


def competitive_operational_response(
    agonist_conc: Any,
    drug_conc: Any,
    *,
    agonist_ka: Any,
    agonist_tau: float,
    drug_ka: Any,
    drug_tau: float,
    emax: float = 1.0,
    hill: float = 1.0,
    tau_basal: float = 0.0,
    _fields: tuple[str, str, str] = ("agonist_conc", "agonist_ka", "agonist_tau"),
) -> FloatArray:
    """Combined operational response of an agonist and a drug competing for one orthosteric site.

    .. math::

        s = \\frac{\\tau_0 + \\tau_A x_A + \\tau_B x_B}{1 + x_A + x_B}, \\quad
        x_A = \\frac{[A]}{K_A}, \\; x_B = \\frac{[B]}{K_B}, \\qquad E = E_m \\frac{s^n}{1 + s^n}

    Parameters
    ----------
    agonist_conc, drug_conc : str or pint.Quantity
        Molar concentrations (scalars or arrays that broadcast), >= 0.
    agonist_ka, drug_ka : str or pint.Quantity
        Dissociation constants, molar, > 0.
    agonist_tau, drug_tau : float
        Operational efficacies, >= 0.
    emax, hill, tau_basal : float
        As in :func:`operational_response`.

    Returns
    -------
    numpy.ndarray
        Response, broadcast shape of the inputs.

    Raises
    ------
    UnitError, InvalidValueError
        On a bare number, a negative concentration or a parameter out of range.

    See Also
    --------
    operational_response : one ligand.

    References
    ----------
    1. Black JW, Leff P (1983). Proc R Soc Lond B 220:141-162. doi:10.1098/rspb.1983.0093

    Examples
    --------
    A neutral antagonist at its KB doubles the agonist's EC50 (Gaddum):

    >>> kw = dict(agonist_ka="10 nM", agonist_tau=3.0, drug_ka="5 nM", drug_tau=0.0)
    >>> float(competitive_operational_response("5 nM", "0 nM", **kw)) == float(
    ...     competitive_operational_response("10 nM", "5 nM", **kw))
    True
    """
    f_conc, f_ka, f_tau = _fields
    a = _conc(agonist_conc, f_conc)
    b = _conc(drug_conc, "drug_conc")
    ka = _positive_conc(agonist_ka, f_ka)
    kb = _positive_conc(drug_ka, "drug_ka")
    ta = _number(agonist_tau, f_tau)
    tb = _number(drug_tau, "drug_tau")
    t0 = _number(tau_basal, "tau_basal")
    em = _number(emax, "emax", strictly=True)
    n = _number(hill, "hill", strictly=True)
    xa, xb = a / ka, b / kb
    s = (t0 + ta * xa + tb * xb) / (1.0 + xa + xb)
    return _transduce(s, em, n)


def tau_from_efficacy(
    efficacy: float, *, reference_tau: float, hill: float = 1.0, tau_basal: float = 0.0
) -> FloatArray:
    """Operational tau of a drug from its intrinsic efficacy on the seed's scale (1 full, 0 antagonist).

    .. math::

        f = f_0 + \\varepsilon (f_{ref} - f_0), \\quad f_x = \\frac{\\tau_x^n}{1 + \\tau_x^n}, \\qquad
        \\tau = \\left(\\frac{f}{1 - f}\\right)^{1/n}

    Parameters
    ----------
    efficacy : float or array
        :math:`\\varepsilon`, at most 1; 0 neutral antagonist; negative (inverse agonist) only with
        constitutive activity (``tau_basal`` > 0) and not below :math:`-f_0/(f_{ref} - f_0)`.
    reference_tau : float
        The endogenous full agonist's tau, > ``tau_basal``.
    hill : float
        Transducer slope, > 0.
    tau_basal : float
        Constitutive activity :math:`\\tau_0`, >= 0.

    Returns
    -------
    numpy.ndarray
        tau, shape of ``efficacy``.

    Raises
    ------
    InvalidValueError
        If efficacy > 1, or < 0 without constitutive activity, or below the floor.

    References
    ----------
    1. Black JW, Leff P (1983). Proc R Soc Lond B 220:141-162. doi:10.1098/rspb.1983.0093
    2. Slack RJ, Hall DA (2012). Br J Pharmacol 166:1774-1792. doi:10.1111/j.1476-5381.2012.01901.x

    Examples
    --------
    >>> float(tau_from_efficacy(0.4, reference_tau=3.0)).__round__(4)
    0.4286
    >>> tau_from_efficacy(-0.5, reference_tau=3.0)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: efficacy: -0.5 is inverse agonism, which needs constitutive activity; give tau_basal > 0
    """
    eps = np.asarray(efficacy, dtype=float)
    if not np.all(np.isfinite(eps)):
        raise InvalidValueError(f"efficacy: must be a finite number <= 1; got {efficacy!r}")
    n = _number(hill, "hill", strictly=True)
    t0 = _number(tau_basal, "tau_basal")
    tref = _number(reference_tau, "reference_tau", strictly=True)
    if np.any(tref <= t0):
        raise InvalidValueError(
            f"reference_tau: the endogenous agonist's tau ({reference_tau!r}) must exceed tau_basal ({tau_basal!r})"
        )
    if np.any(eps > 1):
        raise InvalidValueError(
            f"efficacy: must be <= 1 (1 = the endogenous full agonist); got {efficacy!r}"
        )
    if np.any(eps < 0) and np.all(t0 == 0):
        raise InvalidValueError(
            f"efficacy: {efficacy!r} is inverse agonism, which needs constitutive activity; give tau_basal > 0"
        )
    f0 = t0**n / (1 + t0**n)
    fref = tref**n / (1 + tref**n)
    floor = -f0 / (fref - f0)
    if np.any(eps < floor):
        raise InvalidValueError(
            f"efficacy: {efficacy!r} would push activation below zero; the floor with tau_basal = "
            f"{tau_basal!r} is {float(np.min(floor)):.4g}"
        )
    f = f0 + eps * (fref - f0)
    return np.asarray((f / (1 - f)) ** (1 / n), dtype=float)


def efficacy_from_tau(
    tau: float, *, reference_tau: float, hill: float = 1.0, tau_basal: float = 0.0
) -> FloatArray:
    """Intrinsic efficacy on the seed's scale from an operational tau (inverse of :func:`tau_from_efficacy`).

    .. math::

        \\varepsilon = \\frac{f(\\tau) - f(\\tau_0)}{f(\\tau_{ref}) - f(\\tau_0)}, \\quad
        f(x) = \\frac{x^n}{1 + x^n}

    Parameters
    ----------
    tau : float or array
        Drug tau, >= 0.
    reference_tau, hill, tau_basal : float
        As in :func:`tau_from_efficacy`.

    Returns
    -------
    numpy.ndarray
        Efficacy, shape of ``tau``.

    Raises
    ------
    InvalidValueError
        If a parameter is out of range.

    References
    ----------
    1. Black JW, Leff P (1983). Proc R Soc Lond B 220:141-162. doi:10.1098/rspb.1983.0093

    Examples
    --------
    >>> float(efficacy_from_tau(3.0, reference_tau=3.0))
    1.0
    >>> float(efficacy_from_tau(-1.0, reference_tau=3.0))
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: tau: must be a finite number >= 0; got -1.0
    """
    t = _number(tau, "tau")
    n = _number(hill, "hill", strictly=True)
    t0 = _number(tau_basal, "tau_basal")
    tref = _number(reference_tau, "reference_tau", strictly=True)
    if np.any(tref <= t0):
        raise InvalidValueError(
            f"reference_tau: the endogenous agonist's tau ({reference_tau!r}) must exceed tau_basal ({tau_basal!r})"
        )

    def f(x: FloatArray) -> FloatArray:
        return np.asarray(x**n / (1 + x**n), dtype=float)

    return np.asarray((f(t) - f(t0)) / (f(tref) - f(t0)), dtype=float)


@dataclass(frozen=True)
class Crossover:
    """Endogenous tone at which a partial agonist switches from raising to lowering activation."""

    tone_nm: float
    tone_over_ec50: float
    activation: float
    basis: list[str] = field(default_factory=list)


def _ec50(ka: float, tau: float, n: float) -> float:
    """EC50 of the Black & Leff model: K_A / ((2 + tau^n)^(1/n) - 1)."""
    return float(ka / ((2 + tau**n) ** (1 / n) - 1))


def partial_agonist_crossover(
    efficacy: float,
    *,
    agonist_ka: Any = f"{SEROTONIN_5HT1A_KA_NM} nM",
    agonist_tau: float = SEROTONIN_5HT1A_TAU,
    hill: float = 1.0,
) -> Crossover:
    """Endogenous agonist tone at which a saturating partial agonist leaves activation unchanged.

    At full occupancy the partial agonist holds activation at its own maximum, so it raises
    activation below the tone where the endogenous agonist alone gives that much and lowers it
    above. Solved with Brent's method; for :math:`n = 1` the closed form is

    .. math::

        [A]^* = K_A \\frac{\\tau_B}{\\tau_A - \\tau_B} = EC_{50,A}\\,\\frac{\\varepsilon}{1 - \\varepsilon}

    Parameters
    ----------
    efficacy : float
        Partial agonist's efficacy on the seed's scale, in (0, 1).
    agonist_ka : str or pint.Quantity
        Endogenous agonist :math:`K_A`, molar, > 0 (default serotonin at 5-HT1A, a modelling
        assumption: :data:`SEROTONIN_5HT1A_KA_NM`).
    agonist_tau : float
        Endogenous agonist tau, > 0 (default :data:`SEROTONIN_5HT1A_TAU`, a modelling assumption).
    hill : float
        Transducer slope, > 0.

    Returns
    -------
    Crossover
        ``tone_nm``, ``tone_over_ec50`` (tone / the agonist's EC50), ``activation`` there, basis.

    Raises
    ------
    InvalidValueError
        If efficacy is not in (0, 1) or a parameter is out of range.

    References
    ----------
    1. Black JW, Leff P (1983). Proc R Soc Lond B 220:141-162. doi:10.1098/rspb.1983.0093

    Examples
    --------
    >>> c = partial_agonist_crossover(0.4)
    >>> round(c.tone_over_ec50, 4), round(c.tone_nm, 4)
    (0.6667, 1.6667)
    >>> partial_agonist_crossover(1.0)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: efficacy: a partial agonist has 0 < efficacy < 1; got 1.0
    """
    eps = float(efficacy)
    if not 0 < eps < 1:
        raise InvalidValueError(
            f"efficacy: a partial agonist has 0 < efficacy < 1; got {efficacy!r}"
        )
    ka = float(_positive_conc(agonist_ka, "agonist_ka"))
    ta = float(_number(agonist_tau, "agonist_tau", strictly=True))
    n = float(_number(hill, "hill", strictly=True))
    tb = float(tau_from_efficacy(eps, reference_tau=ta, hill=n))
    target = tb**n / (1 + tb**n)

    def g(log_x: float) -> float:
        x = 10.0**log_x
        s = ta * x / (1 + x)
        return float(s**n / (1 + s**n) - target)

    x_star = float(10.0 ** brentq(g, -12.0, 12.0, xtol=1e-14))
    ec50 = _ec50(ka, ta, n)
    tone = x_star * ka
    basis = [
        "operational model (Black & Leff 1983), one orthosteric site, two ligands",
        f"endogenous agonist: KA = {ka:g} nM, tau = {ta:g}, n = {n:g}, EC50 = {ec50:.4g} nM",
        f"partial agonist: efficacy {eps:g} -> tau = {tb:.4g}; maximal activation {target:.4g}",
        f"crossover tone = {tone:.4g} nM = {tone / ec50:.4g} x EC50 of the endogenous agonist",
    ]
    return Crossover(tone_nm=tone, tone_over_ec50=tone / ec50, activation=target, basis=basis)


@dataclass(frozen=True)
class PartialAgonism:
    """Net receptor activation with and without a partial agonist across endogenous tone.

    Attributes
    ----------
    drug, target : str
    efficacy : float
    curve : pandas.DataFrame
        ``agonist_conc`` (nM), ``drug_conc`` (nM), ``activation_without_drug``,
        ``activation_with_drug``, ``change`` (with - without), ``effect``
        (``"raises"``/``"lowers"``/``"unchanged"``).
    crossover : Crossover
    basis : list of str
    """

    drug: str
    target: str
    efficacy: float
    curve: pd.DataFrame
    crossover: Crossover
    basis: list[str] = field(default_factory=list)


def partial_agonism_by_tone(
    drug: str = "buspirone",
    *,
    target: str = "5-HT1A",
    drug_conc: Any = "10 nM",
    agonist_conc: Any = None,
    agonist_ka: Any = f"{SEROTONIN_5HT1A_KA_NM} nM",
    agonist_tau: float = SEROTONIN_5HT1A_TAU,
    hill: float = 1.0,
    kb: KnowledgeBase | None = None,
) -> PartialAgonism:
    """How a partial agonist changes net receptor activation at low and high endogenous tone.

    .. math::

        E = \\frac{s^n}{1 + s^n}, \\quad
        s = \\frac{\\tau_A [A]/K_A + \\tau_B [B]/K_B}{1 + [A]/K_A + [B]/K_B}

    with the drug's :math:`K_B` and efficacy from the knowledge base (target entry ``ki`` and
    ``efficacy``), and :math:`\\tau_B` from :func:`tau_from_efficacy`.

    Parameters
    ----------
    drug : str
        A drug in the knowledge base with ``ki`` and ``efficacy`` at ``target`` (default buspirone).
    target : str
        Target name (default ``"5-HT1A"``).
    drug_conc : str or pint.Quantity
        Free drug concentration at the receptor, molar, >= 0.
    agonist_conc : str or pint.Quantity, optional
        Endogenous agonist tones; default 41 log-spaced points 0.01-100 nM.
    agonist_ka, agonist_tau, hill
        Endogenous agonist parameters (defaults: serotonin at 5-HT1A, modelling assumptions).
    kb : KnowledgeBase, optional

    Returns
    -------
    PartialAgonism
        Labelled curve, crossover and basis.

    Raises
    ------
    UnknownDrugError
        If the drug has no ``ki`` or ``efficacy`` at the target.
    UnitError, InvalidValueError
        On bad concentrations or parameters.

    References
    ----------
    1. Black JW, Leff P (1983). Proc R Soc Lond B 220:141-162. doi:10.1098/rspb.1983.0093
    2. Peroutka SJ (1985). Biol Psychiatry 20:971-979. doi:10.1016/0006-3223(85)90194-5

    Examples
    --------
    >>> r = partial_agonism_by_tone("buspirone", drug_conc="10 nM")
    >>> r.curve.iloc[[0, -1]]["effect"].tolist()
    ['raises', 'lowers']
    >>> round(r.crossover.tone_nm, 3)
    1.667
    >>> partial_agonism_by_tone("diazepam")
    Traceback (most recent call last):
    ...
    allostasis.errors.UnknownDrugError: target: diazepam has no 5-HT1A entry with ki and efficacy in the knowledge base (targets: GABAA-BZD)
    """
    kb = kb or load_knowledge_base()
    d = kb[drug]
    entry = next((t for t in d.targets if t.target.lower() == target.lower()), None)
    if entry is None or entry.ki is None or entry.efficacy is None:
        names = ", ".join(t.target for t in d.targets) or "none"
        raise UnknownDrugError(
            f"target: {d.name} has no {target} entry with ki and efficacy in the knowledge base "
            f"(targets: {names})"
        )
    eps = entry.efficacy.typical
    kb_nM = entry.ki.to("nM")
    b = float(_conc(drug_conc, "drug_conc"))
    a = (
        np.logspace(-2, 2, 41)
        if agonist_conc is None
        else np.atleast_1d(_conc(agonist_conc, "agonist_conc")).ravel()
    )
    ka = float(_positive_conc(agonist_ka, "agonist_ka"))
    ta = float(_number(agonist_tau, "agonist_tau", strictly=True))
    n = float(_number(hill, "hill", strictly=True))
    tb = float(tau_from_efficacy(eps, reference_tau=ta, hill=n))
    kw = dict(agonist_ka=Q_(ka, "nM"), agonist_tau=ta, drug_ka=Q_(kb_nM, "nM"), drug_tau=tb, hill=n)
    without = competitive_operational_response(Q_(a, "nM"), Q_(0.0, "nM"), **kw)  # type: ignore[arg-type]
    with_drug = competitive_operational_response(Q_(a, "nM"), Q_(b, "nM"), **kw)  # type: ignore[arg-type]
    change = with_drug - without
    tol = 1e-12
    effect = np.where(change > tol, "raises", np.where(change < -tol, "lowers", "unchanged"))
    curve = pd.DataFrame(
        {
            "agonist_conc": a,
            "drug_conc": b,
            "activation_without_drug": without,
            "activation_with_drug": with_drug,
            "change": change,
            "effect": effect,
        }
    )
    curve.attrs["units"] = {"agonist_conc": "nM", "drug_conc": "nM", "activation": "fraction of Em"}
    cross = partial_agonist_crossover(eps, agonist_ka=Q_(ka, "nM"), agonist_tau=ta, hill=n)
    basis = [
        *cross.basis,
        f"{d.name} at {entry.target}: KB = {kb_nM:g} nM ({kb.source(entry.ki.source).citation()}); "
        f"efficacy = {eps:g} ({kb.source(entry.efficacy.source).citation()}; {entry.efficacy.note})",
        f"endogenous agonist KA = {ka:g} nM and tau = {ta:g}: modelling assumptions",
    ]
    return PartialAgonism(
        drug=d.name, target=entry.target, efficacy=eps, curve=curve, crossover=cross, basis=basis
    )
