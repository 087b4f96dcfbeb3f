"""Another account's id costs what an unknown id costs: the index misses both.

The contract answers an id of another account exactly like an unknown one,
timing included. Every statement a request sends with such an id is run
again here under the engine's EXPLAIN: the id must be looked up through an
index that starts with the account, so the index alone finds nothing, and no
row of the other account is read and then filtered out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from sqlalchemy import event

from carnet.storage import Store
from support.api import Api


def _plan_nodes(node: dict[str, Any]) -> Iterator[dict[str, Any]]:
    yield node
    for child in node.get("Plans", []):
        yield from _plan_nodes(child)


def _reads_the_other_accounts_row(store: Store, statement: str, params: Any) -> list[str]:
    """What, in the plan of ``statement``, shows a row read and then refused."""
    with store.engine.connect() as conn:
        if store.dialect == "postgresql":
            plan = conn.exec_driver_sql(
                "EXPLAIN (ANALYZE, FORMAT JSON) " + statement, params
            ).scalar_one()
            conn.rollback()  # EXPLAIN ANALYZE runs a DELETE it explains
            nodes = _plan_nodes((json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"])
            return [json.dumps(node) for node in nodes if node.get("Rows Removed by Filter", 0) > 0]
        steps = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
        conn.rollback()
        # A search on the public id alone would find the row, then check its account.
        return [
            step[-1]
            for step in steps
            if "public_id=?" in step[-1] and "account_id=?" not in step[-1]
        ]


def test_another_accounts_ids_are_missed_by_the_index(
    api: Api, other_api: Api, store: Store
) -> None:
    group = api.group()
    contact = api.add(group, phoneNumber="0612345678").json()["contact"]["contactId"]
    stop = str(api.post("/v1/stop-sms/add", phoneNumber="0611111111").json()["stopId"])
    other_api.group("theirs")
    sent: list[tuple[str, Any]] = []

    def record(_conn: Any, _cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if any(public_id in repr(params) for public_id in (group, contact, stop)):
            sent.append((statement, params))

    event.listen(store.engine, "before_cursor_execute", record)
    try:
        one = {"phoneNumber": "0699999999"}
        answers = [
            other_api.get("/v1/contact/detail", contactId=contact),
            other_api.post("/v1/contact/update", contactId=contact, contact={"firstname": "M"}),
            other_api.post("/v1/contact/update", contactId=contact, contact=one),
            other_api.post("/v1/contact/delete", contactId=contact),
            other_api.get("/v1/contact/list", groupId=group),
            other_api.post("/v1/contact/add", groupId=group, contact=one),
            other_api.post("/v1/contact/add", groupId=group, contactsList=[one]),
            other_api.post("/v1/group/delete", groupId=group),
            other_api.post("/v1/stop-sms/delete", id=stop),
        ]
    finally:
        event.remove(store.engine, "before_cursor_execute", record)

    assert [answer.status_code for answer in answers] == [404] * len(answers)
    assert len(sent) >= len(answers)  # each looked its id up in the database
    for statement, params in sent:
        assert _reads_the_other_accounts_row(store, statement, params) == [], statement
