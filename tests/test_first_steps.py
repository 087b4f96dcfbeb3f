"""What a newcomer's first requests run into: the root path, a number beside its
contact, the separators a number may hold. Over HTTP, on both engines."""

from __future__ import annotations

import pytest

from support.api import Api


def test_the_root_path_points_to_the_docs(api: Api) -> None:
    plain = api.client.get("/")
    assert plain.status_code == 200
    body = plain.json()
    assert (body["success"], body["docs"], body["openapi"]) == (True, "/docs", "/openapi.json")
    assert "/docs" in body["message"]
    assert body["dashboard"] == "/"
    # A browser gets the dashboard: signed out, its sign-in page.
    browser = api.client.get(
        "/", headers={"Accept": "text/html,application/xhtml+xml"}, follow_redirects=False
    )
    assert (browser.status_code, browser.headers["location"]) == (303, "/signin")
    assert api.client.get("/docs").status_code == 200
    assert api.client.post("/").status_code == 405


def test_a_number_beside_contact_gets_a_hint(api: Api) -> None:
    group = api.group()
    response = api.post("/v1/contact/add", groupId=group, phoneNumber="0612345678")
    assert (response.status_code, response.json()["code"]) == (400, 2)
    message = response.json()["message"]
    assert message.startswith("Contact info is required")
    assert "phoneNumber must be sent inside contact" in message
    assert '{"contact": {"phoneNumber": ...}}' in message and "contact[phoneNumber]=" in message
    form = api.client.post(
        "/v1/contact/add", data={"apiKey": api.key, "groupId": group, "firstname": "Ann"}
    )
    assert (
        form.json()["code"] == 2
        and "firstname must be sent inside contact" in form.json()["message"]
    )
    # Without stray fields, the plain message; nothing was stored either way.
    bare = api.post("/v1/contact/add", groupId=group).json()
    assert bare["code"] == 2 and "inside contact" not in bare["message"]
    assert api.get("/v1/group/list").json()["groups"][0]["contactCount"] == 0
    contact_id = api.add(group, phoneNumber="0612345678").json()["contact"]["contactId"]
    update = api.post("/v1/contact/update", contactId=contact_id, lastname="Durand").json()
    assert update["code"] == 2 and "lastname must be sent inside contact" in update["message"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("(06) 12 34 56 73", "+33612345673"),
        ("06/12/34/56/72", "+33612345672"),
        ("06.12.34.56.71", "+33612345671"),
        ("06-12-34-56-70", "+33612345670"),
        ("+33 (0)6 12 34 56 69", "+33612345669"),
    ],
)
def test_the_separators_people_type_pass(api: Api, typed: str, stored: str) -> None:
    group = api.group()
    response = api.add(group, phoneNumber=typed)
    assert response.status_code == 200, response.text
    assert response.json()["contact"]["phoneNumber"] == stored


def test_the_invalid_phone_message_lists_every_separator_accepted(api: Api) -> None:
    group = api.group()
    body = api.add(group, phoneNumber="06 12 34 56 7x").json()
    assert body["code"] == 9
    message = body["errors"][0]["message"]
    for accepted in ("digits", "spaces", "dots", "dashes", "parentheses", "slashes", "leading +"):
        assert accepted in message, message
