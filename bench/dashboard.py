"""The dashboard on a big group: a page and a search by number, beside a small group's.

    .venv/bin/python -m bench.dashboard                 # a 1,000,000-contact group, 3 runs
    .venv/bin/python -m bench.dashboard --rows 200000 --runs 1

One SQLite database holds three groups of the ``default`` account, seeded
through the storage layer: the big one, one of 100 contacts and one of 1,000.
A real ``carnet serve`` (one worker) answers a signed-in person over HTTP, one request at a
time; each figure is the median of its requests over the runs.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench import servers
from bench.results import median, say
from bench.seed import seed_group
from bench.table import Row, render
from carnet.contract import WEB_PAGE_SIZE
from carnet.domain.people import add_person
from carnet.storage import Store

REQUESTS = 50  # per figure and run
EMAIL, PASSWORD = "bench@example.org", "bench password"


def _timed(client: httpx.Client, paths: list[str], runs: int) -> list[float]:
    """Median milliseconds of GET each of ``paths`` (pages that must answer 200).

    The paths are requested in turn, so that a busy moment of the machine
    weighs on each figure alike rather than on whichever ran then.
    """
    times: list[list[float]] = [[] for _ in paths]
    for _ in range(runs * REQUESTS):
        for i, path in enumerate(paths):
            started = time.perf_counter()
            answer = client.get(path)
            times[i].append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 200, (path, answer.status_code)
    return [median(t) for t in times]


def _signed_in(url: str) -> httpx.Client:
    client = httpx.Client(base_url=url, timeout=60)
    page = client.get("/signin").text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token is not None
    client.post("/signin", data={"csrf": token.group(1), "email": EMAIL, "password": PASSWORD})
    return client


@contextmanager
def _one_worker(url: str, work: Path) -> Iterator[str]:
    """``carnet serve`` with one worker: requests are timed one at a time, and a
    single process starts even on a machine too busy for a worker's health check."""
    port = servers.free_port()
    with (work / "dashboard.log").open("wb") as log:
        process = subprocess.Popen(
            [str(servers.BIN / "carnet"), "serve", "--port", str(port), "--database-url", url],
            cwd=work, stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, "CARNET_RATE_LIMIT": "0"},
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(base + "/healthz", timeout=2).status_code == 200:
                    break
            assert process.poll() is None, (work / "dashboard.log").read_text()
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=60)


def measure(rows: int, runs: int, work: Path) -> list[Row]:
    url = f"sqlite:///{work / 'dashboard.db'}"
    say(f"seeding groups of {rows:,}, 100 and 1,000 contacts ...")
    big, _, seconds = seed_group(url, servers.API_KEY, rows)
    small, _, _ = seed_group(url, servers.API_KEY, 100)
    thousand, _, _ = seed_group(url, servers.API_KEY, 1000)
    say(f"seeded in {seconds:.0f} s")
    store = Store.open(url, pool_size=1)
    add_person(store, EMAIL, "default", PASSWORD)
    store.close()
    deep = rows // WEB_PAGE_SIZE - 1
    # The seed's numbers are +336nnnnnnnn: search one near the end, spelt nationally.
    far = f"06 {rows - 7:08d}"
    near = f"06 {993:08d}"
    with _one_worker(url, work) as base:
        client = _signed_in(base)
        small_page, first_page, deep_page = _timed(
            client, [f"/groups/{small}", f"/groups/{big}", f"/groups/{big}?page={deep}"], runs
        )
        small_search, big_search = _timed(
            client, [f"/groups/{thousand}?q={near}", f"/groups/{big}?q={far}"], runs
        )
        client.close()
    unit = "ms"
    return [
        Row(f"group page 1 ({rows:,} contacts)", first_page, small_page, "100 contacts",
            2, "<=", unit, ratio_goal=2),
        Row(f"group page {deep:,} ({rows:,} contacts)", deep_page, small_page, "100 contacts",
            2, "<=", unit, ratio_goal=2),
        Row(f"search by number ({rows:,} contacts)", big_search, small_search, "1,000 contacts",
            2, "<=", unit, ratio_goal=2),
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.dashboard")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        found = measure(args.rows, args.runs, Path(tmp))
    header = f"Dashboard, median ms of {REQUESTS} requests x {args.runs} runs (SQLite)"
    print(render(header, found, []))
    return 0 if all(row.met for row in found) else 1


if __name__ == "__main__":
    raise SystemExit(main())
