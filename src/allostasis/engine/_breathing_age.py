"""Age and the respiratory response to depressants: slower clearance, higher sensitivity.

.. math::

    CL(a) = CL\\,[1 - 0.0075\\,\\max(0, a - 40)], \\qquad
    \\text{sensitivity}(a) = 1 / [1 - 0.5\\,\\max(0, a - 20) / (89 - 20)]

References
----------
1. Mangoni AA, Jackson SHD (2004). Br J Clin Pharmacol 57(1):6-14.
   doi:10.1046/j.1365-2125.2003.02007.x
2. Scott JC, Stanski DR (1987). J Pharmacol Exp Ther 240(1):159-166.
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np

from allostasis.errors import InvalidValueError

__all__ = ["AGE_CLEARANCE_SLOPE_PER_YEAR", "AGE_SENSITIVITY_HALVING_SPAN", "age_scales"]

#: Age effects (MODELLING ASSUMPTIONS from the cited reviews): clearance falls 0.75%/year after 40
#: (about 30% lower at 80; Mangoni & Jackson 2004); sensitivity (effect-site concentration for
#: the same effect) halves between 20 and 89 years (fentanyl/alfentanil, Scott & Stanski 1987),
#: applied to opioids and GABA-A modulators alike.
AGE_CLEARANCE_SLOPE_PER_YEAR: Final[float] = 0.0075
AGE_SENSITIVITY_HALVING_SPAN: Final[tuple[float, float]] = (20.0, 89.0)


def age_scales(age: float | None, n_s: int) -> tuple[np.ndarray, float, list[str]]:
    if age is None:
        return np.ones(n_s), 1.0, ["age not given: typical adult (no age adjustment)"]
    if not (math.isfinite(age) and 18 <= age <= 110):
        raise InvalidValueError(f"age_years: must be 18-110 years (adults); got {age!r}")
    cl = 1.0 - AGE_CLEARANCE_SLOPE_PER_YEAR * max(0.0, age - 40.0)
    lo, hi = AGE_SENSITIVITY_HALVING_SPAN
    sens = 1.0 / (1.0 - 0.5 * max(0.0, age - lo) / (hi - lo))
    return (
        np.full(n_s, cl),
        sens,
        [
            f"age {age:g}: clearance x {cl:.3f} (0.75%/year after 40, Mangoni & Jackson 2004; "
            "MODELLING ASSUMPTION)",
            f"age {age:g}: effect-site sensitivity x {sens:.3f} (EC50 halves from 20 to 89 years, "
            "Scott & Stanski 1987; applied to opioids and GABA-A modulators)",
        ],
    )
