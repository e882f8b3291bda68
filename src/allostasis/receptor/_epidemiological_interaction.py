"""Epidemiological interaction of two exposures: RERI, attributable proportion, synergy index.

With :math:`RR_{ab}` the risk (or odds) ratio of exposure to A (a = 1) and B (b = 1) against the
doubly unexposed, interaction on the additive scale is measured by (Rothman; Knol & VanderWeele
2012)

.. math::

    RERI = RR_{11} - RR_{10} - RR_{01} + 1, \\qquad AP = \\frac{RERI}{RR_{11}}, \\qquad
    S = \\frac{RR_{11} - 1}{(RR_{10} - 1) + (RR_{01} - 1)}

and on the multiplicative scale by :math:`RR_{11} / (RR_{10} RR_{01})`. No interaction is
RERI = AP = 0 and S = 1 (additive) or a ratio of 1 (multiplicative). The seed's opioid plus
benzodiazepine overdose example, :math:`RR_{10} = 3, RR_{01} = 2, RR_{11} = 8`, gives RERI 4,
AP 0.50 and S 2.33: the joint risk exceeds the sum of the separate excess risks.

Confidence intervals: the delta method on the log ratios (Hosmer & Lemeshow 1992), from reported
ratios with their CIs, or from 2x2x2 counts (where the covariance from the shared reference group
is known), and the percentile bootstrap from counts (Assmann et al. 1996).
"""

from __future__ import annotations

from typing import Any, Final, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict
from scipy import stats

from allostasis.errors import InvalidValueError

__all__ = [
    "ConfidenceInterval",
    "InteractionMeasure",
    "InteractionResult",
    "attributable_proportion",
    "interaction_from_counts",
    "interaction_from_ratios",
    "multiplicative_interaction",
    "reri",
    "synergy_index",
]

_REFERENCES: Final[dict[str, str]] = {
    "knol2012": "Knol MJ, VanderWeele TJ (2012) Recommendations for presenting analyses of effect "
    "modification and interaction. Int J Epidemiol 41:514-520, doi:10.1093/ije/dyr218",
    "hosmer1992": "Hosmer DW, Lemeshow S (1992) Confidence interval estimation of interaction. "
    "Epidemiology 3:452-456",
    "assmann1996": "Assmann SF, Hosmer DW, Lemeshow S, Mundt KA (1996) Confidence intervals for "
    "measures of interaction. Epidemiology 7:286-290 (as cited by Nie et al. 2010, Epidemiology "
    "21:552, doi:10.1097/EDE.0b013e3181e09b0b)",
    "knol2011": "Knol MJ, VanderWeele TJ, Groenwold RHH, et al. (2011) Estimating measures of "
    "interaction on an additive scale for preventive exposures. Eur J Epidemiol 26:433-438, "
    "doi:10.1007/s10654-011-9554-9",
}

#: Default number of bootstrap replicates for interaction_from_counts.
DEFAULT_BOOTSTRAP_REPLICATES: Final[int] = 2000

RatioKind = Literal["RR", "OR", "HR"]
Design = Literal["cohort", "case-control"]


# ---------------------------------------------------------------------------- formulas


def _ratio(value: Any, field: str) -> NDArray[np.float64]:
    """A relative risk / odds ratio as a float array, every element finite and > 0."""
    if isinstance(value, (bool, str)) or value is None:
        raise InvalidValueError(f"{field}: a ratio must be a number > 0; got {value!r}")
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InvalidValueError(f"{field}: a ratio must be a number > 0; got {value!r}") from None
    bad = ~np.isfinite(arr) | (arr <= 0)
    if np.any(bad):
        shown = ", ".join(f"{v:g}" for v in np.atleast_1d(arr)[np.atleast_1d(bad)][:5])
        raise InvalidValueError(
            f"{field}: a relative risk or odds ratio must be > 0 (1 = no effect); got {shown}"
        )
    return arr


def _out(arr: NDArray[np.float64]) -> Any:
    return float(arr) if arr.ndim == 0 else arr


def reri(rr10: Any, rr01: Any, rr11: Any) -> Any:
    """Relative excess risk due to interaction.

    .. math:: RERI = RR_{11} - RR_{10} - RR_{01} + 1

    Parameters
    ----------
    rr10, rr01, rr11 : float or array_like
        Ratios (RR, OR or HR) for A only, B only and both, against neither; > 0. Arrays broadcast.

    Returns
    -------
    float or numpy.ndarray
        RERI (0 = no additive interaction, > 0 supra-additive), broadcast shape.

    Raises
    ------
    InvalidValueError
        If a ratio is <= 0 or not finite.

    References
    ----------
    1. Knol MJ, VanderWeele TJ (2012) Int J Epidemiol 41:514-520. doi:10.1093/ije/dyr218.

    Examples
    --------
    >>> reri(3, 2, 8)
    4.0
    >>> reri(3, 2, 0)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: rr11: a relative risk or odds ratio must be > 0 (1 = no effect); got 0
    """
    a, b, ab = _ratio(rr10, "rr10"), _ratio(rr01, "rr01"), _ratio(rr11, "rr11")
    return _out(ab - a - b + 1.0)


