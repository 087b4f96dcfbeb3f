"""The ASGI application: the API's routes, the service routes, errors, limits, docs offline."""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

import swagger_ui_bundle
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from carnet import __version__, logs, metrics
from carnet.delivery.sender import SendPolicy, WebhookSender
from carnet.domain.single_adds import SingleAdds
from carnet.errors import ServerError
from carnet.http.bodylimit import BodyLimit
from carnet.http.dispatch import FixedPathRouter
from carnet.http.errors import EXCEPTION_HANDLERS, error_response
from carnet.http.imports import IMPORT_UPLOAD_PATH, import_runner
from carnet.http.observe import Observe
from carnet.http.openapi import DOCS_PAGE, openapi_document
from carnet.http.probes import readyz
from carnet.http.ratelimit import RateLimit, RateLimiter
from carnet.http.root import with_root
from carnet.http.routes import api_routes, route
from carnet.http.wire import read_params, render, wants_xml
from carnet.settings import Settings
from carnet.storage import Store
from carnet.web.imports import IMPORT_PATH as WEB_IMPORT_PATH
from carnet.web.routes import web_routes
from carnet.web.security import SecurityHeaders

DESCRIPTION = """carnet speaks SMS Partner's v1 contact API: groups, contacts and the
stop list. Parameters come as JSON, as a form body or in the query string; the
API key as `apiKey`, `X-Api-Key` or `Authorization: Bearer`. Every answer is
`{"success": ..., "code": ...}`; add `_format=xml` for XML."""

# Threads that run the handlers of a worker, as many as anyio's default. (Single
# adds wait for their commit on the event loop: carnet.domain.single_adds.)
HANDLER_THREADS = 40


async def healthz(request: Request) -> Response:
    """200 when the database answers, 503 (code 500) when it does not."""
    params = await read_params(request)
    request.state.params = params
    store: Store = request.app.state.store
    try:
        await run_in_threadpool(store.ping)
    except Exception:
        return error_response(request, ServerError("The database does not answer", http_status=503))
    body: dict[str, Any] = {"status": "ok", "database": store.dialect}
    return render(body, xml=wants_xml(params, request))


async def metrics_text(request: Request) -> Response:
    """Prometheus' text format: every worker's counters, summed."""
    return Response(metrics.exposition(), media_type=metrics.CONTENT_TYPE_LATEST)


async def openapi_json(request: Request) -> Response:
    """The OpenAPI document, built once per app from the table of routes."""
    document = request.app.state.openapi
    if document is None:
        document = openapi_document("carnet", __version__, DESCRIPTION)
        request.app.state.openapi = document
    return JSONResponse(document)


async def docs(request: Request) -> Response:
    """Swagger UI, its assets served by carnet (no internet needed)."""
    return HTMLResponse(DOCS_PAGE)


def _service_routes(settings: Settings) -> list[BaseRoute]:
    # /metrics is on the API's port only when asked for (CARNET_METRICS=1).
    shown = [route("/metrics", metrics_text, ("GET",))] if settings.metrics else []
    return [
        route("/healthz", healthz, ("GET",)),
        route("/readyz", readyz, ("GET",)),
        *shown,
        Route("/openapi.json", openapi_json, methods=["GET"], include_in_schema=False),
        Route("/docs", docs, methods=["GET"], include_in_schema=False),
        Mount(
            "/docs/assets",
            StaticFiles(directory=swagger_ui_bundle.swagger_ui_path),
            name="docs-assets",
        ),
    ]


def webhook_sender(store: Store, settings: Settings) -> WebhookSender:
    """The server's sender of webhook deliveries, as its settings ask."""
    policy = SendPolicy(
        backoff_ms=settings.webhook_backoff_ms,
        backoff_max_ms=settings.webhook_backoff_max_ms,
        retry_ms=settings.webhook_retry_hours * 3_600_000,
        timeout_seconds=float(settings.webhook_timeout_seconds),
        lease_ms=settings.webhook_lease_seconds * 1000,
        allow_private=bool(settings.webhook_allow_private),
    )
    return WebhookSender(store, policy, concurrency=settings.webhook_concurrency)


def _settle_heap() -> None:
    """Take what the worker has built so far out of the garbage collector's full scans.

    Modules, the phone metadata's tables and the app itself live as long as the
    worker; left in the oldest generation, every full collection walks them
    all: a pause of 60-90 ms on this machine, which lands on whichever requests
    are in flight. Frozen, a full collection walks only what came since (2-3 ms).
    """
    gc.collect()
    gc.freeze()


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> Starlette:
    """Build the app; it opens (and migrates) the database on startup unless given a store."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        own = store is None
        app.state.store = store or await run_in_threadpool(Store.open, settings.database_url)
        app.state.import_runner = import_runner(app.state.store, settings)
        app.state.import_runner.start()
        app.state.webhook_sender = webhook_sender(app.state.store, settings)
        app.state.webhook_sender.start()
        threads = ThreadPoolExecutor(HANDLER_THREADS, "carnet-handler")
        app.state.handler_threads = threads
        adds = SingleAdds(app.state.store)
        app.state.single_adds = adds
        _settle_heap()
        try:
            yield
        finally:
            threads.shutdown(wait=False)
            if app.state.handler_threads is threads:  # (tests run one app twice at once)
                app.state.handler_threads = None
            if app.state.single_adds is adds:
                app.state.single_adds = None
            await run_in_threadpool(adds.close)
            await run_in_threadpool(app.state.webhook_sender.stop)
            await run_in_threadpool(app.state.import_runner.stop)
            if own:
                app.state.store.close()
            metrics.worker_exited(os.getpid())

    # Outermost first: a client over its rate limit costs no body read.
    uploads = {
        IMPORT_UPLOAD_PATH: settings.import_max_bytes,
        WEB_IMPORT_PATH: settings.import_max_bytes,
    }
    middleware = [
        Middleware(BodyLimit, max_bytes=settings.max_body_bytes, paths=uploads),
        Middleware(SecurityHeaders),
    ]
    limiter = None
    if settings.rate_limit > 0:
        limiter = RateLimiter(settings.rate_limit, settings.redis_url, settings.redis_prefix)
        middleware.insert(0, Middleware(RateLimit, limiter=limiter))
    routes = [*api_routes(), *_service_routes(settings), *with_root(web_routes())]
    # Outermost of all: every answer, a 429 included, has its id, its metrics, its line.
    middleware.insert(
        0,
        Middleware(
            Observe,
            routes=[r.path for r in routes if isinstance(r, Route)],
            prefixes=[r.path for r in routes if isinstance(r, Mount)],
            access_lines=settings.log_format == "json",
        ),
    )
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers=EXCEPTION_HANDLERS,
        lifespan=lifespan,
    )
    # No redirects (FixedPathRouter): a path with a trailing slash is an unknown
    # path (404), not a 307 to a Location built from the request's Host header.
    app.router = FixedPathRouter(routes, app.router)
    app.state.store = store
    app.state.settings = settings
    app.state.rate_limiter = limiter
    app.state.openapi = None
    app.state.import_runner = None
    app.state.webhook_sender = None
    app.state.handler_threads = None
    app.state.single_adds = None
    return app


def app_from_env() -> Starlette:
    """Factory for ``uvicorn --factory carnet.http.app:app_from_env``: a worker's app."""
    logs.lean_records()
    return create_app(Settings.from_env())
