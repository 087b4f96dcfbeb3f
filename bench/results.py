"""What a run gathers: the table's rows and notes, and the helpers that fill them."""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from bench.table import Row, render


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0


def say(text: str) -> None:
    """Where the run has got to, on standard error (the table goes to standard output)."""
    print(text, file=sys.stderr, flush=True)


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{os.cpu_count()} cores, {model}, Python {platform.python_version()}"


@dataclass
class Results:
    """The rows and notes of the table, in the order they were measured."""

    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    began: float = field(default_factory=time.monotonic)

    def add(self, row: Row) -> None:
        self.rows.append(row)

    def note(self, text: str) -> None:
        self.notes.append(text)

    def table(self, runs: int, seconds: float) -> str:
        header = (
            f"{date.today().isoformat()} · {machine()} · {runs} run(s) of {seconds:g} s · "
            f"{time.monotonic() - self.began:.0f} s in all"
        )
        return render(header, self.rows, self.notes)
