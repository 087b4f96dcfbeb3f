"""The ``carnet`` command line: each command a thin call into the library."""

from __future__ import annotations

from carnet.cli.app import app
from carnet.cli.failures import run


def main() -> None:
    """Run ``carnet``: any error is one ``error: …`` line on standard error, exit 1."""
    run(app)


__all__ = ["app", "main"]
