"""Confidence intervals of a trial's outcomes: Wilson score intervals for proportions, and
distribution-free order-statistic intervals for medians and other quantiles.

.. math::

    \\frac{\\hat p + \\frac{z^2}{2n} \\pm z\\sqrt{\\frac{\\hat p(1-\\hat p)}{n} + \\frac{z^2}{4n^2}}}
         {1 + z^2/n}

(Wilson 1927). For the median of :math:`n` values the interval is
:math:`[x_{(j)}, x_{(k)}]` with :math:`j = F^{-1}_{B(n,1/2)}(\\alpha/2)`,
:math:`k = F^{-1}_{B(n,1/2)}(1-\\alpha/2) + 1` (1-based; Conover 1999, section 3.2), which holds for
any continuous distribution and allows censored values above every observed one (``inf``).

References
----------
1. Wilson EB (1927). J Am Stat Assoc 22:209-212. doi:10.1080/01621459.1927.10502953
2. Conover WJ (1999). Practical Nonparametric Statistics, 3rd ed. Wiley.

>>> [round(x, 4) for x in wilson_interval(10, 100)]
[0.0552, 0.1744]
>>> quantile_interval(np.arange(1.0, 101.0), 0.5)
(50.5, 40.0, 61.0)
"""

from __future__ import annotations

import math

import numpy as np
from scipy.stats import binom, norm

__all__ = ["quantile_interval", "wilson_interval"]


def wilson_interval(k: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of the proportion ``k / n`` (NaNs when ``n == 0``)."""
    if n == 0:
        return (math.nan, math.nan)
    z = float(norm.ppf(0.5 + level / 2))
    p = k / n
    den = 1.0 + z * z / n
    mid = (p + z * z / (2 * n)) / den
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / den
    lo = 0.0 if k == 0 else max(0.0, mid - half)  # exact bounds at 0 and n (no rounding residue)
    hi = 1.0 if k == n else min(1.0, mid + half)
    return (lo, hi)


def quantile_interval(
    values: np.ndarray, q: float = 0.5, level: float = 0.95
) -> tuple[float, float, float]:
    """Sample ``q``-quantile and its order-statistic confidence interval.

    ``inf`` marks values censored above every observation (not reached); the estimate or a bound
    is ``inf`` where it falls on them. NaN values are left out; all NaN gives NaNs.
    """
    x = np.sort(np.asarray(values, dtype=float))
    x = x[~np.isnan(x)]
    n = x.size
    if n == 0:
        return (math.nan, math.nan, math.nan)
    est = float(np.quantile(x, q)) if np.isfinite(x[min(n - 1, math.ceil(q * n))]) else math.inf
    a = (1 - level) / 2
    j = int(binom.ppf(a, n, q))
    k = int(binom.ppf(1 - a, n, q)) + 1
    lo = float(x[max(j, 1) - 1])
    hi = float(x[min(k, n) - 1])
    return (est, lo, hi)
