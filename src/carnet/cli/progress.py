"""Progress of a long command: a rich bar on a terminal, plain lines on a pipe, or none.

Import progress is sized by the bytes of the file read, so the bar is honest
whatever the rows look like (by the rows of a workbook's sheet, whose bytes are
compressed); export progress by contacts. Both show rows per
second. Progress goes to standard error, so standard output stays clean.
"""

from __future__ import annotations

import time
from types import TracebackType
from typing import Protocol

import typer
from rich.console import Console
from rich.filesize import decimal
from rich.progress import (
    BarColumn,
    DownloadColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

PLAIN_STEP = 10  # percent between two plain lines


class ProgressDisplay(Protocol):
    def update(self, done: int, rows: int) -> None: ...

    def __enter__(self) -> ProgressDisplay: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class _RowsPerSecond(ProgressColumn):
    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rows = int(task.fields.get("rows", task.completed))
        rate = rows / elapsed if elapsed > 0 else 0.0
        return Text(f"{rate:,.0f} rows/s", style="progress.data.speed")


class _Bar:
    def __init__(self, console: Console, label: str, total: int, by_bytes: bool) -> None:
        size = DownloadColumn() if by_bytes else MofNCompleteColumn()
        self._progress = Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            size,
            _RowsPerSecond(),
            TimeRemainingColumn(),
            console=console,
            transient=False,
        )
        self._total = total
        self._rows = 0
        self._task = self._progress.add_task(label, total=total, rows=0)

    def update(self, done: int, rows: int) -> None:
        self._rows = rows
        self._progress.update(self._task, completed=done, rows=rows)

    def __enter__(self) -> _Bar:
        self._progress.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if exc_type is None:  # all done, even if the last step sent no update
            self.update(self._total, self._rows)
        self._progress.stop()


class _Lines:
    """One line each time another PLAIN_STEP percent is done, and at the end."""

    def __init__(self, label: str, total: int, by_bytes: bool, unit: str = "") -> None:
        self._unit = unit
        self._label = label
        self._total = total
        self._by_bytes = by_bytes
        self._next = PLAIN_STEP
        self._last = (0, 0)
        self._started = time.monotonic()

    def _line(self, done: int, rows: int) -> None:
        percent = 100 * done // self._total if self._total else 100
        elapsed = max(time.monotonic() - self._started, 1e-9)
        if self._by_bytes:
            amount = f"{decimal(done)} of {decimal(self._total)}"
        else:
            amount = f"{done} of {self._total}{self._unit}"
        typer.echo(
            f"{self._label}: {percent}% ({amount}), {rows} rows, {rows / elapsed:,.0f} rows/s",
            err=True,
        )

    def update(self, done: int, rows: int) -> None:
        self._last = (done, rows)
        percent = 100 * done // self._total if self._total else 100
        if percent >= self._next and percent < 100:
            self._line(done, rows)
            self._next = (percent // PLAIN_STEP + 1) * PLAIN_STEP

    def __enter__(self) -> _Lines:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, *exc: object) -> None:
        if exc_type is None:  # all done, even if the last step sent no update
            self._line(self._total, self._last[1])


class _Silent:
    def update(self, done: int, rows: int) -> None:
        pass

    def __enter__(self) -> _Silent:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def progress_display(
    label: str, total: int, *, by_bytes: bool, silent: bool, unit: str = ""
) -> ProgressDisplay:
    """The display that fits where standard error goes; ``unit`` follows a count
    that is not of bytes in plain lines (``" rows"``)."""
    if silent:
        return _Silent()
    console = Console(stderr=True)
    if console.is_terminal:
        return _Bar(console, label, total, by_bytes)
    return _Lines(label, total, by_bytes, unit)
