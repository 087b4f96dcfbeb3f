"""``python -m bench``: every goal of the performance issue, beside its baseline, in one table.

Servers are started as a user starts them (``carnet serve --workers 2``) on
SQLite in a temporary directory, and on a fresh PostgreSQL database when one
answers on 127.0.0.1:5432; beside them, in the same run, the bare ASGI endpoint
of ``bench/bare.py`` on the same uvicorn stack. Runs alternate between the
servers so that noise from a shared machine falls on all of them alike; every
figure is a median of runs.
"""

from __future__ import annotations

import tempfile
from contextlib import ExitStack
from pathlib import Path

from bench import fleet, importing, imports_server, latency, options, phones, proxied, throughput
from bench.results import Results

# A run, in order (each module says what it measures):
#   phones      normalise_phone beside phonenumbers, in this process
#   latency     one request at a time, on a big database beside an empty one
#   throughput  single adds and 500-row batches under load, then memory
#   importing   `carnet import` end to end, once the servers above have stopped
#   imports_server  the same file as a server-side import job, and the API's p99 during it
#   proxied     single adds through nginx to two servers on PostgreSQL, beside one server


def main(argv: list[str] | None = None) -> int:
    plan = options.parse(argv, __doc__)
    results = Results()
    if plan.only_import:
        with tempfile.TemporaryDirectory(prefix="carnet-bench-") as tmp:
            importing.measure(results, plan, Path(tmp))
        print(results.table(plan.import_runs, plan.seconds))
        return 0

    phones.measure(results, plan)
    single_add = throughput.single_add_driver(results)
    with tempfile.TemporaryDirectory(prefix="carnet-bench-") as tmp, ExitStack() as stack:
        work = Path(tmp)
        big = latency.seed(results, plan, work)
        started = fleet.start(stack, work, plan, results)
        latency.measure(results, plan, started.sqlite, big, work)
        throughput.single_adds(results, plan, started, single_add)
        throughput.batches(results, plan, started)
        throughput.memory(results, started)
        stack.close()  # the servers above stop before the import's own
        importing.measure(results, plan, work)
        imports_server.measure(results, plan, work)
        if plan.use_postgres:
            proxied.measure(results, plan.runs, plan.seconds, work, single_add)

    print(results.table(plan.runs, plan.seconds))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
