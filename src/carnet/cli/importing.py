"""What a local ``carnet import`` runs and prints: the batches it sends, the report."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import typer

from carnet.cli.progress import ProgressDisplay
from carnet.client.asynchronous import AsyncClient
from carnet.client.retry import Retry
from carnet.importer import ImportReport, Source, TextFormat, import_file

# A 429 or 503 means the batch was not stored: an import sends it again.
IMPORT_RETRY = Retry(attempts=5, non_idempotent=True)


def warnings_file(given: Path | None, rejects: Path | None, keeping: bool) -> Path | None:
    """Where the rows imported without a field go: ``--warnings``, else beside ``--rejects``."""
    if given is not None or not keeping or rejects is None:
        return given if keeping else None
    return rejects.with_name(f"{rejects.stem}-warnings{rejects.suffix or '.csv'}")


@dataclass(frozen=True, slots=True)
class ImportRun:
    """What an import sends where, and how it keeps the refused rows."""

    url: str
    api_key: str
    group: str
    concurrency: int
    rejects: Path | None
    rejects_format: TextFormat | None
    skip_existing: bool
    dry_run: bool
    keep_invalid_optional: bool
    warnings: Path | None
    upsert: bool = False

    async def start(self, source: Source, display: ProgressDisplay) -> ImportReport:
        async with AsyncClient(self.api_key, self.url, retry=IMPORT_RETRY) as client:
            return await import_file(
                client,
                self.group,
                source,
                concurrency=self.concurrency,
                rejects=self.rejects,
                rejects_format=self.rejects_format,
                skip_existing=self.skip_existing,
                dry_run=self.dry_run,
                keep_invalid_optional=self.keep_invalid_optional,
                warnings=self.warnings,
                upsert=self.upsert,
                on_progress=display.update,
            )


def print_report(
    report: ImportReport,
    as_json: bool,
    *,
    err: bool = False,
    rejects: Path | None = None,
    warnings: Path | None = None,
) -> None:
    if as_json:
        summary = report.as_dict() | {"rejectsFile": str(rejects) if rejects else None}
        summary["warningsFile"] = str(warnings) if warnings else None
        typer.echo(json.dumps(summary, ensure_ascii=False, indent=2), err=err)
        return
    for line in report.lines():
        typer.echo(line, err=err)
    if err:
        return
    if warnings is not None:
        typer.echo(f"Rows imported without a field written to {warnings}")
    if rejects is not None:
        typer.echo(f"Refused rows written to {rejects}")
    elif report.refused_total and report.dry_run:
        typer.echo("To get the refused rows with the reason for each, add --rejects FILE")
    elif report.refused_total:
        typer.echo(
            "To get the refused rows with the reason for each, run the same command "
            "again with --rejects FILE --skip-existing"
        )
