"""Dates as spreadsheets write them, to the contract's ``YYYY-MM-DD``.

A :class:`DateReader` reads one way of writing dates, chosen by
``--date-format``:

- ``dmy`` (day first: ``14/07/85``, ``14/07/1985``, ``14.07.1985``),
  ``mdy`` (month first: ``07/14/1985``), ``ymd`` (year first: ``85/07/14``);
- ``any``: day or month first, whichever alone makes a real date
  (``13/02/1990``); a date both readings allow (``03/04/1990``) is left as it is;
- a ``strptime`` pattern such as ``%d/%m/%Y``.

``auto`` (the default) is ``dmy`` for ``;``-separated files and files with
French headers, ``any`` for the others. Whatever the choice, year-first dates
with four digits (``1985-07-14``, ``1985/7/14 00:00:00``), dates with a month
name in French or English (``1 janv. 1990``, ``14-juil.-85``, ``July 14, 1985``)
and Excel's date cells are read. Two-digit years are resolved to the past: the
latest such year not after this one. A date that is not a real one
(``31/02/1991``) or that cannot be read is sent as written, for the server to
refuse with ``dateInvalide``; a date of zeros (``0/0/00``, as Outlook writes
"no birthday") is an empty cell.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime

from carnet.importer.problems import SourceError

ORDERS = ("dmy", "mdy", "ymd", "any")
CHOICES = ("auto", *ORDERS)

# How each choice is told to a person, in the report.
DESCRIPTIONS = {
    "dmy": "day first (14/07/1985)",
    "mdy": "month first (07/14/1985)",
    "ymd": "year first (1985/07/14)",
    "any": "day or month first when only one makes a date",
}

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})" + _TIME)
_NUMERIC = re.compile(r"(\d{1,4})[-/. ](\d{1,2})[-/. ](\d{1,4})" + _TIME)
_ZEROS = re.compile(r"0{1,4}[-/.]0{1,2}[-/.]0{1,4}" + _TIME)
_DAY_NAME_YEAR = re.compile(
    r"(\d{1,2})(?:er|st|nd|rd|th)?[ \-./]*([a-z]+)\.?[ \-./,]*(\d{2}|\d{4})"
)
_NAME_DAY_YEAR = re.compile(r"([a-z]+)\.?[ \-./]*(\d{1,2})(?:st|nd|rd|th)?[ \-./,]*(\d{4})")

# Month names and their abbreviations, French and English, without accents.
_MONTH_NAMES = (
    ("janvier", "janv", "jan", "january"),
    ("fevrier", "fevr", "fev", "feb", "february"),
    ("mars", "mar", "march"),
    ("avril", "avr", "apr", "april"),
    ("mai", "may"),
    ("juin", "jun", "june"),
    ("juillet", "juil", "jul", "july"),
    ("aout", "aou", "aug", "august"),
    ("septembre", "sept", "sep", "september"),
    ("octobre", "oct", "october"),
    ("novembre", "nov", "november"),
    ("decembre", "dec", "december"),
)
MONTHS: dict[str, int] = {
    name: number for number, names in enumerate(_MONTH_NAMES, start=1) for name in names
}


def _plain(text: str) -> str:
    """Lower case without accents: ``Févr.`` -> ``fevr.``."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


# Distinct texts a reader remembers (a few MiB at most).
_SEEN_MAX = 50_000


class DateFormatError(SourceError):
    """``--date-format`` names no known way of writing dates."""


@dataclass(frozen=True, slots=True)
class DateReader:
    """Reads dates written one way (``order``, or a ``strptime`` ``pattern``)."""

    order: str = "any"
    pattern: str | None = None
    today: date = field(default_factory=date.today)
    # Text -> what it reads as: a file holds few distinct dates (a birthday
    # column, a few tens of thousands) in many rows; emptied when full.
    _seen: dict[str, str] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def choose(cls, choice: str, *, day_first: bool) -> DateReader:
        """The reader ``--date-format`` asks for; ``auto`` is ``dmy`` when ``day_first``."""
        choice = choice.strip()
        if "%" in choice:
            try:
                datetime.strptime(datetime(2001, 2, 3).strftime(choice), choice)
            except ValueError as exc:
                raise DateFormatError(f"--date-format {choice!r}: {exc}") from None
            return cls(pattern=choice)
        if choice.lower() == "auto":
            return cls(order="dmy" if day_first else "any")
        if choice.lower() in ORDERS:
            return cls(order=choice.lower())
        known = ", ".join(CHOICES)
        raise DateFormatError(
            f"--date-format {choice!r}: expected one of {known}, or a pattern such as %d/%m/%Y"
        )

    def describe(self) -> str:
        return f"as {self.pattern}" if self.pattern else DESCRIPTIONS[self.order]

    def __call__(self, text: str) -> str:
        """``text`` as ``YYYY-MM-DD`` when it is a date, ``""`` when it is all zeros,
        else unchanged."""
        seen = self._seen.get(text)
        if seen is not None:
            return seen
        if _ZEROS.fullmatch(text):
            read = ""
        else:
            found = self._read(text)
            read = found.isoformat() if found is not None else text
        if len(self._seen) >= _SEEN_MAX:
            self._seen.clear()
        self._seen[text] = read
        return read

    def _read(self, text: str) -> date | None:
        if self.pattern is not None:
            try:
                read = datetime.strptime(text, self.pattern).date()
            except ValueError:
                return None
            if "%y" in self.pattern and read.year > self.today.year:
                return _real(read.year - 100, read.month, read.day)
            return read
        if match := _ISO.fullmatch(text):
            year, month, day = (int(g) for g in match.groups())
            return _real(year, month, day)
        if match := _NUMERIC.fullmatch(text):
            return self._numeric(match.group(1), match.group(2), match.group(3))
        plain = _plain(text)
        if (match := _DAY_NAME_YEAR.fullmatch(plain)) and match.group(2) in MONTHS:
            return _real(self._year(match.group(3)), MONTHS[match.group(2)], int(match.group(1)))
        if (match := _NAME_DAY_YEAR.fullmatch(plain)) and match.group(1) in MONTHS:
            return _real(int(match.group(3)), MONTHS[match.group(1)], int(match.group(2)))
        return None

    def _numeric(self, first: str, second: str, third: str) -> date | None:
        if self.order == "ymd" or len(first) == 4:
            if len(third) > 2:
                return None
            return _real(self._year(first), int(second), int(third))
        if len(first) > 2 or len(third) not in (2, 4):
            return None
        year = self._year(third)
        if self.order == "dmy":
            return _real(year, int(second), int(first))
        if self.order == "mdy":
            return _real(year, int(first), int(second))
        readings = {_real(year, int(second), int(first)), _real(year, int(first), int(second))}
        readings.discard(None)
        return readings.pop() if len(readings) == 1 else None

    def _year(self, digits: str) -> int:
        """A two-digit year is the latest year ending so that is not after this one."""
        year = int(digits)
        if len(digits) > 2:
            return year
        century = self.today.year - self.today.year % 100
        return century + year if century + year <= self.today.year else century - 100 + year


def _real(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def cell_date(value: date) -> str:
    """An Excel date cell (a ``datetime`` at midnight, often) as ``YYYY-MM-DD``."""
    return (value.date() if isinstance(value, datetime) else value).isoformat()
