"""Readers' verdicts on stored stories (`rasd label`).

`labels`: one row per verdict — the article, SSE or not (`sse`), the region the reader says the story is
about (`region`, ISO 3166-2:MA, NULL when not given), who gave it (`labelled_by`) and when
(`labelled_at`, UTC). Rows are never updated: a reader who changes their mind adds a row, and the newest
row of an article is its verdict, so the table is also the history of who said what.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"


def upgrade() -> None:
    op.create_table(
        "labels",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False, index=True),
        sa.Column("sse", sa.Boolean, nullable=False),
        sa.Column("region", sa.String(5)),
        sa.Column("labelled_by", sa.String(200), nullable=False),
        sa.Column("labelled_at", sa.DateTime, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("labels")
