"""Starting a limit app as the bench starts carnet: uvicorn, 2 workers, its own database.

    from bench.limit_apps.launch import running

    with running("sqlite-add", f"sqlite:///{workdir / 'limit.db'}", workdir) as app:
        app.url, app.group_id, app.api_key  # POST {app.url}/v1/contact/add

``app`` is a :class:`bench.servers.Server` (the load generators and the RSS
sampling take it as they take carnet) with the seeded group's id and key.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.limit_apps import LIMITS, schema
from bench.limit_apps.db import DATABASE_URL_ENV
from bench.limit_apps.wire import new_ids
from bench.servers import API_KEY, ROOT, Server, free_port


@dataclass
class LimitApp(Server):
    """A running limit app: ``url``, the seeded ``group_id`` and ``api_key``, and ``stop()``."""

    group_id: str = ""
    api_key: str = ""

    def stop(self) -> None:
        """Stop the app (SIGINT, as Ctrl-C; killed after 30 s)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start(
    name: str,
    database_url: str,
    workdir: Path,
    *,
    port: int | None = None,
    api_key: str = API_KEY,
    workers: int = 2,
) -> LimitApp:
    """Prepare ``database_url`` (tables, ``api_key``, one group) and serve the limit ``name``.

    ``name`` is a key of :data:`bench.limit_apps.LIMITS`; ``database_url`` is
    ``sqlite:///FILE`` or ``postgresql://...``, a database for this app alone
    (its tables are not carnet's). Returns once the app answers on ``/healthz``
    with all its workers up; call ``stop()`` when done.
    """
    limit = LIMITS[name]
    group_id = new_ids(1)[0]
    schema.prepare(database_url, api_key, group_id)
    port = port or free_port()
    log = workdir / f"limit-{name}.log"
    env = {**os.environ, DATABASE_URL_ENV: database_url, "PYTHONDONTWRITEBYTECODE": "1"}
    command = [sys.executable, "-m", "uvicorn", f"{limit.module}:app", "--app-dir", str(ROOT)]
    command += ["--workers", str(workers), "--port", str(port)]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=workdir, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    app = LimitApp(
        name, f"http://127.0.0.1:{port}", process, log, group_id=group_id, api_key=api_key
    )
    try:
        _wait_ready(app, workers)
    except BaseException:
        app.stop()
        raise
    return app


@contextmanager
def running(name: str, database_url: str, workdir: Path, **options: object) -> Iterator[LimitApp]:
    """:func:`start` for the length of a ``with`` block."""
    app = start(name, database_url, workdir, **options)  # type: ignore[arg-type]
    try:
        yield app
    finally:
        app.stop()


def _wait_ready(app: LimitApp, workers: int, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.process.poll() is not None:
            raise RuntimeError(f"limit app {app.name} exited:\n{app.log.read_text()}")
        try:
            answered = httpx.get(app.url + "/healthz", timeout=1).status_code == 200
            # Every worker up (a single worker is the server process itself).
            if answered and (workers == 1 or len(app.workers()) >= workers):
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise RuntimeError(f"limit app {app.name} did not answer within {timeout} s; see {app.log}")
