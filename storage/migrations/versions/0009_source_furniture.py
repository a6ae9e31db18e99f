"""Each source's learned furniture (storage.furniture, extract.furniture).

`source_furniture`: per source, the lines that recur across its stored articles — folded (`line`), one
example as written, `kind` (noise: dropped wherever it stands; end: the article ends there), in how many
of the `sample` articles read it was found, when it was learned and when a page last carried it.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    op.create_table(
        "source_furniture",
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), primary_key=True),
        sa.Column("line", sa.Text, primary_key=True),
        sa.Column("example", sa.Text, nullable=False),
        sa.Column("kind", sa.String(8), nullable=False),
        sa.Column("articles", sa.Integer, nullable=False),
        sa.Column("sample", sa.Integer, nullable=False),
        sa.Column("learned_at", sa.DateTime, nullable=False),
        sa.Column("last_seen_at", sa.DateTime, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("source_furniture")
