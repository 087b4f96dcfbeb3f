"""An Excel workbook (``.xlsx``) as a stream of rows: one sheet, read as it goes.

openpyxl's read-only mode parses the sheet's XML as it is consumed, so memory
holds a row at a time (and the workbook's table of distinct texts, which Excel
keeps apart from the sheet). The first sheet is read unless ``sheet`` names
another. Cells become text as Excel shows them in a CSV export, except dates:
a date cell is ``YYYY-MM-DD``, and a whole number stays whole (``612345678``,
not ``612345678.0``).

Progress is counted in rows of the sheet, against the number of rows the sheet
declares (Excel declares it): the file's bytes are compressed, and the sheet
is only part of them. A sheet that declares no size (or a single row) is
followed by the bytes of the file read instead, which move while the sheet is
read and reach the end when it is done.
"""

from __future__ import annotations

import warnings
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from typing import IO, Any

from carnet.importer.problems import UnreadableFile
from carnet.importer.source import EXCEL, ReadOptions, Source, SourceRow, TextFormat

SAVE_AS = "save it as .xlsx or CSV"


def cell_text(value: Any) -> str:
    """A cell's value as text: dates ISO 8601, whole numbers without ``.0``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


class XlsxSource(Source):
    """One sheet of an ``.xlsx`` workbook with a header row; iterate for its rows."""

    kind = "xlsx"

    def __init__(self, file: IO[bytes], name: str, options: ReadOptions, size: int | None) -> None:
        # Imported here: a CSV import (most of them) starts without openpyxl's modules.
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        super().__init__(name, options, size)
        self._file = file
        self._finished = False
        with warnings.catch_warnings():
            # openpyxl warns about styles and extensions it leaves out; the cells are read.
            warnings.simplefilter("ignore")
            try:
                book = openpyxl.load_workbook(
                    file, read_only=True, data_only=True, keep_links=False
                )
            except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
                reason = " ".join(str(exc).split()) or type(exc).__name__
                message = f"{name}: not a readable .xlsx workbook ({reason}): {SAVE_AS}"
                raise UnreadableFile(message) from None
        self._closers.append(book.close)
        names = book.sheetnames
        if options.sheet is None:
            sheet = book.worksheets[0]
        elif options.sheet in names:
            sheet = book[options.sheet]
        else:
            shown = ", ".join(repr(n) for n in names)
            raise UnreadableFile(f"{name}: no sheet {options.sheet!r}; its sheets: {shown}")
        self.sheet: str = sheet.title
        declared = getattr(sheet, "max_row", None)
        self._declared_rows: int | None = declared if declared and declared > 1 else None
        self.progress_unit = "rows" if self._declared_rows else "bytes"
        if hasattr(sheet, "reset_dimensions"):
            # Some programs declare a size smaller than the sheet: read every row anyway.
            sheet.reset_dimensions()
        self._values = sheet.iter_rows(values_only=True)
        self.row_number = 0
        header = self._first_row()
        self._use_header(header, day_first=False)

    @property
    def bytes_read(self) -> int:
        """How far into the file the sheet has been read (all of it once done)."""
        if self._finished or self._file.closed:
            return self.size or 0
        return min(self._file.tell(), self.size or 0)

    @property
    def progress_done(self) -> int:
        return self.row_number if self._declared_rows else self.bytes_read

    @property
    def progress_total(self) -> int | None:
        if self._declared_rows is None:
            return self.size
        return max(self._declared_rows, self.row_number)

    def rejects_format(self) -> TextFormat:
        return EXCEL

    def _cells(self) -> Iterator[list[str]]:
        for values in self._values:
            self.row_number += 1
            yield [cell_text(v) for v in values]
        self._finished = True

    def _first_row(self) -> list[str]:
        self._rows = self._cells()
        for cells in self._rows:
            if any(c.strip() for c in cells):
                return cells
            self.blank_lines += 1
        return []

    def __iter__(self) -> Iterator[SourceRow]:
        contact = self._contact
        for cells in self._rows:
            if not "".join(cells).strip():
                self.blank_lines += 1
                continue
            yield SourceRow(self.row_number, cells, contact(cells))
