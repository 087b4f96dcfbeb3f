"""Another account's id is looked up exactly like an unknown one: the same queries.

An id that belongs to another account must be answered like an id that does
not exist, and in the same time class (SPEC §1). Timing is not asserted here;
the work is: every endpoint that takes an id runs the same SQL statements,
in the same order, for both, each lookup scoped by the account. On both engines.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event

from carnet.domain.accounts import forget_cached_keys
from carnet.domain.ids import new_public_id, new_stop_id
from carnet.storage import Store
from support.api import Api

Params = Callable[[dict[str, str]], dict[str, Any]]

CALLS: dict[str, tuple[str, str, Params]] = {
    "group/delete": ("POST", "/v1/group/delete", lambda i: {"groupId": i["group"]}),
    "contact/add": (
        "POST",
        "/v1/contact/add",
        lambda i: {"groupId": i["group"], "contact": {"phoneNumber": "0699999999"}},
    ),
    "contact/add of the wrong form": (
        "POST",
        "/v1/contact/add",
        lambda i: {"groupId": i["group"], "contact": "0699999999"},
    ),
    "contact/add batch": (
        "POST",
        "/v1/contact/add",
        lambda i: {"groupId": i["group"], "contactsList": [{"phoneNumber": "0699999999"}] * 3},
    ),
    "contact/add too many": (
        "POST",
        "/v1/contact/add",
        lambda i: {"groupId": i["group"], "contactsList": [{}] * 501},
    ),
    "contact/list": ("GET", "/v1/contact/list", lambda i: {"groupId": i["group"], "page": "2"}),
    "contact/detail": ("GET", "/v1/contact/detail", lambda i: {"contactId": i["contact"]}),
    "contact/update": (
        "POST",
        "/v1/contact/update",
        lambda i: {"contactId": i["contact"], "contact": {"phoneNumber": "0688888888"}},
    ),
    "contact/update bad field": (
        "POST",
        "/v1/contact/update",
        lambda i: {"contactId": i["contact"], "contact": {"date": "nope"}},
    ),
    "contact/delete": ("POST", "/v1/contact/delete", lambda i: {"contactId": i["contact"]}),
    "stop-sms/delete": ("POST", "/v1/stop-sms/delete", lambda i: {"id": i["stop"]}),
}


@contextmanager
def statements(store: Store) -> Iterator[list[str]]:
    """The SQL statements run on ``store`` meanwhile, in order."""
    seen: list[str] = []

    def record(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        # The server's import runner and webhook sender poll from their own threads, on
        # their own schedule: their statements are no part of the request's.
        if not threading.current_thread().name.startswith(("carnet-import-", "carnet-webhooks-")):
            seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(store.engine, "before_cursor_execute", record)


def call(api: Api, method: str, path: str, params: dict[str, Any]) -> Any:
    if method == "GET":
        return api.client.get(path, params={"apiKey": api.key, **params})
    return api.client.request(method, path, json={"apiKey": api.key, **params})


@pytest.mark.parametrize("name", CALLS)
def test_a_foreign_id_costs_the_queries_of_an_unknown_one(
    api: Api, other_api: Api, store: Store, name: str
) -> None:
    group = api.group()
    contact = api.add(group, phoneNumber="0612345678").json()["contact"]["contactId"]
    stop = api.post("/v1/stop-sms/add", phoneNumber="0611111111").json()["stopId"]
    foreign = {"group": group, "contact": contact, "stop": stop}
    unknown = {"group": new_public_id(), "contact": new_public_id(), "stop": new_stop_id()}
    other_api.group("the intruder's own")
    method, path, params = CALLS[name]

    call(other_api, method, path, params(unknown))  # connections and caches warmed alike
    # The key is read again by both calls alike, however long each takes (the key
    # cache lasts half a second: a slow machine could let it lapse before one only).
    forget_cached_keys(store)
    with statements(store) as for_foreign:
        foreign_answer = call(other_api, method, path, params(foreign))
    forget_cached_keys(store)
    with statements(store) as for_unknown:
        unknown_answer = call(other_api, method, path, params(unknown))

    assert foreign_answer.status_code == unknown_answer.status_code == 404
    assert foreign_answer.json() == unknown_answer.json()
    assert for_foreign == for_unknown
    assert for_foreign, "the lookup reached the database"
    assert api.get("/v1/contact/detail", contactId=contact).status_code == 200
