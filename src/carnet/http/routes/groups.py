"""Routes: /v1/group/*."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from carnet.domain import groups
from carnet.http import shapes
from carnet.http.endpoint import Call, answer
from carnet.http.openapi import route_doc
from carnet.http.schemas import GroupAdded, GroupAddRequest, GroupIdRequest, GroupList, Ok

router = APIRouter(prefix="/v1/group", tags=["groups"])


def _add(call: Call) -> dict[str, Any]:
    group = groups.add_group(call.store, call.account, call.get("name"))
    return {"name": group.name, "groupId": group.public_id}


def _list(call: Call) -> dict[str, Any]:
    return {"groups": [shapes.group(g) for g in groups.list_groups(call.store, call.account)]}


def _delete(call: Call) -> dict[str, Any]:
    groups.delete_group(call.store, call.account, call.get("groupId"))
    return {}


@router.post("/add", summary="Create a group", **route_doc(GroupAdded, body=GroupAddRequest))
async def add_group(request: Request) -> Response:
    return await answer(request, _add)


@router.get("/list", summary="List the account's groups", **route_doc(GroupList, errors=(401, 429)))
async def list_groups(request: Request) -> Response:
    return await answer(request, _list)


@router.delete(
    "/delete",
    summary="Delete a group and its contacts",
    **route_doc(Ok, body=GroupIdRequest, query=("groupId",)),
)
@router.post(
    "/delete",
    summary="Delete a group and its contacts",
    **route_doc(Ok, body=GroupIdRequest, query=("groupId",)),
)
async def delete_group(request: Request) -> Response:
    return await answer(request, _delete)
