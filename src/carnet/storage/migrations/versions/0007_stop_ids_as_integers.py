"""stop-list ids as integers, as upstream's

Upstream's stop list gives its entries integer ids (``"id": 19``), and clients
declare them so (``DeleteFromStops(id int)``): carnet's random strings could not
be decoded by them. Entries now carry a positive integer drawn at random below
2^53 (unguessable, exact in JavaScript); existing entries get new ones, so an
id handed out before this revision is answered as unknown afterwards.

Revision ID: 0007
Revises: 0006
"""

import secrets

from alembic import op
import sqlalchemy as sa

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_LIMIT = 2**53  # carnet.contract.STOP_ID_LIMIT, written here as it was at this revision
_UNIQUE = "uq_stop_entries_account_public_id"


def _fresh_ids(count: int) -> list[int]:
    ids: set[int] = set()
    while len(ids) < count:
        ids.add(secrets.randbelow(_LIMIT - 1) + 1)
    return list(ids)


def upgrade() -> None:
    conn = op.get_bind()
    entries = sa.table("stop_entries", sa.column("id", sa.BigInteger), sa.column("public_id"))
    keys = [row[0] for row in conn.execute(sa.select(entries.c.id))]
    if keys:
        conn.execute(
            entries.update()
            .where(entries.c.id == sa.bindparam("key"))
            .values(public_id=sa.bindparam("new_id")),
            [{"key": key, "new_id": str(new)} for key, new in zip(keys, _fresh_ids(len(keys)))],
        )
    with op.batch_alter_table("stop_entries") as batch:
        batch.drop_constraint(_UNIQUE, type_="unique")
        batch.alter_column(
            "public_id",
            existing_type=sa.String(length=32),
            type_=sa.BigInteger(),
            existing_nullable=False,
            postgresql_using="public_id::bigint",
        )
        batch.create_unique_constraint(_UNIQUE, ["account_id", "public_id"])


def downgrade() -> None:
    with op.batch_alter_table("stop_entries") as batch:
        batch.drop_constraint(_UNIQUE, type_="unique")
        batch.alter_column(
            "public_id",
            existing_type=sa.BigInteger(),
            type_=sa.String(length=32),
            existing_nullable=False,
            postgresql_using="public_id::text",
        )
        batch.create_unique_constraint(_UNIQUE, ["account_id", "public_id"])