def attributable_proportion(rr10: Any, rr01: Any, rr11: Any) -> Any:
    """Proportion of the joint-exposure risk attributable to interaction.

    .. math:: AP = \\frac{RR_{11} - RR_{10} - RR_{01} + 1}{RR_{11}}

    Parameters
    ----------
    rr10, rr01, rr11 : float or array_like
        Ratios for A only, B only and both, against neither; > 0.

    Returns
    -------
    float or numpy.ndarray
        AP (0 = no additive interaction), broadcast shape.

    Raises
    ------
    InvalidValueError
        If a ratio is <= 0.

    References
    ----------
    1. Knol MJ, VanderWeele TJ (2012) Int J Epidemiol 41:514-520. doi:10.1093/ije/dyr218.

    Examples
    --------
    >>> attributable_proportion(3, 2, 8)
    0.5
    """
    a, b, ab = _ratio(rr10, "rr10"), _ratio(rr01, "rr01"), _ratio(rr11, "rr11")
    return _out((ab - a - b + 1.0) / ab)


def synergy_index(rr10: Any, rr01: Any, rr11: Any) -> Any:
    """Rothman's synergy index.

    .. math:: S = \\frac{RR_{11} - 1}{(RR_{10} - 1) + (RR_{01} - 1)}

    Parameters
    ----------
    rr10, rr01, rr11 : float or array_like
        Ratios for A only, B only and both, against neither; > 0.

    Returns
    -------
    float or numpy.ndarray
        S (1 = no additive interaction, > 1 supra-additive), broadcast shape.

    Raises
    ------
    InvalidValueError
        If a ratio is <= 0, or the denominator :math:`RR_{10} + RR_{01} - 2` is 0 (the separate
        excess risks cancel, so S is undefined; use RERI instead).

    Notes
    -----
    S misleads when an exposure is preventive (ratio < 1); recode so the doubly unexposed
    stratum has the lowest risk first (Knol et al. 2011).

    References
    ----------
    1. Knol MJ, VanderWeele TJ (2012) Int J Epidemiol 41:514-520. doi:10.1093/ije/dyr218.
    2. Knol MJ, VanderWeele TJ, Groenwold RHH, et al. (2011) Eur J Epidemiol 26:433-438.
       doi:10.1007/s10654-011-9554-9.

    Examples
    --------
    >>> round(synergy_index(3, 2, 8), 2)
    2.33
    >>> synergy_index(1.5, 0.5, 2.0)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: synergy index: undefined because (rr10 - 1) + (rr01 - 1) = 0 (rr10 = 1.5, rr01 = 0.5): the separate excess risks cancel; report RERI and AP instead
    """
    a, b, ab = _ratio(rr10, "rr10"), _ratio(rr01, "rr01"), _ratio(rr11, "rr11")
    a, b, ab = np.broadcast_arrays(a, b, ab)
    den = (a - 1.0) + (b - 1.0)
    zero = np.isclose(den, 0.0, rtol=0.0, atol=1e-12)
    if np.any(zero):
        i = np.flatnonzero(np.atleast_1d(zero))[0]
        raise InvalidValueError(
            _s_undefined_message(float(np.atleast_1d(a)[i]), float(np.atleast_1d(b)[i]))
        )
    return _out((ab - 1.0) / den)


def _s_undefined_message(rr10: float, rr01: float) -> str:
    return (
        "synergy index: undefined because (rr10 - 1) + (rr01 - 1) = 0 "
        f"(rr10 = {rr10:g}, rr01 = {rr01:g}): the separate excess risks cancel; "
        "report RERI and AP instead"
    )


def multiplicative_interaction(rr10: Any, rr01: Any, rr11: Any) -> Any:
    """Interaction on the multiplicative scale (ratio of ratios).

    .. math:: \\frac{RR_{11}}{RR_{10} \\, RR_{01}}

    Parameters
    ----------
    rr10, rr01, rr11 : float or array_like
        Ratios for A only, B only and both, against neither; > 0.

    Returns
    -------
    float or numpy.ndarray
        1 = no multiplicative interaction; broadcast shape.

    Raises
    ------
    InvalidValueError
        If a ratio is <= 0.

    References
    ----------
    1. Knol MJ, VanderWeele TJ (2012) Int J Epidemiol 41:514-520. doi:10.1093/ije/dyr218.

    Examples
    --------
    >>> round(multiplicative_interaction(3, 2, 8), 4)
    1.3333
    """
    a, b, ab = _ratio(rr10, "rr10"), _ratio(rr01, "rr01"), _ratio(rr11, "rr11")
    return _out(ab / (a * b))


