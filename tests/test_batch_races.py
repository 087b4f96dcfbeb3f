"""Batches racing for the same numbers on `carnet serve --workers 2`.

A batch checks its numbers before it locks the group, and is sent round again
under the lock when another writer stored one of them meanwhile. Whichever
way it went, what a batch leaves behind is what it answered: each number
stored once, at consecutive positions of its batch, one audit entry and one
``contact.added`` change per batch that stored rows, holding exactly its rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from carnet.storage import Store
from carnet.storage.schema import changes, contacts
from support.crowd import all_at_once
from support.servers import Server, new_account, start_server

BATCHES = 10


@pytest.fixture
def served(db_url: str, tmp_path: Path) -> Iterator[tuple[Server, str]]:
    key = new_account(db_url)
    server = start_server(db_url, tmp_path, "--workers", "2", env={"CARNET_RATE_LIMIT": "0"})
    yield server, key
    server.stop()


def test_racing_batches_leave_what_they_answered(served: tuple[Server, str], db_url: str) -> None:
    server, key = served
    group = httpx.post(server.url + "/v1/group/add", json={"apiKey": key, "name": "g"}).json()[
        "groupId"
    ]
    numbers = [f"+336{n:08d}" for n in range(20_000_000, 20_000_400)]
    # Each batch shares half its rows with the next: most batches find a number
    # stored by another only once that one has committed.
    batches = [numbers[i * 30 : i * 30 + 60] for i in range(BATCHES)]

    def add(http: httpx.Client, i: int) -> dict[str, Any]:
        rows = [{"phoneNumber": phone} for phone in batches[i]]
        answer = http.post(
            server.url + "/v1/contact/add",
            json={"apiKey": key, "groupId": group, "contactsList": rows},
        )
        assert answer.status_code == 200, answer.text
        report: dict[str, Any] = answer.json()
        return report

    reports = all_at_once(BATCHES, add)
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
