"""Server logging: no API key and no personal data in any line, access log included.

The access line is rebuilt from the request's parts (:class:`AccessFormatter`):
the query and any parameters in the path are parsed, and every value is masked
except those of the few parameters that hold ids, a page or a format. So the
key and contact data (``phoneNumber``, ``contact[firstname]``, ...) are masked
under any spelling of their names, encoded or not, without a list of names to
keep up to date. Other lines go through :class:`RedactKeys`, which applies the
same rule to whatever looks like ``name=value`` in their text.
"""

from __future__ import annotations

import logging
import re
import time
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, unquote, unquote_plus

MASK = "[redacted]"

# The only parameters whose values reach a log: ids, paging and the format.
CLEAR_PARAMETERS = frozenset({"_format", "groupId", "contactId", "id", "stopId", "page"})
# What such a value looks like when sent as meant; anything else (an escaped
# "&apiKey=..." riding on an id, say) is masked like any other value.
_PLAIN_VALUE = re.compile(r"[A-Za-z0-9_.\-]{0,64}")

# Separators of parameters, in a query and in a path (";a=b", escaped "?a=b").
_QUERY_SEPARATORS = re.compile(r"([&;])")
_PATH_SEPARATORS = re.compile(r"([;?&])")
# Where parameters begin in a decoded path: a separator, or a segment holding "=".
_PATH_PARAMETERS = re.compile(r"[;?&]|(?<=/)[^/;?&]*=")
# How uvicorn's escaped path shows those characters (it writes urllib's quote()).
_ESCAPED_MARKERS = ("%3B", "%3D", "%3F", "%26")
# A separator as the log writes it inside a path: ";" reads well, "?" and "&" stay
# escaped so that they cannot pass for the query's.
_PATH_SEPARATOR_SHOWN = {";": ";", "?": "%3F", "&": "%26"}

_STATUS = {int(s): f"{int(s)} {s.phrase}" for s in HTTPStatus}


def _clear(name: str, value: str) -> bool:
    if "%" in name or "+" in name:
        name = unquote_plus(name)
    return name in CLEAR_PARAMETERS and _PLAIN_VALUE.fullmatch(value) is not None


def _masked_pair(piece: str, escape: bool) -> str:
    name, eq, value = piece.partition("=")
    if not eq:
        # A bare name is all value: kept only when it is a known parameter's name.
        return piece if piece in CLEAR_PARAMETERS else MASK
    if _clear(name, value):
        return piece if not escape else f"{quote(name)}={quote(value)}"
    return f"{quote(name, safe='[]') if escape else name}={MASK}"


def masked_query(query: str) -> str:
    """A raw query string with every value masked but those of :data:`CLEAR_PARAMETERS`."""
    if not query:
        return query
    parts = _QUERY_SEPARATORS.split(query)
    # Even indexes are name=value pieces, odd ones the separators between them.
    parts[::2] = [_masked_pair(piece, escape=False) for piece in parts[::2]]
    return "".join(parts)


def masked_path(escaped: str) -> str:
    """An escaped path (as uvicorn writes it) with the values of path parameters masked."""
    if not any(marker in escaped for marker in _ESCAPED_MARKERS):
        return escaped
    path = unquote(escaped)
    start = _PATH_PARAMETERS.search(path)
    if start is None:
        return escaped
    head, tail = path[: start.start()], path[start.start() :]
    shown = [quote(head)]
    for index, part in enumerate(_PATH_SEPARATORS.split(tail)):
        if index % 2:
            shown.append(_PATH_SEPARATOR_SHOWN[part])
        elif part:
            shown.append(_masked_pair(part, escape=True))
    return "".join(shown)


# The replies URL's last segment is its token, a credential.
_REPLIES_TOKEN = re.compile(r"^(/v1/hooks/replies/)[^/;?]+", re.IGNORECASE)


# A target with no query, no escape, no parameter and no token in it: nothing to mask.
_PLAIN_TARGET = re.compile(r"/(?!v1/hooks/replies/)[A-Za-z0-9/_.\-]*", re.IGNORECASE)


def masked_target(target: str) -> str:
    """A request target (escaped path, raw query) with secrets and personal data masked."""
    if _PLAIN_TARGET.fullmatch(target):
        return target
    path, sep, query = target.partition("?")
    path = _REPLIES_TOKEN.sub(r"\1[redacted]", path)
    return masked_path(path) + sep + masked_query(query)


# -- every other line ----------------------------------------------------------

