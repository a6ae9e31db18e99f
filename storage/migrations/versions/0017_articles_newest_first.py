"""Searches read the articles newest first through an index (issue 16).

`rasd search` shows the newest matches first, ordered by when an article was published (when it was fetched,
for one without a date). Nothing held that order: every search read each match's row — the whole article,
its text too — to sort them all and count them, so a word found in a quarter of a million articles took
seconds, and `--sse`, `--region`, `--source` read every match's row again to check it.

- `ix_articles_moment` (articles: coalesce(published_at, fetched_at), id, source_id, lang,
  duplicate_of): walked
  from its newest end, a search of a common word stops once its page is full; a date range is a range of it;
  the source, the language and the story (whose readers' verdicts `--sse` reads) are in the index, so an
  article passed over is never read.
- `ix_articles_source_moment` (articles: source_id, coalesce(published_at, fetched_at), id, lang,
  duplicate_of):
  `--source` walks that source's articles newest first.

Revision ID: 0017
Revises: 0016
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"

MOMENT = "coalesce(published_at, fetched_at)"


def upgrade() -> None:
    op.create_index("ix_articles_moment", "articles", [sa.text(MOMENT), "id", "source_id", "lang", "duplicate_of"])
    op.create_index(
        "ix_articles_source_moment", "articles", ["source_id", sa.text(MOMENT), "id", "lang", "duplicate_of"]
    )


def downgrade() -> None:
    op.drop_index("ix_articles_source_moment", "articles")
    op.drop_index("ix_articles_moment", "articles")
