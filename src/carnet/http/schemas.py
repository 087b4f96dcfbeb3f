"""Request and response shapes, for the OpenAPI description only.

Requests are read by :mod:`carnet.http.wire` (JSON, form or query string) and
judged by the domain; these models document what is accepted and answered.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

_KEY = Field(None, description="API key; or the X-Api-Key or Authorization: Bearer header")


class _Body(BaseModel):
    model_config = ConfigDict(extra="allow")


class ContactFields(_Body):
    phoneNumber: str = Field(description="French national or international number")
    firstname: str | None = Field(None, max_length=32)
    lastname: str | None = Field(None, max_length=32)
    date: str | None = Field(None, description="YYYY-MM-DD")
    url: str | None = Field(None, description="http:// or https:// URL", max_length=2048)
    shortUrlPartnr: str | None = None
    custom1: str | None = Field(None, max_length=255)
    custom2: str | None = Field(None, max_length=255)
    custom3: str | None = Field(None, max_length=255)
    custom4: str | None = Field(None, max_length=255)


class ContactChanges(_Body):
    phoneNumber: str | None = None
    firstname: str | None = None
    lastname: str | None = None
    date: str | None = None
    url: str | None = None
    shortUrlPartnr: str | None = None
    custom1: str | None = None
    custom2: str | None = None
    custom3: str | None = None
    custom4: str | None = None


class GroupAddRequest(_Body):
    apiKey: str | None = _KEY
    name: str


class GroupIdRequest(_Body):
    apiKey: str | None = _KEY
    groupId: str


class ContactAddRequest(_Body):
    apiKey: str | None = _KEY
    groupId: str
    contact: ContactFields | None = None
    contactsList: list[ContactFields] | None = Field(None, max_length=500)


class ContactUpdateRequest(_Body):
    apiKey: str | None = _KEY
    contactId: str
    contact: ContactChanges


class ContactIdRequest(_Body):
    apiKey: str | None = _KEY
    contactId: str


class ContactListRequest(_Body):
    apiKey: str | None = _KEY
    groupId: str
    page: int | None = Field(None, ge=1)


class StopAddRequest(_Body):
    apiKey: str | None = _KEY
    phoneNumber: str


class StopIdRequest(_Body):
    apiKey: str | None = _KEY
    id: str


# -- answers -----------------------------------------------------------------


class ErrorBody(BaseModel):
    success: Literal[False]
    code: int
    message: str
    errors: dict[str, str] | None = None


class Ok(BaseModel):
    success: Literal[True]
    code: Literal[200]


class GroupAdded(Ok):
    name: str
    groupId: str


class GroupItem(BaseModel):
    id: str
    name: str
    createdAt: str
    isSpecialFile: bool
    isLocationFile: bool
    contactCount: int


class GroupList(Ok):
    groups: list[GroupItem]


class ContactAsSent(BaseModel):
    phoneNumber: str
    firstname: str
    lastname: str
    date: str
    url: str
    shortUrlPartnr: str
    custom1: str
    custom2: str
    custom3: str
    custom4: str
    contactId: str


class ContactAdded(Ok):
    contact: ContactAsSent


class BatchGroup(BaseModel):
    name: str
    token: str


class BatchRow(BaseModel):
    success: bool
    code: int
    phoneNumber: str
    message: str
    contactId: str


class BatchErrors(BaseModel):
    stopSms: int
    invalidePhone: int
    duplicatePhone: int
    allreadyInGroupe: int
    urlInvalide: int
    dateInvalide: int
    empty: int
    unactivated: int
    dateInvalid: int
    invalidField: int


class BatchRapport(BaseModel):
    nbline: int
    nbline_imported: int
    nbline_updated: int
    errors: BatchErrors


class BatchAdded(Ok):
    groupe: BatchGroup
    results: list[BatchRow]
    rapport: BatchRapport


class ContactDetail(BaseModel):
    contactId: str
    phone: str
    firstname: str
    lastname: str
    url: str
    shortUrl: str
    date: str
    custom1: str
    custom2: str
    custom3: str
    custom4: str
    createdAt: str
    stopSms: bool
    groupId: str


class ContactDetailAnswer(Ok):
    contact: ContactDetail


class ContactPage(Ok):
    currentPage: int
    total: int
    datas: list[ContactDetail]


class StopItem(BaseModel):
    id: str
    phoneNumber: str
    createdAt: str


class StopList(Ok):
    nbData: int
    data: list[StopItem]


class StopAdded(Ok):
    stopId: str


class Health(BaseModel):
    status: str
    database: str
