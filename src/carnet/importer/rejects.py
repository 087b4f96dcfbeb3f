"""The refused rows of an import, written as they come, ready to fix and import again.

Each refused row keeps the file's own header and cells, plus its line, code
and reason. The file is written like the one imported (same encoding and
delimiter, as far as the import has read it when the first row is refused),
or for Excel (UTF-8 with a BOM, ``;``) when asked, and always for a workbook.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from carnet import contract
from carnet.client.models import RowResult
from carnet.importer.source import SourceRow, TextFormat

ALREADY_IN_GROUP = "allreadyInGroupe"
_ALREADY_CODE = dict(contract.BUCKET_ORDER)[ALREADY_IN_GROUP]


def already_in_group(results: Sequence[RowResult]) -> list[bool]:
    """Which rows of one batch's answer landed in ``allreadyInGroupe``.

    Rows give only a code, and ``duplicatePhone`` shares it: a refused row is a
    duplicate when an earlier row of the same batch with its number was stored
    (SPEC §4), and was in the group already otherwise.
    """
    stored: set[str] = set()
    flags = []
    for result in results:
        if result.success:
            stored.add(result.phone_number)
        flags.append(
            not result.success
            and result.code == _ALREADY_CODE
            and result.phone_number not in stored
        )
    return flags


# The columns a warnings file adds to the file's own (see ``--keep-invalid-optional``).
WARNING_COLUMNS = ("carnet_line", "carnet_field", "carnet_reason")


class RejectsWriter:
    """Writes refused rows to ``path`` as they come; the file is created at once."""

    EXTRA: tuple[str, ...] = ("carnet_line", "carnet_code", "carnet_reason")

    def __init__(
        self,
        path: Path,
        header: list[str],
        text_format: TextFormat | Callable[[], TextFormat],
        extra: tuple[str, ...] = EXTRA,
    ) -> None:
        """``text_format``, or the function that gives it, is read at the first row.

        ``extra`` names the columns added after the file's own.
        """
        self.EXTRA = extra
        self._width = len(header)
        self._header = header
        self._format = text_format
        self._file = path.open("wb")  # fails here, before the import, when it cannot be written
        self._text: io.TextIOWrapper | None = None
        self._csv: Any = None  # a csv writer, made at the first row
        self.written = 0

    def _writer(self) -> Any:
        if self._csv is None:
            chosen = self._format() if callable(self._format) else self._format
            # A cell the chosen encoding cannot hold (a mixed file) becomes '?'.
            self._text = io.TextIOWrapper(
                self._file, encoding=chosen.encoding, errors="replace", newline=""
            )
            self._csv = csv.writer(self._text, delimiter=chosen.delimiter)
            self._csv.writerow([*self._header, *self.EXTRA])
        return self._csv

    def write(self, row: SourceRow, code: int | str, reason: str) -> None:
        cells = (row.cells + [""] * self._width)[: self._width]
        self._writer().writerow([*cells, row.line, code, reason])
        self.written += 1

    def write_warnings(self, rows: list[SourceRow], results: list[RowResult]) -> None:
        """The rows of one batch stored without some optional field: which fields, and why."""
        for row, result in zip(rows, results, strict=False):
            if result.success and result.warnings:
                fields = ", ".join(w.field for w in result.warnings)
                reasons = "; ".join(f"{w.field}: {w.message}" for w in result.warnings)
                self.write(row, fields, reasons)

    def write_results(
        self, rows: list[SourceRow], results: list[RowResult], *, skip_existing: bool = False
    ) -> None:
        """The refused rows of one batch; with ``skip_existing``, not those already in the group."""
        skipped = already_in_group(results) if skip_existing else [False] * len(results)
        for row, result, skip in zip(rows, results, skipped, strict=False):
            if not result.success and not skip:
                self.write(row, result.code, result.message)

    def close(self) -> None:
        self._writer()  # the header, even when no row was refused
        if self._text is not None:
            self._text.close()
        self._file.close()
