"""The topics of each classification, for a subscription's `topics` (branch surfaces12).

`classifications.topics`: the topics the story's SSE words belong to, by the names a subscription writes
(config/topics.py), space-separated — "cooperatives indh", "" for none:

    SELECT title FROM articles JOIN classifications ON article_id = articles.id WHERE topics LIKE '%cooperatives%'

NULL for the stories classified before: a digest of a subscription with `topics` fills them in for the
stories it may still send (those stored within its backlog), classifying them again once.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"


def upgrade() -> None:
    op.add_column("classifications", sa.Column("topics", sa.Text(), nullable=True))  # no table rewrite


def downgrade() -> None:
    op.drop_column("classifications", "topics")  # SQLite ≥ 3.35: no table rewrite, the views over it kept
