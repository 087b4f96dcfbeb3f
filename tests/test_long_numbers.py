"""Every number libphonenumber accepts fits: the longest valid number of each region.

E.164 caps numbers at 15 digits, but national plans (Germany, Japan,
Indonesia ...) allow longer ones that libphonenumber calls valid, so carnet
takes them. They must be stored whole on both engines: by a single add, in a
batch, and on the stop list.
"""

from __future__ import annotations

import phonenumbers
import pytest
from phonenumbers import PhoneMetadata

from support.api import Api
from support.numbers import longest_valid_numbers

# Numbers seen refused by the database before the phone columns were widened.
REPORTED = ["+4930834793830396", "+49305560612725420", "+2348000407424263"]


def _numbers() -> list[str]:
    return sorted(set(longest_valid_numbers().values()) | set(REPORTED))


def test_the_numbers_are_the_longest_each_region_allows() -> None:
    for region, number in longest_valid_numbers().items():
        metadata = (
            PhoneMetadata.metadata_for_nongeo_region(int(region[1:]))
            if region.startswith("+")
            else PhoneMetadata.metadata_for_region(region)
        )
        parsed = phonenumbers.parse(number)
        assert phonenumbers.is_valid_number(parsed), region
        longest = max(metadata.general_desc.possible_length)
        assert len(phonenumbers.national_significant_number(parsed)) == longest, region
    assert max(len(number) for number in _numbers()) == len("+81") + 17


def test_each_is_stored_by_a_single_add(api: Api) -> None:
    group = api.group()
    for number in _numbers():
        response = api.add(group, phoneNumber=number)
        assert response.status_code == 200, (number, response.text)
        contact_id = response.json()["contact"]["contactId"]
        detail = api.get("/v1/contact/detail", contactId=contact_id).json()
        assert detail["contact"]["phone"] == number


def test_all_are_stored_by_one_batch(api: Api) -> None:
    group = api.group()
    numbers = _numbers()
    rows = [{"phoneNumber": number} for number in numbers]
    response = api.post("/v1/contact/add", groupId=group, contactsList=rows)
    assert response.status_code == 200, response.text
    assert [r["success"] for r in response.json()["results"]] == [True] * len(numbers)
    stored: list[str] = []
    page = 1
    while datas := api.get("/v1/contact/list", groupId=group, page=page).json()["datas"]:
        stored += [contact["phone"] for contact in datas]
        page += 1
    assert stored == numbers


@pytest.mark.parametrize("spelling", ["e164", "00"])
def test_each_goes_on_the_stop_list(api: Api, spelling: str) -> None:
    numbers = _numbers()
    for number in numbers:
        sent = number if spelling == "e164" else "00" + number[1:]
        response = api.post("/v1/stop-sms/add", phoneNumber=sent)
        assert response.status_code == 200, (number, response.text)
    listed = api.get("/v1/stop-sms/list").json()["data"]
    assert [entry["phoneNumber"] for entry in listed] == numbers
