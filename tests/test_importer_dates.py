"""Dates as spreadsheets write them, read to YYYY-MM-DD; and the import that refused
rows with valid numbers only for their birth date."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import httpx
import pytest

from carnet import AsyncClient
from carnet.http.app import create_app
from carnet.importer import ImportReport, ReadOptions, SourceError, import_file, open_path
from carnet.importer.dates import DateReader
from carnet.settings import Settings
from carnet.storage import Store
from support.files import FRENCH_DATES, write_french_export

DAY_FIRST = DateReader(order="dmy", today=date(2025, 6, 1))


@pytest.mark.parametrize(
    ("written", "read"),
    [
        ("14/07/85", "1985-07-14"),
        ("14/07/1985", "1985-07-14"),
        ("14.07.1985", "1985-07-14"),
        ("14-07-1985", "1985-07-14"),
        ("1/2/1990", "1990-02-01"),
        ("14/07/1985 00:00", "1985-07-14"),
        ("1 janv. 1990", "1990-01-01"),
        ("1er janvier 1990", "1990-01-01"),
        ("3 Févr. 2001", "2001-02-03"),
        ("14-juil.-85", "1985-07-14"),
        ("15 août 1977", "1977-08-15"),
        ("July 14, 1985", "1985-07-14"),
        ("14 Jul 1985", "1985-07-14"),
        ("1990-02-28", "1990-02-28"),
        ("1990/2/28", "1990-02-28"),
        ("1990-02-28 00:00:00", "1990-02-28"),
        ("1990-02-28T10:30:00", "1990-02-28"),
        # Sent as written, for the server to refuse with dateInvalide.
        ("31/02/1991", "31/02/1991"),
        ("1990-02-30", "1990-02-30"),
        ("32 janv. 1990", "32 janv. 1990"),
        ("next tuesday", "next tuesday"),
        ("14/07", "14/07"),
        # No date at all.
        ("0/0/00", ""),
        ("00/00/0000", ""),
    ],
)
def test_day_first_dates(written: str, read: str) -> None:
    assert DAY_FIRST(written) == read


def test_two_digit_years_are_resolved_to_the_past() -> None:
    assert DAY_FIRST("01/01/25") == "2025-01-01"  # this year
    assert DAY_FIRST("01/01/26") == "1926-01-01"  # next year's would be in the future
    assert DAY_FIRST("01/01/00") == "2000-01-01"
    today = date.today()
    next_year = f"{(today.year + 1) % 100:02d}"
    assert DateReader(order="dmy")(f"01/01/{next_year}").startswith(str(today.year + 1 - 100))


@pytest.mark.parametrize(
    ("order", "written", "read"),
    [
        ("mdy", "07/14/1985", "1985-07-14"),
        ("mdy", "14/07/1985", "14/07/1985"),
        ("ymd", "85/07/14", "1985-07-14"),
        ("any", "13/02/1990", "1990-02-13"),
        ("any", "02/13/1990", "1990-02-13"),
        ("any", "03/03/1990", "1990-03-03"),
        ("any", "03/04/1990", "03/04/1990"),  # either: not guessed
    ],
)
def test_other_orders(order: str, written: str, read: str) -> None:
    assert DateReader(order=order, today=date(2025, 6, 1))(written) == read


def test_a_strftime_pattern() -> None:
    reader = DateReader.choose("%Y%m%d", day_first=False)
    assert reader("19850714") == "1985-07-14"
    assert reader("19850231") == "19850231"
    short = DateReader.choose("%d%m%y", day_first=False)
    assert short("140785") == "1985-07-14"
    assert short("010180") == "1980-01-01"


@pytest.mark.parametrize("choice", ["dym", "%Q", "european"])
def test_an_unknown_date_format_is_refused(choice: str) -> None:
    with pytest.raises(SourceError, match="--date-format"):
        DateReader.choose(choice, day_first=True)


def test_auto_is_day_first_for_semicolons_and_french_headers(tmp_path: Path) -> None:
    files = {
        "semicolon.csv": "phone;date\n0612345678;03/04/1990\n",
        "french.csv": "Portable,Date de naissance\n0612345678,03/04/1990\n",
        "english.csv": "phone,birthday\n0612345678,03/04/1990\n",
    }
    read = {}
    for name, text in files.items():
        (tmp_path / name).write_text(text)
        with open_path(tmp_path / name) as source:
            read[name] = next(iter(source)).contact["date"]
    assert read == {
        "semicolon.csv": "1990-04-03",
        "french.csv": "1990-04-03",
        "english.csv": "03/04/1990",  # a reading is not guessed: refused, and the report says so
    }
    with open_path(tmp_path / "english.csv", ReadOptions(date_format="mdy")) as source:
        assert next(iter(source)).contact["date"] == "1990-03-04"
        assert source.describe()[-1] == "Dates read month first (07/14/1985)"


def test_french_dates_are_imported_and_impossible_ones_refused(
    store: Store, key: str, settings: Settings, tmp_path: Path
) -> None:
    # Before, every row here with a date was refused for it, though its number was valid.
    path = write_french_export(tmp_path)
    app = create_app(settings, store=store)

    async def scenario() -> tuple[ImportReport, dict[str, str]]:
        transport = httpx.ASGITransport(app)
        async with AsyncClient(key, "http://carnet", transport=transport) as client:
            group = await client.add_group("Clients")
            with open_path(path) as source:
                report = await import_file(client, group.id, source)
                assert (source.encoding, source.delimiter) == ("Windows-1252", ";")
            stored = {c.phone: c.date or "" async for c in client.iter_contacts(group.id)}
            return report, stored

    report, stored = asyncio.run(scenario())
    assert (report.rows, report.imported, report.refused) == (6, 5, {"dateInvalide": 1})
    assert stored == FRENCH_DATES
