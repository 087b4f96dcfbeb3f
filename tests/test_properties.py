"""Property tests on the domain rules: any input gets an answer, and the answer keeps the rules."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import phonenumbers
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from carnet.contract import BUCKETS, CONTACT_FIELDS, FIELDS_BY_WIRE
from carnet.domain.batch import judge_row
from carnet.domain.contact_rules import check_changes, check_contact
from carnet.domain.phones import InvalidPhone, normalise_phone
from carnet.domain.text import has_control_characters
from carnet.errors import InvalidFields, MissingContactInfo
from carnet.http.params import contact_input
from carnet.http.wire import parse_nested

NAME_MAX = FIELDS_BY_WIRE["firstname"].limit or 0
CUSTOM_MAX = FIELDS_BY_WIRE["custom1"].limit or 0
URL_MAX = FIELDS_BY_WIRE["url"].limit or 0

E164 = re.compile(r"\+[1-9][0-9]{1,14}")
FIELD_CODES = {3, 9, 16, 17, 18}
FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=60)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
field_names = st.sampled_from([*FIELDS_BY_WIRE, "other", "contactId"])
raw_contacts = st.dictionaries(field_names, json_values | st.text(max_size=300), max_size=8)


# -- phone numbers -------------------------------------------------------------


@FAST
@given(st.text(max_size=60))
def test_any_text_is_a_number_in_e164_or_refused(text: str) -> None:
    try:
        phone = normalise_phone(text)
    except InvalidPhone:
        return
    assert E164.fullmatch(phone)
    assert normalise_phone(phone) == phone


@st.composite
def valid_numbers(draw: st.DrawFn) -> phonenumbers.PhoneNumber:
    region = draw(st.sampled_from(["FR", "DE", "BE", "ES", "GB", "US", "CH", "IT", "MA", "SN"]))
    kind = draw(
        st.sampled_from(
            [phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]
        )
    )
    number = phonenumbers.example_number_for_type(region, kind)
    assume(number is not None)
    return number


@FAST
@given(valid_numbers(), st.sampled_from([" ", ".", "-", ""]))
def test_every_spelling_of_a_valid_number_is_the_same_e164(
    number: phonenumbers.PhoneNumber, separator: str
) -> None:
    e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    international = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    spellings = [e164, "00" + e164[1:], international, international.replace(" ", separator)]
    if phonenumbers.region_code_for_number(number) == "FR":
        national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
        spellings.append(national.replace(" ", separator))
    for spelling in spellings:
        assert normalise_phone(spelling) == e164, spelling


@FAST
@given(st.from_regex(r"0[67][0-9]{8}", fullmatch=True), st.text(alphabet="abcxyzABC", min_size=1))
def test_letters_in_a_number_are_refused(digits: str, letters: str) -> None:
    for spelling in (letters + digits, digits[:4] + letters + digits[4:], digits + letters):
        try:
            normalise_phone(spelling)
        except InvalidPhone:
            continue
        raise AssertionError(f"{spelling!r} was accepted")


# -- contacts --------------------------------------------------------------------


def _assert_refusal(error: InvalidFields, raw: dict[str, Any]) -> None:
    assert error.errors, "a refusal names the fields at fault"
    assert set(error.errors) <= set(FIELDS_BY_WIRE) & set(raw)
    assert set(error.codes.values()) <= FIELD_CODES
    assert error.code in error.codes.values()


@FAST
@given(raw_contacts)
def test_any_contact_is_stored_within_the_rules_or_refused_with_its_fields_named(
    raw: dict[str, Any],
) -> None:
    try:
        contact = check_contact(contact_input(raw))
    except MissingContactInfo as missing:
        assert missing.code == 2
        return
    except InvalidFields as error:
        _assert_refusal(error, raw)
        return
    assert E164.fullmatch(contact.phone)
    assert len(contact.firstname) <= NAME_MAX and len(contact.lastname) <= NAME_MAX
    for custom in (contact.custom1, contact.custom2, contact.custom3, contact.custom4):
        assert len(custom) <= CUSTOM_MAX
        assert custom == custom.strip()
    assert len(contact.url) <= URL_MAX
    assert contact.url == "" or contact.url.lower().startswith(("http://", "https://"))
    if contact.date:
        date.fromisoformat(contact.date)


@FAST
@given(raw_contacts)
def test_any_change_set_is_checked_by_the_same_rules(raw: dict[str, Any]) -> None:
    try:
        changes = check_changes(contact_input(raw))
    except InvalidFields as error:
        _assert_refusal(error, raw)
        return
    attributes = {field.attribute for field in CONTACT_FIELDS}
    assert set(changes) <= attributes
    assert changes.get("phone", "+33612345678") != ""


@FAST
@given(st.text(max_size=80).map(str.strip))
def test_names_are_kept_up_to_32_characters_and_refused_past_them(name: str) -> None:
    assume(not has_control_characters(name) and not re.search("[\ud800-\udfff]", name))
    try:
        contact = check_contact(contact_input({"phoneNumber": "0612345678", "firstname": name}))
    except InvalidFields as error:
        assert len(name) > NAME_MAX
        assert error.code == 18
        return
    assert len(name) <= NAME_MAX
    assert contact.firstname == name


@FAST
@given(st.dates())
def test_every_real_date_is_accepted(day: date) -> None:
    assume(day.year >= 1000)
    given = contact_input({"phoneNumber": "0612345678", "date": day.isoformat()})
    assert check_contact(given).date == day.isoformat()


@FAST
@given(json_values)
def test_any_batch_row_lands_in_exactly_one_bucket(row: Any) -> None:
    result = judge_row(contact_input(row) if isinstance(row, dict) else None)
    assert result.success or result.bucket in BUCKETS
    assert result.success == (result.contact is not None)
    assert (result.code == 200) == result.success


# -- form names ------------------------------------------------------------------

form_keys = st.text(
    alphabet=st.characters(blacklist_characters="[]&=", blacklist_categories=("Cs",)),
    min_size=1,
    max_size=6,
).filter(lambda k: not k.isdigit())
form_values = st.recursive(
    st.text(max_size=10),
    lambda inner: (
        st.dictionaries(form_keys, inner, min_size=1, max_size=3)
        | st.lists(inner, min_size=1, max_size=3)
    ),
    max_leaves=10,
)


def _pairs(prefix: str, value: Any) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in _pairs(f"{prefix}[{k}]", v)]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _pairs(f"{prefix}[{i}]", v)]
    return [(prefix, value)]


def _depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()))
    if isinstance(value, list):
        return 1 + max(map(_depth, value))
    return 0


@FAST
@given(st.dictionaries(form_keys, form_values, max_size=4))
def test_nested_form_names_give_back_the_structure_they_spell(params: dict[str, Any]) -> None:
    assume(all(_depth(v) < 8 for v in params.values()))
    pairs = [p for name, value in params.items() for p in _pairs(name, value)]
    assert parse_nested(pairs) == params


@FAST
@given(st.lists(st.tuples(st.text(max_size=20), st.text(max_size=5)), max_size=20))
def test_any_form_names_parse_to_an_object(pairs: list[tuple[str, str]]) -> None:
    params = parse_nested(pairs)
    assert isinstance(params, dict)
    assert all(isinstance(name, str) and name for name in params)
