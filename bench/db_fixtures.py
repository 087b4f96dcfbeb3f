"""What a test's database costs it, before and after tests/support/databases.py, side by side.

Before: an empty database (a new file; CREATE DATABASE on PostgreSQL) migrated by
``Store.open``, dropped after the test. After: a copy of a migrated template (a file copy;
a pooled PostgreSQL database, emptied after the test). Each round opens the store, makes
an account and closes, as the ``store`` and ``key`` fixtures do. The four kinds are
interleaved, so that a busy machine slows them alike; medians are printed.

    .venv/bin/python -m bench.db_fixtures [rounds]   # PostgreSQL from CARNET_TEST_POSTGRES_URL
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent.parent / "tests"))

from carnet.domain.accounts import create_account
from carnet.storage import Store
from support.databases import Templates, create_database, drop_database, url_of


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    templates = Templates(Path(tempfile.mkdtemp(prefix="carnet-bench-")))

    def use(url: str) -> None:
        store = Store.open(url)
        create_account(store, "alice")
        store.close()

    def sqlite_before() -> None:
        use(f"sqlite:///{Path(tempfile.mkdtemp()) / 'carnet.db'}")

    def sqlite_after() -> None:
        use(templates.sqlite(Path(tempfile.mkdtemp()) / "carnet.db"))

    def postgres_before() -> None:
        name = create_database()
        use(url_of(name))
        drop_database(name)

    def postgres_after() -> None:
        name = templates.postgres()
        use(url_of(name))
        templates.done_with(name)

    kinds: list[Callable[[], None]] = [sqlite_before, sqlite_after, postgres_before, postgres_after]
    try:
        sqlite_after()
        postgres_after()  # the templates are made once per test process
        times: dict[str, list[float]] = {kind.__name__: [] for kind in kinds}
        for _ in range(rounds):
            for kind in kinds:
                start = time.perf_counter()
                kind()
                times[kind.__name__].append(time.perf_counter() - start)
    finally:
        templates.drop()
    for name, seconds in times.items():
        print(f"{name:16s} median {statistics.median(seconds):.3f} s  min {min(seconds):.3f} s")


if __name__ == "__main__":
    main()
