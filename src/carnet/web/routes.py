"""The dashboard's routes as data: path, methods, handler; and its static files."""

from __future__ import annotations

from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from carnet.web import audit, contacts, groups, imports, keys, signin, stops
from carnet.web.context import Handler, page

_GET, _POST, _BOTH = ("GET",), ("POST",), ("GET", "POST")

# (path, methods, handler, reachable signed out)
PAGES: tuple[tuple[str, tuple[str, ...], Handler, bool], ...] = (
    ("/", _GET, signin.home, True),
    ("/signin", _GET, signin.sign_in_page, True),
    ("/signin", _POST, signin.sign_in, True),
    ("/signout", _GET, signin.sign_out, True),
    ("/language/{code}", _GET, signin.choose_language, True),
    ("/groups", _GET, groups.list_groups, False),
    ("/groups", _POST, groups.create_group, False),
    ("/groups/{group_id}/rename", _BOTH, groups.rename_group, False),
    ("/groups/{group_id}/delete", _BOTH, groups.delete_group, False),
    ("/groups/{group_id}", _GET, contacts.group_page, False),
    ("/groups/{group_id}/contacts", _POST, contacts.add_contact, False),
    ("/groups/{group_id}/export.csv", _GET, contacts.export_csv, False),
    ("/contacts/{contact_id}/edit", _BOTH, contacts.edit_contact, False),
    ("/contacts/{contact_id}/delete", _POST, contacts.delete_contact, False),
    ("/import", _GET, imports.import_form, False),
    (imports.IMPORT_PATH, _POST, imports.upload, False),
    ("/import/start", _POST, imports.start, False),
    ("/imports/{import_id}", _GET, imports.job_page, False),
    ("/imports/{import_id}/progress", _GET, imports.job_page, False),
    ("/imports/{import_id}/rejects.csv", _GET, imports.rejects, False),
    ("/stops", _GET, stops.stops_page, False),
    ("/stops", _POST, stops.add_stop, False),
    ("/stops/{stop_id}/delete", _POST, stops.delete_stop, False),
    ("/keys", _GET, keys.keys_page, False),
    ("/keys", _POST, keys.add_key, False),
    ("/keys/{key_id}/revoke", _POST, keys.revoke_key, False),
    ("/audit", _GET, audit.audit_page, False),
)


def web_routes() -> list[BaseRoute]:
    """A route for each page, then the static files (htmx, the stylesheet)."""
    made: list[BaseRoute] = []
    for path, methods, handler, public in PAGES:
        endpoint = page(handler, public=public)
        made.append(Route(path, endpoint, methods=list(methods), include_in_schema=False))
    made.append(Mount("/static", StaticFiles(packages=[("carnet.web", "static")]), name="static"))
    return made
