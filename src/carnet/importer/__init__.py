"""Importing spreadsheets: rows in (CSV/TSV in any common dialect, ``.xlsx``),
header names and dates as people write them, batches out through
:class:`carnet.AsyncClient`, a report that adds up."""

from __future__ import annotations

from carnet.importer.columns import mapping_from, parse_map
from carnet.importer.opening import open_path, open_source
from carnet.importer.problems import HeaderError, SourceError, UnreadableFile
from carnet.importer.report import ImportReport
from carnet.importer.run import ImportStopped, import_file
from carnet.importer.source import EXCEL, ReadOptions, Source, SourceRow, TextFormat

__all__ = [
    "EXCEL",
    "HeaderError",
    "ImportReport",
    "ImportStopped",
    "ReadOptions",
    "Source",
    "SourceError",
    "SourceRow",
    "TextFormat",
    "UnreadableFile",
    "import_file",
    "mapping_from",
    "open_path",
    "open_source",
    "parse_map",
]
