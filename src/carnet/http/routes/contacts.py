"""Routes: /v1/contact/*."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from carnet.domain import book
from carnet.domain.batch import BatchReport
from carnet.http import shapes
from carnet.http.endpoint import Call, answer
from carnet.http.openapi import route_doc
from carnet.http.schemas import (
    BatchAdded,
    ContactAdded,
    ContactAddRequest,
    ContactDetailAnswer,
    ContactIdRequest,
    ContactListRequest,
    ContactPage,
    ContactUpdateRequest,
    Ok,
)

router = APIRouter(prefix="/v1/contact", tags=["contacts"])


def _add(call: Call) -> dict[str, Any]:
    added = book.add_to_group(
        call.store, call.account, call.get("groupId"), call.get("contact"), call.get("contactsList")
    )
    if isinstance(added, BatchReport):
        return shapes.batch_report(added)
    return {"contact": shapes.contact_as_sent(added)}


def _update(call: Call) -> dict[str, Any]:
    updated = book.update_contact(
        call.store, call.account, call.get("contactId"), call.get("contact")
    )
    return {"contact": shapes.contact_as_sent(updated)}


def _delete(call: Call) -> dict[str, Any]:
    book.delete_contact(call.store, call.account, call.get("contactId"))
    return {}


def _detail(call: Call) -> dict[str, Any]:
    stored = book.get_contact(call.store, call.account, call.get("contactId"))
    return {"contact": shapes.contact_detail(stored)}


def _list(call: Call) -> dict[str, Any]:
    page = book.list_contacts(call.store, call.account, call.get("groupId"), call.get("page"))
    return {
        "currentPage": page.number,
        "total": page.total,
        "datas": [shapes.contact_detail(c) for c in page.contacts],
    }


@router.post(
    "/add",
    summary="Add a contact, or a batch of up to 500 (contactsList)",
    **route_doc(
        ContactAdded | BatchAdded,
        body=ContactAddRequest,
        errors=(400, 401, 404, 405, 409, 413, 429),
    ),
)
async def add_contact(request: Request) -> Response:
    return await answer(request, _add)


@router.post(
    "/update",
    summary="Change some fields of a contact",
    **route_doc(
        ContactAdded, body=ContactUpdateRequest, errors=(400, 401, 404, 405, 409, 413, 429)
    ),
)
async def update_contact(request: Request) -> Response:
    return await answer(request, _update)


@router.post("/delete", summary="Delete a contact", **route_doc(Ok, body=ContactIdRequest))
async def delete_contact(request: Request) -> Response:
    return await answer(request, _delete)


@router.get(
    "/detail",
    summary="One contact",
    **route_doc(ContactDetailAnswer, query=("contactId",), errors=(400, 401, 404, 429)),
)
async def contact_detail(request: Request) -> Response:
    return await answer(request, _detail)


@router.get(
    "/list",
    summary="A page of a group's contacts, oldest first",
    **route_doc(ContactPage, body=ContactListRequest, query=("groupId", "page")),
)
@router.post(
    "/list",
    summary="A page of a group's contacts, oldest first",
    **route_doc(ContactPage, body=ContactListRequest, query=("groupId", "page")),
)
async def list_contacts(request: Request) -> Response:
    return await answer(request, _list)
