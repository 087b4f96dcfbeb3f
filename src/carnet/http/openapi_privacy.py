"""Request and answer shapes of a person's data and the audit trail (carnet's own), for the
OpenAPI document."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from carnet.contract import AUDIT_ACTIONS
from carnet.http.openapi_models import ContactDetail, Ok, StopItem

_KEY = Field(None, description="API key; or the X-Api-Key or Authorization: Bearer header")

AuditAction = Literal[AUDIT_ACTIONS]  # type: ignore[valid-type]


class _Body(BaseModel):
    model_config = ConfigDict(extra="allow")


class PersonRequest(_Body):
    apiKey: str | None = _KEY
    phoneNumber: str = Field(description="the person's number, in any spelling")


class KeptImportRow(BaseModel):
    importId: str
    fileName: str
    kind: Literal["refused", "warning"]
    line: int
    code: int
    reason: str
    columns: list[str]
    cells: list[str]


class PersonData(BaseModel):
    phoneNumber: str
    contacts: list[ContactDetail]
    stopList: list[StopItem]
    importRows: list[KeptImportRow]


class PersonExport(Ok):
    person: PersonData


class Erased(BaseModel):
    contacts: int
    importRows: int


class PersonErased(Ok):
    phoneNumber: str
    erased: Erased
    keptOnStopList: bool = Field(description="the number stays on the stop list (the opt-out)")


class AuditEntryItem(BaseModel):
    id: int
    at: str
    who: str = Field(description="the key's first characters (key:…), or a person's email")
    action: AuditAction
    ids: list[str]
    counts: dict[str, int]


class AuditList(Ok):
    currentPage: int
    total: int
    entries: list[AuditEntryItem]
