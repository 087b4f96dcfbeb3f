"""``python -m bench``: every goal of the performance issue, beside its baseline, in one table.

Servers are started as a user starts them (``carnet serve --workers 2``) on
SQLite in a temporary directory, and on a fresh PostgreSQL database when one
answers on 127.0.0.1:5432; beside them, in the same run, the bare ASGI endpoint
of ``bench/bare.py`` on the same uvicorn stack. Runs alternate between the
servers so that noise from a shared machine falls on all of them alike; every
figure is a median of runs.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from datetime import date
from pathlib import Path

from bench import imports, load, phones, servers
from bench.seed import seed_group
from bench.table import Row, render


def _machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}"


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def _say(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer, shorter runs (about 2 min)")
    parser.add_argument("--runs", type=int, help="runs per figure (default 5, quick 1)")
    parser.add_argument("--seconds", type=float, help="length of a load run (default 5, quick 3)")
    parser.add_argument("--rows", type=int, help="size of the big group (default 1,000,000)")
    parser.add_argument("--no-postgres", action="store_true", help="SQLite only")
    parser.add_argument(
        "--import-rows", type=int, help="rows of the CSV for `carnet import` (default 1,000,000)"
    )
    parser.add_argument(
        "--only-import", action="store_true", help="only the `carnet import` end-to-end rows"
    )
    parser.add_argument(
        "--baseline-src",
        type=Path,
        metavar="DIR",
        help="also run carnet from the package under DIR (e.g. an older `git archive` of src/), "
        "alternating runs: single adds, batches and the import beside that baseline",
    )
    args = parser.parse_args(argv)
    runs = args.runs or (1 if args.quick else 5)
    seconds = args.seconds or (3.0 if args.quick else 5.0)
    big = args.rows or (200_000 if args.quick else 1_000_000)
    use_pg = not args.no_postgres and servers.postgres_answers()
    rows: list[Row] = []
    notes: list[str] = []
    began = time.monotonic()
    import_size = args.import_rows or (200_000 if args.quick else 1_000_000)
    import_runs = args.runs or (1 if args.quick else 3)
    if args.only_import:
        with tempfile.TemporaryDirectory(prefix="carnet-bench-") as tmp:
            _import_end_to_end(rows, notes, Path(tmp), import_size, import_runs, args.baseline_src)
        print(render(_header(import_runs, seconds, began), rows, notes))
        return 0

    # -- phone normalisation, one core, in this process ---------------------
    _say("phones: normalise_phone beside phonenumbers ...")
    per_round = 20_000 if args.quick else 50_000
    sample = phones.sample_numbers(per_round * (runs + 1))
    phones.carnet_rate(sample[:2000])
    phones.phonenumbers_rate(sample[:2000])
    ours, theirs = [], []
    for r in range(runs):
        chunk = sample[per_round * (r + 1) : per_round * (r + 2)]
        theirs.append(phones.phonenumbers_rate(chunk))
        ours.append(phones.carnet_rate(chunk))
    rows.append(
        Row(
            "phone normalisation, numbers/s, 1 core",
            _median(ours),
            _median(theirs),
            "phonenumbers",
            200_000,
            ">=",
            "numbers/s",
            ratio_goal=None,
        )
    )

    wrk = load.ensure_wrk()
    if wrk is None:
        notes.append(f"{load.WRK_HINT}. Single requests were driven by the Python fallback.")
        _say(load.WRK_HINT + "; using the slower Python load generator")
    single_run = load.wrk_add if wrk else load.python_add

    with tempfile.TemporaryDirectory(prefix="carnet-bench-") as tmp, ExitStack() as stack:
        work = Path(tmp)
        big_url = f"sqlite:///{work / 'big.db'}"
        _say(f"seeding a group of {big:,} contacts through the storage layer ...")
        big_group, big_ids, seed_seconds = seed_group(big_url, servers.API_KEY, big)
        notes.append(f"Seeded {big:,} contacts (SQLite) in {seed_seconds:.1f} s.")

        _say("starting servers ...")
        bare = stack.enter_context(servers.bare(work))
        sqlite = stack.enter_context(
            servers.carnet("sqlite", f"sqlite:///{work / 'carnet.db'}", work)
        )
        targets = [sqlite]
        if use_pg:
            pg_url = stack.enter_context(servers.fresh_postgres_database())
            targets.append(stack.enter_context(servers.carnet("postgres", pg_url, work)))
        else:
            notes.append("PostgreSQL did not answer on 127.0.0.1:5432: its rows are missing.")
        # The same servers from an older source tree, when asked: name -> server.
        before: dict[str, servers.Server] = {}
        if args.baseline_src is not None:
            old_env = {"PYTHONPATH": str(args.baseline_src.resolve())}
            before["sqlite"] = stack.enter_context(
                servers.carnet("sqlite-before", f"sqlite:///{work / 'before.db'}", work, old_env)
            )
            if use_pg:
                old_pg = stack.enter_context(servers.fresh_postgres_database())
                before["postgres"] = stack.enter_context(
                    servers.carnet("postgres-before", old_pg, work, old_env)
                )
            notes.append(f"Rows marked 'before' ran carnet from {args.baseline_src}.")
        with servers.carnet("sqlite-big", big_url, work) as big_server:
            _latencies(rows, sqlite, big_server, big_group, big_ids, big, runs)

        # -- single contact/add, 32 connections, every number new -----------
        compared = [*targets, *before.values()]
        groups = {t.name: servers.new_group(t) for t in compared}
        singles: dict[str, list[load.LoadResult]] = {"bare": []}
        singles.update({t.name: [] for t in compared})
        for r in range(runs):
            _say(f"single add, run {r + 1}/{runs} ...")
            first = r * 1_000_000
            singles["bare"].append(single_run(bare, "none", seconds, first))
            for t in compared:
                singles[t.name].append(single_run(t, groups[t.name], seconds, first))
        bare_rps = _median([x.per_second for x in singles["bare"]])
        for t in targets:
            results = singles[t.name]
            rows.append(
                Row(
                    f"single add, req/s, 32 conns ({t.name})",
                    _median([x.per_second for x in results]),
                    bare_rps,
                    "bare endpoint",
                    0.70,
                    ">=",
                    "req/s",
                    ratio_goal=0.70,
                )
            )
            rows.append(
                Row(
                    f"single add, p99 ms ({t.name}; p50 "
                    f"{_median([x.p50_ms for x in results]):.1f})",
                    _median([x.p99_ms for x in results]),
                    _median([x.p99_ms for x in singles["bare"]]),
                    "bare endpoint",
                    25,
                    "<=",
                    "ms",
                )
            )
            rows.append(
                Row(
                    f"single add, errors ({t.name}"
                    + "".join(f"; {x.error_kinds}" for x in results if x.error_kinds)
                    + ")",
                    sum(x.errors for x in results),
                    sum(x.total for x in results),
                    "requests",
                    0,
                    "<=",
                    "",
                )
            )

        _before_rows(rows, before, singles, "single add, req/s, 32 conns")

        # -- 500-row batches ------------------------------------------------
        batch_results: dict[str, list[load.LoadResult]] = {"bare": []}
        batch_results.update({t.name: [] for t in compared})
        bare_bodies = load.batch_bodies("none", 0, 20)
        batch_groups = {t.name: servers.new_group(t, "batches") for t in compared}
        per_run = int(80_000 * seconds) // load.BATCH_ROWS
        for r in range(runs):
            _say(f"500-row batches, run {r + 1}/{runs} ...")
            first = r * 5_000_000
            batch_results["bare"].append(load.batches(bare, bare_bodies, seconds, cycle=True))
            for t in compared:
                bodies = load.batch_bodies(batch_groups[t.name], first, per_run)
                batch_results[t.name].append(load.batches(t, bodies, seconds, cycle=False))
                del bodies
        bare_rows = _median([x.per_second for x in batch_results["bare"]])
        for t in targets:
            rate = _median([x.per_second for x in batch_results[t.name]])
            goal = 50_000 if t.name == "sqlite" else 30_000
            rows.append(
                Row(
                    f"500-row batches, contacts/s ({t.name})",
                    rate,
                    bare_rows,
                    "bare endpoint",
                    goal,
                    ">=",
                    "contacts/s",
                )
            )
            if t.name == "sqlite":
                rows.append(
                    Row(
                        "1,000,000 contacts at that rate, s (server side only)",
                        1_000_000 / rate if rate else float("inf"),
                        None,
                        "",
                        30,
                        "<=",
                        "s",
                    )
                )
        _before_rows(rows, before, batch_results, "500-row batches, contacts/s")
        for t in targets:
            rows.append(
                Row(
                    f"peak RSS per worker under load, MiB ({t.name})",
                    t.peak_worker_rss_mib(),
                    None,
                    "",
                    200,
                    "<=",
                    "MiB",
                )
            )
        bare.sample_rss()
        notes.append(f"Bare endpoint worker RSS: {bare.peak_worker_rss_mib():.0f} MiB.")
        stack.close()  # the servers above stop before the import's own
        _import_end_to_end(rows, notes, work, import_size, import_runs, args.baseline_src)

    print(render(_header(runs, seconds, began), rows, notes))
    return 0


def _before_rows(
    rows: list[Row],
    before: dict[str, servers.Server],
    results: dict[str, list[load.LoadResult]],
    what: str,
) -> None:
    """This tree's rate beside the same server from the baseline source tree."""
    for name, server in before.items():
        rows.append(
            Row(
                f"{what} ({name}), this tree vs before",
                _median([x.per_second for x in results[name]]),
                _median([x.per_second for x in results[server.name]]),
                "before",
                1.0,
                ">=",
                "",
                ratio_goal=1.0,
            )
        )


