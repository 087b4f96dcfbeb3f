"""The API keys page: the account's keys, a new one shown once, revoke one."""

from __future__ import annotations

from starlette.responses import Response

from carnet.domain import keys, replies
from carnet.errors import NotFoundError
from carnet.web.context import Web


async def keys_page(web: Web, *, new_key: str | None = None) -> Response:
    found = await web.run(keys.list_keys, web.store, web.account)
    token = await web.run(replies.replies_token, web.store, web.account.name)
    # The address the SMS provider posts replies to: this server as the browser reached it,
    # or CARNET_PUBLIC_URL when set (as `carnet account replies-url` prints it).
    base = web.request.app.state.settings.public_url or str(web.request.base_url)
    replies_url = replies.replies_url(base, token)
    return web.render("keys.html", keys=found, new_key=new_key, replies_url=replies_url)


async def add_key(web: Web) -> Response:
    key = await web.run(keys.add_key, web.store, web.account)
    # Shown in this answer only; a reload does not show it again.
    return await keys_page(web, new_key=key)


async def revoke_key(web: Web) -> Response:
    try:
        key_id = int(web.request.path_params["key_id"])
        await web.run(keys.revoke_key, web.store, web.account, key_id)
    except (ValueError, NotFoundError):
        pass  # revoked already, or not the account's: nothing to do
    return web.redirect("/keys")
