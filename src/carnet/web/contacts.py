"""A group's page: its contacts 20 at a time, search, add, edit, delete, export."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from starlette.responses import Response, StreamingResponse

from carnet.contract import FIELDS_BY_WIRE, WEB_PAGE_SIZE
from carnet.domain import browse, contacts, groups
from carnet.domain.records import CONTACT_COLUMNS, ContactInput, ContactRecord
from carnet.errors import CarnetError, InvalidFields, NotFoundError
from carnet.storage import Store
from carnet.web.context import Web
from carnet.web.groups import not_found

# (form field, label) in the contract's order of fields.
_LABELS = {
    "phone": "Phone number",
    "firstname": "First name",
    "lastname": "Last name",
    "date": "Date",
    "url": "URL",
    "short_url": "Short URL",
    "custom1": "Custom 1",
    "custom2": "Custom 2",
    "custom3": "Custom 3",
    "custom4": "Custom 4",
    "consent_at": "Consent given on",
    "consent_source": "Consent source",
}
# Dates and URLs as text: the rules judge them, and say so beside the field.
_KINDS = {"phone": "tel"}


def field_label(web: Web, attribute: str) -> str:
    """A contact field's label, in the page's language."""
    return web._(_LABELS[attribute])


def _fields(web: Web) -> list[tuple[str, str, str]]:
    return [(name, field_label(web, name), _KINDS.get(name, "text")) for name in CONTACT_COLUMNS]


def _typed(web: Web) -> dict[str, str]:
    return {name: web.field(name) for name in CONTACT_COLUMNS}


def _field_errors(exc: CarnetError) -> dict[str, str]:
    """The error under the form field at fault, in the API's words."""
    if isinstance(exc, InvalidFields):
        return {
            FIELDS_BY_WIRE[wire].attribute if wire in FIELDS_BY_WIRE else "phone": reason
            for wire, reason in exc.errors.items()
        }
    return {"phone": exc.message}


def _nearby(page: int, pages: int) -> list[int]:
    return list(range(max(1, page - 2), min(pages, page + 2) + 1))


async def group_page(
    web: Web, *, values: dict[str, str] | None = None, errors: dict[str, str] | None = None
) -> Response:
    group_id = web.request.path_params["group_id"]
    query = web.request.query_params.get("q", "").strip()
    try:
        page = int(web.request.query_params.get("page", "1"))
    except ValueError:
        page = 1
    try:
        group = await web.run(groups.get_group, web.store, web.account, group_id)
        if query:
            found = await web.run(browse.search_group, web.store, web.account, group_id, query)
        else:
            found = (
                await web.run(browse.group_page, web.store, web.account, group_id, page)
            ).contacts
    except NotFoundError:
        return not_found(web)
    pages = max(1, -(-group.contact_count // WEB_PAGE_SIZE))
    page = min(max(page, 1), 10**12)
    return web.render(
        "group.html",
        status=400 if errors else 200,
        group=group,
        contacts=found,
        query=query,
        page=page,
        pages=pages,
        nearby=_nearby(page, pages),
        fields=_fields(web),
        values=values or {},
        errors=errors or {},
        added=web.request.query_params.get("added") == "1",
    )


async def add_contact(web: Web) -> Response:
    group_id = web.request.path_params["group_id"]
    typed = _typed(web)
    given = ContactInput(**{k: v for k, v in typed.items() if v.strip()})
    try:
        await web.run(contacts.add_contact, web.store, web.account, group_id, given)
    except NotFoundError:
        return not_found(web)
    except CarnetError as exc:
        return await group_page(web, values=typed, errors=_field_errors(exc))
    return web.redirect(f"/groups/{group_id}?added=1")


def _values(contact: ContactRecord) -> dict[str, str]:
    return {name: getattr(contact.fields, name) for name in CONTACT_COLUMNS}


async def edit_contact(web: Web) -> Response:
    contact_id = web.request.path_params["contact_id"]
    try:
        contact = await web.run(contacts.get_contact, web.store, web.account, contact_id)
    except NotFoundError:
        return not_found(web)
    if web.form is None:
        return web.render(
            "contact_edit.html", contact=contact, fields=_fields(web), values=_values(contact),
            errors={},
        )  # fmt: skip
    typed = _typed(web)
    try:
        await web.run(
            contacts.update_contact, web.store, web.account, contact_id, ContactInput(**typed)
        )
    except NotFoundError:
        return not_found(web)
    except CarnetError as exc:
        return web.render(
            "contact_edit.html", status=400, contact=contact, fields=_fields(web), values=typed,
            errors=_field_errors(exc),
        )  # fmt: skip
    return web.redirect(f"/groups/{contact.group_public_id}")


async def delete_contact(web: Web) -> Response:
    contact_id = web.request.path_params["contact_id"]
    try:
        contact = await web.run(contacts.get_contact, web.store, web.account, contact_id)
        await web.run(contacts.delete_contact, web.store, web.account, contact_id)
    except NotFoundError:
        return not_found(web)
    return web.redirect(f"/groups/{contact.group_public_id}")


_EXPORT_COLUMNS = ("id", *CONTACT_COLUMNS, "stop_sms", "created_at")


def _csv_lines(store: Store, web: Web, group_id: str) -> Iterator[str]:
    """The group as CSV, a page of the API's size at a time (never the whole group in memory)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(_EXPORT_COLUMNS)
    page = 1
    while True:
        found = contacts.list_contacts(store, web.account, group_id, page)
        for c in found.contacts:
            cells = [getattr(c.fields, name) for name in CONTACT_COLUMNS]
            writer.writerow([c.public_id, *cells, "true" if c.stop_sms else "false", c.created_at])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if not found.contacts:
            return
        page += 1


async def export_csv(web: Web) -> Response:
    group_id = web.request.path_params["group_id"]
    try:
        group = await web.run(groups.get_group, web.store, web.account, group_id)
    except NotFoundError:
        return not_found(web)
    name = "".join(c if c.isalnum() else "-" for c in group.name)[:60] or "group"
    return StreamingResponse(
        _csv_lines(web.store, web, group_id),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )
