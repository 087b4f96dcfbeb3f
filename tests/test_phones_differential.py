"""The fast phone path gives exactly phonenumbers' answers.

Over a million generated numbers, across every region libphonenumber knows,
in the forms people type (national, +, 00, separators, a stray national
prefix, a digit too many or too few), valid and invalid mixed: carnet's
``normalise_phone`` must answer what the plain ``phonenumbers`` path answers,
the same E.164 or the same refusal. The test checks answers, never time.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator

import phonenumbers
import pytest

from carnet.domain.numbering import UNDECIDED, fast_e164
from carnet.domain.phones import InvalidPhone, normalise_phone

TOTAL = 1_000_000
_ALLOWED = re.compile(r"\+?[0-9 .\-()/]+")
_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.PREMIUM_RATE,
    phonenumbers.PhoneNumberType.VOIP,
    phonenumbers.PhoneNumberType.SHARED_COST,
)


def reference(raw: str) -> str | None:
    """The answer without the fast path: carnet's input rules, then phonenumbers."""
    text = raw.strip()
    if not text or len(text) > 40 or _ALLOWED.fullmatch(text) is None:
        return None
    try:
        number = phonenumbers.parse(text, "FR")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def carnet(raw: str) -> str | None:
    try:
        return normalise_phone(raw)
    except InvalidPhone:
        return None


def _examples() -> list[tuple[str, str, str]]:
    """(region, calling code, national significant number) of every region's examples."""
    found = []
    for region in sorted(phonenumbers.SUPPORTED_REGIONS):
        for kind in _TYPES:
            example = phonenumbers.example_number_for_type(region, kind)
            if example is not None:
                nsn = phonenumbers.national_significant_number(example)
                found.append((region, str(example.country_code), nsn))
    return found


def _separated(digits: str, rng: random.Random) -> str:
    step = rng.choice((2, 3, 4))
    sep = rng.choice((" ", ".", "-", " "))
    return sep.join(digits[i : i + step] for i in range(0, len(digits), step))


def generated(total: int, seed: int = 20250312) -> Iterator[tuple[str, str]]:
    """Numbers as typed: mostly near-valid (example numbers with new digits), some noise."""
    rng = random.Random(seed)
    examples = _examples()
    for _ in range(total):
        region, code, nsn = rng.choice(examples)
        roll = rng.random()
        keep = rng.randrange(1, min(4, len(nsn)) + 1)
        tail = "".join(rng.choice("0123456789") for _ in range(len(nsn) - keep))
        nsn = nsn[:keep] + tail
        if roll < 0.08:
            nsn = nsn[:-1]  # a digit short
        elif roll < 0.16:
            nsn += rng.choice("0123456789")  # a digit too many
        elif roll < 0.22:
            nsn = "".join(rng.choice("0123456789") for _ in range(rng.randrange(4, 16)))
        form = rng.random()
        if form < 0.30:
            text = "+" + code + nsn
        elif form < 0.40:
            text = "00" + code + nsn
        elif form < 0.55:
            text = "0" + nsn
        elif form < 0.62:
            text = nsn
        elif form < 0.72:
            text = "+" + code + " " + _separated(nsn, rng)
        elif form < 0.80:
            text = _separated("0" + nsn, rng)
        elif form < 0.85:
            text = "+" + code + "0" + nsn  # a national prefix kept after the code
        elif form < 0.90:
            text = code + nsn  # the code without + or 00
        elif form < 0.94:
            text = "00" + code + " " + _separated(nsn, rng)
        elif form < 0.97:
            text = "+" + nsn
        else:
            text = "+" + code + "(0)" + nsn
        yield region, text


# The contract's own examples (SPEC §2) and the README's.
CONTRACT = [
    ("0612345678", "+33612345678"),
    ("06 12 34 56 78", "+33612345678"),
    ("06.12.34.56.78", "+33612345678"),
    ("06-12-34-56-78", "+33612345678"),
    ("+33612345678", "+33612345678"),
    ("+33 6 12 34 56 78", "+33612345678"),
    ("0033612345678", "+33612345678"),
    ("+4915123456789", "+4915123456789"),
]


@pytest.mark.parametrize(("raw", "e164"), CONTRACT)
def test_contract_examples_agree(raw: str, e164: str) -> None:
    assert reference(raw) == e164
    assert carnet(raw) == e164
    assert fast_e164(raw.strip(), "FR") == e164


def test_a_million_generated_numbers_agree_with_phonenumbers() -> None:
    outcomes: Counter[str] = Counter()
    regions: set[str] = set()
    mismatches = []
    for n, (region, raw) in enumerate(generated(TOTAL)):
        expected = reference(raw)
        fast = fast_e164(raw.strip(), "FR")
        decided = fast != UNDECIDED
        outcomes["fast" if decided else "slow"] += 1
        outcomes["valid" if expected else "invalid"] += 1
        if expected and decided:
            regions.add(region)
        if decided and fast != expected:
            mismatches.append((raw, expected, fast))
        # normalise_phone itself on every fast answer, and on a share of the
        # rest (which it hands to the very phonenumbers calls of the reference).
        if (decided or n % 16 == 0) and carnet(raw) != expected:
            mismatches.append((raw, expected, carnet(raw)))
    assert mismatches[:20] == []
    # The comparison means something only if both kinds of answer, and the
    # fast path itself on valid numbers of many regions, were all exercised.
    assert outcomes["valid"] > TOTAL // 5 and outcomes["invalid"] > TOTAL // 5, outcomes
    assert len(regions) >= 30, sorted(regions)
    assert outcomes["fast"] > TOTAL // 2, outcomes


def french_without_plus(total: int, seed: int = 33) -> Iterator[str]:
    """French numbers as spreadsheets leave them: the calling code with no "+"."""
    rng = random.Random(seed)
    for _ in range(total):
        roll = rng.random()
        length = rng.choice((7, 8, 9, 9, 9, 9, 10, 11, 12))
        digits = "".join(rng.choice("0123456789") for _ in range(length))
        if roll < 0.5:
            digits = rng.choice("1234567") + digits[1:]
        text = "33" + ("0" if roll > 0.8 else "") + digits
        if rng.random() < 0.2:
            text = _separated(text, rng)
        yield text


def test_french_numbers_with_the_code_and_no_plus_agree() -> None:
    mismatches = []
    decided = 0
    valid = 0
    for raw in french_without_plus(200_000):
        expected = reference(raw)
        fast = fast_e164(raw.strip(), "FR")
        valid += expected is not None
        if fast != UNDECIDED:
            decided += 1
            if fast != expected:
                mismatches.append((raw, expected, fast))
    assert mismatches[:20] == []
    assert decided > 150_000 and valid > 20_000, (decided, valid)
