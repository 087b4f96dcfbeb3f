"""Concurrent writers against `carnet serve --workers 2`: invariants hold, no lock leaks out.

Requests are started together (a barrier) from many threads, each with its own
connection, so the two worker processes really do write at the same time.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select

from carnet.storage import Store
from carnet.storage.schema import changes, contacts, groups
from support.crowd import all_at_once
from support.servers import Server, new_account, start_server


@pytest.fixture
def served(db_url: str, tmp_path: Path) -> Iterator[tuple[Server, str]]:
    key = new_account(db_url)
    server = start_server(db_url, tmp_path, "--workers", "2", env={"CARNET_RATE_LIMIT": "0"})
    yield server, key
    server.stop()


def _group(server: Server, key: str) -> str:
    response = httpx.post(server.url + "/v1/group/add", json={"apiKey": key, "name": "g"})
    group_id: str = response.json()["groupId"]
    return group_id


def _batches_at_once(
    server: Server, key: str, group: str, batches: list[list[str]]
) -> list[dict[str, Any]]:
    """Each batch of numbers posted to the group, all released together; their reports."""

    def add(http: httpx.Client, i: int) -> dict[str, Any]:
        rows = [{"phoneNumber": phone} for phone in batches[i]]
        response = http.post(
            server.url + "/v1/contact/add",
            json={"apiKey": key, "groupId": group, "contactsList": rows},
        )
        assert response.status_code == 200, response.text
        report: dict[str, Any] = response.json()
        return report

    return all_at_once(len(batches), add)


def _stored_phones(server: Server, key: str, group: str) -> list[str]:
    phones: list[str] = []
    page = 1
    while True:
        body = httpx.get(
            server.url + "/v1/contact/list", params={"apiKey": key, "groupId": group, "page": page}
        ).json()
        if not body["datas"]:
            return phones
        phones += [c["phone"] for c in body["datas"]]
        page += 1


def test_fifty_adds_of_one_number_store_it_once(served: tuple[Server, str]) -> None:
    server, key = served
    group = _group(server, key)

    def add(http: httpx.Client, i: int) -> tuple[int, int]:
        # Spelled differently each time: one number all the same.
        spelling = ["0612345678", "+33612345678", "06 12 34 56 78", "0033612345678"][i % 4]
        response = http.post(
            server.url + "/v1/contact/add",
            json={"apiKey": key, "groupId": group, "contact": {"phoneNumber": spelling}},
        )
        return response.status_code, response.json()["code"]

    answers = Counter(all_at_once(50, add))
    assert answers == {(200, 200): 1, (409, 15): 49}
    assert _stored_phones(server, key, group) == ["+33612345678"]
    groups = httpx.get(server.url + "/v1/group/list", params={"apiKey": key}).json()["groups"]
    assert groups[0]["contactCount"] == 1


def test_overlapping_batches_count_every_row_once(served: tuple[Server, str]) -> None:
    server, key = served
    group = _group(server, key)
    numbers = [f"+336{n:08d}" for n in range(10_000_000, 10_000_300)]
    # Eight batches of 100 rows, each overlapping the next by 75 rows; every
    # batch also repeats its own first number at the end.
    batches = [numbers[i * 25 : i * 25 + 100] for i in range(8)]
    batches = [batch + batch[:1] for batch in batches]
    reports = _batches_at_once(server, key, group, batches)
    imported = [r["phoneNumber"] for report in reports for r in report["results"] if r["success"]]
    expected = sorted({phone for batch in batches for phone in batch})
    assert sorted(imported) == expected  # each number imported by exactly one batch
    for batch, report in zip(batches, reports, strict=True):
        rapport = report["rapport"]
        errors = rapport["errors"]
        assert rapport["nbline"] == len(batch)
        # The repeated first number is a duplicate when this batch stored it,
        # already in the group when another batch did first.
        assert errors["duplicatePhone"] == (1 if report["results"][0]["success"] else 0)
        assert rapport["nbline_imported"] + errors["allreadyInGroupe"] + errors[
            "duplicatePhone"
        ] == len(batch)
    assert sorted(_stored_phones(server, key, group)) == expected


def test_sqlite_never_says_database_is_locked(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'carnet.db'}"
    key = new_account(db_url)
    server = start_server(db_url, tmp_path, "--workers", "2", env={"CARNET_RATE_LIMIT": "0"})
    try:
        group = _group(server, key)

        def work(http: httpx.Client, i: int) -> list[tuple[int, int]]:
            seen = []
            for j in range(10):
                url = server.url + "/v1/" + ["contact/add", "stop-sms/add", "group/add"][j % 3]
                params: dict[str, Any] = {
                    "apiKey": key,
                    "groupId": group,
                    "name": f"g{i}-{j}",
                    "phoneNumber": f"+3361{i:03d}{j:04d}",
                    "contact": {"phoneNumber": f"+3362{i:03d}{j:04d}"},
                }
                response = http.post(url, json=params)
                seen.append((response.status_code, response.json()["code"]))
                listed = http.get(server.url + "/v1/group/list", params={"apiKey": key})
                seen.append((listed.status_code, listed.json()["code"]))
            return seen

        answers = Counter(answer for seen in all_at_once(32, work) for answer in seen)
    finally:
        server.stop()
    assert answers == {(200, 200): 32 * 10 * 2}
    assert "locked" not in server.output()


def test_a_group_deleted_during_adds_leaves_no_contact_behind(
    served: tuple[Server, str], db_url: str
) -> None:
    server, key = served
    group = _group(server, key)
    deleter = 3

    def call(http: httpx.Client, i: int) -> tuple[int, int]:
        params: dict[str, Any] = {"apiKey": key, "groupId": group}
        if i == deleter:
            response = http.post(server.url + "/v1/group/delete", json=params)
        elif i % 2:
            rows = [{"phoneNumber": f"+336{i:02d}{n:06d}"} for n in range(200)]
            params["contactsList"] = rows
            response = http.post(server.url + "/v1/contact/add", json=params)
        else:  # single adds, one after another, until the group is gone
            for n in range(40):
                params["contact"] = {"phoneNumber": f"+336{i:02d}{n:06d}"}
                response = http.post(server.url + "/v1/contact/add", json=params)
                if response.status_code != 200:
                    break
        return response.status_code, response.json()["code"]

    answers = all_at_once(10, call)
    assert answers[deleter] == (200, 200)
    assert set(answers) <= {(200, 200), (404, 404)}
    listed = httpx.get(server.url + "/v1/group/list", params={"apiKey": key}).json()
    assert listed["groups"] == []
    # Whichever came first, no stored contact points at a group that is gone.
    store = Store.open(db_url, migrate_schema=False)
    try:
        with store.read() as q:
            orphans = q.conn.execute(
                select(func.count())
                .select_from(contacts)
                .where(contacts.c.group_id.not_in(select(groups.c.id)))
            ).scalar_one()
    finally:
        store.close()
    assert orphans == 0


def test_racing_batches_leave_what_they_answered(served: tuple[Server, str], db_url: str) -> None:
    """A batch checks its numbers before it locks the group, and goes round again under
    the lock when another writer stored one of them meanwhile. Whichever way it went,
    what it leaves is what it answered: each number stored once, at consecutive
    positions of its batch, one audit entry and one ``contact.added`` change per batch
    that stored rows, holding exactly its rows."""
    server, key = served
    group = _group(server, key)
    numbers = [f"+336{n:08d}" for n in range(20_000_000, 20_000_400)]
    # Each batch shares half its rows with the next: most batches find a number
    # stored by another only once that one has committed.
    batches = [numbers[i * 30 : i * 30 + 60] for i in range(10)]

    reports = _batches_at_once(server, key, group, batches)
    stored_by = [
        {r["contactId"]: r["phoneNumber"] for r in report["results"] if r["success"]}
        for report in reports
    ]
    every_stored = {cid: phone for ids in stored_by for cid, phone in ids.items()}
    assert sorted(every_stored.values()) == sorted({n for batch in batches for n in batch})
    for batch, report, ids in zip(batches, reports, stored_by, strict=True):
        rapport = report["rapport"]
        assert rapport["nbline_imported"] == len(ids)
        assert rapport["nbline_imported"] + rapport["errors"]["allreadyInGroupe"] == len(batch)

    audit = httpx.get(server.url + "/v1/audit/list", params={"apiKey": key}).json()["entries"]
    added = sorted(e["counts"]["imported"] for e in audit if e["action"] == "contacts.added")
    assert added == sorted(len(ids) for ids in stored_by if ids)

    store = Store.open(db_url, migrate_schema=False)
    try:
        with store.read() as q:
            recorded = [
                json.loads(data)["contactIds"]
                for data in q.conn.execute(
                    select(changes.c.data).where(changes.c.event == "contact.added")
                ).scalars()
            ]
            seqs = dict(q.conn.execute(select(contacts.c.public_id, contacts.c.seq)).all())
    finally:
        store.close()
    assert sorted(map(sorted, recorded)) == sorted(sorted(ids) for ids in stored_by if ids)
    # Positions: every batch's rows consecutive and in order, no position twice.
    assert sorted(seqs.values()) == list(range(1, len(every_stored) + 1))
    for ids in stored_by:
        mine = [seqs[cid] for cid in ids]  # in the order of the batch's rows
        assert mine == list(range(mine[0], mine[0] + len(mine)) if mine else [])
