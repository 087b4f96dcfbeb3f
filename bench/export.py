"""``contact/export``: memory stays flat with the group's size; time beside paging.

    .venv/bin/python -m bench.export                 # groups of 20,000 and 200,000, 3 runs
    .venv/bin/python -m bench.export --rows 100000 --runs 1

One ``carnet serve --workers 2`` on SQLite in a temporary directory holds two
groups seeded through the storage layer, one ten times the other. Each run
exports both as NDJSON and as CSV, reading the answer as it arrives, while the
workers' resident memory is sampled every 50 ms; the row compares the peak
growth for the big group with the small one (flat memory: a ratio near 1, not
10). Beside it, the small group read through ``contact/list`` page by page
(20 a page, as upstream) against one export of the same group. Medians of the runs.
"""

from __future__ import annotations

import argparse
import tempfile
import threading
import time
from pathlib import Path

import httpx

from bench import servers
from bench.results import median, say
from bench.seed import seed_group


def _export(server: servers.Server, group: str, fmt: str) -> tuple[float, int, float]:
    """Seconds to read the whole export, its lines, and the workers' peak RSS growth (MiB)."""
    before = {pid: servers.rss_kib(pid) for pid in server.workers()}
    peak = dict(before)
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            for pid in before:
                peak[pid] = max(peak[pid], servers.rss_kib(pid))
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.perf_counter()
    lines = 0
    params = {"apiKey": servers.API_KEY, "groupId": group, "format": fmt}
    with httpx.stream("GET", server.url + "/v1/contact/export", params=params, timeout=300) as r:
        r.raise_for_status()
        for _ in r.iter_lines():
            lines += 1
    elapsed = time.perf_counter() - started
    stop.set()
    sampler.join()
    growth = max(peak[pid] - before[pid] for pid in before) / 1024
    return elapsed, lines, growth


def _paged(server: servers.Server, group: str) -> float:
    """Seconds to read the group through contact/list, every page, one connection."""
    started = time.perf_counter()
    with httpx.Client(base_url=server.url, timeout=60) as http:
        page = 1
        while True:
            params = {"apiKey": servers.API_KEY, "groupId": group, "page": page}
            if not http.get("/v1/contact/list", params=params).json()["datas"]:
                return time.perf_counter() - started
            page += 1


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.export")
    parser.add_argument("--rows", type=int, default=200_000, help="the big group's contacts")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    small_rows = args.rows // 10
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        url = f"sqlite:///{workdir / 'bench.db'}"
        say(f"seeding groups of {small_rows:,} and {args.rows:,} contacts")
        small, _, _ = seed_group(url, servers.API_KEY, small_rows)
        big, _, _ = seed_group(url, servers.API_KEY, args.rows)
        growth: dict[tuple[str, str], list[float]] = {}
        seconds: dict[tuple[str, str], list[float]] = {}
        paged: list[float] = []
        with servers.carnet("carnet-sqlite", url, workdir) as server:
            for run in range(args.runs):
                say(f"run {run + 1} of {args.runs}")
                for fmt in ("ndjson", "csv"):
                    for label, group, rows in (
                        ("small", small, small_rows),
                        ("big", big, args.rows),
                    ):
                        elapsed, lines, grown = _export(server, group, fmt)
                        assert lines >= rows, (fmt, label, lines, rows)
                        growth.setdefault((fmt, label), []).append(grown)
                        seconds.setdefault((fmt, label), []).append(elapsed)
                paged.append(_paged(server, small))
    print(
        f"contact/export, {args.runs} run(s), medians; groups of {small_rows:,} and {args.rows:,}"
    )
    for fmt in ("ndjson", "csv"):
        small_mib = median(growth[(fmt, "small")])
        big_mib = median(growth[(fmt, "big")])
        rate = args.rows / median(seconds[(fmt, "big")])
        print(
            f"  {fmt:6}  worker RSS growth {big_mib:6.1f} MiB (big) vs {small_mib:6.1f} MiB (small)"
            f"  ·  {rate:,.0f} contacts/s"
        )
    export_small = median(seconds[("ndjson", "small")])
    print(
        f"  {small_rows:,} contacts: contact/list page by page {median(paged):.2f} s vs "
        f"one export {export_small:.2f} s ({median(paged) / export_small:.1f}x)"
    )


if __name__ == "__main__":
    main()
