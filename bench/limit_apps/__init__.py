"""Limit apps: the least a Python service on carnet's stack must do for the same work.

Each is a raw ASGI app (no framework; stdlib ``sqlite3`` or ``psycopg``
directly) served by uvicorn with 2 workers, as ``carnet serve`` is. It answers
``POST /v1/contact/add`` in carnet's wire shape, in a database of its own
(tables made by :mod:`bench.limit_apps.schema`, seeded with one key and one
group), and does only what the module's docstring lists. None validates or
normalises a field: the load sends numbers already in E.164.

Start one with :func:`bench.limit_apps.launch.running` (or ``start``); compare
it with carnet with ``python -m bench.limits_run``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Limit:
    """One limit app: its module, its engine, what it does, and carnet's matching work."""

    name: str
    module: str
    engine: str  # "sqlite" or "postgres"
    work: str  # "add" (single contact/add) or "batch" (500-row contactsList)
    title: str
    issue_figure: str  # the limit's figure quoted by the performance issue
    # The goal for carnet / this limit, and the most carnet's p99 may be (ms); 0: none.
    goal_ratio: float = 0.0
    goal_p99_ms: float = 0.0


LIMITS = {
    limit.name: limit
    for limit in (
        Limit(
            "sqlite-add",
            "bench.limit_apps.sqlite_add",
            "sqlite",
            "add",
            "single add, SQLite, one transaction per request",
            "~2,800 /s",
        ),
        Limit(
            "sqlite-add-grouped",
            "bench.limit_apps.sqlite_add_grouped",
            "sqlite",
            "add",
            "single add, SQLite, group commit",
            "~5,600 /s",
            goal_ratio=0.5,
            goal_p99_ms=25,
        ),
        Limit(
            "sqlite-batch",
            "bench.limit_apps.sqlite_batch",
            "sqlite",
            "batch",
            "500-row batches, SQLite (no validation)",
            "~32,000 rows/s",
            goal_ratio=0.85,
        ),
        Limit(
            "postgres-batch",
            "bench.limit_apps.postgres_batch",
            "postgres",
            "batch",
            "500-row batches, PostgreSQL (group row locked, COPY)",
            "~47,000 rows/s",
            goal_ratio=0.7,
        ),
        Limit(
            "postgres-add-grouped",
            "bench.limit_apps.postgres_add_grouped",
            "postgres",
            "add",
            "single add, PostgreSQL, group commit",
            "",
            goal_ratio=0.5,
            goal_p99_ms=50,
        ),
    )
}
