"""The fast phone path gives exactly phonenumbers' answers.

Over a million generated numbers, across every region libphonenumber knows,
in the forms people type (national, +, 00, separators, a stray national
prefix, a digit too many or too few), valid and invalid mixed: carnet's
``normalise_phone`` must answer what the plain ``phonenumbers`` path answers,
the same E.164 or the same refusal. French national numbers of the overseas
territories are parsed by ``phonenumbers`` in their own regions, and the
reading kept by the rule of ``carnet.domain.phones``. The test checks
answers, never time.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from collections.abc import Iterator

import phonenumbers
import pytest

from carnet.domain.numbering import UNDECIDED, fast_e164
from carnet.domain.phones import (
    FRENCH_OVERSEAS,
    InvalidPhone,
    french_overseas_plans,
    normalise_phone,
)

TOTAL = 1_000_000
_ALLOWED = re.compile(r"\+?[0-9 .\-()/]+")
# The territories French national numbers reach: dialled with France's "0".
OVERSEAS = ("RE", "YT", "GP", "BL", "MF", "MQ", "GF", "PM")
# One region per overseas calling code: phonenumbers reads a national number
# alike in every region of one code (same "0", same metadata for validity).
OVERSEAS_MAIN = ("RE", "GP", "MQ", "GF", "PM")
LINES = (
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)
_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE,
    phonenumbers.PhoneNumberType.TOLL_FREE,
    phonenumbers.PhoneNumberType.PREMIUM_RATE,
    phonenumbers.PhoneNumberType.VOIP,
    phonenumbers.PhoneNumberType.SHARED_COST,
)


def parsed(raw: str, region: str) -> phonenumbers.PhoneNumber | None:
    """``raw`` parsed by phonenumbers in ``region`` after carnet's input rules, if valid."""
    text = raw.strip()
    if not text or len(text) > 40 or _ALLOWED.fullmatch(text) is None:
        return None
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def e164(number: phonenumbers.PhoneNumber | None) -> str | None:
    if number is None:
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def french_reference(raw: str) -> str | None:
    """The answer of France's plan alone, without the fast path."""
    return e164(parsed(raw, "FR"))


def reference(raw: str) -> str | None:
    """The answer without the fast path: France's plan, then the overseas rule."""
    french = french_reference(raw)
    text = raw.strip()
    if text.startswith("+") or re.fullmatch(r"0\d{9}", re.sub(r"[ .\-()/]", "", text)) is None:
        return french
    readings = []
    for region in OVERSEAS_MAIN:
        number = parsed(text, region)
        if number is not None:
            readings.append((e164(number), phonenumbers.number_type(number) in LINES))
    if french is None:
        return readings[0][0] if readings else None
    if len(readings) == 1 and readings[0][1]:
        return readings[0][0]
    return french


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


def test_the_overseas_territories_are_those_libphonenumber_dials_with_0() -> None:
    assert {r for r in FRENCH_OVERSEAS if r in phonenumbers.SUPPORTED_REGIONS} == {
        *OVERSEAS,
        "WF",
        "PF",
        "NC",
    }
    for region in OVERSEAS:
        assert phonenumbers.PhoneMetadata.metadata_for_region(region).national_prefix == "0"
    for region in ("WF", "PF", "NC"):
        assert phonenumbers.PhoneMetadata.metadata_for_region(region).national_prefix is None
    plans = french_overseas_plans()
    assert plans is not None
    assert [code.code for code in plans.codes] == ["262", "590", "596", "594", "508"]
    mains = {phonenumbers.region_code_for_country_code(int(c.code)) for c in plans.codes}
    assert mains == set(OVERSEAS_MAIN)


def test_a_million_generated_numbers_agree_with_phonenumbers() -> None:
    outcomes: Counter[str] = Counter()
    regions: set[str] = set()
    mismatches = []
    for n, (region, raw) in enumerate(generated(TOTAL)):
        expected = reference(raw)
        fast = fast_e164(raw.strip(), "FR")
        french = french_reference(raw) if fast != UNDECIDED else None
        decided = fast != UNDECIDED
        outcomes["fast" if decided else "slow"] += 1
        outcomes["valid" if expected else "invalid"] += 1
        if expected and decided:
            regions.add(region)
        if decided and fast != french:
            mismatches.append((raw, french, fast))
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
        expected = french_reference(raw)
        fast = fast_e164(raw.strip(), "FR")
        valid += expected is not None
        if fast != UNDECIDED:
            decided += 1
            if fast != expected:
                mismatches.append((raw, expected, fast))
    assert mismatches[:20] == []
    assert decided > 150_000 and valid > 20_000, (decided, valid)


def overseas_national(total: int, seed: int = 974) -> Iterator[tuple[str, str]]:
    """Overseas numbers as French people write them: "0", then the territory's digits."""
    rng = random.Random(seed)
    examples = [e for e in _examples() if e[0] in OVERSEAS and len(e[2]) == 9]
    for _ in range(total):
        region, _code, nsn = rng.choice(examples)
        keep = rng.randrange(2, 7)
        digits = "0" + nsn[:keep] + "".join(rng.choice("0123456789") for _ in range(9 - keep))
        roll = rng.random()
        if roll < 0.05:
            digits = digits[:-1]
        elif roll < 0.10:
            digits += rng.choice("0123456789")
        form = rng.random()
        if form < 0.35:
            text = digits
        elif form < 0.75:
            text = _separated(digits, rng)
        elif form < 0.85:
            text = f"({digits[:4]}) {digits[4:]}"
        else:
            text = "/".join(digits[i : i + 2] for i in range(0, len(digits), 2))
        yield region, text


def test_overseas_national_numbers_read_as_phonenumbers_reads_them_in_their_region() -> None:
    mismatches = []
    seen: Counter[str] = Counter()
    for region, raw in overseas_national(40_000):
        got = carnet(raw)
        expected = reference(raw)
        own = e164(parsed(raw, region))
        french = french_reference(raw)
        if got != expected:
            mismatches.append((region, raw, expected, got))
        if french is None and own is not None and got != own:
            # Valid in its territory, unknown to France's plan: exactly
            # phonenumbers' answer in that region.
            mismatches.append((region, raw, own, got))
        if own is not None:
            seen[region] += 1
            side = "own" if got == own else "french"
            seen[side] += 1
            if french is not None:
                seen[f"known to France, {side}"] += 1
    assert mismatches[:20] == []
    # Every territory, and both sides of the rule for numbers France's
    # metadata knows too.
    assert all(seen[region] > 1_000 for region in OVERSEAS), seen
    assert seen["own"] > 8_000 and seen["french"] > 1_000, seen
    assert seen["known to France, own"] > 800, seen
    assert seen["known to France, french"] > 1_000, seen
