"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="CARNET_DATABASE_URL",
        help="SQLAlchemy URL of the database [default: sqlite:///carnet.db]",
        show_default=False,
    ),
]

Excel = Annotated[
    bool,
    typer.Option(
        "--excel",
        help="Write CSV for Excel: UTF-8 with a byte-order mark and ';' between cells",
    ),
]

# `carnet import`'s options for reading a file.
Sheet = Annotated[
    str | None,
    typer.Option(metavar="NAME", help="Sheet of an .xlsx workbook to read [default: the first]"),
]
ColumnMap = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        metavar="COLUMN=FIELD",
        help=(
            "Read COLUMN as FIELD (phoneNumber, firstname, lastname, date, url, "
            "shortUrlPartnr, custom1..custom4, or an attribute such as phone, short_url; "
            "- to leave the column out); repeat for several columns"
        ),
    ),
]
PhoneColumn = Annotated[
    str | None,
    typer.Option(
        metavar="NAME", help='The column holding the numbers (same as --map "NAME=phone")'
    ),
]
DateFormat = Annotated[
    str,
    typer.Option(
        metavar="FORMAT",
        help=(
            "How dates are written: dmy (14/07/1985), mdy (07/14/1985), ymd, any (the reading "
            "that alone makes a date), or a pattern such as %d/%m/%Y; auto: dmy for ';'-"
            "separated files and French headers, any otherwise"
        ),
    ),
]
SkipExisting = Annotated[
    bool,
    typer.Option(
        "--skip-existing",
        help="Count numbers already in the group as skipped, not refused (to resume an import)",
    ),
]
DryRun = Annotated[
    bool,
    typer.Option(
        "--dry-run",
        help="Judge every row as the import would (stop list, group, repeats) and store nothing",
    ),
]
KeepInvalidOptional = Annotated[
    bool,
    typer.Option(
        "--keep-invalid-optional",
        help=(
            "Import a row whose number is valid without its optional fields that break "
            "their rule (a bad date, url, a name too long), listing it as a warning"
        ),
    ),
]
Upsert = Annotated[
    bool,
    typer.Option(
        "--upsert",
        help=(
            "Update a contact whose number the group holds with the row's non-empty fields, "
            "instead of refusing the row (counted as updated)"
        ),
    ),
]
Warnings = Annotated[
    Path | None,
    typer.Option(
        "--warnings",
        metavar="FILE",
        help=(
            "With --keep-invalid-optional, write the rows imported without a field to this "
            "CSV file, with the field and why [default: beside --rejects, NAME-warnings.csv]"
        ),
    ),
]
