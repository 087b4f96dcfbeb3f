"""Rate limiting: per client address and per API key, shared through Redis or per process.

The algorithm is the ``limits`` library's moving window: at most N requests in
any 60 seconds, counted per client address (in :class:`RateLimit`, pure ASGI
middleware, before the body is read) and per API key (in :func:`limit_key`,
once the key has been read off the request). With ``CARNET_REDIS_URL`` the
counters live in Redis and hold across worker processes and servers; without
it each process counts on its own, so N workers let through up to N times the
limit. Keys are counted under their SHA-256, never in clear; a key longer than
any key can be (``contract.API_KEY_MAX``) is refused before it is hashed, so it
never becomes a counter.

When Redis does not answer, requests are let through (fail open) and a warning
is logged once per outage: a down rate limiter must not take the API down.
"""

from __future__ import annotations

import logging
import time

from limits import RateLimitItem, RateLimitItemPerMinute
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.errors import StorageError
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from carnet import metrics
from carnet.contract import API_KEY_MAX
from carnet.domain.accounts import hash_key
from carnet.errors import RateLimited
from carnet.http.bodylimit import RequestBody
from carnet.http.errors import error_response

log = logging.getLogger("carnet.ratelimit")

# Paths never counted: load balancers poll the health checks, Prometheus the metrics.
EXEMPT_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})

# A Redis that does not answer within this many seconds counts as down.
_REDIS_TIMEOUT = 0.5


class RateLimiter:
    """Counts requests per identity and says when one is over the limit."""

    def __init__(self, per_minute: int, redis_url: str | None = None, prefix: str = "carnet"):
        self.item: RateLimitItem = RateLimitItemPerMinute(per_minute)
        storage: Storage
        if redis_url:
            storage = RedisStorage(
                redis_url,
                implementation="redispy",
                key_prefix=prefix,
                wrap_exceptions=True,
                socket_timeout=_REDIS_TIMEOUT,
                socket_connect_timeout=_REDIS_TIMEOUT,
            )
        else:
            storage = MemoryStorage()
        self.strategy = MovingWindowRateLimiter(storage)
        self._failing = False

    async def retry_after(self, kind: str, identity: str) -> float | None:
        """Count one request; None when allowed, else seconds until one would be."""
        try:
            if await self.strategy.hit(self.item, kind, identity):
                self._recovered()
                return None
            stats = await self.strategy.get_window_stats(self.item, kind, identity)
        except StorageError as exc:
            self._failed(exc)
            return None
        return max(1.0, stats.reset_time - time.time())

    def _failed(self, exc: StorageError) -> None:
        if not self._failing:
            self._failing = True
            log.warning(
                "rate limiting is off: its Redis does not answer (%s); requests are let "
                "through until it does",
                type(exc.storage_error).__name__,
            )

    def _recovered(self) -> None:
        if self._failing:
            self._failing = False
            log.warning("rate limiting is back on: its Redis answers again")


async def limit_key(request: Request, key: str | None) -> None:
    """Count this request against its API key; :class:`RateLimited` when over.

    No key, or one too long to be a key (refused as incorrect, unhashed), is not
    counted here: the client address counts it.
    """
    limiter: RateLimiter | None = getattr(request.app.state, "rate_limiter", None)
    if limiter is None or not key or len(key) > API_KEY_MAX:
        return
    wait = await limiter.retry_after("key", hash_key(key))
    if wait is not None:
        metrics.RATE_LIMITED.labels("key").inc()
        raise RateLimited("Too many requests for this API key", retry_after=wait)


class RateLimit:
    """Pure ASGI middleware: 429 with ``Retry-After`` past the limit for a client address."""

    def __init__(self, app: ASGIApp, limiter: RateLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        address = client[0] if client else "unknown"
        wait = await self.limiter.retry_after("address", address)
        if wait is None:
            await self.app(scope, receive, send)
            return
        metrics.RATE_LIMITED.labels("address").inc()
        error = RateLimited("Too many requests from this address", retry_after=wait)
        # The body is not read: only the query can ask for XML here. A client still
        # sending it gets the answer all the same (see RequestBody).
        body = RequestBody(scope, receive, send)
        await error_response(Request(scope), error)(scope, receive, body.send)
