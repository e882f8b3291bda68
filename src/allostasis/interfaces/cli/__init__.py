"""The ``allostasis`` command line: thin verbs over library functions.

Every verb takes ``--json`` (a stable schema, documented in docs/cli.md). Bad input prints one line
``error: ...`` on stderr and exits with status 2; no traceback reaches the user. Each verb group
lives in its own module and registers itself on :data:`app`.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from allostasis import __version__
from allostasis.errors import AllostasisError
from allostasis.interfaces.cli import (  # noqa: F401  (verbs register on import)
    _breathe,
    _combination,
    _convert,
    _demo,
    _drugs,
    _mme,
    _monoamine,
    _pk,
    _receptor,
    _risk,
    _serve,
    _taper,
    _trial,
    _withdraw,
)
from allostasis.interfaces.cli._app import app

__all__ = ["app", "main"]


@app.callback(invoke_without_command=True)
def _root(
    version: Annotated[bool, typer.Option("--version", help="Show the version and exit.")] = False,
) -> None:
    if version:
        typer.echo(f"allostasis {__version__}")
        raise typer.Exit()


def main() -> None:
    """Entry point: run the app; turn project errors into one line on stderr and exit status 2.

    Usage errors (unknown option, missing value) are reported by typer itself, also with status 2.
    """
    try:
        app()
    except AllostasisError as exc:
        typer.echo(f"error: {exc}", err=True)
        sys.exit(2)
