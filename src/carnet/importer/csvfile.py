"""A CSV or TSV file as a stream of rows, whatever its dialect.

- Encoding: a UTF-16 byte-order mark means UTF-16 (Excel's "Unicode text");
  otherwise each line is read as UTF-8 (a UTF-8 BOM is dropped) and, when it is
  not valid UTF-8, as Windows-1252, the superset of Latin-1 that spreadsheet
  exports use. Deciding line by line keeps reading a single pass.
- Delimiter: whichever of ``;``, ``,``, tab and ``|`` the header line holds most
  of (outside quotes); ``,`` when it holds none (a single column).
- Lines that hold nothing but delimiters and spaces are skipped and counted.

The file is read as it is consumed, a block at a time, so memory does not grow
with its size.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from typing import Any

from carnet.importer.source import ReadOptions, Source, SourceRow, TextFormat

DELIMITERS = (";", ",", "\t", "|")

# How much of the file is read and decoded at once.
_BLOCK_BYTES = 32 * 1024

# csv's default limit (128 KiB) would stop at one oversized cell; cells are cut
# to columns.MAX_CELL anyway, so a larger limit costs nothing.
csv.field_size_limit(16 * 1024 * 1024)


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


class CsvSource(Source):
    """A CSV or TSV file with a header row, read lazily; iterate for its rows.

    Opening reads the header (raising :class:`~carnet.importer.columns.HeaderError`
    when no column holds phone numbers); iteration reads the rest once.
    """

    kind = "CSV"

    def __init__(
        self, file: io.BufferedReader[Any], name: str, options: ReadOptions, size: int | None
    ) -> None:
        super().__init__(name, options, size)
        self._file = file
        self.fallback_lines = 0
        self.bom = False
        self._utf16 = file.peek(2)[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
        self._lines = self._utf16_lines() if self._utf16 else self._byte_lines()
        header_line, self._header_number = self._first_line()
        self._delimiter = sniff_delimiter(header_line)
        header = next(csv.reader([header_line], delimiter=self._delimiter), [])
        self._use_header(header, day_first=self._delimiter == ";")

    @property
    def delimiter(self) -> str:
        return self._delimiter

    @property
    def bytes_read(self) -> int:
        return self._file.tell()

    @property
    def encoding(self) -> str:
        if self._utf16:
            return "UTF-16"
        if self.fallback_lines:
            return "Windows-1252"
        return "UTF-8 with BOM" if self.bom else "UTF-8"

    def rejects_format(self) -> TextFormat:
        """The file's own: its encoding (as far as read) and its delimiter."""
        if self._utf16:
            codec = "utf-16"
        elif self.fallback_lines:
            codec = "cp1252"
        else:
            codec = "utf-8-sig" if self.bom else "utf-8"
        return TextFormat(codec, self._delimiter)

    def _byte_lines(self) -> Iterator[str]:
        first = True
        # Lines are read a block at a time: per-line bookkeeping in a generator
        # cost more than decoding them. Progress moves by blocks.
        while block := self._file.readlines(_BLOCK_BYTES):
            if first and block[0].startswith(codecs.BOM_UTF8):
                self.bom = True
                block[0] = block[0][len(codecs.BOM_UTF8) :]
            first = False
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
        yield from io.TextIOWrapper(self._file, encoding="utf-16", newline="")

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
        reader = csv.reader(self._lines, delimiter=self._delimiter)
        offset = self._header_number
        previous_end = 0
        contact = self._contact
        for cells in reader:
            line = offset + previous_end + 1
            previous_end = reader.line_num
            if _blank(cells):
                self.blank_lines += 1
                continue
            yield SourceRow(line, cells, contact(cells))
