"""The servers a run measures, started once and side by side.

Beside carnet on SQLite (and on a fresh PostgreSQL database when one answers),
the bare ASGI endpoint of ``bench/bare.py`` on the same uvicorn stack, and,
when asked, the same carnet servers from an older source tree.
"""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from bench import servers
from bench.options import Plan
from bench.results import Results, say


@dataclass
class Fleet:
    bare: servers.Server
    sqlite: servers.Server
    targets: list[servers.Server]  # this tree: sqlite, then postgres when it answers
    before: dict[str, servers.Server]  # target's name -> the same server from the baseline

    @property
    def compared(self) -> list[servers.Server]:
        """Every carnet server whose runs alternate with the others'."""
        return [*self.targets, *self.before.values()]


def start(stack: ExitStack, work: Path, plan: Plan, results: Results) -> Fleet:
    """Start every server of the run; ``stack`` stops them."""
    say("starting servers ...")
    bare = stack.enter_context(servers.bare(work))
    sqlite = stack.enter_context(servers.carnet("sqlite", f"sqlite:///{work / 'carnet.db'}", work))
    targets = [sqlite]
    if plan.use_postgres:
        pg_url = stack.enter_context(servers.fresh_postgres_database())
        targets.append(stack.enter_context(servers.carnet("postgres", pg_url, work)))
    else:
        results.note("PostgreSQL did not answer on 127.0.0.1:5432: its rows are missing.")
    before: dict[str, servers.Server] = {}
    if plan.baseline_src is not None:
        old_env = {"PYTHONPATH": str(plan.baseline_src.resolve())}
        before["sqlite"] = stack.enter_context(
            servers.carnet("sqlite-before", f"sqlite:///{work / 'before.db'}", work, old_env)
        )
        if plan.use_postgres:
            old_pg = stack.enter_context(servers.fresh_postgres_database())
            before["postgres"] = stack.enter_context(
                servers.carnet("postgres-before", old_pg, work, old_env)
            )
        results.note(f"Rows marked 'before' ran carnet from {plan.baseline_src}.")
    return Fleet(bare, sqlite, targets, before)
