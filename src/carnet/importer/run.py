"""An import: rows in from a :class:`~carnet.importer.source.Source`, batches out
through the client.

Up to ``concurrency`` batches are in flight at once; they are finished in file
order, so the rejects file follows the source and memory holds at most
``concurrency`` batches whatever the file's size. A batch the server refuses
as too large (413) is split in halves until the rows fit; a single row that
still does not fit is refused as ``tooLarge``. Any other error (the server
cannot be reached, the key is wrong, the group is gone) stops the import.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from carnet.client.asynchronous import AsyncClient
from carnet.client.models import BatchReport
from carnet.client.operations import BATCH_SIZE, batched
from carnet.errors import CarnetError, NotFoundError, RequestTooLarge
from carnet.importer.rejects import RejectsWriter
from carnet.importer.report import TOO_LARGE, ImportReport
from carnet.importer.source import Source, SourceRow, TextFormat

# (progress done, in the source's progress_unit; rows done) after each finished batch.
ProgressCallback = Callable[[int, int], None]


class ImportStopped(Exception):
    """The import stopped before the end of the file; ``report`` counts what was done."""

    def __init__(self, error: CarnetError, report: ImportReport) -> None:
        super().__init__(error.message)
        self.error = error
        self.report = report


@dataclass(slots=True)
class _Batch:
    done: int
    task: asyncio.Task[list[tuple[list[SourceRow], BatchReport | None]]]


async def check_group(client: AsyncClient, group_id: str) -> None:
    """Fail early, before reading the file, when the key or the group is wrong."""
    if not any(group.id == group_id for group in await client.list_groups()):
        raise NotFoundError(f"Group {group_id!r} not found")


async def import_file(
    client: AsyncClient,
    group_id: str,
    source: Source,
    *,
    concurrency: int = 4,
    rejects: Path | None = None,
    rejects_format: TextFormat | None = None,
    skip_existing: bool = False,
    on_progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import every row of ``source`` into the group and report on each.

    Refused rows go to ``rejects`` when given, written as ``rejects_format``
    says (by default like the source, see :meth:`Source.rejects_format`). With
    ``skip_existing``, numbers already in the group are counted apart
    (``skipped``), not refused. Raises :class:`ImportStopped` (with the report
    so far) when the import cannot go on.
    """
    report = ImportReport(
        file=source.name,
        group_id=group_id,
        kind=source.kind,
        delimiter=source.delimiter,
        sheet=source.sheet,
        skip_existing=skip_existing,
        columns=source.used_columns(),
        ignored_columns=source.ignored,
    )
    writer = None
    if rejects is not None:
        chosen = rejects_format or source.rejects_format
        writer = RejectsWriter(rejects, source.header, chosen)
    in_flight: deque[_Batch] = deque()

    async def finish_oldest() -> None:
        batch = in_flight.popleft()
        for rows, answer in await batch.task:
            if answer is None:
                report.count_refused(TOO_LARGE, len(rows))
                if writer is not None:
                    for row in rows:
                        writer.write(row, RequestTooLarge.code, "The row is too large to send")
                continue
            report.count_batch(len(rows), answer)
            if writer is not None:
                writer.write_results(rows, answer.results, skip_existing=skip_existing)
        if on_progress is not None:
            on_progress(batch.done, report.rows)

    try:
        await check_group(client, group_id)
        for rows in batched(source, BATCH_SIZE):
            if len(in_flight) >= max(1, concurrency):
                await finish_oldest()
            task = asyncio.create_task(_send(client, group_id, rows))
            in_flight.append(_Batch(source.progress_done, task))
        while in_flight:
            await finish_oldest()
    except CarnetError as exc:
        for batch in in_flight:
            batch.task.cancel()
        await asyncio.gather(*(b.task for b in in_flight), return_exceptions=True)
        raise ImportStopped(exc, _closing(report, source)) from exc
    finally:
        if writer is not None:
            writer.close()
    return _closing(report, source)


def _closing(report: ImportReport, source: Source) -> ImportReport:
    report.encoding = source.encoding
    report.blank_lines = source.blank_lines
    return report


async def _send(
    client: AsyncClient, group_id: str, rows: list[SourceRow]
) -> list[tuple[list[SourceRow], BatchReport | None]]:
    """Send one batch; on 413 send its halves instead. ``None``: one row too large."""
    try:
        answer = await client.add_contacts(group_id, [row.contact for row in rows])
    except RequestTooLarge:
        if len(rows) == 1:
            return [(rows, None)]
        middle = len(rows) // 2
        return [
            *await _send(client, group_id, rows[:middle]),
            *await _send(client, group_id, rows[middle:]),
        ]
    return [(rows, answer)]
