"""Digest channels beyond email: an Atom feed and push notifications per subscription, each with its own
delivery state, so that each is delivered exactly once, retried when it fails, and never holds up the
others (issue 14). `deliveries.channel` names the channel of each attempt (NULL: the email, as before).

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    op.create_table(
        "digest_channels",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("digest_id", sa.Integer, sa.ForeignKey("digests.id"), nullable=False, index=True),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("target", sa.Text, nullable=False),
        sa.Column("payload", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("claimed_at", sa.DateTime),
        sa.Column("sent_at", sa.DateTime),
        sa.UniqueConstraint("digest_id", "channel", "target", name="uq_digest_channels_once"),
    )
    with op.batch_alter_table("deliveries") as batch:
        batch.add_column(sa.Column("channel", sa.Text))


def downgrade() -> None:
    with op.batch_alter_table("deliveries") as batch:
        batch.drop_column("channel")
    op.drop_table("digest_channels")
