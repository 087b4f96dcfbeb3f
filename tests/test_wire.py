"""The wire format: keys, envelopes, codes and statuses (SPEC §1 and §5)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from starlette.testclient import TestClient

from carnet.http.wire import parse_nested
from support.api import Api


def test_error_envelope_shape_is_pinned(client: TestClient) -> None:
    response = client.get("/v1/group/list")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {"success": False, "code": 10, "message": "API key is required"}


def test_wrong_key_is_401_code_10(client: TestClient, key: str) -> None:
    response = client.get("/v1/group/list", params={"apiKey": key + "x"})
    assert response.status_code == 401
    assert response.json()["code"] == 10


@pytest.mark.parametrize("where", ["query", "body", "x-api-key", "bearer"])
def test_key_is_read_from_every_place(client: TestClient, key: str, where: str) -> None:
    kwargs: dict[str, object] = {"json": {"name": "g"}}
    if where == "query":
        kwargs["params"] = {"apiKey": key}
    elif where == "body":
        kwargs["json"] = {"name": "g", "apiKey": key}
    elif where == "x-api-key":
        kwargs["headers"] = {"X-Api-Key": key}
    else:
        kwargs["headers"] = {"Authorization": f"Bearer {key}"}
    response = client.post("/v1/group/add", **kwargs)  # type: ignore[arg-type]
    assert response.status_code == 200, response.text


def test_apikey_parameter_wins_over_headers(client: TestClient, key: str) -> None:
    response = client.post(
        "/v1/group/add", json={"apiKey": "wrong", "name": "g"}, headers={"X-Api-Key": key}
    )
    assert response.status_code == 401
    response = client.post(
        "/v1/group/add",
        json={"name": "g"},
        headers={"X-Api-Key": key, "Authorization": "Bearer wrong"},
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "body", [b"{", b'{"a": }', b"\xff\xfe", b"[1, 2]", b'"text"', b"12", b"null"]
)
def test_malformed_or_non_object_json_is_code_90(client: TestClient, key: str, body: bytes) -> None:
    response = client.post(
        "/v1/group/add",
        content=body,
        headers={"Content-Type": "application/json", "X-Api-Key": key},
    )
    assert response.status_code == 400
    assert response.json()["code"] == 90


def test_malformed_json_is_answered_before_the_key(client: TestClient) -> None:
    response = client.post(
        "/v1/group/add", content=b"{", headers={"Content-Type": "application/json"}
    )
    assert response.json()["code"] == 90


def test_deeply_nested_json_is_refused_cleanly(client: TestClient, key: str) -> None:
    body = b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    response = client.post(
        "/v1/group/add",
        content=body,
        headers={"Content-Type": "application/json", "X-Api-Key": key},
    )
    assert response.status_code in (400, 413)
    assert response.json()["success"] is False


def test_key_is_checked_before_required_ids(client: TestClient) -> None:
    response = client.post("/v1/contact/add", json={})
    assert response.json()["code"] == 10


def test_unknown_path_is_404_in_the_envelope(client: TestClient) -> None:
    response = client.get("/v1/nothing/here")
    assert response.status_code == 404
    assert response.json() == {"success": False, "code": 404, "message": "No such path"}


def test_wrong_method_is_405_in_the_envelope(client: TestClient, key: str) -> None:
    response = client.get("/v1/contact/add", params={"apiKey": key})
    assert response.status_code == 405
    assert response.json()["code"] == 405
    assert response.json()["success"] is False


def test_body_too_large_is_413(client: TestClient, key: str, settings: object) -> None:
    big = b'{"name": "' + b"x" * (4 * 1024 * 1024 + 10) + b'"}'
    response = client.post(
        "/v1/group/add", content=big, headers={"Content-Type": "application/json", "X-Api-Key": key}
    )
    assert response.status_code == 413
    assert response.json()["code"] == 413


def test_xml_format(api: Api) -> None:
    response = api.post("/v1/group/add", name="Clients & co", _format="xml")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "response"
    assert root.findtext("success") == "true"
    assert root.findtext("code") == "200"
    assert root.findtext("name") == "Clients & co"


def test_xml_errors_and_lists(api: Api) -> None:
    response = api.client.get("/v1/group/list", params={"_format": "xml"})
    assert response.status_code == 401
    root = ET.fromstring(response.content)
    assert root.findtext("success") == "false" and root.findtext("code") == "10"
    api.group("a")
    api.group("b")
    root = ET.fromstring(api.get("/v1/group/list", _format="xml").content)
    items = root.find("groups")
    assert items is not None
    assert [item.findtext("name") for item in items.findall("item")] == ["a", "b"]
    assert items.find("item/isSpecialFile").text == "false"  # type: ignore[union-attr]


def test_healthz(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_openapi_describes_endpoints_and_errors(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    add = spec["paths"]["/v1/contact/add"]["post"]
    assert "409" in add["responses"] and "400" in add["responses"]
    body_ref = add["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    name = body_ref.rsplit("/", 1)[1]
    assert "contact" in spec["components"]["schemas"][name]["properties"]
    assert "ErrorBody" in spec["components"]["schemas"]


def test_docs_are_served_without_internet(client: TestClient) -> None:
    page = client.get("/docs")
    assert page.status_code == 200
    assert "/docs/assets/swagger-ui-bundle.js" in page.text
    assert "cdn" not in page.text.lower()
    asset = client.get("/docs/assets/swagger-ui-bundle.js")
    assert asset.status_code == 200 and len(asset.content) > 100_000


def test_form_names_nest_like_php() -> None:
    params = parse_nested(
        [
            ("contact[firstname]", "A"),
            ("contactsList[0][phoneNumber]", "1"),
            ("contactsList[1][phoneNumber]", "2"),
            ("tags[]", "x"),
            ("tags[]", "y"),
            ("plain", "p"),
        ]
    )
    assert params == {
        "contact": {"firstname": "A"},
        "contactsList": [{"phoneNumber": "1"}, {"phoneNumber": "2"}],
        "tags": ["x", "y"],
        "plain": "p",
    }
