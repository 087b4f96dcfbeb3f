"""Phone normalisation on one core: carnet's ``normalise_phone`` beside raw ``phonenumbers``."""

from __future__ import annotations

import random
import time
from contextlib import suppress

import phonenumbers

from bench.options import Plan
from bench.results import Results, median, say
from bench.table import Row
from carnet.domain.phones import InvalidPhone, normalise_phone


def sample_numbers(count: int, seed: int = 5) -> list[str]:
    """Distinct numbers as people type them: mostly French, some foreign, a few invalid."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        kind = rng.random()
        digits = f"{rng.randrange(10**8):08d}"
        if kind < 0.45:
            text = "06" + digits
        elif kind < 0.60:
            text = "07" + digits
            text = " ".join(text[i : i + 2] for i in range(0, 10, 2))
        elif kind < 0.75:
            text = "+336" + digits
        elif kind < 0.82:
            text = "00336" + digits
        elif kind < 0.90:
            text = "+4915" + digits + str(rng.randrange(10))
        elif kind < 0.95:
            text = "+44 7" + digits + str(rng.randrange(100, 1000))[:2]
        else:
            text = "0" + str(rng.randrange(10**8, 10**9 + 10**8))  # often invalid
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out


def carnet_rate(numbers: list[str]) -> float:
    """Numbers per second through ``normalise_phone`` (every input new: no cache help)."""
    normalise = normalise_phone
    start = time.perf_counter()
    for text in numbers:
        with suppress(InvalidPhone):
            normalise(text)
    return len(numbers) / (time.perf_counter() - start)


def phonenumbers_rate(numbers: list[str]) -> float:
    """Numbers per second through ``phonenumbers``: parse, validate, format E.164."""
    parse, valid, fmt = phonenumbers.parse, phonenumbers.is_valid_number, phonenumbers.format_number
    e164 = phonenumbers.PhoneNumberFormat.E164
    start = time.perf_counter()
    for text in numbers:
        try:
            number = parse(text, "FR")
        except phonenumbers.NumberParseException:
            continue
        if valid(number):
            fmt(number, e164)
    return len(numbers) / (time.perf_counter() - start)


def measure(results: Results, plan: Plan) -> None:
    """The phone normalisation row: carnet beside phonenumbers on the same numbers."""
    say("phones: normalise_phone beside phonenumbers ...")
    per_round = 20_000 if plan.quick else 50_000
    sample = sample_numbers(per_round * (plan.runs + 1))
    carnet_rate(sample[:2000])  # warm up both
    phonenumbers_rate(sample[:2000])
    ours, theirs = [], []
    for r in range(plan.runs):
        chunk = sample[per_round * (r + 1) : per_round * (r + 2)]
        theirs.append(phonenumbers_rate(chunk))
        ours.append(carnet_rate(chunk))
    results.add(
        Row(
            "phone normalisation, numbers/s, 1 core",
            median(ours),
            median(theirs),
            "phonenumbers",
            200_000,
            ">=",
            "numbers/s",
            ratio_goal=None,
        )
    )
