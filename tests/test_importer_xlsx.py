"""Excel workbooks read directly, and the files that are not spreadsheets carnet reads."""

from __future__ import annotations

import asyncio
import csv
import io
import re
import zipfile
from pathlib import Path

import httpx
import openpyxl
import pytest

from carnet import AsyncClient
from carnet.http.app import create_app
from carnet.importer import (
    ImportReport,
    ReadOptions,
    UnreadableFile,
    import_file,
    open_path,
    open_source,
)
from carnet.settings import Settings
from carnet.storage import Store
from support.files import WORKBOOK_ROWS, write_french_workbook, write_workbook


def test_a_workbook_is_read_with_its_date_cells(tmp_path: Path) -> None:
    with open_path(write_french_workbook(tmp_path)) as source:
        assert (source.kind, source.sheet) == ("xlsx", "Clients")  # the first sheet
        assert source.header == WORKBOOK_ROWS[0]
        assert (source.progress_unit, source.progress_total) == ("rows", len(WORKBOOK_ROWS))
        rows = list(source)
        assert source.blank_lines == 1
        assert source.progress_done == len(WORKBOOK_ROWS)
        assert source.bytes_read == source.size
    assert [r.line for r in rows] == [2, 3, 5, 6, 7]  # the sheet's row numbers
    assert [r.contact for r in rows[:4]] == [
        {"phoneNumber": "06 12 34 56 78", "firstname": "Zoé", "lastname": "Lefèvre",
         "date": "1985-07-14"},
        # A number typed as a number (the server reads 612345678 as 0612345678).
        {"phoneNumber": "612345679", "firstname": "Jean", "lastname": "Martin",
         "date": "1990-01-01"},
        # A date typed as text, day first as the French headers say.
        {"phoneNumber": "06 12 34 56 80", "firstname": "Léa", "lastname": "Moreau",
         "date": "1985-07-14"},
        {"phoneNumber": "06 12 34 56 81", "firstname": "Hugo", "lastname": "Roux",
         "date": "31/02/1991"},
    ]  # fmt: skip
    assert rows[0].cells == ["06 12 34 56 78", "Zoé", "Lefèvre", "1985-07-14", "vip"]


def test_another_sheet_by_name(tmp_path: Path) -> None:
    path = write_french_workbook(tmp_path)
    with open_path(path, ReadOptions(sheet="Archives")) as source:
        assert [r.contact for r in source] == [{"phoneNumber": "0699999998", "lastname": "Autre"}]
    sheets = "no sheet 'Feuil1'; its sheets: 'Clients', 'Archives'"
    with pytest.raises(UnreadableFile, match=sheets):
        open_path(path, ReadOptions(sheet="Feuil1"))


