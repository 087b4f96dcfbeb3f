"""Server logging: API keys are masked in every line, access log included."""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import unquote_plus

MASK = "[redacted]"

# name=value pairs of a query string, wherever one appears in a line.
_QUERY_PAIR = re.compile(r"(?P<lead>[?&;])(?P<name>[^=&;?#\s\"']+)=(?P<value>[^&;#\s\"']*)")
# "apiKey": "..." as printed from a dict or JSON; a bearer token; an X-Api-Key header.
_QUOTED_KEY = re.compile(r"""(["']api_?key["']\s*:\s*)(["'])[^"']*\2""", re.IGNORECASE)
_HEADER_KEY = re.compile(r"(\bbearer\s+|\bx-api-key\s*[:=]\s*)[^\s,;\"']+", re.IGNORECASE)


def _names_a_key(name: str) -> bool:
    # Decoded first, so that ap%69Key= or api_key= are caught like apiKey=.
    letters = re.sub(r"[^a-z]", "", unquote_plus(name).lower())
    return "apikey" in letters


def _redact_pair(match: re.Match[str]) -> str:
    if not _names_a_key(match["name"]):
        return match[0]
    return f"{match['lead']}{match['name']}={MASK}"


def redact(text: str) -> str:
    """``text`` with every API key it may hold replaced by ``[redacted]``."""
    if "=" in text:
        text = _QUERY_PAIR.sub(_redact_pair, text)
    text = _QUOTED_KEY.sub(lambda m: f"{m[1]}{m[2]}{MASK}{m[2]}", text)
    return _HEADER_KEY.sub(lambda m: m[1] + MASK, text)


class RedactKeys(logging.Filter):
    """Masks API keys in the message and its arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def log_config(level: str = "info") -> dict[str, Any]:
    """uvicorn's logging configuration, with :class:`RedactKeys` on every handler."""
    level = level.upper()
    fmt = "%(asctime)s %(levelname)s %(name)s: %(message)s"
    access_fmt = (
        '%(asctime)s %(levelname)s access: %(client_addr)s - "%(request_line)s" %(status_code)s'
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"redact": {"()": "carnet.logs.RedactKeys"}},
        "formatters": {
            "default": {"()": "uvicorn.logging.DefaultFormatter", "fmt": fmt, "use_colors": False},
            "access": {
                "()": "uvicorn.logging.AccessFormatter",
                "fmt": access_fmt,
                "use_colors": False,
            },
        },
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "default",
                "filters": ["redact"],
                "stream": "ext://sys.stderr",
            },
            "access": {
                "class": "logging.StreamHandler",
                "formatter": "access",
                "filters": ["redact"],
                "stream": "ext://sys.stdout",
            },
        },
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn.error": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn.access": {"handlers": ["access"], "level": level, "propagate": False},
            "carnet": {"handlers": ["default"], "level": level, "propagate": False},
        },
    }
