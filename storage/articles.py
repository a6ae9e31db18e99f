"""Articles: stored with their classification, regions, aliases, fingerprint and search entry in one
transaction, and read back as stories."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select, text
from sqlalchemy.orm import Session

from rasd.config import story_topics, topic_names
from rasd.storage.base import StoreBase, driver_rows, naive_utc, run_text, table, utcnow
from rasd.storage.duplicates import Placed, save_fingerprint
from rasd.storage.models import (
    ArticleAliasRow,
    ArticleRegionRow,
    ArticleRow,
    ClassificationRow,
)
from rasd.storage.reading import Explained, StoredStory, explained, story
from rasd.storage.search import index_for_search
from rasd.storage.sources import source_ids

if TYPE_CHECKING:
    from rasd.classify import Classification
    from rasd.extract import Article, Fingerprint

_STORED_URL = text("SELECT id FROM articles WHERE canonical_url = :url")
_INSERT_ARTICLE = insert(table(ArticleRow)).returning(table(ArticleRow).c.id)


@dataclass(frozen=True)
class NewArticle:
    """An article to store, as the cycle has it: extracted, classified, and the other canonical URLs it
    was reached under (the announced `?p=123` of an article stored under its permalink)."""

    source: str
    canonical_url: str
    article: Article
    classification: Classification
    aliases: tuple[str, ...] = ()


class ArticlesMixin(StoreBase):
    """Storing articles and reading them back."""

    def stored_among(self, urls: Collection[str]) -> set[str]:
        """Which of these canonical URLs are stored already, as an article's or as another URL it was reached
        under: the crawl never fetches these again. Asked for each feed, sitemap or listing page's
        articles, not answered by loading every stored URL at the start of a cycle (a million URLs, ~180 MB
        in the crawl's process and a read of the whole table each cycle, issue 16)."""
        wanted = sorted(set(urls))
        with self.session() as session:
            return {
                url
                for start in range(0, len(wanted), URLS_A_QUERY)
                for url in stored_urls(session, wanted[start : start + URLS_A_QUERY])
            }

    def save_articles(self, batch: Sequence[NewArticle]) -> list[int | None]:
        """Store new articles with their classifications, in one transaction; per article its id, or None
        when its canonical URL was stored already. Its other URLs are remembered as aliases either way,
        so the next cycle does not fetch them.

        An article that is a copy of a stored story — the same text (under another URL or on another
        site), or the same dispatch rewritten by another site (extract.fingerprint) — is stored as a
        duplicate of it, so the digest shows the story once with all its sources. One transaction for
        several articles because SQLite's commit (the FTS index flushed, the WAL written) cost ~2 ms an
        article on the crawl benchmark; Core statements rather than ORM objects for the same reason."""
        ids: list[int | None] = []
        searchable: list[tuple[int, Article]] = []
        with self.session() as session, session.begin():
            sources = source_ids(session)
            connection = session.connection()
            for item in batch:
                stored_as = driver_rows(connection, _STORED_URL, {"url": item.canonical_url})
                article_id = stored_as[0][0] if stored_as else None
                stored = article_id is None
                if article_id is None:
                    article_id = insert_article(session, sources[item.source], item)
                    searchable.append((article_id, item.article))
                save_aliases(session, article_id, item.aliases)
                ids.append(article_id if stored else None)
            index_for_search(session, self.is_sqlite, searchable)
        return ids

    def save_article(
        self, source: str, canonical_url: str, article: Article, classification: Classification
    ) -> int | None:
        """One article: `save_articles` of a batch of one."""
        return self.save_articles([NewArticle(source, canonical_url, article, classification)])[0]

    def story(self, article_id: int) -> StoredStory | None:
        """One article as `rasd explain` shows it (storage.reading.story); None when not stored."""
        with self.session() as session:
            return story(run_text(session), article_id)

    def explained(self, article_id: int) -> Explained:
        """What `rasd explain` reads of one article (storage.reading.explained)."""
        with self.session() as session:
            return explained(run_text(session), article_id)

    def count_articles(self) -> tuple[int, int]:
        """(articles stored, SSE stories flagged), syndicated copies counted once."""
        with self.session() as session:
            articles = session.scalar(select(func.count(ArticleRow.id))) or 0
            sse = session.scalar(
                select(func.count(ClassificationRow.article_id))
                .join(ArticleRow, ArticleRow.id == ClassificationRow.article_id)
                .where(ClassificationRow.sse.is_(True), ArticleRow.duplicate_of.is_(None))
            )
            return int(articles), int(sse or 0)


def insert_article(session: Session, source_id: int, item: NewArticle) -> int:
    """Insert one new article and its rows (classification, regions, fingerprint) and group it with the
    story it copies; its id."""
    fetched_at = utcnow()
    connection = session.connection()  # Core statements: the ORM's execution path adds only its own cost
    article_id = connection.execute(_INSERT_ARTICLE, article_values(source_id, item, fetched_at)).scalar_one()
    connection.execute(insert(table(ClassificationRow)), classification_values(article_id, item, fetched_at))
    if regions := region_values(article_id, item):
        connection.execute(insert(table(ArticleRegionRow)), regions)
    fingerprint = fingerprint_for(item.article)
    moment = naive_utc(item.article.date) or fetched_at
    placed = Placed(article_id, source_id, item.article.content_hash, moment, item.classification.sse)
    save_fingerprint(session, article_id, fingerprint, moment, placed)
    return article_id


# The rows of an article, as `insert_article` writes them: public so that bench/bench_store_growth.py fills a
# large store with exactly these rows in bulk.
def article_values(source_id: int, item: NewArticle, fetched_at: datetime) -> dict[str, Any]:
    article = item.article
    return {
        "source_id": source_id,
        "url": article.url,
        "canonical_url": item.canonical_url,
        "title": article.title,
        "text": article.text,
        "published_at": naive_utc(article.date),
        "date_source": article.date_source,
        "author": article.author,
        "lang": article.lang,
        "content_hash": article.content_hash,
        "fetched_at": fetched_at,
    }


def classification_values(article_id: int, item: NewArticle, classified_at: datetime) -> dict[str, Any]:
    classification = item.classification
    evidence = None if classification.evidence.empty else classification.evidence  # unknown: NULL, found again
    return {
        "article_id": article_id,
        "sse": classification.sse,
        "score": classification.score,
        "regions": json.dumps(classification.regions),
        "reasons": json.dumps(classification.reasons, ensure_ascii=False),
        "parts": json.dumps(classification.parts),
        "classified_at": classified_at,
        "topics": topic_names(story_topics((t.topic, t.count, t.points) for t in evidence.terms))
        if evidence is not None
        else None,
        "evidence": evidence.as_json() if evidence is not None else None,
    }


def region_values(article_id: int, item: NewArticle) -> list[dict[str, Any]]:
    regions = dict.fromkeys(item.classification.regions)
    return [{"article_id": article_id, "region": region, "rank": rank} for rank, region in enumerate(regions)]


def fingerprint_for(article: Article) -> Fingerprint:
    """The article's fingerprint: made by the extraction worker, else here."""
    if article.fingerprint is not None:
        return article.fingerprint
    from rasd.extract import fingerprint_of  # NumPy: imported when a fingerprint is made here

    return fingerprint_of(article.title, article.text)


def save_aliases(session: Session, article_id: int, aliases: Iterable[str]) -> None:
    """Remember other canonical URLs of an article (one already known, as an article or an alias, is
    left as it is)."""
    wanted = set(aliases)
    if not wanted:
        return
    if new := wanted - stored_urls(session, wanted):
        session.execute(
            insert(table(ArticleAliasRow)),
            [{"canonical_url": url, "article_id": article_id} for url in sorted(new)],
        )


# URLs asked about in one statement: a sitemap lists up to 50,000; SQLite binds at most 32,766 parameters
URLS_A_QUERY = 500


def stored_urls(session: Session, urls: Collection[str]) -> set[str]:
    """The ones of `urls` stored as an article's canonical URL or as an alias (both unique indexes)."""
    taken = (
        select(ArticleRow.canonical_url)
        .where(ArticleRow.canonical_url.in_(urls))
        .union(select(ArticleAliasRow.canonical_url).where(ArticleAliasRow.canonical_url.in_(urls)))
    )
    return set(session.scalars(taken))
