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
)

stop_entries = Table(
    "stop_entries",
    metadata,
    Column("id", Id, primary_key=True, autoincrement=True),
    Column("public_id", String(32), nullable=False),
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
