"""Build a PK model from the knowledge base: typical values for one drug and route.

Missing pieces are derived with textbook relations, and each derivation is recorded in the model's
``basis`` so the numbers can be checked:

- clearance from half-life and volume: :math:`CL = \\ln 2 \\cdot V / t_{1/2}`;
- absorption rate from tmax: one-compartment :math:`t_{max} = \\ln(k_a/k)/(k_a - k)`, solved for
  :math:`k_a > k` (Gibaldi & Perrier 1982); two-compartment: ka solved numerically so that the
  model's own concentration peak falls at tmax.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from scipy.optimize import brentq, minimize_scalar

from allostasis.errors import InvalidValueError, UnknownDrugError
from allostasis.exposure._linear_model import LinearCompartmentModel
from allostasis.exposure._model_cache import remembered_model
from allostasis.exposure._one_compartment import OneCompartment
from allostasis.exposure._two_compartment import TwoCompartment
from allostasis.knowledge import Drug, KnowledgeBase, PKParameters, load_knowledge_base
from allostasis.units import Q_, magnitude

__all__ = ["WEIGHT_RANGE_KG", "ka_from_tmax", "ka_from_tmax_two_compartment", "pk_model"]

#: Plausible body weights (kg): a preterm neonate to the heaviest patients; outside is an input error.
WEIGHT_RANGE_KG = (0.3, 400.0)


def ka_from_tmax(tmax: float, k: float) -> float:
    """Absorption rate constant (1/h) giving peak time ``tmax`` (h) with elimination rate ``k`` (1/h).

    .. math:: t_{max} = \\frac{\\ln(k_a / k)}{k_a - k}

    Examples
    --------
    >>> round(ka_from_tmax(1.0, 0.1), 4)
    3.715
    """
    if not (tmax > 0 and k > 0):
        raise InvalidValueError(f"ka_from_tmax: tmax and k must be > 0; got tmax={tmax}, k={k}")
    if tmax >= 1.0 / k:
        raise InvalidValueError(
            f"ka_from_tmax: tmax ({tmax:g} h) must be < 1/k ({1 / k:g} h) for an absorption-limited peak"
        )

    def g(ka: float) -> float:
        return math.log(ka / k) / (ka - k) - tmax

    return float(brentq(g, k * (1 + 1e-9), 1e4 / tmax, xtol=1e-14, rtol=1e-14))


def _peak_time(ka: float, cl: float, v1: float, q: float, v2: float) -> float:
    """Time of the concentration peak after an oral dose into a two-compartment model (h)."""
    k = np.array([[-ka, 0.0, 0.0], [ka, -(cl + q) / v1, q / v2], [0.0, q / v1, -q / v2]])
    lam, vec = np.linalg.eig(k)
    coef = vec[1, :] * np.linalg.solve(vec, np.array([1.0, 0.0, 0.0]))

    def neg_conc(t: float) -> float:
        return -float(np.real(np.sum(coef * np.exp(lam * t))))

    # the slowest input/distribution phase bounds the peak: search up to 10 absorption half-lives
    t_hi = 10.0 * math.log(2) / ka + 1.0
    res = minimize_scalar(neg_conc, bounds=(1e-9, t_hi), method="bounded", options={"xatol": 1e-10})
    return float(res.x)


def ka_from_tmax_two_compartment(tmax: float, cl: float, v1: float, q: float, v2: float) -> float:
    """Absorption rate constant (1/h) whose two-compartment oral profile peaks at ``tmax`` (h).

    Examples
    --------
    >>> ka = ka_from_tmax_two_compartment(1.0, cl=10.0, v1=20.0, q=5.0, v2=50.0)
    >>> round(_peak_time(ka, 10.0, 20.0, 5.0, 50.0), 6)
    1.0
    """
    if not tmax > 0:
        raise InvalidValueError(f"ka_from_tmax_two_compartment: tmax must be > 0 h; got {tmax}")

    def g(log_ka: float) -> float:
        return _peak_time(math.exp(log_ka), cl, v1, q, v2) - tmax

    lo, hi = math.log(1e-3), math.log(1e3)
    if g(lo) < 0 or g(hi) > 0:
        raise InvalidValueError(
            f"ka_from_tmax_two_compartment: no absorption rate in 1e-3..1e3 1/h gives tmax {tmax:g} h"
        )
    return math.exp(float(brentq(g, lo, hi, xtol=1e-12)))


def _disposition(
    pk: PKParameters, weight_kg: float, label: str, basis: list[str]
) -> dict[str, float]:
    vname = "V1 (central)" if pk.model == "two_compartment" else "V"
    if pk.volume is not None:
        v = pk.volume.to("L")
        basis.append(f"{label} {vname} = {v:.4g} L [{pk.volume.source}]")
    else:
        assert pk.volume_per_kg is not None
        v = pk.volume_per_kg.to("L/kg") * weight_kg
        basis.append(
            f"{label} {vname} = {pk.volume_per_kg.to('L/kg'):.4g} L/kg x {weight_kg:g} kg [{pk.volume_per_kg.source}]"
        )
    if pk.clearance is not None:
        cl = pk.clearance.to("L/h")
        basis.append(f"{label} CL = {cl:.4g} L/h [{pk.clearance.source}]")
    else:
        assert pk.half_life is not None
        t12 = pk.half_life.to("h")
        cl = math.log(2) * v / t12
        basis.append(
            f"{label} CL = ln2 V / t1/2 = {cl:.4g} L/h from t1/2 {t12:.4g} h [{pk.half_life.source}]"
        )
    out = {"cl": cl, "v": v}
    if pk.model == "two_compartment":
        assert pk.volume_peripheral is not None
        assert pk.intercompartmental_clearance is not None
        out = {
            "cl": cl,
            "v1": v,
            "q": pk.intercompartmental_clearance.to("L/h"),
            "v2": pk.volume_peripheral.to("L"),
        }
        basis.append(
            f"{label} Q = {out['q']:.4g} L/h, V2 = {out['v2']:.4g} L [{pk.intercompartmental_clearance.source}]"
        )
    return out


def pk_model(
    drug: str | Drug,
    route: str = "oral",
    *,
    weight: Any = "70 kg",
    metabolites: bool = True,
    kb: KnowledgeBase | None = None,
) -> LinearCompartmentModel:
    """The typical-value PK model of ``drug`` given by ``route``, from the knowledge base.

    Parameters
    ----------
    drug : str or Drug
        Name or synonym (``"Xanax"``), or a :class:`~allostasis.knowledge.Drug`.
    route : str
        A route with absorption data in the knowledge base (``oral``, ``iv``, ``transdermal``, ...).
    weight : quantity
        Body weight, used where volumes are given per kg.
    metabolites : bool
        Include the drug's active metabolites that have PK data.

    Returns
    -------
    OneCompartment or TwoCompartment
        With ``basis`` (a list of strings: each value, how it was derived and its source).

    Examples
    --------
    >>> m = pk_model("diazepam")
    >>> m.analytes
    ['diazepam', 'nordiazepam']
    >>> pk_model("diazepam", route="transdermal")
    Traceback (most recent call last):
    ...
    allostasis.errors.UnknownDrugError: route: diazepam has no data for route 'transdermal'; known routes: oral, iv
    """
    kb = kb or load_knowledge_base()
    d = kb[drug] if isinstance(drug, str) else drug
    w = magnitude(weight, field="weight", unit="kg", strictly_positive=True)
    if not WEIGHT_RANGE_KG[0] <= w <= WEIGHT_RANGE_KG[1]:
        raise InvalidValueError(
            f"weight: {w:g} kg is outside the plausible range {WEIGHT_RANGE_KG[0]:g}-"
            f"{WEIGHT_RANGE_KG[1]:g} kg for a patient; check the value and its unit"
        )
    if route not in d.pk.routes:
        raise UnknownDrugError(
            f"route: {d.name} has no data for route {route!r}; known routes: {', '.join(d.pk.routes) or 'none'}"
        )
    return remembered_model(d, route, w, metabolites, _build_pk_model)


def _build_pk_model(d: Drug, route: str, w: float, metabolites: bool) -> LinearCompartmentModel:
    """The model of :func:`pk_model` for a checked drug, route and weight (kg)."""
    basis: list[str] = []
    disp = _disposition(d.pk, w, d.name, basis)
    r = next(data for name, data in d.pk.routes.items() if name == route)  # checked by pk_model
    params: dict[str, Any] = {
        k: Q_(v, "L" if k.startswith("v") else "L/h") for k, v in disp.items()
    }
    params["f"] = r.bioavailability.to("dimensionless")
    basis.append(f"{d.name} F ({route}) = {params['f']:.3g} [{r.bioavailability.source}]")
    if r.absorption_rate is not None:
        ka = r.absorption_rate.to("1/h")
        basis.append(f"{d.name} ka ({route}) = {ka:.4g} 1/h [{r.absorption_rate.source}]")
    elif r.tmax is not None and "v1" in disp:
        ka = ka_from_tmax_two_compartment(
            r.tmax.to("h"), disp["cl"], disp["v1"], disp["q"], disp["v2"]
        )
        basis.append(
            f"{d.name} ka ({route}) = {ka:.4g} 1/h solved so the two-compartment profile peaks at "
            f"tmax {r.tmax.to('h'):.3g} h [{r.tmax.source}]"
        )
    elif r.tmax is not None:
        k = disp["cl"] / disp["v"]
        ka = ka_from_tmax(r.tmax.to("h"), k)
        basis.append(
            f"{d.name} ka ({route}) = {ka:.4g} 1/h solved from tmax {r.tmax.to('h'):.3g} h "
            f"[{r.tmax.source}] (one-compartment relation)"
        )
    else:
        ka = 0.0
        basis.append(f"{d.name} ({route}): no absorption phase; dose into CMT 2 (central)")
    params["ka"] = Q_(ka, "1/h")
    if r.lag_time is not None:
        params["tlag"] = Q_(r.lag_time.to("h"), "h")
        basis.append(f"{d.name} tlag = {r.lag_time.to('h'):.3g} h [{r.lag_time.source}]")
    mets = []
    if metabolites:
        for m in d.metabolites:
            if not m.active:
                continue
            md = _disposition(m.pk, w, m.name, basis)
            if "v1" in md:  # metabolites are one-compartment here; use their total volume
                md = {"cl": md["cl"], "v": md["v1"] + md["v2"]}
                basis.append(
                    f"{m.name}: two-compartment data collapsed to one compartment (V1 + V2)"
                )
            mets.append(m.name)
            params[f"fm_{m.name}"] = m.fraction_formed.to("dimensionless")
            params[f"cl_{m.name}"] = Q_(md["cl"], "L/h")
            params[f"v_{m.name}"] = Q_(md["v"], "L")
            params[f"mwr_{m.name}"] = m.molecular_weight.to("g/mol") / d.molecular_weight.to(
                "g/mol"
            )
            basis.append(
                f"{m.name}: fm = {params[f'fm_{m.name}']:.3g} [{m.fraction_formed.source}], "
                f"MW ratio {params[f'mwr_{m.name}']:.4f} [{m.molecular_weight.source}]"
            )
    cls = TwoCompartment if d.pk.model == "two_compartment" else OneCompartment
    return cls(name=d.name, metabolites=tuple(mets), route=route, basis=tuple(basis), **params)
