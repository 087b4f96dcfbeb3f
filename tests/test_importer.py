"""Reading spreadsheet exports, and importing them through the client into the real app."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path
from typing import Any

import httpx
import pytest

from carnet import AsyncClient
from carnet.http.app import create_app
from carnet.importer import HeaderError, ImportStopped, import_file, open_path
from carnet.importer.columns import field_for
from carnet.settings import Settings
from carnet.storage import Store
from support.files import (
    ALREADY_THERE,
    MESSY_REPORT,
    STOPPED,
    expected_errors,
    write_latin1,
    write_messy,
    write_utf16_tsv,
)

# -- reading ------------------------------------------------------------------


def test_messy_file_is_read_with_its_dialect(tmp_path: Path) -> None:
    with open_path(write_messy(tmp_path)) as source:
        rows = list(source)
        assert source.delimiter == ";"
        assert source.encoding == "UTF-8 with BOM"
        assert source.header[0] == "Téléphone"  # no BOM left in the first name
        assert source.ignored == ["Société"]
        assert source.blank_lines == 2
        assert source.bytes_read == source.size
    assert len(rows) == 9
    first = rows[0]
    assert first.line == 2
    assert first.contact == {
        "phoneNumber": "06 12 34 56 78",
        "firstname": "Zoé",
        "lastname": "Durand",
        "date": "1990-02-28",
        "custom1": "vip",
    }
    assert [r.line for r in rows[1:3]] == [5, 6]
    assert rows[-2].contact["firstname"] == "Ok; quoted"
    assert "phoneNumber" not in rows[5].contact  # the row without a number


def test_windows_1252_file(tmp_path: Path) -> None:
    with open_path(write_latin1(tmp_path)) as source:
        rows = [r.contact for r in source]
        assert source.encoding == "Windows-1252"
        assert source.delimiter == ","
    assert rows[0] == {
        "phoneNumber": "0612345678",
        "firstname": "Élodie",
        "lastname": "Lefèvre",
        "custom1": "5€",
    }
    assert rows[1]["lastname"] == "Noël"


def test_utf16_tab_separated_file(tmp_path: Path) -> None:
    with open_path(write_utf16_tsv(tmp_path)) as source:
        rows = [r.contact for r in source]
        assert (source.encoding, source.delimiter) == ("UTF-16", "\t")
    assert rows == [{"phoneNumber": "0612345678", "firstname": "Anaïs", "lastname": "Müller"}]


def test_quoted_cells_over_several_lines_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "multi.csv"
    path.write_text('phone,custom1\n0612345678,"two\nlines"\n0687654321,x\n')
    with open_path(path) as source:
        rows = list(source)
    assert rows[0].contact["custom1"] == "two\nlines"
    assert [r.line for r in rows] == [2, 4]


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Phone", "phoneNumber"),
        ("MOBILE", "phoneNumber"),
        ("tel", "phoneNumber"),
        ("Téléphone portable", "phoneNumber"),
        ("phone_number", "phoneNumber"),
        ("Numéro", "phoneNumber"),
        ("First Name", "firstname"),
        ("prénom", "firstname"),
        ("last-name", "lastname"),
        ("Nom", "lastname"),
        ("Date de naissance", "date"),
        ("short_url", "shortUrlPartnr"),
        ("Custom 3", "custom3"),
        ("Société", None),
        ("id", None),
    ],
)
def test_header_aliases(header: str, field: str | None) -> None:
    assert field_for(header) == field


def test_leftmost_of_two_phone_columns_is_used(tmp_path: Path) -> None:
    path = tmp_path / "two.csv"
    path.write_text("mobile,tel\n0612345678,0187654321\n")
    with open_path(path) as source:
        assert [r.contact for r in source] == [{"phoneNumber": "0612345678"}]
        assert source.ignored == ["tel"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,email\nAna,a@b.c\n", "no phone number column"),
        ("0612345678;Ana\n0687654321;Bo\n", "looks like data, not a header"),
        ("", "no phone number column"),
    ],
)
def test_a_header_without_a_phone_column_is_refused(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(HeaderError, match=message):
        open_path(path)


def test_reading_streams(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w") as out:
        out.write("phone\n")
        for i in range(50_000):
            out.write(f"+3361{i:07d}\n")
    with open_path(path) as source:
        rows = iter(source)
        next(rows)
        # One row read means a few kilobytes of the file, not all of it.
        assert source.bytes_read < source.size // 10
        assert sum(1 for _ in rows) == 49_999


# -- importing through the API, in process -------------------------------------


def importing(
    store: Store, key: str, path: Path, *, settings: Settings, prepare: bool = True, **kw: Any
) -> tuple[Any, str]:
    app = create_app(settings, store=store)

    async def scenario() -> tuple[Any, str]:
        transport = httpx.ASGITransport(app)
        async with AsyncClient(key, "http://carnet", transport=transport) as client:
            group = await client.add_group("Import")
            if prepare:
                await client.add_stop(STOPPED)
                await client.add_contact(group.id, ALREADY_THERE)
            with open_path(path) as source:
                report = await import_file(client, group.id, source, **kw)
            return report, group.id

    return asyncio.run(scenario())


def test_messy_import_gives_the_exact_report(
    store: Store, key: str, settings: Settings, tmp_path: Path
) -> None:
    rejects = tmp_path / "rejects.csv"
    report, _ = importing(store, key, write_messy(tmp_path), settings=settings, rejects=rejects)
    summary = report.as_dict()
    for name in ("rows", "imported", "updated", "refused", "blankLines"):
        assert summary[name] == MESSY_REPORT[name], name
    assert summary["errors"] == expected_errors()
    assert report.rows == report.imported + report.updated + report.refused_total
    # Written like the file read: UTF-8 with a BOM, ';' between cells.
    assert rejects.read_bytes().startswith(b"\xef\xbb\xbf")
    with rejects.open(encoding="utf-8-sig", newline="") as f:
        refused = list(csv.reader(f, delimiter=";"))
    assert refused[0] == [
        "Téléphone", "Prénom", "NOM", "Société", "Birthday", "custom1",
        "carnet_line", "carnet_code", "carnet_reason",
    ]  # fmt: skip
    assert [(r[6], r[7]) for r in refused[1:]] == [
        ("5", "9"),
        ("6", "14"),
        ("7", "15"),
        ("8", "16"),
        ("9", "2"),
        ("10", "18"),
        ("12", "15"),
    ]


def test_batches_in_flight_together_add_up(
    store: Store, key: str, settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "many.csv"
    with path.open("w") as out:
        out.write("phone;custom1\n")
        for i in range(1250):
            number = 5 if i == 1100 else i  # row 1100 repeats row 5, two batches later
            out.write(f"+3361{number:07d};{i}\n")
    seen: list[tuple[int, int]] = []
    report, _ = importing(
        store,
        key,
        path,
        settings=settings,
        prepare=False,
        concurrency=3,
        rejects=tmp_path / "r.csv",
        on_progress=lambda done, rows: seen.append((done, rows)),
    )
    assert (report.rows, report.imported, report.refused) == (1250, 1249, {"allreadyInGroupe": 1})
    assert [rows for _, rows in seen] == [500, 1000, 1250]
    assert seen[-1][0] == path.stat().st_size
    # Batches in flight together may commit in any order: whichever of rows 5
    # and 1100 arrives second is the one refused, and the only one.
    refused = (tmp_path / "r.csv").read_text().splitlines()[1:]
    assert len(refused) == 1
    assert refused[0].startswith(("+33610000005;1100;1102;15;", "+33610000005;5;7;15;"))


def test_rows_too_large_for_the_server_are_split_and_reported(
    store: Store, key: str, db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "wide.csv"
    with path.open("w") as out:
        out.write("phone,custom1,custom2,custom3,custom4\n")
        for i in range(40):
            cells = ["y" * 5000] * 4 if i == 7 else [str(i)] * 4
            out.write(",".join([f"+3361{i:07d}", *cells]) + "\n")
    small = Settings(database_url=db_url, rate_limit=0, max_body_bytes=4000)
    report, _ = importing(store, key, path, settings=small, prepare=False)
    assert (report.rows, report.imported, report.refused) == (40, 39, {"tooLarge": 1})


def test_unknown_group_stops_before_reading(
    store: Store, key: str, settings: Settings, tmp_path: Path
) -> None:
    app = create_app(settings, store=store)

    async def scenario() -> None:
        transport = httpx.ASGITransport(app)
        async with AsyncClient(key, "http://carnet", transport=transport) as client:
            with open_path(write_messy(tmp_path)) as source:
                await import_file(client, "no-such-group", source)

    with pytest.raises(ImportStopped) as stopped:
        asyncio.run(scenario())
    assert stopped.value.error.code == 404
    assert stopped.value.report.rows == 0


def test_skip_existing_counts_numbers_already_in_the_group_apart(
    store: Store, key: str, settings: Settings, tmp_path: Path
) -> None:
    # A re-run after a partial import: 0633333333 is in the group already.
    rejects = tmp_path / "rejects.csv"
    report, _ = importing(
        store, key, write_messy(tmp_path), settings=settings, rejects=rejects, skip_existing=True
    )
    assert (report.rows, report.imported, report.skipped) == (9, 2, 1)
    assert "allreadyInGroupe" not in report.refused
    assert report.refused_total == 6
    assert report.rows == report.imported + report.skipped + report.refused_total
    assert "  1 skipped, already in the group" in report.lines()
    with rejects.open(encoding="utf-8-sig", newline="") as f:
        lines_and_codes = [(r[6], r[7]) for r in list(csv.reader(f, delimiter=";"))[1:]]
    # The number repeated in the batch (line 7) is still refused; line 12 is skipped.
    assert lines_and_codes == [("5", "9"), ("6", "14"), ("7", "15"), ("8", "16"), ("9", "2"),
                               ("10", "18")]  # fmt: skip
