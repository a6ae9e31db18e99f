"""PostgreSQL: search through a trigram index (pg_trgm GIN over the folded words in article_search.body).

`rasd search` writes every term as `body LIKE '%pattern%'` (storage.query) with patterns of at least three
characters (" ess ", " coop", "تعاونيه"), which a `gin_trgm_ops` index answers without reading the table:
the same substring semantics as SQLite's trigram FTS5 table, so both databases find the same articles.
pg_trgm ships with PostgreSQL (contrib) and is a trusted extension since PostgreSQL 13: the database's
owner can create it. Where it is missing, the revision says so and search stays a scan.

Revision ID: 0011
Revises: 0010
"""

import logging

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"

log = logging.getLogger("alembic.runtime.migration")


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    available = bind.execute(sa.text("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'")).first()
    if available is None:
        log.warning("pg_trgm is not installed on this server: search reads every article (install postgresql-contrib)")
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    op.execute("CREATE INDEX ix_article_search_body_trgm ON article_search USING gin (body gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_article_search_body_trgm")
