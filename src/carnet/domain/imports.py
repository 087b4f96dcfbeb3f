"""Import jobs as the API and the dashboard use them: start one from a file, follow it,
cancel it, get the rows it refused.

A job is stored whole before it is answered: the file in chunks in the
database (any server may run it, see :mod:`carnet.domain.import_runner`), its
options, and a report that grows as its rows are judged. Another account's job
is answered exactly like one that does not exist.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import IO

from carnet.domain import audit
from carnet.domain.batch_outcome import BatchOptions
from carnet.domain.groups import find_group, get_group
from carnet.domain.ids import is_possible_id, new_public_id, now_iso
from carnet.domain.import_audit import record_end
from carnet.domain.import_counts import ImportCounts, record_finished
from carnet.domain.import_records import ENDED, REFUSED, WARNING, ImportJobRecord, KeptRow
from carnet.domain.records import Account
from carnet.errors import InvalidParameter, NotFoundError, RequestTooLarge
from carnet.importer.columns import mapping_from
from carnet.importer.dates import DateReader
from carnet.importer.opening import open_source
from carnet.importer.problems import SourceError
from carnet.importer.rejects import WARNING_COLUMNS, RejectsWriter
from carnet.importer.source import EXCEL, ReadOptions, TextFormat
from carnet.storage import Store

# The uploaded file goes into the database in pieces of this size.
CHUNK_BYTES = 1024 * 1024
# Jobs a page of ``import/list`` holds, newest first.
IMPORTS_PAGE_SIZE = 20
# Kept rows read from the database at once while writing a rejects file.
_ROWS_AT_ONCE = 1000


@dataclass(frozen=True, slots=True)
class ImportRequest:
    """What to import where, and how: the parameters of ``POST /v1/import/add``.

    ``mapping`` is column name -> field name as a person writes it (``phone``,
    ``custom1``, ``-`` to leave a column out); ``date_format`` and ``sheet`` as
    ``carnet import`` takes them.
    """

    group_id: str
    file_name: str
    mapping: Mapping[str, str] = field(default_factory=dict)
    date_format: str = "auto"
    sheet: str | None = None
    options: BatchOptions = field(default_factory=BatchOptions)
    skip_existing: bool = False


def read_options(job: ImportJobRecord) -> ReadOptions:
    """How the job's file is read, as its options say."""
    o = job.options
    return ReadOptions(dict(o.get("mapping") or {}), o.get("dateFormat", "auto"), o.get("sheet"))


def batch_options(job: ImportJobRecord) -> BatchOptions:
    o = job.options
    return BatchOptions(bool(o.get("dryRun")), bool(o.get("keepInvalidOptional")))


def _file_size(upload: IO[bytes]) -> int:
    try:
        return os.fstat(upload.fileno()).st_size
    except (OSError, AttributeError, io.UnsupportedOperation):
        here = upload.tell()
        end = upload.seek(0, io.SEEK_END)
        upload.seek(here)
        return end


def _checked_read_options(request: ImportRequest) -> ReadOptions:
    try:
        mapping = mapping_from(request.mapping)
    except SourceError as exc:
        raise InvalidParameter(f"map: {exc}", errors={"map": str(exc)}) from None
    try:
        DateReader.choose(request.date_format, day_first=True)
    except SourceError as exc:
        raise InvalidParameter(str(exc), errors={"dateFormat": str(exc)}) from None
    return ReadOptions(mapping, request.date_format, request.sheet)


def _describe_file(upload: IO[bytes], name: str, options: ReadOptions) -> ImportCounts:
    """What the file is (its header read); code 3 naming ``file`` when it is no spreadsheet."""
    counts = ImportCounts()
    try:
        with open_source(upload, name, options) as source:
            counts.describe(source)
    except SourceError as exc:
        raise InvalidParameter(f"file: {exc}", errors={"file": str(exc)}) from None
    upload.seek(0)
    return counts


def start_import(
    store: Store, account: Account, request: ImportRequest, upload: IO[bytes], *, max_bytes: int
) -> ImportJobRecord:
    """Store the file (a seekable binary file) and queue a job importing it into the group.

    The group's 404 answers first, before anything is stored; then the file's
    size (413 past ``max_bytes``, 0: no limit) and whether it is a spreadsheet
    carnet reads with a phone column (code 3 naming ``file``).
    """
    get_group(store, account, request.group_id)
    size = _file_size(upload)
    if 0 < max_bytes < size:
        raise RequestTooLarge(f"The file is larger than {max_bytes} bytes")
    options = _checked_read_options(request)
    counts = _describe_file(upload, request.file_name, options)
    created_at = now_iso()
    values = {
        "public_id": new_public_id(),
        "account_id": account.id,
        "group_public_id": request.group_id,
        "file_name": request.file_name,
        "status": "queued",
        "options": {
            "mapping": dict(options.mapping),
            "dateFormat": request.date_format,
            "sheet": request.sheet,
            "dryRun": request.options.dry_run,
            "keepInvalidOptional": request.options.keep_invalid_optional,
            "skipExisting": request.skip_existing,
            "startedBy": account.who,  # the audit trail's who, when the job ends
        },
        "bytes_total": size,
        "report": counts.as_json(),
        "created_at": created_at,
    }
    with store.write() as q:
        find_group(q, account, request.group_id)
        job_id = q.insert_job(values)
        seq = 0
        while data := upload.read(CHUNK_BYTES):
            q.insert_chunk(job_id, seq, data)
            seq += 1
        job = q.lock_job(job_id)
        assert job is not None
        audit.record(q, account, "import.started", [job.public_id, job.group_public_id])
    return job


