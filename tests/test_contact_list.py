"""GET and POST /v1/contact/list: pages of 20, oldest first, with no gaps after deletes."""

from __future__ import annotations

from typing import Any

import pytest

from carnet.contract import PAGE_SIZE
from support.api import Api
from support.wire import total


def numbers(start: int, count: int) -> list[str]:
    return [f"+3361{n:07d}" for n in range(start, start + count)]


def fill(api: Api, group: str, phones: list[str]) -> list[str]:
    """Add the numbers in batches; return their contact ids, in order."""
    ids: list[str] = []
    for at in range(0, len(phones), 500):
        rows = [{"phoneNumber": p} for p in phones[at : at + 500]]
        body = api.post("/v1/contact/add", groupId=group, contactsList=rows).json()
        assert body["rapport"]["nbline_imported"] == len(rows), body["rapport"]
        ids += [r["contactId"] for r in body["results"]]
    return ids


def page(api: Api, group: str, number: Any, method: str = "GET") -> Any:
    if method == "GET":
        response = api.get("/v1/contact/list", groupId=group, page=number)
    else:
        response = api.post("/v1/contact/list", groupId=group, page=number)
    assert response.status_code == 200, response.text
    return response.json()


def every_page(api: Api, group: str) -> list[list[str]]:
    pages: list[list[str]] = []
    number = 1
    while True:
        body = page(api, group, number)
        assert body["currentPage"] == number
        if not body["datas"]:
            return pages
        pages.append([c["contactId"] for c in body["datas"]])
        number += 1


def test_list_shape_and_order(api: Api) -> None:
    group = api.group()
    ids = fill(api, group, numbers(0, 3))
    api.add(group, phoneNumber="0699999999", firstname="last")
    for method in ("GET", "POST"):
        body = page(api, group, 1, method)
        assert set(body) == {"success", "code", "currentPage", "total", "datas"}
        assert body["success"] is True and body["code"] == 200
        assert body["currentPage"] == 1 and body["total"] == "4"  # digits, as upstream
        assert [c["contactId"] for c in body["datas"]][:3] == ids
        assert body["datas"][3]["firstname"] == "last"
        detail = api.get("/v1/contact/detail", contactId=ids[0]).json()["contact"]
        assert body["datas"][0] == detail


def test_page_defaults_to_1(api: Api) -> None:
    group = api.group()
    fill(api, group, numbers(0, 2))
    body = api.get("/v1/contact/list", groupId=group).json()
    assert body["currentPage"] == 1 and len(body["datas"]) == 2


def test_pages_hold_20_and_a_page_past_the_end_is_empty(api: Api) -> None:
    assert PAGE_SIZE == 20  # "Il y a 20 contacts par page", upstream says
    group = api.group()
    ids = fill(api, group, numbers(0, 50))
    pages = every_page(api, group)
    assert [len(p) for p in pages] == [20, 20, 10]
    assert [i for p in pages for i in p] == ids
    past = page(api, group, 4, "POST")
    assert past["datas"] == [] and past["total"] == "50" and past["currentPage"] == 4
    assert page(api, group, "999999999999")["datas"] == []


@pytest.mark.parametrize("value", [0, -1, "0", "-1", "abc", "1.5", 1.5, True, [1], 10**30])
def test_page_of_the_wrong_form_is_code_3(api: Api, value: Any) -> None:
    group = api.group()
    for response in (
        api.get("/v1/contact/list", groupId=group, page=value),
        api.post("/v1/contact/list", groupId=group, page=value),
    ):
        if isinstance(value, list) and response.request.method == "GET":
            continue  # a query string cannot carry a list
        assert response.status_code == 400, (value, response.text)
        assert response.json()["code"] == 3


def test_pages_stay_whole_after_deletes_across_page_boundaries(api: Api) -> None:
    group = api.group()
    ids = fill(api, group, numbers(0, 320))
    # First, last, both sides of each boundary, a run, and the very end.
    doomed = {0, 1, 18, 19, 20, 21, 150, 151, 152, 153, 199, 200, 201, 299, 300, 319}
    for index in sorted(doomed, reverse=True):
        assert api.post("/v1/contact/delete", contactId=ids[index]).status_code == 200
    remaining = [i for n, i in enumerate(ids) if n not in doomed]
    pages = every_page(api, group)
    assert [len(p) for p in pages] == [PAGE_SIZE] * 15 + [4]
    assert [i for p in pages for i in p] == remaining
    assert total(page(api, group, 1)) == len(remaining)
    # New contacts go after the survivors.
    later = fill(api, group, numbers(1000, 120))
    pages = every_page(api, group)
    assert [i for p in pages for i in p] == remaining + later
    assert [len(p) for p in pages] == [PAGE_SIZE] * 21 + [4]


def test_pages_stay_whole_after_many_deletes(api: Api) -> None:
    # More deleted positions than carnet reads in one go (900), ahead of the pages read.
    group = api.group()
    ids = fill(api, group, numbers(0, 1200))
    doomed = set(range(5, 1150))
    for index in doomed:
        assert api.post("/v1/contact/delete", contactId=ids[index]).status_code == 200
    remaining = [i for n, i in enumerate(ids) if n not in doomed]
    assert [i for p in every_page(api, group) for i in p] == remaining


def test_list_of_another_accounts_group_is_404(api: Api, other_api: Api) -> None:
    group = api.group()
    fill(api, group, numbers(0, 2))
    response = other_api.get("/v1/contact/list", groupId=group)
    assert response.status_code == 404 and response.json()["code"] == 404


def test_list_after_the_group_is_deleted_is_404(api: Api) -> None:
    group = api.group()
    fill(api, group, numbers(0, 2))
    assert api.post("/v1/group/delete", groupId=group).status_code == 200
    response = api.get("/v1/contact/list", groupId=group)
    assert response.status_code == 404


def test_list_without_group_is_code_1(api: Api) -> None:
    response = api.get("/v1/contact/list")
    assert response.status_code == 400 and response.json()["code"] == 1


def test_list_flags_stop_listed_numbers(api: Api) -> None:
    group = api.group()
    fill(api, group, numbers(0, 2))
    api.post("/v1/stop-sms/add", phoneNumber=numbers(1, 1)[0])
    assert [c["stopSms"] for c in page(api, group, 1)["datas"]] == [False, True]