# ---------------------------------------------------------------------------- results


class ConfidenceInterval(BaseModel):
    """One confidence interval and how it was obtained."""

    model_config = ConfigDict(frozen=True)

    method: str
    low: float
    high: float
    level: float


class InteractionMeasure(BaseModel):
    """One interaction measure: estimate, confidence intervals, and what it says."""

    model_config = ConfigDict(frozen=True)

    name: str
    scale: Literal["additive", "multiplicative"]
    estimate: float | None
    """``None`` where the measure is undefined (see ``note``)."""
    null_value: float
    """Value meaning no interaction (0 for RERI and AP, 1 for S and the ratio of ratios)."""
    intervals: list[ConfidenceInterval]
    interpretation: str
    note: str | None = None


class InteractionResult(BaseModel):
    """Additive and multiplicative interaction of two exposures, with CIs and their basis."""

    model_config = ConfigDict(frozen=True)

    ratio_kind: str
    """``"RR"``, ``"OR"`` or ``"HR"``: what the ratios are."""
    rr10: float
    rr01: float
    rr11: float
    reri: InteractionMeasure
    ap: InteractionMeasure
    synergy_index: InteractionMeasure
    multiplicative: InteractionMeasure
    confidence: float
    warnings: list[str]
    basis: list[str]

    @property
    def measures(self) -> list[InteractionMeasure]:
        """The four measures in presentation order."""
        return [self.reri, self.ap, self.synergy_index, self.multiplicative]


# ---------------------------------------------------------------------------- delta method


def _gradients(r10: float, r01: float, r11: float) -> dict[str, NDArray[np.float64] | None]:
    """Gradients of (RERI, AP, ln S, ln ratio) with respect to (ln RR10, ln RR01, ln RR11)."""
    den = r10 + r01 - 2.0
    s_ok = den != 0 and r11 != 1 and (r11 - 1.0) / den > 0
    return {
        "RERI": np.array([-r10, -r01, r11]),
        "AP": np.array([-r10 / r11, -r01 / r11, (r10 + r01 - 1.0) / r11]),
        "S": np.array([-r10 / den, -r01 / den, r11 / (r11 - 1.0)]) if s_ok else None,
        "multiplicative": np.array([-1.0, -1.0, 1.0]),
    }


def _delta_intervals(
    r10: float, r01: float, r11: float, cov: NDArray[np.float64], conf: float, label: str
) -> dict[str, ConfidenceInterval | None]:
    z = float(stats.norm.ppf(0.5 + conf / 2))
    grads = _gradients(r10, r01, r11)
    point = {
        "RERI": r11 - r10 - r01 + 1.0,
        "AP": (r11 - r10 - r01 + 1.0) / r11,
    }
    out: dict[str, ConfidenceInterval | None] = {}
    for name in ("RERI", "AP"):
        g = grads[name]
        assert g is not None
        se = float(np.sqrt(g @ cov @ g))
        out[name] = ConfidenceInterval(
            method=f"delta method ({label})",
            low=point[name] - z * se,
            high=point[name] + z * se,
            level=conf,
        )
    g_s = grads["S"]
    if g_s is None:
        out["S"] = None
    else:
        log_s = float(np.log((r11 - 1.0) / (r10 + r01 - 2.0)))
        se = float(np.sqrt(g_s @ cov @ g_s))
        out["S"] = ConfidenceInterval(
            method=f"delta method on ln S ({label})",
            low=float(np.exp(log_s - z * se)),
            high=float(np.exp(log_s + z * se)),
            level=conf,
        )
    g_m = grads["multiplicative"]
    assert g_m is not None
    log_m = float(np.log(r11 / (r10 * r01)))
    se = float(np.sqrt(g_m @ cov @ g_m))
    out["multiplicative"] = ConfidenceInterval(
        method=f"delta method on the log ratio ({label})",
        low=float(np.exp(log_m - z * se)),
        high=float(np.exp(log_m + z * se)),
        level=conf,
    )
    return out


