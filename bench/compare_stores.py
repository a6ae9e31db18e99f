"""Do two SQLite stores hold the same articles? For a change to storing that must leave every row as it was.

    .venv/bin/python bench/compare_stores.py A.db B.db
    .venv/bin/python bench/compare_stores.py postgresql://…/a postgresql://…/b     # two PostgreSQL stores

Each article is keyed by its canonical URL, not its id, so two crawls of one web (bench/bench_crawl.py
--keep), whose pages arrive in another order, compare too. Compared per article: its fields (the fetch
time apart), its classification (the time apart), its regions, aliases, fingerprint (scheme, signature,
figures), its band rows (band, hash, day), its search index entry (the folded title's and text's trigrams, each at
its place, as the index holds them) and its group
(the canonical URL of the story it is a copy of); on PostgreSQL the search entry is the folded words and their
tsvector (`article_search`), and the vocabulary of `search_words` is compared as a whole. Prints the
differences, at most a few per table, and their count; exits 1 when there is one.
"""

from __future__ import annotations

import sqlite3
import sys
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

SHOWN = 5  # differences printed per table

# Each query's first column is the article's canonical URL; its rows are gathered per article.
QUERIES = {
    "articles": "SELECT a.canonical_url, s.name, a.url, a.title, a.text, a.published_at, a.date_source, a.author,"
    " a.lang, a.content_hash, o.canonical_url FROM articles a JOIN sources s ON s.id = a.source_id"
    " LEFT JOIN articles o ON o.id = a.duplicate_of",
    "classifications": "SELECT a.canonical_url, c.sse, c.score, c.regions, c.reasons, c.parts,"
    " c.topics, c.evidence"
    " FROM classifications c JOIN articles a ON a.id = c.article_id",
    "regions": "SELECT a.canonical_url, r.region, r.rank FROM article_regions r JOIN articles a ON a.id = r.article_id",
    "aliases": "SELECT a.canonical_url, l.canonical_url FROM article_aliases l JOIN articles a ON a.id = l.article_id",
    "fingerprints": "SELECT a.canonical_url, f.scheme, f.signature, f.figures"
    " FROM article_fingerprints f JOIN articles a ON a.id = f.article_id",
    "bands": "SELECT a.canonical_url, b.band, b.hash, b.day"
    " FROM article_bands b JOIN articles a ON a.id = b.article_id",
}
INDEXED = ("title", "text")  # the search index's columns compared (a store before 0018 also had `original`)


def search_entries(database: Path) -> dict[str, list[tuple[object, ...]]]:
    """Each article's entry in the search index, read from the index itself (FTS5's `fts5vocab`, one row per
    trigram and place: the index is contentless since migration 0018, its values are not stored): per
    column, how many trigrams and a digest of which one stands at which place."""
    digests: dict[tuple[int, str], list[int]] = {}
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        connection.execute("CREATE VIRTUAL TABLE temp.indexed USING fts5vocab(main, articles_fts, 'instance')")
        for term, doc, column, offset in connection.execute("SELECT term, doc, col, offset FROM temp.indexed"):
            if column in INDEXED:
                digest = digests.setdefault((doc, column), [0, 0])
                digest[0] += 1
                digest[1] = (digest[1] + (offset + 1) * hash(term)) % (1 << 61)
        urls = dict(connection.execute("SELECT id, canonical_url FROM articles"))
    gathered: dict[str, list[tuple[object, ...]]] = {}
    for (doc, column), (count, summed) in digests.items():
        gathered.setdefault(urls[doc], []).append((column, count, summed))
    return {url: sorted(rows, key=repr) for url, rows in gathered.items()}


def is_postgres(database: Path | str) -> bool:
    return str(database).startswith("postgresql")


def fetched(database: Path | str, query: str) -> list[tuple[object, ...]]:
    """The rows of a query on an SQLite file (read only) or a PostgreSQL database (its URL)."""
    if is_postgres(database):
        import psycopg

        with psycopg.connect(str(database).replace("postgresql+psycopg://", "postgresql://")) as connection:
            return [tuple(row) for row in connection.execute(query)]  # type: ignore[arg-type]
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
        return connection.execute(query).fetchall()


def rows_by_article(database: Path | str, query: str) -> dict[str, list[tuple[object, ...]]]:
    gathered: dict[str, list[tuple[object, ...]]] = {}
    for url, *rest in fetched(database, query):
        gathered.setdefault(str(url), []).append(tuple(rest))
    return {url: sorted(rows, key=repr) for url, rows in gathered.items()}


POSTGRES_SEARCH = (
    "SELECT a.canonical_url, s.body, s.words::text FROM article_search s JOIN articles a ON a.id = s.article_id"
)


def vocabulary(database: Path | str) -> dict[str, list[tuple[object, ...]]]:
    """PostgreSQL's `search_words`, as one entry (the words are the store's, not an article's)."""
    return {"(search_words)": sorted(fetched(database, "SELECT word FROM search_words"), key=repr)}


def differences(first: Path | str, second: Path | str) -> Iterator[tuple[str, str, str]]:
    """(table, canonical URL, what differs) for each article whose rows of a table differ."""
    tables: dict[str, Callable[[Any], dict[str, list[tuple[object, ...]]]]] = {
        name: partial(rows_by_article, query=query) for name, query in QUERIES.items()
    }
    if is_postgres(first):
        tables |= {"search": partial(rows_by_article, query=POSTGRES_SEARCH), "vocabulary": vocabulary}
    else:
        tables |= {"search": search_entries}
    for name, read in tables.items():
        a, b = read(first), read(second)
        for url in sorted(a.keys() | b.keys()):
            if url not in a or url not in b:
                yield name, url, f"only in {first if url in a else second}"
            elif a[url] != b[url]:
                yield name, url, f"{len(a[url])} rows against {len(b[url])}, not the same"


def main() -> int:
    first, second = (name if is_postgres(name) else Path(name) for name in sys.argv[1:3])
    shown: dict[str, int] = {}
    count = 0
    for name, url, what in differences(first, second):
        count += 1
        shown[name] = shown.get(name, 0) + 1
        if shown[name] <= SHOWN:
            print(f"{name}: {url}: {what}")
    articles = fetched(first, "SELECT COUNT(*) FROM articles")[0][0]
    print(f"{articles} articles in {first if is_postgres(first) else Path(first).name}; {count} difference(s)")
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main())
