"""What every source of rows has: a header mapped to fields, rows in wire names.

A source is read once, as it is consumed; :attr:`Source.bytes_read` says how
far into the file it has got, and :attr:`Source.progress_done` /
:attr:`Source.progress_total` how far through the work, in
:attr:`Source.progress_unit` (bytes of a CSV file, rows of a workbook's sheet).
"""

from __future__ import annotations

import io
import re
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from types import TracebackType
from typing import IO, NamedTuple

from carnet import contract
from carnet.importer.columns import MAX_CELL, looks_french, map_columns
from carnet.importer.dates import DateReader

_DATE_FIELDS = frozenset(f.wire for f in contract.CONTACT_FIELDS if f.rule == "date")
_MOMENT_FIELDS = frozenset(f.wire for f in contract.CONTACT_FIELDS if f.rule == "datetime")
# A date then a time of day, as spreadsheets write them: "02/03/2026 10:15".
_DATE_AND_TIME = re.compile(r"(.+?)[ T]+([0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)")


class SourceRow(NamedTuple):
    """One data row: the line it starts on, its cells as read, the contact it holds.

    A named tuple: one is made for every row of the file, and a tuple is built
    several times faster than a frozen dataclass.
    """

    line: int
    cells: list[str]
    contact: dict[str, str]


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """How to read a file: ``mapping`` (column -> wire name, see
    :func:`~carnet.importer.columns.parse_map`), ``date_format`` (see
    :mod:`carnet.importer.dates`), ``sheet`` (a workbook's sheet; the first if None)."""

    mapping: Mapping[str, str] = field(default_factory=dict)
    date_format: str = "auto"
    sheet: str | None = None


@dataclass(frozen=True, slots=True)
class TextFormat:
    """How a CSV file is written: a Python codec (``utf-8-sig`` adds the BOM) and a delimiter."""

    encoding: str
    delimiter: str


# What Excel opens as it is, in any locale: UTF-8 with a BOM, ';' between cells.
EXCEL = TextFormat("utf-8-sig", ";")


class CountingReader(io.RawIOBase):
    """Reads from any binary file object, counting the bytes it hands out."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self._raw = raw
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._raw.read(len(buffer))
        size = len(data)
        buffer[:size] = data
        self.count += size
        return size

    def tell(self) -> int:
        return self.count


class Source(ABC):
    """Rows of a file with a header row; iterate for them, once."""

    kind = ""  # "CSV" or "xlsx"
    sheet = ""  # the sheet read, for a workbook
    progress_unit = "bytes"

    def __init__(self, name: str, options: ReadOptions, size: int | None) -> None:
        self.name = name
        self.options = options
        self.size = size
        self.blank_lines = 0
        self.header: list[str] = []
        self.columns: dict[int, str] = {}
        self.ignored: list[str] = []
        self.dates = DateReader()
        self._fields: tuple[tuple[int, str, bool, bool], ...] = ()
        self._closers: list[Callable[[], object]] = []

    def _use_header(self, header: list[str], *, day_first: bool) -> None:
        """Map the header to fields (raising HeaderError) and choose how dates are read."""
        self.header = header
        self.columns, self.ignored = map_columns(header, self.options.mapping)
        self.dates = DateReader.choose(
            self.options.date_format, day_first=day_first or looks_french(header)
        )
        self._fields = tuple(
            (i, w, w in _DATE_FIELDS, w in _MOMENT_FIELDS) for i, w in self.columns.items()
        )

    def _contact(self, cells: list[str]) -> dict[str, str]:
        """The contact a row holds: wire name -> text, empty cells left out (unset)."""
        contact: dict[str, str] = {}
        width = len(cells)
        for index, wire, is_date, is_moment in self._fields:
            if index < width and (value := cells[index].strip()):
                value = value[:MAX_CELL]
                if is_date and not (value := self.dates(value)):
                    continue
                if is_moment:
                    value = self._moment(value)
                contact[wire] = value
        return contact

    def _moment(self, text: str) -> str:
        """A date and time (the consent's) with its date read as the file writes dates:
        ``02/03/2026 10:15`` -> ``2026-03-02T10:15``; anything else is sent as written."""
        match = _DATE_AND_TIME.fullmatch(text)
        day = self.dates(match.group(1) if match else text)
        if len(day) != 10 or day[4] != "-":
            return text
        return f"{day}T{match.group(2).zfill(5)}" if match else day

    @property
    def bytes_read(self) -> int:
        """Bytes of the file read so far."""
        return 0

    @property
    def encoding(self) -> str:
        """The encoding read so far, as a person would name it."""
        return ""

    @property
    def delimiter(self) -> str:
        return ""

    @property
    def progress_done(self) -> int:
        return self.bytes_read

    @property
    def progress_total(self) -> int | None:
        return self.size

    def rejects_format(self) -> TextFormat:
        """How a file of this source's refused rows is written by default."""
        return EXCEL

    def used_columns(self) -> dict[str, str]:
        """Header name -> wire name, for the columns read."""
        return {self.header[i].strip(): wire for i, wire in self.columns.items()}

    def describe(self) -> list[str]:
        """What will be read from where, for a person to check before the import."""
        used = ", ".join(f"{name} -> {wire}" for name, wire in self.used_columns().items())
        lines = [f"Sheet read: {self.sheet}"] if self.sheet else []
        lines.append(f"Columns used: {used}")
        if self.ignored:
            lines.append(f"Columns ignored: {', '.join(self.ignored)}")
        if any(is_date for _, _, is_date, _ in self._fields):
            lines.append(f"Dates read {self.dates.describe()}")
        return lines

    @abstractmethod
    def __iter__(self) -> Iterator[SourceRow]:
        """The data rows, in the file's order (each kind of file reads its own)."""

    def close_after(self, close: Callable[[], object]) -> None:
        """Call ``close`` when the source closes, after everything the source opened."""
        self._closers.insert(0, close)

    def close(self) -> None:
        while self._closers:
            self._closers.pop()()

    def __enter__(self) -> Source:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
