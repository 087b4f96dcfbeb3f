"""/v1/stop-sms/*: the account's stop list."""

from __future__ import annotations

from datetime import datetime

import pytest

from support.api import Api


def test_add_list_delete(api: Api) -> None:
    added = api.post("/v1/stop-sms/add", phoneNumber="06 12 34 56 78")
    assert added.status_code == 200, added.text
    body = added.json()
    assert set(body) == {"success", "code", "stopId"}
    stop_id = body["stopId"]
    assert isinstance(stop_id, str) and len(stop_id) >= 16
    api.post("/v1/stop-sms/add", phoneNumber="+4915123456789")

    listed = api.get("/v1/stop-sms/list").json()
    assert set(listed) == {"success", "code", "nbData", "data"}
    assert listed["nbData"] == 2
    first = listed["data"][0]
    assert set(first) == {"id", "phoneNumber", "createdAt"}
    assert first["id"] == stop_id and first["phoneNumber"] == "+33612345678"
    assert datetime.fromisoformat(first["createdAt"]).utcoffset() is not None
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
    assert "phoneNumber" in response.json()["errors"]
    assert api.get("/v1/stop-sms/list").json()["nbData"] == 0


def test_delete_unknown_id_is_404(api: Api) -> None:
    for response in (
        api.post("/v1/stop-sms/delete", id="no-such-entry"),
        api.get("/v1/stop-sms/delete", id="no-such-entry"),
    ):
        assert response.status_code == 404
        assert response.json()["code"] == 404


def test_second_delete_is_404(api: Api) -> None:
    stop_id = api.post("/v1/stop-sms/add", phoneNumber="0612345678").json()["stopId"]
    assert api.post("/v1/stop-sms/delete", id=stop_id).status_code == 200
    assert api.post("/v1/stop-sms/delete", id=stop_id).status_code == 404


def test_delete_without_id_is_code_1(api: Api) -> None:
    response = api.post("/v1/stop-sms/delete")
    assert response.status_code == 400 and response.json()["code"] == 1


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
