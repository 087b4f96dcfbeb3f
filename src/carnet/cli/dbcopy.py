"""``carnet db copy --from URL --to URL``: move a carnet database to another engine, checked.

Every table is copied (accounts and key hashes, groups, contacts with their ids,
positions and dates, the stop list, imports, and whatever tables the schema
holds), into an empty database only, with a progress bar; then the counts and a
checksum of every table are compared, read back from both sides, and said.
SQLite to PostgreSQL, the reverse, or any pair: the target is migrated first.
"""

from __future__ import annotations

from typing import Annotated

import typer

from carnet.cli.database import opened_store, shown_url
from carnet.cli.failures import fail
from carnet.cli.progress import progress_display

app = typer.Typer(help="Work on whole databases.", no_args_is_help=True)


@app.command("copy")
def copy(
    source_url: Annotated[
        str, typer.Option("--from", help="URL of the database to copy", show_default=False)
    ],
    target_url: Annotated[
        str, typer.Option("--to", help="URL of an empty database to copy into", show_default=False)
    ],
    silent: Annotated[bool, typer.Option("--silent", help="No progress")] = False,
) -> None:
    """Copy every table of one carnet database into an empty one, then verify the copy."""
    from carnet.storage.copying import (
        SchemaMismatch,
        TargetNotEmpty,
        check_can_copy,
        copy_rows,
        verify,
    )

    shown_from, shown_to = shown_url(source_url), shown_url(target_url)
    with (
        opened_store(source_url, if_missing="nothing to copy", migrate_schema=False) as source,
        opened_store(target_url) as target,
    ):
        try:
            counts = check_can_copy(source, target)
        except TargetNotEmpty as exc:
            raise fail(
                f"{shown_to} is not empty (rows in {exc}): copy into an empty database"
            ) from None
        except SchemaMismatch as exc:
            raise fail(str(exc)) from None
        total = sum(counts.values())
        done = 0
        with progress_display(
            "Copying", total, by_bytes=False, silent=silent, unit=" rows"
        ) as shown:

            def moved(_table: str, rows: int) -> None:
                nonlocal done
                done += rows
                shown.update(done, done)

            copy_rows(source, target, moved)
        checks = verify(source, target)
    wrong = [c for c in checks if not c.same]
    for check in checks:
        verdict = "same" if check.same else "DIFFERENT"
        typer.echo(
            f"{check.table}: {check.source_rows} rows -> {check.target_rows} rows, "
            f"checksum {verdict} ({check.target_sum[:12]})"
        )
    if wrong:
        raise fail(f"the copy differs from {shown_from} in {', '.join(c.table for c in wrong)}")
    typer.echo(f"Copied {total} rows from {shown_from} to {shown_to}: every table verified")
