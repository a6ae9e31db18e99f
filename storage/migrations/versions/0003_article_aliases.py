"""Other URLs of a stored article, and how many entries each feed or sitemap fetch announced.

`article_aliases`: an article is stored under its page's canonical URL; the other canonical URLs it was
reached under (`?p=123`, a redirecting feed link) are kept here, so the next cycle knows them as stored
and does not fetch them again. `fetches.items`: entries a feed or sitemap answered with, so `rasd
status` can flag a feed that answers 200 with nothing in it.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_table(
        "article_aliases",
        sa.Column("canonical_url", sa.Text, primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), nullable=False, index=True),
    )
    op.add_column("fetches", sa.Column("items", sa.Integer))


def downgrade() -> None:
    with op.batch_alter_table("fetches") as batch:
        batch.drop_column("items")
    op.drop_table("article_aliases")
