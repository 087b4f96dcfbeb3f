"""A server-side import job end to end, beside the batch path, and the API while it runs.

The same generated CSV as ``bench/imports.py`` writes is imported twice on SQLite
(``carnet serve --workers 2``, a new file each time): once by ``carnet import``
(the client's 500-row batches, the batch path), once uploaded to ``POST
/v1/import/add`` and run by the server as a job. While the job runs, single adds
and ``contact/detail`` are timed one at a time; the same requests are timed on
the same server before the job, with no job running. Rows: the job's rows/s
beside the batch path's, and each request's p99 during the job beside without.

Alone, for a quick look: ``python -m bench.imports_server --rows 20000``.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import httpx

from bench import imports, load, servers
from bench.options import Plan
from bench.results import Results, median, say
from bench.table import Row

# Requests timed per round, before and during the job.
ROUND = 200


def _upload(server: servers.Server, group: str, path: Path) -> str:
    with path.open("rb") as f, httpx.Client(timeout=600) as client:
        answer = client.post(
            server.url + "/v1/import/add",
            data={"apiKey": servers.API_KEY, "groupId": group},
            files={"file": (path.name, f, "text/csv")},
        )
    answer.raise_for_status()
    return str(answer.json()["importId"])


def _job(server: servers.Server, import_id: str) -> dict[str, object]:
    params = {"apiKey": servers.API_KEY, "importId": import_id}
    answer = httpx.get(server.url + "/v1/import/detail", params=params, timeout=30)
    job: dict[str, object] = answer.json()["import"]
    return job


def _round(server: servers.Server, group: str, first: int, ids: list[str]) -> tuple[float, float]:
    """p99 (ms) of ROUND single adds, then of ROUND contact/detail, one at a time."""
    adds: list[dict[str, object]] = [
        {
            "apiKey": servers.API_KEY,
            "groupId": group,
            "contact": {"phoneNumber": f"077{first + i:07d}"},
        }
        for i in range(ROUND)
    ]
    details: list[dict[str, object]] = [
        {"apiKey": servers.API_KEY, "contactId": ids[i % len(ids)]} for i in range(ROUND)
    ]
    add = load.latency(server, "/v1/contact/add", adds, get=False).p99_ms
    detail = load.latency(server, "/v1/contact/detail", details, get=True).p99_ms
    return add, detail


def _contact_ids(server: servers.Server, group: str) -> list[str]:
    params = {"apiKey": servers.API_KEY, "groupId": group, "page": 1}
    page = httpx.get(server.url + "/v1/contact/list", params=params, timeout=30).json()
    return [c["contactId"] for c in page["datas"]]


def run_job(work: Path, source: imports.ImportFile) -> dict[str, object]:
    """Serve a new SQLite file, time the API without a job, upload, time it during the job."""
    database = work / "import-job.db"
    for leftover in work.glob("import-job.db*"):
        leftover.unlink()
    with servers.carnet("import-job", f"sqlite:///{database}", work) as server:
        side = servers.new_group(server, "api")
        _round(server, side, 1_000_000, ["-"])  # warm up, and contacts to read
        ids = _contact_ids(server, side)
        quiet = [_round(server, side, 2_000_000 + r * ROUND, ids) for r in range(3)]
        group = servers.new_group(server, "import")
        began = time.monotonic()
        import_id = _upload(server, group, source.path)
        busy: list[tuple[float, float]] = []
        job = _job(server, import_id)
        while job["status"] in ("queued", "running"):
            if job["status"] == "running":
                busy.append(_round(server, side, 3_000_000 + len(busy) * ROUND, ids))
            else:
                time.sleep(0.1)
            job = _job(server, import_id)
        seconds = time.monotonic() - began
    rapport = job["rapport"]
    assert isinstance(rapport, dict)
    refused = sum(v for k, v in rapport["errors"].items() if k != "dateInvalid")
    return {
        "status": job["status"],
        "seconds": seconds,
        "report": {
            "rows": rapport["nbline"],
            "imported": rapport["nbline_imported"],
            "updated": 0,
            "refused": refused,
        },
        "quiet": quiet,
        "busy": busy,
    }


def measure(results: Results, plan: Plan, work: Path) -> None:
    """The rows of this step, for ``python -m bench`` (see the module's docstring)."""
    size = plan.import_rows
    say(f"server import: writing a CSV of {size:,} rows ...")
    source = imports.write_csv(work / "contacts-job.csv", size)
    say("server import: the batch path (`carnet import`) ...")
    batch_path = imports.run_import(work, source, "import-batch-path")
    say("server import: the same file as a job ...")
    job = run_job(work, source)
    problem = imports.check_report(job["report"], source)  # type: ignore[arg-type]
    if job["status"] != "done" or problem:
        results.note(f"Server import ended {job['status']}; its report: {problem or 'adds up'}.")
    rate = size / float(job["seconds"])  # type: ignore[arg-type]
    results.add(
        Row(f"import job of {size:,} rows, rows/s (sqlite)", rate, batch_path.rows_per_second,
            "`carnet import`", 0.8, ">=", "rows/s", ratio_goal=0.8)
    )  # fmt: skip
    quiet, busy = job["quiet"], job["busy"] or [(0.0, 0.0)]
    for i, what in enumerate(("contact/add", "contact/detail")):
        results.add(
            Row(f"{what} p99 ms during an import job vs without (sqlite)",
                median([r[i] for r in busy]), median([r[i] for r in quiet]),  # type: ignore[index]
                "no job", 3.0, "<=", "ms", ratio_goal=3.0)
        )  # fmt: skip
    results.note(
        f"Import job: {len(busy)} rounds of {ROUND} adds and {ROUND} details timed during it; "
        f"{job['seconds']:.1f} s for {size:,} rows."
    )


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.imports_server", description=__doc__)
    parser.add_argument("--rows", type=int, default=20_000, help="rows of the CSV (default 20,000)")
    args = parser.parse_args()
    plan = Plan(True, 1, 3.0, 0, False, args.rows, 1, True, None)
    results = Results()
    with tempfile.TemporaryDirectory(prefix="carnet-bench-") as tmp:
        measure(results, plan, Path(tmp))
    print(results.table(1, 3.0))


if __name__ == "__main__":
    main()
