"""/v1/stop-sms/*: the account's stop list."""

from __future__ import annotations

import itertools
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from support.api import Api
from support.wire import error_fields


def test_add_list_delete(api: Api) -> None:
    added = api.post("/v1/stop-sms/add", phoneNumber="06 12 34 56 78")
    assert added.status_code == 200, added.text
    body = added.json()
    assert set(body) == {"success", "code", "stopId"}
    stop_id = body["stopId"]
    assert type(stop_id) is int and 0 < stop_id < 2**53  # an integer, as upstream's
    api.post("/v1/stop-sms/add", phoneNumber="+4915123456789")

    listed = api.get("/v1/stop-sms/list").json()
    assert set(listed) == {"success", "code", "nbData", "data"}
    assert listed["nbData"] == 2
    first = listed["data"][0]
    assert set(first) == {"id", "phoneNumber", "createdAt"}
    assert first["id"] == stop_id and first["phoneNumber"] == "+33612345678"
    assert UPSTREAM_TIME.fullmatch(first["createdAt"]), first["createdAt"]
    written = datetime.strptime(first["createdAt"], "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    assert abs(datetime.now(UTC) - written) < timedelta(minutes=5)  # UTC
    assert listed["data"][1]["phoneNumber"] == "+4915123456789"

    deleted = api.post("/v1/stop-sms/delete", id=stop_id)
    assert deleted.status_code == 200
    assert deleted.json() == {"success": True, "code": 200}
    assert [e["phoneNumber"] for e in api.get("/v1/stop-sms/list").json()["data"]] == [
        "+4915123456789"
    ]


def test_delete_by_get_with_query_string(api: Api) -> None:
    stop_id = api.post("/v1/stop-sms/add", phoneNumber="0612345678").json()["stopId"]
    response = api.get("/v1/stop-sms/delete", id=stop_id)
    assert response.status_code == 200
    assert api.get("/v1/stop-sms/list").json()["nbData"] == 0


def test_adding_a_stopped_number_again_answers_the_same_entry(api: Api) -> None:
    first = api.post("/v1/stop-sms/add", phoneNumber="0612345678").json()["stopId"]
    again = api.post("/v1/stop-sms/add", phoneNumber="+33 6 12 34 56 78")
    assert again.status_code == 200
    assert again.json()["stopId"] == first
    assert api.get("/v1/stop-sms/list").json()["nbData"] == 1


@pytest.mark.parametrize("params", [{}, {"phoneNumber": ""}, {"phoneNumber": None}])
def test_add_without_number_is_code_2(api: Api, params: dict[str, object]) -> None:
    response = api.post("/v1/stop-sms/add", **params)
    assert response.status_code == 400
    assert response.json()["code"] == 2


@pytest.mark.parametrize("phone", ["0612", "0800FLOWERS", "+999123456789", ["0612345678"]])
def test_add_invalid_number_is_code_9(api: Api, phone: object) -> None:
    response = api.post("/v1/stop-sms/add", phoneNumber=phone)
    assert response.status_code == 400
    assert response.json()["code"] == 9
    assert "phoneNumber" in error_fields(response.json())
    assert api.get("/v1/stop-sms/list").json()["nbData"] == 0


@pytest.mark.parametrize(
    "unknown", ["no-such-entry", 1, "1", 2**53, str(2**63), "9" * 40, "-5", -5]
)
def test_delete_unknown_id_is_404(api: Api, unknown: object) -> None:
    api.post("/v1/stop-sms/add", phoneNumber="0612345678")
    for response in (
        api.post("/v1/stop-sms/delete", id=unknown),
        api.get("/v1/stop-sms/delete", id=unknown),
    ):
        assert response.status_code == 404, (unknown, response.text)
        assert response.json()["code"] == 404
    assert api.get("/v1/stop-sms/list").json()["nbData"] == 1


@pytest.mark.parametrize("form", [int, str, lambda i: f" {i} "])
@pytest.mark.parametrize("method", ["GET", "POST", "form"])
def test_delete_takes_the_id_as_a_number_or_a_string_of_digits(
    api: Api, form: Any, method: str
) -> None:
    stop_id = api.post("/v1/stop-sms/add", phoneNumber="0612345678").json()["stopId"]
    if method == "form":
        response = api.client.post(
            "/v1/stop-sms/delete", data={"apiKey": api.key, "id": form(stop_id)}
        )
    elif method == "GET":
        response = api.get("/v1/stop-sms/delete", id=form(stop_id))
    else:
        response = api.post("/v1/stop-sms/delete", id=form(stop_id))
    assert (response.status_code, response.json()) == (200, {"success": True, "code": 200})
    assert api.get("/v1/stop-sms/list").json()["nbData"] == 0


@pytest.mark.parametrize("value", [[1], {"id": 1}, True, 1.5])
def test_delete_with_an_id_of_the_wrong_type_is_code_3(api: Api, value: object) -> None:
    response = api.post("/v1/stop-sms/delete", id=value)
    assert response.status_code == 400 and response.json()["code"] == 3
    assert error_fields(response.json()) == ["id"]


def test_stop_ids_are_random_integers_below_2_to_the_53(api: Api) -> None:
    ids = [
        api.post("/v1/stop-sms/add", phoneNumber=f"+3361234{n:04d}").json()["stopId"]
        for n in range(40)
    ]
    assert all(type(i) is int and 0 < i < 2**53 for i in ids)
    assert len(set(ids)) == 40
    # Drawn at random, not counted: neither in order nor close together.
    assert ids != sorted(ids)
    assert min(abs(a - b) for a, b in itertools.pairwise(ids)) > 1000
    assert [e["id"] for e in api.get("/v1/stop-sms/list").json()["data"]] == ids


def test_second_delete_is_404(api: Api) -> None:
    stop_id = api.post("/v1/stop-sms/add", phoneNumber="0612345678").json()["stopId"]
    assert api.post("/v1/stop-sms/delete", id=stop_id).status_code == 200
    assert api.post("/v1/stop-sms/delete", id=stop_id).status_code == 404


def test_delete_without_id_is_code_1(api: Api) -> None:
    response = api.post("/v1/stop-sms/delete")
    assert response.status_code == 400 and response.json()["code"] == 1


UPSTREAM_TIME = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}")


def test_entries_belong_to_one_account(api: Api, other_api: Api) -> None:
    mine = api.post("/v1/stop-sms/add", phoneNumber="0612345678").json()["stopId"]
    theirs = other_api.post("/v1/stop-sms/add", phoneNumber="0612345678").json()["stopId"]
    assert mine != theirs
    assert other_api.post("/v1/stop-sms/delete", id=mine).status_code == 404
    assert [e["id"] for e in api.get("/v1/stop-sms/list").json()["data"]] == [mine]
    assert [e["id"] for e in other_api.get("/v1/stop-sms/list").json()["data"]] == [theirs]


def test_deleting_the_entry_lets_the_number_be_added(api: Api) -> None:
    group = api.group()
    stop_id = api.post("/v1/stop-sms/add", phoneNumber="0612345678").json()["stopId"]
    assert api.add(group, phoneNumber="0612345678").json()["code"] == 14
    api.post("/v1/stop-sms/delete", id=stop_id)
    assert api.add(group, phoneNumber="0612345678").status_code == 200


def test_stop_add_as_a_form_body(api: Api) -> None:
    response = api.client.post(
        "/v1/stop-sms/add", data={"apiKey": api.key, "phoneNumber": "0612345678"}
    )
    assert response.status_code == 200
    assert api.get("/v1/stop-sms/list").json()["data"][0]["phoneNumber"] == "+33612345678"
