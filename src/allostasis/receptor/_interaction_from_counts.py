"""Interaction measures with confidence intervals from 2x2x2 counts (cohort or case-control).

From the counts the covariance of the three log ratios is known exactly (they share the doubly
unexposed group), so the delta method needs no independence assumption (Hosmer & Lemeshow 1992);
a stratified percentile bootstrap gives a second interval (Assmann et al. 1996).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from allostasis.errors import InvalidValueError
from allostasis.receptor._epidemiological_interaction import (
    _REFERENCES,
    DEFAULT_BOOTSTRAP_REPLICATES,
    ConfidenceInterval,
    Design,
    InteractionResult,
    RatioKind,
    _assemble,
    _confidence,
    _delta_intervals,
    _preventive_warning,
)

__all__ = ["interaction_from_counts"]


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
