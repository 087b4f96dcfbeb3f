"""``GET /``: the dashboard for a browser; for a program, where the API's documentation is.

The dashboard's ``/`` (its sign-in or its groups) answers a request that accepts
HTML; any other request gets the contract's JSON (or XML) envelope naming
``/docs``, ``/openapi.json`` and the dashboard.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.routing import BaseRoute, Route
from starlette.types import Receive, Scope, Send

from carnet import __version__
from carnet.http.wire import render, wants_xml


class Root:
    """The ASGI app of ``/``: a browser to the dashboard's page, a program to JSON."""

    def __init__(self, dashboard: Route) -> None:
        self.dashboard = dashboard

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        request = Request(scope)
        if "text/html" in request.headers.get("accept", ""):
            await self.dashboard.handle(scope, receive, send)
            return
        body = {
            "success": True,
            "code": 200,
            "message": "carnet's API is under /v1; its documentation is at /docs",
            "docs": "/docs",
            "openapi": "/openapi.json",
            "dashboard": "/",
            "version": __version__,
        }
        await render(body, xml=wants_xml(None, request))(scope, receive, send)


def with_root(web: list[BaseRoute]) -> list[BaseRoute]:
    """The dashboard's routes, its ``/`` answering programs as :class:`Root` says."""
    routes: list[BaseRoute] = []
    for web_route in web:
        if isinstance(web_route, Route) and web_route.path == "/":
            routes.append(Route("/", Root(web_route), methods=["GET"], include_in_schema=False))
        else:
            routes.append(web_route)
    return routes
