"""What recording changes costs: batches and single adds with the outbox, beside without.

``python -m bench.outbox [--runs N] [--batches N] [--postgres URL]``

Straight through the domain and storage (no HTTP), on a SQLite file and, when
given, a fresh PostgreSQL database. Three variants run interleaved, run after
run, so that a shared machine's noise falls on all alike; each figure is a
median of runs:

- ``without``: the change is not recorded (the recording replaced by a no-op,
  only here), the baseline;
- ``outbox``: every change recorded, no webhook;
- ``3 webhooks``: every change recorded, and three webhooks queue a delivery each
  (the sender does not run: only the writes of the change are timed).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

from carnet.domain import batch, changes, contacts, groups
from carnet.domain.accounts import create_account
from carnet.domain.records import ContactInput
from carnet.storage import Queries, Store

VARIANTS = ("without", "outbox", "3 webhooks")


@contextmanager
def _recording(variant: str) -> Iterator[None]:
    real = changes.record

    def nothing(q: Queries, change: changes.Change) -> str:
        return ""

    if variant == "without":
        changes.record = nothing  # type: ignore[assignment]
    try:
        yield
    finally:
        changes.record = real  # type: ignore[assignment]


def _run(store: Store, variant: str, batches: int, singles: int, seq: int) -> tuple[float, float]:
    account, _ = create_account(store, f"bench-{variant}-{seq}")
    if variant == "3 webhooks":
        with store.write() as q:
            for n in range(3):
                q.insert_webhook(
                    account.id, f"w{seq}{n}", "https://example.org/", ("contact.added",), "s", "t"
                )
    group = groups.add_group(store, account, "g").public_id
    # Every run has a group of its own: the same numbers serve again.
    with _recording(variant):
        started = time.perf_counter()
        for b in range(batches):
            rows = [ContactInput(phone=f"+336{b * 500 + n:08d}") for n in range(500)]
            batch.add_batch(store, account, group, rows)
        batch_s = (time.perf_counter() - started) / batches
        started = time.perf_counter()
        for n in range(singles):
            one = ContactInput(phone=f"+336{9_000_000 + n:08d}")
            contacts.add_contact(store, account, group, one)
        single_s = (time.perf_counter() - started) / singles
    return batch_s, single_s


def measure(name: str, url: str, runs: int, batches: int, singles: int) -> None:
    store = Store.open(url)
    times: dict[str, list[tuple[float, float]]] = {v: [] for v in VARIANTS}
    try:
        for run in range(runs):
            for n, variant in enumerate(VARIANTS):
                times[variant].append(_run(store, variant, batches, singles, run * 10 + n))
    finally:
        store.close()
    median: Callable[[list[float]], float] = statistics.median
    base_batch = median([t[0] for t in times["without"]])
    base_single = median([t[1] for t in times["without"]])
    print(f"{name}: median of {runs} runs ({batches} batches of 500, {singles} single adds)")
    for variant in VARIANTS:
        b = median([t[0] for t in times[variant]])
        s = median([t[1] for t in times[variant]])
        print(
            f"  {variant:<11} batch {b * 1000:7.1f} ms ({b / base_batch:4.2f}x)"
            f"   single add {s * 1000:6.2f} ms ({s / base_single:4.2f}x)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batches", type=int, default=20)
    parser.add_argument("--singles", type=int, default=200)
    parser.add_argument("--postgres", help="admin URL of a PostgreSQL server to bench on too")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="carnet-outbox-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'carnet.db'}"
        measure("SQLite", url, args.runs, args.batches, args.singles)
    if args.postgres:
        name = f"carnet_bench_{uuid.uuid4().hex[:12]}"
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            db = args.postgres.rsplit("/", 1)[0] + "/" + name
            measure("PostgreSQL", db, args.runs, args.batches, args.singles)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


if __name__ == "__main__":
    main()
