"""Import jobs on the wire (carnet's own): ``/v1/import/add``, ``detail``, ``list``,
``cancel`` and ``rejects``.

``import/add`` takes a ``multipart/form-data`` upload: Starlette's parser
spools the file to disk as it arrives (past 1 MiB), so the file is never whole
in memory, and the body limit of that path is ``CARNET_IMPORT_MAX_BYTES``.
``import/rejects`` answers CSV, streamed a page of rows at a time. Both answer
their errors in the contract's envelope, after the same checks as every route.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from carnet.domain import groups, imports
from carnet.domain.accounts import authenticate
from carnet.domain.import_runner import ImportRunner
from carnet.errors import InvalidParameter, MissingParameter
from carnet.http import import_shapes as shapes
from carnet.http.handlers import Call, Handler
from carnet.http.params import batch_options, flag, page_number, required_id
from carnet.http.ratelimit import limit_key
from carnet.http.wire import (
    Params,
    api_key,
    parse_nested,
    read_params,
    render,
    success_body,
    wants_xml,
)
from carnet.settings import Settings
from carnet.storage import Store

IMPORT_UPLOAD_PATH = "/v1/import/add"
# Form fields an upload may have besides its file: its parameters, with room to spare.
_MAX_FIELDS = 64


def import_runner(store: Store, settings: Settings) -> ImportRunner:
    """The server's runner of import jobs, as its settings ask."""
    return ImportRunner(
        store,
        concurrency=settings.import_concurrency,
        keep_days=settings.import_keep_days,
        audit_keep_days=settings.audit_keep_days,
        lease_seconds=settings.import_lease_seconds,
    )


@dataclass(frozen=True, slots=True)
class ImportCall(Call):
    """A request to an import endpoint, with the server's settings (its limits)."""

    settings: Settings = field(default_factory=Settings)


def _settings(call: Call) -> Settings:
    return call.settings if isinstance(call, ImportCall) else Settings()


# -- handlers --------------------------------------------------------------------


def _mapping(params: Params) -> dict[str, str]:
    raw = params.get("map")
    if raw is None or raw == "":
        return {}
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raw = None
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        message = 'map must be a JSON object of column -> field, e.g. {"Portable": "phone"}'
        raise InvalidParameter(message, errors={"map": "must be an object"})
    return {str(k): v for k, v in raw.items()}


def _text(params: Params, name: str) -> str | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InvalidParameter(f"{name} must be a string", errors={name: "must be a string"})
    return value


def _import_request(params: Params, group_id: str) -> tuple[imports.ImportRequest, UploadFile]:
    upload = params.get("file")
    if upload is None:
        raise MissingParameter("file is required", errors={"file": "required"})
    if not isinstance(upload, UploadFile):
        raise InvalidParameter("file must be a file upload", errors={"file": "not a file"})
    request = imports.ImportRequest(
        group_id=group_id,
        file_name=(upload.filename or "upload")[:255],
        mapping=_mapping(params),
        date_format=_text(params, "dateFormat") or "auto",
        sheet=_text(params, "sheet"),
        options=batch_options(params),
        skip_existing=flag(params, "skipExisting"),
    )
    return request, upload


def add_import(call: Call) -> dict[str, Any]:
    """``POST /v1/import/add``: the new job's id, queued."""
    group_id = required_id(call.params, "groupId")
    try:
        request, upload = _import_request(call.params, group_id)
    except (InvalidParameter, MissingParameter):
        # An unknown group (404) answers before the upload's form.
        groups.get_group(call.store, call.account, group_id)
        raise
    limit = _settings(call).import_max_bytes
    job = imports.start_import(call.store, call.account, request, upload.file, max_bytes=limit)
    return {"importId": job.public_id, "status": job.status}


def import_detail(call: Call) -> dict[str, Any]:
    """``GET /v1/import/detail``: the job, its progress and counts."""
    job = imports.get_import(call.store, call.account, required_id(call.params, "importId"))
    return {"import": shapes.import_detail(job)}


def list_imports(call: Call) -> dict[str, Any]:
    """``GET /v1/import/list``: a page of the account's jobs, newest first."""
    page = imports.list_imports(call.store, call.account, page_number(call.params))
    return {
        "currentPage": page.number,
        "total": page.total,
        "imports": [shapes.import_detail(job) for job in page.jobs],
    }


def cancel_import(call: Call) -> dict[str, Any]:
    """``POST /v1/import/cancel``: the job, cancelled or stopping after its current batch."""
    import_id = required_id(call.params, "importId")
    job = imports.cancel_import(call.store, call.account, import_id)
    return {"import": shapes.import_detail(job)}


def import_rejects(call: Call) -> dict[str, Any]:
    """``GET /v1/import/rejects``: the refused rows as CSV (``content``, streamed)."""
    job, content = imports.import_rejects(
        call.store,
        call.account,
        required_id(call.params, "importId"),
        warnings=flag(call.params, "warnings"),
        excel=flag(call.params, "excel"),
        keep_days=_settings(call).import_keep_days,
    )
    return {"job": job, "content": content}


# -- answering -------------------------------------------------------------------


async def _read_upload(request: Request) -> tuple[Params, FormData | None]:
    """The parameters of an upload (the file as an UploadFile under ``file``)."""
    if not request.headers.get("content-type", "").lower().startswith("multipart/form-data"):
        return await read_params(request), None
    params = parse_nested(request.query_params.multi_items())
    form = await request.form(max_files=1, max_fields=_MAX_FIELDS)
    for name, value in form.multi_items():
        if isinstance(value, UploadFile):
            if name == "file":
                params["file"] = value
        else:
            params[name] = value
    return params, form


async def _authenticated(request: Request, params: Params, handler: Handler) -> dict[str, Any]:
    """Run ``handler`` as every route does: rate limit by key, authenticate, off the loop."""
    request.state.params = params
    store: Store = request.app.state.store
    key = api_key(params, request)
    await limit_key(request, key)
    settings: Settings = request.app.state.settings

    def run() -> dict[str, Any]:
        account = authenticate(store, key)
        return dict(handler(ImportCall(store, account, params, settings)))

    return await run_in_threadpool(run)


async def answer_upload(request: Request, handler: Handler) -> Response:
    """An upload's route: the file spooled to disk, then the handler; the runner woken."""
    params, form = await _read_upload(request)
    try:
        payload = await _authenticated(request, params, handler)
    finally:
        if form is not None:
            await form.close()
    runner: ImportRunner | None = getattr(request.app.state, "import_runner", None)
    if runner is not None:
        runner.wake()
    return render(success_body(payload), xml=wants_xml(params, request))


async def answer_csv(request: Request, handler: Handler) -> Response:
    """A route answering CSV: checked as every route, then streamed."""
    params = await read_params(request)
    payload = await _authenticated(request, params, handler)
    job = payload["job"]
    encoding = shapes.charset(imports.rejects_format(job, excel=flag(params, "excel")).encoding)
    name = f"{job.public_id}-{'warnings' if flag(params, 'warnings') else 'rejects'}.csv"
    return StreamingResponse(
        payload["content"],
        media_type=f"text/csv; charset={encoding}",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


Answering = Callable[[Request, Handler], Awaitable[Response]]
