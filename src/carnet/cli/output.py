"""What commands print on standard output: a table on a terminal, lines on a pipe, JSON.

Messages meant for a person (what was done, progress) go to standard error,
so that standard output holds only what a script reads.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import typer
from rich.console import Console
from rich.table import Table


def print_records(
    title: str, columns: Sequence[str], records: list[dict[str, Any]], as_json: bool
) -> None:
    """A table on a terminal, tab-separated lines on a pipe, a JSON list on request."""
    if as_json:
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    rows = [["" if r.get(c) is None else str(r[c]) for c in columns] for r in records]
    console = Console()
    if not console.is_terminal:
        for row in rows:
            typer.echo("\t".join(row))
        return
    table = Table(*columns, title=title)
    for row in rows:
        table.add_row(*row)
    console.print(table)


def print_json(record: dict[str, Any]) -> None:
    """One record as a JSON object."""
    typer.echo(json.dumps(record, ensure_ascii=False, indent=2))


def timestamp(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None
