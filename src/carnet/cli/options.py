"""Options shared by several commands."""

from __future__ import annotations

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
