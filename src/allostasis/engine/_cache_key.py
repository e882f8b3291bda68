"""The fingerprint of every source file compiled into the engine's kernels (numba cache key).

numba's on-disk cache checks only the file that defines a cached function, but a kernel's cached
machine code also contains every function it calls from other files. The cached entry points
(``_kernel.run_block`` and the model's test entry) therefore take this fingerprint as a closure
value, which numba's cache key includes: any edit of an engine module, the chloride constants,
the parameter layout or the matrix exponential compiles fresh code instead of loading stale code.

.. math:: h = \\mathrm{SHA256}(\\text{files in } \\texttt{COMPILED\\_SOURCES})

>>> len(SOURCE_HASH)
16
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Final

__all__ = ["COMPILED_SOURCES", "SOURCE_HASH", "compiled_sources_hash"]

_ROOT: Final = Path(__file__).resolve().parents[1]
#: Files (relative to the ``allostasis`` package) whose code or constants end up in the kernels:
#: every module of ``engine`` and the model constants and matrix exponential it compiles in.
COMPILED_SOURCES: Final[tuple[str, ...]] = (
    "adaptation/_chloride.py",
    "adaptation/_parameters.py",
    *sorted(p.relative_to(_ROOT).as_posix() for p in (_ROOT / "engine").glob("*.py")),
    "exposure/_expm.py",
)


def compiled_sources_hash() -> str:
    """SHA-256 (16 hex digits) over :data:`COMPILED_SOURCES`.

    Examples
    --------
    >>> compiled_sources_hash() == SOURCE_HASH
    True
    """
    h = hashlib.sha256()
    for rel in COMPILED_SOURCES:
        h.update(rel.encode())
        h.update((_ROOT / rel).read_bytes())
    return h.hexdigest()[:16]


SOURCE_HASH: Final = compiled_sources_hash()
