"""Ids that cannot name anything: one holding NUL or another control character is unknown.

PostgreSQL refuses NUL in text, SQLite would store it: such an id must not
reach either. It is answered 404, exactly as an id that does not exist, on
every endpoint that takes one, and nothing changes.
"""

from __future__ import annotations

from typing import Any

from support.api import Api

# NUL, and the other C0 control characters that str.strip() leaves in place.
CONTROL = ["\x00", "\x01", "\x08", "\x0e", "\x1b"]


def _calls(group: str, contact: str, stop: str) -> list[tuple[str, str, dict[str, Any]]]:
    one = {"phoneNumber": "0699999999"}
    return [
        ("POST", "/v1/group/delete", {"groupId": group}),
        ("DELETE", "/v1/group/delete", {"groupId": group}),
        ("POST", "/v1/contact/add", {"groupId": group, "contact": one}),
        ("POST", "/v1/contact/add", {"groupId": group, "contactsList": [one]}),
        ("GET", "/v1/contact/list", {"groupId": group}),
        ("GET", "/v1/contact/detail", {"contactId": contact}),
        ("POST", "/v1/contact/update", {"contactId": contact, "contact": {"firstname": "M"}}),
        ("POST", "/v1/contact/update", {"contactId": contact, "contact": one}),
        ("POST", "/v1/contact/delete", {"contactId": contact}),
        ("POST", "/v1/stop-sms/delete", {"id": stop}),
        ("GET", "/v1/stop-sms/delete", {"id": stop}),
    ]


def _snapshot(api: Api, group: str, contact: str) -> list[Any]:
    return [
        api.get("/v1/group/list").json(),
        api.get("/v1/contact/list", groupId=group).json(),
        api.get("/v1/contact/detail", contactId=contact).json(),
        api.get("/v1/stop-sms/list").json(),
    ]


def _send(api: Api, method: str, path: str, params: dict[str, Any]) -> Any:
    if method == "GET":
        return api.client.get(path, params={"apiKey": api.key, **params})
    return api.client.request(method, path, json={"apiKey": api.key, **params})


def test_an_id_holding_a_control_character_is_unknown(api: Api) -> None:
    group = api.group()
    contact = api.add(group, phoneNumber="0612345678").json()["contact"]["contactId"]
    stop = str(api.post("/v1/stop-sms/add", phoneNumber="0611111111").json()["stopId"])
    before = _snapshot(api, group, contact)
    for char in CONTROL:
        spoilt = [
            (group + char, contact + char, stop + char),
            (char + group, char + contact, char + stop),
            (group[:4] + char + group[4:], contact[:4] + char + contact[4:], stop[:4] + char),
        ]
        for ids in spoilt:
            for method, path, params in _calls(*ids):
                response = _send(api, method, path, params)
                assert (response.status_code, response.json()["code"]) == (404, 404), (
                    method,
                    path,
                    params,
                    response.text,
                )
    assert _snapshot(api, group, contact) == before