def _header(runs: int, seconds: float, began: float) -> str:
    return (
        f"{date.today().isoformat()} · {_machine()} · {runs} run(s) of {seconds:g} s · "
        f"{time.monotonic() - began:.0f} s in all"
    )


def _import_end_to_end(
    rows: list[Row], notes: list[str], work: Path, size: int, runs: int, baseline: Path | None
) -> None:
    """``carnet import`` of a generated CSV into an empty group, end to end."""
    _say(f"import: writing a CSV of {size:,} rows ...")
    source = imports.write_csv(work / "contacts.csv", size)
    mib = source.path.stat().st_size / 2**20
    notes.append(
        f"Import file: {size:,} rows, {mib:.0f} MiB, {source.unique_valid:,} distinct valid "
        f"numbers, {source.invalid:,} invalid, {source.repeated:,} repeated."
    )
    ours: list[imports.ImportRun] = []
    theirs: list[imports.ImportRun] = []
    bad_reports = 0
    for r in range(runs):
        if baseline is not None:
            _say(f"import: run {r + 1}/{runs}, baseline source {baseline} ...")
            theirs.append(
                imports.run_import(work, source, "import-base", {"PYTHONPATH": str(baseline)})
            )
        _say(f"import: run {r + 1}/{runs} ...")
        ours.append(imports.run_import(work, source, "import"))
        for run in (ours[-1], *theirs[-1:]):
            problem = imports.check_report(run.report, source)
            if problem:
                bad_reports += 1
                notes.append(f"Import report does not add up: {problem}.")
    scale = size / 1_000_000
    label = f"{size:,}"

    def median_of(runs_: list[imports.ImportRun], attr: str) -> float | None:
        return _median([getattr(x, attr) for x in runs_]) if runs_ else None

    base_name = "baseline src" if baseline is not None else ""
    rows.append(
        Row(
            f"`carnet import` of {label} rows into an empty group, s (sqlite)",
            _median([x.seconds for x in ours]),
            median_of(theirs, "seconds"),
            base_name,
            30 * scale,
            "<=",
            "s",
        )
    )
    rows.append(
        Row(
            "`carnet import`, rows/s end to end (sqlite)",
            _median([x.rows_per_second for x in ours]),
            median_of(theirs, "rows_per_second"),
            base_name,
            1_000_000 / 30,
            ">=",
            "rows/s",
        )
    )
    rows.append(
        Row(
            "`carnet import`, peak client RSS, MiB",
            max(x.client_rss_mib for x in ours),
            max(x.client_rss_mib for x in theirs) if theirs else None,
            base_name,
            200,
            "<=",
            "MiB",
        )
    )
    rows.append(
        Row(
            "`carnet import`, peak RSS of each server worker, MiB",
            max(max(x.worker_rss_mib, default=0) for x in ours),
            max(max(x.worker_rss_mib, default=0) for x in theirs) if theirs else None,
            base_name,
            200,
            "<=",
            "MiB",
        )
    )
    rows.append(
        Row(
            "`carnet import`, reports whose counts do not match the file",
            bad_reports,
            len(ours) + len(theirs),
            "reports",
            0,
            "<=",
            "",
        )
    )
    last = ours[-1]
    notes.append(
        "Import: `carnet serve --workers 2` on a new SQLite file each run, then "
        "`carnet import FILE --group G --silent --json`; last report: "
        f"{last.report.get('imported')} imported, {last.report.get('refused')} refused "
        f"{last.report.get('errors')}; worker peaks "
        + ", ".join(f"{m:.0f}" for m in last.worker_rss_mib)
        + " MiB."
    )


