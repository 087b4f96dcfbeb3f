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
