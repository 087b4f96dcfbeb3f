"""The tables, in SQLAlchemy Core: one schema for SQLite and PostgreSQL.

Every row that belongs to an account carries ``account_id``; public ids
(``public_id``) are random strings, distinct from the integer keys the database
joins on, and unique within their account: the index that finds one starts
with the account, so that another account's id is missed by the index exactly
as an unknown one is, at the same cost. Timestamps are ISO 8601 text with
offset, as the wire shows them.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    false,
)

# Constraint names fixed so that migrations name the same thing on both engines.
metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# BIGINT on PostgreSQL, INTEGER (the rowid alias) on SQLite.
Id = BigInteger().with_variant(Integer(), "sqlite")

# A number in E.164: libphonenumber accepts up to 17 national digits behind a
# country code of up to 3, 21 characters with the "+" (migration 0003).
Phone = String(32)

accounts = Table(
    "accounts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("name", String(100), nullable=False, unique=True),
    Column("created_at", String(32), nullable=False),
)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    # SHA-256 of the key, hex: keys are long random strings, so a fast hash is
    # enough; the key itself is never stored.
    Column("key_hash", String(64), nullable=False, unique=True),
    Column("created_at", String(32), nullable=False),
    Column("revoked_at", String(32), nullable=True),
    # Migration 0008: the key's first characters, shown to tell keys apart
    # ("" for keys made before), and when it was last used (to the minute).
    Column("prefix", String(16), nullable=False, server_default=""),
    Column("last_used_at", String(32), nullable=True),
)

groups = Table(
    "groups",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False),
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("name", Text, nullable=False),
    Column("created_at", String(32), nullable=False),
    # Position given to the next contact stored in the group (contacts.seq).
    Column("next_seq", BigInteger, nullable=False, server_default="1"),
    Column("contact_count", BigInteger, nullable=False, server_default="0"),
    Index("ix_groups_account", "account_id", "id"),
    UniqueConstraint("account_id", "public_id", name="uq_groups_account_public_id"),
)

contacts = Table(
    "contacts",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False),
    # Declared for SQLite; on PostgreSQL migration 0002 drops these two foreign
    # keys (a check query per inserted row), and the group's lock keeps the rule.
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("group_id", Id, ForeignKey("groups.id", ondelete="CASCADE"), nullable=False),
    # Order of arrival within the group, from groups.next_seq: pages are read
    # by ranges of it rather than by OFFSET.
    Column("seq", BigInteger, nullable=False),
    Column("phone", Phone, nullable=False),
    Column("firstname", Text, nullable=False, server_default=""),
    Column("lastname", Text, nullable=False, server_default=""),
    Column("date", String(10), nullable=False, server_default=""),
    Column("url", Text, nullable=False, server_default=""),
    Column("short_url", Text, nullable=False, server_default=""),
    Column("custom1", Text, nullable=False, server_default=""),
    Column("custom2", Text, nullable=False, server_default=""),
    Column("custom3", Text, nullable=False, server_default=""),
    Column("custom4", Text, nullable=False, server_default=""),
    # The proof of consent (migration 0011): when, in UTC, and how.
    Column("consent_at", String(32), nullable=False, server_default=""),
    Column("consent_source", Text, nullable=False, server_default=""),
    Column("created_at", String(32), nullable=False),
    # One number once per group: the database enforces it, so two requests
    # cannot race past a check.
    UniqueConstraint("group_id", "phone", name="uq_contacts_group_phone"),
    UniqueConstraint("group_id", "seq", name="uq_contacts_group_seq"),
    UniqueConstraint("account_id", "public_id", name="uq_contacts_account_public_id"),
    # Finding a number across the account's groups (contact/search, migration 0009).
    Index("ix_contacts_account_phone", "account_id", "phone"),
)

stop_entries = Table(
    "stop_entries",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    # An integer as upstream's, drawn at random below 2^53 (migration 0007).
    Column("public_id", BigInteger, nullable=False),
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("phone", Phone, nullable=False),
    Column("created_at", String(32), nullable=False),
    UniqueConstraint("account_id", "phone", name="uq_stop_entries_account_phone"),
    UniqueConstraint("account_id", "public_id", name="uq_stop_entries_account_public_id"),
)

# Positions left empty in a group by deleted contacts: a page's first position
# is found by skipping these, so deep pages cost no more than the first.
contact_gaps = Table(
    "contact_gaps",
    metadata,
    Column("group_id", Id, ForeignKey("groups.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
)

# Import jobs (migration 0006): the job and its checkpoint, the uploaded file in
# chunks until the job ends, and the rows it refused or stored with warnings.
import_jobs = Table(
    "import_jobs",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False),
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("group_public_id", String(32), nullable=False),
    Column("file_name", Text, nullable=False),
    Column("status", String(16), nullable=False),
    Column("options", Text, nullable=False),  # JSON: how to read the file and store its rows
    Column("bytes_total", BigInteger, nullable=False, server_default="0"),
    Column("bytes_done", BigInteger, nullable=False, server_default="0"),
    # The checkpoint: data rows of the file judged, committed with their batch.
    Column("position", BigInteger, nullable=False, server_default="0"),
    Column("report", Text, nullable=False),  # JSON: the counts so far, what the file is
    Column("error", Text, nullable=False, server_default=""),
    Column("cancel_requested", Boolean, nullable=False, server_default=false()),
    # The server working on the job, until when (milliseconds since the epoch).
    Column("lease_owner", String(64), nullable=False, server_default=""),
    Column("lease_until", BigInteger, nullable=False, server_default="0"),
    Column("created_at", String(32), nullable=False),
    Column("started_at", String(32), nullable=False, server_default=""),
    Column("finished_at", String(32), nullable=False, server_default=""),
    Index("ix_import_jobs_account", "account_id", "id"),
    Index("ix_import_jobs_status", "status", "id"),
    UniqueConstraint("account_id", "public_id", name="uq_import_jobs_account_public_id"),
)

import_chunks = Table(
    "import_chunks",
    metadata,
    Column("job_id", Id, ForeignKey("import_jobs.id", ondelete="CASCADE"), primary_key=True),
    Column("seq", Integer, primary_key=True),
    Column("data", LargeBinary, nullable=False),
)

import_rows = Table(
    "import_rows",
    metadata,
    Column("job_id", Id, ForeignKey("import_jobs.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(8), primary_key=True),  # "refused" or "warning"
    Column("line", BigInteger, primary_key=True),
    Column("code", Integer, nullable=False),
    Column("fields", Text, nullable=False, server_default=""),
    Column("reason", Text, nullable=False),
    Column("cells", Text, nullable=False),  # JSON list: the row's cells as read
)

# The dashboard (migration 0008): people who sign in, their sessions, and the
# failed sign-ins that lock an email out for a minute.
people = Table(
    "people",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("email", String(254), nullable=False, unique=True),  # lower case
    Column("password_hash", Text, nullable=False),  # argon2id, with its parameters
    Column("created_at", String(32), nullable=False),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    # SHA-256 of the cookie's random token, hex: the token itself is never stored.
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("person_id", Id, ForeignKey("people.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("language", String(8), nullable=False, server_default=""),
    # Milliseconds since the epoch: the absolute and the idle timeouts count from these.
    Column("created_ms", BigInteger, nullable=False),
    Column("seen_ms", BigInteger, nullable=False),
    Index("ix_web_sessions_person", "person_id"),
)

sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("email", String(254), nullable=False),
    Column("failed_ms", BigInteger, nullable=False),
    Index("ix_sign_in_failures_email", "email", "failed_ms"),
)

# Replies and webhooks (migration 0010). Each account has one token for the URL its
# SMS provider posts replies to (kept in clear, since it is printed again; found by
# its SHA-256); the replies received, at most once per message id.
reply_tokens = Table(
    "reply_tokens",
    metadata,
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("token", String(64), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("created_at", String(32), nullable=False),
)

replies = Table(
    "replies",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False),
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("message_id", String(128), nullable=False),
    Column("phone", String(64), nullable=False),  # E.164 when it parsed, else as sent
    Column("text", Text, nullable=False),
    Column("part", Integer, nullable=False, server_default="1"),  # of a multi-part message
    Column("parts", Integer, nullable=False, server_default="1"),
    Column("stopped", Boolean, nullable=False, server_default=false()),
    Column("received_at", String(32), nullable=False),
    Index("ix_replies_account", "account_id", "id"),
    UniqueConstraint("account_id", "message_id", name="uq_replies_account_message_id"),
    UniqueConstraint("account_id", "public_id", name="uq_replies_account_public_id"),
)

# The outbox: every change an account's data went through, written in the change's
# own transaction (carnet.domain.changes), read by webhooks (and an audit trail).
changes = Table(
    "changes",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False),
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("event", String(32), nullable=False),
    Column("actor", String(64), nullable=False),
    Column("data", Text, nullable=False),  # JSON: the event's data, as webhooks send it
    Column("created_at", String(32), nullable=False),
    Index("ix_changes_account", "account_id", "id"),
)

webhooks = Table(
    "webhooks",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False),
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("url", Text, nullable=False),
    Column("events", Text, nullable=False),  # the events it takes, comma-separated
    Column("secret", String(64), nullable=False),  # whsec_..., to sign with
    Column("created_at", String(32), nullable=False),
    # The server sending its deliveries, until when (milliseconds since the epoch).
    Column("lease_owner", String(64), nullable=False, server_default=""),
    Column("lease_until", BigInteger, nullable=False, server_default="0"),
    Index("ix_webhooks_account", "account_id", "id"),
    UniqueConstraint("account_id", "public_id", name="uq_webhooks_account_public_id"),
)

# One row per (webhook, change) to send: pending until delivered or given up.
webhook_deliveries = Table(
    "webhook_deliveries",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("webhook_id", Id, ForeignKey("webhooks.id", ondelete="CASCADE"), nullable=False),
    Column("change_id", Id, ForeignKey("changes.id", ondelete="CASCADE"), nullable=False),
    Column("status", String(16), nullable=False),  # pending, delivered, failed
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("next_attempt_ms", BigInteger, nullable=False, server_default="0"),
    Column("created_ms", BigInteger, nullable=False),
    Column("last_status", Integer, nullable=False, server_default="0"),
    Column("last_error", Text, nullable=False, server_default=""),
    Column("delivered_at", String(32), nullable=False, server_default=""),
    Index("ix_webhook_deliveries_webhook", "webhook_id", "status", "id"),
    Index("ix_webhook_deliveries_due", "status", "next_attempt_ms"),
)

# The audit trail (migration 0011): one entry per change, written in the
# change's own transaction. Never a number, a name or a key: ``who`` is a key's
# prefix or a person's email, ``ids`` public ids (JSON list), ``counts`` JSON.
audit_entries = Table(
    "audit_entries",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("account_id", Id, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("at", String(32), nullable=False),
    Column("who", String(320), nullable=False),
    Column("action", String(32), nullable=False),
    Column("ids", Text, nullable=False),
    Column("counts", Text, nullable=False),
    Index("ix_audit_entries_account", "account_id", "id"),
    Index("ix_audit_entries_at", "at"),
)