def _latencies(
    rows: list[Row],
    empty: servers.Server,
    big: servers.Server,
    big_group: str,
    big_ids: list[str],
    size: int,
    runs: int,
) -> None:
    """Unloaded latency (one request at a time) on the big database beside an empty one."""
    _say("latency: empty database beside the big one ...")
    empty_group = servers.new_group(empty, "latency")
    key = servers.API_KEY
    n = 100
    adds: dict[str, list[float]] = {"empty": [], "big": []}
    details: dict[str, list[float]] = {"empty": [], "big": []}
    pages: dict[str, list[float]] = {"1": [], "5000": []}
    for r in range(runs):
        base = 5_000_000 + r * 100_000
        for name, server, group in (("empty", empty, empty_group), ("big", big, big_group)):
            bodies = [
                {"apiKey": key, "groupId": group, "contact": {"phoneNumber": f"077{base + i:07d}"}}
                for i in range(n)
            ]
            adds[name].append(load.latency(server, "/v1/contact/add", bodies, get=False).p50_ms)
        empty_ids = _contact_ids(empty, empty_group)
        for name, server, ids in (("empty", empty, empty_ids), ("big", big, big_ids)):
            params: list[dict[str, object]] = [
                {"apiKey": key, "contactId": ids[i % len(ids)]} for i in range(n)
            ]
            details[name].append(load.latency(server, "/v1/contact/detail", params, True).p50_ms)
        last_page = min(5000, size // 100)
        for page in ("1", "5000"):
            number = 1 if page == "1" else last_page
            params = [{"apiKey": key, "groupId": big_group, "page": number}] * (n // 2)
            pages[page].append(load.latency(big, "/v1/contact/list", params, True).p50_ms)
    label = f"{size:,}"
    rows.append(
        Row(
            f"contact/list page {min(5000, size // 100)} vs page 1, ms ({label} in group)",
            _median(pages["5000"]),
            _median(pages["1"]),
            "page 1",
            2.0,
            "<=",
            "ms",
            ratio_goal=2.0,
        )
    )
    rows.append(
        Row(
            f"contact/add latency p50 ms, {label} stored vs empty",
            _median(adds["big"]),
            _median(adds["empty"]),
            "empty db",
            1.5,
            "<=",
            "ms",
            ratio_goal=1.5,
        )
    )
    rows.append(
        Row(
            f"contact/detail latency p50 ms, {label} stored vs empty",
            _median(details["big"]),
            _median(details["empty"]),
            "empty db",
            1.5,
            "<=",
            "ms",
            ratio_goal=1.5,
        )
    )


def _contact_ids(server: servers.Server, group: str) -> list[str]:
    import httpx

    answer = httpx.get(
        server.url + "/v1/contact/list",
        params={"apiKey": servers.API_KEY, "groupId": group, "page": 1},
        timeout=30,
    ).json()
    return [c["contactId"] for c in answer["datas"]]


if __name__ == "__main__":
    raise SystemExit(main())
