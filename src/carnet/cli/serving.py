"""What ``carnet serve`` sets up around the server: the workers' shared metrics, and
a SIGTERM that lets what was set up be taken down.

Every worker writes its metrics into one directory (prometheus-client's
multiprocess mode), made fresh for each run before any worker starts, removed
when the server stops. With ``--metrics-port`` the command's own process serves
them on that port, summed over the workers, whichever are alive.
"""

from __future__ import annotations

import os
import shutil
import signal
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from carnet.settings import Settings

MULTIPROC_DIR = "PROMETHEUS_MULTIPROC_DIR"


def start_metrics(settings: Settings) -> Path | None:
    """Set up the metrics directory (and the metrics port); the directory to remove after.

    Called before prometheus-client is first imported: it reads the variable then.
    An operator's own ``PROMETHEUS_MULTIPROC_DIR`` is used (emptied of old values)
    and kept; otherwise a temporary one is made and returned.
    """
    made = None
    given = os.environ.get(MULTIPROC_DIR)
    if given:
        Path(given).mkdir(parents=True, exist_ok=True)
        for old in Path(given).glob("*.db"):
            old.unlink()
    else:
        made = Path(tempfile.mkdtemp(prefix="carnet-metrics-"))
        os.environ[MULTIPROC_DIR] = str(made)
    if settings.metrics_port:
        from prometheus_client import CollectorRegistry, multiprocess, start_http_server

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        start_http_server(settings.metrics_port, addr=settings.host, registry=registry)
    return made


def forget_metrics(made: Path | None) -> None:
    """Remove the metrics directory ``carnet serve`` made, once the server has stopped."""
    if made is not None:
        shutil.rmtree(made, ignore_errors=True)


class _Stopped(Exception):
    """SIGTERM arrived outside uvicorn's own handling of it."""


def _raise_stopped(_signum: int, _frame: FrameType | None) -> None:
    raise _Stopped


@contextmanager
def unwound_on_sigterm() -> Iterator[None]:
    """The block unwinds (its ``finally`` clauses run) when SIGTERM stops the server;
    then the process ends by that signal, as it would have.

    With one worker, uvicorn shuts down gracefully on SIGTERM, then raises the signal
    again so that the process ends by it: under the default handler the process died
    right there, before anything after ``uvicorn.run`` ran, and the metrics directory
    stayed behind in the temporary directory at every stop.
    """
    previous = signal.signal(signal.SIGTERM, _raise_stopped)
    try:
        yield
    except _Stopped:
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.raise_signal(signal.SIGTERM)
    finally:
        signal.signal(signal.SIGTERM, previous)
