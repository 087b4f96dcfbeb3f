"""Single adds written together (group commit): each request keeps its own answer.

`carnet serve` on each engine; every round releases its requests together
(``support.crowd``), so that adds wait behind one another in a worker and go
into one transaction. Whatever the grouping, each add must answer as it would
alone, and what a user can then read must agree with the answers.
"""

from __future__ import annotations

import sqlite3
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy.exc import OperationalError

from carnet.contract import API_KEY_REVOKED_WITHIN
from carnet.storage import Store
from support.crowd import Crowd
from support.servers import Server, new_account, run_cli, start_server

ROUNDS = 6
OK = (200, 200)
TAKEN = (409, 15)
STOPPED = (409, 14)
GONE = (404, 404)


class Adds:
    """A running server and its account's key, with the calls the rounds make."""

    def __init__(self, server: Server, key: str) -> None:
        self.server = server
        self.key = key
        self.http = httpx.Client(base_url=server.url, timeout=60)

    def add(self, http: httpx.Client, group: str, phone: str) -> tuple[tuple[int, int], Any]:
        response = http.post(
            self.server.url + "/v1/contact/add",
            json={"apiKey": self.key, "groupId": group, "contact": {"phoneNumber": phone}},
        )
        body = response.json()
        return (response.status_code, body["code"]), body.get("contact")

    def post(self, path: str, **params: Any) -> Any:
        response = self.http.post(path, json={"apiKey": self.key, **params})
        assert response.status_code == 200, response.text
        return response.json()

    def group(self) -> str:
        group_id: str = self.post("/v1/group/add", name="g")["groupId"]
        return group_id

    def count(self, group: str) -> int:
        listed = self.http.get("/v1/group/list", params={"apiKey": self.key}).json()["groups"]
        return next(int(g["contactCount"]) for g in listed if g["id"] == group)

    def detail(self, contact_id: str) -> httpx.Response:
        return self.http.get(
            "/v1/contact/detail", params={"apiKey": self.key, "contactId": contact_id}
        )


def _serve(db_url: str, tmp_path: Path, workers: str) -> Iterator[Adds]:
    key = new_account(db_url)
    server = start_server(db_url, tmp_path, "--workers", workers, env={"CARNET_RATE_LIMIT": "0"})
    adds = Adds(server, key)
    yield adds
    adds.http.close()
    server.stop()


@pytest.fixture
def two_workers(db_url: str, tmp_path: Path) -> Iterator[Adds]:
    yield from _serve(db_url, tmp_path, "2")


@pytest.fixture
def one_worker(db_url: str, tmp_path: Path) -> Iterator[Adds]:
    """One worker: every add of a round waits in the same process, so they share flushes."""
    yield from _serve(db_url, tmp_path, "1")


def test_one_number_added_at_once_across_workers_is_stored_once(two_workers: Adds) -> None:
    with Crowd(16) as crowd:
        for round_ in range(ROUNDS):
            group = two_workers.group()
            phone = f"+336120{round_:05d}"

            def call(http: httpx.Client, _i: int, group: str = group, phone: str = phone) -> Any:
                return two_workers.add(http, group, phone)

            answers = crowd.all_at_once(call)

            assert Counter(answer for answer, _ in answers) == {OK: 1, TAKEN: 15}, round_
            (stored,) = [contact for answer, contact in answers if answer == OK]
            assert stored["phoneNumber"] == phone
            assert two_workers.detail(stored["contactId"]).json()["contact"]["phone"] == phone
            assert two_workers.count(group) == 1


def test_adds_flushed_together_each_keep_their_own_answer(one_worker: Adds) -> None:
    """Fresh numbers, one number twice, a stop-listed one and a bad one, all at once."""
    with Crowd(20) as crowd:
        for round_ in range(ROUNDS):
            group = one_worker.group()
            stopped = f"+336139{round_:05d}"
            one_worker.post("/v1/stop-sms/add", phoneNumber=stopped)
            twice = f"+336138{round_:05d}"
            phones = [f"+33614{round_:02d}{i:04d}" for i in range(crowd.size)]
            phones[3] = phones[4] = twice
            phones[7] = stopped
            phones[9] = "not a number"

            def call(http: httpx.Client, i: int, group: str = group, phones: Any = phones) -> Any:
                return one_worker.add(http, group, phones[i])

            answers = crowd.all_at_once(call)

            assert answers[7][0] == STOPPED, round_
            assert answers[9][0] == (400, 9), round_
            assert sorted([answers[3][0], answers[4][0]]) == [OK, TAKEN], round_
            fresh = [i for i in range(crowd.size) if i not in (3, 4, 7, 9)]
            assert {answers[i][0] for i in fresh} == {OK}, answers
            stored = [i for i in range(crowd.size) if answers[i][0] == OK]
            ids = {answers[i][1]["contactId"] for i in stored}
            assert len(ids) == len(stored) == crowd.size - 3
            for i in stored:
                contact = answers[i][1]
                assert contact["phoneNumber"] == phones[i]
                detail = one_worker.detail(contact["contactId"]).json()["contact"]
                assert detail["phone"] == phones[i]
                assert detail["groupId"] == group
            assert one_worker.count(group) == len(stored)


