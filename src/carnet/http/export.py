"""``GET /v1/contact/export`` (carnet's own): a whole group in one streamed answer.

The group is looked up before the answer starts, so an unknown group is the
usual 404 envelope and no byte of a file. Then contacts are written a chunk at
a time as they are read (:func:`carnet.domain.export.export_group`): memory
stays flat however large the group. ``format=csv`` (the default) writes the
columns of :data:`carnet.contract.EXPORT_COLUMNS` under a header, UTF-8 with
``,`` (``excel=1``: UTF-8 with a BOM and ``;``); ``format=ndjson`` writes one
contact per line, shaped like ``contact/detail``. ``X-Total-Count`` says how
many contacts the group held when the export began.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from carnet.contract import EXPORT_COLUMNS, EXPORT_FORMATS
from carnet.domain import export
from carnet.domain.records import ContactRecord
from carnet.errors import InvalidParameter
from carnet.http import shapes
from carnet.http.handlers import Call, Handler
from carnet.http.imports import _authenticated
from carnet.http.params import flag, required_id
from carnet.http.wire import Params, read_params

_MEDIA = {"csv": "text/csv; charset=utf-8", "ndjson": "application/x-ndjson"}


def _format(params: Params) -> str:
    value = params.get("format")
    if value is None or value == "":
        return EXPORT_FORMATS[0]
    if isinstance(value, str) and value.strip().lower() in EXPORT_FORMATS:
        return value.strip().lower()
    reason = "must be " + " or ".join(EXPORT_FORMATS)
    raise InvalidParameter(f"format {reason}", errors={"format": reason})


def export_contacts(call: Call) -> dict[str, Any]:
    """``GET /v1/contact/export``: the group, and its contacts as bytes (``content``)."""
    group_id = required_id(call.params, "groupId")
    group, chunks = export.export_group(call.store, call.account, group_id)
    fmt = _format(call.params)
    excel = flag(call.params, "excel")
    content = _ndjson(chunks) if fmt == "ndjson" else _csv(chunks, excel=excel)
    return {"group": group, "format": fmt, "content": content}


def _ndjson(chunks: Iterator[list[ContactRecord]]) -> Iterator[bytes]:
    for contacts in chunks:
        lines = (json.dumps(shapes.contact_detail(c), ensure_ascii=False) for c in contacts)
        yield "".join(line + "\n" for line in lines).encode("utf-8")


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _csv(chunks: Iterator[list[ContactRecord]], *, excel: bool) -> Iterator[bytes]:
    text = io.StringIO()
    out = csv.writer(text, delimiter=";" if excel else ",")
    out.writerow([column for column, _ in EXPORT_COLUMNS])
    head = "\ufeff" if excel else ""
    yield (head + text.getvalue()).encode("utf-8")
    for contacts in chunks:
        text.seek(0)
        text.truncate()
        for contact in contacts:
            detail = shapes.contact_detail(contact)
            out.writerow([_cell(detail[key]) for _, key in EXPORT_COLUMNS])
        yield text.getvalue().encode("utf-8")


async def answer_export(request: Request, handler: Handler) -> Response:
    """The export's route: checked as every route, then streamed."""
    params = await read_params(request)
    payload = await _authenticated(request, params, handler)
    group = payload["group"]
    fmt = payload["format"]
    name = f"{group.public_id}.{'csv' if fmt == 'csv' else 'ndjson'}"
    return StreamingResponse(
        payload["content"],
        media_type=_MEDIA[fmt],
        headers={
            "Content-Disposition": f'attachment; filename="{name}"',
            "X-Total-Count": str(group.contact_count),
        },
    )
