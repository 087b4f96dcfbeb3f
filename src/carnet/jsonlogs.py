"""The request a log line belongs to, and ``CARNET_LOG_FORMAT=json``: one JSON object a line.

:data:`REQUEST_ID` holds the id of the request being answered (set by
:class:`carnet.http.observe.Observe`); :class:`RequestIdFilter` puts it on every
record, so that text lines name it and JSON lines carry it. :class:`JsonFormatter`
writes a record as one JSON object: its time, level, logger, message (masked as
every other line is, by :func:`carnet.logs.redact`), request id, and for an access
line the account's name, route, method, status, duration and client address. A
key is never a field: the route is the path of a known endpoint, never the target.
"""

from __future__ import annotations

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import Any

from carnet.logs import redact

REQUEST_ID: ContextVar[str | None] = ContextVar("carnet_request_id", default=None)

# What an access line adds to a record (``extra=``), as JSON fields.
ACCESS_FIELDS = ("account", "route", "method", "status", "duration_ms", "client")


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on a record (``request_id``, ``request_note``)."""

    def filter(self, record: logging.LogRecord) -> bool:
        rid = getattr(record, "request_id", None) or REQUEST_ID.get()
        record.request_id = rid
        record.request_note = f" [request {rid}]" if rid else ""
        return True


class JsonFormatter(logging.Formatter):
    """A record as one line of JSON; its message masked like any other line's."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": getattr(record, "request_id", None) or REQUEST_ID.get(),
        }
        for name in ACCESS_FIELDS:
            value = getattr(record, name, None)
            if value is not None:
                line[name] = value
        if record.exc_info:
            line["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(line, ensure_ascii=False)
