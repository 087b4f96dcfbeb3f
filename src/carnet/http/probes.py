"""``/readyz``: whether this server can answer requests now (``/healthz`` is liveness).

Ready means: the database answers, its schema is at the newest migration carnet
knows (a server started before a newer one ran its migrations is not), and the
Redis of the shared rate limit answers, when one is configured. Not ready is a
503 in the envelope (code 500) whose message says which of these failed.
"""

from __future__ import annotations

from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from carnet.errors import ServerError
from carnet.http.errors import error_response
from carnet.http.wire import read_params, render, wants_xml
from carnet.settings import Settings
from carnet.storage import Store

_REDIS_TIMEOUT = 1.0


async def readyz(request: Request) -> Response:
    """200 with what was checked, or 503 naming the first check that failed."""
    params = await read_params(request)
    request.state.params = params
    store: Store = request.app.state.store
    settings: Settings = request.app.state.settings
    try:
        current, newest = await run_in_threadpool(store.schema_revisions)
    except Exception:
        return _not_ready(request, "The database does not answer")
    if current != newest:
        return _not_ready(
            request, f"The database's schema is at {current or 'none'}, not at {newest}"
        )
    body: dict[str, Any] = {"status": "ready", "database": store.dialect, "schema": current}
    if settings.redis_url:
        if not await _redis_answers(settings.redis_url):
            return _not_ready(request, "Redis does not answer")
        body["redis"] = "ok"
    return render(body, xml=wants_xml(params, request))


def _not_ready(request: Request, message: str) -> Response:
    return error_response(request, ServerError(message, http_status=503))


async def _redis_answers(url: str) -> bool:
    import redis.asyncio as redis

    client = redis.Redis.from_url(
        url, socket_timeout=_REDIS_TIMEOUT, socket_connect_timeout=_REDIS_TIMEOUT
    )
    try:
        return bool(await client.ping())
    except Exception:
        return False
    finally:
        await client.aclose()
