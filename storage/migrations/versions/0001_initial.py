"""Initial schema: sources, feeds, fetches, articles, classifications, digests, FTS index and views.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None

SSE_STORIES_VIEW = """
CREATE VIEW sse_stories AS
SELECT a.id, a.title, a.url, s.name AS source, a.published_at, a.lang,
       c.score, c.regions, c.reasons, a.fetched_at
FROM articles a
JOIN sources s ON s.id = a.source_id
JOIN classifications c ON c.article_id = a.id
WHERE c.sse AND a.duplicate_of IS NULL
"""

SOURCE_HEALTH_VIEW = """
CREATE VIEW source_health AS
SELECT s.name,
       MAX(CASE WHEN f.outcome IN ('ok', 'not_modified') THEN f.fetched_at END) AS last_success,
       MAX(f.fetched_at) AS last_attempt,
       SUM(CASE WHEN f.outcome IN ('http_error', 'error', 'blocked') THEN 1 ELSE 0 END) AS failed_fetches,
       COUNT(f.id) AS fetches
FROM sources s LEFT JOIN fetches f ON f.source_id = s.id
GROUP BY s.id, s.name
"""


def upgrade() -> None:
    op.create_table(
        "sources",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("region", sa.String(5)),
        sa.Column("lang", sa.String(8)),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "feeds",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("url", sa.Text, nullable=False, unique=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("etag", sa.Text),
        sa.Column("last_modified", sa.Text),
        sa.Column("last_checked_at", sa.DateTime),
        sa.Column("last_status", sa.Integer),
    )
    op.create_table(
        "fetches",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id")),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("status", sa.Integer),
        sa.Column("bytes", sa.Integer, nullable=False),
        sa.Column("duration_ms", sa.Integer, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("error", sa.Text),
        sa.Column("fetched_at", sa.DateTime, nullable=False, index=True),
    )
    op.create_index("ix_fetches_source_time", "fetches", ["source_id", "fetched_at"])
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source_id", sa.Integer, sa.ForeignKey("sources.id"), nullable=False),
        sa.Column("url", sa.Text, nullable=False),
        sa.Column("canonical_url", sa.Text, nullable=False, unique=True),
        sa.Column("title", sa.Text, nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("published_at", sa.DateTime, index=True),
        sa.Column("date_source", sa.String(32)),
        sa.Column("author", sa.Text),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False, index=True),
        sa.Column("fetched_at", sa.DateTime, nullable=False, index=True),
        sa.Column("duplicate_of", sa.Integer, sa.ForeignKey("articles.id"), index=True),
    )
    op.create_table(
        "classifications",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("sse", sa.Boolean, nullable=False, index=True),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("regions", sa.Text, nullable=False),
        sa.Column("reasons", sa.Text, nullable=False),
        sa.Column("parts", sa.Text, nullable=False),
        sa.Column("classified_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "article_regions",
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("region", sa.String(5), primary_key=True, index=True),
        sa.Column("rank", sa.Integer, nullable=False),
    )
    op.create_table(
        "digests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("subscription", sa.String(200), nullable=False, index=True),
        sa.Column("recipient", sa.Text, nullable=False),
        sa.Column("subject", sa.Text, nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("status", sa.String(16), nullable=False, index=True),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("last_error", sa.Text),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("claimed_at", sa.DateTime),
        sa.Column("sent_at", sa.DateTime),
        sa.Column("delivered_to", sa.Text),
    )
    op.create_table(
        "digest_items",
        sa.Column("digest_id", sa.Integer, sa.ForeignKey("digests.id"), primary_key=True),
        sa.Column("article_id", sa.Integer, sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("subscription", sa.String(200), nullable=False),
        sa.UniqueConstraint("subscription", "article_id", name="uq_digest_items_once"),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("digest_id", sa.Integer, sa.ForeignKey("digests.id"), nullable=False, index=True),
        sa.Column("attempted_at", sa.DateTime, nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("error", sa.Text),
    )
    if op.get_bind().dialect.name == "sqlite":
        # Normalised title and text (see extract.normalize), written by storage in the same transaction
        # as the article; trigram so a query matches inside words carrying Arabic clitics (ال، لل، و).
        op.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, tokenize='trigram')")
    op.execute(SSE_STORIES_VIEW)
    op.execute(SOURCE_HEALTH_VIEW)


def downgrade() -> None:
    op.execute("DROP VIEW source_health")
    op.execute("DROP VIEW sse_stories")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE articles_fts")
    for table in (
        "deliveries",
        "digest_items",
        "digests",
        "article_regions",
        "classifications",
        "articles",
        "fetches",
        "feeds",
        "sources",
    ):
        op.drop_table(table)
