"""Receptor and transporter occupancy at equilibrium: mass action, Hill, competition at one site.

The law of mass action for a ligand L binding a site R with dissociation constant :math:`K_d`
(Clark 1926; Hill 1910) gives the fraction of sites bound,

.. math:: \\theta = \\frac{[L]}{[L] + K_d},

and with several ligands competing for the same site, each with inhibition constant :math:`K_i`,
the fraction bound by ligand *i* is

.. math:: \\theta_i = \\frac{[L_i]/K_i}{1 + \\sum_j [L_j]/K_j}.

Concentrations at the boundary are quantities: molar (``"10 nM"``), or mass per volume
(``"25 ng/mL"``) together with a molecular weight. The concentration that binds is the *free*
(unbound) one; :func:`unbound_concentration` turns a total plasma concentration into the unbound one
with the plasma protein binding. Internally everything is in nM.

References
----------
1. Clark AJ (1926). The reaction between acetyl choline and muscle cells. J Physiol 61(4):530-546.
   doi:10.1113/jphysiol.1926.sp002314
2. Hill AV (1910). The possible effects of the aggregation of the molecules of haemoglobin on its
   dissociation curves. J Physiol 40(Suppl):iv-vii.
3. Cheng Y, Prusoff WH (1973). Relationship between the inhibition constant (K1) and the
   concentration of inhibitor which causes 50 per cent inhibition (I50) of an enzymatic reaction.
   Biochem Pharmacol 22(23):3099-3108. doi:10.1016/0006-2952(73)90196-2
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from allostasis.errors import InvalidValueError, UnitError
from allostasis.units import Q_, Quantity, as_quantity

__all__ = [
    "competitive_occupancy",
    "hill_occupancy",
    "molar_concentration",
    "occupancy",
    "unbound_concentration",
]

_MOLAR = "nM"


def _molar_array(value: Any, field: str, *, positive: bool = False) -> np.ndarray:
    """Magnitude of a molar quantity (scalar or array) in nM, checked for sign and finiteness."""
    q = as_quantity(value, field=field, unit=_MOLAR)
    arr = np.asarray(q.to(_MOLAR).magnitude, dtype=float)
    bad = arr <= 0 if positive else arr < 0
    if np.any(bad):
        rel = "> 0" if positive else ">= 0"
        raise InvalidValueError(f"{field}: must be {rel} nM; got {q}")
    return arr


def _as_result(x: np.ndarray) -> Any:
    """A 0-d array becomes a Python float; arrays stay arrays."""
    return float(x) if np.ndim(x) == 0 else x


def occupancy(concentration: Any, kd: Any) -> Any:
    """Fraction of sites bound by one ligand at equilibrium (law of mass action).

    .. math:: \\theta = \\frac{C}{C + K_d}

    Parameters
    ----------
    concentration : str or pint.Quantity
        Free (unbound) ligand concentration, molar (e.g. ``"2 nM"``; scalar or array with a leading
        subject axis), >= 0.
    kd : str or pint.Quantity
        Dissociation (or inhibition) constant, molar, > 0; broadcasts against ``concentration``.

    Returns
    -------
    float or numpy.ndarray
        Occupancy in [0, 1], with the broadcast shape of the inputs.

    Raises
    ------
    UnitError
        A bare number, or a quantity that is not a molar concentration.
    InvalidValueError
        A negative concentration or a non-positive ``kd``.

    See Also
    --------
    hill_occupancy, competitive_occupancy

    References
    ----------
    1. Clark AJ (1926). J Physiol 61(4):530-546. doi:10.1113/jphysiol.1926.sp002314

    Examples
    --------
    >>> occupancy("1 nM", "1 nM")
    0.5
    >>> occupancy("9 nM", "1 nM")
    0.9
    >>> occupancy(1.0, "1 nM")
    Traceback (most recent call last):
    ...
    allostasis.errors.UnitError: concentration: a bare number (1.0) has no unit; give a quantity such as '1.0 nM'
    """
    c = _molar_array(concentration, "concentration")
    k = _molar_array(kd, "kd", positive=True)
    return _as_result(c / (c + k))


def hill_occupancy(concentration: Any, kd: Any, hill: float = 1.0) -> Any:
    """Fraction of sites bound with a Hill coefficient (cooperative binding).

    .. math:: \\theta = \\frac{C^{n}}{C^{n} + K_d^{n}}

    Parameters
    ----------
    concentration : str or pint.Quantity
        Free ligand concentration, molar, >= 0 (scalar or array).
    kd : str or pint.Quantity
        Concentration giving half-maximal binding, molar, > 0.
    hill : float
        Hill coefficient n, > 0 (1 is mass action).

    Returns
    -------
    float or numpy.ndarray
        Occupancy in [0, 1].

    Raises
    ------
    UnitError
        A bare number or a non-molar quantity.
    InvalidValueError
        A negative concentration, non-positive ``kd`` or ``hill``.

    References
    ----------
    1. Hill AV (1910). J Physiol 40(Suppl):iv-vii.

    Examples
    --------
    >>> hill_occupancy("2 nM", "1 nM", hill=2.0)
    0.8
    >>> hill_occupancy("2 nM", "1 nM", hill=0.0)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: hill: must be > 0; got 0.0
    """
    if not (isinstance(hill, (int, float)) and np.isfinite(hill) and hill > 0):
        raise InvalidValueError(f"hill: must be > 0; got {hill!r}")
    c = _molar_array(concentration, "concentration")
    k = _molar_array(kd, "kd", positive=True)
    # (C/K)^n / (1 + (C/K)^n) avoids overflow of C^n for large n
    r = np.power(c / k, float(hill))
    return _as_result(r / (1.0 + r))


def competitive_occupancy(
    concentrations: Mapping[str, Any], ki: Mapping[str, Any]
) -> dict[str, Any]:
    """Fraction of one site bound by each of several ligands competing for it.

    .. math:: \\theta_i = \\frac{C_i/K_i}{1 + \\sum_j C_j/K_j}

    Parameters
    ----------
    concentrations : mapping of str to quantity
        Free concentration of each ligand, molar, >= 0 (scalars or arrays that broadcast).
    ki : mapping of str to quantity
        Inhibition (dissociation) constant of each ligand at the site, molar, > 0; same keys.

    Returns
    -------
    dict of str to float or numpy.ndarray
        Occupancy by each ligand; the values sum to the total occupancy, which is < 1.

    Raises
    ------
    InvalidValueError
        Keys differ, no ligand given, negative concentrations or non-positive constants.
    UnitError
        A bare number or a non-molar quantity.

    References
    ----------
    1. Cheng Y, Prusoff WH (1973). Biochem Pharmacol 22(23):3099-3108.
       doi:10.1016/0006-2952(73)90196-2

    Examples
    --------
    >>> occ = competitive_occupancy({"a": "1 nM", "b": "2 nM"}, {"a": "1 nM", "b": "2 nM"})
    >>> {k: round(v, 4) for k, v in occ.items()}
    {'a': 0.3333, 'b': 0.3333}
    >>> competitive_occupancy({"a": "1 nM"}, {"b": "1 nM"})
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: ki: needs a constant for every ligand; missing ['a'], extra ['b']
    """
    if not concentrations:
        raise InvalidValueError("concentrations: give at least one ligand")
    missing = sorted(set(concentrations) - set(ki))
    extra = sorted(set(ki) - set(concentrations))
    if missing or extra:
        raise InvalidValueError(
            f"ki: needs a constant for every ligand; missing {missing}, extra {extra}"
        )
    odds = {
        name: _molar_array(c, f"concentrations[{name!r}]")
        / _molar_array(ki[name], f"ki[{name!r}]", positive=True)
        for name, c in concentrations.items()
    }
    total = sum(odds.values())
    return {name: _as_result(o / (1.0 + total)) for name, o in odds.items()}


def molar_concentration(concentration: Any, molecular_weight: Any) -> Quantity:
    """Turn a mass concentration into a molar one with the molecular weight.

    .. math:: C_{molar} = \\frac{C_{mass}}{MW}

    Parameters
    ----------
    concentration : str or pint.Quantity
        Mass per volume, e.g. ``"25 ng/mL"``, >= 0 (scalar or array).
    molecular_weight : str or pint.Quantity
        Molar mass, e.g. ``"306.23 g/mol"``, > 0.

    Returns
    -------
    pint.Quantity
        The concentration in nM, same shape as ``concentration``.

    Raises
    ------
    UnitError
        A bare number or a wrong dimension.
    InvalidValueError
        A negative concentration or non-positive molecular weight.

    Examples
    --------
    >>> molar_concentration("30.623 ng/mL", "306.23 g/mol")
    <Quantity(100.0, 'nanomolar')>
    >>> molar_concentration("30 ng/mL", "306")
    Traceback (most recent call last):
    ...
    allostasis.errors.UnitError: molecular_weight: a bare number ('306') has no unit; give a quantity such as '306 g/mol'
    """
    c = as_quantity(concentration, field="concentration", unit="mg/L")
    mw = as_quantity(molecular_weight, field="molecular_weight", unit="g/mol")
    c_mg_l = np.asarray(c.to("mg/L").magnitude, dtype=float)
    mw_g = float(np.asarray(mw.to("g/mol").magnitude, dtype=float))
    if np.any(c_mg_l < 0):
        raise InvalidValueError(f"concentration: must be >= 0; got {c}")
    if not mw_g > 0:
        raise InvalidValueError(f"molecular_weight: must be > 0 g/mol; got {mw}")
    out: Quantity = Q_(c_mg_l / mw_g * 1e6, _MOLAR)  # mg/L / (g/mol) = mmol/m^3 = uM; x1000 -> nM
    return out


def unbound_concentration(concentration: Any, protein_binding: float) -> Quantity:
    """Free (unbound) concentration from a total plasma concentration and the protein binding.

    .. math:: C_u = f_u \\, C = (1 - \\text{protein binding})\\, C

    Parameters
    ----------
    concentration : str or pint.Quantity
        Total concentration, molar or mass per volume, >= 0 (scalar or array).
    protein_binding : float
        Fraction bound to plasma proteins, in [0, 1].

    Returns
    -------
    pint.Quantity
        Unbound concentration, in the unit of ``concentration``.

    Raises
    ------
    InvalidValueError
        ``protein_binding`` outside [0, 1] or a negative concentration.
    UnitError
        A bare number or a quantity that is not a concentration.

    Examples
    --------
    >>> unbound_concentration("100 nM", 0.98)
    <Quantity(2.0, 'nanomolar')>
    >>> unbound_concentration("100 nM", 98)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: protein_binding: must be a fraction in [0, 1]; got 98
    """
    if isinstance(protein_binding, bool) or not isinstance(protein_binding, (int, float)):
        raise InvalidValueError(
            f"protein_binding: must be a fraction in [0, 1]; got {protein_binding!r}"
        )
    if not 0.0 <= float(protein_binding) <= 1.0:
        raise InvalidValueError(
            f"protein_binding: must be a fraction in [0, 1]; got {protein_binding!r}"
        )
    try:
        q = as_quantity(concentration, field="concentration", unit=_MOLAR)
    except UnitError:  # not molar: accept a mass concentration, else report against mg/L
        q = as_quantity(concentration, field="concentration", unit="mg/L")
    mag = np.asarray(q.magnitude, dtype=float)
    if np.any(mag < 0):
        raise InvalidValueError(f"concentration: must be >= 0; got {q}")
    out: Quantity = Q_(mag * (1.0 - float(protein_binding)), str(q.units))
    return out
