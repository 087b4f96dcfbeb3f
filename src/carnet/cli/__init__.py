"""The ``carnet`` command line: each command a thin call into the library."""

from __future__ import annotations

from carnet.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
