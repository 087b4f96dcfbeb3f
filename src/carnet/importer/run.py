"""An import: rows in from a :class:`~carnet.importer.source.Source`, batches out
through the client.

Up to ``concurrency`` batches are in flight at once, a new one sent as soon as
any is answered; they are finished in file order, so the rejects file follows
the source and memory holds at most ``2 * concurrency`` batches whatever the
file's size. A batch the server refuses
as too large (413) is split in halves until the rows fit; a single row that
still does not fit is refused as ``tooLarge``. Any other error (the server
cannot be reached, the key is wrong, the group is gone) stops the import.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from carnet import contract
from carnet.client.asynchronous import AsyncClient
from carnet.client.models import BatchReport, RowResult
from carnet.client.operations import BATCH_SIZE, batched
from carnet.errors import CarnetError, NotFoundError, RequestTooLarge
from carnet.importer.rejects import ALREADY_IN_GROUP, WARNING_COLUMNS, RejectsWriter
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
    dry_run: bool = False,
    keep_invalid_optional: bool = False,
    warnings: Path | None = None,
    upsert: bool = False,
    on_progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import every row of ``source`` into the group and report on each.

    Refused rows go to ``rejects`` when given, written as ``rejects_format``
    says (by default like the source, see :meth:`Source.rejects_format`). With
    ``skip_existing``, numbers already in the group are counted apart
    (``skipped``), not refused. ``dry_run`` stores nothing and reports what the
    import would do; ``keep_invalid_optional`` imports a row with a valid number
    without its bad optional fields, each such row written to ``warnings`` when
    given; ``upsert`` updates the contacts whose numbers the group holds with the
    rows' non-empty fields (``updated``). Raises :class:`ImportStopped` (with the
    report so far) when the import cannot go on.
    """
    report = ImportReport(
        file=source.name,
        group_id=group_id,
        kind=source.kind,
        delimiter=source.delimiter,
        sheet=source.sheet,
        skip_existing=skip_existing,
        dry_run=dry_run,
        columns=source.used_columns(),
        ignored_columns=source.ignored,
    )
    writer = None
    if rejects is not None:
        chosen = rejects_format or source.rejects_format
        writer = RejectsWriter(rejects, source.header, chosen)
    warned = None
    if warnings is not None:
        warned = RejectsWriter(
            warnings, source.header, rejects_format or source.rejects_format, WARNING_COLUMNS
        )
    in_flight: deque[_Batch] = deque()
    # A dry run stores nothing: a number a batch would have stored is counted as
    # in the group already when a later batch holds it, as a real import would.
    would_store: set[str] | None = set() if dry_run else None
    # Per-row results are read only where a row's fate is written or compared;
    # the report itself adds up the batches' counts.
    results = writer is not None or warned is not None or would_store is not None
    send = _Sender(client, group_id, dry_run, keep_invalid_optional, upsert, results)

    async def finish_oldest() -> None:
        batch = in_flight.popleft()
        for rows, answer in await batch.task:
            if answer is None:
                report.count_refused(TOO_LARGE, len(rows))
                if writer is not None:
                    for row in rows:
                        writer.write(row, RequestTooLarge.code, "The row is too large to send")
                continue
            if would_store is not None:
                answer = _as_if_stored_before(answer, would_store, upsert=upsert)
            report.count_batch(len(rows), answer)
            if writer is not None:
                writer.write_results(rows, answer.results, skip_existing=skip_existing)
            if warned is not None:
                warned.write_warnings(rows, answer.results)
        if on_progress is not None:
            on_progress(batch.done, report.rows)

    sending = max(1, concurrency)

    async def make_room() -> None:
        """Wait until fewer than ``sending`` batches are on their way, finishing (in file
        order) those answered. A batch answered before an older one waits for it, so a
        new one goes out at once; at most ``2 * sending`` batches are held."""
        while True:
            while in_flight and in_flight[0].task.done():
                await finish_oldest()
            if any(_failed(b.task) for b in in_flight):
                while in_flight:  # send no more: raise the error in file order
                    await finish_oldest()
            running = [b.task for b in in_flight if not b.task.done()]
            if len(running) < sending and len(in_flight) < 2 * sending:
                return
            await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)

    try:
        await check_group(client, group_id)
        for rows in batched(source, BATCH_SIZE):
            await make_room()
            task = asyncio.create_task(send(rows))
            in_flight.append(_Batch(source.progress_done, task))
        while in_flight:
            await finish_oldest()
    except CarnetError as exc:
        for batch in in_flight:
            batch.task.cancel()
        await asyncio.gather(*(b.task for b in in_flight), return_exceptions=True)
        raise ImportStopped(exc, _closing(report, source)) from exc
    finally:
        for opened in (writer, warned):
            if opened is not None:
                opened.close()
    return _closing(report, source)


def _failed(task: asyncio.Task[Any]) -> bool:
    return task.done() and not task.cancelled() and task.exception() is not None


def _closing(report: ImportReport, source: Source) -> ImportReport:
    report.encoding = source.encoding
    report.blank_lines = source.blank_lines
    return report


_IN_GROUP_CODE = dict(contract.BUCKET_ORDER)[ALREADY_IN_GROUP]
_IN_GROUP_MESSAGE = "The number is already in the group"
_WOULD_BE_UPDATED = "Contact would be updated (dry run)"


def _as_if_stored_before(
    answer: BatchReport, would_store: set[str], *, upsert: bool = False
) -> BatchReport:
    """A dry run's batch, with its rows an earlier batch would have stored counted as
    already in the group (with ``upsert``, as updating it); the numbers this batch
    would store are added to ``would_store``."""
    results: list[RowResult] = []
    moved = 0
    for result in answer.results:
        if result.success and result.phone_number in would_store:
            if upsert:
                result = dataclasses.replace(result, message=_WOULD_BE_UPDATED)
            else:
                result = RowResult(False, _IN_GROUP_CODE, result.phone_number, _IN_GROUP_MESSAGE)
            moved += 1
        elif result.success:
            would_store.add(result.phone_number)
        results.append(result)
    if not moved:
        return answer
    if upsert:
        imported, updated = answer.imported - moved, answer.updated + moved
        return dataclasses.replace(answer, imported=imported, updated=updated, results=results)
    errors = dict(answer.errors)
    errors[ALREADY_IN_GROUP] = errors.get(ALREADY_IN_GROUP, 0) + moved
    warned = sum(1 for r in results if r.success and r.warnings)
    imported = answer.imported - moved
    return dataclasses.replace(
        answer, imported=imported, errors=errors, results=results, warned=warned
    )


@dataclass(frozen=True, slots=True)
class _Sender:
    """Sends one batch (split in halves on 413) with the import's options."""

    client: AsyncClient
    group_id: str
    dry_run: bool
    keep_invalid_optional: bool
    upsert: bool = False
    results: bool = True

    async def __call__(
        self, rows: list[SourceRow]
    ) -> list[tuple[list[SourceRow], BatchReport | None]]:
        """Send one batch; on 413 send its halves instead. ``None``: one row too large."""
        try:
            answer = await self.client.add_contacts(
                self.group_id,
                [row.contact for row in rows],
                dry_run=self.dry_run,
                keep_invalid_optional=self.keep_invalid_optional,
                upsert=self.upsert,
                results=self.results,
            )
        except RequestTooLarge:
            if len(rows) == 1:
                return [(rows, None)]
            middle = len(rows) // 2
            return [*await self(rows[:middle]), *await self(rows[middle:])]
        return [(rows, answer)]
