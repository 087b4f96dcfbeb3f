"""``carnet import`` and ``carnet export``: CSV files in and out through the API."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Annotated

import typer

from carnet.cli.failures import fail, file_problem
from carnet.cli.progress import ProgressDisplay, progress_display
from carnet.cli.remote import DEFAULT, ApiKey, Url, connect, explain, require_key
from carnet.client.asynchronous import AsyncClient
from carnet.client.operations import BATCH_SIZE
from carnet.client.retry import Retry
from carnet.errors import CarnetError
from carnet.exporter import export_group
from carnet.importer import CsvSource, HeaderError, ImportReport, ImportStopped, import_file

# A 429 or 503 means the batch was not stored: an import sends it again.
IMPORT_RETRY = Retry(attempts=5, non_idempotent=True)

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
            help="CSV or TSV file with a header row",
        ),
    ],
    group: Group,
    url: Url = DEFAULT,
    api_key: ApiKey = None,
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
            help="Write every refused row to this CSV file, with its line and reason",
        ),
    ] = None,
    silent: Annotated[bool, typer.Option("--silent", help="Show no progress")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON")] = False,
) -> None:
    """Import contacts from a spreadsheet export (CSV or TSV) into a group.

    Columns are found by their header (phone, mobile, tel, portable, prenom,
    nom, first_name, date, url, custom1 ...), in UTF-8 or Windows-1252, with
    `;`, `,` or tab between cells. Refused rows do not make the command fail;
    an unreachable server, a wrong key or an unknown group do.
    """
    key = require_key(api_key)
    try:
        source = CsvSource(file)
    except HeaderError as exc:
        raise fail(f"{file}: {exc}") from None
    except OSError as exc:
        raise fail(f"{file}: {exc.strerror or exc}") from None
    with source:
        display = progress_display(
            f"Importing {file.name}", source.size, by_bytes=True, silent=silent
        )
        try:
            with display:
                report = asyncio.run(
                    _import(url, key, group, source, concurrency, rejects, display)
                )
        except ImportStopped as stopped:
            if stopped.report.rows:
                _print_report(stopped.report, as_json, err=True)
            raise fail(explain(stopped.error, url)) from None
        except CarnetError as exc:
            raise fail(explain(exc, url)) from None
        except OSError as exc:  # the rejects file cannot be written
            raise fail(file_problem(exc)) from None
    _print_report(report, as_json)
    if rejects is not None and not as_json:
        typer.echo(f"Refused rows written to {rejects}")


async def _import(
    url: str,
    api_key: str,
    group: str,
    source: CsvSource,
    concurrency: int,
    rejects: Path | None,
    display: ProgressDisplay,
) -> ImportReport:
    async with AsyncClient(api_key=api_key, base_url=url, retry=IMPORT_RETRY) as client:
        return await import_file(
            client,
            group,
            source,
            concurrency=concurrency,
            rejects=rejects,
            on_progress=display.update,
        )


def _print_report(report: ImportReport, as_json: bool, *, err: bool = False) -> None:
    if as_json:
        typer.echo(json.dumps(report.as_dict(), ensure_ascii=False, indent=2), err=err)
        return
    for line in report.lines():
        typer.echo(line, err=err)


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
    silent: Annotated[bool, typer.Option("--silent", help="Show no progress")] = False,
) -> None:
    """Write every contact of a group as CSV: a header, all fields, E.164 numbers.

    Contacts are read a page at a time, so the group's size does not matter.
    Nothing is written before the group is known; with -o, the file appears
    only once complete.
    """
    displays: list[ProgressDisplay] = []

    def on_progress(done: int, total: int) -> None:
        if not displays:
            display = progress_display("Exporting", total, by_bytes=False, silent=silent)
            displays.append(display.__enter__())
        displays[0].update(done, done)

    try:
        with _destination(output) as out, connect(url, api_key) as client:
            count = export_group(client, group, out, on_progress)
    finally:
        for display in displays:
            display.__exit__(*sys.exc_info())
    if output is not None:
        typer.echo(f"Exported {count} contact(s) to {output}", err=True)


@contextmanager
def _destination(output: Path | None) -> Iterator[IO[str]]:
    """Standard output, or ``output`` written beside it first and renamed once complete."""
    if output is None:
        yield sys.stdout
        return
    partial = output.with_name(output.name + ".part")
    try:
        out = partial.open("w", encoding="utf-8", newline="")
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror or exc}") from None
    try:
        with out:
            yield out
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
