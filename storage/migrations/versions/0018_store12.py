"""Storing an article writes less (issue 16): a contentless search index over the folded text only, and band
rows kept once, in their primary key.

SQLite only (PostgreSQL's `article_search` and `article_bands` are unchanged):
- `articles_fts` becomes a contentless FTS5 table (`content=''`) over the folded `title` and `text`. It kept
  a copy of every value it indexed (24 MB for 2,000 articles, against the articles' own 14 MB) that no
  search reads: a search reads the index's rowids and the articles' rows. And the `original` column — the
  title and text as shown, trigram-indexed again so that a query typed in the `sqlite3` shell found the
  spelling typed — is gone: half the index. A hand query folds its words with `rasd_match('…')` in
  `rasd browse` (Datasette's SQL page, monitor/browse_plugin.py), as its search box and `rasd search` do,
  and finds every spelling; docs/architecture.md says why. The folded values are copied from the old table
  as they are (no article is folded again). The index is rebuilt: minutes for a store of a million articles.
- `article_bands` becomes a WITHOUT ROWID table keyed on `(article_id, band)`: each band row was written to
  three B-trees (the table by rowid, the primary key's own index, `ix_article_bands_lookup`), now to two.

Revision ID: 0018
Revises: 0017
"""

from alembic import op

revision = "0018"
down_revision = "0017"

CONTENTLESS = "fts5(title, text, content='', tokenize='trigram')"
WITH_ORIGINAL = "fts5(title, text, original, tokenize='trigram')"
BANDS_WITHOUT_ROWID = (
    "CREATE TABLE article_bands_new (article_id INTEGER NOT NULL REFERENCES articles (id), band INTEGER NOT NULL,"
    " hash BIGINT NOT NULL, day INTEGER, PRIMARY KEY (article_id, band)) WITHOUT ROWID"
)
BANDS_WITH_ROWID = (
    "CREATE TABLE article_bands_new (article_id INTEGER NOT NULL REFERENCES articles (id), band INTEGER NOT NULL,"
    " hash BIGINT NOT NULL, day INTEGER, PRIMARY KEY (article_id, band))"
)


def _bands(create: str) -> None:
    op.execute(create)
    op.execute(
        "INSERT INTO article_bands_new (article_id, band, hash, day)"
        " SELECT article_id, band, hash, day FROM article_bands ORDER BY article_id, band"
    )
    op.execute("DROP TABLE article_bands")  # its index with it
    op.execute("ALTER TABLE article_bands_new RENAME TO article_bands")
    op.create_index("ix_article_bands_lookup", "article_bands", ["band", "hash", "day", "article_id"])


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(f"CREATE VIRTUAL TABLE articles_fts_new USING {CONTENTLESS}")
    op.execute("INSERT INTO articles_fts_new (rowid, title, text) SELECT rowid, title, text FROM articles_fts")
    op.execute("DROP TABLE articles_fts")
    op.execute("ALTER TABLE articles_fts_new RENAME TO articles_fts")
    _bands(BANDS_WITHOUT_ROWID)


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    # The contentless index cannot give its values back: the articles are folded again, as 0005 did.
    from rasd.extract import normalize_for_matching
    from rasd.storage.query_language import index_text

    bind = op.get_bind()
    op.execute("DROP TABLE articles_fts")
    op.execute(f"CREATE VIRTUAL TABLE articles_fts USING {WITH_ORIGINAL}")
    after = 0
    while rows := bind.exec_driver_sql(
        "SELECT id, title, text FROM articles WHERE id > ? ORDER BY id LIMIT 500", (after,)
    ).all():
        folded = [
            (
                id_,
                index_text(normalize_for_matching(title)),
                index_text(normalize_for_matching(body)),
                f"{title}\n{body}",
            )
            for id_, title, body in rows
        ]
        bind.exec_driver_sql("INSERT INTO articles_fts (rowid, title, text, original) VALUES (?, ?, ?, ?)", folded)
        after = rows[-1][0]
    _bands(BANDS_WITH_ROWID)
