"""Opening a file to import, whatever it is: told by its first bytes, not its name.

- a zip holding ``xl/workbook.xml`` is an Excel workbook (``.xlsx``, ``.xlsm``);
- an OLE2 container is a legacy ``.xls`` (or a password-protected workbook),
  another zip an OpenDocument sheet, a Word file or ``.xlsb``, and a page of
  HTML or XML something a web application called "Excel": all refused with
  one line saying to save the file as ``.xlsx`` or CSV;
- anything else is read as CSV or TSV text.

:func:`open_source` reads from any binary file object, so a server can hand it
an upload; :func:`open_path` opens a file on disk and closes it with the source.
"""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import IO

from carnet.importer.csvfile import CsvSource
from carnet.importer.problems import UnreadableFile
from carnet.importer.source import CountingReader, ReadOptions, Source
from carnet.importer.workbook import SAVE_AS, XlsxSource

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"

_BUFFER_BYTES = 64 * 1024


def _size(file: IO[bytes]) -> int | None:
    """The file's size in bytes, when it can be known without reading it."""
    try:
        return os.fstat(file.fileno()).st_size
    except (OSError, AttributeError, io.UnsupportedOperation):
        pass
    if file.seekable():
        here = file.tell()
        end = file.seek(0, io.SEEK_END)
        file.seek(here)
        return end - here
    return None


def _zip_kind(file: IO[bytes]) -> str:
    """``"xlsx"`` when the zip is an Excel workbook, else what it seems to be."""
    start = file.tell()
    try:
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return "a damaged zip file"
    finally:
        file.seek(start)
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "xl/workbook.bin" in names:
        return "an Excel binary workbook (.xlsb)"
    if "mimetype" in names or "content.xml" in names:
        return "an OpenDocument file (.ods)"
    return "a zip file, not an Excel workbook"


def open_source(file: IO[bytes], name: str, options: ReadOptions | None = None) -> Source:
    """The rows of ``file`` (CSV, TSV or ``.xlsx``), header read and mapped.

    ``name`` is only for messages and reports. The caller keeps ``file`` and
    closes it after the source. A workbook needs a seekable file (a zip's
    index is at its end); text is read as a stream. Raises
    :class:`~carnet.importer.problems.SourceError` (one line, saying what to
    do) when the file cannot be imported.
    """
    options = options or ReadOptions()
    size = _size(file)
    counting = CountingReader(file)
    buffered = io.BufferedReader(counting, _BUFFER_BYTES)
    start = buffered.peek(len(OLE2))[: len(OLE2)]
    if start == OLE2:
        raise UnreadableFile(
            f"{name} is a legacy Excel workbook (.xls) or a protected one: {SAVE_AS}"
        )
    if start.startswith(ZIP):
        if not file.seekable():
            raise UnreadableFile(f"{name}: a workbook must be read from a file that can seek")
        file.seek(file.tell() - counting.count)  # back to where the peek started
        kind = _zip_kind(file)
        if kind != "xlsx":
            raise UnreadableFile(f"{name} is {kind}: {SAVE_AS}")
        return XlsxSource(file, name, options, size)
    if buffered.peek(64).lstrip()[:1] == b"<":
        raise UnreadableFile(f"{name} is an HTML or XML page, not a spreadsheet: {SAVE_AS}")
    return CsvSource(buffered, name, options, size)


def open_path(path: Path | str, options: ReadOptions | None = None) -> Source:
    """:func:`open_source` on a file on disk, closed with the source."""
    path = Path(path)
    file = path.open("rb")
    try:
        source = open_source(file, path.name, options)
    except BaseException:
        file.close()
        raise
    source.close_after(file.close)
    return source
