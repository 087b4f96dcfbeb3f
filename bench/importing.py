"""``carnet import`` end to end: a generated CSV into an empty group, as a user runs it."""

from __future__ import annotations

from pathlib import Path

from bench import import_batches, imports
from bench.options import Plan
from bench.results import Results, median, say
from bench.table import Row


def measure(results: Results, plan: Plan, work: Path) -> None:
    """The import's time, rate, memory and report, beside the baseline tree if any."""
    size, runs, baseline = plan.import_rows, plan.import_runs, plan.baseline_src
    say(f"import: writing a CSV of {size:,} rows ...")
    source = imports.write_csv(work / "contacts.csv", size)
    mib = source.path.stat().st_size / 2**20
    results.note(
        f"Import file: {size:,} rows, {mib:.0f} MiB, {source.unique_valid:,} distinct valid "
        f"numbers, {source.invalid:,} invalid, {source.repeated:,} repeated."
    )
    ours: list[imports.ImportRun] = []
    theirs: list[imports.ImportRun] = []
    server_side: list[import_batches.BatchRun] = []
    bad_reports = 0
    for r in range(runs):
        # The server's own rate, the import, the baseline's import: in turn, the order
        # reversed every other run so that a shared machine's noise falls on all alike.
        steps = ["batches", "ours", *(["theirs"] if baseline is not None else [])]
        for step in steps if r % 2 == 0 else steps[::-1]:
            if step == "batches":
                say(f"import: run {r + 1}/{runs}, the same rows as pre-encoded batches ...")
                server_side.append(import_batches.run_batches(work, source, "import-batches"))
            elif step == "theirs":
                say(f"import: run {r + 1}/{runs}, baseline source {baseline} ...")
                theirs.append(
                    imports.run_import(work, source, "import-base", {"PYTHONPATH": str(baseline)})
                )
            else:
                say(f"import: run {r + 1}/{runs} ...")
                ours.append(imports.run_import(work, source, "import"))
        for run in (ours[-1], *theirs[-1:]):
            problem = imports.check_report(run.report, source)
            if problem:
                bad_reports += 1
                results.note(f"Import report does not add up: {problem}.")
    _rows(results, size, ours, theirs, "baseline src" if baseline is not None else "")
    _keeping_up(results, ours, theirs, server_side)
    results.add(
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
    results.note(
        "Import: `carnet serve --workers 2` on a new SQLite file each run, then "
        "`carnet import FILE --group G --silent --json`; last report: "
        f"{last.report.get('imported')} imported, {last.report.get('refused')} refused "
        f"{last.report.get('errors')}; worker peaks "
        + ", ".join(f"{m:.0f}" for m in last.worker_rss_mib)
        + " MiB."
    )


def _rows(
    results: Results,
    size: int,
    ours: list[imports.ImportRun],
    theirs: list[imports.ImportRun],
    base_name: str,
) -> None:
    """Time, rate and memory, this tree beside the baseline's runs (when there are any)."""
    scale = size / 1_000_000

    def median_of(runs: list[imports.ImportRun], attr: str) -> float | None:
        return median([getattr(x, attr) for x in runs]) if runs else None

    def worker_peak(runs: list[imports.ImportRun]) -> float:
        return max(max(x.worker_rss_mib, default=0) for x in runs)

    results.add(
        Row(
            f"`carnet import` of {size:,} rows into an empty group, s (sqlite)",
            median([x.seconds for x in ours]),
            median_of(theirs, "seconds"),
            base_name,
            30 * scale,
            "<=",
            "s",
        )
    )
    results.add(
        Row(
            "`carnet import`, rows/s end to end (sqlite)",
            median([x.rows_per_second for x in ours]),
            median_of(theirs, "rows_per_second"),
            base_name,
            1_000_000 / 30,
            ">=",
            "rows/s",
        )
    )
    results.add(
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
    results.add(
        Row(
            "`carnet import`, peak RSS of each server worker, MiB",
            worker_peak(ours),
            worker_peak(theirs) if theirs else None,
            base_name,
            200,
            "<=",
            "MiB",
        )
    )


def _keeping_up(
    results: Results,
    ours: list[imports.ImportRun],
    theirs: list[imports.ImportRun],
    server_side: list[import_batches.BatchRun],
) -> None:
    """The import's rate over the server's own batch rate for the same rows (goal >= 0.8)."""
    batch_rate = median([x.rows_per_second for x in server_side])
    for label, runs in (("", ours), (" (baseline src)", theirs)):
        if runs:
            results.add(
                Row(
                    f"`carnet import` rows/s vs the server's batch rate, same rows{label}",
                    median([x.rows_per_second for x in runs]),
                    batch_rate,
                    "pre-encoded batches",
                    0.8,
                    ">=",
                    "rows/s",
                    ratio_goal=0.8,
                )
            )
    # CPU per row of the client beside the batch sender's: what the load of a shared
    # machine disturbs least. The sender reads the answers, as the client does.
    sender = median([x.sender_cpu_seconds * 1e6 / x.rows for x in server_side])
    cpu = ", ".join(
        f"{median([x.cpu_us_per_row for x in runs]):.1f} µs{label}"
        for label, runs in (("", ours), (" (baseline src)", theirs))
        if runs
    )
    results.note(
        f"CPU time per row of the `carnet import` process (user + system): {cpu}; "
        f"of the bench's batch sender (pre-encoded bodies, answers read): {sender:.1f} µs."
    )
    peaks = [max(x.worker_rss_mib, default=0) for x in server_side]
    errors = sum(x.errors for x in server_side)
    results.note(
        "Server batch rate: the import's rows read by carnet's importer, encoded in 500-row "
        "bodies before the clock, posted from 4 connections to a new `carnet serve --workers 2` "
        f"on a new SQLite file; per run {', '.join(f'{x.seconds:.1f}' for x in server_side)} s, "
        f"{server_side[-1].imported:,} imported in the last, {errors} failed requests, worker "
        f"peak {max(peaks, default=0):.0f} MiB."
    )
