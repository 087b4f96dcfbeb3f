"""What a delivery sends: a Standard Webhooks message, signed with the webhook's secret.

The body is ``{"type": event, "timestamp": when the change happened, "data": …}``;
the headers ``webhook-id`` (the change's id, the same at every attempt, so that
a receiver can drop a repeat), ``webhook-timestamp`` (the attempt's time, in
seconds) and ``webhook-signature`` (``v1,`` and the HMAC-SHA256 the
``standardwebhooks`` library computes and verifies).
"""

from __future__ import annotations

import base64
import json
import secrets
from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook

from carnet.domain.hook_records import ChangeRecord

# 32 random bytes, as the specification's libraries make secrets.
_SECRET_BYTES = 32


def new_secret() -> str:
    """A fresh signing secret, in the ``whsec_…`` form the specification's libraries take."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(_SECRET_BYTES)).decode()


def message_id(change: ChangeRecord) -> str:
    return f"msg_{change.public_id}"


def body(change: ChangeRecord) -> bytes:
    """The JSON body of the change's delivery."""
    payload = {"type": change.event, "timestamp": change.created_at, "data": change.data}
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def signed_headers(secret: str, change: ChangeRecord, content: bytes) -> dict[str, str]:
    """The Standard Webhooks headers of one attempt to deliver ``content``."""
    now = datetime.now(UTC)
    msg_id = message_id(change)
    signature = Webhook(secret).sign(msg_id, now, content.decode())
    return {
        "content-type": "application/json",
        "webhook-id": msg_id,
        "webhook-timestamp": str(int(now.timestamp())),
        "webhook-signature": signature,
    }
