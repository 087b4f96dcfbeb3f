"""The ASGI application: routes, error envelope, limits, docs served offline."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import swagger_ui_bundle
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from carnet import __version__
from carnet.errors import ServerError
from carnet.http import errors, openapi
from carnet.http.bodylimit import BodyLimit
from carnet.http.errors import error_response
from carnet.http.ratelimit import RateLimit, RateLimiter
from carnet.http.routes import contacts, groups, stoplist
from carnet.http.schemas import ErrorBody, Health
from carnet.http.wire import render
from carnet.settings import Settings
from carnet.storage import Store

DESCRIPTION = """carnet speaks SMS Partner's v1 contact API: groups, contacts and the
stop list. Parameters come as JSON, as a form body or in the query string; the
API key as `apiKey`, `X-Api-Key` or `Authorization: Bearer`. Every answer is
`{"success": ..., "code": ...}`; add `_format=xml` for XML."""


def create_app(settings: Settings | None = None, *, store: Store | None = None) -> FastAPI:
    """Build the app; it opens (and migrates) the database on startup unless given a store."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        own = store is None
        app.state.store = store or await run_in_threadpool(Store.open, settings.database_url)
        try:
            yield
        finally:
            if own:
                app.state.store.close()

    app = FastAPI(
        title="carnet",
        version=__version__,
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    if store is not None:
        app.state.store = store
    app.state.settings = settings
    errors.install(app)
    openapi.install(app)
    for router in (groups.router, contacts.router, stoplist.router):
        app.include_router(router)
    _add_service_routes(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    # Added last, so outermost: a client over its limit costs no body read.
    app.state.rate_limiter = None
    if settings.rate_limit > 0:
        limiter = RateLimiter(settings.rate_limit, settings.redis_url, settings.redis_prefix)
        app.state.rate_limiter = limiter
        app.add_middleware(RateLimit, limiter=limiter)
    return app


def _add_service_routes(app: FastAPI) -> None:
    app.mount(
        "/docs/assets",
        StaticFiles(directory=swagger_ui_bundle.swagger_ui_path),
        name="docs-assets",
    )

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="carnet API",
            swagger_js_url="/docs/assets/swagger-ui-bundle.js",
            swagger_css_url="/docs/assets/swagger-ui.css",
            swagger_favicon_url="/docs/assets/favicon-32x32.png",
        )

    @app.get(
        "/healthz",
        tags=["service"],
        summary="200 when the database answers",
        response_model=None,
        responses={
            200: {"model": Health},
            503: {"model": ErrorBody, "description": "The database does not answer (code 500)"},
        },
    )
    async def healthz(request: Request) -> Response:
        store: Store = request.app.state.store
        try:
            await run_in_threadpool(store.ping)
        except Exception:
            return error_response(
                request, ServerError("The database does not answer", http_status=503)
            )
        body: dict[str, Any] = {"status": "ok", "database": store.dialect}
        return render(body)


def app_from_env() -> FastAPI:
    """Factory for ``uvicorn --factory carnet.http.app:app_from_env``."""
    return create_app(Settings.from_env())
