"""Full-text search: the index written when articles are stored (FTS5 on SQLite, normalised text on
PostgreSQL) and `rasd search` over it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import insert, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from rasd.extract import normalize_for_matching
from rasd.storage.base import StoreBase, table
from rasd.storage.models import ArticleRow, ArticleSearchRow, ClassificationRow
from rasd.storage.stories import StoredStory, story_of

if TYPE_CHECKING:
    from rasd.extract import Article


class SearchError(ValueError):
    """A search query the index cannot run; the message is shown to the user."""


def _query_words(folded: str) -> list[str]:
    """The words of a search query without FTS syntax (quotes, parentheses, *, :, ^, +, -)."""
    return [word for word in re.split(r"[\s\"'()*:^+-]+", folded) if word]


def index_for_search(session: Session, is_sqlite: bool, articles: Sequence[tuple[int, Article]]) -> None:
    """Add a batch's articles to the search index in one statement, after the batch's other rows.
    SQLite's FTS5 writes out its pending terms whenever another statement of the transaction starts
    (at each savepoint): with one insert per article, each became its own index segment, and the next
    article's insert paid for writing it — 0.9 ms an article (bench/bench_crawl.py)."""
    if not articles:
        return
    rows = [
        {
            "id": article_id,
            "title": article.matching_title or normalize_for_matching(article.title),
            "text": article.matching_text or normalize_for_matching(article.text),
        }
        for article_id, article in articles
    ]
    if is_sqlite:
        session.execute(text("INSERT INTO articles_fts(rowid, title, text) VALUES (:id, :title, :text)"), rows)
    else:
        session.execute(
            insert(table(ArticleSearchRow)),
            [{"article_id": row["id"], "body": f"{row['title']}\n{row['text']}"} for row in rows],
        )


class SearchMixin(StoreBase):
    """`rasd search`."""

    def search(self, query: str, limit: int = 20) -> list[StoredStory]:
        """Full-text search over titles and texts, newest first; the query is normalised like the index."""
        folded = normalize_for_matching(query)
        if not folded:
            raise SearchError("empty query")
        with self.session() as session:
            ids = self._fts_ids(session, folded, limit) if self.is_sqlite else self._like_ids(session, folded, limit)
            stories = []
            for article_id in ids:
                article = session.get(ArticleRow, article_id)
                classification = session.get(ClassificationRow, article_id)
                if article is not None and classification is not None:
                    stories.append(story_of(session, article, classification))
            return stories

    def _like_ids(self, session: Session, folded: str, limit: int) -> list[int]:
        """Without FTS5: every word of the query must occur in the normalised text (substring, like the
        trigram index), operators and quotes being plain text here."""
        words = _query_words(folded)
        if not words:
            raise SearchError(f"nothing to search for in {folded!r}")
        query = select(ArticleRow.id).join(ArticleSearchRow, ArticleSearchRow.article_id == ArticleRow.id)
        for word in words:
            escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(ArticleSearchRow.body.like(f"%{escaped}%", escape="\\"))
        ordered = query.order_by(ArticleRow.published_at.desc().nulls_last(), ArticleRow.id.desc()).limit(limit)
        return list(session.scalars(ordered))

    def _fts_ids(self, session: Session, folded: str, limit: int) -> list[int]:
        sql = text(
            "SELECT a.id FROM articles_fts f JOIN articles a ON a.id = f.rowid "
            "WHERE articles_fts MATCH :query ORDER BY a.published_at DESC LIMIT :limit"
        )
        try:
            return list(session.scalars(sql, {"query": folded, "limit": limit}))
        except OperationalError:
            # Not valid FTS syntax (an unbalanced quote, a bare operator): search the words as phrases.
            words = _query_words(folded)
            if not words:
                raise SearchError(f"nothing to search for in {folded!r}") from None
            quoted = " ".join('"' + w.replace('"', "") + '"' for w in words)
            return list(session.scalars(sql, {"query": quoted, "limit": limit}))
