"""``python -m bench.limits_run``: carnet beside the limit apps, same load, same run.

Starts ``carnet serve --workers 2`` on SQLite (and on a fresh PostgreSQL
database when one answers), and beside them each limit app of
``bench.limit_apps`` on a database of its own. Every run drives each server in
turn with the same load (single adds by wrk, 32 connections; 500-row batches,
4 connections; every number new, in E.164), the order reversed every other run
so that a shared machine's noise falls on all alike. Prints, per limit, the
medians of the runs and the ratio carnet / limit.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date
from functools import partial
from pathlib import Path

from bench import load, phones, servers
from bench.limit_apps import LIMITS, Limit
from bench.limit_apps.drive import batch_bodies, wrk_add
from bench.limit_apps.launch import running

# Rows stored per second that a run's batch bodies are made for; a server
# faster than this uses them up early, and its rate is still true.
_BODIES_RATE = 80_000


@dataclass
class Target:
    """A server under load: carnet on an engine, or a limit app; its key and groups."""

    label: str
    server: servers.Server
    api_key: str
    add_group: str
    batch_group: str
    results: dict[str, list[load.LoadResult]] = field(
        default_factory=lambda: {"add": [], "batch": []}
    )
    # The workers' CPU time per request (add) or per 1,000 rows (batch), in ms, each run.
    cpu_ms: dict[str, list[float]] = field(default_factory=lambda: {"add": [], "batch": []})

    def median(self, work: str, what: str = "per_second") -> float:
        return float(statistics.median(getattr(r, what) for r in self.results[work]))

    def median_cpu(self, work: str) -> float:
        return float(statistics.median(self.cpu_ms[work])) if self.cpu_ms[work] else 0.0

    def drive(self, work: str, run: Callable[[], load.LoadResult]) -> None:
        """One timed run of ``work``; its result, and the workers' CPU time per unit."""
        before = self.server.cpu_seconds()
        result = run()
        used = self.server.cpu_seconds() - before
        per = 1 if work == "add" else 1000
        self.results[work].append(result)
        self.cpu_ms[work].append(1000 * used * per / max(result.total, 1))


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.limits_run", description=__doc__)
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (default 3)")
    parser.add_argument("--seconds", type=float, default=5, help="length of a run (default 5)")
    parser.add_argument("--quick", action="store_true", help="3 runs of 3 s: a few minutes in all")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument(
        "--only", nargs="+", choices=sorted(LIMITS), help="these limits only (default: all)"
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.runs, args.seconds = 3, 3
    if load.ensure_wrk() is None:
        _say(load.WRK_HINT)
        return 2
    use_pg = not args.no_postgres and servers.postgres_answers()
    limits = [LIMITS[name] for name in (args.only or LIMITS)]
    limits = [limit for limit in limits if use_pg or limit.engine == "sqlite"]
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="carnet-limits-") as tmp, ExitStack() as stack:
        work = Path(tmp)
        _say("starting servers ...")
        carnets: dict[str, Target] = {}
        for engine in sorted({limit.engine for limit in limits}):
            if engine == "sqlite":
                url = f"sqlite:///{work / 'carnet.db'}"
            else:
                url = stack.enter_context(servers.fresh_postgres_database())
            server = stack.enter_context(servers.carnet(engine, url, work))
            add_group = servers.new_group(server, "adds")
            batch_group = servers.new_group(server, "batches")
            carnets[engine] = Target(
                f"carnet ({engine})", server, servers.API_KEY, add_group, batch_group
            )
        apps: dict[str, Target] = {}
        for limit in limits:
            if limit.engine == "sqlite":
                url = f"sqlite:///{work / (limit.name + '.db')}"
            else:
                url = stack.enter_context(servers.fresh_postgres_database())
            app = stack.enter_context(running(limit.name, url, work))
            apps[limit.name] = Target(limit.name, app, app.api_key, app.group_id, app.group_id)
        add_targets = [apps[x.name] for x in limits if x.work == "add"]
        add_targets += [carnets[e] for e in sorted({x.engine for x in limits if x.work == "add"})]
        batch_targets = [apps[x.name] for x in limits if x.work == "batch"]
        batch_targets += [
            carnets[e] for e in sorted({x.engine for x in limits if x.work == "batch"})
        ]
        # Not counted: each server's workers make their connections and threads, and
        # load what they load lazily, before any run is timed.
        for target in add_targets:
            _say(f"warming up: single adds, {target.label} ...")
            wrk_add(target.server, target.api_key, target.add_group, 1, 9_000_000)
        for target in batch_targets:
            _say(f"warming up: 500-row batches, {target.label} ...")
            bodies = batch_bodies(target.api_key, target.batch_group, 45_000_000, 8)
            load.batches(target.server, bodies, 1, cycle=False)
        # Calibration: the bare endpoint under the same single-add load.
        bare = Target("bare endpoint", stack.enter_context(servers.bare(work)), "", "-", "-")
        wrk_add(bare.server, servers.API_KEY, "-", 1, 9_000_000)
        for r in range(args.runs):
            turn = 1 if r % 2 == 0 else -1
            for target in [*add_targets, bare][::turn]:
                _say(f"run {r + 1}/{args.runs}: single adds, {target.label} ...")
                first = r * 1_000_000
                target.drive(
                    "add",
                    partial(wrk_add, target.server, target.api_key, target.add_group,
                            args.seconds, first),
                )  # fmt: skip
            for target in batch_targets[::turn]:
                _say(f"run {r + 1}/{args.runs}: 500-row batches, {target.label} ...")
                count = int(_BODIES_RATE * args.seconds) // load.BATCH_ROWS
                bodies = batch_bodies(target.api_key, target.batch_group, r * 5_000_000, count)
                target.drive(
                    "batch", partial(load.batches, target.server, bodies, args.seconds, False)
                )
                del bodies
    _say("calibration: phone numbers on one core ...")
    header = (
        f"{date.today().isoformat()} · {platform.python_version()} · {args.runs} run(s) of "
        f"{args.seconds:g} s · {time.monotonic() - began:.0f} s in all · load average "
        f"{_load_average()}"
    )
    rows = [(limit, apps[limit.name], carnets[limit.engine]) for limit in limits]
    print(render(header, rows))
    print(calibration(bare, carnets, args.runs))
    return 0


