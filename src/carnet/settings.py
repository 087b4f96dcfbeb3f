"""carnet's settings: each has a ``CARNET_*`` environment variable.

| variable | default | meaning |
|---|---|---|
| CARNET_HOST | 127.0.0.1 | address ``carnet serve`` listens on |
| CARNET_PORT | 8000 | port ``carnet serve`` listens on |
| CARNET_DATABASE_URL | sqlite:///carnet.db | SQLAlchemy URL of the database |
| CARNET_WORKERS | 1 | server worker processes |
| CARNET_BOOTSTRAP_API_KEY | (random) | key of the ``default`` account made on first start |
| CARNET_RATE_LIMIT | 2000 | requests a minute per client address and per API key; 0 turns it off |
| CARNET_MAX_BODY_BYTES | 4194304 | largest request body accepted (413 past it) |
| CARNET_REDIS_URL | (none) | Redis holding rate-limit counters shared by servers |
| CARNET_REDIS_PREFIX | carnet | prefix of carnet's keys in that Redis |
| CARNET_LOG_LEVEL | info | server log level |
| CARNET_IMPORT_MAX_BYTES | 209715200 | largest file ``POST /v1/import/add`` takes (413 past it) |
| CARNET_IMPORT_CONCURRENCY | 1 | import jobs one server process runs at once (0: none) |
| CARNET_IMPORT_KEEP_DAYS | 7 | days an ended import's refused rows are kept |
| CARNET_IMPORT_LEASE_SECONDS | 15 | how long a server's claim on an import holds unrenewed |
| CARNET_BOOTSTRAP_EMAIL | admin@localhost | email of the first person (for ``default``) |
| CARNET_BOOTSTRAP_PASSWORD | (random) | that person's password (at least 10 characters) |
| CARNET_PUBLIC_URL | http://HOST:PORT | the server's address seen from outside (replies URLs) |
| CARNET_WEBHOOK_ALLOW_PRIVATE | 0 | 1: webhooks may send to private, loopback, link-local hosts |
| CARNET_WEBHOOK_CONCURRENCY | 2 | webhooks one server process sends to at once (0: none) |
| CARNET_WEBHOOK_BACKOFF_MS | 5000 | wait before the second attempt of a delivery, doubled at each |
| CARNET_WEBHOOK_BACKOFF_MAX_MS | 3600000 | longest wait between two attempts |
| CARNET_WEBHOOK_RETRY_HOURS | 24 | how long a delivery is retried before it is given up |
| CARNET_WEBHOOK_TIMEOUT_SECONDS | 10 | how long a receiver has to answer an attempt |
| CARNET_WEBHOOK_LEASE_SECONDS | 30 | how long a server's claim on a webhook holds unrenewed |
| CARNET_LOG_FORMAT | text | ``text`` lines, or ``json``: one JSON object a line |
| CARNET_METRICS | 0 | 1 serves ``/metrics`` on the API's port |
| CARNET_METRICS_PORT | 0 | a port of its own for ``/metrics`` (0: none) |
| CARNET_PROXY_HEADERS | 0 | 1: the client's address from a trusted proxy's X-Forwarded-For |
| CARNET_TRUSTED_PROXIES | 127.0.0.1 | the proxies trusted (addresses, networks), comma-separated |
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, fields

DEFAULT_DATABASE_URL = "sqlite:///carnet.db"

# A whole number in ASCII digits: int() alone also reads other scripts' digits.
_WHOLE_NUMBER = re.compile(r"-?[0-9]+")


@dataclass(frozen=True, slots=True)
class Settings:
    """The server's settings; each field is read from ``CARNET_<FIELD>``."""

    host: str = "127.0.0.1"
    port: int = 8000
    database_url: str = DEFAULT_DATABASE_URL
    workers: int = 1
    bootstrap_api_key: str | None = None
    rate_limit: int = 2000
    max_body_bytes: int = 4 * 1024 * 1024
    redis_url: str | None = None
    redis_prefix: str = "carnet"
    log_level: str = "info"
    import_max_bytes: int = 200 * 1024 * 1024
    import_concurrency: int = 1
    import_keep_days: int = 7
    import_lease_seconds: int = 15
    bootstrap_email: str = "admin@localhost"
    bootstrap_password: str | None = None
    public_url: str | None = None
    webhook_allow_private: int = 0
    webhook_concurrency: int = 2
    webhook_backoff_ms: int = 5000
    webhook_backoff_max_ms: int = 3_600_000
    webhook_retry_hours: int = 24
    webhook_timeout_seconds: int = 10
    webhook_lease_seconds: int = 30
    audit_keep_days: int = 365
    log_format: str = "text"
    metrics: int = 0
    metrics_port: int = 0
    proxy_headers: int = 0
    trusted_proxies: str = "127.0.0.1"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
        """Settings from ``CARNET_*`` variables; ``overrides`` that are not None win."""
        env = os.environ if environ is None else environ
        values: dict[str, object] = {}
        for f in fields(cls):
            raw = env.get(f"CARNET_{f.name.upper()}")
            if raw is None or raw == "":
                continue
            if f.type == "int":
                if _WHOLE_NUMBER.fullmatch(raw.strip()) is None:
                    raise ValueError(f"CARNET_{f.name.upper()} must be a whole number")
                values[f.name] = int(raw)
            else:
                values[f.name] = raw
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
