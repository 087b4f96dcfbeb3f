"""Writers racing over one contact, group or stop entry: a 200 or a 404, never a 500.

`carnet serve --workers 2` on each engine; every round releases its requests
together (see ``support.crowd``), and each test runs several rounds so that a
losing interleaving, which need not happen every time, happens at least once.
After each round the state a user can see must add up: the group's
``contactCount``, its pages and the contacts' details agree, and no contact
outlives its group.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from carnet.storage import Store
from carnet.storage.schema import contacts, groups
from support.crowd import Crowd
from support.servers import Server, new_account, start_server

ROUNDS = 10
OK = (200, 200)
GONE = (404, 404)


class Served:
    """A `carnet serve --workers 2` and its account's key, with the calls the races make."""

    def __init__(self, server: Server, key: str, db_url: str) -> None:
        self.server = server
        self.key = key
        self.db_url = db_url
        self.http = httpx.Client(base_url=server.url, timeout=60)

    def call(self, http: httpx.Client, path: str, **params: Any) -> tuple[int, int]:
        response = http.post(self.server.url + path, json={"apiKey": self.key, **params})
        return response.status_code, response.json()["code"]

    def post(self, path: str, **params: Any) -> Any:
        response = self.http.post(path, json={"apiKey": self.key, **params})
        assert response.status_code == 200, response.text
        return response.json()

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.http.get(path, params={"apiKey": self.key, **params})

    def group_with(self, phones: list[str]) -> tuple[str, list[str]]:
        """A new group holding ``phones``; its id and the contacts' ids."""
        group = self.post("/v1/group/add", name="g")["groupId"]
        rows = [{"phoneNumber": phone} for phone in phones]
        report = self.post("/v1/contact/add", groupId=group, contactsList=rows)
        return group, [result["contactId"] for result in report["results"]]

    def groups(self) -> dict[str, int]:
        """Each group's id and ``contactCount``."""
        listed = self.get("/v1/group/list").json()["groups"]
        return {group["id"]: group["contactCount"] for group in listed}

    def listed(self, group: str) -> list[str]:
        """The contact ids of every page of the group, in order."""
        ids: list[str] = []
        page = 1
        while True:
            body = self.get("/v1/contact/list", groupId=group, page=page).json()
            assert int(body["total"]) == self.groups()[group]
            if not body["datas"]:
                return ids
            ids += [contact["contactId"] for contact in body["datas"]]
            page += 1

    def orphans(self) -> int:
        """Stored contacts whose group is gone."""
        store = Store.open(self.db_url, migrate_schema=False)
        try:
            with store.read() as q:
                return int(
                    q.conn.execute(
                        select(func.count())
                        .select_from(contacts)
                        .where(contacts.c.group_id.not_in(select(groups.c.id)))
                    ).scalar_one()
                )
        finally:
            store.close()


@pytest.fixture
def served(db_url: str, tmp_path: Path) -> Iterator[Served]:
    key = new_account(db_url)
    server = start_server(db_url, tmp_path, "--workers", "2", env={"CARNET_RATE_LIMIT": "0"})
    served = Served(server, key, db_url)
    yield served
    served.http.close()
    server.stop()


def _phones(round_: int, count: int) -> list[str]:
    return [f"+3361{round_:02d}{n:05d}" for n in range(count)]


def test_twenty_deletes_of_one_contact_answer_one_200_and_404s(served: Served) -> None:
    with Crowd(20) as crowd:
        for round_ in range(ROUNDS):
            group, (contact,) = served.group_with(_phones(round_, 1))

            def call(http: httpx.Client, _i: int, contact: str = contact) -> Any:
                return served.call(http, "/v1/contact/delete", contactId=contact)

            answers = crowd.all_at_once(call)

            assert Counter(answers) == {OK: 1, GONE: 19}, round_
            assert served.get("/v1/contact/detail", contactId=contact).status_code == 404
            assert served.groups()[group] == 0
            assert served.listed(group) == []


