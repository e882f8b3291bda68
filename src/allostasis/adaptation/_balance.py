"""Net inhibitory drive and the excitation/inhibition balance index, relative to the drug-naive brain.

GABA-A inhibition is summed over two benzodiazepine-sensitive receptor pools, alpha1-containing
(weight :math:`w_1`) and alpha2/3-containing (:math:`w_{23} = 1 - w_1`). In each pool a fraction
:math:`S` of receptors is benzodiazepine-sensitive (alpha1-3/gamma2) and :math:`1 - S` has switched
to insensitive alpha4-containing receptors with relative GABA efficacy :math:`\\varepsilon_4`:

.. math::

    I = R\\, d(a_{KCC2}) \\sum_{p} w_p \\left[S\\, \\Pi(s_p) + (1 - S)\\,\\varepsilon_4\\right],
    \\qquad
    \\Pi(s) = \\frac{E_0(s x_0)}{E_0(x_0)}, \\quad
    E_0(x) = \\frac{(\\tau x)^n}{(1 + x)^n + (\\tau x)^n}

where :math:`R` is GABA-A surface density, :math:`d` GABA's driving force (see ``_chloride``),
:math:`x_0` the ambient GABA level (in units of :math:`K_A`) that gives an EC20 response, and
:math:`s_p` the leftward shift of GABA's curve by the benzodiazepine site ligands (operational
allosteric model with :math:`\\beta = 1`; Leach et al. 2007), a neutral antagonist (flumazenil)
competing for the same site:

.. math::

    s_p = \\frac{1 + \\alpha_p y_B + y_F}{1 + y_B + y_F}, \\qquad
    \\alpha_p = 1 + K_p(\\alpha - 1)

with :math:`y_B = \\sum_j C_{u,j}/K_{B,j}`, :math:`y_F = C_{u,F}/K_{i,F}` and :math:`K_p` the
site coupling (1 = naive, 0 = fully uncoupled). Excitation is the glutamatergic gain :math:`G` less
the NMDA share blocked by ketamine, plus cued conditioned arousal:

.. math:: E = G\\,(1 - \\phi_N b_{NMDA}) + w_C\\, C\\, q(t)

and the balance index is the log ratio, zero in the drug-naive, drug-free brain:

.. math:: X = \\ln(E / I)

X > 0 is hyperexcitability (withdrawal), X < 0 net inhibition (drug effect). The log is symmetric
(halving inhibition and doubling excitation give the same X) -- a modelling choice.

References
----------
1. Leach K, Sexton PM, Christopoulos A (2007). Trends Pharmacol Sci 28:382-389.
   doi:10.1016/j.tips.2007.06.004
2. Black JW, Leff P (1983). Proc R Soc Lond B 220:141-162. doi:10.1098/rspb.1983.0093
"""

from __future__ import annotations

from typing import Any

import numpy as np

from allostasis.errors import InvalidValueError

__all__ = [
    "balance_index",
    "benzodiazepine_shift",
    "gaba_potentiation",
    "net_inhibitory_drive",
]


def _arr(value: Any, field: str, *, lo: float | None = 0.0) -> np.ndarray:
    try:
        out = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InvalidValueError(f"{field}: must be a number; got {value!r}") from None
    if np.any(~np.isfinite(out)) or (lo is not None and np.any(out < lo)):
        rel = f" >= {lo:g}" if lo is not None else ""
        raise InvalidValueError(f"{field}: must be a finite number{rel}; got {value!r}")
    return out


def shift_kernel(y_bzd: np.ndarray, y_flu: np.ndarray, alpha_eff: np.ndarray) -> np.ndarray:
    """EC50 shift with a PAM and a neutral competitor; float arrays, no validation (kernel)."""
    return np.asarray((1.0 + alpha_eff * y_bzd + y_flu) / (1.0 + y_bzd + y_flu))


def potentiation_kernel(shift: np.ndarray, tau: float, hill: float, x0: float) -> np.ndarray:
    """Pi(s) = E0(s x0) / E0(x0) for the operational GABA curve; kernel form."""
    x = shift * x0
    e = (tau * x) ** hill / ((1.0 + x) ** hill + (tau * x) ** hill)
    e0 = (tau * x0) ** hill / ((1.0 + x0) ** hill + (tau * x0) ** hill)
    return np.asarray(e / e0)


