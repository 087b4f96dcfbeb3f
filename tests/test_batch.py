"""POST /v1/contact/add with contactsList (or several numbers): the report of SPEC §4."""

from __future__ import annotations

from typing import Any

import pytest

from support.api import Api
from support.wire import total

BUCKET_KEYS = {
    "stopSms",
    "invalidePhone",
    "duplicatePhone",
    "allreadyInGroupe",
    "urlInvalide",
    "dateInvalide",
    "empty",
    "unactivated",
    "dateInvalid",
    "invalidField",
}


def batch(api: Api, group: str, rows: Any) -> Any:
    return api.post("/v1/contact/add", groupId=group, contactsList=rows)


def listed_phones(api: Api, group: str) -> list[str]:
    phones: list[str] = []
    page = 1
    while True:
        datas = api.get("/v1/contact/list", groupId=group, page=page).json()["datas"]
        if not datas:
            return phones
        phones += [c["phone"] for c in datas]
        page += 1


def test_report_has_exactly_the_shape_of_the_contract(api: Api) -> None:
    group = api.group("Clients")
    response = batch(
        api,
        group,
        [{"phoneNumber": "0612345678", "firstname": "Léa"}, {"phoneNumber": "nope"}],
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert set(body) == {"success", "code", "groupe", "results", "rapport"}
    assert body["success"] is True and body["code"] == 200
    assert body["groupe"] == {"name": "Clients", "token": group}
    assert set(body["rapport"]) == {"nbline", "nbline_imported", "nbline_updated", "errors"}
    assert set(body["rapport"]["errors"]) == BUCKET_KEYS
    assert body["rapport"]["nbline"] == 2
    assert body["rapport"]["nbline_imported"] == 1
    assert body["rapport"]["nbline_updated"] == 0
    assert body["rapport"]["errors"]["invalidePhone"] == 1
    assert body["rapport"]["errors"]["unactivated"] == 0
    first, second = body["results"]
    assert set(first) == {"success", "code", "phoneNumber", "message", "contactId"}
    assert first["success"] is True and first["code"] == 200
    assert first["phoneNumber"] == "+33612345678"
    assert isinstance(first["contactId"], str) and first["contactId"]
    assert second["success"] is False and second["code"] == 9
    assert second["phoneNumber"] == "nope" and second["contactId"] == ""
    assert second["message"]
    detail = api.get("/v1/contact/detail", contactId=first["contactId"]).json()["contact"]
    assert detail["phone"] == "+33612345678" and detail["firstname"] == "Léa"


def test_every_stored_row_gets_its_own_id(api: Api) -> None:
    group = api.group()
    rows = [{"phoneNumber": f"+336{n:08d}"} for n in range(10_000_000, 10_000_500)]
    results = batch(api, group, rows).json()["results"]
    ids = [r["contactId"] for r in results]
    assert len(set(ids)) == 500
    assert all(len(i) == 24 and i.replace("-", "").replace("_", "").isalnum() for i in ids)
    for row, contact_id in list(zip(rows, ids, strict=True))[::97]:
        detail = api.get("/v1/contact/detail", contactId=contact_id).json()["contact"]
        assert detail["phone"] == row["phoneNumber"]


def test_results_follow_the_rows_in_order(api: Api) -> None:
    group = api.group()
    rows = [{"phoneNumber": f"06123456{n:02d}"} for n in range(10)]
    rows.insert(3, {"phoneNumber": "12"})
    results = batch(api, group, rows).json()["results"]
    expected = [f"+336123456{n:02d}" for n in range(10)]
    assert [r["phoneNumber"] for r in results] == [*expected[:3], "12", *expected[3:]]
    assert [r["success"] for r in results] == [True] * 3 + [False] + [True] * 7
    assert listed_phones(api, group) == [f"+336123456{n:02d}" for n in range(10)]


def test_a_number_that_parsed_is_reported_in_e164_even_when_another_field_fails(
    api: Api,
) -> None:
    group = api.group()
    results = batch(api, group, [{"phoneNumber": "06 12 34 56 78", "date": "2020-02-31"}]).json()[
        "results"
    ]
    assert results[0]["phoneNumber"] == "+33612345678"
    assert results[0]["code"] == 16


def test_500_rows_are_accepted(api: Api) -> None:
    group = api.group()
    rows = [{"phoneNumber": f"+336{n:08d}"} for n in range(10_000_000, 10_000_500)]
    body = batch(api, group, rows).json()
    assert body["rapport"]["nbline"] == 500
    assert body["rapport"]["nbline_imported"] == 500
    assert total(api.get("/v1/contact/list", groupId=group).json()) == 500


def test_501_rows_are_refused_whole(api: Api) -> None:
    group = api.group()
    rows = [{"phoneNumber": f"+336{n:08d}"} for n in range(10_000_000, 10_000_501)]
    response = batch(api, group, rows)
    assert response.status_code == 400
    assert response.json()["code"] == 50
    assert response.json()["success"] is False
    assert total(api.get("/v1/contact/list", groupId=group).json()) == 0


def test_empty_contacts_list_is_code_2(api: Api) -> None:
    group = api.group()
    response = batch(api, group, [])
    assert response.status_code == 400
    assert response.json()["code"] == 2


def test_contacts_list_that_is_not_a_list_is_code_3(api: Api) -> None:
    group = api.group()
    response = batch(api, group, "0612345678")
    assert response.status_code == 400
    assert response.json()["code"] == 3


@pytest.mark.parametrize("rows", [[], ["x"] * 501, "not a list"])
def test_unknown_group_is_404_before_the_list_is_judged(api: Api, rows: Any) -> None:
    response = batch(api, "no-such-group", rows)
    assert response.status_code == 404
    assert response.json()["code"] == 404


def test_batch_size_is_checked_before_contact_info(api: Api) -> None:
    group = api.group()
    response = batch(api, group, [{}] * 501)
    assert response.json()["code"] == 50


def test_missing_group_is_code_1(api: Api) -> None:
    response = api.post("/v1/contact/add", contactsList=[{"phoneNumber": "0612345678"}])
    assert response.status_code == 400
    assert response.json()["code"] == 1


@pytest.mark.parametrize("row", ["0612345678", 612345678, None, ["0612345678"], True])
def test_a_row_that_is_not_an_object_is_empty(api: Api, row: Any) -> None:
    group = api.group()
    body = batch(api, group, [row, {"phoneNumber": "0612345678"}]).json()
    assert body["rapport"]["errors"]["empty"] == 1
    assert body["rapport"]["nbline_imported"] == 1
    assert body["results"][0]["success"] is False
    assert body["results"][0]["code"] == 2


def test_contacts_list_wins_over_contact(api: Api) -> None:
    group = api.group()
    response = api.post(
        "/v1/contact/add",
        groupId=group,
        contact={"phoneNumber": "0611111111"},
        contactsList=[{"phoneNumber": "0622222222"}],
    )
    body = response.json()
    assert "rapport" in body and "contact" not in body
    assert listed_phones(api, group) == ["+33622222222"]


def test_comma_separated_numbers_are_a_batch_sharing_the_other_fields(api: Api) -> None:
    group = api.group()
    body = api.add(
        group, phoneNumber="0611111111, 0622222222,nope", firstname="Zoé", custom1="promo"
    ).json()
    assert body["rapport"]["nbline"] == 3
    assert body["rapport"]["nbline_imported"] == 2
    assert body["rapport"]["errors"]["invalidePhone"] == 1
    assert [r["phoneNumber"] for r in body["results"]] == ["+33611111111", "+33622222222", "nope"]
    datas = api.get("/v1/contact/list", groupId=group).json()["datas"]
    assert [(c["phone"], c["firstname"], c["custom1"]) for c in datas] == [
        ("+33611111111", "Zoé", "promo"),
        ("+33622222222", "Zoé", "promo"),
    ]


def test_comma_separated_numbers_as_a_form_body(api: Api) -> None:
    group = api.group()
    response = api.client.post(
        "/v1/contact/add",
        data={
            "apiKey": api.key,
            "groupId": group,
            "contact[phoneNumber]": "0611111111,0622222222",
        },
    )
    assert response.json()["rapport"]["nbline_imported"] == 2


def test_more_than_500_comma_separated_numbers_are_code_50(api: Api) -> None:
    group = api.group()
    numbers = ",".join(f"06{i:08d}" for i in range(501))
    response = api.add(group, phoneNumber=numbers, firstname="x")
    assert response.status_code == 400
    assert response.json()["code"] == 50
    assert total(api.get("/v1/contact/list", groupId=group).json()) == 0
    unknown = api.add("no-such-group", phoneNumber=numbers)
    assert unknown.status_code == 404


def test_every_bucket_in_its_order(api: Api) -> None:
    group = api.group()
    assert api.add(group, phoneNumber="0699999999").status_code == 200
    assert api.post("/v1/stop-sms/add", phoneNumber="0688888888").status_code == 200
    rows: list[Any] = [
        {"firstname": "no number"},  # empty
        {"phoneNumber": "12", "firstname": "x" * 40, "date": "bad", "url": "bad"},  # invalidePhone
        {"phoneNumber": "0611111111", "firstname": "x" * 40, "date": "bad"},  # invalidField
        {"phoneNumber": "0611111112", "custom2": ["a list"], "url": "bad"},  # invalidField
        {"phoneNumber": "0611111113", "date": "2021-02-29", "url": "bad"},  # dateInvalide
        {"phoneNumber": "0611111114", "url": "ftp://x"},  # urlInvalide
        {"phoneNumber": "0688888888"},  # stopSms (also nothing else wrong)
        {"phoneNumber": "0699999999"},  # allreadyInGroupe
        {"phoneNumber": "0611111115"},  # accepted
        {"phoneNumber": "+33 6 11 11 11 15"},  # duplicatePhone
    ]
    body = batch(api, group, rows).json()
    codes = [r["code"] for r in body["results"]]
    assert codes == [2, 9, 18, 3, 16, 17, 14, 15, 200, 15]
    assert body["rapport"]["errors"] == {
        "empty": 1,
        "invalidePhone": 1,
        "invalidField": 2,
        "dateInvalide": 1,
        "dateInvalid": 1,
        "urlInvalide": 1,
        "stopSms": 1,
        "allreadyInGroupe": 1,
        "duplicatePhone": 1,
        "unactivated": 0,
    }
    assert body["rapport"]["nbline_imported"] == 1


def test_stop_list_wins_over_already_in_group(api: Api) -> None:
    group = api.group()
    api.add(group, phoneNumber="0611111111")
    api.post("/v1/stop-sms/add", phoneNumber="0611111111")
    errors = batch(api, group, [{"phoneNumber": "0611111111"}]).json()["rapport"]["errors"]
    assert errors["stopSms"] == 1 and errors["allreadyInGroupe"] == 0


def test_already_in_group_wins_over_duplicate(api: Api) -> None:
    group = api.group()
    api.add(group, phoneNumber="0611111111")
    body = batch(api, group, [{"phoneNumber": "0611111111"}, {"phoneNumber": "0611111111"}]).json()
    assert body["rapport"]["errors"]["allreadyInGroupe"] == 2
    assert body["rapport"]["errors"]["duplicatePhone"] == 0


def test_a_refused_row_does_not_make_a_later_one_a_duplicate(api: Api) -> None:
    group = api.group()
    rows = [
        {"phoneNumber": "0611111111", "date": "not a date"},
        {"phoneNumber": "06 11 11 11 11", "firstname": "kept"},
        {"phoneNumber": "+33611111111"},
    ]
    body = batch(api, group, rows).json()
    assert [r["code"] for r in body["results"]] == [16, 200, 15]
    assert body["rapport"]["errors"]["duplicatePhone"] == 1
    datas = api.get("/v1/contact/list", groupId=group).json()["datas"]
    assert [(c["phone"], c["firstname"]) for c in datas] == [("+33611111111", "kept")]


def test_duplicates_across_spellings_keep_the_first(api: Api) -> None:
    group = api.group()
    rows = [
        {"phoneNumber": "0033611111111", "firstname": "first"},
        {"phoneNumber": "0611111111", "firstname": "second"},
    ]
    body = batch(api, group, rows).json()
    assert body["results"][1]["phoneNumber"] == "+33611111111"
    assert body["results"][1]["contactId"] == ""
    datas = api.get("/v1/contact/list", groupId=group).json()["datas"]
    assert [c["firstname"] for c in datas] == ["first"]


def test_another_accounts_stop_list_does_not_apply(api: Api, other_api: Api) -> None:
    group = api.group()
    other_api.post("/v1/stop-sms/add", phoneNumber="0611111111")
    body = batch(api, group, [{"phoneNumber": "0611111111"}]).json()
    assert body["rapport"]["nbline_imported"] == 1


def test_another_accounts_group_is_404_and_untouched(api: Api, other_api: Api) -> None:
    group = api.group()
    response = batch(other_api, group, [{"phoneNumber": "0611111111"}])
    assert response.status_code == 404
    assert total(api.get("/v1/contact/list", groupId=group).json()) == 0


def test_batch_as_a_form_body(api: Api) -> None:
    group = api.group()
    response = api.client.post(
        "/v1/contact/add",
        data={
            "apiKey": api.key,
            "groupId": group,
            "contactsList[0][phoneNumber]": "0611111111",
            "contactsList[1][phoneNumber]": "0622222222",
            "contactsList[1][lastname]": "Martin",
        },
    )
    body = response.json()
    assert body["rapport"]["nbline_imported"] == 2, body
    assert listed_phones(api, group) == ["+33611111111", "+33622222222"]


def test_group_count_follows_the_batch(api: Api) -> None:
    group = api.group()
    batch(api, group, [{"phoneNumber": "0611111111"}, {"phoneNumber": "x"}])
    assert api.get("/v1/group/list").json()["groups"][0]["contactCount"] == 1


def test_a_row_refused_for_its_fields_lists_them_as_upstream_lists_field_errors(api: Api) -> None:
    group = api.group()
    api.post("/v1/stop-sms/add", phoneNumber="0633333333")
    rows = [
        {"phoneNumber": "0611111111", "url": "nope", "date": "2021-02-30"},
        {"phoneNumber": "12", "firstname": "x" * 40},
        {"phoneNumber": "0622222222"},
        {"phoneNumber": "0633333333"},
    ]
    results = api.post("/v1/contact/add", groupId=group, contactsList=rows).json()["results"]
    assert results[0]["code"] == 16 and results[0]["errors"] == [
        {"elementId": "children[date].data", "message": "is not a real calendar date"},
        {"elementId": "children[url].data", "message": "must start with http:// or https://"},
    ]
    assert results[0]["message"] == (
        "date: is not a real calendar date; url: must start with http:// or https://"
    )
    assert [e["elementId"] for e in results[1]["errors"]] == [
        "children[phoneNumber].data",
        "children[firstname].data",
    ]
    # A stored row and a row refused for the stop list name no field.
    assert "errors" not in results[2] and "errors" not in results[3]
    assert results[3]["code"] == 14
