"""Each source's learned furniture (storage.furniture, extract.furniture).

`source_furniture`: per source, the lines that recur across its stored articles — folded (`line`), one
example as written, `kind` (noise: dropped wherever it stands; end: the article ends there), in how many
of the `sample` articles read it was found, when it was learned and when a page last carried it.
`source_id` is a source's id without a FOREIGN KEY clause: SQLite's batch migrations rebuild `sources`
(drop and rename), which a foreign key from a table with rows makes fail (0013's downgrade did), and
sources are never deleted.

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
        sa.Column("source_id", sa.Integer, primary_key=True),  # sources.id; no FOREIGN KEY, see above
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