def get_import(store: Store, account: Account, import_id: str) -> ImportJobRecord:
    """The account's import job, or :class:`NotFoundError`."""
    with store.read() as q:
        job = q.job(account.id, import_id) if is_possible_id(import_id) else None
    if job is None:
        raise NotFoundError("Import not found")
    return job


@dataclass(frozen=True, slots=True)
class ImportPage:
    number: int
    total: int
    jobs: list[ImportJobRecord]


def list_imports(store: Store, account: Account, page: int = 1) -> ImportPage:
    """Page ``page`` (from 1) of the account's import jobs, newest first."""
    if not 1 <= page <= 10**12:
        raise InvalidParameter("page must be a positive integer", errors={"page": "invalid"})
    with store.read() as q:
        jobs = q.jobs_page(account.id, (page - 1) * IMPORTS_PAGE_SIZE, IMPORTS_PAGE_SIZE)
        total = q.count_jobs(account.id)
    return ImportPage(page, total, jobs)


def cancel_import(store: Store, account: Account, import_id: str) -> ImportJobRecord:
    """Cancel a job: a queued one at once, a running one after its current batch.

    What was stored stays, and is counted. Cancelling a job that has ended changes nothing.
    """
    with store.write() as q:
        found = q.job(account.id, import_id) if is_possible_id(import_id) else None
        job = q.lock_job(found.id) if found is not None else None
        if job is None:
            raise NotFoundError("Import not found")
        if job.status == "queued":
            q.update_job(job.id, status="cancelled", finished_at=now_iso(), lease_owner="")
            q.delete_chunks(job.id)
            record_finished(q, job.id)
            record_end(q, job, "cancelled", job.report)
        elif job.status == "running":
            q.update_job(job.id, cancel_requested=True)
        job = q.lock_job(job.id)
    assert job is not None
    return job


def import_rejects(
    store: Store,
    account: Account,
    import_id: str,
    *,
    warnings: bool = False,
    excel: bool = False,
    keep_days: int = 7,
) -> tuple[ImportJobRecord, Iterator[bytes]]:
    """The job, and its refused rows (or with ``warnings``, the rows stored without some
    field) as CSV, as ``carnet import --rejects`` writes them: the file's own header and
    cells, its encoding and delimiter (with ``excel``, UTF-8 with a BOM and ``;``), plus
    the line, the code and the reason.

    They are kept ``keep_days`` days after the job ends; later, :class:`NotFoundError`.
    """
    job = get_import(store, account, import_id)
    if job.finished_at and job.finished_at < days_ago(keep_days):
        raise NotFoundError(f"The rows of import {import_id} were kept {keep_days} days")
    return job, _kept_rows_csv(store, job, WARNING if warnings else REFUSED, excel)


def rejects_format(job: ImportJobRecord, *, excel: bool = False) -> TextFormat:
    """How the job's rejects file is written: like the file read, or for Excel."""
    counts = ImportCounts.from_json(job.report)
    return EXCEL if excel else TextFormat(counts.rejects_encoding, counts.rejects_delimiter)


def _kept_rows_csv(store: Store, job: ImportJobRecord, kind: str, excel: bool) -> Iterator[bytes]:
    counts = ImportCounts.from_json(job.report)
    chosen = rejects_format(job, excel=excel)
    extra = WARNING_COLUMNS if kind == WARNING else RejectsWriter.EXTRA
    width = len(counts.header)
    text = io.StringIO()
    out = csv.writer(text, delimiter=chosen.delimiter)
    out.writerow([*counts.header, *extra])
    encoder = _Encoder(chosen.encoding)
    yield encoder(text)
    after = 0
    while True:
        with store.read() as q:
            rows = q.kept_rows(job.id, kind, after, _ROWS_AT_ONCE)
        if not rows:
            return
        for row in rows:
            cells = (row.cells + [""] * width)[:width]
            out.writerow(
                [*cells, row.line, row.fields if kind == WARNING else row.code, row.reason]
            )
        after = rows[-1].line
        yield encoder(text)


class _Encoder:
    """Text written so far, as bytes of one encoding (a BOM once, at the start)."""

    def __init__(self, encoding: str) -> None:
        self._encoder = codecs.getincrementalencoder(encoding)(errors="replace")

    def __call__(self, text: io.StringIO) -> bytes:
        data: bytes = self._encoder.encode(text.getvalue())
        text.seek(0)
        text.truncate()
        return data


def days_ago(days: float) -> str:
    """The time ``days`` days ago, as timestamps are stored (they compare as text)."""
    moment = datetime.now(UTC) - timedelta(days=days)
    return moment.isoformat(timespec="seconds")


def has_ended(job: ImportJobRecord) -> bool:
    return job.status in ENDED


__all__ = [
    "IMPORTS_PAGE_SIZE",
    "ImportPage",
    "ImportRequest",
    "KeptRow",
    "batch_options",
    "cancel_import",
    "get_import",
    "has_ended",
    "import_rejects",
    "list_imports",
    "read_options",
    "start_import",
]
