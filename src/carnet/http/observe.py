"""Pure ASGI middleware: each request's id, its duration, its metrics and its access line.

The id is the request's ``X-Request-Id`` when it is a plain token (letters, digits
and ``._:-``, at most :data:`REQUEST_ID_MAX` characters), else a new random one; it
is echoed in the answer's ``X-Request-Id`` and carried by every log line written
while the request is answered (:data:`carnet.jsonlogs.REQUEST_ID`). The route a
line or a metric names is the path of a known endpoint, or ``other``: never what
a client made up.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Iterable
from typing import Any

from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from carnet import metrics
from carnet.http.errors import unexpected_error
from carnet.jsonlogs import REQUEST_ID

access_log = logging.getLogger("carnet.access")

REQUEST_ID_HEADER = "x-request-id"
REQUEST_ID_MAX = 128
_PLAIN_ID = re.compile(rf"[A-Za-z0-9._:\-]{{1,{REQUEST_ID_MAX}}}")
OTHER_ROUTE = "other"
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def request_id(given: str | None) -> str:
    """``given`` when it is a plain token short enough, else a new random id."""
    if given is not None and _PLAIN_ID.fullmatch(given):
        return given
    # 128 random bits as 32 hex digits: an id to find a request by, not a secret.
    return f"{random.getrandbits(128):032x}"


class Observe:
    """Gives each request its id, then counts, times and (in JSON logs) logs its answer."""

    def __init__(
        self,
        app: ASGIApp,
        routes: Iterable[str],
        access_lines: bool = False,
        prefixes: Iterable[str] = (),
    ) -> None:
        self.app = app
        self.routes = frozenset(routes)
        self.prefixes = tuple(prefixes)
        self.access_lines = access_lines
        # Each (route, method, status)'s counter and latency, as labels() gives them.
        self._series: dict[tuple[str, str, int], tuple[Any, Any]] = {}
        self._pool_shown: int | None = None

    def route_of(self, path: str) -> str:
        if path in self.routes:
            return path
        return next((p for p in self.prefixes if path.startswith(p + "/")), OTHER_ROUTE)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = None
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                given = value.decode("latin-1")
                break
        rid = request_id(given)
        scope.setdefault("state", {})["request_id"] = rid
        token = REQUEST_ID.set(rid)
        started = time.perf_counter()
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = rid
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception as exc:
            # Answered here rather than by Starlette's outermost handler, so that the
            # traceback's line and the answer both carry the request's id.
            if status:
                raise
            answer = await unexpected_error(Request(scope), exc)
            await answer(scope, receive, send_with_id)
        finally:
            self._observed(scope, status or 500, time.perf_counter() - started)
            REQUEST_ID.reset(token)

    def _observed(self, scope: Scope, status: int, seconds: float) -> None:
        route = self.route_of(scope["path"])
        method = scope["method"] if scope["method"] in _METHODS else OTHER_ROUTE
        key = (route, method, status)
        series = self._series.get(key)
        if series is None:
            requests = metrics.REQUESTS.labels(route, method, str(status))
            series = self._series[key] = (requests, metrics.LATENCY.labels(route))
        series[0].inc()
        series[1].observe(seconds)
        in_use = _pool_in_use(scope)
        if in_use != self._pool_shown:  # the gauge keeps its value: written on change only
            metrics.POOL_IN_USE.set(in_use)
            self._pool_shown = in_use
        if not self.access_lines:
            return
        client = scope.get("client")
        access_log.log(
            logging.ERROR if status >= 500 else logging.INFO,
            "%s %s %s",
            scope["method"],
            route,
            status,
            extra={
                "account": scope.get("state", {}).get("account"),
                "route": route,
                "method": method,
                "status": status,
                "duration_ms": round(seconds * 1000, 2),
                "client": client[0] if client else None,
            },
        )


def _pool_in_use(scope: Scope) -> int:
    """Connections of the app's database pool checked out now (0 when it cannot say)."""
    store = getattr(getattr(scope.get("app"), "state", None), "store", None)
    checkedout = getattr(getattr(getattr(store, "engine", None), "pool", None), "checkedout", None)
    return int(checkedout()) if callable(checkedout) else 0
