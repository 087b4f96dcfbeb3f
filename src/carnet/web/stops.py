"""The stop list page: search, add a number, remove one."""

from __future__ import annotations

import contextlib

from starlette.responses import Response

from carnet.contract import WEB_PAGE_SIZE
from carnet.domain import browse, stoplist
from carnet.errors import CarnetError, NotFoundError
from carnet.web.context import Web


async def stops_page(web: Web, *, phone: str = "", error: str | None = None) -> Response:
    query = web.request.query_params.get("q", "").strip()
    try:
        page = max(1, int(web.request.query_params.get("page", "1")))
    except ValueError:
        page = 1
    every = await web.run(stoplist.list_stops, web.store, web.account)
    found = browse.search_stops(every, query) if query else every
    pages = max(1, -(-len(found) // WEB_PAGE_SIZE))
    page = min(page, pages)
    shown = found[(page - 1) * WEB_PAGE_SIZE : page * WEB_PAGE_SIZE]
    return web.render(
        "stops.html",
        status=400 if error else 200,
        stops=shown,
        total=len(every),
        query=query,
        page=page,
        pages=pages,
        phone_typed=phone,
        error=error,
    )


async def add_stop(web: Web) -> Response:
    phone = web.field("phone")
    try:
        await web.run(stoplist.add_stop, web.store, web.account, phone)
    except CarnetError as exc:
        error = next(iter(exc.errors.values()), exc.message)
        return await stops_page(web, phone=phone, error=error)
    return web.redirect("/stops")


async def delete_stop(web: Web) -> Response:
    # Removed already, or not a stop id: the list shows it gone either way.
    with contextlib.suppress(NotFoundError, ValueError):
        stop_id = int(web.request.path_params["stop_id"])
        await web.run(stoplist.delete_stop, web.store, web.account, stop_id)
    return web.redirect("/stops")
