"""replies, reply tokens, the outbox of changes, webhooks and their deliveries

Each account gets a token for the URL its SMS provider posts replies to; the
replies received are kept, once per message id. Every change to an account's
data is written to ``changes`` in the change's own transaction (the outbox);
``webhook_deliveries`` holds one row per webhook and change to send, pending
until delivered or given up, and ``webhooks`` the lease of the server sending.

Revision ID: 0010
Revises: 0006
"""

from alembic import op
import sqlalchemy as sa

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _account_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["account_id"],
        ["accounts.id"],
        name=op.f(f"fk_{table}_account_id_accounts"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "reply_tokens",
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("token", sa.String(length=64), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        _account_fk("reply_tokens"),
        sa.PrimaryKeyConstraint("account_id", name=op.f("pk_reply_tokens")),
        sa.UniqueConstraint("token_hash", name="uq_reply_tokens_token_hash"),
    )
    op.create_table(
        "replies",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("message_id", sa.String(length=128), nullable=False),
        sa.Column("phone", sa.String(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("part", sa.Integer(), server_default="1", nullable=False),
        sa.Column("parts", sa.Integer(), server_default="1", nullable=False),
        sa.Column("stopped", sa.Boolean(), server_default=sa.false(), nullable=False),
        sa.Column("received_at", sa.String(length=32), nullable=False),
        _account_fk("replies"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replies")),
        sa.UniqueConstraint("account_id", "message_id", name="uq_replies_account_message_id"),
        sa.UniqueConstraint("account_id", "public_id", name="uq_replies_account_public_id"),
    )
    with op.batch_alter_table("replies") as batch_op:
        batch_op.create_index("ix_replies_account", ["account_id", "id"])
    op.create_table(
        "changes",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("event", sa.String(length=32), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        _account_fk("changes"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_changes")),
    )
    with op.batch_alter_table("changes") as batch_op:
        batch_op.create_index("ix_changes_account", ["account_id", "id"])
    op.create_table(
        "webhooks",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("public_id", sa.String(length=32), nullable=False),
        sa.Column("account_id", _ID, nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("events", sa.Text(), nullable=False),
        sa.Column("secret", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("lease_owner", sa.String(length=64), server_default="", nullable=False),
        sa.Column("lease_until", sa.BigInteger(), server_default="0", nullable=False),
        _account_fk("webhooks"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks")),
        sa.UniqueConstraint("account_id", "public_id", name="uq_webhooks_account_public_id"),
    )
    with op.batch_alter_table("webhooks") as batch_op:
        batch_op.create_index("ix_webhooks_account", ["account_id", "id"])
    op.create_table(
        "webhook_deliveries",
        sa.Column("id", _ID, autoincrement=True, nullable=False),
        sa.Column("webhook_id", _ID, nullable=False),
        sa.Column("change_id", _ID, nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("next_attempt_ms", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("created_ms", sa.BigInteger(), nullable=False),
        sa.Column("last_status", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), server_default="", nullable=False),
        sa.Column("delivered_at", sa.String(length=32), server_default="", nullable=False),
        sa.ForeignKeyConstraint(
            ["webhook_id"],
            ["webhooks.id"],
            name=op.f("fk_webhook_deliveries_webhook_id_webhooks"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["change_id"],
            ["changes.id"],
            name=op.f("fk_webhook_deliveries_change_id_changes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
    )
    with op.batch_alter_table("webhook_deliveries") as batch_op:
        batch_op.create_index(
            "ix_webhook_deliveries_webhook", ["webhook_id", "status", "id"]
        )
        batch_op.create_index("ix_webhook_deliveries_due", ["status", "next_attempt_ms"])


def downgrade() -> None:
    op.drop_table("webhook_deliveries")
    op.drop_table("webhooks")
    op.drop_table("changes")
    op.drop_table("replies")
    op.drop_table("reply_tokens")
