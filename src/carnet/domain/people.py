"""People who sign in to the dashboard: each acts for one account.

Passwords are hashed with argon2id (argon2-cffi's defaults); five failed
sign-ins for one email within a minute lock that email out for a minute.
"""

from __future__ import annotations

import dataclasses
import secrets
import time
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from carnet.contract import PASSWORD_MIN, SIGN_IN_ATTEMPTS, SIGN_IN_LOCK_SECONDS
from carnet.domain import audit
from carnet.domain.ids import now_iso
from carnet.domain.records import Account, PersonRecord
from carnet.domain.text import has_control_characters
from carnet.errors import (
    AuthenticationError,
    ConflictError,
    InvalidParameter,
    NotFoundError,
    RateLimited,
)
from carnet.storage import Queries, Store

EMAIL_MAX = 254
_hasher = PasswordHasher()  # argon2id


@cache
def _unknown() -> str:
    """Verified against when the email is unknown, so that both answers take as long."""
    return _hasher.hash(secrets.token_urlsafe(16))


class SignInFailed(AuthenticationError):
    default_message = "Wrong email or password"


class TooManyAttempts(RateLimited):
    default_message = "Too many attempts"


def normalise_email(email: str) -> str:
    """The email as stored: trimmed, lower case; :class:`InvalidParameter` when it is not one."""
    text = email.strip().lower()
    local, at, domain = text.partition("@")
    if not (local and at and domain) or len(text) > EMAIL_MAX or has_control_characters(text):
        raise InvalidParameter("not an email address", errors={"email": "not an email address"})
    if any(c.isspace() for c in text):
        raise InvalidParameter("not an email address", errors={"email": "not an email address"})
    return text


def hash_password(password: str) -> str:
    """The argon2id hash of a password of at least PASSWORD_MIN characters."""
    if len(password) < PASSWORD_MIN:
        reason = f"at least {PASSWORD_MIN} characters"
        raise InvalidParameter(f"password must be {reason}", errors={"password": reason})
    return _hasher.hash(password)


def add_person(store: Store, email: str, account_name: str, password: str) -> PersonRecord:
    """A new person for the account named ``account_name``."""
    email = normalise_email(email)
    hashed = hash_password(password)
    with store.write() as q:
        account = q.account_named(account_name)
        if account is None:
            raise NotFoundError(f"no account named {account_name!r}")
        if q.person_by_email(email) is not None:
            raise ConflictError(f"a person with the email {email} exists already")
        q.insert_person(account.id, email, hashed, now_iso())
        person = q.person_by_email(email)
        assert person is not None
        audit.record(q, account, "user.added", [email_id(person)])
    return person


def list_people(store: Store) -> list[PersonRecord]:
    """Everyone who may sign in, oldest first."""
    with store.read() as q:
        return q.list_people()


def _person(q: Queries, email: str) -> PersonRecord:
    person = q.person_by_email(normalise_email(email))
    if person is None:
        raise NotFoundError(f"no person with the email {email.strip().lower()}")
    return person


def remove_person(store: Store, email: str) -> None:
    """Remove a person; their sessions end."""
    with store.write() as q:
        person = _person(q, email)
        q.delete_person(person.id)
        audit.record(q, person.account, "user.removed", [email_id(person)])


def reset_password(store: Store, email: str, password: str) -> None:
    """Give a person a new password; their sessions end."""
    hashed = hash_password(password)
    with store.write() as q:
        q.set_password(_person(q, email).id, hashed)


def _locked_until_ms(failures: list[int]) -> int:
    """When the lock made by the latest five failures within a minute ends (0: none)."""
    window = SIGN_IN_LOCK_SECONDS * 1000
    for i in range(len(failures) - 1, SIGN_IN_ATTEMPTS - 2, -1):
        if failures[i] - failures[i - SIGN_IN_ATTEMPTS + 1] <= window:
            return failures[i] + window
    return 0


def sign_in(store: Store, email: str, password: str) -> PersonRecord:
    """The person with this email and password, else :class:`SignInFailed`.

    :class:`TooManyAttempts` while the email is locked out (checked first, so
    that a locked email learns nothing, not even a right password).
    """
    try:
        address = normalise_email(email)
    except InvalidParameter:
        raise SignInFailed() from None
    now_ms = int(time.time() * 1000)
    window = SIGN_IN_LOCK_SECONDS * 1000
    with store.read() as q:
        until = _locked_until_ms(q.sign_in_failures_since(address, now_ms - 2 * window))
        person = q.person_by_email(address)
    if until > now_ms:
        raise TooManyAttempts(retry_after=(until - now_ms) / 1000)
    try:
        _hasher.verify(person.password_hash if person else _unknown(), password)
    except (VerificationError, InvalidHashError):
        person = None
    if person is None:
        with store.write() as q:
            q.record_sign_in_failure(address, now_ms, now_ms - 2 * window)
        raise SignInFailed()
    with store.write() as q:
        audit.record(q, as_person(person), "user.signed_in", [email_id(person)])
    return person


def email_id(person: PersonRecord) -> str:
    """How the audit trail names a person among the ids: ``person:`` and their number
    (an email is personal data: it names who acted, never what was acted on)."""
    return f"person:{person.id}"


def as_person(person: PersonRecord) -> Account:
    """The person's account, acting as that person (the audit trail's ``who``)."""
    return dataclasses.replace(person.account, who=person.email)


def ensure_first_person(
    store: Store, email: str, password: str | None = None
) -> tuple[str, str] | None:
    """With no person yet and a ``default`` account, create one for it.

    Returns the email and the password (``password``, or a random one) to show
    once; None when there was nothing to do.
    """
    with store.read() as q:
        if q.count_people() > 0 or q.account_named("default") is None:
            return None
    password = password or secrets.token_urlsafe(12)
    try:
        person = add_person(store, email, "default", password)
    except ConflictError:  # another process made it first
        return None
    return person.email, password