# name=value pairs, wherever one appears in a line (after ?, &, ; or /).
_PAIR = re.compile(r"(?P<lead>[?&;/])(?P<name>[^=&;?/#\s\"']+)=(?P<value>[^&;#\s\"']*)")
# "apiKey": "..." as printed from a dict or JSON; a bearer token; an X-Api-Key header.
_QUOTED_KEY = re.compile(r"""(["']api_?key["']\s*:\s*)(["'])[^"']*\2""", re.IGNORECASE)
_HEADER_KEY = re.compile(r"(\bbearer\s+|\bx-api-key\s*[:=]\s*)[^\s,;\"']+", re.IGNORECASE)


def _redact_pair(match: re.Match[str]) -> str:
    if _clear(match["name"], match["value"]):
        return match[0]
    return f"{match['lead']}{match['name']}={MASK}"


def redact(text: str) -> str:
    """``text`` with API keys and parameter values (ids aside) replaced by ``[redacted]``."""
    if "=" in text:
        text = _PAIR.sub(_redact_pair, text)
    if ":" in text:
        text = _QUOTED_KEY.sub(lambda m: f"{m[1]}{m[2]}{MASK}{m[2]}", text)
    return _HEADER_KEY.sub(lambda m: m[1] + MASK, text)


class RedactKeys(logging.Filter):
    """Masks API keys and parameter values in the message and its arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


class AccessFormatter(logging.Formatter):
    """uvicorn's access line, ``client - "METHOD target HTTP/v" status``, masked.

    uvicorn logs each response with the arguments (client address, method,
    escaped path and raw query, HTTP version, status); the line is built from
    them, so the masking works on parsed parameters, never on a finished line.
    """

    def format(self, record: logging.LogRecord) -> str:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5:
            client, method, target, version, status = args
            shown = _STATUS.get(status, str(status)) if isinstance(status, int) else status
            record.message = (
                f'{client} - "{method} {masked_target(str(target))} HTTP/{version}" {shown}'
            )
        else:  # not uvicorn's access call: the other lines' rule
            record.message = redact(record.getMessage())
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        return self.formatMessage(record)

    # The last second written out: (its number, the format, the text).
    _seconds_shown: tuple[int, str | None, str] | None = None

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        """The time as :class:`logging.Formatter` writes it, the part above the
        millisecond made once a second (a busy server writes thousands of lines)."""
        second = int(record.created)
        shown = self._seconds_shown
        if shown is None or shown[0] != second or shown[1] != datefmt:
            local = self.converter(record.created)
            shown = (second, datefmt, time.strftime(datefmt or self.default_time_format, local))
            self._seconds_shown = shown
        if datefmt or not self.default_msec_format:
            return shown[2]
        return self.default_msec_format % (shown[2], record.msecs)


def lean_records() -> None:
    """Log records without what no line of carnet's shows: the calling function's
    file and line, the thread's and the process's names. The logging module's own
    optimisation switches; a server's access line costs about a third less."""
    logging._srcfile = None
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False


def log_config(level: str = "info", log_format: str = "text") -> dict[str, Any]:
    """uvicorn's logging configuration: masked access lines, :class:`RedactKeys` elsewhere.

    With ``log_format="json"`` every line is a JSON object
    (:class:`carnet.jsonlogs.JsonFormatter`) and the access lines are carnet's own
    (``carnet.access``, written by :class:`carnet.http.observe.Observe`), uvicorn's off.
    """
    level = level.upper()
    json_lines = log_format == "json"
    fmt = "%(asctime)s %(levelname)s %(name)s:%(request_note)s %(message)s"
    json_formatter = {"()": "carnet.jsonlogs.JsonFormatter"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "redact": {"()": "carnet.logs.RedactKeys"},
            "request": {"()": "carnet.jsonlogs.RequestIdFilter"},
        },
        "formatters": {
            "default": json_formatter
            if json_lines
            else {"()": "uvicorn.logging.DefaultFormatter", "fmt": fmt, "use_colors": False},
            "access": json_formatter
            if json_lines
            else {
                "()": "carnet.logs.AccessFormatter",
                "fmt": "%(asctime)s %(levelname)s access: %(message)s",
            },
        },
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["redact", "request"],
                "stream": "ext://sys.stderr",
            },
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "access",
                "filters": ["request"],
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn.error": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn.access": {
                "handlers": [] if json_lines else ["access"],
                "level": "CRITICAL" if json_lines else level,
                "propagate": False,
            },
            "carnet": {"handlers": ["default"], "level": level, "propagate": False},
            "carnet.access": {
                "handlers": ["access"] if json_lines else [],
                "level": level if json_lines else "CRITICAL",
                "propagate": False,
            },
        },
    }
