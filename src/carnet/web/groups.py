"""The groups page: the account's groups, create, rename, delete behind a confirmation."""

from __future__ import annotations

from starlette.responses import Response

from carnet.domain import groups
from carnet.errors import NotFoundError, ValidationError
from carnet.web.context import Web


def not_found(web: Web) -> Response:
    return web.render(
        "error.html",
        status=404,
        title=web._("Not found"),
        message=web._("This page does not exist."),
    )


async def list_groups(web: Web, *, name: str = "", error: str | None = None) -> Response:
    found = await web.run(groups.list_groups, web.store, web.account)
    status = 400 if error else 200
    return web.render("groups.html", status=status, groups=found, name=name, error=error)


async def create_group(web: Web) -> Response:
    name = web.field("name")
    try:
        await web.run(groups.add_group, web.store, web.account, name)
    except ValidationError as exc:
        return await list_groups(web, name=name, error=exc.errors.get("name", exc.message))
    return web.redirect("/groups")


async def rename_group(web: Web) -> Response:
    group_id = web.request.path_params["group_id"]
    try:
        group = await web.run(groups.get_group, web.store, web.account, group_id)
    except NotFoundError:
        return not_found(web)
    if web.form is None:
        return web.render("group_rename.html", group=group, name=group.name, error=None)
    name = web.field("name")
    try:
        await web.run(groups.rename_group, web.store, web.account, group_id, name)
    except NotFoundError:
        return not_found(web)
    except ValidationError as exc:
        error = exc.errors.get("name", exc.message)
        return web.render("group_rename.html", status=400, group=group, name=name, error=error)
    return web.redirect("/groups")


async def delete_group(web: Web) -> Response:
    group_id = web.request.path_params["group_id"]
    try:
        group = await web.run(groups.get_group, web.store, web.account, group_id)
        if web.form is None:
            return web.render("group_delete.html", group=group)
        await web.run(groups.delete_group, web.store, web.account, group_id)
    except NotFoundError:
        return not_found(web)
    return web.redirect("/groups")
