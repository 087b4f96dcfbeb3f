"""``carnet import --on-server``: upload the file, follow the server's job, print the report
a local import prints; and ``carnet imports`` to list, show, cancel jobs and fetch their
refused rows."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer

from carnet.cli.failures import fail, file_problem
from carnet.cli.importing import print_report
from carnet.cli.output import print_json, print_records, timestamp
from carnet.cli.progress import progress_display
from carnet.cli.remote import DEFAULT, ApiKey, AsJson, Url, connect, explain
from carnet.client import Client, ImportJob
from carnet.errors import CarnetError
from carnet.importer import ImportReport

# Seconds between two questions about a job's progress.
POLL_SECONDS = 0.5


def job_report(job: ImportJob, name: str) -> ImportReport:
    """A server's job as the report of a local import."""
    return ImportReport(
        file=name,
        group_id=job.group_id,
        kind=job.format,
        encoding=job.encoding,
        delimiter=job.delimiter,
        sheet=job.sheet,
        skip_existing=job.skip_existing,
        dry_run=job.dry_run,
        columns=job.columns,
        ignored_columns=job.ignored_columns,
        rows=job.rows,
        imported=job.imported,
        skipped=job.skipped,
        warnings=job.warnings,
        refused=dict(job.refused),
        blank_lines=job.blank_lines,
    )


@dataclass(frozen=True, slots=True)
class ServerImport:
    """What ``carnet import --on-server`` asks of the server, and what it keeps locally."""

    url: str
    key: str
    group: str
    mapping: dict[str, str]
    date_format: str
    sheet: str | None
    skip_existing: bool
    dry_run: bool
    keep_invalid_optional: bool
    rejects: Path | None
    warnings: Path | None
    excel: bool

    def run(self, file: Path, *, detach: bool, silent: bool, as_json: bool) -> None:
        with Client(self.key, self.url) as client:
            try:
                job = self._upload(client, file, silent)
                if detach:
                    typer.echo(
                        f"Import {job.id} queued; follow it with: carnet imports show {job.id}",
                        err=True,
                    )
                    typer.echo(job.id)
                    return
                job = self._follow(client, job, file, silent)
                self._download(client, job)
            except CarnetError as exc:
                raise fail(explain(exc, self.url)) from None
            except OSError as exc:
                raise fail(file_problem(exc)) from None
        report = job_report(job, file.name)
        if job.status != "done":
            print_report(report, as_json, err=True)
            raise fail(f"import {job.id} {job.status}" + (f": {job.error}" if job.error else ""))
        print_report(report, as_json, rejects=self.rejects, warnings=self.warnings)

    def _upload(self, client: Client, file: Path, silent: bool) -> ImportJob:
        size = file.stat().st_size
        with progress_display(f"Uploading {file.name}", size, by_bytes=True, silent=silent) as bar:
            return client.upload_import(
                self.group,
                file,
                name=file.name,
                column_map=self.mapping,
                date_format=self.date_format,
                sheet=self.sheet,
                keep_invalid_optional=self.keep_invalid_optional,
                dry_run=self.dry_run,
                skip_existing=self.skip_existing,
                on_progress=lambda sent, total: bar.update(sent, 0),
            )

    def _follow(self, client: Client, job: ImportJob, file: Path, silent: bool) -> ImportJob:
        size = file.stat().st_size
        label = f"Importing {file.name} on the server"
        try:
            with progress_display(label, size, by_bytes=True, silent=silent) as bar:
                return client.wait_import(
                    job.id,
                    poll=POLL_SECONDS,
                    on_progress=lambda j: bar.update(j.bytes_done, j.rows),
                )
        except KeyboardInterrupt:
            typer.echo(
                f"The import goes on on the server: carnet imports show {job.id} "
                f"(or carnet imports cancel {job.id})",
                err=True,
            )
            raise typer.Exit(130) from None

    def _download(self, client: Client, job: ImportJob) -> None:
        if self.rejects is not None:
            self.rejects.write_bytes(client.import_rejects(job.id, excel=self.excel))
        if self.warnings is not None:
            data = client.import_rejects(job.id, warnings=True, excel=self.excel)
            self.warnings.write_bytes(data)


# -- carnet imports ----------------------------------------------------------------

app = typer.Typer(
    help="Follow the import jobs a carnet server runs (carnet import --on-server).",
    no_args_is_help=True,
)
ImportId = Annotated[str, typer.Argument(metavar="IMPORT_ID", help="Id of the import job")]


def _record(job: ImportJob) -> dict[str, object]:
    return {
        "id": job.id,
        "status": job.status,
        "file": job.file_name,
        "groupId": job.group_id,
        "rows": job.rows,
        "imported": job.imported,
        "refused": sum(job.refused.values()),
        "createdAt": timestamp(job.created_at),
        "finishedAt": timestamp(job.finished_at),
        "error": job.error,
    }


@app.command("list")
def list_(
    page: Annotated[int, typer.Option(min=1, help="Page, 20 jobs each")] = 1,
    url: Url = DEFAULT,
    api_key: ApiKey = None,
    as_json: AsJson = False,
) -> None:
    """The account's import jobs, newest first."""
    with connect(url, api_key) as client:
        jobs = client.list_imports(page)
    columns = ["id", "status", "file", "rows", "imported", "refused", "createdAt"]
    print_records("Imports", columns, [_record(j) for j in jobs], as_json)


@app.command("show")
def show(
    job_id: ImportId, url: Url = DEFAULT, api_key: ApiKey = None, as_json: AsJson = False
) -> None:
    """One job: its status, progress and report."""
    with connect(url, api_key) as client:
        job = client.get_import(job_id)
    if as_json:
        print_json(_record(job) | job_report(job, job.file_name).as_dict())
        return
    done = f"{job.bytes_done} of {job.bytes_total} bytes"
    typer.echo(f"Import {job.id}: {job.status} ({done})" + (f": {job.error}" if job.error else ""))
    for line in job_report(job, job.file_name).lines():
        typer.echo(line)


@app.command("cancel")
def cancel(job_id: ImportId, url: Url = DEFAULT, api_key: ApiKey = None) -> None:
    """Cancel a job: at once when queued, after its current batch when running."""
    with connect(url, api_key) as client:
        job = client.cancel_import(job_id)
    typer.echo(
        f"Import {job.id}: {job.status}"
        + (", stopping after its current batch" if job.status == "running" else "")
    )


@app.command("rejects")
def rejects(
    job_id: ImportId,
    output: Annotated[Path, typer.Option("--output", "-o", metavar="FILE", help="File to write")],
    warnings: Annotated[
        bool, typer.Option("--warnings", help="The rows imported without a field, instead")
    ] = False,
    excel: Annotated[bool, typer.Option("--excel", help="UTF-8 with a BOM and ';'")] = False,
    url: Url = DEFAULT,
    api_key: ApiKey = None,
) -> None:
    """Write a job's refused rows (as --rejects writes them) to a CSV file."""
    with connect(url, api_key) as client:
        data = client.import_rejects(job_id, warnings=warnings, excel=excel)
    try:
        output.write_bytes(data)
    except OSError as exc:
        raise fail(f"cannot write {output}: {exc.strerror or exc}") from None
    typer.echo(f"Written to {output}", err=True)
