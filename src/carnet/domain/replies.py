"""Replies to a campaign: kept, and the ones asking to stop put their number on the stop list.

The SMS provider posts each reply to the account's replies URL, whose token is
the only credential (the provider cannot add an API key). A reply is kept once
per message id, so a provider that posts it again changes nothing. A reply
whose first word asks to stop (:data:`carnet.contract.REPLY_STOP_WORDS`, any
case, accents and trailing punctuation ignored) stops its sender's number; a
message in several parts is judged once, on its first part.
"""

from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass

from carnet.contract import (
    PAGE_SIZE,
    REPLY_MESSAGE_ID_MAX,
    REPLY_NUMBER_MAX,
    REPLY_STOP_WORDS,
)
from carnet.domain.accounts import hash_key
from carnet.domain.hook_records import ReplyRecord
from carnet.domain.ids import new_public_id, now_iso
from carnet.domain.phones import InvalidPhone, normalise_phone
from carnet.domain.records import Account
from carnet.domain.stoplist import stop_number
from carnet.errors import InvalidParameter, MissingParameter, NotFoundError
from carnet.storage import Store

_STOP_WORDS = frozenset(REPLY_STOP_WORDS)
# A token as :func:`new_reply_token` makes them; anything else names no account.
_TOKEN_CHARACTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
_TOKEN_LENGTH = 43


@dataclass(frozen=True, slots=True)
class ReplyInput:
    """A reply as the provider posted it, read off the wire (either of its shapes)."""

    message_id: str | None
    number: str | None
    text: str = ""
    part: int = 1
    parts: int = 1


def asks_to_stop(text: str) -> bool:
    """Whether the reply's first word is a stop word (any case, accents, trailing punctuation)."""
    words = text.split(maxsplit=1)
    if not words:
        return False
    word = words[0]
    while word and unicodedata.category(word[-1]).startswith("P"):
        word = word[:-1]
    decomposed = unicodedata.normalize("NFKD", word)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return bare.upper() in _STOP_WORDS


def sender_number(raw: str) -> str | None:
    """The sender's number in E.164, or None when it is no valid number.

    Long numbers send it in international form without ``+`` (``33612345678``);
    the short number may send any form a contact's number takes.
    """
    text = raw.strip()
    candidates = [text]
    if text.isascii() and text.isdigit() and not text.startswith("0"):
        candidates.insert(0, "+" + text)
    for candidate in candidates:
        try:
            return normalise_phone(candidate)
        except InvalidPhone:
            continue
    return None


def _checked(given: ReplyInput) -> tuple[str, str]:
    """The message id and the number, or the error naming what is missing or wrong."""
    if not given.message_id:
        raise MissingParameter("messageId is required", errors={"messageId": "required"})
    if len(given.message_id) > REPLY_MESSAGE_ID_MAX:
        reason = f"at most {REPLY_MESSAGE_ID_MAX} characters"
        raise InvalidParameter(f"messageId is {reason}", errors={"messageId": reason})
    if not given.number:
        raise MissingParameter("msisdn is required", errors={"msisdn": "required"})
    if len(given.number) > REPLY_NUMBER_MAX:
        reason = f"at most {REPLY_NUMBER_MAX} characters"
        raise InvalidParameter(f"msisdn is {reason}", errors={"msisdn": reason})
    return given.message_id, given.number


def account_for_token(store: Store, token: str) -> int:
    """The id of the account whose replies URL holds ``token``, or :class:`NotFoundError`."""
    if len(token) == _TOKEN_LENGTH and set(token) <= _TOKEN_CHARACTERS:
        with store.read() as q:
            account_id = q.account_for_reply_token(hash_key(token))
        if account_id is not None:
            return account_id
    raise NotFoundError("Unknown replies URL")


def receive_reply(store: Store, token: str, given: ReplyInput) -> ReplyRecord:
    """Keep a reply posted to the replies URL of ``token``; stop its number if it asks.

    An unknown token is 404 before anything else. The reply answered is the one
    kept: the earlier one when this message id was received already.
    """
    account_id = account_for_token(store, token)
    message_id, raw_number = _checked(given)
    phone = sender_number(raw_number)
    stops = phone is not None and given.part == 1 and asks_to_stop(given.text)
    reply = ReplyRecord(
        public_id=new_public_id(),
        message_id=message_id,
        phone=phone or raw_number.strip(),
        text=given.text,
        part=given.part,
        parts=given.parts,
        stopped=stops,
        received_at=now_iso(),
    )
    with store.write() as q:
        if not q.insert_reply(account_id, reply):
            earlier = q.reply(account_id, message_id)
            assert earlier is not None  # the unique index said it is there
            return earlier
        if stops and phone is not None:
            # The sender acts: the audit trail names the replies URL, not a key.
            stop_number(q, Account(account_id, "", "", who="replies"), phone, actor="replies")
    return reply


@dataclass(frozen=True, slots=True)
class ReplyPage:
    number: int
    total: int
    replies: list[ReplyRecord]


def list_replies(store: Store, account: Account, page: int = 1) -> ReplyPage:
    """Page ``page`` (from 1) of the account's replies, newest first."""
    if page < 1:
        raise InvalidParameter("page must be a positive integer", errors={"page": "invalid"})
    with store.read() as q:
        found = q.replies_page(account.id, (page - 1) * PAGE_SIZE, PAGE_SIZE)
        total = q.count_replies(account.id)
    return ReplyPage(page, total, found)


def new_reply_token() -> str:
    """A fresh random token for a replies URL (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


def replies_token(store: Store, account_name: str, *, rotate: bool = False) -> str:
    """The token of the account's replies URL, made on first use; a new one with ``rotate``
    (the old URL then answers 404)."""
    with store.write() as q:
        account = q.account_named(account_name)
        if account is None:
            raise NotFoundError(f"no account named {account_name!r}")
        token = None if rotate else q.reply_token(account.id)
        if token is None:
            token = new_reply_token()
            q.set_reply_token(account.id, token, hash_key(token), now_iso())
    return token


def replies_url(base: str, token: str) -> str:
    """The whole replies URL of ``token`` on a server reached at ``base``."""
    return f"{base.rstrip('/')}/v1/hooks/replies/{token}"
