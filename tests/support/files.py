"""Spreadsheet exports as people send them, written into a test's tmp_path."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl

# UTF-8 with BOM, ';', French headers in mixed case, CRLF, blank lines, one
# row per bucket. Before the import, 0699999999 is on the stop list and
# 0633333333 is already in the group.
MESSY_LINES = [
    "Téléphone;Prénom;NOM;Société;Birthday;custom1",
    "06 12 34 56 78;Zoé;Durand;ACME;28/02/1990;vip",
    "",
    ";;;;;",
    "abc;X;Y;;;",
    "0699999999;Stop;P;;;",
    "+33 6 12 34 56 78;Dup;D;;;",
    "+4915123456789;Jonas;;;1990-02-30;",
    ";NoPhone;;;;",
    "0611111111;" + "x" * 40 + ";;;;",
    '0622222222;"Ok; quoted";;;;',
    "0633333333;Already;;;;",
]
MESSY_REPORT = {
    "rows": 9,
    "imported": 2,
    "updated": 0,
    "refused": 7,
    "blankLines": 2,
    "errors": {
        "invalidePhone": 1,
        "stopSms": 1,
        "duplicatePhone": 1,
        "dateInvalide": 1,
        "empty": 1,
        "invalidField": 1,
        "allreadyInGroupe": 1,
        "tooLarge": 0,
    },
}
STOPPED = "0699999999"
ALREADY_THERE = "0633333333"


def expected_errors() -> dict[str, int]:
    return {k: v for k, v in MESSY_REPORT["errors"].items() if v}  # type: ignore[attr-defined]


def write_messy(tmp_path: Path) -> Path:
    path = tmp_path / "messy.csv"
    path.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(MESSY_LINES).encode("utf-8") + b"\r\n")
    return path


def write_latin1(tmp_path: Path) -> Path:
    """Windows-1252, ',' and the € sign that Latin-1 lacks."""
    path = tmp_path / "latin1.csv"
    text = "Portable,Prénom,Nom,Custom1\n0612345678,Élodie,Lefèvre,5€\n0687654321,Zoë,Noël,\n"
    path.write_bytes(text.encode("cp1252"))
    return path


def write_utf16_tsv(tmp_path: Path) -> Path:
    """Excel's "Unicode text": UTF-16 with BOM, tab-separated."""
    path = tmp_path / "contacts.txt"
    text = "mobile\tfirst_name\tlast_name\r\n0612345678\tAnaïs\tMüller\r\n"
    path.write_bytes(text.encode("utf-16"))
    return path


# A French small business's export: Windows-1252, ';', CRLF, headers carnet
# refused or ignored before, dates as French spreadsheets write them.
FRENCH_LINES = [
    "N° de téléphone;Prénom;Nom;Date naissance;Société",
    "06 12 34 56 78;Zoé;Lefèvre;14/07/85;Café Noël",
    "06 12 34 56 79;Jean;Martin;14/07/1985;",
    "06 12 34 56 80;Léa;Moreau;1 janv. 1990;",
    "06 12 34 56 81;Hugo;Roux;31/02/1991;",
    "06 12 34 56 82;Inès;Petit;;",
    "06 12 34 56 83;Noé;Bernard;3 févr. 2001;",
]
# The dates stored, by number; 31/02/1991 is refused (dateInvalide).
FRENCH_DATES = {
    "+33612345678": "1985-07-14",
    "+33612345679": "1985-07-14",
    "+33612345680": "1990-01-01",
    "+33612345682": "",
    "+33612345683": "2001-02-03",
}


def write_french_export(tmp_path: Path, name: str = "clients.csv") -> Path:
    path = tmp_path / name
    path.write_bytes("\r\n".join(FRENCH_LINES).encode("cp1252") + b"\r\n")
    return path


def write_workbook(tmp_path: Path, sheets: dict[str, list[list[Any]]], name: str) -> Path:
    """An .xlsx as Excel saves one, written by openpyxl: a ``date`` in a row is a
    real date cell (a number with a date format), not text."""
    book = openpyxl.Workbook()
    first = book.active
    assert first is not None
    book.remove(first)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    path = tmp_path / name
    book.save(path)
    return path


# A workbook like the French export above, with date cells and a number typed
# as a number (Excel drops its leading 0).
WORKBOOK_ROWS: list[list[Any]] = [
    ["Téléphone mobile", "Prénom", "Nom", "Date naissance", "Notes"],
    ["06 12 34 56 78", "Zoé", "Lefèvre", date(1985, 7, 14), "vip"],
    [612345679, "Jean", "Martin", datetime(1990, 1, 1), None],
    [None, None, None, None, None],
    ["06 12 34 56 80", "Léa", "Moreau", "14/07/85", None],
    ["06 12 34 56 81", "Hugo", "Roux", "31/02/1991", None],
    ["not a number", "Bad", "Row", None, None],
]


def write_french_workbook(tmp_path: Path, name: str = "clients.xlsx") -> Path:
    other = [["Tel 1", "Nom"], ["0699999998", "Autre"]]
    return write_workbook(tmp_path, {"Clients": WORKBOOK_ROWS, "Archives": other}, name)


# Google Contacts' "Google CSV" and Outlook's CSV export, as they name columns.
GOOGLE_CONTACTS = (
    "First Name,Middle Name,Last Name,Phonetic First Name,Nickname,Birthday,Notes,"
    "E-mail 1 - Label,E-mail 1 - Value,Phone 1 - Label,Phone 1 - Value,"
    "Phone 2 - Label,Phone 2 - Value\n"
    "Zoé,,Durand,,,1985-07-14,,* Home,zoe@example.org,Mobile,+33 6 12 34 56 78,"
    "Work,+33 1 23 45 67 89\n"
)
OUTLOOK_CONTACTS = (
    '"First Name","Middle Name","Last Name","Title","E-mail Address","Home Phone",'
    '"Business Phone","Mobile Phone","Birthday"\r\n'
    '"Jane","","Doe","","jane@example.org","+44 20 7946 0000","","+44 7911 123456","7/14/1985"\r\n'
    '"John","","Roe","","","","","+44 7911 123457","0/0/00"\r\n'
)
