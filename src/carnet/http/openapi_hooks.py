"""Request and answer shapes of replies and webhooks (carnet's own), for the OpenAPI document."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from carnet.contract import DELIVERY_STATUSES, WEBHOOK_EVENTS
from carnet.http.openapi_models import Ok

_KEY = Field(None, description="API key; or the X-Api-Key or Authorization: Bearer header")
Event = Literal[WEBHOOK_EVENTS]  # type: ignore[valid-type]
Status = Literal[DELIVERY_STATUSES]  # type: ignore[valid-type]


class _Body(BaseModel):
    model_config = ConfigDict(extra="allow", populate_by_name=True)


class ReplyRequest(_Body):
    """A reply as SMS Partner posts it: long numbers' shape or the short number's."""

    msisdn: str | None = Field(None, description="the sender, international form (long numbers)")
    to: str | None = None
    messageId: str | None = Field(None, description="the message's id (long numbers)")
    text: str | None = None
    type: str | None = Field(None, description='"text", or "response" from the short number')
    keyword: str | None = None
    message_timestamp: str | None = Field(None, alias="message-timestamp")
    concat: str | None = Field(None, description='"true" for a part of a long SMS')
    concat_ref: str | None = Field(None, alias="concat-ref")
    concat_total: str | None = Field(None, alias="concat-total")
    concat_part: str | None = Field(None, alias="concat-part")
    phone_number: str | None = Field(None, description="the sender (short number)")
    message_id: str | None = Field(None, description="the message's id (short number)")


class Reply(BaseModel):
    replyId: str
    messageId: str
    phoneNumber: str = Field(description="E.164 when it is a valid number, else as sent")
    text: str
    receivedAt: str
    stopped: bool = Field(description="whether this reply put the number on the stop list")
    part: int
    parts: int


class ReplyReceived(Ok):
    reply: Reply


class ReplyList(Ok):
    currentPage: int
    total: int
    replies: list[Reply]


class WebhookAddRequest(_Body):
    apiKey: str | None = _KEY
    url: str = Field(description="http:// or https:// URL, on a public address")
    events: list[Event] | str = Field(description="events, as a list or separated by commas")


class WebhookIdRequest(_Body):
    apiKey: str | None = _KEY
    webhookId: str


class Webhook(BaseModel):
    webhookId: str
    url: str
    events: list[Event]
    createdAt: str


class WebhookAdded(Ok, Webhook):
    secret: str = Field(description="whsec_…: signs the deliveries; shown this once")


class WebhookList(Ok):
    webhooks: list[Webhook]


class Delivery(BaseModel):
    messageId: str = Field(description="the webhook-id header of its attempts")
    type: Event
    status: Status
    attempts: int
    lastStatus: int = Field(description="the receiver's HTTP status at the last attempt; 0: none")
    lastError: str
    createdAt: str
    deliveredAt: str
    nextAttemptMs: int = Field(description="when it is tried next (ms since the epoch); 0: never")
    data: dict[str, Any]


class DeliveryList(Ok):
    currentPage: int
    total: int
    deliveries: list[Delivery]
