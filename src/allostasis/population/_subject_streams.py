"""Per-subject random streams: subject ``i`` of a cohort with seed ``s`` draws from its own
generator, so a subject's sample never depends on which chunk, thread or worker draws it.

.. math:: \\text{stream}_i = \\text{Philox}(\\text{SeedSequence}(s, \\text{spawn\\_key}=(i,)))

which is exactly ``SeedSequence(s).spawn(n)[i]`` (NumPy's documented way of making independent
parallel streams; Salmon et al. 2011 for Philox), without forming the first ``i`` children.

References
----------
1. Salmon JK, Moraes MA, Dror RO, Shaw DE (2011). Parallel random numbers: as easy as 1, 2, 3.
   SC'11. doi:10.1145/2063384.2063405

>>> a = subject_draws(7, 10, 12, 3)
>>> b = subject_draws(7, 0, 20, 3)[10:12]
>>> bool((a == b).all())
True
>>> bool((subject_generator(7, 3).random(2) == np.random.Generator(
...     np.random.Philox(np.random.SeedSequence(7).spawn(4)[3])).random(2)).all())
True
"""

from __future__ import annotations

import numpy as np

__all__ = ["subject_draws", "subject_generator"]


def subject_generator(seed: int, subject_index: int) -> np.random.Generator:
    """The random generator of subject ``subject_index`` (0-based) of a cohort seeded ``seed``."""
    return np.random.Generator(
        np.random.Philox(np.random.SeedSequence(seed, spawn_key=(subject_index,)))
    )


def subject_draws(seed: int, start: int, stop: int, k: int) -> np.ndarray:
    """``(stop - start, k)`` uniform(0, 1) draws, row ``r`` from subject ``start + r``'s stream.

    Every subject draws the same fixed number ``k``, so the draws of a subject depend only on
    ``seed`` and its index.
    """
    out = np.empty((stop - start, k))
    for r, i in enumerate(range(start, stop)):
        out[r] = subject_generator(seed, i).random(k)
    return out
