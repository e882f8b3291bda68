"""Drive the raphe loop from a drug and a regimen: PK -> SERT (and 5-HT1A) occupancy -> raphe.

SERT occupancy comes from :func:`allostasis.receptor.target_occupancy` (plasma unbound
concentrations of the parent and active metabolites, in-vitro Ki). A 5-HT1A partial agonist
(buspirone) enters through its unbound odds :math:`x_B = \\theta/(1-\\theta)` at 5-HT1A and its
efficacy from the knowledge base, converted to an operational tau with
:func:`allostasis.receptor.tau_from_efficacy`.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from allostasis.errors import InvalidValueError, UnknownDrugError
from allostasis.exposure import time_grid
from allostasis.knowledge import KnowledgeBase, load_knowledge_base
from allostasis.physiology._raphe import RapheParameters, RapheResult, raphe_loop
from allostasis.receptor import target_occupancy, tau_from_efficacy
from allostasis.regimen import DosingRecords
from allostasis.units import magnitude

__all__ = ["simulate_raphe"]

_AUTORECEPTOR = "5-HT1A"


def _target_names(kb: KnowledgeBase, drug: str) -> dict[str, Any]:
    d = kb[drug]
    return {t.target: t for t in d.targets}


def simulate_raphe(
    drug: str,
    regimen: DosingRecords,
    duration: Any,
    *,
    step: Any = "1 h",
    params: RapheParameters | None = None,
    kb: KnowledgeBase | None = None,
) -> RapheResult:
    """Raphe firing, autoreceptor desensitisation and postsynaptic 5-HT under a drug regimen.

    .. math:: u(t) = \\theta_{SERT}(t), \\quad x_B(t) = \\theta_{5HT1A}(t) / (1 - \\theta_{5HT1A}(t))

    then :func:`~allostasis.physiology.raphe_loop`.

    Parameters
    ----------
    drug : str
        A drug with a Ki at SERT (SSRIs, SNRIs) and/or a Ki and efficacy at 5-HT1A (buspirone).
    regimen : DosingRecords
        Doses, e.g. :func:`allostasis.regimen.every` or :func:`allostasis.regimen.taper`.
    duration : str or pint.Quantity
        Time simulated from the first dose (> 0, at most 52 weeks).
    step : str or pint.Quantity
        Output and integration step (default 1 h; at most 6 h).
    params : RapheParameters, optional
    kb : KnowledgeBase, optional

    Returns
    -------
    RapheResult

    Raises
    ------
    UnknownDrugError
        The drug acts neither at SERT nor at 5-HT1A.
    UnitError, InvalidValueError
        Bad duration or step.

    Examples
    --------
    >>> from allostasis.regimen import every
    >>> res = simulate_raphe("sertraline", every("50 mg", "24 h", duration="6 weeks"), "6 weeks")
    >>> s = res.summary()
    >>> round(s.firing_nadir, 2), s.firing_recovery_day is not None
    (0.5, True)
    >>> simulate_raphe("pregabalin", every("75 mg", "12 h", duration="1 week"), "1 week")
    Traceback (most recent call last):
    ...
    allostasis.errors.UnknownDrugError: drug: pregabalin acts neither at SERT nor at 5-HT1A in the knowledge base (targets: a2d); the raphe loop needs one of them
    """
    kb = kb or load_knowledge_base()
    d = kb[drug]
    horizon = magnitude(duration, field="duration", unit="h", strictly_positive=True)
    if horizon > 52 * 7 * 24:
        raise InvalidValueError(f"duration: at most 52 weeks; got {duration!s}")
    dt = magnitude(step, field="step", unit="h", strictly_positive=True)
    if dt > 6:
        raise InvalidValueError(f"step: at most 6 h (the loop's fast phase); got {step!s}")
    targets = _target_names(kb, d.name)
    has_sert = "SERT" in targets and targets["SERT"].ki is not None
    auto = targets.get(_AUTORECEPTOR)
    has_auto = auto is not None and auto.ki is not None and auto.efficacy is not None
    if not (has_sert or has_auto):
        raise UnknownDrugError(
            f"drug: {d.name} acts neither at SERT nor at 5-HT1A in the knowledge base "
            f"(targets: {', '.join(targets) or 'none'}); the raphe loop needs one of them"
        )
    times = time_grid(f"{horizon} h", f"{dt} h")
    basis: list[str] = [f"drug: {d.name}"]
    n_sub = int(regimen.data["ID"].nunique())
    n_t = int(times.magnitude.size)
    u = np.zeros((n_sub, n_t))
    xb = np.zeros((n_sub, n_t))
    tau_b = 0.0
    ids: Any = None
    if has_sert:
        df = target_occupancy(d, regimen, times, targets="SERT", kb=kb)
        u = df["occupancy"].to_numpy().reshape(-1, n_t)
        ids = df["subject_id"].to_numpy().reshape(-1, n_t)[:, 0]
        basis += [f"SERT occupancy: {b}" for b in df.attrs["basis"]]
    if has_auto:
        assert auto is not None
        assert auto.efficacy is not None
        df = target_occupancy(d, regimen, times, targets=_AUTORECEPTOR, kb=kb)
        occ = np.clip(df["occupancy"].to_numpy().reshape(-1, n_t), 0.0, 1.0 - 1e-12)
        xb = occ / (1.0 - occ)
        ids = df["subject_id"].to_numpy().reshape(-1, n_t)[:, 0]
        p = params or RapheParameters()
        eps = float(auto.efficacy.typical)
        tau_b = float(tau_from_efficacy(eps, reference_tau=p.tau_5ht))
        basis += [
            f"5-HT1A agonist: efficacy {eps:g} [{auto.efficacy.source}] -> tau_B = {tau_b:.4g} "
            f"(reference tau_A = {p.tau_5ht:g})",
            *(f"5-HT1A occupancy: {b}" for b in df.attrs["basis"]),
        ]
    return raphe_loop(
        u,
        times.magnitude,
        agonist_odds=xb,
        agonist_efficacy_tau=tau_b,
        params=params,
        subject_id=ids,
        basis=basis,
    )
