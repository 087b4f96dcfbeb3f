"""Replies and webhooks on the wire (carnet's own): ``/v1/hooks/replies/{token}``,
``/v1/reply/list`` and ``/v1/webhook/add|list|delete|deliveries``.

The replies URL is posted to by the SMS provider, in either of its shapes
(long numbers: ``msisdn``, ``messageId``, ``text``, ``concat-part``…; the short
number: ``phone_number``, ``message_id``, ``text``), as a form or as JSON; its
token is its only credential. The other routes answer as every route does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from carnet.delivery.messages import message_id
from carnet.domain import replies, webhooks
from carnet.domain.accounts import authenticate
from carnet.domain.hook_records import DeliveryRecord, ReplyRecord, WebhookRecord
from carnet.domain.records import Account
from carnet.errors import InvalidParameter, MissingParameter
from carnet.http.handlers import Call, Handler
from carnet.http.params import page_number, required_id
from carnet.http.ratelimit import limit_key
from carnet.http.wire import Params, api_key, read_params, render, success_body, wants_xml
from carnet.settings import Settings
from carnet.storage import Store

REPLIES_PATH = "/v1/hooks/replies/{token}"


@dataclass(frozen=True, slots=True)
class HookCall(Call):
    """A request to a replies or webhook endpoint, with the server's settings."""

    settings: Settings = field(default_factory=Settings)
    token: str = ""


# -- shapes ----------------------------------------------------------------------


def reply_shape(reply: ReplyRecord) -> dict[str, Any]:
    return {
        "replyId": reply.public_id,
        "messageId": reply.message_id,
        "phoneNumber": reply.phone,
        "text": reply.text,
        "receivedAt": reply.received_at,
        "stopped": reply.stopped,
        "part": reply.part,
        "parts": reply.parts,
    }


def webhook_shape(webhook: WebhookRecord) -> dict[str, Any]:
    return {
        "webhookId": webhook.public_id,
        "url": webhook.url,
        "events": list(webhook.events),
        "createdAt": webhook.created_at,
    }


def delivery_shape(delivery: DeliveryRecord) -> dict[str, Any]:
    pending = delivery.status == "pending"
    return {
        "messageId": message_id(delivery.change),
        "type": delivery.change.event,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "lastStatus": delivery.last_status,
        "lastError": delivery.last_error,
        "createdAt": delivery.change.created_at,
        "deliveredAt": delivery.delivered_at,
        "nextAttemptMs": delivery.next_attempt_ms if pending else 0,
        "data": delivery.change.data,
    }


# -- reading a reply -------------------------------------------------------------


def _text(params: Params, *names: str) -> str | None:
    """The first of ``names`` given, as text (numbers as their digits); None if none."""
    for name in names:
        value = params.get(name)
        if value is None or value == "":
            continue
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise InvalidParameter(f"{name} must be text", errors={name: "must be text"})
        return str(value).strip()
    return None


def _whole(params: Params, name: str) -> int:
    text = _text(params, name)
    if text is None:
        return 1
    if text.isascii() and text.isdigit() and 0 < len(text) < 6:
        return max(1, int(text))
    raise InvalidParameter(f"{name} must be a whole number", errors={name: "invalid"})


def reply_input(params: Params) -> replies.ReplyInput:
    """A reply in either of the provider's shapes."""
    text = params.get("text")
    if text is not None and not isinstance(text, str | int | float):
        raise InvalidParameter("text must be text", errors={"text": "must be text"})
    concat = str(params.get("concat", "")).strip().lower() in ("true", "1")
    return replies.ReplyInput(
        message_id=_text(params, "messageId", "message_id"),
        number=_text(params, "msisdn", "phone_number"),
        text="" if text is None else str(text),
        part=_whole(params, "concat-part") if concat else 1,
        parts=_whole(params, "concat-total") if concat else 1,
    )


# -- handlers ----------------------------------------------------------------------


