"""The topics of each classification, for a subscription's `topics`, and its evidence, for the digest's "why"
(branch surfaces12).

`classifications.topics`: the topics the story's SSE words belong to, by the names a subscription writes
(config/topics.py), space-separated — "cooperatives indh", "" for none:

    SELECT title FROM articles JOIN classifications ON article_id = articles.id WHERE topics LIKE '%cooperatives%'

NULL for the stories classified before: a digest of a subscription with `topics` fills them in for the
stories it may still send (those stored within its backlog), classifying them again once.

`classifications.evidence`: what the classification rests on (`classify.Evidence.as_json`: the matched terms as
the story writes them, their topics, counts and points; the places; the closest reference story), which the
digest's plain-words "why" is made of. The digest read it by classifying each story again: the classifier's
loading and its first story cost a digest about a second. NULL for the stories classified before: those are
classified again, as before.

Revision ID: 0019
Revises: 0018
"""

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"


def upgrade() -> None:
    op.add_column("classifications", sa.Column("topics", sa.Text(), nullable=True))  # no table rewrite
    op.add_column("classifications", sa.Column("evidence", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("classifications", "evidence")  # SQLite ≥ 3.35: no table rewrite, the views over it kept
    op.drop_column("classifications", "topics")
