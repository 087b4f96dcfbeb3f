"""Single adds and 500-row batches under load, on every server of the fleet in turn.

Runs alternate between the servers (bare endpoint first) so that noise from a
shared machine falls on all of them alike; each figure is the median of runs.
"""

from __future__ import annotations

from collections.abc import Callable

from bench import load, servers
from bench.fleet import Fleet
from bench.options import Plan
from bench.results import Results, median, say
from bench.table import Row

# (server, group id, seconds, first number) -> what one load run measured.
SingleAddRun = Callable[[servers.Server, str, float, int], load.LoadResult]


def single_add_driver(results: Results) -> SingleAddRun:
    """wrk when it can be had, else the slower Python load generator (and a note)."""
    if load.ensure_wrk() is not None:
        return load.wrk_add
    results.note(f"{load.WRK_HINT}. Single requests were driven by the Python fallback.")
    say(load.WRK_HINT + "; using the slower Python load generator")
    return load.python_add


def single_adds(results: Results, plan: Plan, fleet: Fleet, run: SingleAddRun) -> None:
    """contact/add of one new number at a time, 32 connections."""
    groups = {t.name: servers.new_group(t) for t in fleet.compared}
    runs: dict[str, list[load.LoadResult]] = {"bare": []}
    runs.update({t.name: [] for t in fleet.compared})
    for r in range(plan.runs):
        say(f"single add, run {r + 1}/{plan.runs} ...")
        first = r * 1_000_000
        runs["bare"].append(run(fleet.bare, "none", plan.seconds, first))
        for t in fleet.compared:
            runs[t.name].append(run(t, groups[t.name], plan.seconds, first))
    bare_rps = median([x.per_second for x in runs["bare"]])
    bare_p99 = median([x.p99_ms for x in runs["bare"]])
    for t in fleet.targets:
        mine = runs[t.name]
        p50 = median([x.p50_ms for x in mine])
        kinds = "".join(f"; {x.error_kinds}" for x in mine if x.error_kinds)
        per_second = median([x.per_second for x in mine])
        results.add(
            Row(
                f"single add, req/s, 32 conns ({t.name})",
                per_second,
                bare_rps,
                "bare endpoint",
                0.70,
                ">=",
                "req/s",
                ratio_goal=0.70,
            )
        )
        p99 = median([x.p99_ms for x in mine])
        what = f"single add, p99 ms ({t.name}; p50 {p50:.1f})"
        results.add(Row(what, p99, bare_p99, "bare endpoint", 25, "<=", "ms"))
        errors, total = sum(x.errors for x in mine), sum(x.total for x in mine)
        what = f"single add, errors ({t.name}{kinds})"
        results.add(Row(what, errors, total, "requests", 0, "<=", ""))
    _before_rows(results, fleet, runs, "single add, req/s, 32 conns")


def batches(results: Results, plan: Plan, fleet: Fleet) -> None:
    """contact/add of 500 new rows at a time."""
    runs: dict[str, list[load.LoadResult]] = {"bare": []}
    runs.update({t.name: [] for t in fleet.compared})
    bare_bodies = load.batch_bodies("none", 0, 20)
    groups = {t.name: servers.new_group(t, "batches") for t in fleet.compared}
    per_run = int(80_000 * plan.seconds) // load.BATCH_ROWS
    for r in range(plan.runs):
        say(f"500-row batches, run {r + 1}/{plan.runs} ...")
        first = r * 5_000_000
        runs["bare"].append(load.batches(fleet.bare, bare_bodies, plan.seconds, cycle=True))
        for t in fleet.compared:
            bodies = load.batch_bodies(groups[t.name], first, per_run)
            runs[t.name].append(load.batches(t, bodies, plan.seconds, cycle=False))
            del bodies
    bare_rows = median([x.per_second for x in runs["bare"]])
    for t in fleet.targets:
        rate = median([x.per_second for x in runs[t.name]])
        goal = 50_000 if t.name == "sqlite" else 30_000
        what = f"500-row batches, contacts/s ({t.name})"
        results.add(Row(what, rate, bare_rows, "bare endpoint", goal, ">=", "contacts/s"))
        if t.name == "sqlite":
            seconds = 1_000_000 / rate if rate else float("inf")
            what = "1,000,000 contacts at that rate, s (server side only)"
            results.add(Row(what, seconds, None, "", 30, "<=", "s"))
    _before_rows(results, fleet, runs, "500-row batches, contacts/s")


def memory(results: Results, fleet: Fleet) -> None:
    """The peak resident memory of each server's workers over the runs above."""
    for t in fleet.targets:
        what = f"peak RSS per worker under load, MiB ({t.name})"
        results.add(Row(what, t.peak_worker_rss_mib(), None, "", 200, "<=", "MiB"))
    fleet.bare.sample_rss()
    results.note(f"Bare endpoint worker RSS: {fleet.bare.peak_worker_rss_mib():.0f} MiB.")


def _before_rows(
    results: Results, fleet: Fleet, runs: dict[str, list[load.LoadResult]], what: str
) -> None:
    """This tree's rate beside the same server from the baseline source tree."""
    for name, server in fleet.before.items():
        results.add(
            Row(
                f"{what} ({name}), this tree vs before",
                median([x.per_second for x in runs[name]]),
                median([x.per_second for x in runs[server.name]]),
                "before",
                1.0,
                ">=",
                "",
                ratio_goal=1.0,
            )
        )