def test_adds_into_a_group_deleted_meanwhile_leave_nothing_behind(two_workers: Adds) -> None:
    with Crowd(21) as crowd:
        for round_ in range(ROUNDS):
            doomed, kept = two_workers.group(), two_workers.group()

            def call(
                http: httpx.Client, i: int, doomed: str = doomed, kept: str = kept, r: int = round_
            ) -> Any:
                if i == 0:
                    response = http.post(
                        two_workers.server.url + "/v1/group/delete",
                        json={"apiKey": two_workers.key, "groupId": doomed},
                    )
                    return (response.status_code, response.json()["code"]), None
                group = doomed if i % 2 else kept
                return two_workers.add(http, group, f"+33615{r:02d}{i:04d}")

            answers = crowd.all_at_once(call)

            assert answers[0][0] == OK, round_
            into_doomed = [answers[i] for i in range(1, crowd.size) if i % 2]
            into_kept = [answers[i] for i in range(1, crowd.size) if not i % 2]
            assert {answer for answer, _ in into_doomed} <= {OK, GONE}, answers
            assert {answer for answer, _ in into_kept} == {OK}, answers
            for answer, contact in into_doomed:
                if answer == OK:  # stored before the delete, and deleted with the group
                    assert two_workers.detail(contact["contactId"]).status_code == 404
            for _, contact in into_kept:
                assert two_workers.detail(contact["contactId"]).status_code == 200
            assert two_workers.count(kept) == len(into_kept)
            listed = two_workers.http.get("/v1/group/list", params={"apiKey": two_workers.key})
            assert doomed not in {g["id"] for g in listed.json()["groups"]}


def test_a_key_revoked_under_load_stops_working(
    two_workers: Adds, db_url: str, tmp_path: Path
) -> None:
    group = two_workers.group()
    with Crowd(16) as crowd:

        def call(http: httpx.Client, i: int) -> Any:
            if i == 0:
                return run_cli("account", "revoke-key", "shop", "--database-url", db_url)
            return [two_workers.add(http, group, f"+33616{i:02d}{n:04d}")[0] for n in range(8)]

        answers = crowd.all_at_once(call)

        assert answers[0].returncode == 0, answers[0].stderr
        assert {answer for calls in answers[1:] for answer in calls} <= {OK, (401, 10)}
        # Within the contract's bound, no worker takes the key: every add is refused.
        time.sleep(API_KEY_REVOKED_WITHIN)
        after = crowd.all_at_once(lambda http, i: two_workers.add(http, group, f"+3361799{i:04d}"))
        assert {answer for answer, _ in after} == {(401, 10)}, after


@contextmanager
def _carnet_writer(db_url: str, db_file: Path) -> Iterator[None]:
    """Another carnet process writing: it queues on carnet's writer lock."""
    other = Store.open(db_url, migrate_schema=False)
    try:
        with other.write():
            yield
    finally:
        other.close()


@contextmanager
def _foreign_writer(db_url: str, db_file: Path) -> Iterator[None]:
    """A program that knows nothing of carnet's writer lock, such as the sqlite3
    shell: it holds SQLite's own write lock."""
    conn = sqlite3.connect(db_file, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")
        yield
        conn.execute("ROLLBACK")
    finally:
        conn.close()


@pytest.mark.parametrize("writer", [_carnet_writer, _foreign_writer], ids=["carnet", "foreign"])
def test_an_add_waits_for_another_writer_while_reads_go_on(
    tmp_path: Path, writer: Callable[[str, Path], AbstractContextManager[None]]
) -> None:
    """SQLite: while another process holds the write lock, an add waits for it (and is
    then stored), and the same worker keeps answering reads meanwhile."""
    db_file = tmp_path / "carnet.db"
    db_url = f"sqlite:///{db_file}"
    served = _serve(db_url, tmp_path, "1")
    adds = next(served)
    try:
        group = adds.group()
        with ThreadPoolExecutor(1) as pool, httpx.Client(timeout=60) as http:
            with writer(db_url, db_file):  # another writer, holding the lock
                pending = pool.submit(adds.add, http, group, "+33615000001")
                time.sleep(0.5)  # the add has reached its flush, and waits
                listed = adds.http.get("/v1/group/list", params={"apiKey": adds.key}, timeout=10)
                assert listed.status_code == 200
                assert not pending.done()
            answer, contact = pending.result(timeout=30)
        assert answer == OK
        assert adds.detail(contact["contactId"]).json()["contact"]["phone"] == "+33615000001"
        assert adds.count(group) == 1
    finally:
        next(served, None)


def test_a_write_found_busy_at_once_leaves_later_writes_waiting(tmp_path: Path) -> None:
    """SQLite: a write that must not wait (the event loop's) fails at once while a
    program outside carnet writes; the writes after it still wait for that program
    and then go through, rather than fail with "database is locked"."""
    db_file = tmp_path / "carnet.db"
    db_url = f"sqlite:///{db_file}"
    store = Store.open(db_url)
    try:
        with ThreadPoolExecutor(1) as pool:
            with _foreign_writer(db_url, db_file):
                with (
                    pytest.raises(OperationalError, match="database is locked"),
                    store.write_at_once(),
                ):
                    pass

                def write() -> str:
                    with store.write() as q:
                        return q.insert_account("later", "2026-11-27T00:00:00Z").name

                pending = pool.submit(write)
                time.sleep(0.5)
                assert not pending.done()  # waiting for the other program, not failed
            assert pending.result(timeout=30) == "later"
        with store.read() as q:
            assert q.account_named("later") is not None
    finally:
        store.close()
