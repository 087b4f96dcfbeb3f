"""Importing spreadsheet exports: rows in (CSV/TSV sniffing, header aliases),
batches out through :class:`carnet.AsyncClient`, a report that adds up."""

from __future__ import annotations

from carnet.importer.columns import HeaderError
from carnet.importer.report import ImportReport
from carnet.importer.run import ImportStopped, import_file
from carnet.importer.source import CsvSource, SourceRow

__all__ = ["CsvSource", "HeaderError", "ImportReport", "ImportStopped", "SourceRow", "import_file"]
