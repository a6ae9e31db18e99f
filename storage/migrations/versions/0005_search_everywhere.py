"""The search index rebuilt so that word edges count and a query typed by hand finds something.

SQLite: `articles_fts` gets its folded `title` and `text` as storage.search.index_text writes them (words
one space apart, a space at each end: " ess " is the word, not the inside of "business") and a third
column, `original`, holding the title and text as shown, for queries typed in the `sqlite3` shell or in
Datasette without folding. PostgreSQL: `article_search.body` is rewritten in the same indexed form.

The index is derived data that must agree with the code that queries it, so this revision fills it with
today's folding (rasd.storage.search), unlike 0004's fingerprints, which the store backfills.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

from rasd.extract import normalize_for_matching
from rasd.storage.query_language import index_rows

revision = "0005"
down_revision = "0004"

BATCH = 500
# This revision's table (0018 dropped `original`): its own statement, not storage's of today.
INSERT_FTS = sa.text("INSERT INTO articles_fts(rowid, title, text, original) VALUES (:id, :title, :text, :original)")


def _rows(after: int) -> list[tuple[int, str, str]]:
    articles = sa.text("SELECT id, title, text FROM articles WHERE id > :after ORDER BY id LIMIT :batch")
    return [(row.id, row.title, row.text) for row in op.get_bind().execute(articles, {"after": after, "batch": BATCH})]


def _reindex() -> None:
    bind = op.get_bind()
    after = 0
    while batch := _rows(after):
        folded = [(i, normalize_for_matching(title), normalize_for_matching(text)) for i, title, text in batch]
        rows = index_rows(folded)
        if bind.dialect.name == "sqlite":
            shown = {i: f"{title}\n{text}" for i, title, text in batch}
            bind.execute(INSERT_FTS, [row | {"original": shown[row["id"]]} for row in rows])
        else:
            bind.execute(
                sa.text("UPDATE article_search SET body = :body WHERE article_id = :id"),
                [{"id": row["id"], "body": row["body"]} for row in rows],
            )
        after = batch[-1][0]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE articles_fts")
        op.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, original, tokenize='trigram')")
    _reindex()


def downgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return  # 0002's body searched with every word as a substring: the indexed form reads the same way
    op.execute("DROP TABLE articles_fts")
    op.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, tokenize='trigram')")
    after = 0
    while batch := _rows(after):
        folded = [{"id": i, "title": normalize_for_matching(t), "text": normalize_for_matching(x)} for i, t, x in batch]
        bind.execute(sa.text("INSERT INTO articles_fts(rowid, title, text) VALUES (:id, :title, :text)"), folded)
        after = batch[-1][0]
