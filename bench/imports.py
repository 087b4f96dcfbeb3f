"""``carnet import`` end to end: a realistic CSV, the real command, a fresh server.

The file is written once per bench run: ``;`` between cells, a French header,
French mobile numbers in the formats spreadsheets hold them in, about 1 % of
them invalid and about 1 % repeated (some within the same batch of 500, most
from further back), so that the report's counts can be checked against what
the file holds. Each run starts ``carnet serve --workers 2`` on a new SQLite
file and runs ``carnet import FILE --group G --silent --json`` as a user would,
sampling the resident memory of the client and of each server worker.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import servers

HEADER = "Téléphone;Prénom;Nom;Date\n"
FIRST_NAMES = ("Jean", "Élodie", "François", "Chloé", "Léa", "Noël", "Zoé", "Hélène", "Marc", "")
LAST_NAMES = ("Martin", "Lefèvre", "Dubois", "Moreau", "Girard", "Bérenger", "Faure", "Roussel")
# 060, 061 and 062 then 7 digits: every one is a valid French mobile number.
_SPAN = 30_000_000
_STRIDE = 7_919  # prime to 30,000,000, so i -> i * stride mod span never repeats
_INVALID = ("06 12 34", "12345", "061234567890", "pas de numéro", "+33 6 00")


@dataclass(frozen=True)
class ImportFile:
    """A generated CSV and what a correct import of it reports."""

    path: Path
    rows: int
    unique_valid: int
    invalid: int
    repeated: int


def _formats(digits: str) -> str:
    """``digits`` (9, without the leading 0) in one of the ways a spreadsheet holds it."""
    national = "0" + digits
    pairs = " ".join(national[i : i + 2] for i in range(0, 10, 2))
    return random.choice(
        (
            national,
            national,
            pairs,
            pairs.replace(" ", "."),
            "+33" + digits,
            "+33 " + digits[0] + " " + " ".join(digits[i : i + 2] for i in range(1, 9, 2)),
            "33" + digits,
        )
    )


def write_csv(path: Path, rows: int, seed: int = 5) -> ImportFile:
    """Write ``rows`` data rows to ``path`` and say what they hold."""
    random.seed(seed)
    invalid = repeated = 0
    issued: list[str] = []
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        lines = []
        for i in range(rows):
            draw = random.random()
            if draw < 0.01:
                phone = random.choice(_INVALID)
                invalid += 1
            elif draw < 0.02 and issued:
                # Mostly from further back (allreadyInGroupe), sometimes from this batch.
                back = random.randint(1, 200) if draw < 0.013 else random.randint(1, len(issued))
                phone = _formats(issued[-min(back, len(issued))])
                repeated += 1
            else:
                digits = f"{600_000_000 + (len(issued) * _STRIDE) % _SPAN:09d}"
                issued.append(digits)
                phone = _formats(digits)
            date = f"{random.randint(1, 28):02d}/{random.randint(1, 12):02d}/19{i % 80 + 20}"
            lines.append(
                f"{phone};{random.choice(FIRST_NAMES)};{random.choice(LAST_NAMES)};"
                f"{date if i % 3 else ''}\n"
            )
            if len(lines) >= 10_000:
                out.writelines(lines)
                lines.clear()
        out.writelines(lines)
    return ImportFile(path, rows, len(issued), invalid, repeated)


@dataclass
class ImportRun:
    """One ``carnet import``: its time, its report, and the peaks of memory."""

    seconds: float
    report: dict[str, object]
    client_rss_mib: float
    worker_rss_mib: list[float] = field(default_factory=list)
    client_cpu_seconds: float = 0.0  # user + system time of the `carnet import` process

    @property
    def cpu_us_per_row(self) -> float:
        rows = self.report.get("rows", 0)
        return self.client_cpu_seconds * 1e6 / rows if isinstance(rows, int) and rows else 0.0

    @property
    def rows_per_second(self) -> float:
        rows = self.report.get("rows", 0)
        return float(rows) / self.seconds if isinstance(rows, int) and self.seconds else 0.0


def check_report(report: dict[str, object], expected: ImportFile) -> str:
    """What is wrong with the report (empty when its counts add up and match the file)."""
    problems = []
    rows, imported = report.get("rows"), report.get("imported")
    updated, refused = report.get("updated"), report.get("refused")
    if rows != expected.rows:
        problems.append(f"rows {rows} != {expected.rows}")
    if not all(isinstance(n, int) for n in (rows, imported, updated, refused)):
        return "; ".join([*problems, f"counts missing: {report}"])
    if imported + updated + refused != rows:  # type: ignore[operator]
        problems.append(f"{imported} + {updated} + {refused} != {rows}")
    if imported != expected.unique_valid:
        problems.append(f"imported {imported} != {expected.unique_valid} distinct valid numbers")
    if refused != expected.invalid + expected.repeated:
        problems.append(f"refused {refused} != {expected.invalid} + {expected.repeated}")
    return "; ".join(problems)


def run_import(
    work: Path, source: ImportFile, name: str, extra_env: dict[str, str] | None = None
) -> ImportRun:
    """Serve a new SQLite file, create a group, and time ``carnet import`` into it.

    ``extra_env`` goes to both the server and the client (``PYTHONPATH`` runs
    another carnet source tree, for a side-by-side comparison).
    """
    database = work / f"{name}.db"
    for leftover in work.glob(f"{name}.db*"):
        leftover.unlink()
    env = {**os.environ, **(extra_env or {})}
    with servers.carnet(name, f"sqlite:///{database}", work, env=extra_env) as server:
        group = servers.new_group(server, "import")
        env.update(CARNET_API_KEY=servers.API_KEY, CARNET_URL=server.url)
        command = [
            str(servers.BIN / "carnet"),
            "import",
            str(source.path),
            "--group",
            group,
            "--silent",
            "--json",
        ]
        peak_client = 0
        reaped = resource.getrusage(resource.RUSAGE_CHILDREN)
        reaped_cpu = reaped.ru_utime + reaped.ru_stime
        stop = threading.Event()
        began = time.monotonic()
        client = subprocess.Popen(
            command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=work
        )

        def sample() -> None:
            nonlocal peak_client
            while not stop.is_set():
                peak_client = max(peak_client, servers.rss_kib(client.pid))
                server.sample_rss()
                stop.wait(0.25)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        out, err = client.communicate()
        seconds = time.monotonic() - began
        # The only child reaped meanwhile is the client: its CPU time, whatever the load.
        used = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = used.ru_utime + used.ru_stime - reaped_cpu
        stop.set()
        sampler.join()
        if client.returncode != 0:
            raise RuntimeError(f"carnet import failed ({client.returncode}): {err.decode()}")
        report = json.loads(out)
        workers = sorted(server.rss_peaks.values(), reverse=True)
    return ImportRun(seconds, report, peak_client / 1024, [kib / 1024 for kib in workers], cpu)
