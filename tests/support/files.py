"""Spreadsheet exports as people send them, written into a test's tmp_path."""

from __future__ import annotations

from pathlib import Path

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