def _interpret(
    name: str, estimate: float | None, null: float, ci: ConfidenceInterval | None
) -> str:
    if estimate is None:
        return "undefined"
    if name in ("RERI", "AP", "S"):
        up, down, none = (
            "positive additive interaction (supra-additive, synergy)",
            "negative additive interaction (sub-additive, antagonism)",
            "no additive interaction",
        )
    else:
        up, down, none = (
            "positive multiplicative interaction (more than multiplicative)",
            "negative multiplicative interaction (less than multiplicative)",
            "no multiplicative interaction",
        )
    direction = up if estimate > null else down if estimate < null else none
    if ci is None:
        return f"{direction} (point estimate; no confidence interval)"
    if ci.low > null or ci.high < null:
        return f"{direction}; the {ci.level:.0%} CI excludes {null:g}"
    return f"{direction} by the point estimate, but the {ci.level:.0%} CI includes {null:g}"


def _measures(
    r10: float,
    r01: float,
    r11: float,
    intervals: dict[str, list[ConfidenceInterval]],
    warnings: list[str],
) -> dict[str, InteractionMeasure]:
    den = r10 + r01 - 2.0
    s_note = None
    s_est: float | None
    if den == 0:
        s_est = None
        s_note = _s_undefined_message(r10, r01)
        warnings.append(s_note)
    else:
        s_est = (r11 - 1.0) / den
        if s_est <= 0:
            s_note = "S <= 0: the log-scale CI is undefined (an exposure is preventive or RR11 <= 1); recode (Knol et al. 2011)"
            warnings.append(s_note)
    est = {
        "RERI": r11 - r10 - r01 + 1.0,
        "AP": (r11 - r10 - r01 + 1.0) / r11,
        "S": s_est,
        "multiplicative": r11 / (r10 * r01),
    }
    null = {"RERI": 0.0, "AP": 0.0, "S": 1.0, "multiplicative": 1.0}
    titles = {
        "RERI": "relative excess risk due to interaction (RERI)",
        "AP": "attributable proportion due to interaction (AP)",
        "S": "synergy index (S)",
        "multiplicative": "multiplicative interaction (RR11 / (RR10 RR01))",
    }
    out = {}
    for key in ("RERI", "AP", "S", "multiplicative"):
        ivs = intervals.get(key, [])
        out[key] = InteractionMeasure(
            name=titles[key],
            scale="multiplicative" if key == "multiplicative" else "additive",
            estimate=est[key],
            null_value=null[key],
            intervals=ivs,
            interpretation=_interpret(key, est[key], null[key], ivs[0] if ivs else None),
            note=s_note if key == "S" else None,
        )
    return out


def _preventive_warning(r10: float, r01: float, r11: float, warnings: list[str]) -> None:
    if min(r10, r01, r11) < 1:
        warnings.append(
            "a ratio is < 1 (a preventive exposure or a non-lowest-risk reference): RERI, AP and S "
            "can disagree; recode so that the doubly unexposed stratum has the lowest risk "
            "(Knol et al. 2011)"
        )


def _confidence(value: float, field: str) -> float:
    v = float(value)
    if not 0 < v < 1:
        raise InvalidValueError(f"{field}: must be in (0, 1), e.g. 0.95; got {value}")
    return v


def _log_se_from_ci(estimate: float, ci: Any, field: str, level: float) -> float:
    try:
        low, high = (float(v) for v in ci)
    except (TypeError, ValueError):
        raise InvalidValueError(
            f"{field}: expected a (lower, upper) pair of confidence limits; got {ci!r}"
        ) from None
    if not (np.isfinite(low) and np.isfinite(high) and 0 < low < high):
        raise InvalidValueError(
            f"{field}: confidence limits must satisfy 0 < lower < upper; got ({low:g}, {high:g})"
        )
    if not low <= estimate <= high:
        raise InvalidValueError(
            f"{field}: the estimate {estimate:g} lies outside its confidence interval ({low:g}, {high:g})"
        )
    z = float(stats.norm.ppf(0.5 + level / 2))
    return float((np.log(high) - np.log(low)) / (2.0 * z))