def calibration(bare: Target, carnets: dict[str, Target], runs: int) -> str:
    """The machine's yardsticks, measured in the same run: the bare endpoint under the
    single-add load, and raw ``phonenumbers`` beside ``normalise_phone`` on one core."""
    numbers = phones.sample_numbers(20_000 * (runs + 1))
    phones.carnet_rate(numbers[:2000])  # warm both up
    phones.phonenumbers_rate(numbers[:2000])
    ours, raw = [], []
    for r in range(runs):
        chunk = numbers[20_000 * (r + 1) : 20_000 * (r + 2)]
        ours.append(phones.carnet_rate(chunk))
        raw.append(phones.phonenumbers_rate(chunk))
    bare_rate = bare.median("add")
    lines = [
        "",
        f"Calibration: bare endpoint {bare_rate:,.0f} req/s (p99 "
        f"{bare.median('add', 'p99_ms'):.1f} ms, {bare.median_cpu('add'):.3f} ms CPU a "
        f"request); raw phonenumbers {statistics.median(raw):,.0f} numbers/s on one core, "
        f"carnet's normalise_phone {statistics.median(ours):,.0f}/s "
        f"({statistics.median(ours) / statistics.median(raw):.1f} x).",
    ]
    for engine, carnet in sorted(carnets.items()):
        if carnet.results["add"]:
            lines.append(
                f"carnet ({engine}) single add: {carnet.median('add') / bare_rate:.2f} x the bare "
                "endpoint."
            )
    return "\n".join(lines)


def _load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


def verdict(limit: Limit, ratio: float, p99_ms: float, errors: int) -> tuple[str, str]:
    """The goal as written, and whether it is met (if not, by how much)."""
    if not limit.goal_ratio:
        return "", ""
    goal = f">= {limit.goal_ratio:g}"
    missed = []
    if ratio < limit.goal_ratio:
        missed.append(f"ratio {ratio / limit.goal_ratio:.2f} of the goal")
    if limit.goal_p99_ms:
        goal += f", p99 <= {limit.goal_p99_ms:g} ms"
        if p99_ms > limit.goal_p99_ms:
            missed.append(f"p99 {p99_ms / limit.goal_p99_ms:.1f} x the goal")
    if errors:
        missed.append(f"{errors} errors")
    return goal, ("yes" if not missed else "**no**: " + ", ".join(missed))


def render(header: str, rows: list[tuple[Limit, Target, Target]]) -> str:
    """The Markdown table: per limit, its median, carnet's, carnet / limit and the goal."""
    lines = [
        header,
        "",
        "| work | limit | carnet | carnet / limit | p99 ms, limit / carnet "
        "| server CPU ms, limit / carnet | errors | goal | met |",
        "|---|---:|---:|---:|---|---|---|---|---|",
    ]
    for limit, app, carnet in rows:
        unit = "req/s" if limit.work == "add" else "rows/s"
        ours, theirs = carnet.median(limit.work), app.median(limit.work)
        ratio = ours / theirs if theirs else 0.0
        carnet_p99 = carnet.median(limit.work, "p99_ms")
        p99 = f"{app.median(limit.work, 'p99_ms'):.1f} / {carnet_p99:.1f}"
        carnet_errors = sum(r.errors for r in carnet.results[limit.work])
        errors = f"{sum(r.errors for r in app.results[limit.work])} / {carnet_errors}"
        goal, met = verdict(limit, ratio, carnet_p99, carnet_errors)
        per = "a request" if limit.work == "add" else "per 1,000 rows"
        cpu = f"{app.median_cpu(limit.work):.2f} / {carnet.median_cpu(limit.work):.2f} {per}"
        lines.append(
            f"| {limit.title} ({limit.name}) | {theirs:,.0f} {unit} | {ours:,.0f} {unit} | "
            f"{ratio:.2f} | {p99} | {cpu} | {errors} | {goal} | {met} |"
        )
    lines.append("")
    lines.append(
        "Medians of the runs; errors are summed over them (limit / carnet); the same "
        "carnet server answers every limit of its engine and kind of work. Server CPU is "
        "the user and system time of the server's workers over a run, divided by the work "
        "done: less disturbed by other work on the machine than the rates."
    )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
