"""Replies: each account's replies URL token, and the replies received on it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, delete, func, insert, select

from carnet.domain.hook_records import ReplyRecord
from carnet.storage.dialects import Dialect
from carnet.storage.schema import replies, reply_tokens
from carnet.storage.transaction import Transaction

_REPLY_COLUMNS = (
    replies.c.public_id,
    replies.c.message_id,
    replies.c.phone,
    replies.c.text,
    replies.c.part,
    replies.c.parts,
    replies.c.stopped,
    replies.c.received_at,
)


def _reply(row: Any) -> ReplyRecord:
    values = list(row)
    values[6] = bool(values[6])
    return ReplyRecord(*values)


def _insert_new_reply(dialect: Dialect) -> Any:
    # A reply already received (same message id) is kept as it is: nothing returned.
    new = dialect.insert(replies).values(
        {c: bindparam(c) for c in (*(col.name for col in _REPLY_COLUMNS), "account_id")}
    )
    return new.on_conflict_do_nothing(
        index_elements=[replies.c.account_id, replies.c.message_id]
    ).returning(replies.c.id)


class ReplyQueries(Transaction):
    """Replies URL tokens and replies."""

    def reply_token(self, account_id: int) -> str | None:
        query = select(reply_tokens.c.token).where(reply_tokens.c.account_id == account_id)
        return self.conn.execute(query).scalar_one_or_none()

    def set_reply_token(self, account_id: int, token: str, token_hash: str, now: str) -> None:
        """Give the account this token, replacing any it had."""
        self.conn.execute(delete(reply_tokens).where(reply_tokens.c.account_id == account_id))
        self.conn.execute(
            insert(reply_tokens).values(
                account_id=account_id, token=token, token_hash=token_hash, created_at=now
            )
        )

    def account_for_reply_token(self, token_hash: str) -> int | None:
        query = select(reply_tokens.c.account_id).where(reply_tokens.c.token_hash == token_hash)
        found = self.conn.execute(query).scalar_one_or_none()
        return int(found) if found is not None else None

    def insert_reply(self, account_id: int, reply: ReplyRecord) -> bool:
        """Keep ``reply``; False (and nothing changed) when its message id came before."""
        values = {c.name: getattr(reply, c.name) for c in _REPLY_COLUMNS}
        found = self.conn.execute(
            self.dialect.built(_insert_new_reply), {**values, "account_id": account_id}
        ).first()
        return found is not None

    def reply(self, account_id: int, message_id: str) -> ReplyRecord | None:
        row = self.conn.execute(
            select(*_REPLY_COLUMNS).where(
                replies.c.account_id == account_id, replies.c.message_id == message_id
            )
        ).first()
        return _reply(row) if row else None

    def replies_page(self, account_id: int, skip: int, limit: int) -> list[ReplyRecord]:
        """The account's replies, newest first."""
        rows = self.conn.execute(
            select(*_REPLY_COLUMNS)
            .where(replies.c.account_id == account_id)
            .order_by(replies.c.id.desc())
            .offset(skip)
            .limit(limit)
        )
        return [_reply(r) for r in rows]

    def count_replies(self, account_id: int) -> int:
        query = select(func.count()).where(replies.c.account_id == account_id)
        return int(self.conn.execute(query).scalar_one())

    def replies_from(self, account_id: int, phone: str) -> list[ReplyRecord]:
        """The account's replies sent from ``phone``, oldest first."""
        rows = self.conn.execute(
            select(*_REPLY_COLUMNS)
            .where(replies.c.account_id == account_id, replies.c.phone == phone)
            .order_by(replies.c.id)
        )
        return [_reply(r) for r in rows]

    def delete_replies_from(self, account_id: int, phone: str) -> int:
        """Delete the account's replies sent from ``phone``; how many there were."""
        result = self.conn.execute(
            delete(replies).where(replies.c.account_id == account_id, replies.c.phone == phone)
        )
        return int(result.rowcount)
