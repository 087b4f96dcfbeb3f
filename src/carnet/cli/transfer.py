"""``carnet import`` and ``carnet export``: spreadsheets in, CSV out, through the API."""

from __future__ import annotations

import asyncio
import io
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Annotated

import typer

from carnet.cli.failures import fail, file_problem
from carnet.cli.importing import ImportRun, print_report, warnings_file
from carnet.cli.options import (
    ColumnMap,
    DateFormat,
    DryRun,
    Excel,
    KeepInvalidOptional,
    PhoneColumn,
    Sheet,
    SkipExisting,
    Upsert,
    Warnings,
)
from carnet.cli.progress import ProgressDisplay, progress_display
from carnet.cli.remote import DEFAULT, ApiKey, Url, connect, explain, require_key
from carnet.cli.server_imports import ServerImport
from carnet.client.fields import PHONE
from carnet.client.operations import BATCH_SIZE
from carnet.errors import CarnetError
from carnet.exporter import export_group
from carnet.importer import (
    EXCEL,
    ImportStopped,
    ReadOptions,
    SourceError,
    TextFormat,
    open_path,
    parse_map,
)
from carnet.importer.dates import DateReader

Group = Annotated[
    str,
    typer.Option(
        "--group", "-g", metavar="GROUP_ID", help="Id of the group (see `carnet group list`)"
    ),
]


def import_(
    file: Annotated[
        Path,
        typer.Argument(
            exists=True,
            dir_okay=False,
            readable=True,
            metavar="FILE",
            help="CSV or TSV file, or .xlsx workbook, with a header row",
        ),
    ],
    group: Group,
    url: Url = DEFAULT,
    api_key: ApiKey = None,
    sheet: Sheet = None,
    column_map: ColumnMap = None,
    phone_column: PhoneColumn = None,
    date_format: DateFormat = "auto",
    skip_existing: SkipExisting = False,
    dry_run: DryRun = False,
    keep_invalid_optional: KeepInvalidOptional = False,
    upsert: Upsert = False,
    concurrency: Annotated[
        int,
        typer.Option(
            min=1, max=32, metavar="N", help=f"Batches of {BATCH_SIZE} rows sent at the same time"
        ),
    ] = 4,
    rejects: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help=(
                "Write every refused row to this CSV file, with its line and reason "
                "(in the file's own encoding and delimiter, unless --excel)"
            ),
        ),
    ] = None,
    warnings: Warnings = None,
    excel: Excel = False,
    silent: Annotated[
        bool, typer.Option("--silent", help="Show no progress, nor the columns read")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
    on_server: Annotated[
        bool,
        typer.Option(
            "--on-server",
            help="Upload the file and let the server import it as a job, then follow the job",
        ),
    ] = False,
    detach: Annotated[
        bool,
        typer.Option("--detach", help="With --on-server: print the job's id once uploaded"),
    ] = False,
) -> None:
    """Import contacts from a spreadsheet (CSV, TSV or .xlsx) into a group.

    Columns are found by their header (phone, mobile, tel, portable, N° de
    téléphone, prenom, nom, first_name, date de naissance, url, custom1 ...),
    or named with --map and --phone-column; which column feeds which field is
    shown before the import starts. Text files may be UTF-8, Windows-1252 or
    UTF-16, with `;`, `,` or tab between cells. Refused rows do not make the
    command fail; an unreachable server, a wrong key or an unknown group do.
    --dry-run stores nothing and reports what the import would do. --upsert
    updates the contacts whose numbers the group holds. --on-server uploads the
    file and lets the server run the import as a job.
    """
    key = require_key(api_key)
    warnings = warnings_file(warnings, rejects, keep_invalid_optional)
    try:
        mapping = parse_map(column_map or [])
        DateReader.choose(date_format, day_first=True)
    except SourceError as exc:
        raise fail(str(exc)) from None
    if phone_column is not None:
        mapping[phone_column.strip()] = PHONE.wire
    if on_server and upsert:
        raise fail("--upsert imports from this machine; it cannot be used with --on-server")
    if on_server:
        ServerImport(
            url, key, group, mapping, date_format, sheet, skip_existing, dry_run,
            keep_invalid_optional, rejects, warnings, excel,
        ).run(file, detach=detach, silent=silent, as_json=as_json)  # fmt: skip
        return
    try:
        source = open_path(file, ReadOptions(mapping, date_format, sheet))
    except SourceError as exc:
        raise fail(str(exc) if str(exc).startswith(file.name) else f"{file}: {exc}") from None
    except OSError as exc:
        raise fail(f"{file}: {exc.strerror or exc}") from None
    with source:
        if not silent:
            for line in source.describe():
                typer.echo(line, err=True)
        by_bytes = source.progress_unit == "bytes"
        display = progress_display(
            f"Importing {file.name}",
            source.progress_total or 0,
            by_bytes=by_bytes,
            silent=silent,
            unit="" if by_bytes else " sheet rows",
        )
        run = ImportRun(
            url,
            key,
            group,
            concurrency,
            rejects,
            EXCEL if excel else None,
            skip_existing,
            dry_run,
            keep_invalid_optional,
            warnings,
            upsert=upsert,
        )
        try:
            with display:
                report = asyncio.run(run.start(source, display))
        except ImportStopped as stopped:
            if stopped.report.rows:
                print_report(stopped.report, as_json, err=True)
            if stopped.report.rows and not as_json:
                typer.echo(
                    "What was imported stays: run the same command again with "
                    "--skip-existing to import the rest.",
                    err=True,
                )
            raise fail(explain(stopped.error, url)) from None
        except CarnetError as exc:
            raise fail(explain(exc, url)) from None
        except OSError as exc:  # the rejects file cannot be written
            raise fail(file_problem(exc)) from None
    print_report(report, as_json, rejects=rejects, warnings=warnings)