def ec20_level(tau: float, hill: float) -> float:
    """Ambient GABA x0 (units of K_A) at which E0 = 20% of its maximum (closed form)."""
    emax = tau**hill / (1.0 + tau**hill)
    f = 0.2 * emax
    # E0 = r/(1+r) with r = (tau x / (1 + x))^n  ->  tau x/(1+x) = (f/(1-f))^(1/n)
    q = (f / (1.0 - f)) ** (1.0 / hill)
    return float(q / (tau - q))


def benzodiazepine_shift(
    y_bzd: Any, *, alpha: float = 2.5, coupling: Any = 1.0, y_flumazenil: Any = 0.0
) -> np.ndarray:
    """Leftward shift of GABA's curve by benzodiazepine-site ligands, with coupling and flumazenil.

    .. math::

        s = \\frac{1 + \\alpha_{eff} y_B + y_F}{1 + y_B + y_F}, \\qquad
        \\alpha_{eff} = 1 + K(\\alpha - 1)

    Parameters
    ----------
    y_bzd : float or array
        Summed :math:`C_u/K_B` of positive modulators (dimensionless), >= 0.
    alpha : float
        Affinity cooperativity of the positive modulators, > 0 (diazepam 2.5, Ghansah & Weiss 1999).
    coupling : float or array
        Site coupling K, >= 0 (1 = naive, 0 = uncoupled).
    y_flumazenil : float or array
        :math:`C_u/K_i` of a neutral antagonist at the site, >= 0.

    Returns
    -------
    numpy.ndarray
        Shift factor (> 1 leftward), broadcast shape.

    Raises
    ------
    InvalidValueError
        On a negative or non-finite argument.

    References
    ----------
    1. Leach K, Sexton PM, Christopoulos A (2007). Trends Pharmacol Sci 28:382-389.
       doi:10.1016/j.tips.2007.06.004

    Examples
    --------
    >>> float(benzodiazepine_shift(1.0))
    1.75
    >>> round(float(benzodiazepine_shift(1.0, y_flumazenil=50.0)), 3)
    1.029
    >>> benzodiazepine_shift(-1.0)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: y_bzd: must be a finite number >= 0; got -1.0
    """
    yb = _arr(y_bzd, "y_bzd")
    yf = _arr(y_flumazenil, "y_flumazenil")
    k = _arr(coupling, "coupling")
    al = float(_arr(alpha, "alpha"))
    if al <= 0:
        raise InvalidValueError(f"alpha: must be > 0; got {alpha!r}")
    return shift_kernel(yb, yf, 1.0 + k * (al - 1.0))


def gaba_potentiation(shift: Any) -> np.ndarray:
    """Ratio of the GABA-A response at ambient (EC20) GABA with a shift ``shift`` to that without.

    .. math::

        \\Pi(s) = \\frac{E_0(s x_0)}{E_0(x_0)}, \\quad
        E_0(x) = \\frac{(\\tau x)^n}{(1 + x)^n + (\\tau x)^n}, \\quad E_0(x_0) = 0.2\\,E_{0,max}

    GABA's :math:`\\tau, n` come from :func:`allostasis.receptor.gaba_operational_parameters`.

    Parameters
    ----------
    shift : float or array
        EC50 shift factor, > 0.

    Returns
    -------
    numpy.ndarray
        Potentiation ratio (1 = none).

    Raises
    ------
    InvalidValueError
        If the shift is not > 0.

    References
    ----------
    1. Black JW, Leff P (1983). Proc R Soc Lond B 220:141-162. doi:10.1098/rspb.1983.0093

    Examples
    --------
    >>> round(float(gaba_potentiation(2.5)), 2)
    2.34
    """
    s = _arr(shift, "shift")
    if np.any(s <= 0):
        raise InvalidValueError(f"shift: must be > 0; got {shift!r}")
    from allostasis.receptor import gaba_operational_parameters

    p = gaba_operational_parameters()
    return potentiation_kernel(s, p["tau"], p["hill"], ec20_level(p["tau"], p["hill"]))


def inhibition_kernel(
    density: np.ndarray,
    driving_force: np.ndarray,
    sensitive_fraction: np.ndarray,
    potentiation_alpha1: np.ndarray,
    potentiation_alpha23: np.ndarray,
    weight_alpha1: float | np.ndarray,
    alpha4_efficacy: float | np.ndarray,
) -> np.ndarray:
    """Net inhibitory drive I (kernel form of :func:`net_inhibitory_drive`)."""
    s = sensitive_fraction
    ins = (1.0 - s) * alpha4_efficacy
    pools = weight_alpha1 * (s * potentiation_alpha1 + ins) + (1.0 - weight_alpha1) * (
        s * potentiation_alpha23 + ins
    )
    return np.asarray(density * driving_force * pools)


