"""phone numbers as long as libphonenumber allows

E.164 caps a number at 15 digits, but libphonenumber accepts longer national
numbers (up to 17 digits behind a country code of up to 3: 21 characters in
E.164, e.g. German ``+49305560612725420``), and carnet stores whatever it
accepts. VARCHAR(16) refused them on PostgreSQL; 32 leaves room. On
PostgreSQL widening a VARCHAR rewrites neither the table nor its indexes; on
SQLite, which does not enforce the width, the table is rebuilt so that its
declared schema matches schema.py.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_TABLES = ("contacts", "stop_entries")


def upgrade() -> None:
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                "phone", existing_type=sa.String(16), type_=sa.String(32), existing_nullable=False
            )


def downgrade() -> None:
    # Fails on PostgreSQL while a stored number is longer than 16 characters.
    for table in _TABLES:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(
                "phone", existing_type=sa.String(32), type_=sa.String(16), existing_nullable=False
            )
