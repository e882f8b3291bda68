"""Locus coeruleus: alpha2 autoreceptor feedback and the biphasic noradrenaline response to NET blockade.

Locus coeruleus (LC) neurons carry high-affinity somatodendritic alpha2-adrenoceptors that brake
their firing when local noradrenaline (NE) rises. Blocking NET raises NE around the LC, firing
falls, and as long as the autoreceptors can keep up, the extra NE per release event in the targets
is outweighed by fewer release events: postsynaptic NE falls slightly. Once the autoreceptors are
saturated the brake cannot deepen, and further NET blockade raises postsynaptic NE, with
activating effects (tremor, palpitations). This is the seed text's account (seed 002, "Dual-action
mechanisms"); it is a **hypothesis-level** circuit sketch, not a fit to microdialysis data.

Model (steady state; quantities relative to the drug-free baseline):

.. math::

    k_X(u) = (1 - \\varphi_X)(1 - u) + \\varphi_X, \\quad N_{LC} = F / k_{LC}(u), \\quad
    N_{post} = F / k_{target}(u)

    a = \\frac{x_0 N_{LC}}{1 + x_0 N_{LC}}, \\qquad
    F = F_{min} + (1 - F_{min}) \\left(\\frac{a}{a_0}\\right)^{-G}

:math:`u` is NET occupancy, :math:`\\varphi_X` the share of NE clearance not carried by NET,
:math:`a` the alpha2 autoreceptor occupancy by NE (:math:`x_0` = basal NE over the alpha2
:math:`K_d`), :math:`G` the steepness of firing inhibition, :math:`F_{min}` the share of firing
that alpha2 activation cannot suppress (the "saturated autoreceptor" floor). :math:`F` is solved by
bisection (unique root: the loop is monotone). All five parameters are **modelling assumptions**
chosen to reproduce the qualitative biphasic curve; they are listed in every basis.

References
----------
1. Seed text 002 (allostasis project), Dual-action and atypical mechanisms: LC alpha2 autoreceptors.
2. Szabo ST, Blier P (2001). Functional and pharmacological characterization of the modulatory
   role of serotonin on the firing activity of locus coeruleus norepinephrine neurons.
   Brain Res 922(1):9-20. (LC firing and its autoreceptor control in vivo.)
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Final

import numpy as np

from allostasis.errors import InvalidValueError

__all__ = [
    "LC_PARAMETER_NOTES",
    "LocusCoeruleusParameters",
    "LocusCoeruleusResponse",
    "locus_coeruleus_response",
]

#: Basis of each default of :class:`LocusCoeruleusParameters` (all modelling assumptions).
LC_PARAMETER_NOTES: Final[dict[str, str]] = {
    "basal_ne_over_kd": "x0 = 0.3: basal NE at the LC at 0.3 x the alpha2 Kd (MODELLING "
    "ASSUMPTION: high-affinity receptors, not yet saturated at rest)",
    "steepness": "G = 8: steep inhibition of pacemaker firing by alpha2-activated K+ current "
    "(MODELLING ASSUMPTION)",
    "firing_floor": "F_min = 0.3: share of LC firing the saturated autoreceptors cannot suppress "
    "(MODELLING ASSUMPTION standing for the seed's 'saturated alpha2 receptors')",
    "non_net_clearance_lc": "0.03: NE around LC somata and dendrites is cleared almost only by NET "
    "(MODELLING ASSUMPTION)",
    "non_net_clearance_target": "0.25: a quarter of NE clearance in terminal fields is not by NET "
    "(diffusion, extraneuronal uptake; MODELLING ASSUMPTION)",
}


@dataclass(frozen=True)
class LocusCoeruleusParameters:
    """Parameters of the LC loop (basis in :data:`LC_PARAMETER_NOTES`)."""

    basal_ne_over_kd: float = 0.3
    steepness: float = 8.0
    firing_floor: float = 0.3
    non_net_clearance_lc: float = 0.03
    non_net_clearance_target: float = 0.25

    def check(self) -> None:
        """Raise :class:`InvalidValueError` naming every parameter out of range."""
        bad = []
        if not self.basal_ne_over_kd > 0:
            bad.append(f"basal_ne_over_kd must be > 0 (got {self.basal_ne_over_kd!r})")
        if not self.steepness > 0:
            bad.append(f"steepness must be > 0 (got {self.steepness!r})")
        if not 0 <= self.firing_floor < 1:
            bad.append(f"firing_floor must be in [0, 1) (got {self.firing_floor!r})")
        for name in ("non_net_clearance_lc", "non_net_clearance_target"):
            if not 0 < getattr(self, name) <= 1:
                bad.append(f"{name} must be in (0, 1] (got {getattr(self, name)!r})")
        if bad:
            raise InvalidValueError("LocusCoeruleusParameters: " + "; ".join(bad))


@dataclass(frozen=True)
class LocusCoeruleusResponse:
    """LC firing and noradrenaline at each NET occupancy (arrays of the input's shape)."""

    net_occupancy: np.ndarray
    firing: np.ndarray
    lc_noradrenaline: np.ndarray
    alpha2_occupancy: np.ndarray
    postsynaptic_noradrenaline: np.ndarray
    activation_index: np.ndarray
    """max(0, postsynaptic NE - 1): activating side-effect index (tremor, palpitations); hypothesis."""
    basis: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary (arrays as lists)."""
        out = asdict(self)
        return {k: (v.tolist() if isinstance(v, np.ndarray) else v) for k, v in out.items()}


def locus_coeruleus_response(
    net_occupancy: Any, params: LocusCoeruleusParameters | None = None
) -> LocusCoeruleusResponse:
    """Steady-state LC firing and postsynaptic noradrenaline at a given NET occupancy.

    .. math::

        F = F_{min} + (1 - F_{min}) (a/a_0)^{-G}, \\quad
        a = \\frac{x_0 F / k_{LC}(u)}{1 + x_0 F / k_{LC}(u)}, \\quad
        N_{post} = F / k_{target}(u)

    Parameters
    ----------
    net_occupancy : array_like
        NET occupancy, fractions in [0, 1]; any shape (leading axis subjects, by convention).
    params : LocusCoeruleusParameters, optional

    Returns
    -------
    LocusCoeruleusResponse
        Arrays of the input's shape.

    Raises
    ------
    InvalidValueError
        Occupancy outside [0, 1] or bad parameters.

    Examples
    --------
    Postsynaptic NE dips at moderate blockade and rises only when blockade is nearly complete:

    >>> r = locus_coeruleus_response([0.0, 0.7, 0.99])
    >>> [round(float(v), 3) for v in r.postsynaptic_noradrenaline]
    [1.0, 0.9, 1.165]
    >>> locus_coeruleus_response(1.5)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: net_occupancy: fractions must lie in [0, 1]; got 1.5
    """
    p = params or LocusCoeruleusParameters()
    p.check()
    u = np.asarray(net_occupancy, dtype=float)
    if not np.all(np.isfinite(u)) or np.any((u < 0) | (u > 1)):
        raise InvalidValueError(
            f"net_occupancy: fractions must lie in [0, 1]; got {net_occupancy!r}"
        )
    x0, g, fl = p.basal_ne_over_kd, p.steepness, p.firing_floor
    k_lc = (1 - p.non_net_clearance_lc) * (1 - u) + p.non_net_clearance_lc
    k_t = (1 - p.non_net_clearance_target) * (1 - u) + p.non_net_clearance_target
    a0 = x0 / (1 + x0)
    lo = np.zeros_like(u)
    hi = np.ones_like(u)
    for _ in range(50):  # F - F_loop(F) is increasing in F; firing never exceeds baseline here
        y = 0.5 * (lo + hi)
        x = x0 * y / k_lc
        f_loop = fl + (1 - fl) * (x / (1 + x) / a0) ** (-g)
        above = y > f_loop
        hi = np.where(above, y, hi)
        lo = np.where(above, lo, y)
    f = 0.5 * (lo + hi)
    x = x0 * f / k_lc
    post = f / k_t
    basis = [
        "LC loop: N_LC = F/k_LC(u), N_post = F/k_target(u), k_X(u) = (1-phi_X)(1-u) + phi_X",
        "alpha2 occupancy a = x0 N_LC/(1 + x0 N_LC); firing F = F_min + (1-F_min)(a/a0)^-G",
        "activation index = max(0, N_post - 1) (HYPOTHESIS: activating side effects track "
        "postsynaptic NE above baseline)",
        *(f"{k} = {getattr(p, k)!r}: {v}" for k, v in LC_PARAMETER_NOTES.items()),
    ]
    return LocusCoeruleusResponse(
        net_occupancy=u,
        firing=f,
        lc_noradrenaline=f / k_lc,
        alpha2_occupancy=x / (1 + x),
        postsynaptic_noradrenaline=post,
        activation_index=np.maximum(post - 1.0, 0.0),
        basis=basis,
    )
