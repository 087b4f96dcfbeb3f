"""public ids unique within their account

An id was found through an index of public ids alone, and then its row was
read to check the account: another account's id cost one more row read than
an unknown one, a difference a client could time. The index now starts with
the account, so both are misses in the index alone. Ids stay unguessable
random strings; no lookup ever left out the account.

Revision ID: 0004
Revises: 0003
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_TABLES = ("groups", "contacts", "stop_entries")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"uq_{table}_public_id", type_="unique")
            batch.create_unique_constraint(
                f"uq_{table}_account_public_id", ["account_id", "public_id"]
            )


def downgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"uq_{table}_account_public_id", type_="unique")
            batch.create_unique_constraint(f"uq_{table}_public_id", ["public_id"])
