"""The audit trail page: who changed what in the account, newest first, 20 a page."""

from __future__ import annotations

from starlette.responses import Response

from carnet.domain import audit
from carnet.web.context import Web


async def audit_page(web: Web) -> Response:
    try:
        page = max(1, int(web.request.query_params.get("page", "1")))
    except ValueError:
        page = 1
    found = await web.run(audit.list_audit, web.store, web.account, min(page, 10**12))
    pages = max(1, -(-found.total // audit.AUDIT_PAGE_SIZE))
    return web.render("audit.html", entries=found.entries, page=page, pages=pages)
