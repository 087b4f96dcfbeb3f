"""How a command fails: one ``error: …`` line on standard error, and exit status 1.

Commands raise :func:`fail` for what they foresee (an unknown group, a file
that cannot be written, a setting that does not parse). :func:`run` is the net
under every command: a file problem, or anything else no command foresaw,
still ends in one line rather than a traceback full of local paths. The
traceback of an unforeseen error is printed only with ``CARNET_LOG_LEVEL=debug``.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable

import typer

__all__ = ["fail", "one_line", "run"]


def fail(message: str) -> typer.Exit:
    """Print ``error: message`` on standard error; the caller raises the result."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(1)


def one_line(exc: BaseException) -> str:
    """An exception's message on one line.

    Database drivers write several lines and SQLAlchemy adds a link to its
    docs: the driver's own message (``orig``) is kept, its lines joined.
    """
    text = str(getattr(exc, "orig", None) or exc)
    return " ".join(text.split()) or type(exc).__name__


def file_problem(exc: OSError) -> str:
    """``/path: No such file or directory`` for an error on a named file."""
    reason = exc.strerror or one_line(exc)
    return f"{exc.filename}: {reason}" if exc.filename is not None else reason


def run(command: Callable[[], object]) -> None:
    """Run the command line; whatever escapes a command becomes one line and exit 1."""
    try:
        command()
    except BrokenPipeError:
        # The reader of standard output went away (`carnet export ... | head`):
        # nothing left to say, and nothing must be flushed to the closed pipe.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    except OSError as exc:
        typer.echo(f"error: {file_problem(exc)}", err=True)
        sys.exit(1)
    except Exception as exc:
        if _debugging():
            traceback.print_exc()
        hint = "" if _debugging() else " (CARNET_LOG_LEVEL=debug shows where)"
        typer.echo(f"error: unexpected {type(exc).__name__}: {one_line(exc)}{hint}", err=True)
        sys.exit(1)


def _debugging() -> bool:
    return os.environ.get("CARNET_LOG_LEVEL", "").lower() == "debug"