def test_contact_deletes_racing_their_groups_delete(served: Served) -> None:
    with Crowd(21) as crowd:
        for round_ in range(ROUNDS):
            group, ids = served.group_with(_phones(round_, crowd.size - 1))

            def call(http: httpx.Client, i: int, group: str = group, ids: list[str] = ids) -> Any:
                if i == 0:
                    return served.call(http, "/v1/group/delete", groupId=group)
                return served.call(http, "/v1/contact/delete", contactId=ids[i - 1])

            answers = crowd.all_at_once(call)

            assert answers[0] == OK, round_
            assert set(answers[1:]) <= {OK, GONE}, answers
            assert group not in served.groups()
            for contact in ids:
                assert served.get("/v1/contact/detail", contactId=contact).status_code == 404
            assert served.orphans() == 0


def test_updates_racing_a_delete_of_the_contact(served: Served) -> None:
    with Crowd(16) as crowd:
        for round_ in range(ROUNDS):
            group, (contact,) = served.group_with(_phones(round_, 1))

            def call(http: httpx.Client, i: int, contact: str = contact, r: int = round_) -> Any:
                if i == 0:
                    return served.call(http, "/v1/contact/delete", contactId=contact)
                change = {"firstname": f"n{i}"}
                if i % 3 == 0:  # a few change the number too: they lock the group
                    change["phoneNumber"] = f"+3362{r:02d}{i:05d}"
                return served.call(http, "/v1/contact/update", contactId=contact, contact=change)

            answers = crowd.all_at_once(call)

            assert answers[0] == OK, round_
            assert set(answers[1:]) <= {OK, GONE}, answers
            assert served.get("/v1/contact/detail", contactId=contact).status_code == 404
            assert served.groups()[group] == 0
            assert served.listed(group) == []


def test_number_updates_racing_their_groups_delete(served: Served) -> None:
    with Crowd(13) as crowd:
        for round_ in range(ROUNDS):
            group, ids = served.group_with(_phones(round_, crowd.size - 1))

            def call(
                http: httpx.Client,
                i: int,
                group: str = group,
                ids: list[str] = ids,
                r: int = round_,
            ) -> Any:
                if i == 0:
                    return served.call(http, "/v1/group/delete", groupId=group)
                change = {"phoneNumber": f"+3363{r:02d}{i:05d}"}
                return served.call(http, "/v1/contact/update", contactId=ids[i - 1], contact=change)

            answers = crowd.all_at_once(call)

            assert answers[0] == OK, round_
            assert set(answers[1:]) <= {OK, GONE}, answers
            assert group not in served.groups()
            assert served.orphans() == 0


def test_stop_adds_racing_a_delete_of_the_same_number(served: Served) -> None:
    phone = "+33612345678"
    with Crowd(16) as crowd:
        for round_ in range(ROUNDS * 6):
            stop_id = served.post("/v1/stop-sms/add", phoneNumber=phone)["stopId"]

            def call(http: httpx.Client, i: int, stop_id: Any = stop_id) -> Any:
                if i == 0:
                    return served.call(http, "/v1/stop-sms/delete", id=stop_id), None
                response = http.post(
                    served.server.url + "/v1/stop-sms/add",
                    json={"apiKey": served.key, "phoneNumber": phone},
                )
                answer = response.status_code, response.json()["code"]
                return answer, response.json().get("stopId")

            answers = crowd.all_at_once(call)

            assert answers[0][0] == OK, round_
            assert {answer for answer, _ in answers[1:]} == {OK}, answers
            listed = served.get("/v1/stop-sms/list").json()["data"]
            assert [entry["phoneNumber"] for entry in listed] in ([], [phone])
            # The adds that came after the delete all answer with the one entry left.
            later = {stopped for _, stopped in answers[1:]} - {stop_id}
            assert later == {entry["id"] for entry in listed}, answers
            for entry in listed:
                served.post("/v1/stop-sms/delete", id=entry["id"])
