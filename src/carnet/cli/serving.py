"""What ``carnet serve`` sets up around the server: the workers' shared metrics.

Every worker writes its metrics into one directory (prometheus-client's
multiprocess mode), made fresh for each run before any worker starts, removed
when the server stops. With ``--metrics-port`` the command's own process serves
them on that port, summed over the workers, whichever are alive.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

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