def interaction_from_ratios(
    rr10: float,
    rr01: float,
    rr11: float,
    *,
    ci10: tuple[float, float] | None = None,
    ci01: tuple[float, float] | None = None,
    ci11: tuple[float, float] | None = None,
    cov: Any = None,
    ci_level: float = 0.95,
    confidence: float = 0.95,
    ratio_kind: RatioKind = "RR",
) -> InteractionResult:
    """Additive and multiplicative interaction from three ratio estimates, with delta-method CIs.

    .. math::

        RERI = RR_{11} - RR_{10} - RR_{01} + 1, \\quad AP = RERI / RR_{11}, \\quad
        S = \\frac{RR_{11} - 1}{RR_{10} + RR_{01} - 2}, \\quad M = \\frac{RR_{11}}{RR_{10} RR_{01}}

        \\operatorname{Var} f(\\hat\\beta) \\approx \\nabla f^T \\Sigma \\nabla f, \\qquad
        \\beta = (\\ln RR_{10}, \\ln RR_{01}, \\ln RR_{11}), \\qquad
        SE(\\ln RR) = \\frac{\\ln U - \\ln L}{2 z_{1 - (1 - c)/2}}

    S and M get their intervals on the log scale (Hosmer & Lemeshow 1992).

    Parameters
    ----------
    rr10, rr01, rr11 : float
        Ratios for A only, B only and both A and B, each against the doubly unexposed; > 0.
    ci10, ci01, ci11 : (float, float), optional
        Their confidence limits at level ``ci_level``. Give all three (or ``cov``) for CIs.
    cov : array_like, shape (3, 3), optional
        Covariance of :math:`(\\ln RR_{10}, \\ln RR_{01}, \\ln RR_{11})`, e.g. from the regression
        that produced them. Without it, the three log ratios are assumed independent, which is
        wrong when they share a reference group; the result's basis says which was used.
    ci_level : float, default 0.95
        Level of the input CIs, in (0, 1).
    confidence : float, default 0.95
        Level of the output CIs, in (0, 1).
    ratio_kind : {"RR", "OR", "HR"}
        What the ratios are (label only; ORs approximate RRs only for rare outcomes).

    Returns
    -------
    InteractionResult
        ``reri``, ``ap``, ``synergy_index``, ``multiplicative``, each an
        :class:`InteractionMeasure` with its estimate, CIs, interpretation; ``warnings``; ``basis``.

    Raises
    ------
    InvalidValueError
        If a ratio is <= 0, a CI is malformed or does not contain its estimate, only some CIs are
        given, both CIs and ``cov`` are given, or ``cov`` is not a 3 x 3 positive semi-definite
        matrix. An undefined S (denominator 0) is not an error here: S is reported as ``None``
        with the reason in ``note`` and ``warnings``; :func:`synergy_index` raises instead.

    References
    ----------
    1. Knol MJ, VanderWeele TJ (2012) Recommendations for presenting analyses of effect
       modification and interaction. Int J Epidemiol 41:514-520. doi:10.1093/ije/dyr218.
    2. Hosmer DW, Lemeshow S (1992) Confidence interval estimation of interaction.
       Epidemiology 3:452-456.
    3. Knol MJ, VanderWeele TJ, Groenwold RHH, et al. (2011) Estimating measures of interaction
       on an additive scale for preventive exposures. Eur J Epidemiol 26:433-438.
       doi:10.1007/s10654-011-9554-9.

    Examples
    --------
    The seed's opioid (RR 3), benzodiazepine (RR 2) and both (RR 8):

    >>> r = interaction_from_ratios(3, 2, 8)
    >>> r.reri.estimate, r.ap.estimate, round(r.synergy_index.estimate, 2)
    (4.0, 0.5, 2.33)
    >>> r = interaction_from_ratios(3, 2, 8, ci10=(2, 4.5), ci01=(1.5, 2.67), ci11=(5, 12.8))
    >>> [round(v, 2) for v in (r.reri.intervals[0].low, r.reri.intervals[0].high)]
    [0.01, 7.99]
    >>> r.reri.interpretation
    'positive additive interaction (supra-additive, synergy); the 95% CI excludes 0'
    >>> interaction_from_ratios(3, -2, 8)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: rr01: a relative risk or odds ratio must be > 0 (1 = no effect); got -2
    """
    r10 = float(_ratio(rr10, "rr10"))
    r01 = float(_ratio(rr01, "rr01"))
    r11 = float(_ratio(rr11, "rr11"))
    conf = _confidence(confidence, "confidence")
    lvl = _confidence(ci_level, "ci_level")
    if ratio_kind not in ("RR", "OR", "HR"):
        raise InvalidValueError(f"ratio_kind: must be 'RR', 'OR' or 'HR'; got {ratio_kind!r}")
    cis = {"ci10": ci10, "ci01": ci01, "ci11": ci11}
    given = [k for k, v in cis.items() if v is not None]
    warnings: list[str] = []
    _preventive_warning(r10, r01, r11, warnings)
    basis = [
        f"{ratio_kind}10 = {r10:g}, {ratio_kind}01 = {r01:g}, {ratio_kind}11 = {r11:g} "
        "(A only, B only, both; reference: neither)",
        "RERI = RR11 - RR10 - RR01 + 1; AP = RERI/RR11; S = (RR11 - 1)/((RR10 - 1) + (RR01 - 1)); "
        "multiplicative = RR11/(RR10 RR01)",
    ]
    if ratio_kind == "OR":
        basis.append("odds ratios used in place of risk ratios: valid for a rare outcome")
    if given and len(given) < 3:
        missing = ", ".join(k for k in cis if cis[k] is None)
        raise InvalidValueError(
            f"{missing}: give confidence limits for all three ratios (or none, or cov); got only {', '.join(given)}"
        )
    if given and cov is not None:
        raise InvalidValueError(
            "cov: give either the three confidence intervals (independence assumed) or the covariance "
            "matrix of the log ratios, not both"
        )
    sigma: NDArray[np.float64] | None = None
    label = ""
    if cov is not None:
        sigma = np.asarray(cov, dtype=float)
        if sigma.shape != (3, 3) or not np.all(np.isfinite(sigma)):
            raise InvalidValueError(
                f"cov: must be a finite 3 x 3 covariance of (ln rr10, ln rr01, ln rr11); got shape {sigma.shape}"
            )
        if not np.allclose(sigma, sigma.T) or np.min(np.linalg.eigvalsh(sigma)) < -1e-12:
            raise InvalidValueError("cov: must be symmetric and positive semi-definite")
        label = "covariance of the log ratios as given"
        basis.append("delta method with the given covariance of (ln RR10, ln RR01, ln RR11)")
    elif given:
        assert ci10 is not None
        assert ci01 is not None
        assert ci11 is not None
        se = [
            _log_se_from_ci(r10, ci10, "ci10", lvl),
            _log_se_from_ci(r01, ci01, "ci01", lvl),
            _log_se_from_ci(r11, ci11, "ci11", lvl),
        ]
        sigma = np.diag(np.square(se))
        label = "log ratios assumed independent"
        basis.append(
            f"SE(ln RR) = (ln U - ln L)/(2 z) from the {lvl:.0%} CIs: "
            + ", ".join(f"{k} {v:.4g}" for k, v in zip(("RR10", "RR01", "RR11"), se, strict=True))
        )
        basis.append(
            "ASSUMPTION: the three log ratios are treated as independent (zero covariance) because "
            "no covariance was given; estimates that share a reference group or come from one "
            "model are correlated, so pass cov= for exact delta-method intervals"
        )
    intervals: dict[str, list[ConfidenceInterval]] = {}
    if sigma is not None:
        delta = _delta_intervals(r10, r01, r11, sigma, conf, label)
        intervals = {k: [v] for k, v in delta.items() if v is not None}
        basis.append(
            f"{conf:.0%} CIs by the delta method (Hosmer & Lemeshow 1992); S and the ratio on the log scale"
        )
    else:
        basis.append("no confidence limits given: point estimates only")
    basis += [_REFERENCES["knol2012"], _REFERENCES["hosmer1992"]]
    return _assemble(ratio_kind, r10, r01, r11, intervals, warnings, conf, basis)


