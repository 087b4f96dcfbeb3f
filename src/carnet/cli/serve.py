"""``carnet serve``: migrate, make the first account if none, run the server."""

from __future__ import annotations

import logging
import os
import socket
from contextlib import ExitStack
from typing import Annotated

import typer

from carnet.cli.database import database_file, opened_store, read_settings, shown_url
from carnet.cli.failures import fail
from carnet.cli.options import DatabaseUrl


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
    proxy_headers: Annotated[
        bool,
        typer.Option(
            "--proxy-headers",
            help="Read the client's address from X-Forwarded-For when the connection comes "
            "from CARNET_TRUSTED_PROXIES (also CARNET_PROXY_HEADERS=1)",
        ),
    ] = False,
    metrics_port: Annotated[
        int | None,
        typer.Option(envvar="CARNET_METRICS_PORT", help="Serve /metrics on this port of its own"),
    ] = None,
) -> None:
    """Serve the HTTP API (creates or migrates the database first)."""
    import uvicorn

    from carnet.cli.serving import forget_metrics, start_metrics, unwound_on_sigterm
    from carnet.domain.accounts import ensure_default_account
    from carnet.domain.people import ensure_first_person
    from carnet.logs import log_config
    from carnet.storage.sqlite_files import DatabaseBusy, serving

    settings = read_settings(
        host=host,
        port=port,
        database_url=database_url,
        workers=workers,
        proxy_headers=1 if proxy_headers else None,
        metrics_port=metrics_port,
    )
    if settings.log_format not in ("text", "json"):
        raise fail("CARNET_LOG_FORMAT must be text or json")
    if settings.metrics_port:
        check_can_listen(settings.host, settings.metrics_port)
    # Before anything is created or printed: a first start must not show the
    # default account's key, or say it is serving, and then stop.
    check_can_listen(settings.host, settings.port)
    if settings.log_level.upper() not in logging.getLevelNamesMapping():
        levels = ", ".join(name.lower() for name in logging.getLevelNamesMapping())
        raise fail(f"CARNET_LOG_LEVEL must be one of {levels}")
    with opened_store(settings.database_url, pool_size=1) as store:
        key = ensure_default_account(store, settings.bootstrap_api_key)
        person = ensure_first_person(store, settings.bootstrap_email, settings.bootstrap_password)
    if key is not None:
        typer.echo("Created account 'default'. Its API key, shown only this once:")
        typer.echo(
            key if not settings.bootstrap_api_key else "(the key from CARNET_BOOTSTRAP_API_KEY)"
        )
    if person is not None:
        shown_password = person[1]
        if settings.bootstrap_password:
            shown_password = "(the password from CARNET_BOOTSTRAP_PASSWORD)"
        typer.echo(f"Dashboard sign-in for 'default', shown only this once: {person[0]}")
        typer.echo(f"Password: {shown_password}")
    # Worker processes read their settings from the environment.
    os.environ["CARNET_DATABASE_URL"] = settings.database_url
    shown = shown_url(settings.database_url)
    file = database_file(settings.database_url)
    with unwound_on_sigterm(), ExitStack() as held:
        if file is not None:
            try:
                held.enter_context(serving(file))
            except DatabaseBusy:
                raise fail(f"a restore is running on {file}: serve once it is done") from None
        metrics_dir = start_metrics(settings)
        typer.echo(f"carnet serving on http://{settings.host}:{settings.port} ({shown})")
        try:
            uvicorn.run(
                "carnet.http.app:app_from_env",
                factory=True,
                host=settings.host,
                port=settings.port,
                workers=settings.workers,
                log_config=log_config(settings.log_level, settings.log_format),
                access_log=settings.log_format != "json",
                proxy_headers=bool(settings.proxy_headers),
                forwarded_allow_ips=settings.trusted_proxies,
                timeout_graceful_shutdown=30,
            )
        finally:
            forget_metrics(metrics_dir)


def check_can_listen(host: str, port: int) -> None:
    """Fail in one line when ``host:port`` cannot be listened on (taken, or no such address).

    The socket is bound as uvicorn binds it (``SO_REUSEADDR``), then closed.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        with socket.socket(family, socket.SOCK_STREAM) as sock:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            sock.bind((host, port))
    except OSError as exc:
        raise fail(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