def export(
    group: Group,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", metavar="FILE", help="File to write [default: standard output]"
        ),
    ] = None,
    url: Url = DEFAULT,
    api_key: ApiKey = None,
    excel: Excel = False,
    silent: Annotated[bool, typer.Option("--silent", help="Show no progress")] = False,
) -> None:
    """Write every contact of a group as CSV: a header, all fields, E.164 numbers.

    Contacts are read a page at a time, so the group's size does not matter.
    Nothing is written before the group is known; with -o, the file appears
    only once complete. UTF-8 with `,` between cells, or for Excel with --excel.
    """
    text_format = EXCEL if excel else TextFormat("utf-8", ",")
    displays: list[ProgressDisplay] = []

    def on_progress(done: int, total: int) -> None:
        if not displays:
            display = progress_display("Exporting", total, by_bytes=False, silent=silent)
            displays.append(display.__enter__())
        displays[0].update(done, done)

    try:
        with _destination(output, text_format) as out, connect(url, api_key) as client:
            count = export_group(client, group, out, on_progress, delimiter=text_format.delimiter)
    finally:
        for display in displays:
            display.__exit__(*sys.exc_info())
    if output is not None:
        typer.echo(f"Exported {count} contact(s) to {output}", err=True)


@contextmanager
def _destination(output: Path | None, text_format: TextFormat) -> Iterator[IO[str]]:
    """Standard output, or ``output`` written beside it first and renamed once complete."""
    if output is None:
        if text_format.encoding == "utf-8":
            yield sys.stdout
            return
        sys.stdout.flush()
        out = io.TextIOWrapper(sys.stdout.buffer, encoding=text_format.encoding, newline="")
        try:
            yield out
        finally:
            out.flush()
            out.detach()  # standard output stays open
        return
    partial = output.with_name(output.name + ".part")
    try:
        out = partial.open("w", encoding=text_format.encoding, newline="")
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror or exc}") from None
    try:
        with out:
            yield out
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
