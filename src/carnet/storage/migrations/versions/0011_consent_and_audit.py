"""consent fields on contacts; the audit trail

``contacts`` gains ``consent_at`` (UTC, to the second) and ``consent_source``,
carnet's own proof of consent. ``audit_entries`` holds one entry per change:
when, the account, who (a key's prefix or a person's email), the action, the
public ids concerned and counts; never a number, a name or a key.

Revision ID: 0011
Revises: 0006
"""

from alembic import op
import sqlalchemy as sa

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("contacts") as batch_op:
        batch_op.add_column(
            sa.Column("consent_at", sa.String(length=32), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("consent_source", sa.Text(), server_default="", nullable=False))
    op.create_table(
        "audit_entries",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("who", sa.String(length=320), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("ids", sa.Text(), nullable=False),
        sa.Column("counts", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_audit_entries_account_id_accounts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_entries")),
    )
    with op.batch_alter_table("audit_entries") as batch_op:
        batch_op.create_index("ix_audit_entries_account", ["account_id", "id"])
        batch_op.create_index("ix_audit_entries_at", ["at"])


def downgrade() -> None:
    with op.batch_alter_table("audit_entries") as batch_op:
        batch_op.drop_index("ix_audit_entries_at")
        batch_op.drop_index("ix_audit_entries_account")
    op.drop_table("audit_entries")
    with op.batch_alter_table("contacts") as batch_op:
        batch_op.drop_column("consent_source")
        batch_op.drop_column("consent_at")
