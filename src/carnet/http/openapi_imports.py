"""Request and answer shapes of the import jobs (carnet's own), for the OpenAPI document."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from carnet.http.openapi_models import BatchErrors, Ok

_KEY = Field(None, description="API key; or the X-Api-Key or Authorization: Bearer header")
_FLAG = "true or false (1 or 0)"


class _Body(BaseModel):
    model_config = ConfigDict(extra="allow")


class ImportAddRequest(_Body):
    apiKey: str | None = _KEY
    groupId: str
    file: bytes = Field(
        json_schema_extra={"format": "binary"},
        description="CSV or TSV with a header row, or an .xlsx workbook",
    )
    map: str | None = Field(None, description='JSON object column -> field, {"Portable": "phone"}')
    dateFormat: str | None = Field(None, description="auto, dmy, mdy, ymd, any or a pattern")
    sheet: str | None = Field(None, description="a workbook's sheet; the first if none")
    keepInvalidOptional: str | None = Field(None, description=_FLAG)
    dryRun: str | None = Field(None, description=_FLAG)
    skipExisting: str | None = Field(None, description=_FLAG)


class ImportIdRequest(_Body):
    apiKey: str | None = _KEY
    importId: str


class ImportStarted(Ok):
    importId: str
    status: Literal["queued"]


class ImportRapport(BaseModel):
    nbline: int
    nbline_imported: int
    nbline_updated: int
    nbline_skipped: int
    nbline_warnings: int
    errors: BatchErrors


class ImportDetail(BaseModel):
    importId: str
    groupId: str
    fileName: str
    status: Literal["queued", "running", "done", "failed", "cancelled"]
    bytesTotal: int
    bytesDone: int
    rowsRead: int
    rapport: ImportRapport
    warnings: int
    createdAt: str
    startedAt: str
    finishedAt: str
    error: str


class ImportDetailAnswer(Ok):
    import_: ImportDetail = Field(alias="import")


class ImportList(Ok):
    currentPage: int
    total: int
    imports: list[ImportDetail]
