"""People who sign in to the dashboard, their sessions, and failed sign-ins."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, delete, func, insert, select, update

from carnet.domain.records import Account, PersonRecord, SessionRecord
from carnet.storage.schema import accounts, people, sign_in_failures, web_sessions
from carnet.storage.transaction import Transaction

_PERSON_SELECT = select(
    people.c.id,
    people.c.email,
    people.c.password_hash,
    people.c.created_at,
    accounts.c.id.label("account_id"),
    accounts.c.name.label("account_name"),
    accounts.c.created_at.label("account_created_at"),
).join(accounts, accounts.c.id == people.c.account_id)

_SESSION_SELECT = _PERSON_SELECT.add_columns(
    web_sessions.c.id.label("session_id"),
    web_sessions.c.csrf_token,
    web_sessions.c.language,
    web_sessions.c.created_ms,
    web_sessions.c.seen_ms,
).join(web_sessions, web_sessions.c.person_id == people.c.id)


def _person(row: Row[Any, *tuple[Any, ...]]) -> PersonRecord:
    m = row._mapping
    account = Account(m["account_id"], m["account_name"], m["account_created_at"])
    return PersonRecord(m["id"], m["email"], m["password_hash"], account, m["created_at"])


class PeopleQueries(Transaction):
    """People, sessions and failed sign-ins."""

    def insert_person(
        self, account_id: int, email: str, password_hash: str, created_at: str
    ) -> None:
        self.conn.execute(
            insert(people).values(
                account_id=account_id,
                email=email,
                password_hash=password_hash,
                created_at=created_at,
            )
        )

    def person_by_email(self, email: str) -> PersonRecord | None:
        row = self.conn.execute(_PERSON_SELECT.where(people.c.email == email)).first()
        return _person(row) if row else None

    def list_people(self) -> list[PersonRecord]:
        return [_person(row) for row in self.conn.execute(_PERSON_SELECT.order_by(people.c.id))]

    def count_people(self) -> int:
        return int(self.conn.execute(select(func.count()).select_from(people)).scalar_one())

    def delete_person(self, person_id: int) -> None:
        self.conn.execute(delete(web_sessions).where(web_sessions.c.person_id == person_id))
        self.conn.execute(delete(people).where(people.c.id == person_id))

    def set_password(self, person_id: int, password_hash: str) -> None:
        """Change the password and end every session of the person."""
        self.conn.execute(
            update(people).where(people.c.id == person_id).values(password_hash=password_hash)
        )
        self.conn.execute(delete(web_sessions).where(web_sessions.c.person_id == person_id))

    # -- sessions ---------------------------------------------------------------

    def insert_session(
        self, token_hash: str, person_id: int, csrf_token: str, language: str, now_ms: int
    ) -> None:
        self.conn.execute(
            insert(web_sessions).values(
                token_hash=token_hash,
                person_id=person_id,
                csrf_token=csrf_token,
                language=language,
                created_ms=now_ms,
                seen_ms=now_ms,
            )
        )

    def session(self, token_hash: str) -> SessionRecord | None:
        row = self.conn.execute(
            _SESSION_SELECT.where(web_sessions.c.token_hash == token_hash)
        ).first()
        if row is None:
            return None
        m = row._mapping
        return SessionRecord(
            m["session_id"],
            _person(row),
            m["csrf_token"],
            m["language"],
            m["created_ms"],
            m["seen_ms"],
        )

    def touch_session(self, session_id: int, now_ms: int) -> None:
        self.conn.execute(
            update(web_sessions).where(web_sessions.c.id == session_id).values(seen_ms=now_ms)
        )

    def set_session_language(self, session_id: int, language: str) -> None:
        self.conn.execute(
            update(web_sessions).where(web_sessions.c.id == session_id).values(language=language)
        )

    def delete_session(self, session_id: int) -> None:
        self.conn.execute(delete(web_sessions).where(web_sessions.c.id == session_id))

    # -- failed sign-ins ----------------------------------------------------------

    def record_sign_in_failure(self, email: str, now_ms: int, keep_after_ms: int) -> None:
        """Note a failure; forget the email's failures older than ``keep_after_ms``."""
        self.conn.execute(
            delete(sign_in_failures).where(
                sign_in_failures.c.email == email, sign_in_failures.c.failed_ms < keep_after_ms
            )
        )
        self.conn.execute(insert(sign_in_failures).values(email=email, failed_ms=now_ms))

    def sign_in_failures_since(self, email: str, since_ms: int) -> list[int]:
        """When the email's sign-ins failed since ``since_ms``, oldest first."""
        rows = self.conn.execute(
            select(sign_in_failures.c.failed_ms)
            .where(sign_in_failures.c.email == email, sign_in_failures.c.failed_ms >= since_ms)
            .order_by(sign_in_failures.c.failed_ms)
        )
        return [int(ms) for ms in rows.scalars()]
