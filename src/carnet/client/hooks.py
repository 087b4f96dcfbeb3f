"""Webhooks and replies in the client (carnet's own endpoints): typed results and the
operations that ask for them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from carnet.client.operations import Operation


def _timestamp(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


@dataclass(frozen=True, slots=True)
class Webhook:
    """A webhook: where the events go; ``secret`` only in the answer to ``add_webhook``."""

    id: str
    url: str
    events: tuple[str, ...]
    created_at: datetime | None = None
    secret: str = ""

    @classmethod
    def from_wire(cls, item: dict[str, Any]) -> Webhook:
        return cls(
            id=str(item["webhookId"]),
            url=str(item["url"]),
            events=tuple(item.get("events") or ()),
            created_at=_timestamp(item.get("createdAt")),
            secret=str(item.get("secret") or ""),
        )


@dataclass(frozen=True, slots=True)
class Delivery:
    """One event sent (or to send) to a webhook, and how sending it went."""

    message_id: str
    type: str
    status: str
    attempts: int
    last_status: int
    last_error: str
    created_at: datetime | None
    delivered_at: datetime | None
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_wire(cls, item: dict[str, Any]) -> Delivery:
        return cls(
            message_id=str(item["messageId"]),
            type=str(item["type"]),
            status=str(item["status"]),
            attempts=int(item.get("attempts") or 0),
            last_status=int(item.get("lastStatus") or 0),
            last_error=str(item.get("lastError") or ""),
            created_at=_timestamp(item.get("createdAt")),
            delivered_at=_timestamp(item.get("deliveredAt")),
            data=dict(item.get("data") or {}),
        )


@dataclass(frozen=True, slots=True)
class Reply:
    """A reply received at the account's replies URL."""

    id: str
    message_id: str
    phone: str
    text: str
    received_at: datetime | None
    stopped: bool

    @classmethod
    def from_wire(cls, item: dict[str, Any]) -> Reply:
        return cls(
            id=str(item["replyId"]),
            message_id=str(item["messageId"]),
            phone=str(item["phoneNumber"]),
            text=str(item.get("text") or ""),
            received_at=_timestamp(item.get("receivedAt")),
            stopped=bool(item.get("stopped")),
        )


def add_webhook(url: str, events: Iterable[str]) -> Operation[Webhook]:
    def read(body: dict[str, Any]) -> Webhook:
        return Webhook.from_wire(body)

    params = {"url": url, "events": list(events)}
    return Operation("POST", "/v1/webhook/add", params, read, idempotent=False)


def list_webhooks() -> Operation[list[Webhook]]:
    def read(body: dict[str, Any]) -> list[Webhook]:
        return [Webhook.from_wire(w) for w in body["webhooks"]]

    return Operation("GET", "/v1/webhook/list", {}, read, idempotent=True)


def delete_webhook(webhook_id: str) -> Operation[None]:
    def read(body: dict[str, Any]) -> None:
        return None

    params = {"webhookId": webhook_id}
    return Operation("POST", "/v1/webhook/delete", params, read, idempotent=True)


def list_deliveries(webhook_id: str, page: int = 1) -> Operation[list[Delivery]]:
    def read(body: dict[str, Any]) -> list[Delivery]:
        return [Delivery.from_wire(d) for d in body["deliveries"]]

    params = {"webhookId": webhook_id, "page": page}
    return Operation("GET", "/v1/webhook/deliveries", params, read, idempotent=True)


def list_replies(page: int = 1) -> Operation[list[Reply]]:
    def read(body: dict[str, Any]) -> list[Reply]:
        return [Reply.from_wire(r) for r in body["replies"]]

    return Operation("GET", "/v1/reply/list", {"page": page}, read, idempotent=True)