def _settings(call: Call) -> Settings:
    return call.settings if isinstance(call, HookCall) else Settings()


def receive_reply(call: Call) -> dict[str, Any]:
    """``POST /v1/hooks/replies/{token}``: the reply kept (the earlier one if repeated)."""
    token = call.token if isinstance(call, HookCall) else ""
    try:
        given = reply_input(call.params)
    except InvalidParameter:
        # An unknown replies URL (404) answers before the reply's form.
        replies.account_for_token(call.store, token)
        raise
    reply = replies.receive_reply(call.store, token, given)
    return {"reply": reply_shape(reply)}


def list_replies(call: Call) -> dict[str, Any]:
    """``GET /v1/reply/list``: the account's replies, newest first."""
    page = replies.list_replies(call.store, call.account, page_number(call.params))
    return {
        "currentPage": page.number,
        "total": page.total,
        "replies": [reply_shape(r) for r in page.replies],
    }


def _events(params: Params) -> list[str]:
    raw = params.get("events")
    if raw is None or raw == "" or raw == []:
        raise MissingParameter("events is required", errors={"events": "required"})
    if isinstance(raw, str):
        return raw.split(",")
    if isinstance(raw, list) and all(isinstance(e, str) for e in raw):
        return raw
    reason = "a list of events, or events separated by commas"
    raise InvalidParameter(f"events must be {reason}", errors={"events": reason})


def add_webhook(call: Call) -> dict[str, Any]:
    """``POST /v1/webhook/add``: the webhook, with its secret (shown this once)."""
    url = required_id(call.params, "url")
    allow_private = bool(_settings(call).webhook_allow_private)
    added = webhooks.add_webhook(
        call.store, call.account, url, _events(call.params), allow_private=allow_private
    )
    return {**webhook_shape(added), "secret": added.secret}


def list_webhooks(call: Call) -> dict[str, Any]:
    """``GET /v1/webhook/list``: the account's webhooks (never their secrets)."""
    return {
        "webhooks": [webhook_shape(w) for w in webhooks.list_webhooks(call.store, call.account)]
    }


def delete_webhook(call: Call) -> dict[str, Any]:
    """``POST /v1/webhook/delete``."""
    webhooks.delete_webhook(call.store, call.account, required_id(call.params, "webhookId"))
    return {}


def list_deliveries(call: Call) -> dict[str, Any]:
    """``GET /v1/webhook/deliveries``: the webhook's deliveries, newest first."""
    webhook_id = required_id(call.params, "webhookId")
    page = webhooks.list_deliveries(call.store, call.account, webhook_id, page_number(call.params))
    return {
        "currentPage": page.number,
        "total": page.total,
        "deliveries": [delivery_shape(d) for d in page.deliveries],
    }


# -- answering -----------------------------------------------------------------------


async def answer_with_settings(request: Request, handler: Handler) -> Response:
    """Answer as every route does, the handler given the server's settings."""
    params = await read_params(request)
    request.state.params = params
    store: Store = request.app.state.store
    key = api_key(params, request)
    await limit_key(request, key)
    settings: Settings = request.app.state.settings

    def run() -> dict[str, Any]:
        account = authenticate(store, key)
        return dict(handler(HookCall(store, account, params, settings)))

    payload = await run_in_threadpool(run)
    return render(success_body(payload), xml=wants_xml(params, request))


async def answer_reply(request: Request, handler: Handler) -> Response:
    """The replies URL: its token, not an API key, says whose reply it is."""
    params = await read_params(request)
    request.state.params = params
    store: Store = request.app.state.store
    settings: Settings = request.app.state.settings
    token = str(request.path_params.get("token", ""))
    nobody = Account(0, "", "")  # the token names the account, in the domain

    def run() -> dict[str, Any]:
        return dict(handler(HookCall(store, nobody, params, settings, token)))

    payload = await run_in_threadpool(run)
    return render(success_body(payload), xml=wants_xml(params, request))
