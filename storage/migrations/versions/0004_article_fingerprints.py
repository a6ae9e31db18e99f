"""Fingerprints of articles for near-duplicate stories, and their LSH band hashes.

`article_fingerprints`: one row per article — the MinHash signature (`signature`, 4-byte values), the
scheme that made it (`scheme`, e.g. `minhash256-char4-b85r3`: a row of another scheme is recomputed), and
the figures the text states (`figures`, space-separated), which must agree for two articles to be one story.
`article_bands`: one row per article and LSH band; two articles sharing a (band, hash) are candidates for
being the same story. The index on (band, hash) is what makes the lookup cheap.

Articles stored before this revision get their fingerprints from `Store.backfill_fingerprints`, run at
the start of the next crawl cycle, not here: computing a fingerprint is extract's job
(`extract.fingerprint_of`), and a migration that imported it would change behaviour with the code it
imports, while the store's backfill also recomputes rows of an older scheme through the same path.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"

STORY_SOURCES_VIEW = """
CREATE VIEW story_sources AS
SELECT COALESCE(a.duplicate_of, a.id) AS story_id, a.id AS article_id, s.name AS source, a.title, a.url,
       a.published_at, a.duplicate_of IS NULL AS is_original
FROM articles a JOIN sources s ON s.id = a.source_id
"""


def upgrade() -> None:
    op.create_table(
        "article_fingerprints",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("scheme", sa.String(40), nullable=False),
        sa.Column("signature", sa.LargeBinary, nullable=False),
        sa.Column("figures", sa.Text, nullable=False),
    )
    op.create_table(
        "article_bands",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("band", sa.Integer, primary_key=True),
        sa.Column("hash", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_article_bands_band_hash", "article_bands", ["band", "hash"])
    op.execute(STORY_SOURCES_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW story_sources")
    op.drop_index("ix_article_bands_band_hash", "article_bands")
    op.drop_table("article_bands")
    op.drop_table("article_fingerprints")
