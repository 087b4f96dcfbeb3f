"""The server's own batch rate for the rows of an import: what `carnet import` is held to.

The rows of the generated CSV are read by carnet's own importer (the same
cells, dates and column names ``carnet import`` sends), cut into 500-row
``contact/add`` bodies and encoded before the clock starts; then
``bench.load.batches`` posts them to a new ``carnet serve --workers 2`` on a
new SQLite file, from 4 connections (the import's default concurrency), as
fast as the server answers. What is left between this rate and the import's
is the client's own work: reading the file, encoding, reading the answers.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import imports, load, servers
from carnet.client.operations import BATCH_SIZE, batched
from carnet.importer import ReadOptions, open_path


@dataclass
class BatchRun:
    """One run of the import's rows sent as pre-encoded batches: time, counts, memory."""

    seconds: float
    rows: int
    imported: int
    errors: int
    worker_rss_mib: list[float] = field(default_factory=list)
    sender_cpu_seconds: float = 0.0  # this process's CPU time while it sent them

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


def bodies(source: imports.ImportFile, group_id: str) -> list[bytes]:
    """The request bodies ``carnet import`` would send for ``source``, in its order."""
    encoded = []
    with open_path(source.path, ReadOptions()) as rows:
        for batch in batched(rows, BATCH_SIZE):
            params = {
                "apiKey": servers.API_KEY,
                "groupId": group_id,
                "contactsList": [row.contact for row in batch],
            }
            encoded.append(json.dumps(params, ensure_ascii=False, separators=(",", ":")).encode())
    return encoded


def run_batches(work: Path, source: imports.ImportFile, name: str) -> BatchRun:
    """Serve a new SQLite file, make a group, post the file's rows as fast as it takes them."""
    database = work / f"{name}.db"
    for leftover in work.glob(f"{name}.db*"):
        leftover.unlink()
    with servers.carnet(name, f"sqlite:///{database}", work) as server:
        group = servers.new_group(server, "import")
        encoded = bodies(source, group)
        # No time limit: every body is sent once, as an import sends every row.
        cpu = time.process_time()
        result = load.batches(server, encoded, seconds=24 * 3600, cycle=False)
        cpu = time.process_time() - cpu
        del encoded
        workers = sorted(server.rss_peaks.values(), reverse=True)
    return BatchRun(
        seconds=result.seconds,
        rows=source.rows,
        imported=result.total,
        errors=result.errors,
        worker_rss_mib=[kib / 1024 for kib in workers],
        sender_cpu_seconds=cpu,
    )
