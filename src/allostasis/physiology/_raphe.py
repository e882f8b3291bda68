"""The raphe serotonin loop: SERT blockade, somatodendritic 5-HT1A autoreceptors and their slow desensitisation.

Dorsal raphe 5-HT neurons release serotonin around their own cell bodies and in their forebrain
targets. Blocking SERT raises extracellular 5-HT in both places; around the soma it activates
5-HT1A autoreceptors, which suppress firing, so release falls (Blier & de Montigny 1994). With
sustained activation the autoreceptors desensitise over 1-3 weeks (Le Poul et al. 1995; Czachura &
Rasmussen 2000), firing recovers, and with SERT still blocked in the targets postsynaptic 5-HT
signalling rises well above its acute level (Rutter et al. 1994; Hervas et al. 2001). A slow
plasticity variable (BDNF; Nibuya et al. 1995) follows sustained signalling.

Model (per subject; quantities relative to the drug-free baseline, time in hours):

.. math::

    k_X(u) = (1 - \\varphi_X)(1 - u) + \\varphi_X, \\qquad
    S = F / k_{soma}(u), \\qquad P = F / k_{target}(u)

    x = x_0 S, \\quad s = r\\,\\frac{\\tau_A x + \\tau_B x_B}{1 + x + x_B}, \\quad E = \\frac{s}{1+s},
    \\qquad F = \\frac{1 + g}{1 + g\\,(E/E_0)^h}

    \\frac{d\\ln r}{dt} = -\\frac{E - E_0}{E_0\\,\\tau_{des}}, \\qquad
    \\frac{dB}{dt} = \\frac{(P - 1) - B}{\\tau_{BDNF}}

:math:`u` is SERT occupancy (from the PK and receptor layers), :math:`\\varphi_X` the share of 5-HT
clearance not carried by SERT in region X, :math:`S` and :math:`P` extracellular 5-HT at the raphe
and in the targets (release proportional to firing :math:`F`, removal proportional to
:math:`k_X`), :math:`E` the autoreceptor activation by the operational model (Black & Leff 1983)
with 5-HT (:math:`x = [5HT]/K_A`, efficacy :math:`\\tau_A`) and an optional 5-HT1A agonist drug
(:math:`x_B = f_u C / K_B`, :math:`\\tau_B`), :math:`r` the functional autoreceptor density (scales
both taus, as receptor number does in the operational model), :math:`B` the plasticity variable.
Firing and extracellular 5-HT equilibrate within minutes, so at each step :math:`F` is solved from
the algebraic loop (bisection; the loop is monotone, so the root is unique); :math:`r` and
:math:`B` are integrated with exponential Euler steps. Postsynaptic 5-HT1A receptors do not
desensitise with SSRIs (Blier & de Montigny 1994), so :math:`P` is the postsynaptic signal.

Every constant below is a **modelling assumption** unless its comment cites a measurement; the
firing gain and the desensitisation time constant are calibrated to the published rat time course
(firing markedly reduced at 2 days, partial recovery at 7 days, back to baseline by 14-21 days;
Blier & de Montigny 1987; Czachura & Rasmussen 2000) and the plasticity time constant to the
absence of a BDNF rise after acute but its presence after 21-day treatment (Nibuya et al. 1995).

References
----------
1. Blier P, de Montigny C (1994). Current advances and trends in the treatment of depression.
   Trends Pharmacol Sci 15(7):220-226. doi:10.1016/0165-6147(94)90315-8
2. Blier P, de Montigny C (1987). Modification of 5-HT neuron properties by sustained
   administration of the 5-HT1A agonist gepirone. Synapse 1(5):470-480.
3. Le Poul E, Laaris N, Doucet E, Laporte AM, Hamon M, Lanfumey L (1995). Early desensitization of
   somato-dendritic 5-HT1A autoreceptors in rats treated with fluoxetine or paroxetine.
   Naunyn Schmiedebergs Arch Pharmacol 352(2):141-148. PMID 7477436
4. Czachura JF, Rasmussen K (2000). Effects of acute and chronic administration of fluoxetine on
   the activity of serotonergic neurons in the dorsal raphe nucleus of the rat.
   Naunyn Schmiedebergs Arch Pharmacol 362(3):266-275.
5. Bel N, Artigas F (1992). Fluvoxamine preferentially increases extracellular
   5-hydroxytryptamine in the raphe nuclei. Eur J Pharmacol 229(1):101-103.
   doi:10.1016/0014-2999(92)90292-C
6. Hervas I, Vilaro MT, Romero L, Scorza MC, Mengod G, Artigas F (2001). Desensitization of 5-HT1A
   autoreceptors by a low chronic fluoxetine dose. Neuropsychopharmacology 24(1):11-20.
7. Nibuya M, Morinobu S, Duman RS (1995). Regulation of BDNF and trkB mRNA in rat brain by chronic
   electroconvulsive seizure and antidepressant drug treatments. J Neurosci 15(11):7539-7547.
8. Black JW, Leff P (1983). Proc R Soc Lond B 220:141-162. doi:10.1098/rspb.1983.0093
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, ClassVar, Final

import numpy as np
import pandas as pd

from allostasis.errors import InvalidValueError
from allostasis.receptor import SEROTONIN_5HT1A_KA_NM, SEROTONIN_5HT1A_TAU

__all__ = [
    "RAPHE_PARAMETER_NOTES",
    "RapheParameters",
    "RapheResult",
    "RapheSummary",
    "raphe_loop",
]

FloatArray = np.ndarray

#: Where each default of :class:`RapheParameters` comes from (shown in every result's basis).
RAPHE_PARAMETER_NOTES: Final[dict[str, str]] = {
    "basal_5ht_nm": "1 nM extracellular 5-HT at the raphe: MODELLING ASSUMPTION (low nanomolar "
    "microdialysis levels); chosen below buspirone's crossover tone (1.67 nM), as the seed states "
    "ambient serotonin at the autoreceptor is low",
    "ka_5ht_nm": "serotonin K_A at 5-HT1A, 10 nM: modelling assumption shared with "
    "receptor.SEROTONIN_5HT1A_KA_NM",
    "tau_5ht": "serotonin operational efficacy 3: modelling assumption shared with "
    "receptor.SEROTONIN_5HT1A_TAU",
    "non_sert_clearance_raphe": "0.10 of raphe 5-HT clearance not by SERT: MODELLING ASSUMPTION; "
    "SSRIs raise 5-HT far more in the raphe than in forebrain (Bel & Artigas 1992)",
    "non_sert_clearance_target": "0.25 of forebrain 5-HT clearance not by SERT: MODELLING "
    "ASSUMPTION, set so the chronic rise in forebrain 5-HT is about 2.7-fold (fluoxetine 2 weeks: "
    "275% of control in frontal cortex, Hervas 2001) and about twice the acute rise (Rutter 1994)",
    "firing_gain": "g = 4, firing F = (1+g)/(1+g (E/E0)^h): CALIBRATED so an SSRI at 80-85% SERT "
    "occupancy lowers firing by about 40-50% in the first days (Blier & de Montigny 1994; "
    "Czachura & Rasmussen 2000)",
    "firing_hill": "h = 2: modelling assumption (steep inhibition of firing by 5-HT1A-activated "
    "GIRK current)",
    "desensitisation_days": "tau_des = 5 days: CALIBRATED to firing markedly reduced at 2 days, "
    "partial recovery at 7 days, baseline by 14-21 days (Blier & de Montigny 1987; Czachura & "
    "Rasmussen 2000); desensitisation detectable from day 3 (Le Poul 1995)",
    "plasticity_days": "tau_BDNF = 14 days: CALIBRATED to hippocampal BDNF mRNA unchanged after "
    "acute but raised after 21-day antidepressant treatment (Nibuya 1995); the link from BDNF to "
    "anxiolysis is a HYPOTHESIS (neuroplasticity hypothesis, seed text 002)",
}


@dataclass(frozen=True)
class RapheParameters:
    """Parameters of the raphe loop (defaults and their basis in :data:`RAPHE_PARAMETER_NOTES`)."""

    basal_5ht_nm: float = 1.0
    ka_5ht_nm: float = SEROTONIN_5HT1A_KA_NM
    tau_5ht: float = SEROTONIN_5HT1A_TAU
    non_sert_clearance_raphe: float = 0.10
    non_sert_clearance_target: float = 0.25
    firing_gain: float = 4.0
    firing_hill: float = 2.0
    desensitisation_days: float = 5.0
    plasticity_days: float = 14.0

    def check(self) -> None:
        """Raise :class:`InvalidValueError` naming every parameter out of range."""
        bad = []
        for name in ("basal_5ht_nm", "ka_5ht_nm", "tau_5ht", "firing_gain", "firing_hill"):
            if not getattr(self, name) > 0:
                bad.append(f"{name} must be > 0 (got {getattr(self, name)!r})")
        for name in ("desensitisation_days", "plasticity_days"):
            if not getattr(self, name) > 0:
                bad.append(f"{name} must be > 0 days (got {getattr(self, name)!r})")
        for name in ("non_sert_clearance_raphe", "non_sert_clearance_target"):
            if not 0 < getattr(self, name) <= 1:
                bad.append(f"{name} must be in (0, 1] (got {getattr(self, name)!r})")
        if bad:
            raise InvalidValueError("RapheParameters: " + "; ".join(bad))

    @property
    def basal_activation(self) -> float:
        """Autoreceptor activation E0 at baseline (fraction of the system maximum)."""
        x0 = self.basal_5ht_nm / self.ka_5ht_nm
        s0 = self.tau_5ht * x0 / (1 + x0)
        return s0 / (1 + s0)


@dataclass(frozen=True)
class RapheSummary:
    """Landmarks of one subject's raphe time course (days from the first dose)."""

    firing_nadir: float
    """Lowest firing (1 = baseline) in the first 14 days."""
    nadir_day: float
    early_dip: float
    """1 - firing_nadir: depth of the early autoreceptor brake."""
    firing_recovery_day: float | None
    """First day after the nadir with firing back to >= 90% of baseline (None if not reached)."""
    postsynaptic_acute: float
    """Postsynaptic 5-HT signal (1 = baseline) on day 2."""
    postsynaptic_final: float
    """Postsynaptic signal on the last simulated day (daily mean)."""
    postsynaptic_half_rise_day: float | None
    """First day the signal has covered half of the climb from its day-2 level to its final level."""
    benefit_half_day: float | None
    """First day the plasticity variable reaches half of its final target (P_final - 1)."""
    basis: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dictionary."""
        return asdict(self)


@dataclass(frozen=True)
class RapheResult:
    """Time course of the raphe loop for a set of subjects (arrays ``(n_subjects, n_times)``)."""

    times_h: FloatArray
    subject_id: FloatArray
    sert_occupancy: FloatArray
    agonist_occupancy: FloatArray
    raphe_5ht: FloatArray
    autoreceptor_activation: FloatArray
    autoreceptor_density: FloatArray
    firing: FloatArray
    postsynaptic: FloatArray
    plasticity: FloatArray
    params: RapheParameters
    basis: list[str] = field(default_factory=list)

    _OUTPUTS: ClassVar[tuple[str, ...]] = (
        "sert_occupancy",
        "agonist_occupancy",
        "raphe_5ht",
        "autoreceptor_activation",
        "autoreceptor_density",
        "firing",
        "postsynaptic",
        "plasticity",
    )

    def __repr__(self) -> str:
        n, t = self.firing.shape
        return (
            f"<RapheResult: {n} subject(s), {t} time(s) 0-{self.times_h[-1] / 24:g} days, "
            f"outputs {list(self._OUTPUTS)}>"
        )

    def to_dataframe(self) -> pd.DataFrame:
        """Tidy table: one row per subject x time, columns ``subject_id, time, day`` and outputs.

        ``attrs["units"]`` gives units (time h; everything else relative to baseline or a
        fraction); ``attrs["basis"]`` the model basis.
        """
        n, t = self.firing.shape
        df = pd.DataFrame(
            {
                "subject_id": np.repeat(self.subject_id.astype(np.int64), t),
                "time": np.tile(self.times_h, n),
                "day": np.tile(self.times_h / 24.0, n),
            }
        )
        for name in self._OUTPUTS:
            df[name] = np.asarray(getattr(self, name)).reshape(-1)
        df.attrs["units"] = {
            "time": "h",
            "day": "day",
            "sert_occupancy": "1",
            "agonist_occupancy": "1",
            "raphe_5ht": "relative to baseline",
            "autoreceptor_activation": "fraction of system maximum",
            "autoreceptor_density": "relative to baseline",
            "firing": "relative to baseline",
            "postsynaptic": "relative to baseline",
            "plasticity": "relative units (0 = baseline)",
        }
        df.attrs["basis"] = list(self.basis)
        return df

    def summary(self, subject: int = 0) -> RapheSummary:
        """Landmarks (nadir, recovery, postsynaptic rise, benefit) of subject row ``subject``."""
        if not 0 <= subject < self.firing.shape[0]:
            raise InvalidValueError(
                f"subject: row index must be in 0..{self.firing.shape[0] - 1}; got {subject}"
            )
        day = self.times_h / 24.0
        f = self.firing[subject]
        early = day <= 14.0
        i_min = int(np.argmin(np.where(early, f, np.inf)))
        after = np.nonzero((day > day[i_min]) & (f >= 0.9))[0]
        recovery = float(day[after[0]]) if after.size else None
        p = self.postsynaptic[subject]
        last = day >= day[-1] - 1.0
        p_final = float(p[last].mean())
        p_acute = float(np.interp(2.0, day, p))
        half = p_acute + 0.5 * (p_final - p_acute)
        rise = np.nonzero((day >= 2.0) & (p >= half))[0]
        half_day = float(day[rise[0]]) if rise.size and p_final > p_acute else None
        b = self.plasticity[subject]
        target = p_final - 1.0
        reach = np.nonzero(b >= 0.5 * target)[0] if target > 0 else np.array([], dtype=int)
        benefit = float(day[reach[0]]) if reach.size else None
        return RapheSummary(
            firing_nadir=float(f[i_min]),
            nadir_day=float(day[i_min]),
            early_dip=float(1.0 - f[i_min]),
            firing_recovery_day=recovery,
            postsynaptic_acute=p_acute,
            postsynaptic_final=p_final,
            postsynaptic_half_rise_day=half_day,
            benefit_half_day=benefit,
            basis=list(self.basis),
        )


def _as_2d(a: Any, name: str, shape: tuple[int, int] | None = None) -> FloatArray:
    out = np.atleast_2d(np.asarray(a, dtype=float))
    if shape is not None and out.shape != shape:
        raise InvalidValueError(
            f"{name}: shape must be (n_subjects, n_times) = {shape}; got {out.shape}"
        )
    if not np.all(np.isfinite(out)) or np.any(out < 0):
        raise InvalidValueError(f"{name}: must be finite and >= 0")
    return out


def raphe_loop(
    sert_occupancy: Any,
    times_h: Any,
    *,
    agonist_odds: Any = None,
    agonist_efficacy_tau: float = 0.0,
    params: RapheParameters | None = None,
    subject_id: Any = None,
    basis: list[str] | None = None,
) -> RapheResult:
    """Run the raphe loop on given SERT occupancy (and 5-HT1A agonist) time courses.

    .. math::

        F = \\frac{1+g}{1 + g (E/E_0)^h}, \\quad
        E = \\frac{s}{1+s}, \\quad s = r \\frac{\\tau_A x_0 F / k_{soma}(u) + \\tau_B x_B}{1 + x_0 F/k_{soma}(u) + x_B},
        \\quad \\frac{d \\ln r}{dt} = -\\frac{E - E_0}{E_0 \\tau_{des}}

    Parameters
    ----------
    sert_occupancy : array_like, shape (n_subjects, n_times) or (n_times,)
        Fraction of SERT occupied, in [0, 1].
    times_h : array_like, shape (n_times,)
        Increasing times in hours, starting at the first dose (the loop starts at baseline).
    agonist_odds : array_like, optional
        :math:`x_B = f_u C / K_B` of a 5-HT1A agonist (e.g. buspirone), same shape; default 0.
    agonist_efficacy_tau : float
        Operational tau of that agonist at the baseline receptor density (>= 0); see
        :func:`allostasis.receptor.tau_from_efficacy`.
    params : RapheParameters, optional
    subject_id : array_like, optional
        Ids of the rows (default 1..n).
    basis : list of str, optional
        Lines prepended to the result's basis (e.g. the PK and occupancy basis).

    Returns
    -------
    RapheResult
        Arrays ``(n_subjects, n_times)``.

    Raises
    ------
    InvalidValueError
        Occupancy outside [0, 1], non-increasing times, shape mismatch, bad parameters.

    Examples
    --------
    Constant 80% SERT occupancy for 6 weeks: firing falls, then recovers as the autoreceptors
    desensitise, and the postsynaptic signal climbs.

    >>> import numpy as np
    >>> t = np.arange(0, 42 * 24 + 1, 1.0)
    >>> res = raphe_loop(np.full(t.size, 0.8), t)
    >>> s = res.summary()
    >>> round(s.firing_nadir, 2), round(s.postsynaptic_final, 2)
    (0.51, 2.45)
    >>> raphe_loop(np.full(3, 1.2), np.arange(3.0))
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: sert_occupancy: fractions must lie in [0, 1]
    """
    p = params or RapheParameters()
    p.check()
    t = np.asarray(times_h, dtype=float).ravel()
    if t.size < 2 or not np.all(np.diff(t) > 0) or t[0] < 0:
        raise InvalidValueError("times_h: need >= 2 increasing times >= 0 h")
    u = _as_2d(sert_occupancy, "sert_occupancy")
    if u.shape[1] != t.size:
        raise InvalidValueError(f"sert_occupancy: {u.shape[1]} time columns for {t.size} times")
    if np.any(u > 1):
        raise InvalidValueError("sert_occupancy: fractions must lie in [0, 1]")
    n = u.shape[0]
    xb = (
        np.zeros_like(u)
        if agonist_odds is None
        else _as_2d(agonist_odds, "agonist_odds", shape=u.shape)
    )
    tau_b = float(agonist_efficacy_tau)
    if not (np.isfinite(tau_b) and tau_b >= 0):
        raise InvalidValueError(f"agonist_efficacy_tau: must be >= 0; got {agonist_efficacy_tau!r}")
    x0 = p.basal_5ht_nm / p.ka_5ht_nm
    e0 = p.basal_activation
    g, h, ta = p.firing_gain, p.firing_hill, p.tau_5ht
    tau_des = p.desensitisation_days * 24.0
    tau_bdnf = p.plasticity_days * 24.0
    shape = u.shape
    out = {k: np.empty(shape) for k in ("s", "e", "r", "f", "p", "b")}
    r = np.ones(n)
    b = np.zeros(n)
    dts = np.diff(t, append=t[-1])
    for i in range(t.size):
        ui, xbi = u[:, i], xb[:, i]
        k_soma = (1 - p.non_sert_clearance_raphe) * (1 - ui) + p.non_sert_clearance_raphe
        k_target = (1 - p.non_sert_clearance_target) * (1 - ui) + p.non_sert_clearance_target
        lo = np.zeros(n)
        hi = np.full(n, 1.0 + g)
        for _ in range(36):  # bisection on F: F - F_loop(F) is increasing in F
            y = 0.5 * (lo + hi)
            x = x0 * y / k_soma
            s = r * (ta * x + tau_b * xbi) / (1 + x + xbi)
            f_loop = (1 + g) / (1 + g * (s / (1 + s) / e0) ** h)
            above = y > f_loop
            hi = np.where(above, y, hi)
            lo = np.where(above, lo, y)
        y = 0.5 * (lo + hi)
        x = x0 * y / k_soma
        s = r * (ta * x + tau_b * xbi) / (1 + x + xbi)
        e = s / (1 + s)
        post = y / k_target
        out["s"][:, i] = y / k_soma
        out["e"][:, i] = e
        out["r"][:, i] = r
        out["f"][:, i] = y
        out["p"][:, i] = post
        out["b"][:, i] = b
        dt = dts[i]
        r = r * np.exp(-dt * (e - e0) / (e0 * tau_des))
        decay = np.exp(-dt / tau_bdnf)
        b = (post - 1.0) + (b - (post - 1.0)) * decay
    ids = np.arange(1, n + 1) if subject_id is None else np.asarray(subject_id).ravel()
    model_basis = [
        "raphe loop: S = F/k_soma(u), P = F/k_target(u), k_X(u) = (1-phi_X)(1-u) + phi_X",
        "5-HT1A autoreceptor activation E = s/(1+s), s = r (tau_A x + tau_B x_B)/(1 + x + x_B) "
        "(operational model, Black & Leff 1983); firing F = (1+g)/(1+g (E/E0)^h)",
        "desensitisation d ln r/dt = -(E - E0)/(E0 tau_des); plasticity dB/dt = ((P-1) - B)/tau_BDNF",
        "postsynaptic 5-HT1A receptors do not desensitise (Blier & de Montigny 1994)",
        *(f"{k} = {getattr(p, k)!r}: {v}" for k, v in RAPHE_PARAMETER_NOTES.items()),
        f"baseline autoreceptor activation E0 = {e0:.4f}",
    ]
    occ_b = xb / (1 + xb)
    return RapheResult(
        times_h=t,
        subject_id=ids,
        sert_occupancy=u,
        agonist_occupancy=occ_b,
        raphe_5ht=out["s"],
        autoreceptor_activation=out["e"],
        autoreceptor_density=out["r"],
        firing=out["f"],
        postsynaptic=out["p"],
        plasticity=out["b"],
        params=p,
        basis=[*(basis or []), *model_basis],
    )
