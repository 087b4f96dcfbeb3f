"""Moves racing each other between two groups, and adds and deletes: no deadlock, no 500.

`carnet serve --workers 2` on each engine. Every mover locks both groups,
always in the same order, so moves in opposite directions wait for each other
rather than in a circle; after each round every contact is in exactly one
group, and the groups' counts and pages agree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.crowd import Crowd
from support.servers import new_account, start_server
from test_races import Served

ROUNDS = 5
OK = (200, 200)


@pytest.fixture
def served(db_url: str, tmp_path: Path) -> Iterator[Served]:
    key = new_account(db_url)
    server = start_server(db_url, tmp_path, "--workers", "2", env={"CARNET_RATE_LIMIT": "0"})
    served = Served(server, key, db_url)
    yield served
    served.http.close()
    server.stop()


def _caller(
    served: Served, round_: int, first: tuple[str, list[str]], second: tuple[str, list[str]]
) -> Callable[[httpx.Client, int], Any]:
    """Client 0 deletes a contact of the first group, 1 adds one to the second, the others
    move (or copy) contacts of one group into the other, half in each direction."""
    (a, a_ids), (b, b_ids) = first, second

    def call(http: httpx.Client, i: int) -> Any:
        if i == 0:
            return served.call(http, "/v1/contact/delete", contactId=a_ids[0])
        if i == 1:
            contact = {"phoneNumber": f"+3363{round_:02d}00001"}
            return served.call(http, "/v1/contact/add", groupId=b, contact=contact)
        ids, target = (a_ids, b) if i % 2 else (b_ids, a)
        path = "/v1/contact/move" if i % 3 else "/v1/contact/copy"
        return served.call(http, path, groupId=target, contactIds=ids[i % 4 :])

    return call


def test_moves_in_opposite_directions_with_adds_and_deletes(served: Served) -> None:
    with Crowd(10) as crowd:
        for round_ in range(ROUNDS):
            a, a_ids = served.group_with([f"+3361{round_:02d}{n:05d}" for n in range(8)])
            b, b_ids = served.group_with([f"+3362{round_:02d}{n:05d}" for n in range(8)])
            doomed = a_ids[0]

            call = _caller(served, round_, (a, a_ids), (b, b_ids))
            answers = crowd.all_at_once(call)

            assert answers[0] in (OK, (404, 404)), answers
            assert set(answers[1:]) == {OK}, answers
            counts = served.groups()
            listed = {group: served.listed(group) for group in (a, b)}
            assert {g: len(ids) for g, ids in listed.items()} == {a: counts[a], b: counts[b]}
            every = listed[a] + listed[b]
            assert len(every) == len(set(every)), round_  # each contact in one group
            assert set(a_ids[1:] + b_ids) <= set(every)  # moved or not, none lost
            assert doomed not in every or answers[0] == (404, 404)
            for group, ids in listed.items():
                phones = [
                    served.get("/v1/contact/detail", contactId=c).json()["contact"]["phone"]
                    for c in ids
                ]
                assert len(phones) == len(set(phones)), group  # one number once per group
