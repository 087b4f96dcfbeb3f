"""Phone numbers: the formats people type, normalised to E.164."""

from __future__ import annotations

import pytest

from carnet.domain.phones import InvalidPhone, normalise_phone


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0612345678", "+33612345678"),
        ("06 12 34 56 78", "+33612345678"),
        ("06.12.34.56.78", "+33612345678"),
        ("06-12-34-56-78", "+33612345678"),
        ("+33612345678", "+33612345678"),
        ("+33 6 12 34 56 78", "+33612345678"),
        ("0033612345678", "+33612345678"),
        ("+4915123456789", "+4915123456789"),
        ("  0761234567 ", "+33761234567"),
        ("0145678901", "+33145678901"),
    ],
)
def test_accepted_formats_normalise_to_e164(raw: str, e164: str) -> None:
    assert normalise_phone(raw) == e164


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        "12",
        "0612",
        "06123456789012",
        "+3361234567",  # one digit short
        "0800FLOWERS",  # vanity letters are refused
        "06 12 34 56 7a",
        "+33 6 12 34 56 78 ext 12",
        "++33612345678",
        "0612345678" * 10,
        "+999123456789",  # no such country code
    ],
)
def test_invalid_numbers_are_refused(raw: str) -> None:
    with pytest.raises(InvalidPhone):
        normalise_phone(raw)


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("0692 12 34 56", "+262692123456"),  # Réunion, mobile
        ("0692123456", "+262692123456"),
        ("(0692) 12 34 56", "+262692123456"),
        ("0692/12/34/56", "+262692123456"),
        ("0262 12 34 56", "+262262123456"),  # Réunion, fixed line
        ("0639 01 23 45", "+262639012345"),  # Mayotte, mobile
        ("0269 61 23 45", "+262269612345"),  # Mayotte, fixed line (also valid as +33)
        ("0590 12 34 56", "+590590123456"),  # Guadeloupe, Saint-Barthélemy, Saint-Martin
        ("0690 12 34 56", "+590690123456"),
        ("0594 12 34 56", "+594594123456"),  # French Guiana
        ("0694 12 34 56", "+594694123456"),
        ("0596 61 23 45", "+596596612345"),  # Martinique, fixed line (also valid as +33)
        ("0696 12 34 56", "+596696123456"),
        ("0708 40 12 34", "+508708401234"),  # Saint-Pierre-et-Miquelon, mobile
        ("+262 692 12 34 56", "+262692123456"),
        ("00262692123456", "+262692123456"),
    ],
)
def test_overseas_numbers_in_national_form_take_their_own_code(raw: str, e164: str) -> None:
    assert normalise_phone(raw) == e164


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        # Valid under France's code and under every overseas one: national services.
        ("0800 12 34 56", "+33800123456"),
        ("0806 12 34 56", "+33806123456"),
        ("0939 90 00 00", "+33939900000"),  # VoIP: also Réunion's, but not a line there
        ("0884 12 34 56", "+33884123456"),  # shared cost: also Réunion's, not a line
        # libphonenumber knows 05 08 only as a fixed line of metropolitan France.
        ("0508 41 23 45", "+33508412345"),
        ("01 45 67 89 01", "+33145678901"),
        ("06 12 34 56 78", "+33612345678"),
    ],
)
def test_numbers_france_shares_with_several_territories_stay_french(raw: str, e164: str) -> None:
    assert normalise_phone(raw) == e164


@pytest.mark.parametrize("raw", ["+33 692 12 34 56", "0033692123456", "33692123456"])
def test_overseas_numbers_written_with_france_s_code_are_refused(raw: str) -> None:
    with pytest.raises(InvalidPhone):
        normalise_phone(raw)
