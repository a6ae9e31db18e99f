"""Full-text search: the index written when articles are stored (FTS5 on SQLite; on PostgreSQL the folded
words, whose tsvector the database computes, and the vocabulary of Arabic words) and `rasd search` over
it; the query language itself is storage.query_language."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, insert
from sqlalchemy.orm import Session

from rasd.extract import normalize_for_matching
from rasd.storage.base import StoreBase, run_text, table
from rasd.storage.models import ArticleSearchRow, SearchWordRow
from rasd.storage.query import INSERT_FTS, search_ids
from rasd.storage.query_language import SearchFilters, index_rows, is_arabic_indexed
from rasd.storage.reading import Found, found

if TYPE_CHECKING:
    from rasd.extract import Article

__all__ = ["SearchMixin", "index_for_search", "search_rows", "vocabulary_of", "write_index_rows", "write_vocabulary"]


def index_for_search(session: Session, is_sqlite: bool, articles: Sequence[tuple[int, Article]]) -> None:
    """Add a batch's articles to the search index in one statement, after the batch's other rows.
    SQLite's FTS5 writes out its pending terms whenever another statement of the transaction starts
    (at each savepoint): with one insert per article, each became its own index segment, and the next
    article's insert paid for writing it — 0.9 ms an article (bench/bench_crawl.py)."""
    if not articles:
        return
    write_index_rows(session, is_sqlite, search_rows(articles))


def search_rows(articles: Sequence[tuple[int, Article]]) -> list[dict[str, Any]]:
    """The index's rows of these articles (`index_rows` of their folded title and text), as `index_for_search`
    writes them (public: bench/bench_store_growth.py's bulk fill copies them into PostgreSQL)."""
    return index_rows(
        [
            (
                article_id,
                article.matching_title or normalize_for_matching(article.title),
                article.matching_text or normalize_for_matching(article.text),
            )
            for article_id, article in articles
        ]
    )


def write_index_rows(connection: Session | Connection, is_sqlite: bool, rows: list[dict[str, Any]]) -> None:
    """Write storage.query_language.index_rows to the index: the FTS5 table, or PostgreSQL's folded words and the
    vocabulary of their Arabic words (bench/bench_search.py fills its stores through it too)."""
    if is_sqlite:
        connection.execute(INSERT_FTS, rows)
        return
    connection.execute(
        insert(table(ArticleSearchRow)), [{"article_id": row["id"], "body": row["body"]} for row in rows]
    )
    write_vocabulary(connection, vocabulary_of(rows))


def vocabulary_of(rows: list[dict[str, Any]]) -> set[str]:
    """PostgreSQL: the Arabic words of these index rows that `search_words` holds (to search inside words)."""
    return {word for row in rows for word in row["body"].split() if is_arabic_indexed(word)}


def write_vocabulary(connection: Session | Connection, words: set[str]) -> None:
    """Add these words to PostgreSQL's `search_words`, the ones it holds already left as they are."""
    from sqlalchemy.dialects import postgresql  # PostgreSQL's only: not imported for SQLite's stores

    # Sorted, so that two writers adding some of the same words take their locks in one order.
    if words:
        connection.execute(
            postgresql.insert(table(SearchWordRow)).on_conflict_do_nothing(), [{"word": word} for word in sorted(words)]
        )


class SearchMixin(StoreBase):
    """`rasd search`."""

    def search(self, query: str, limit: int = 20, filters: SearchFilters | None = None) -> Found:
        """Stored articles matching a search query (storage.query_language: folded, with OR, NOT, "phrases" and
        word*) and the filters, newest first: the first `limit`, and how many match in all."""
        with self.session() as session:
            # The page's stories with the statements storage/direct.py runs with sqlite3 (storage/reading.py).
            return found(run_text(session), search_ids(session, query, filters or SearchFilters(), limit))
