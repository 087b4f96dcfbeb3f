"""The batch report's invariants, on random mixes of rows (SPEC §4).

Every row lands in exactly one bucket; the contacts stored are exactly the rows
accepted, after those already in the group, in order.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from support.api import Api

# A small pool of numbers, so that duplicates, stops and present rows collide often.
POOL = [f"+3361111110{n}" for n in range(6)]


def spellings(e164: str) -> list[str]:
    national = "0" + e164[3:]
    spaced = " ".join([national[:2], *(national[i : i + 2] for i in range(2, 10, 2))])
    return [e164, national, "0033" + e164[3:], spaced]


@st.composite
def row(draw: st.DrawFn) -> tuple[Any, str, str | None]:
    """(row as sent, expected bucket before storage checks, E.164 number or None)."""
    kind = draw(st.sampled_from(["good", "good", "good", "phone", "field", "date", "url", "empty"]))
    number = draw(st.sampled_from(POOL))
    phone = draw(st.sampled_from(spellings(number)))
    if kind == "good":
        extra = draw(st.fixed_dictionaries({}, optional={"firstname": st.sampled_from(["A", ""])}))
        return {"phoneNumber": phone, **extra}, "ok", number
    if kind == "phone":
        return (
            {"phoneNumber": draw(st.sampled_from(["12", "06abc", "+999"]))},
            "invalidePhone",
            None,
        )
    if kind == "field":
        return {"phoneNumber": phone, "lastname": "x" * 33, "url": "bad"}, "invalidField", number
    if kind == "date":
        return {"phoneNumber": phone, "date": "2021-02-30", "url": "bad"}, "dateInvalide", number
    if kind == "url":
        return {"phoneNumber": phone, "url": "mailto:x@y.z"}, "urlInvalide", number
    not_a_number = draw(st.sampled_from([{}, {"phoneNumber": ""}, "0611111100", None]))
    return not_a_number, "empty", None


def expected_outcome(
    rows: list[tuple[Any, str, str | None]], stopped: set[str], present: set[str]
) -> tuple[list[str], list[str]]:
    """The bucket of each row ("ok" when stored), and the numbers stored, in order."""
    buckets: list[str] = []
    accepted: list[str] = []
    for _, bucket, number in rows:
        if bucket == "ok":
            assert number is not None
            if number in stopped:
                bucket = "stopSms"
            elif number in present:
                bucket = "allreadyInGroupe"
            elif number in accepted:
                bucket = "duplicatePhone"
            else:
                accepted.append(number)
        buckets.append(bucket)
    return buckets, accepted


def all_phones(api: Api, group: str) -> list[str]:
    phones: list[str] = []
    page = 1
    while datas := api.get("/v1/contact/list", groupId=group, page=page).json()["datas"]:
        phones += [c["phone"] for c in datas]
        page += 1
    return phones


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(row(), min_size=1, max_size=25),
    stopped=st.sets(st.sampled_from(POOL), max_size=3),
    present=st.lists(st.sampled_from(POOL), max_size=3, unique=True),
)
def test_every_row_lands_in_one_bucket_and_only_accepted_rows_are_stored(
    api: Api,
    rows: list[tuple[Any, str, str | None]],
    stopped: set[str],
    present: list[str],
) -> None:
    # The stop list is the account's: start each example from the drawn one.
    for entry in api.get("/v1/stop-sms/list").json()["data"]:
        assert api.post("/v1/stop-sms/delete", id=entry["id"]).status_code == 200
    group = api.group()
    for number in present:
        assert api.add(group, phoneNumber=number).status_code == 200
    for number in stopped:
        assert api.post("/v1/stop-sms/add", phoneNumber=number).status_code == 200

    response = api.post("/v1/contact/add", groupId=group, contactsList=[r for r, _, _ in rows])
    assert response.status_code == 200, response.text
    body = response.json()
    rapport = body["rapport"]
    errors = rapport["errors"]

    counted = sum(n for name, n in errors.items() if name != "dateInvalid")
    assert rapport["nbline"] == len(rows)
    assert rapport["nbline"] == rapport["nbline_imported"] + rapport["nbline_updated"] + counted
    assert errors["dateInvalid"] == errors["dateInvalide"]

    buckets, accepted = expected_outcome(rows, stopped, set(present))
    assert len(body["results"]) == len(rows)
    for result, bucket, (_, _, number) in zip(body["results"], buckets, rows, strict=True):
        assert result["success"] is (bucket == "ok")
        assert bool(result["contactId"]) is (bucket == "ok")
        if number is not None:
            assert result["phoneNumber"] == number
    for name in errors:
        if name not in ("dateInvalid", "unactivated"):
            assert errors[name] == buckets.count(name), name
    assert rapport["nbline_imported"] == len(accepted)
    assert all_phones(api, group) == [*present, *accepted]
