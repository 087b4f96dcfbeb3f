"""The app's router: Starlette's, with each fixed path found by one dict look-up.

Starlette's router tries its routes in turn, a regular expression each, for
every request. Most of carnet's paths hold no parameter: a request for one of
them goes straight to its route when the method is one it answers. Anything
else (a method the route does not take, a path with parameters, a mount, an
unknown path, an app under a root path) is routed by Starlette as before, so
the answers (405, 404, the dashboard's pages) are the same.
"""

from __future__ import annotations

from collections.abc import Sequence

from starlette.routing import BaseRoute, Route, Router
from starlette.types import Receive, Scope, Send


class FixedPathRouter(Router):
    """A :class:`Router` that finds a route of a fixed path without trying the others."""

    def __init__(self, routes: Sequence[BaseRoute], router: Router) -> None:
        super().__init__(routes, redirect_slashes=False, lifespan=router.lifespan_context)
        fixed: dict[str, Route] = {}
        for route in self.routes:
            if isinstance(route, Route) and not route.param_convertors:
                fixed.setdefault(route.path, route)  # the first of a path wins, as in Router
        self._fixed = fixed

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not scope.get("root_path"):
            route = self._fixed.get(scope["path"])
            if route is not None and route.methods is not None and scope["method"] in route.methods:
                scope.setdefault("router", self)
                scope["route"] = route
                scope["endpoint"] = route.endpoint
                scope["path_params"] = {}
                await route.app(scope, receive, send)
                return
        await super().app(scope, receive, send)
