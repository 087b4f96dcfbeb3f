"""The load a limit app and carnet are both given: every number new, already in E.164.

Single adds go by wrk (32 connections, ``add_e164.lua``); 500-row batches by
``bench.load.batches`` (4 connections, bodies encoded before the clock starts).
The numbers are E.164 because the limit apps store them as sent; carnet still
parses and validates them, as it must.
"""

from __future__ import annotations

import json
import subprocess
import threading
from pathlib import Path

from bench.load import BATCH_ROWS, CONNECTIONS, LoadResult
from bench.servers import Server

ADD_SCRIPT = Path(__file__).with_name("add_e164.lua")
_ERRORS = ("connect", "read", "write", "status", "timeout")


def wrk_add(
    server: Server, api_key: str, group_id: str, seconds: float, first_number: int
) -> LoadResult:
    """Single ``contact/add`` requests for ``seconds``, 32 connections, every number new.

    Numbers run from ``first_number`` (per wrk thread): give each run of one
    database its own range, a million apart.
    """
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            server.sample_rss()
            stop.wait(0.25)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{max(1, round(seconds))}s", "--latency"]
    command += ["-s", str(ADD_SCRIPT), server.url, "--", api_key, group_id, str(first_number)]
    try:
        out = subprocess.run(
            command,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    finally:
        stop.set()
        sampler.join()
    line = next(line for line in out.splitlines() if line.startswith("WRKJSON "))
    data = json.loads(line.removeprefix("WRKJSON "))
    return LoadResult(
        per_second=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=sum(data[k] for k in _ERRORS),
        total=data["requests"],
        error_kinds=", ".join(f"{data[k]} {k}" for k in _ERRORS if data[k]),
    )


def e164(n: int) -> str:
    """The ``n``-th of 50,000,000 French mobile numbers (+3364... to +3368...), in E.164."""
    n %= 50_000_000
    return f"+336{40 + n // 1_000_000:02d}{n % 1_000_000:06d}"


def batch_bodies(api_key: str, group_id: str, first_number: int, count: int) -> list[bytes]:
    """``count`` bodies of 500 new contacts each, numbers from ``first_number`` on.

    The rows are those of ``bench.load.batch_bodies`` but for the numbers'
    spelling: a number, a first and last name, a custom field.
    """
    bodies = []
    number = first_number
    for _ in range(count):
        rows = []
        for _ in range(BATCH_ROWS):
            number += 1
            rows.append(
                {
                    "phoneNumber": e164(number),
                    "firstname": "Camille",
                    "lastname": "Durand",
                    "custom1": f"row {number % 50_000_000}",
                }
            )
        bodies.append(
            json.dumps({"apiKey": api_key, "groupId": group_id, "contactsList": rows}).encode()
        )
    return bodies
