"""Import jobs from the client's side (carnet's own endpoints): the calls as data, and the
job as the client reads it.

A file is uploaded as ``multipart/form-data``, read as it is sent (never whole
in memory), with an optional callback told of the bytes sent so far.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import IO, Any

from carnet.client.operations import Operation

# (bytes sent, bytes in all) as an upload goes.
UploadProgress = Callable[[int, int], None]

ENDED = frozenset({"done", "failed", "cancelled"})


def _timestamp(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


@dataclass(frozen=True, slots=True)
class ImportJob:
    """An import job on the server: its progress, and counts that add up to ``rows``.

    ``refused`` holds the refused rows by bucket (the batch report's names);
    ``skipped`` the rows already in the group when the job skips those;
    ``warnings`` the rows imported without some optional field.
    """

    id: str
    status: str
    group_id: str = ""
    file_name: str = ""
    bytes_total: int = 0
    bytes_done: int = 0
    rows: int = 0
    imported: int = 0
    skipped: int = 0
    warnings: int = 0
    refused: dict[str, int] = field(default_factory=dict)
    error: str = ""
    dry_run: bool = False
    skip_existing: bool = False
    format: str = ""
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    columns: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    blank_lines: int = 0
    created_at: datetime | None = None
    started_at: datetime | None = None
    finished_at: datetime | None = None

    @property
    def ended(self) -> bool:
        """Whether the job is done, failed or cancelled (it will not change any more)."""
        return self.status in ENDED

    @classmethod
    def from_wire(cls, body: Mapping[str, Any]) -> ImportJob:
        rapport = body.get("rapport") or {}
        errors = {str(k): int(v) for k, v in (rapport.get("errors") or {}).items() if v}
        errors.pop("dateInvalid", None)  # repeats dateInvalide
        return cls(
            id=str(body["importId"]),
            status=str(body.get("status", "")),
            group_id=str(body.get("groupId", "")),
            file_name=str(body.get("fileName", "")),
            bytes_total=int(body.get("bytesTotal") or 0),
            bytes_done=int(body.get("bytesDone") or 0),
            rows=int(rapport.get("nbline") or 0),
            imported=int(rapport.get("nbline_imported") or 0),
            skipped=int(rapport.get("nbline_skipped") or 0),
            warnings=int(rapport.get("nbline_warnings") or 0),
            refused=errors,
            error=str(body.get("error") or ""),
            dry_run=bool(body.get("dryRun")),
            skip_existing=bool(body.get("skipExisting")),
            format=str(body.get("format") or ""),
            encoding=str(body.get("encoding") or ""),
            delimiter=str(body.get("delimiter") or ""),
            sheet=str(body.get("sheet") or ""),
            columns={str(k): str(v) for k, v in (body.get("columns") or {}).items()},
            ignored_columns=[str(c) for c in body.get("ignoredColumns") or []],
            blank_lines=int(body.get("blankLines") or 0),
            created_at=_timestamp(body.get("createdAt")),
            started_at=_timestamp(body.get("startedAt")),
            finished_at=_timestamp(body.get("finishedAt")),
        )


class ProgressReader(io.RawIOBase):
    """A binary file read for an upload, telling ``on_progress`` of each piece sent."""

    def __init__(self, raw: IO[bytes], on_progress: UploadProgress | None) -> None:
        super().__init__()
        self._raw = raw
        self._on_progress = on_progress
        here = raw.tell()
        self.total = raw.seek(0, io.SEEK_END) - here
        raw.seek(here)
        self._start = here

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._raw.seek(offset, whence)

    def tell(self) -> int:
        return self._raw.tell()

    def read(self, size: int = -1) -> bytes:
        data = self._raw.read(size)
        if self._on_progress is not None:
            self._on_progress(self._raw.tell() - self._start, self.total)
        return data

    def readinto(self, buffer: Any) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


@dataclass(frozen=True, slots=True)
class UploadOptions:
    """How the server reads and imports an uploaded file (see ``POST /v1/import/add``)."""

    column_map: Mapping[str, str] | None = None
    date_format: str | None = None
    sheet: str | None = None
    keep_invalid_optional: bool = False
    dry_run: bool = False
    skip_existing: bool = False

    def params(self, group_id: str) -> dict[str, str]:
        params = {"groupId": group_id}
        if self.column_map:
            params["map"] = json.dumps(dict(self.column_map), ensure_ascii=False)
        if self.date_format:
            params["dateFormat"] = self.date_format
        if self.sheet:
            params["sheet"] = self.sheet
        for name, on in (
            ("keepInvalidOptional", self.keep_invalid_optional),
            ("dryRun", self.dry_run),
            ("skipExisting", self.skip_existing),
        ):
            if on:
                params[name] = "1"
        return params


def upload_import(
    group_id: str, name: str, file: IO[bytes] | ProgressReader, options: UploadOptions
) -> Operation[ImportJob]:
    def read(body: dict[str, Any]) -> ImportJob:
        return ImportJob(str(body["importId"]), str(body["status"]), group_id, name)

    files = {"file": (os.path.basename(name), file, "application/octet-stream")}
    return Operation(
        "POST", "/v1/import/add", options.params(group_id), read, idempotent=False, files=files
    )


def _job(body: dict[str, Any]) -> ImportJob:
    return ImportJob.from_wire(body["import"])


def get_import(import_id: str) -> Operation[ImportJob]:
    return Operation("GET", "/v1/import/detail", {"importId": import_id}, _job, True)


def cancel_import(import_id: str) -> Operation[ImportJob]:
    return Operation("POST", "/v1/import/cancel", {"importId": import_id}, _job, True)


def list_imports(page: int) -> Operation[list[ImportJob]]:
    def read(body: dict[str, Any]) -> list[ImportJob]:
        return [ImportJob.from_wire(item) for item in body.get("imports") or []]

    return Operation("GET", "/v1/import/list", {"page": page}, read, idempotent=True)


def import_rejects(
    import_id: str, *, warnings: bool = False, excel: bool = False
) -> Operation[bytes]:
    def read(body: dict[str, Any]) -> bytes:
        content: bytes = body["content"]
        return content

    params: dict[str, Any] = {"importId": import_id}
    if warnings:
        params["warnings"] = 1
    if excel:
        params["excel"] = 1
    return Operation("GET", "/v1/import/rejects", params, read, idempotent=True, raw=True)
