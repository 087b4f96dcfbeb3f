"""Request and answer shapes, for the OpenAPI document only.

Requests are read by :mod:`carnet.http.params` and judged by the domain; these
models only describe what is accepted and answered. Contact fields, their
limits, the batch size and the report's buckets come from :mod:`carnet.contract`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from carnet.contract import (
    BATCH_MAX,
    BUCKETS,
    CONTACT_DETAIL_KEYS,
    CONTACT_FIELDS,
    GROUP_NAME_MAX,
    LOOKUP_MAX,
    MOVE_MAX,
    NOT_FOUND_BUCKET,
    STOP_ID_LIMIT,
    ContactField,
)

_KEY = Field(None, description="API key; or the X-Api-Key or Authorization: Bearer header")

_DESCRIPTIONS = {
    "phone": "French national or international number",
    "date": "YYYY-MM-DD",
    "url": "http:// or https:// URL",
    "datetime": "ISO 8601 date-time, not in the future (carnet's own)",
}


class _Body(BaseModel):
    model_config = ConfigDict(extra="allow")


def _model(name: str, fields: dict[str, Any], base: type[BaseModel] = BaseModel) -> Any:
    """A model built from a table of the contract: ``fields`` maps names to (type, default)."""
    return create_model(name, __base__=base, **fields)


def _field(field: ContactField, *, required: bool) -> tuple[Any, Any]:
    description = _DESCRIPTIONS.get(field.rule)
    if required:
        return str, Field(description=description, max_length=field.limit)
    return str | None, Field(None, description=description, max_length=field.limit)


# The models drawn from the contract's tables. The type checker sees them as
# plain models; their fields exist only once the tables are read.
if TYPE_CHECKING:
    ContactFields = BaseModel
    ContactChanges = BaseModel
    ContactAsSent = BaseModel
    ContactDetail = BaseModel
    BatchErrors = BaseModel
    TransferErrors = BaseModel
else:
    ContactFields = _model(
        "ContactFields", {f.wire: _field(f, required=f.required) for f in CONTACT_FIELDS}, _Body
    )
    ContactChanges = _model(
        "ContactChanges", {f.wire: _field(f, required=False) for f in CONTACT_FIELDS}, _Body
    )
    ContactAsSent = _model(
        "ContactAsSent", {**{f.wire: (str, ...) for f in CONTACT_FIELDS}, "contactId": (str, ...)}
    )
    ContactDetail = _model(
        "ContactDetail",
        {key: (bool if key == "stopSms" else str, ...) for key in CONTACT_DETAIL_KEYS},
    )
    BatchErrors = _model("BatchErrors", {bucket: (int, ...) for bucket in BUCKETS})
    TransferErrors = _model(
        "TransferErrors", {bucket: (int, ...) for bucket in (*BUCKETS, NOT_FOUND_BUCKET)}
    )


class GroupAddRequest(_Body):
    apiKey: str | None = _KEY
    name: str = Field(max_length=GROUP_NAME_MAX)


class GroupUpdateRequest(_Body):
    apiKey: str | None = _KEY
    groupId: str
    name: str = Field(max_length=GROUP_NAME_MAX)


class GroupIdRequest(_Body):
    apiKey: str | None = _KEY
    groupId: str


class ContactAddRequest(_Body):
    apiKey: str | None = _KEY
    groupId: str
    contact: ContactFields | None = None
    contactsList: list[ContactFields] | None = Field(None, max_length=BATCH_MAX)
    upsert: bool | None = Field(
        None,
        description="carnet's own, with a batch: a number the group holds is updated with "
        "the row's non-empty fields (nbline_updated) instead of refused",
    )


class ContactUpdateRequest(_Body):
    apiKey: str | None = _KEY
    contactId: str
    contact: ContactChanges


class TransferRequest(_Body):
    apiKey: str | None = _KEY
    groupId: str = Field(description="the group the contacts go to")
    contactIds: list[str] | str = Field(
        description=f"up to {MOVE_MAX} contact ids: a JSON list, or comma-separated"
    )


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
    id: int | str = Field(description="a positive integer, or a string of its digits")


class LookupRequest(_Body):
    apiKey: str | None = _KEY
    phoneNumbers: str = Field(
        description=f"up to {LOOKUP_MAX} numbers, comma-separated (or a JSON list)"
    )


# -- answers -----------------------------------------------------------------


class FieldError(BaseModel):
    elementId: str = Field(examples=["children[phoneNumber].data"])
    message: str


class ErrorBody(BaseModel):
    success: Literal[False]
    code: int
    message: str
    errors: list[FieldError] | None = None


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
    errors: list[FieldError] | None = Field(
        None, description="a row refused for its fields: each field at fault (carnet's own)"
    )


class BatchRapport(BaseModel):
    nbline: int
    nbline_imported: int
    nbline_updated: int
    errors: BatchErrors


class BatchAdded(Ok):
    groupe: BatchGroup
    results: list[BatchRow]
    rapport: BatchRapport


class TransferRapport(BaseModel):
    nbline: int
    nbline_imported: int = Field(description="contacts moved or copied")
    nbline_updated: int
    errors: TransferErrors


class TransferReport(Ok):
    """A batch report's shape; ``notFound`` counts ids the account does not hold (404)."""

    groupe: BatchGroup
    results: list[BatchRow]
    rapport: TransferRapport


class ContactDetailAnswer(Ok):
    contact: ContactDetail


class ContactPage(Ok):
    currentPage: int
    total: str = Field(pattern="^[0-9]+$", description="a string of digits, as upstream")
    datas: list[ContactDetail]


class StopItem(BaseModel):
    id: int = Field(ge=1, lt=STOP_ID_LIMIT)
    phoneNumber: str
    createdAt: str = Field(examples=["2015-07-20 10:19:45"], description="as upstream writes it")


class StopList(Ok):
    nbData: int
    data: list[StopItem]


class StopAdded(Ok):
    stopId: int = Field(ge=1, lt=STOP_ID_LIMIT)


class ContactSearchAnswer(Ok):
    """carnet's own: ``stopId`` is there only when the number is on the stop list."""

    phoneNumber: str
    contacts: list[ContactDetail]
    stopSms: bool
    stopId: int | str | None = None


class NumberFormats(BaseModel):
    e164: str
    international: str
    national: str
    rfc3966: str


class NumberLookup(BaseModel):
    """One number; ``success`` false (and the rest empty) when it is not a valid one."""

    request: str
    success: bool
    countryCode: str
    prefixCode: int
    phoneNumber: str
    type: str
    network: str
    format: NumberFormats


class LookupAnswer(Ok):
    lookup: list[NumberLookup]


class Health(BaseModel):
    status: str
    database: str
