"""``carnet serve``: migrate, make the first account if none, run the server."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from carnet.cli.options import DatabaseUrl
from carnet.settings import Settings


def serve(
    host: Annotated[
        str | None,
        typer.Option(envvar="CARNET_HOST", help="Address to listen on [default: 127.0.0.1]"),
    ] = None,
    port: Annotated[
        int | None, typer.Option(envvar="CARNET_PORT", help="Port to listen on [default: 8000]")
    ] = None,
    database_url: DatabaseUrl = None,
    workers: Annotated[
        int | None, typer.Option(envvar="CARNET_WORKERS", help="Worker processes [default: 1]")
    ] = None,
) -> None:
    """Serve the HTTP API (creates or migrates the database first)."""
    import uvicorn
    from sqlalchemy.engine import make_url

    from carnet.domain.accounts import ensure_default_account
    from carnet.logs import log_config
    from carnet.storage import Store

    settings = Settings.from_env(host=host, port=port, database_url=database_url, workers=workers)
    store = Store.open(settings.database_url, pool_size=1)
    try:
        key = ensure_default_account(store, settings.bootstrap_api_key)
    finally:
        store.close()
    if key is not None:
        typer.echo("Created account 'default'. Its API key, shown only this once:")
        typer.echo(
            key if not settings.bootstrap_api_key else "(the key from CARNET_BOOTSTRAP_API_KEY)"
        )
    # Worker processes read their settings from the environment.
    os.environ["CARNET_DATABASE_URL"] = settings.database_url
    shown_url = make_url(settings.database_url).render_as_string(hide_password=True)
    typer.echo(f"carnet serving on http://{settings.host}:{settings.port} ({shown_url})")
    uvicorn.run(
        "carnet.http.app:app_from_env",
        factory=True,
        host=settings.host,
        port=settings.port,
        workers=settings.workers,
        log_config=log_config(settings.log_level),
        proxy_headers=False,
        timeout_graceful_shutdown=30,
    )
