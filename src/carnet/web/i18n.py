"""Languages of the dashboard: which one a request gets, its catalog, dates, numbers, phones.

English is the source language; French comes from ``locale/fr/LC_MESSAGES/messages.po``
(a Babel catalog, compiled in memory when first needed).
"""

from __future__ import annotations

import io
from datetime import datetime
from functools import cache
from pathlib import Path

import phonenumbers
from babel import Locale
from babel.dates import format_datetime
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import NullTranslations, Translations

LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français"}
DEFAULT_LANGUAGE = "en"
_LOCALE_DIR = Path(__file__).parent / "locale"


def negotiate(accept_language: str | None) -> str:
    """The best of LANGUAGES for an ``Accept-Language`` header (English when none fits)."""
    wanted: list[tuple[float, str]] = []
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                quality = 0.0
        if tag:
            wanted.append((quality, tag.replace("_", "-")))
    ordered = [tag for quality, tag in sorted(wanted, key=lambda w: -w[0]) if quality > 0]
    found = Locale.negotiate(ordered, list(LANGUAGES), sep="-") if ordered else None
    return str(found) if found else DEFAULT_LANGUAGE


@cache
def translations(language: str) -> NullTranslations:
    """The catalog of ``language`` (no-op for English)."""
    po = _LOCALE_DIR / language / "LC_MESSAGES" / "messages.po"
    if not po.exists():
        return NullTranslations()
    with po.open("rb") as source:
        catalog = read_po(source, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(fp=compiled)


def format_timestamp(value: str | None, language: str) -> str:
    """An ISO 8601 timestamp as the language writes a date and time ("" when none)."""
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    return format_datetime(moment, format="medium", locale=language)


def format_number(value: int | float, language: str) -> str:
    return format_decimal(value, locale=language)


def format_phone(e164: str) -> str:
    """A French number in national form (06 12 34 56 78), any other internationally."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == "FR":
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
