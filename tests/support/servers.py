"""Real processes for tests: the ``carnet`` command, ``carnet serve`` and a Redis.

Tests that need concurrency, signals or logs run the server as a user would:
``carnet serve`` in its own process group, talking HTTP over a socket on
127.0.0.1, its output captured in a file the test reads.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

CARNET = [sys.executable, "-m", "carnet"]
BOOTSTRAP_KEY = "boot-key-" + "x" * 24

REDIS_URL = os.environ.get("CARNET_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
REQUIRE_REDIS = os.environ.get("CARNET_REQUIRE_REDIS") == "1"


def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CARNET, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        cwd=cwd,
    )


def new_account(db_url: str, name: str = "shop") -> str:
    """Create an account with ``carnet account create``; its key."""
    created = run_cli("account", "create", name, "--database-url", db_url)
    assert created.returncode == 0, created.stderr
    return created.stdout.strip().splitlines()[-1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A running ``carnet serve``: its URL, its process and its log."""

    def __init__(self, proc: subprocess.Popen[str], url: str, log: Path) -> None:
        self.proc = proc
        self.url = url
        self.log = log

    def output(self) -> str:
        return self.log.read_text()

    def stop(self, sig: signal.Signals = signal.SIGTERM, timeout: float = 60) -> int:
        """Send ``sig`` to the server and wait for it to exit; its exit code."""
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        return self.proc.wait(timeout=timeout)

    def kill(self) -> None:
        """SIGKILL the server and every worker it started, as a power cut would."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)


def start_server(
    db_url: str, tmp_path: Path, *extra: str, env: dict[str, str] | None = None
) -> Server:
    """Start ``carnet serve`` on a free port and wait until /healthz answers 200.

    The server gets a process group of its own so that :meth:`Server.kill`
    reaches its workers too. ``CARNET_REDIS_URL`` is only set when ``env`` says so.
    """
    port = free_port()
    log = tmp_path / f"server-{port}.log"
    environ = {k: v for k, v in os.environ.items() if k != "CARNET_REDIS_URL"}
    # Its temporary files (the metrics directory) go with the test's: a server the
    # test kills cannot remove them.
    temporary = tmp_path / "server-tmp"
    temporary.mkdir(exist_ok=True)
    environ["TMPDIR"] = str(temporary)
    proc = subprocess.Popen(
        [*CARNET, "serve", "--port", str(port), "--database-url", db_url, *extra],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        text=True,
        env={**environ, **(env or {})},
        cwd=tmp_path,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=1).status_code == 200:
                return Server(proc, url, log)
        except httpx.TransportError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.1)
    Server(proc, url, log).kill()
    raise AssertionError("server did not start:\n" + log.read_text())


def redis_problem(url: str = REDIS_URL) -> str | None:
    """Why the Redis at ``url`` cannot be used, or None when it answers."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:
        return f"Redis at {url} does not answer: {exc}"
    return None


def need_redis() -> str:
    """The test Redis's URL; skip (fail in CI, CARNET_REQUIRE_REDIS=1) when it is down."""
    problem = redis_problem()
    if problem is not None:
        if REQUIRE_REDIS:
            pytest.fail(f"CARNET_REQUIRE_REDIS=1 but {problem}", pytrace=False)
        pytest.skip(f"Redis test skipped: {problem}")
    return REDIS_URL


def unique_prefix() -> str:
    """A Redis key prefix no other test run uses."""
    return f"carnet-test-{uuid.uuid4().hex[:12]}"


class PrivateRedis:
    """A redis-server of the test's own, on a free port, that the test may stop."""

    def __init__(self, tmp_path: Path, port: int | None = None) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            if REQUIRE_REDIS:
                pytest.fail("CARNET_REQUIRE_REDIS=1 but redis-server is not installed")
            pytest.skip("redis-server is not installed")
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc = subprocess.Popen(
            [
                *(binary, "--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", "--dir", str(tmp_path)),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while redis_problem(self.url) is not None:
            if time.monotonic() > deadline or self.proc.poll() is not None:
                self.stop()
                raise AssertionError("private redis-server did not start")
            time.sleep(0.05)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)