def _assemble(
    kind: str,
    r10: float,
    r01: float,
    r11: float,
    intervals: dict[str, list[ConfidenceInterval]],
    warnings: list[str],
    conf: float,
    basis: list[str],
) -> InteractionResult:
    """The result object, shared by the ratio-based and count-based entry points."""
    m = _measures(r10, r01, r11, intervals, warnings)
    return InteractionResult(
        ratio_kind=kind,
        rr10=r10,
        rr01=r01,
        rr11=r11,
        reri=m["RERI"],
        ap=m["AP"],
        synergy_index=m["S"],
        multiplicative=m["multiplicative"],
        confidence=conf,
        warnings=warnings,
        basis=basis,
    )


# ---------------------------------------------------------------------------- counts


def _counts(value: Any, field: str) -> NDArray[np.float64]:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise InvalidValueError(
            f"{field}: expected a 2 x 2 table of counts; got {value!r}"
        ) from None
    if arr.shape != (2, 2):
        raise InvalidValueError(
            f"{field}: expected a 2 x 2 table indexed [A][B] (0 = unexposed, 1 = exposed); got shape {arr.shape}"
        )
    bad = ~np.isfinite(arr) | (arr < 0) | (arr != np.round(arr))
    if np.any(bad):
        shown = ", ".join(f"{v:g}" for v in arr[bad])
        raise InvalidValueError(f"{field}: counts must be whole numbers >= 0; got {shown}")
    return arr


_CELL = {(0, 0): "A-B-", (1, 0): "A+B-", (0, 1): "A-B+", (1, 1): "A+B+"}


