"""Server logging: API keys are masked in every line, access log included."""

from __future__ import annotations

import logging
import re
from typing import Any

# apiKey=... in a query string (also URL-encoded forms of the name).
_QUERY_KEY = re.compile(r"((?:^|[?&;])(?:apiKey|apikey|api_key)=)[^&;\s\"']*", re.IGNORECASE)
MASK = "[redacted]"


def redact(text: str) -> str:
    return _QUERY_KEY.sub(lambda m: m.group(1) + MASK, text)


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
