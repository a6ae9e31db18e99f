"""PostgreSQL: search through a `tsvector` of the folded words (GIN) and a vocabulary of the Arabic words
for searching inside words.

The pg_trgm index of 0011 answered `body LIKE '%pattern%'`, but a word found in most articles made it
hand back most rows, each re-checked against its stored text: 3.3 s for المغرب on 100,000 articles. Here:
- `article_search.words`, generated from `body` with the 'simple' configuration (no stemming, no stop
  words: `body` is already folded and split into words one space apart, and every word must stay
  searchable), under a GIN index: whole words, prefixes (`coop:*`) and phrases (`<->`) are index lookups
  that need no re-check of the text;
- `search_words`, every Arabic word of three letters or more that the store holds, with a trigram index:
  an Arabic word matches inside words (its clitics: والتعاونية, للتعاونية), so storage.query looks up the
  stored words containing it here and searches the articles for those.
The trigram index over `body` is dropped: nothing searches `body` with an index any longer (a word inside
more stored words than storage.query expands is searched with LIKE, which is a scan either way).

Revision ID: 0014
Revises: 0013
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"

log = logging.getLogger("alembic.runtime.migration")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_article_search_body_trgm")
    op.execute(
        "ALTER TABLE article_search ADD COLUMN words tsvector"
        " GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, body)) STORED"
    )
    op.execute("CREATE INDEX ix_article_search_words ON article_search USING gin (words)")
    op.execute("CREATE TABLE search_words (word text PRIMARY KEY)")
    op.execute(
        "INSERT INTO search_words (word) SELECT word FROM ts_stat('SELECT words FROM article_search')"
        " WHERE word ~ '[\u0600-\u06ff]' AND char_length(word) >= 3"
    )
    trigrams = bind.execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first()
    if trigrams is None:
        log.warning("pg_trgm is not installed: searching inside Arabic words reads the whole vocabulary")
    else:
        op.execute("CREATE INDEX ix_search_words_trgm ON search_words USING gin (word gin_trgm_ops)")
    op.execute("CREATE INDEX ix_articles_search_order ON articles ((coalesce(published_at, fetched_at)) DESC, id DESC)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TABLE IF EXISTS search_words")
    op.execute("ALTER TABLE article_search DROP COLUMN IF EXISTS words")
    if op.get_bind().execute(sa.text("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")).first():
        op.execute("CREATE INDEX ix_article_search_body_trgm ON article_search USING gin (body gin_trgm_ops)")
