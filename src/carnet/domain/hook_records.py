"""The records of replies, changes, webhooks and deliveries, as storage holds them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class ReplyRecord:
    """A reply received at an account's replies URL."""

    public_id: str
    message_id: str
    phone: str
    text: str
    part: int
    parts: int
    stopped: bool
    received_at: str


@dataclass(frozen=True, slots=True)
class ChangeRecord:
    """A change as stored: its public id (a delivery's ``webhook-id``) and its data."""

    id: int
    public_id: str
    account_id: int
    event: str
    actor: str
    data: dict[str, Any]
    created_at: str


@dataclass(frozen=True, slots=True)
class WebhookRecord:
    """A webhook: where to send which events, and the secret that signs them."""

    id: int
    public_id: str
    account_id: int
    url: str
    events: tuple[str, ...]
    secret: str
    created_at: str


@dataclass(frozen=True, slots=True)
class DeliveryRecord:
    """One change to send to one webhook, and how sending it went so far."""

    id: int
    webhook_id: int
    change: ChangeRecord
    status: str
    attempts: int
    next_attempt_ms: int
    created_ms: int
    last_status: int
    last_error: str
    delivered_at: str
