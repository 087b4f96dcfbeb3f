"""French overseas numbers written nationally (``0692 12 34 56``) are stored with their own code."""

from __future__ import annotations

from typing import Any

from support.api import Api


def batch(api: Api, group: str, rows: list[dict[str, Any]]) -> Any:
    return api.post("/v1/contact/add", groupId=group, contactsList=rows)


def listed_phones(api: Api, group: str) -> list[str]:
    datas = api.get("/v1/contact/list", groupId=group, page=1).json()["datas"]
    return [contact["phone"] for contact in datas]


def test_a_reunion_mobile_added_in_national_form_is_stored_with_262(api: Api) -> None:
    group = api.group()
    response = api.add(group, phoneNumber="0692 12 34 56", firstname="Maëlle")
    assert response.status_code == 200, response.text
    contact = response.json()["contact"]
    assert contact["phoneNumber"] == "+262692123456"
    detail = api.get("/v1/contact/detail", contactId=contact["contactId"]).json()["contact"]
    assert detail["phone"] == "+262692123456"
    # The international spelling is the same number: already in the group.
    again = api.add(group, phoneNumber="+262 692 12 34 56")
    assert again.json()["success"] is False, again.text
    assert listed_phones(api, group) == ["+262692123456"]


def test_a_batch_stores_each_overseas_number_under_its_own_code(api: Api) -> None:
    group = api.group()
    rows = [
        {"phoneNumber": "0692 12 34 56"},  # Réunion, mobile
        {"phoneNumber": "0639 01 23 45"},  # Mayotte, mobile
        {"phoneNumber": "0590 12 34 56"},  # Guadeloupe, fixed line
        {"phoneNumber": "0594 12 34 56"},  # French Guiana, fixed line
        {"phoneNumber": "0596 61 23 45"},  # Martinique, fixed line (also valid as +33)
        {"phoneNumber": "0708 40 12 34"},  # Saint-Pierre-et-Miquelon, mobile
        {"phoneNumber": "06 12 34 56 78"},  # metropolitan France, as before
        {"phoneNumber": "0800 12 34 56"},  # a national service: stays +33
        {"phoneNumber": "+262692123456"},  # the first row again, written internationally
    ]
    response = batch(api, group, rows)
    assert response.status_code == 200, response.text
    body = response.json()
    stored = [
        "+262692123456",
        "+262639012345",
        "+590590123456",
        "+594594123456",
        "+596596612345",
        "+508708401234",
        "+33612345678",
        "+33800123456",
    ]
    assert [r["phoneNumber"] for r in body["results"][:8]] == stored
    assert all(r["success"] for r in body["results"][:8]), body["results"]
    assert body["results"][8]["success"] is False
    assert body["rapport"]["nbline_imported"] == 8
    assert body["rapport"]["errors"]["duplicatePhone"] == 1
    assert listed_phones(api, group) == stored


def test_numbers_written_with_france_s_code_are_not_read_again(api: Api) -> None:
    group = api.group()
    for written in ("+33 692 12 34 56", "0033 692 12 34 56"):
        response = api.add(group, phoneNumber=written)
        assert response.json()["success"] is False, response.text
    assert listed_phones(api, group) == []
