"""The background sender of webhooks: every change delivered at least once, in order.

Each server process runs ``concurrency`` sender threads beside the API. A
thread claims a webhook that has deliveries due (a lease on the webhook's row,
renewed after every attempt; see :mod:`carnet.storage.deliveries`) and sends
its pending deliveries one at a time, oldest first: a webhook receives the
changes in the order they were committed, so the events of one contact arrive
in order. A delivery is done when the receiver answers 2xx; otherwise it is
tried again after a wait that doubles at each attempt (``backoff_ms``, then
twice that, … up to ``backoff_max_ms``), and the webhook's later deliveries
wait behind it. A delivery still failing ``retry_ms`` after its change is
given up (``failed``) and the next one goes.

At least once, never lost: the deliveries are rows written with the change
itself; one is marked sent only after its receiver said so, so a server killed
between the two sends it again after a restart (a receiver drops a repeat by
its ``webhook-id``). A server that dies stops renewing its leases, and once a
lease has run out another server (or the same one, restarted) takes the
webhook over.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import httpx

from carnet.delivery.messages import body, signed_headers
from carnet.delivery.targets import TargetRefused, check_target
from carnet.domain.background import Background
from carnet.domain.changes import now_ms
from carnet.domain.hook_records import DeliveryRecord, WebhookRecord
from carnet.domain.ids import now_iso
from carnet.storage import Store

log = logging.getLogger("carnet.webhooks")

_ERROR_MAX = 300  # characters of an attempt's error kept for webhook/deliveries


@dataclass(frozen=True, slots=True)
class SendPolicy:
    """How the sender tries: waits between attempts, for how long, and where it may send."""

    backoff_ms: int = 5000
    backoff_max_ms: int = 3_600_000
    retry_ms: int = 24 * 3_600_000
    timeout_seconds: float = 10.0
    lease_ms: int = 30_000
    allow_private: bool = False

    def next_attempt_ms(self, delivery: DeliveryRecord, now: int) -> int | None:
        """When to try again after ``delivery``'s failed attempt; None to give it up."""
        deadline = delivery.created_ms + self.retry_ms
        if now >= deadline:
            return None
        wait: int = min(self.backoff_ms << min(delivery.attempts, 40), self.backoff_max_ms)
        return min(now + wait, deadline)


class WebhookSender(Background):
    """The webhook deliveries of one server process: claimed, sent, retried."""

    name = "carnet-webhooks"

    def __init__(
        self,
        store: Store,
        policy: SendPolicy,
        *,
        concurrency: int = 2,
        idle_seconds: float = 0.5,
    ) -> None:
        super().__init__(concurrency)
        self.store = store
        self.policy = policy
        self.idle_seconds = idle_seconds

    def _work(self) -> None:
        with httpx.Client(timeout=self.policy.timeout_seconds, follow_redirects=False) as client:
            while not self.stopping.is_set():
                try:
                    webhook = self._claim()
                    if webhook is None:
                        self._woken.wait(self.idle_seconds)
                        self._woken.clear()
                        continue
                    self._drain(client, webhook)
                except Exception:
                    log.exception("the webhook sender stopped on an internal error")
                    self.stopping.wait(self.idle_seconds)

    def _claim(self) -> WebhookRecord | None:
        with self.store.read() as q:
            if not q.has_due_webhook(now_ms()):
                return None
        with self.store.write() as q:
            return q.claim_webhook(self.owner, now_ms(), self.policy.lease_ms)

    def _drain(self, client: httpx.Client, webhook: WebhookRecord) -> None:
        """Send the webhook's deliveries due, oldest first, until one must wait."""
        until = 0
        try:
            while not self.stopping.is_set():
                with self.store.read() as q:
                    delivery = q.next_delivery(webhook.id)
                if delivery is None:
                    return
                if delivery.next_attempt_ms > now_ms():
                    until = delivery.next_attempt_ms
                    return
                status, error = self._send(client, webhook, delivery)
                if not self._note(webhook, delivery, status, error):
                    return
        finally:
            self._release(webhook, until)

    def _send(
        self, client: httpx.Client, webhook: WebhookRecord, delivery: DeliveryRecord
    ) -> tuple[int, str]:
        """One attempt: the receiver's HTTP status (0 for none) and what went wrong."""
        try:
            url = check_target(
                webhook.url, allow_private=self.policy.allow_private, must_resolve=True
            )
        except TargetRefused as exc:
            return 0, f"url {exc}"
        content = body(delivery.change)
        headers = signed_headers(webhook.secret, delivery.change, content)
        try:
            answer = client.post(url, content=content, headers=headers)
        except httpx.HTTPError as exc:
            return 0, f"{type(exc).__name__}: {exc}"[:_ERROR_MAX]
        if 200 <= answer.status_code < 300:
            return answer.status_code, ""
        return answer.status_code, f"HTTP {answer.status_code}"

    def _note(
        self, webhook: WebhookRecord, delivery: DeliveryRecord, status: int, error: str
    ) -> bool:
        """Record how the attempt went and renew the lease; False when the lease is lost."""
        now = now_ms()
        with self.store.write() as q:
            if q.webhook_lease_owner(webhook.id) != self.owner:
                return False  # deleted, or taken over after this server stalled
            values: dict[str, object] = {
                "attempts": delivery.attempts + 1,
                "last_status": status,
                "last_error": error,
            }
            if not error:
                values.update(status="delivered", delivered_at=now_iso())
            else:
                retry = self.policy.next_attempt_ms(delivery, now)
                if retry is None:
                    values["status"] = "failed"
                    log.warning("webhook delivery %s given up: %s", delivery.id, error)
                else:
                    values["next_attempt_ms"] = retry
            q.update_delivery(delivery.id, **values)
            q.set_webhook_lease(webhook.id, self.owner, now + self.policy.lease_ms)
        return True

    def _release(self, webhook: WebhookRecord, until: int) -> None:
        """Let the webhook go; no server claims it before ``until`` (its next attempt)."""
        try:
            with self.store.write() as q:
                if q.webhook_lease_owner(webhook.id) == self.owner:
                    q.set_webhook_lease(webhook.id, "", until)
        except Exception:
            log.exception("webhook %s could not be let go", webhook.public_id)
