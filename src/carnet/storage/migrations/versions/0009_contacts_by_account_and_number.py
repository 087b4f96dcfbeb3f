"""contacts found by account and number

``contact/search`` finds every contact of an account holding one number,
across its groups. The (group, number) uniqueness starts with the group, so
without this index the search would read every contact of the account; with
it, its cost does not grow with the account's size.

Revision ID: 0009
Revises: 0006
"""

from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_contacts_account_phone", "contacts", ["account_id", "phone"])


def downgrade() -> None:
    op.drop_index("ix_contacts_account_phone", table_name="contacts")
