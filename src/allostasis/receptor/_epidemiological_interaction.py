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
from allostasis.receptor._interaction_measures import (
    _ratio,
    _s_undefined_message,
    attributable_proportion,
    multiplicative_interaction,
    reri,
    synergy_index,
)

__all__ = [
    "ConfidenceInterval",
    "InteractionMeasure",
    "InteractionResult",
    "attributable_proportion",
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
