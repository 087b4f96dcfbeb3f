"""Load generators: wrk for single requests (a Python fallback), an httpx client for batches."""

from __future__ import annotations

import asyncio
import json
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.servers import API_KEY, Server
from carnet import contract

ADD_SCRIPT = Path(__file__).with_name("add.lua")
CONNECTIONS = 32
WRK_HINT = "wrk is not installed; as root: apt-get install -y wrk (Debian/Ubuntu package 'wrk')"


@dataclass
class LoadResult:
    """One timed run: requests (or rows) per second, latency, errors."""

    per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    total: int
    error_kinds: str = ""
    seconds: float = 0.0  # the run's length, first request to last answer


def ensure_wrk() -> str | None:
    """The path of wrk, installing Debian's package when running as root; None if absent."""
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") and _is_root():
        subprocess.run(
            ["apt-get", "install", "-y", "-q", "wrk"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            check=False,
        )
    return shutil.which("wrk")


def _is_root() -> bool:
    import os

    return os.geteuid() == 0


def _sampling(server: Server, stop: threading.Event) -> threading.Thread:
    def sample() -> None:
        while not stop.is_set():
            server.sample_rss()
            stop.wait(0.25)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    return thread


def wrk_add(server: Server, group_id: str, seconds: float, first_number: int) -> LoadResult:
    """Single ``contact/add`` requests, every number new, 32 connections."""
    stop = threading.Event()
    sampler = _sampling(server, stop)
    try:
        out = subprocess.run(
            [
                "wrk",
                "-t2",
                f"-c{CONNECTIONS}",
                f"-d{max(1, round(seconds))}s",
                "--latency",
                "-s",
                str(ADD_SCRIPT),
                server.url,
                "--",
                API_KEY,
                group_id,
                str(first_number),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        stop.set()
        sampler.join()
    line = next(line for line in out.splitlines() if line.startswith("WRKJSON "))
    data = json.loads(line.removeprefix("WRKJSON "))
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return LoadResult(
        per_second=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=errors,
        total=data["requests"],
        error_kinds=", ".join(
            f"{data[k]} {k}" for k in ("connect", "read", "write", "status", "timeout") if data[k]
        ),
    )


def _add_body(group_id: str, number: int) -> bytes:
    return json.dumps(
        {
            "apiKey": API_KEY,
            "groupId": group_id,
            "contact": {"phoneNumber": f"061{number % 10_000_000:07d}", "firstname": "Camille"},
        }
    ).encode()


def python_add(server: Server, group_id: str, seconds: float, first_number: int) -> LoadResult:
    """The fallback when wrk is missing: asyncio + httpx, 32 connections (slower client)."""

    async def run() -> LoadResult:
        latencies: list[float] = []
        errors = 0
        counter = first_number
        deadline = time.perf_counter() + seconds
        limits = httpx.Limits(max_connections=CONNECTIONS)
        async with httpx.AsyncClient(base_url=server.url, limits=limits, timeout=30) as client:

            async def worker() -> None:
                nonlocal errors, counter
                while time.perf_counter() < deadline:
                    counter += 1
                    body = _add_body(group_id, counter)
                    start = time.perf_counter()
                    try:
                        r = await client.post(
                            "/v1/contact/add",
                            content=body,
                            headers={"content-type": "application/json"},
                        )
                        ok = r.status_code == 200
                    except httpx.HTTPError:
                        ok = False
                    latencies.append(time.perf_counter() - start)
                    errors += not ok

            began = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(CONNECTIONS)))
            elapsed = time.perf_counter() - began
        return _summary(latencies, errors, elapsed)

    stop = threading.Event()
    sampler = _sampling(server, stop)
    try:
        return asyncio.run(run())
    finally:
        stop.set()
        sampler.join()


def _summary(latencies: list[float], errors: int, elapsed: float, rows: int = 0) -> LoadResult:
    ordered = sorted(latencies) or [0.0]
    return LoadResult(
        per_second=(rows or len(latencies)) / elapsed,
        p50_ms=ordered[len(ordered) // 2] * 1000,
        p99_ms=ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000,
        errors=errors,
        total=rows or len(latencies),
        seconds=elapsed,
    )


BATCH_ROWS = contract.BATCH_MAX  # a full batch
BATCH_CONNECTIONS = 4


def batch_bodies(group_id: str, first_number: int, count: int) -> list[bytes]:
    """``count`` request bodies of 500 new contacts each, encoded before the clock starts."""
    bodies = []
    number = first_number
    for _ in range(count):
        rows = []
        for _ in range(BATCH_ROWS):
            number += 1
            # 064 to 068 and any 7 digits: valid French mobiles, typed with spaces.
            n = number % 50_000_000
            rows.append(
                {
                    "phoneNumber": f"06 {40 + n // 1_000_000:02d} {n // 10_000 % 100:02d} "
                    f"{n // 100 % 100:02d} {n % 100:02d}",
                    "firstname": "Camille",
                    "lastname": "Durand",
                    "custom1": f"row {n}",
                }
            )
        bodies.append(
            json.dumps({"apiKey": API_KEY, "groupId": group_id, "contactsList": rows}).encode()
        )
    return bodies


def batches(server: Server, bodies: list[bytes], seconds: float, cycle: bool) -> LoadResult:
    """Post 500-row batches from a few connections until ``seconds`` pass; rows stored/s.

    Each body is sent once (its numbers are new) unless ``cycle``, for the bare
    endpoint; a run that uses every body up ends early, its rate still true.
    """

    async def run() -> LoadResult:
        latencies: list[float] = []
        errors = 0
        stored = 0
        sent = 0
        deadline = time.perf_counter() + seconds
        limits = httpx.Limits(max_connections=BATCH_CONNECTIONS)
        async with httpx.AsyncClient(base_url=server.url, limits=limits, timeout=60) as client:

            async def worker() -> None:
                nonlocal errors, stored, sent
                while time.perf_counter() < deadline and (cycle or sent < len(bodies)):
                    body = bodies[sent % len(bodies)]
                    sent += 1
                    start = time.perf_counter()
                    r = await client.post(
                        "/v1/contact/add",
                        content=body,
                        headers={"content-type": "application/json"},
                    )
                    latencies.append(time.perf_counter() - start)
                    if r.status_code != 200:
                        errors += 1
                        continue
                    # The bare endpoint has no report: count what was sent.
                    answer = r.json()
                    rapport = answer.get("rapport")
                    stored += rapport["nbline_imported"] if rapport else BATCH_ROWS

            began = time.perf_counter()
            await asyncio.gather(*(worker() for _ in range(BATCH_CONNECTIONS)))
            elapsed = time.perf_counter() - began
        return _summary(latencies, errors, elapsed, rows=stored)

    stop = threading.Event()
    sampler = _sampling(server, stop)
    try:
        return asyncio.run(run())
    finally:
        stop.set()
        sampler.join()


def latency(server: Server, path: str, bodies: list[dict[str, object]], get: bool) -> LoadResult:
    """One request at a time (no queueing): the latency of each, in order."""
    latencies: list[float] = []
    errors = 0
    with httpx.Client(base_url=server.url, timeout=30) as client:
        for params in bodies:
            start = time.perf_counter()
            r = client.get(path, params=params) if get else client.post(path, json=params)  # type: ignore[arg-type]
            latencies.append(time.perf_counter() - start)
            errors += r.status_code != 200
    return _summary(latencies, errors, sum(latencies))