def _ratios_from_counts(
    cases: NDArray[np.float64], noncases: NDArray[np.float64], design: Design
) -> NDArray[np.float64]:
    """(..., 3) array of RR10, RR01, RR11 (cohort risk ratios or case-control odds ratios)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        # cohort: risk; case-control: odds
        risk = cases / (cases + noncases) if design == "cohort" else cases / noncases
        ref = risk[..., 0, 0]
        return np.stack(
            [risk[..., 1, 0] / ref, risk[..., 0, 1] / ref, risk[..., 1, 1] / ref], axis=-1
        )


def interaction_from_counts(
    cases: Any,
    noncases: Any,
    *,
    design: Design = "cohort",
    confidence: float = 0.95,
    n_bootstrap: int = DEFAULT_BOOTSTRAP_REPLICATES,
    rng: int | np.random.Generator | None = None,
) -> InteractionResult:
    """Interaction from a 2x2x2 table of counts, with delta-method and percentile-bootstrap CIs.

    .. math::

        \\text{cohort: } RR_{ab} = \\frac{c_{ab}/N_{ab}}{c_{00}/N_{00}}, \\quad
        \\operatorname{Var}\\ln RR_{ab} = \\tfrac{1}{c_{ab}} - \\tfrac{1}{N_{ab}}
            + \\tfrac{1}{c_{00}} - \\tfrac{1}{N_{00}}

        \\text{case-control: } OR_{ab} = \\frac{c_{ab}\\, n_{00}}{c_{00}\\, n_{ab}}, \\quad
        \\operatorname{Var}\\ln OR_{ab} = \\tfrac{1}{c_{ab}} + \\tfrac{1}{n_{ab}}
            + \\tfrac{1}{c_{00}} + \\tfrac{1}{n_{00}}

    The three log ratios share the reference cell, so their covariance is the reference term
    (:math:`1/c_{00} - 1/N_{00}` or :math:`1/c_{00} + 1/n_{00}`); the delta method uses that full
    covariance, no independence assumption. RERI, AP, S and the ratio of ratios then follow as in
    :func:`interaction_from_ratios`.

    Parameters
    ----------
    cases, noncases : array_like, shape (2, 2)
        Counts indexed ``[A][B]`` with 0 = unexposed, 1 = exposed: ``cases[1][0]`` are the
        cases exposed to A only. ``noncases`` are the non-cases (cohort) or controls
        (case-control). Whole numbers >= 0; every cell needs cases > 0 (and, for case-control,
        controls > 0) so the ratios exist.
    design : {"cohort", "case-control"}, default "cohort"
        ``"cohort"`` gives risk ratios (groups of fixed size); ``"case-control"`` gives odds
        ratios (fixed numbers of cases and controls; read as RRs only for a rare outcome).
    confidence : float, default 0.95
        Level of the CIs, in (0, 1).
    n_bootstrap : int, default 2000
        Bootstrap replicates (0 for none). Cohort: cases are redrawn binomially within each
        exposure group (subjects resampled within groups); case-control: cases and controls
        are each redrawn multinomially over the four exposure cells. Replicates in which a
        measure is undefined (a zero count) are dropped for that measure and counted in ``basis``.
    rng : int or numpy.random.Generator, optional
        Seed or generator for the bootstrap (pass one for reproducible intervals).

    Returns
    -------
    InteractionResult
        Each measure carries the delta-method interval first and the percentile-bootstrap
        interval second.

    Raises
    ------
    InvalidValueError
        If a table is not 2 x 2, a count is negative or fractional, a needed count is 0, or the
        design is unknown.

    References
    ----------
    1. Knol MJ, VanderWeele TJ (2012) Int J Epidemiol 41:514-520. doi:10.1093/ije/dyr218.
    2. Hosmer DW, Lemeshow S (1992) Confidence interval estimation of interaction.
       Epidemiology 3:452-456.
    3. Assmann SF, Hosmer DW, Lemeshow S, Mundt KA (1996) Confidence intervals for measures of
       interaction. Epidemiology 7:286-290.

    Examples
    --------
    A cohort with risks 1%, 3%, 2% and 8% (neither, A only, B only, both) reproduces the seed's
    ratios 3, 2 and 8:

    >>> cases = [[10, 20], [30, 80]]          # [A][B]: A-B-, A-B+ / A+B-, A+B+
    >>> noncases = [[990, 980], [970, 920]]
    >>> r = interaction_from_counts(cases, noncases, rng=1)
    >>> r.rr10, r.rr01, r.rr11, r.reri.estimate
    (3.0, 2.0, 8.0, 4.0)
    >>> [iv.method.split(" (")[0] for iv in r.reri.intervals]
    ['delta method', 'percentile bootstrap']
    >>> interaction_from_counts([[10, 20], [-30, 80]], noncases)
    Traceback (most recent call last):
    ...
    allostasis.errors.InvalidValueError: cases: counts must be whole numbers >= 0; got -30
    """
    c = _counts(cases, "cases")
    n = _counts(noncases, "noncases")
    if design not in ("cohort", "case-control"):
        raise InvalidValueError(f"design: must be 'cohort' or 'case-control'; got {design!r}")
    conf = _confidence(confidence, "confidence")
    if int(n_bootstrap) < 0:
        raise InvalidValueError(f"n_bootstrap: must be >= 0; got {n_bootstrap}")
    empty = [f"cases {_CELL[(a, b)]}" for a in (0, 1) for b in (0, 1) if c[a, b] == 0]
    if design == "case-control":
        empty += [f"controls {_CELL[(a, b)]}" for a in (0, 1) for b in (0, 1) if n[a, b] == 0]
    if empty:
        raise InvalidValueError(
            f"cases, noncases: zero count in {', '.join(empty)}; the {'risk' if design == 'cohort' else 'odds'} "
            "ratios are undefined (pool categories or use an exact or penalised method)"
        )
    kind: RatioKind = "RR" if design == "cohort" else "OR"
    r10, r01, r11 = (float(v) for v in _ratios_from_counts(c, n, design))
    var = 1.0 / c - 1.0 / (c + n) if design == "cohort" else 1.0 / c + 1.0 / n
    sigma = np.full((3, 3), var[0, 0]) + np.diag([var[1, 0], var[0, 1], var[1, 1]])
    warnings: list[str] = []
    _preventive_warning(r10, r01, r11, warnings)
    delta = _delta_intervals(
        r10, r01, r11, sigma, conf, "covariance from the shared reference cell"
    )
    intervals: dict[str, list[ConfidenceInterval]] = {
        k: [v] for k, v in delta.items() if v is not None
    }
    basis = [
        f"design: {design}; ratios are {'risk ratios' if design == 'cohort' else 'odds ratios'} "
        "against the doubly unexposed cell (A-B-)",
        "counts [cases/noncases]: "
        + "; ".join(f"{_CELL[(a, b)]} {c[a, b]:g}/{n[a, b]:g}" for a in (0, 1) for b in (0, 1)),
        f"{kind}10 = {r10:.4g}, {kind}01 = {r01:.4g}, {kind}11 = {r11:.4g}",
        "RERI = RR11 - RR10 - RR01 + 1; AP = RERI/RR11; S = (RR11 - 1)/((RR10 - 1) + (RR01 - 1)); "
        "multiplicative = RR11/(RR10 RR01)",
        f"{conf:.0%} delta-method CIs (Hosmer & Lemeshow 1992) with the full covariance of the log "
        "ratios (shared reference cell), no independence assumption",
    ]
    n_boot = int(n_bootstrap)
    if n_boot > 0:
        gen = np.random.default_rng(rng)
        if design == "cohort":
            size = c + n
            bc = gen.binomial(size.astype(np.int64), c / size, size=(n_boot, 2, 2)).astype(float)
            bn = size - bc
            how = "cases redrawn binomially within each exposure group"
        else:
            bc = (
                gen.multinomial(int(c.sum()), (c / c.sum()).ravel(), size=n_boot)
                .reshape(n_boot, 2, 2)
                .astype(float)
            )
            bn = (
                gen.multinomial(int(n.sum()), (n / n.sum()).ravel(), size=n_boot)
                .reshape(n_boot, 2, 2)
                .astype(float)
            )
            how = "cases and controls each redrawn multinomially over the exposure cells"
        br = _ratios_from_counts(bc, bn, design)
        b10, b01, b11 = br[:, 0], br[:, 1], br[:, 2]
        with np.errstate(divide="ignore", invalid="ignore"):
            reps = {
                "RERI": b11 - b10 - b01 + 1.0,
                "AP": (b11 - b10 - b01 + 1.0) / b11,
                "S": (b11 - 1.0) / (b10 + b01 - 2.0),
                "multiplicative": b11 / (b10 * b01),
            }
        q = [0.5 - conf / 2, 0.5 + conf / 2]
        used = []
        for key, vals in reps.items():
            ok = vals[np.isfinite(vals)]
            used.append(f"{key} {ok.size}")
            if ok.size < 0.5 * n_boot or (key == "S" and delta.get("S") is None):
                if key != "S" or delta.get("S") is not None:
                    warnings.append(
                        f"bootstrap: only {ok.size} of {n_boot} replicates defined {key}; no bootstrap CI"
                    )
                continue
            low, high = (float(v) for v in np.quantile(ok, q))
            intervals.setdefault(key, []).append(
                ConfidenceInterval(
                    method=f"percentile bootstrap ({n_boot} replicates)",
                    low=low,
                    high=high,
                    level=conf,
                )
            )
        basis.append(
            f"{conf:.0%} percentile bootstrap CIs (Assmann et al. 1996): {n_boot} replicates, {how}; "
            f"replicates with a defined value: {', '.join(used)}"
        )
    basis += [_REFERENCES["knol2012"], _REFERENCES["hosmer1992"], _REFERENCES["assmann1996"]]
    return _assemble(kind, r10, r01, r11, intervals, warnings, conf, basis)
