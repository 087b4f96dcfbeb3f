"""Servers under test, started the way a user starts them, and their memory."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
API_KEY = "bench-" + uuid.uuid4().hex
POSTGRES_ADMIN_URL = os.environ.get(
    "CARNET_BENCH_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A running server: its base URL and process tree."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    rss_peaks: dict[int, int] = field(default_factory=dict)

    def workers(self) -> list[int]:
        """Worker pids: the children of the server process that serve requests."""
        found = []
        for pid in _children(self.process.pid):
            cmd = _cmdline(pid)
            if "resource_tracker" not in cmd:
                found.append(pid)
        return found

    def cpu_seconds(self) -> float:
        """CPU time (user and system) the workers have used so far."""
        return sum(cpu_seconds(pid) for pid in self.workers())

    def sample_rss(self) -> None:
        for pid in self.workers():
            rss = rss_kib(pid)
            if rss:
                self.rss_peaks[pid] = max(self.rss_peaks.get(pid, 0), rss)

    def peak_worker_rss_mib(self) -> float:
        return max(self.rss_peaks.values(), default=0) / 1024


def _children(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == pid:
            kids.append(int(entry))
    return kids


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def cpu_seconds(pid: int) -> float:
    """CPU time (user and system) of a process so far, in seconds (0 once it has gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    """Resident memory of a process in KiB (0 once it has gone)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


# How long a server may take to start (longer on a machine busy with other work).
READY_SECONDS = float(os.environ.get("CARNET_BENCH_READY_SECONDS", "180"))


def _wait_ready(server: Server, timeout: float = READY_SECONDS) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited; see {server.log}:\n{server.log.read_text()}")
        try:
            # Both workers up: the healthz answer may come from the first alone.
            answered = httpx.get(server.url + "/healthz", timeout=1).status_code == 200
            if answered and len(server.workers()) >= 2:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{server.name} did not answer within {timeout}s; see {server.log}")


def _stop(server: Server) -> None:
    if server.process.poll() is None:
        server.process.send_signal(signal.SIGINT)
        try:
            server.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.process.kill()
            server.process.wait()


def _bench_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(extra or {})
    env.update(
        CARNET_RATE_LIMIT="0",
        CARNET_BOOTSTRAP_API_KEY=API_KEY,
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


@contextmanager
def carnet(
    name: str,
    database_url: str,
    workdir: Path,
    env: dict[str, str] | None = None,
    ready_within: float = 60,
) -> Iterator[Server]:
    """``carnet serve --workers 2`` on ``database_url``; ``env`` adds to its environment."""
    port = free_port()
    log = workdir / f"{name}.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                str(BIN / "carnet"),
                "serve",
                "--workers",
                "2",
                "--port",
                str(port),
                "--database-url",
                database_url,
            ],
            cwd=workdir,
            env=_bench_env(env),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(name, f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_ready(server, ready_within)
        yield server
    finally:
        _stop(server)


@contextmanager
def bare(workdir: Path) -> Iterator[Server]:
    """The bare ASGI endpoint on uvicorn, 2 workers, as carnet serve runs it."""
    port = free_port()
    log = workdir / "bare.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "uvicorn",
                "bench.bare:app",
                "--app-dir",
                str(ROOT),
                "--workers",
                "2",
                "--port",
                str(port),
            ],
            cwd=workdir,
            env=_bench_env(),
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server("bare", f"http://127.0.0.1:{port}", process, log)
    try:
        _wait_ready(server)
        yield server
    finally:
        _stop(server)


def postgres_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=2):
            return True
    except OSError:
        return False


@contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database for one run, dropped afterwards."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    from carnet.storage.database import normalise_url

    name = f"carnet_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_url(POSTGRES_ADMIN_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def new_group(server: Server, name: str = "bench") -> str:
    response = httpx.post(
        server.url + "/v1/group/add", json={"apiKey": API_KEY, "name": name}, timeout=30
    )
    response.raise_for_status()
    return str(response.json()["groupId"])
