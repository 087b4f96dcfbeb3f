"""The API's routes as data: one table of path, methods, handler and documentation.

:data:`ENDPOINTS` is the table; :func:`api_routes` registers it in one loop and
:mod:`carnet.http.openapi` documents it. Every route runs the same way
(:func:`answer`): read the wire, authenticate, run the handler off the event
loop, wrap its result in the success envelope.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import Executor
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from carnet.domain.accounts import authenticate, known_account
from carnet.domain.single_adds import SingleAdds
from carnet.http import export as export_handlers
from carnet.http import handlers, privacy
from carnet.http import hooks as hook_handlers
from carnet.http import imports as import_handlers
from carnet.http import openapi_hooks as hook_doc
from carnet.http import openapi_imports as import_doc
from carnet.http import openapi_models as doc
from carnet.http import openapi_privacy as privacy_doc
from carnet.http.export import answer_export
from carnet.http.handlers import Call, Handler, LoopHandler
from carnet.http.imports import Answering, answer_csv, answer_upload
from carnet.http.ratelimit import limit_key
from carnet.http.wire import api_key, read_params, render, success_body, wants_xml
from carnet.storage import Store

T = TypeVar("T")

# The error answers an endpoint documents, unless its entry says otherwise.
WRITE_ERRORS = (400, 401, 404, 405, 413, 429)
CONFLICT_ERRORS = (400, 401, 404, 405, 409, 413, 429)
LIST_ERRORS = (400, 401, 413, 429)
READ_ERRORS = (400, 401, 404, 413, 429)


@dataclass(frozen=True, slots=True)
class Endpoint:
    """One endpoint: where it is, what runs, and how the OpenAPI document describes it."""

    path: str
    methods: tuple[str, ...]
    handler: Handler
    summary: str
    tag: str
    answers: tuple[type[BaseModel], ...]  # the success answer's shapes
    body: type[BaseModel] | None = None  # the parameters, as a body (not for GET)
    query: tuple[str, ...] = ()  # parameters documented in the query string
    errors: tuple[int, ...] = WRITE_ERRORS
    # How the route answers, when not as :func:`answer` does (an upload, a CSV file).
    answering: Answering | None = None
    body_media: tuple[str, ...] = ("application/json", "application/x-www-form-urlencoded")
    answer_media: str | None = None  # the success answer's type, when not JSON or XML
    authenticated: bool = True  # False: no API key (the replies URL's token is its own)
    # Answers on the event loop what it can (None: ``handler`` answers, off the loop).
    on_loop: LoopHandler | None = None


_GROUPS, _CONTACTS, _STOPS = "groups", "contacts", "stop list"
_IMPORTS = "import jobs (carnet's own)"
_NUMBERS = "numbers"
_REPLIES, _WEBHOOKS = "replies (carnet's own)", "webhooks (carnet's own)"
_PRIVACY = "privacy (carnet's own)"

ENDPOINTS: tuple[Endpoint, ...] = (
    Endpoint("/v1/group/add", ("POST",), handlers.add_group, "Create a group", _GROUPS,
             (doc.GroupAdded,), body=doc.GroupAddRequest),
    Endpoint("/v1/group/list", ("GET",), handlers.list_groups, "List the account's groups",
             _GROUPS, (doc.GroupList,), errors=LIST_ERRORS),
    Endpoint("/v1/group/update", ("POST",), handlers.update_group,
             "Rename a group (carnet's own)", _GROUPS, (doc.GroupAdded,),
             body=doc.GroupUpdateRequest),
    Endpoint("/v1/group/delete", ("DELETE", "POST"), handlers.delete_group,
             "Delete a group and its contacts", _GROUPS, (doc.Ok,), body=doc.GroupIdRequest,
             query=("groupId",)),
    Endpoint("/v1/groupe/delete", ("DELETE", "POST"), handlers.delete_group,
             "Delete a group and its contacts (upstream's French path)", _GROUPS, (doc.Ok,),
             body=doc.GroupIdRequest, query=("groupId",)),
    Endpoint("/v1/contact/add", ("POST",), handlers.add_contacts,
             "Add a contact, or a batch of up to 500 (contactsList)", _CONTACTS,
             (doc.ContactAdded, doc.BatchAdded), body=doc.ContactAddRequest,
             errors=CONFLICT_ERRORS, on_loop=handlers.add_one_contact),
    Endpoint("/v1/contact/update", ("POST",), handlers.update_contact,
             "Change some fields of a contact", _CONTACTS, (doc.ContactAdded,),
             body=doc.ContactUpdateRequest, errors=CONFLICT_ERRORS),
    Endpoint("/v1/contact/delete", ("POST",), handlers.delete_contact, "Delete a contact",
             _CONTACTS, (doc.Ok,), body=doc.ContactIdRequest),
    Endpoint("/v1/contact/move", ("POST",), handlers.move_contacts,
             "Move up to 500 contacts into a group, keeping their ids (carnet's own)",
             _CONTACTS, (doc.TransferReport,), body=doc.TransferRequest),
    Endpoint("/v1/contact/copy", ("POST",), handlers.copy_contacts,
             "Copy up to 500 contacts into a group, as new contacts (carnet's own)",
             _CONTACTS, (doc.TransferReport,), body=doc.TransferRequest),
    Endpoint("/v1/contact/detail", ("GET",), handlers.contact_detail, "One contact", _CONTACTS,
             (doc.ContactDetailAnswer,), query=("contactId",), errors=READ_ERRORS),
    Endpoint("/v1/contact/list", ("GET", "POST"), handlers.list_contacts,
             "A page of a group's contacts, oldest first", _CONTACTS, (doc.ContactPage,),
             body=doc.ContactListRequest, query=("groupId", "page")),
    Endpoint("/v1/contact/export", ("GET",), export_handlers.export_contacts,
             "A whole group in one streamed answer, CSV or NDJSON (carnet's own)", _CONTACTS,
             (), query=("groupId", "format", "excel"), errors=READ_ERRORS,
             answering=answer_export, answer_media="text/csv"),
    Endpoint("/v1/stop-sms/list", ("GET",), handlers.list_stops, "The account's stop list",
             _STOPS, (doc.StopList,), errors=LIST_ERRORS),
    Endpoint("/v1/stop-sms/add", ("POST",), handlers.add_stop, "Put a number on the stop list",
             _STOPS, (doc.StopAdded,), body=doc.StopAddRequest),
    Endpoint("/v1/stop-sms/delete", ("GET", "POST"), handlers.delete_stop,
             "Take an entry off the stop list", _STOPS, (doc.Ok,), body=doc.StopIdRequest,
             query=("id",)),
    Endpoint("/v1/contact/search", ("GET",), handlers.search_contacts,
             "Every contact with a number, any spelling, across the account's groups "
             "(carnet's own)", _CONTACTS, (doc.ContactSearchAnswer,), query=("phoneNumber",),
             errors=LIST_ERRORS),
    Endpoint("/v1/lookup", ("POST",), handlers.lookup_numbers,
             "Country, type, network and formats of up to 500 numbers", _NUMBERS,
             (doc.LookupAnswer,), body=doc.LookupRequest, query=("phoneNumbers",),
             errors=LIST_ERRORS),
    Endpoint("/v1/import/add", ("POST",), import_handlers.add_import,
             "Upload a file to import into a group, as a job (carnet's own)", _IMPORTS,
             (import_doc.ImportStarted,), body=import_doc.ImportAddRequest,
             answering=answer_upload, body_media=("multipart/form-data",)),
    Endpoint("/v1/import/detail", ("GET",), import_handlers.import_detail,
             "An import job: progress and counts (carnet's own)", _IMPORTS,
             (import_doc.ImportDetailAnswer,), query=("importId",), errors=READ_ERRORS),
    Endpoint("/v1/import/list", ("GET",), import_handlers.list_imports,
             "The account's import jobs, newest first (carnet's own)", _IMPORTS,
             (import_doc.ImportList,), query=("page",), errors=LIST_ERRORS),
    Endpoint("/v1/import/cancel", ("POST",), import_handlers.cancel_import,
             "Cancel an import job after its current batch (carnet's own)", _IMPORTS,
             (import_doc.ImportDetailAnswer,), body=import_doc.ImportIdRequest),
    Endpoint("/v1/import/rejects", ("GET",), import_handlers.import_rejects,
             "An import job's refused rows, as CSV (carnet's own)", _IMPORTS, (),
             query=("importId", "warnings", "excel"), errors=READ_ERRORS, answering=answer_csv,
             answer_media="text/csv"),
    Endpoint(hook_handlers.REPLIES_PATH, ("POST",), hook_handlers.receive_reply,
             "Receive a reply posted by the SMS provider; STOP replies stop the number "
             "(carnet's own)", _REPLIES, (hook_doc.ReplyReceived,), body=hook_doc.ReplyRequest,
             errors=(400, 404, 405, 413, 429), answering=hook_handlers.answer_reply,
             authenticated=False),
    Endpoint("/v1/reply/list", ("GET",), hook_handlers.list_replies,
             "The account's replies, newest first (carnet's own)", _REPLIES,
             (hook_doc.ReplyList,), query=("page",), errors=LIST_ERRORS),
    Endpoint("/v1/webhook/add", ("POST",), hook_handlers.add_webhook,
             "Send some events to a URL (carnet's own)", _WEBHOOKS, (hook_doc.WebhookAdded,),
             body=hook_doc.WebhookAddRequest, answering=hook_handlers.answer_with_settings),
    Endpoint("/v1/webhook/list", ("GET",), hook_handlers.list_webhooks,
             "The account's webhooks (carnet's own)", _WEBHOOKS, (hook_doc.WebhookList,),
             errors=LIST_ERRORS),
    Endpoint("/v1/webhook/delete", ("POST",), hook_handlers.delete_webhook,
             "Delete a webhook (carnet's own)", _WEBHOOKS, (doc.Ok,),
             body=hook_doc.WebhookIdRequest),
    Endpoint("/v1/webhook/deliveries", ("GET",), hook_handlers.list_deliveries,
             "A webhook's deliveries, newest first (carnet's own)", _WEBHOOKS,
             (hook_doc.DeliveryList,), query=("webhookId", "page"), errors=READ_ERRORS),
    Endpoint("/v1/person/export", ("GET",), privacy.export_person,
             "Everything the account holds about one number, any spelling (carnet's own)",
             _PRIVACY, (privacy_doc.PersonExport,), query=("phoneNumber",), errors=LIST_ERRORS),
    Endpoint("/v1/person/erase", ("POST",), privacy.erase_person,
             "Erase a number's data everywhere; its stop-list entry stays (carnet's own)",
             _PRIVACY, (privacy_doc.PersonErased,), body=privacy_doc.PersonRequest,
             errors=LIST_ERRORS),
    Endpoint("/v1/audit/list", ("GET",), privacy.list_audit,
             "The account's audit trail, newest first (carnet's own)", _PRIVACY,
             (privacy_doc.AuditList,), query=("page", "action", "from", "to"),
             errors=LIST_ERRORS),
)  # fmt: skip


async def answer(request: Request, entry: Endpoint) -> Response:
    """Run ``entry``'s handler for this request and wrap its result in the success envelope.

    Checks run in the contract's order: the body's size (middleware), its JSON,
    the API key, then whatever the handler checks. The per-key rate limit is
    counted once the key is read, before it is looked up. What needs the
    database runs off the event loop, except what ``entry.on_loop`` answers.
    """
    params = await read_params(request)
    request.state.params = params
    store: Store = request.app.state.store
    key = api_key(params, request)
    await limit_key(request, key)
    account = known_account(store, key)
    if account is None:
        account = await off_loop(request, authenticate, store, key)
    request.state.account = account.name  # for the access line; never the key
    call = Call(store, account, params)
    payload: Mapping[str, Any] | None = None
    adds: SingleAdds | None = request.app.state.single_adds
    if entry.on_loop is not None and adds is not None:
        payload = await entry.on_loop(call, adds)
    if payload is None:
        payload = await off_loop(request, entry.handler, call)
    return render(success_body(payload), xml=wants_xml(params, request))


async def off_loop(request: Request, work: Callable[..., T], *args: Any) -> T:
    """``work(*args)`` in one of the app's threads, the event loop free meanwhile."""
    threads: Executor | None = request.app.state.handler_threads
    if threads is None:
        return await run_in_threadpool(work, *args)
    # Straight to the app's own threads: anyio's hop costs several times more
    # on the event loop, which is what a busy worker runs out of.
    return await asyncio.get_running_loop().run_in_executor(threads, work, *args)


def _endpoint(entry: Endpoint) -> Callable[[Request], Awaitable[Response]]:
    async def endpoint(request: Request) -> Response:
        return await answer(request, entry)

    endpoint.__name__ = entry.handler.__name__
    return endpoint


def route(
    path: str, endpoint: Callable[[Request], Awaitable[Response]], methods: tuple[str, ...]
) -> Route:
    """A Starlette route answering exactly ``methods``."""
    made = Route(path, endpoint, methods=list(methods))
    # Starlette adds HEAD wherever GET is allowed; the contract lists the methods.
    assert made.methods is not None
    if "HEAD" not in methods:
        made.methods.discard("HEAD")
    return made


def api_routes() -> list[Route]:
    """A route for each endpoint of the table, registered in one loop."""
    return [route(e.path, _answering(e), e.methods) for e in ENDPOINTS]


def _answering(entry: Endpoint) -> Callable[[Request], Awaitable[Response]]:
    if entry.answering is None:
        return _endpoint(entry)
    answering = entry.answering

    async def endpoint(request: Request) -> Response:
        return await answering(request, entry.handler)

    endpoint.__name__ = entry.handler.__name__
    return endpoint
