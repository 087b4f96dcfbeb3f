"""A file uploaded for an import, held on disk between its preview and the start of the job.

The preview needs the file, and the form that starts the job cannot send it
again; so it waits under a random token in the temporary directory, readable
only by the account that sent it, for at most a day. The job itself then
holds the file in the database (any server may run it).
"""

from __future__ import annotations

import contextlib
import json
import secrets
import shutil
import tempfile
import time
from pathlib import Path
from typing import IO

_DIR = Path(tempfile.gettempdir()) / "carnet-uploads"
_KEEP_SECONDS = 24 * 3600
_TOKEN_LENGTH = 43  # secrets.token_urlsafe(32)


def _paths(token: str) -> tuple[Path, Path]:
    return _DIR / f"{token}.data", _DIR / f"{token}.json"


def keep(upload: IO[bytes], file_name: str, account_id: int) -> str:
    """Save ``upload``; the token that finds it again."""
    _DIR.mkdir(mode=0o700, exist_ok=True)
    _forget_old()
    token = secrets.token_urlsafe(32)
    data, meta = _paths(token)
    with data.open("wb") as out:
        shutil.copyfileobj(upload, out, 1024 * 1024)
    meta.write_text(json.dumps({"name": file_name, "account": account_id}))
    return token


def find(token: str, account_id: int) -> tuple[Path, str] | None:
    """The kept file and its name, when ``token`` names one of this account's uploads."""
    if len(token) != _TOKEN_LENGTH or not token.replace("-", "").replace("_", "").isalnum():
        return None
    data, meta = _paths(token)
    try:
        info = json.loads(meta.read_text())
    except (OSError, ValueError):
        return None
    if info.get("account") != account_id or not data.exists():
        return None
    return data, str(info.get("name", "file.csv"))


def drop(token: str) -> None:
    for path in _paths(token):
        with contextlib.suppress(OSError):
            path.unlink()


def _forget_old() -> None:
    limit = time.time() - _KEEP_SECONDS
    for path in _DIR.iterdir():
        with contextlib.suppress(OSError):
            if path.stat().st_mtime < limit:
                path.unlink()
