"""Routes: /v1/stop-sms/*."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from carnet.domain import stoplist
from carnet.http import shapes
from carnet.http.endpoint import Call, answer
from carnet.http.openapi import route_doc
from carnet.http.schemas import Ok, StopAdded, StopAddRequest, StopIdRequest, StopList

router = APIRouter(prefix="/v1/stop-sms", tags=["stop list"])


def _list(call: Call) -> dict[str, Any]:
    entries = stoplist.list_stops(call.store, call.account)
    return {"nbData": len(entries), "data": [shapes.stop_entry(e) for e in entries]}


def _add(call: Call) -> dict[str, Any]:
    entry = stoplist.add_stop(call.store, call.account, call.get("phoneNumber"))
    return {"stopId": entry.public_id}


def _delete(call: Call) -> dict[str, Any]:
    stoplist.delete_stop(call.store, call.account, call.get("id"))
    return {}


@router.get("/list", summary="The account's stop list", **route_doc(StopList, errors=(401, 429)))
async def list_stops(request: Request) -> Response:
    return await answer(request, _list)


@router.post(
    "/add", summary="Put a number on the stop list", **route_doc(StopAdded, body=StopAddRequest)
)
async def add_stop(request: Request) -> Response:
    return await answer(request, _add)


@router.get(
    "/delete",
    summary="Take an entry off the stop list",
    **route_doc(Ok, body=StopIdRequest, query=("id",)),
)
@router.post(
    "/delete",
    summary="Take an entry off the stop list",
    **route_doc(Ok, body=StopIdRequest, query=("id",)),
)
async def delete_stop(request: Request) -> Response:
    return await answer(request, _delete)
