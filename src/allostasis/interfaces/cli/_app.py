"""The ``allostasis`` command line: thin verbs over library functions.

Every verb takes ``--json`` (a stable schema, documented in docs/cli.md). Bad input prints one line
``error: ...`` on stderr and exits with status 2; no traceback reaches the user. Each verb group
lives in its own module and registers itself on :data:`app`.
"""

from __future__ import annotations

import json
import math
import sys
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console

app = typer.Typer(
    name="allostasis",
    help="Executable pharmacology of anxiety drugs (education and decision support; not a prescription).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

out = Console(width=140, highlight=False)
JsonOpt = Annotated[
    bool, typer.Option("--json", help="Print machine-readable JSON (see docs/cli.md).")
]


def emit_json(payload: Any) -> None:
    """Print ``payload`` as indented JSON on stdout (numpy scalars and arrays allowed)."""
    sys.stdout.write(json.dumps(payload, indent=2, default=_json_default) + "\n")


def _json_default(o: Any) -> Any:
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    raise TypeError(f"not JSON serialisable: {type(o).__name__}")


def finite(x: float) -> float | None:
    """JSON has no NaN/inf: map them to null."""
    return None if not math.isfinite(x) else x
