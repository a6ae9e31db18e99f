"""Near-duplicate lookups read only the window's articles: each band row carries its article's day.

`article_bands.day`: whole days since 1970-01-01 (UTC) of the article's date — published, else fetched —
the date the 14-day window is measured on. The index `(band, hash, day)` replaces `(band, hash)`: a new
article's band searches read one range per band, the days of its window, instead of every article ever
stored that shares a band hash (issue 16: 2,400 candidates an article at 64,000 stored, each with its
signature, so that storing grew linearly with the store). Existing rows get their day from their
article here; `storage.duplicates.day` computes the same for new ones.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"

# whole days since 1970 of the article's date, rounded down (dates are after 1970: truncation is floor)
SQLITE_DAY = "CAST(julianday(COALESCE(a.published_at, a.fetched_at)) - 2440587.5 AS INTEGER)"
POSTGRESQL_DAY = "CAST(floor(extract(epoch FROM COALESCE(a.published_at, a.fetched_at)) / 86400) AS INTEGER)"


def upgrade() -> None:
    op.add_column("article_bands", sa.Column("day", sa.Integer))
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            f"UPDATE article_bands SET day = (SELECT {SQLITE_DAY} FROM articles a"
            " WHERE a.id = article_bands.article_id)"
        )
    else:
        op.execute(f"UPDATE article_bands SET day = {POSTGRESQL_DAY} FROM articles a WHERE a.id = article_id")
    op.drop_index("ix_article_bands_band_hash", "article_bands")
    op.create_index("ix_article_bands_lookup", "article_bands", ["band", "hash", "day"])


def downgrade() -> None:
    op.drop_index("ix_article_bands_lookup", "article_bands")
    op.create_index("ix_article_bands_band_hash", "article_bands", ["band", "hash"])
    with op.batch_alter_table("article_bands") as batch:
        batch.drop_column("day")