def net_inhibitory_drive(
    *,
    density: Any = 1.0,
    driving_force: Any = 1.0,
    sensitive_fraction: Any = 1.0,
    potentiation_alpha1: Any = 1.0,
    potentiation_alpha23: Any = 1.0,
    weight_alpha1: float = 0.6,
    alpha4_efficacy: float = 0.6,
) -> np.ndarray:
    """Net GABA-A inhibitory drive relative to the drug-naive, drug-free brain (= 1 there).

    .. math::

        I = R\\, d \\sum_p w_p \\left[S\\, \\Pi_p + (1 - S)\\,\\varepsilon_4\\right]

    Parameters
    ----------
    density : float or array
        GABA-A surface density R relative to naive, >= 0.
    driving_force : float or array
        Normalised GABA driving force d (see :func:`gaba_driving_force`); may be negative.
    sensitive_fraction : float or array
        Benzodiazepine-sensitive fraction S relative to naive, in [0, 1].
    potentiation_alpha1, potentiation_alpha23 : float or array
        Drug potentiation :math:`\\Pi_p` in each pool, >= 0 (1 = none).
    weight_alpha1 : float
        Share of alpha1-containing receptors, in [0, 1] (default 0.6; McKernan & Whiting 1996).
    alpha4_efficacy : float
        Relative GABA efficacy of alpha4-containing receptors, in [0, 1] (default 0.6; modelling
        assumption).

    Returns
    -------
    numpy.ndarray
        I (dimensionless), broadcast shape.

    Raises
    ------
    InvalidValueError
        On values out of range.

    References
    ----------
    1. McKernan RM, Whiting PJ (1996). Which GABAA-receptor subtypes really occur in the brain?
       Trends Neurosci 19:139-143. doi:10.1016/S0166-2236(96)80023-3

    Examples
    --------
    >>> float(net_inhibitory_drive())
    1.0
    >>> round(float(net_inhibitory_drive(density=0.8, sensitive_fraction=0.7)), 3)
    0.704
    >>> net_inhibitory_drive(sensitive_fraction=1.5)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: sensitive_fraction: must be in [0, 1]; got 1.5
    """
    s = _arr(sensitive_fraction, "sensitive_fraction")
    if np.any(s > 1):
        raise InvalidValueError(
            f"sensitive_fraction: must be in [0, 1]; got {sensitive_fraction!r}"
        )
    for name, v in (("weight_alpha1", weight_alpha1), ("alpha4_efficacy", alpha4_efficacy)):
        if not 0.0 <= float(v) <= 1.0:
            raise InvalidValueError(f"{name}: must be in [0, 1]; got {v!r}")
    return inhibition_kernel(
        _arr(density, "density"),
        _arr(driving_force, "driving_force", lo=None),
        s,
        _arr(potentiation_alpha1, "potentiation_alpha1"),
        _arr(potentiation_alpha23, "potentiation_alpha23"),
        float(weight_alpha1),
        float(alpha4_efficacy),
    )


def balance_index(excitation: Any, inhibition: Any) -> np.ndarray:
    """Excitation/inhibition balance index, zero in the drug-naive, drug-free brain.

    .. math:: X = \\ln(E / I)

    Parameters
    ----------
    excitation, inhibition : float or array
        Excitatory and net inhibitory drive relative to naive, > 0.

    Returns
    -------
    numpy.ndarray
        X (dimensionless): > 0 hyperexcitable, < 0 net inhibited.

    Raises
    ------
    InvalidValueError
        If a drive is not > 0.

    Examples
    --------
    >>> round(float(balance_index(1.2, 0.8)), 4)
    0.4055
    >>> balance_index(1.0, 0.0)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: inhibition: must be > 0; got 0.0
    """
    e = _arr(excitation, "excitation")
    i = _arr(inhibition, "inhibition")
    for name, v, raw in (("excitation", e, excitation), ("inhibition", i, inhibition)):
        if np.any(v <= 0):
            raise InvalidValueError(f"{name}: must be > 0; got {raw!r}")
    return np.asarray(np.log(e / i))
