"""Indexes for the queries the commands run, so they stay fast as the store grows (issue 16).

- `ix_articles_source_fetched` (articles: source_id, fetched_at): `rasd status` counts each source's
  articles (in all, in 7 days, in the 30 days up to its last one) and finds its newest; without it every
  count scanned the whole table once per source (18–20 s at 64,000 articles).
- `ix_fetches_source_answers` (fetches: source_id, fetched_at, only rows whose kind is not 'article'):
  `rasd status` reads each source's last feed, sitemap, listing and robots.txt answers; article fetches,
  nearly all of the table, are not in it.
- `ix_digest_items_article` (digest_items: article_id): grouping a new copy asks whether the story's
  original was delivered already; the existing keys start with digest_id or subscription.
- `ix_digests_unsent` (digests: id, only digests not sent): `rasd digest` looks for pending digests and
  claims left by a run that died; it read every digest ever sent, with its whole message, to find them.
- `ix_article_fingerprints_scheme`: the backfill each cycle starts with looks for fingerprints of another
  scheme. So that this is all it has to look for, every article stored before 0004 gets a placeholder
  fingerprint row of scheme '' (no signature, no bands): the backfill's search for articles without one
  was an anti-join over the whole articles table at the start of every cycle.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    op.create_index("ix_articles_source_fetched", "articles", ["source_id", "fetched_at"])
    not_article = sa.text("kind != 'article'")
    op.create_index(
        "ix_fetches_source_answers",
        "fetches",
        ["source_id", "fetched_at"],
        sqlite_where=not_article,
        postgresql_where=not_article,
    )
    op.create_index("ix_digest_items_article", "digest_items", ["article_id"])
    unsent = sa.text("status != 'sent'")
    op.create_index("ix_digests_unsent", "digests", ["id"], sqlite_where=unsent, postgresql_where=unsent)
    op.get_bind().execute(
        sa.text(
            "INSERT INTO article_fingerprints (article_id, scheme, signature, figures)"
            " SELECT a.id, '', :empty, '' FROM articles a"
            " WHERE NOT EXISTS (SELECT 1 FROM article_fingerprints f WHERE f.article_id = a.id)"
        ).bindparams(sa.bindparam("empty", b"", type_=sa.LargeBinary))
    )
    op.create_index("ix_article_fingerprints_scheme", "article_fingerprints", ["scheme"])


def downgrade() -> None:
    op.drop_index("ix_article_fingerprints_scheme", "article_fingerprints")
    op.execute("DELETE FROM article_fingerprints WHERE scheme = ''")
    op.drop_index("ix_digests_unsent", "digests")
    op.drop_index("ix_digest_items_article", "digest_items")
    op.drop_index("ix_fetches_source_answers", "fetches")
    op.drop_index("ix_articles_source_fetched", "articles")
