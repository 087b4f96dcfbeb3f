"""POST /v1/lookup (upstream's number check): country, type, network and formats, per number."""

from __future__ import annotations

from typing import Any

import phonenumbers
import pytest
from phonenumbers import PhoneNumberFormat, PhoneNumberType, carrier, geocoder

from carnet import contract
from support.api import Api
from test_xml import assert_same, both

# 30 regions of every continent, French overseas departments among them.
REGIONS = (
    "FR", "DE", "GB", "US", "CA", "ES", "IT", "BE", "CH", "NL", "PT", "PL", "SE", "RO", "GR",
    "MA", "DZ", "TN", "SN", "CI", "BR", "MX", "AR", "JP", "CN", "IN", "AU", "ZA", "RE", "GP",
)  # fmt: skip
KINDS = {PhoneNumberType.MOBILE: "Mobile", PhoneNumberType.FIXED_LINE: "Fixed line"}


def expected(request: str, e164: str) -> dict[str, Any]:
    """What libphonenumber itself says of a valid number, in the answer's shape."""
    number = phonenumbers.parse(e164)
    kind = PhoneNumberType.to_string(phonenumbers.number_type(number))
    return {
        "request": request,
        "success": True,
        "countryCode": geocoder.country_name_for_number(number, "en"),
        "prefixCode": number.country_code,
        "phoneNumber": e164,
        "type": contract.NUMBER_TYPES[kind],
        "network": carrier.name_for_number(number, "en"),
        "format": {
            "e164": e164,
            "international": phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL),
            "national": phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL),
            "rfc3966": phonenumbers.format_number(number, PhoneNumberFormat.RFC3966),
        },
    }


def looked_up(api: Api, numbers: Any) -> list[dict[str, Any]]:
    response = api.post("/v1/lookup", phoneNumbers=numbers)
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True and body["code"] == 200
    assert list(body) == ["success", "code", "lookup"]
    items: list[dict[str, Any]] = body["lookup"]
    return items


def test_the_contracts_examples(api: Api) -> None:
    spellings = ["0612345678", "06 12 34 56 78", "06.12.34.56.78", "+33612345678", "0033612345678"]
    items = looked_up(api, ",".join([*spellings, "+4915123456789", "0692 12 34 56"]))
    assert [i["request"] for i in items] == [*spellings, "+4915123456789", "0692 12 34 56"]
    for item, spelling in zip(items, spellings, strict=False):
        assert item == expected(spelling, "+33612345678")
    assert items[0]["countryCode"] == "France" and items[0]["prefixCode"] == 33
    assert items[0]["type"] == "Mobile"
    assert items[0]["format"] == {
        "e164": "+33612345678",
        "international": "+33 6 12 34 56 78",
        "national": "06 12 34 56 78",
        "rfc3966": "tel:+33-6-12-34-56-78",
    }
    germany, reunion = items[5], items[6]
    assert germany == expected("+4915123456789", "+4915123456789")
    assert germany["countryCode"] == "Germany" and germany["prefixCode"] == 49
    # National numbers are read as French, overseas departments included.
    assert reunion == expected("0692 12 34 56", "+262692123456")
    assert reunion["prefixCode"] == 262 and reunion["type"] == "Mobile"


@pytest.mark.parametrize("kind", list(KINDS), ids=list(KINDS.values()))
def test_numbers_of_30_regions_are_described_as_libphonenumber_does(
    api: Api, kind: PhoneNumberType
) -> None:
    numbers = [phonenumbers.example_number_for_type(region, kind) for region in REGIONS]
    e164 = [phonenumbers.format_number(n, PhoneNumberFormat.E164) for n in numbers]
    # Sent as people write them from abroad: international format, spaces and all.
    sent = [phonenumbers.format_number(n, PhoneNumberFormat.INTERNATIONAL) for n in numbers]
    items = looked_up(api, sent)
    assert len(items) == len(REGIONS) == 30
    for region, item, request, number in zip(REGIONS, items, sent, e164, strict=True):
        assert item == expected(request, number), region
        assert phonenumbers.region_code_for_number(phonenumbers.parse(number)) == region
    assert {i["type"] for i in items} <= {KINDS[kind], "Fixed line or mobile"}
    assert {i["countryCode"] for i in items} >= {"France", "Japan", "Brazil", "South Africa"}


def test_an_invalid_number_fails_in_its_row_only(api: Api) -> None:
    items = looked_up(api, "12,0612345678, not a number ,+33 1,06123456789")
    assert [i["success"] for i in items] == [False, True, False, False, False]
    assert [i["request"] for i in items] == [
        "12",
        "0612345678",
        "not a number",
        "+33 1",
        "06123456789",
    ]
    assert items[0] == {
        "request": "12",
        "success": False,
        "countryCode": "",
        "prefixCode": 0,
        "phoneNumber": "",
        "type": "",
        "network": "",
        "format": {"e164": "", "international": "", "national": "", "rfc3966": ""},
    }


def test_numbers_as_a_json_list_a_form_or_the_query(api: Api) -> None:
    as_list = looked_up(api, ["0612345678", "+4915123456789"])
    form = api.client.post(
        "/v1/lookup", data={"apiKey": api.key, "phoneNumbers": "0612345678,+4915123456789,"}
    )
    query = api.client.post(
        "/v1/lookup", params={"apiKey": api.key, "phoneNumbers": "0612345678,+4915123456789"}
    )
    assert form.json()["lookup"] == query.json()["lookup"] == as_list
    assert [i["phoneNumber"] for i in as_list] == ["+33612345678", "+4915123456789"]


def test_five_hundred_numbers_pass_and_one_more_is_code_50(api: Api) -> None:
    numbers = [f"06{n:08d}" for n in range(12_000_000, 12_000_500)]
    assert len(looked_up(api, ",".join(numbers))) == contract.LOOKUP_MAX
    response = api.post("/v1/lookup", phoneNumbers=",".join([*numbers, "0611111111"]))
    assert response.status_code == 400
    assert response.json()["code"] == 50 and "500" in response.json()["message"]


@pytest.mark.parametrize(
    ("numbers", "code"),
    [(None, 2), ("", 2), (" , ", 2), ([], 2), ({"a": "0612345678"}, 3), (True, 3), ([["0"]], 3)],
)
def test_no_number_or_a_wrong_form_is_refused(api: Api, numbers: Any, code: int) -> None:
    params = {} if numbers is None else {"phoneNumbers": numbers}
    response = api.post("/v1/lookup", **params)
    assert response.status_code == 400
    body = response.json()
    assert body["success"] is False and body["code"] == code
    assert "phoneNumbers" in body["message"]


def test_without_a_key_it_is_401(api: Api) -> None:
    response = api.client.post("/v1/lookup", json={"phoneNumbers": "0612345678"})
    assert response.status_code == 401 and response.json()["code"] == 10


def test_in_xml(api: Api) -> None:
    as_json, root = both(api, "POST", "/v1/lookup", phoneNumbers="0612345678,12")
    assert_same(root, as_json)
    assert root.findtext("lookup/item/format/e164") == "+33612345678"
