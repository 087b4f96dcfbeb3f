"""Dashboard sessions, kept server-side: a random token in a cookie, its hash in the database.

A session ends after SESSION_IDLE_SECONDS unused, SESSION_MAX_SECONDS after
sign-in, or when its person signs out (everywhere the token is used, as it is
the one row). Each holds the CSRF token its forms carry, and its language.
"""

from __future__ import annotations

import hashlib
import secrets
import time

from carnet.contract import SESSION_IDLE_SECONDS, SESSION_MAX_SECONDS
from carnet.domain.records import PersonRecord, SessionRecord
from carnet.storage import Store

# "Last seen" is written at most this often, not on every page.
_TOUCH_MS = 60_000


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _now_ms() -> int:
    return int(time.time() * 1000)


def open_session(store: Store, person: PersonRecord, language: str = "") -> str:
    """A new session for ``person``; its token, for the cookie (never stored)."""
    token = secrets.token_urlsafe(32)
    with store.write() as q:
        q.insert_session(_hash(token), person.id, secrets.token_urlsafe(32), language, _now_ms())
    return token


def find_session(store: Store, token: str | None) -> SessionRecord | None:
    """The live session with this token, or None (unknown, idle too long, too old)."""
    if not token or len(token) > 128:
        return None
    with store.read() as q:
        session = q.session(_hash(token))
    if session is None:
        return None
    now = _now_ms()
    too_old = now - session.created_ms > SESSION_MAX_SECONDS * 1000
    if too_old or now - session.seen_ms > SESSION_IDLE_SECONDS * 1000:
        end_session(store, session)
        return None
    if now - session.seen_ms > _TOUCH_MS:
        with store.write() as q:
            q.touch_session(session.id, now)
    return session


def end_session(store: Store, session: SessionRecord) -> None:
    """Sign out: the session ends for every browser and tab that holds its token."""
    with store.write() as q:
        q.delete_session(session.id)


def set_language(store: Store, session: SessionRecord, language: str) -> None:
    with store.write() as q:
        q.set_session_language(session.id, language)
