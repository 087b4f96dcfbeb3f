"""Limits on what a request may hold: body size, JSON nesting, form fields, text lengths."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx

from carnet.http.wire import MAX_FORM_FIELDS, MAX_JSON_DEPTH
from support.api import Api
from support.servers import start_server
from support.wire import total

LIMIT = 1000


def _chunks(body: bytes, size: int = 100) -> Iterator[bytes]:
    for start in range(0, len(body), size):
        yield body[start : start + size]


def test_too_large_is_413_before_the_body_is_parsed(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'carnet.db'}"
    server = start_server(db_url, tmp_path, env={"CARNET_MAX_BODY_BYTES": str(LIMIT)})
    # Malformed JSON: were it parsed before its size is judged, the answer would be 90.
    broken = b'{"name": "' + b"x" * LIMIT
    try:
        with httpx.Client(base_url=server.url) as http:
            declared = http.post("/v1/group/add", content=broken)
            assert "content-length" in {k.lower() for k in declared.request.headers}
            chunked = http.post("/v1/group/add", content=_chunks(broken))
            assert chunked.request.headers["transfer-encoding"] == "chunked"
            just_under = http.post("/v1/group/add", content=_chunks(broken[: LIMIT - 1]))
            form = http.post(
                "/v1/contact/add",
                content=_chunks(b"contact[firstname]=" + b"y" * LIMIT),
                headers={"Content-Type": "application/x-www-form-urlencoded"},
            )
        for response in (declared, chunked, form):
            assert response.status_code == 413
            assert response.json()["code"] == 413
            assert response.json()["success"] is False
        assert just_under.status_code == 400
        assert just_under.json()["code"] == 90
    finally:
        server.stop()


def test_json_nesting_is_bounded(api: Api) -> None:
    def nested(depth: int) -> str:
        # depth counts the body itself: {"name": "g", "deep": [[...]]}
        inner = "[" * (depth - 1) + "]" * (depth - 1)
        return f'{{"apiKey": "{api.key}", "name": "g", "deep": {inner}}}'

    ok = api.client.post("/v1/group/add", content=nested(MAX_JSON_DEPTH))
    assert ok.status_code == 200
    for depth in (MAX_JSON_DEPTH + 1, 5000, 200_000):
        too_deep = api.client.post("/v1/group/add", content=nested(depth))
        assert too_deep.status_code == 400
        assert too_deep.json()["code"] == 90
    assert len(api.get("/v1/group/list").json()["groups"]) == 1


def test_a_form_with_too_many_fields_is_refused_whole(api: Api) -> None:
    group = api.group()
    fields = "&".join(f"contactsList[{i}][phoneNumber]=06{i:08d}" for i in range(MAX_FORM_FIELDS))
    response = api.client.post(
        "/v1/contact/add",
        content=f"apiKey={api.key}&groupId={group}&{fields}",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == 3
    assert total(api.get("/v1/contact/list", groupId=group).json()) == 0


def test_huge_values_are_refused_by_their_length(api: Api) -> None:
    group = api.group()
    huge = "9" * 1_000_000
    cases = [
        (api.post("/v1/group/add", name="n" * 100_000), 400, 3),
        (api.add(group, phoneNumber=huge), 400, 9),
        (api.add(group, phoneNumber="0612345678", firstname="é" * 100_000), 400, 18),
        (api.add(group, phoneNumber="0612345678", url="https://a.fr/" + "p" * 100_000), 400, 18),
        (api.add(group, phoneNumber="0612345678", custom3="c" * 100_000), 400, 18),
        (api.add(group, phoneNumber="0612345678", date=huge), 400, 16),
        (api.post("/v1/stop-sms/add", phoneNumber=huge), 400, 9),
        (api.add(huge, phoneNumber="0612345678"), 404, 404),
        (api.get("/v1/contact/detail", contactId="c" * 60_000), 404, 404),
        (api.post("/v1/stop-sms/delete", id="s" * 100_000), 404, 404),
        (api.post("/v1/contact/list", groupId=group, page=huge), 400, 3),
        (api.client.post("/v1/group/add", json={"apiKey": "k" * 100_000, "name": "g"}), 401, 10),
    ]
    for response, status, code in cases:
        assert (response.status_code, response.json()["code"]) == (status, code), response.text
    assert total(api.get("/v1/contact/list", groupId=group).json()) == 0
    assert api.get("/v1/stop-sms/list").json()["nbData"] == 0


def test_a_batch_of_huge_rows_is_judged_row_by_row(api: Api) -> None:
    group = api.group()
    rows = [{"phoneNumber": "0612345678", "lastname": "l" * 5000}, {"phoneNumber": "x" * 9000}]
    report = api.post("/v1/contact/add", groupId=group, contactsList=rows).json()
    assert report["rapport"]["errors"]["invalidField"] == 1
    assert report["rapport"]["errors"]["invalidePhone"] == 1
    assert report["rapport"]["nbline_imported"] == 0
    assert json.dumps(report).count("l" * 5000) == 0