def test_a_sheet_that_declares_a_wrong_size_is_read_whole(tmp_path: Path) -> None:
    # Some programs write <dimension ref="A1"/> whatever the sheet holds; read-only
    # openpyxl would stop after that row.
    rows = [["phone"], *([f"+3361{i:07d}"] for i in range(30))]
    good = write_workbook(tmp_path, {"S": rows}, "good.xlsx")
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data, count = re.subn(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
                assert count == 1
            dst.writestr(item, data)
    with open_path(bad) as source:
        assert len(list(source)) == 30
        assert source.progress_unit == "bytes"  # no size to count rows against


def test_a_workbook_is_told_by_its_bytes_not_its_name(tmp_path: Path) -> None:
    workbook = write_french_workbook(tmp_path, "export.csv")
    with open_path(workbook) as source:
        assert source.kind == "xlsx"
    text = tmp_path / "contacts.xlsx"
    text.write_text("phone;prenom\n0612345678;Ana\n")
    with open_path(text) as source:
        assert (source.kind, source.delimiter) == ("CSV", ";")


def _zip(path: Path, names: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in names.items():
            archive.writestr(name, content)
    return path


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
         "old.xls is a legacy Excel workbook (.xls) or a protected one: save it as .xlsx or CSV"),
        ("sheet.ods", {"mimetype": "application/vnd.oasis.opendocument.spreadsheet"},
         "sheet.ods is an OpenDocument file (.ods): save it as .xlsx or CSV"),
        ("letter.docx", {"word/document.xml": "<w/>"},
         "letter.docx is a zip file, not an Excel workbook: save it as .xlsx or CSV"),
        ("broken.xlsx", {"xl/workbook.xml": "not xml"},
         "broken.xlsx: not a readable .xlsx workbook"),
        ("report.xls", b"<html><body><table><tr><td>Tel</td></tr></table></body></html>",
         "report.xls is an HTML or XML page, not a spreadsheet: save it as .xlsx or CSV"),
    ],
)  # fmt: skip
def test_files_that_are_not_spreadsheets_carnet_reads(
    tmp_path: Path, name: str, content: bytes | dict[str, str], message: str
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        _zip(path, content)
    with pytest.raises(UnreadableFile) as refused:
        open_path(path)
    assert str(refused.value).startswith(message)
    assert "\n" not in str(refused.value)


class _Stream(io.RawIOBase):
    """An upload as a server receives it: read in pieces, no seeking."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        piece = self._data.read(min(len(buffer), 1000))
        buffer[: len(piece)] = piece
        return len(piece)


def test_sources_open_from_file_objects(tmp_path: Path) -> None:
    text = "\ufeffTel;Date naissance\r\n06 12 34 56 78;14/07/85\r\n".encode()
    with open_source(_Stream(text), "upload.csv") as source:  # type: ignore[arg-type]
        assert [r.contact for r in source] == [
            {"phoneNumber": "06 12 34 56 78", "date": "1985-07-14"}
        ]
        assert (source.size, source.bytes_read) == (None, len(text))
    book = write_french_workbook(tmp_path).read_bytes()
    with open_source(io.BytesIO(book), "upload.xlsx") as source:
        assert sum(1 for _ in source) == 5
        assert source.size == len(book)
    with pytest.raises(UnreadableFile, match="a workbook must be read from a file that can seek"):
        open_source(_Stream(book), "upload.xlsx")  # type: ignore[arg-type]


def test_a_large_sheet_is_streamed(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["phone", "custom1"])
    for i in range(40_000):
        sheet.append([f"+3361{i:07d}", i])
    path = tmp_path / "big.xlsx"
    book.save(path)
    with open_path(path) as source:
        rows = iter(source)
        next(rows)
        # One row read means a little of the sheet, not all of it.
        assert source.bytes_read < (source.size or 0) // 10
        assert sum(1 for _ in rows) == 39_999


def test_a_workbook_import_reports_its_sheet_and_writes_rejects_for_excel(
    store: Store, key: str, settings: Settings, tmp_path: Path
) -> None:
    app = create_app(settings, store=store)
    rejects = tmp_path / "refused.csv"

    async def scenario() -> ImportReport:
        transport = httpx.ASGITransport(app)
        async with AsyncClient(key, "http://carnet", transport=transport) as client:
            group = await client.add_group("Clients")
            with open_path(write_french_workbook(tmp_path)) as source:
                report = await import_file(client, group.id, source, rejects=rejects)
            phones = {c.phone: c.date async for c in client.iter_contacts(group.id)}
            assert phones == {
                "+33612345678": "1985-07-14",
                "+33612345679": "1990-01-01",
                "+33612345680": "1985-07-14",
            }
            return report

    report = asyncio.run(scenario())
    summary = report.as_dict()
    assert (summary["format"], summary["sheet"], summary["blankLines"]) == ("xlsx", "Clients", 1)
    assert (summary["rows"], summary["imported"], summary["refused"]) == (5, 3, 2)
    assert summary["errors"] == {"invalidePhone": 1, "dateInvalide": 1}
    first = "clients.xlsx: 5 row(s) read (sheet 'Clients', 1 blank row(s) skipped)"
    assert report.lines()[0] == first
    raw = rejects.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    refused = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert refused[0] == [*WORKBOOK_ROWS[0], "carnet_line", "carnet_code", "carnet_reason"]
    assert [(r[0], r[5], r[6]) for r in refused[1:]] == [
        ("06 12 34 56 81", "6", "16"),
        ("not a number", "7", "9"),
    ]
