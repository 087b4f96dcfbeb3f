"""Import jobs in the wire's shapes and names (carnet's own endpoints)."""

from __future__ import annotations

from typing import Any

from carnet.domain.import_counts import ImportCounts
from carnet.domain.import_records import ImportJobRecord

# Python's codecs, as a Content-Type's charset names them.
_CHARSETS = {"utf-8-sig": "utf-8", "cp1252": "windows-1252", "utf-16": "utf-16"}


def import_detail(job: ImportJobRecord) -> dict[str, Any]:
    """``import`` of ``import/detail``, and the items of ``import/list``."""
    counts = ImportCounts.from_json(job.report)
    options = job.options
    return {
        "importId": job.public_id,
        "groupId": job.group_public_id,
        "fileName": job.file_name,
        "status": job.status,
        "bytesTotal": job.bytes_total,
        "bytesDone": job.bytes_done,
        "rowsRead": counts.rows,
        "rapport": counts.rapport(),
        "warnings": counts.warnings,
        "createdAt": job.created_at,
        "startedAt": job.started_at,
        "finishedAt": job.finished_at,
        "error": job.error,
        "cancelRequested": job.cancel_requested,
        "dryRun": bool(options.get("dryRun")),
        "keepInvalidOptional": bool(options.get("keepInvalidOptional")),
        "skipExisting": bool(options.get("skipExisting")),
        "format": counts.format,
        "encoding": counts.encoding,
        "delimiter": counts.delimiter,
        "sheet": counts.sheet,
        "columns": counts.columns,
        "ignoredColumns": counts.ignored_columns,
        "blankLines": counts.blank_lines,
    }


def charset(codec: str) -> str:
    """A Python codec as a Content-Type's charset names it."""
    return _CHARSETS.get(codec, codec)
