"""Normalised search text for databases without the SQLite FTS5 index (PostgreSQL).

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        return  # SQLite searches articles_fts
    op.create_table(
        "article_search",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("body", sa.Text, nullable=False),  # normalised title and text (extract.normalize)
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        op.drop_table("article_search")
