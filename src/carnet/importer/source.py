"""Reading a spreadsheet export as a stream of rows, whatever its dialect.

- Encoding: a UTF-16 byte-order mark means UTF-16 (Excel's "Unicode text");
  otherwise each line is read as UTF-8 (a UTF-8 BOM is dropped) and, when it is
  not valid UTF-8, as Windows-1252, the superset of Latin-1 that spreadsheet
  exports use. Deciding line by line keeps reading a single pass.
- Delimiter: whichever of ``;``, ``,``, tab and ``|`` the header line holds most
  of (outside quotes); ``,`` when it holds none (a single column).
- Lines that hold nothing but delimiters and spaces are skipped and counted.

The file is read as it is consumed, one line at a time, so memory does not
grow with its size; :attr:`CsvSource.bytes_read` tells how far it has got.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from pathlib import Path
from typing import IO, NamedTuple

from carnet.importer.columns import contact_from_cells, map_columns

DELIMITERS = (";", ",", "\t", "|")

# How much of the file is read and decoded at once.
_BLOCK_BYTES = 32 * 1024

# csv's default limit (128 KiB) would stop at one oversized cell; cells are cut
# to columns.MAX_CELL anyway, so a larger limit costs nothing.
csv.field_size_limit(16 * 1024 * 1024)


class SourceRow(NamedTuple):
    """One data row: the line it starts on, its cells as read, the contact it holds.

    A named tuple: one is made for every row of the file, and a tuple is built
    several times faster than a frozen dataclass.
    """

    line: int
    cells: list[str]
    contact: dict[str, str]


def _decode(raw: bytes) -> tuple[str, bool]:
    """The line as text, and whether it needed the Windows-1252 fallback."""
    try:
        return raw.decode("utf-8"), False
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252"), True
    except UnicodeDecodeError:  # the five bytes cp1252 leaves undefined
        return raw.decode("latin-1"), True


def sniff_delimiter(line: str) -> str:
    """The delimiter the header line uses most, outside double quotes."""
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = False
    for char in line:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _blank(cells: list[str]) -> bool:
    """Whether every cell is empty or spaces (one string operation, not one per cell)."""
    return not "".join(cells).strip()


class CsvSource:
    """A CSV or TSV file with a header row, read lazily; iterate for its rows.

    Opening reads the header (raising :class:`~carnet.importer.columns.HeaderError`
    when no column holds phone numbers); iteration reads the rest once.
    """

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        self.size = self.path.stat().st_size
        self.bytes_read = 0
        self.blank_lines = 0
        self.fallback_lines = 0
        self._file: IO[bytes] = self.path.open("rb")
        self._utf16 = False
        self.bom = False
        try:
            self._lines = self._text_lines()
            self._header_line, header_number = self._first_line()
            self.delimiter = sniff_delimiter(self._header_line)
            self.header = next(csv.reader([self._header_line], delimiter=self.delimiter), [])
            self.columns, self.ignored = map_columns(self.header)
        except BaseException:
            self._file.close()
            raise
        self._header_number = header_number

    @property
    def encoding(self) -> str:
        """The encoding read so far, as a person would name it."""
        if self._utf16:
            return "UTF-16"
        if self.fallback_lines:
            return "Windows-1252"
        return "UTF-8 with BOM" if self.bom else "UTF-8"

    def close(self) -> None:
        self._file.close()

    def __enter__(self) -> CsvSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _text_lines(self) -> Iterator[str]:
        start = self._file.read(4)
        self._file.seek(0)
        if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            self._utf16 = True
            return self._utf16_lines()
        return self._byte_lines()

    def _byte_lines(self) -> Iterator[str]:
        first = True
        # Lines are read a block at a time: per-line bookkeeping in a generator
        # cost more than decoding them. Progress moves by blocks.
        while block := self._file.readlines(_BLOCK_BYTES):
            if first and block[0].startswith(codecs.BOM_UTF8):
                self.bom = True
                block[0] = block[0][len(codecs.BOM_UTF8) :]
            first = False
            self.bytes_read = self._file.tell()
            try:
                lines = [raw.decode("utf-8") for raw in block]
            except UnicodeDecodeError:
                lines = []
                for raw in block:
                    text, fallback = _decode(raw)
                    self.fallback_lines += fallback
                    lines.append(text)
            yield from lines

    def _utf16_lines(self) -> Iterator[str]:
        text = io.TextIOWrapper(self._file, encoding="utf-16", newline="")
        for line in text:
            # The wrapper reads ahead; the position of the raw file is close enough.
            self.bytes_read = min(self.size, self._file.tell())
            yield line

    def _first_line(self) -> tuple[str, int]:
        """The header: the first line that is not blank, and its line number."""
        number = 0
        for line in self._lines:
            number += 1
            if line.strip():
                return line, number
            self.blank_lines += 1
        return "", number

    def __iter__(self) -> Iterator[SourceRow]:
        reader = csv.reader(self._lines, delimiter=self.delimiter)
        offset = self._header_number
        previous_end = 0
        for cells in reader:
            line = offset + previous_end + 1
            previous_end = reader.line_num
            if _blank(cells):
                self.blank_lines += 1
                continue
            yield SourceRow(line, cells, contact_from_cells(cells, self.columns))
