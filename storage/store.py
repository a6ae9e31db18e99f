"""The store: every read and write the other stages need, as plain methods over SQLAlchemy sessions.

All queries use bound parameters. Times are naive UTC in the database (SQLite has no time zones).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    DateTime,
    Engine,
    Select,
    Table,
    bindparam,
    delete,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from rasd.classify import Classification
from rasd.config import Source
from rasd.crawler import FeedState, FetchRecord
from rasd.extract import (
    FINGERPRINT_BANDS,
    FINGERPRINT_SCHEME,
    Article,
    Fingerprint,
    fingerprint_of,
    normalize_for_matching,
)
from rasd.storage.database import migrate, open_engine
from rasd.storage.models import (
    ArticleAliasRow,
    ArticleBandRow,
    ArticleFingerprintRow,
    ArticleRegionRow,
    ArticleRow,
    ArticleSearchRow,
    Base,
    ClassificationRow,
    DeliveryRow,
    DigestItemRow,
    DigestRow,
    FeedRow,
    FetchRow,
    SourceRow,
)

# A digest claimed for sending longer ago than this was claimed by a run that died; it is sent again.
STALE_CLAIM = timedelta(minutes=15)
# Copies of a dispatch are looked for among articles published (or, undated, fetched) within this time of
# each other: sites republish an agency story within days, regional weeklies up to a week or so later; a
# wider window only adds chances to join the next edition of a yearly fair or a monthly bulletin.
DUPLICATE_WINDOW = timedelta(days=14)
# Candidate copies of a new article: other sources' articles sharing an LSH band hash with it, dated within
# the window, with their signatures. One index search per band, and the statement written out once: SQLite
# scans the whole table for a row-value `(band, hash) IN (VALUES …)`, and building the 85-term OR as a
# SQLAlchemy expression for every article cost more than the rest of storing it (bench/bench_crawl.py).
_CANDIDATE_COPIES = text(
    "SELECT a.id, a.duplicate_of, f.signature, f.figures FROM articles a"
    " JOIN article_fingerprints f ON f.article_id = a.id"
    " JOIN articles o ON o.id = COALESCE(a.duplicate_of, a.id)"  # the story's original
    " WHERE a.id IN (SELECT article_id FROM article_bands WHERE "
    + " OR ".join(f"(band = {band} AND hash = :h{band})" for band in range(FINGERPRINT_BANDS))
    + ") AND a.id != :id AND a.source_id != :source_id AND o.source_id != :source_id AND f.scheme = :scheme"
    " AND COALESCE(a.published_at, a.fetched_at) BETWEEN :earliest AND :latest"
).bindparams(bindparam("earliest", type_=DateTime), bindparam("latest", type_=DateTime))  # stored as SQLAlchemy does


_STORED_URL = select(ArticleRow.id).where(ArticleRow.canonical_url == bindparam("url"))


@dataclass(frozen=True)
class NewArticle:
    """An article to store, as the cycle has it: extracted, classified, and the other canonical URLs it
    was reached under (the announced `?p=123` of an article stored under its permalink)."""

    source: str
    canonical_url: str
    article: Article
    classification: Classification
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Placed:
    """A stored article as the near-duplicate grouping sees it: when it was published (or fetched), and
    whether it is an SSE story."""

    id: int
    source_id: int
    content_hash: str
    moment: datetime
    sse: bool


def _table(model: type[Base]) -> Table:
    """A model's table, for Core statements (typed as a Table, which every model here maps)."""
    return cast(Table, model.__table__)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _naive_utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


def _digest_since(subscription: str, since: datetime) -> Select[Any]:
    """A digest of this subscription created at or after `since`: the schedule's slot is taken."""
    return select(DigestRow.id).where(DigestRow.subscription == subscription, DigestRow.created_at >= since).limit(1)


def _query_words(folded: str) -> list[str]:
    """The words of a search query without FTS syntax (quotes, parentheses, *, :, ^, +, -)."""
    return [word for word in re.split(r"[\s\"'()*:^+-]+", folded) if word]


class SearchError(ValueError):
    """A search query the index cannot run; the message is shown to the user."""


@dataclass(frozen=True)
class StoredStory:
    """An SSE story as the digest and `rasd search` show it: one entry per syndicated story."""

    article_id: int
    title: str
    url: str
    source: str
    published_at: datetime | None
    fetched_at: datetime
    lang: str
    text: str
    score: float
    sse: bool
    regions: list[str]
    reasons: list[str]
    parts: dict[str, float]
    also_in: list[tuple[str, str]]  # (source name, url) of the syndicated copies


class Backlog(list[StoredStory]):
    """The first stories waiting for a subscriber, and how many wait in all."""

    total: int = 0


@dataclass(frozen=True)
class SourceHealth:
    """How a source has been doing, as `rasd status` shows it (times naive UTC, as stored)."""

    name: str
    last_success: datetime | None
    last_attempt: datetime | None
    articles_7d: int
    articles_total: int
    consecutive_failures: int
    last_error: str | None
    last_article: datetime | None = None  # when its newest article was stored
    articles_30d: int = 0  # in the 30 days up to its last article
    empty_answers: int = 0  # feeds/sitemaps that answered 200 with no entry, in a row, last first

    def silence(self, now: datetime) -> str | None:
        """Why the source looks like it stopped producing although it answers, or None.

        A site that moved its feed, broke its theme or was hacked keeps answering 200: no fetch fails, the
        articles just stop. Its own usual pace is the yardstick (a source that publishes twelve stories a
        day is silent after a day without one, a weekly after weeks): silent when nothing new came for four
        times its usual gap between stories (over the 30 days up to its last one), and at least two days; a feed or
        sitemap that keeps answering with no entry at all is named as such."""
        if self.consecutive_failures or self.last_success is None:
            return None  # failing loudly: reported as a failure, not as silence
        if self.empty_answers >= 2:
            return f"its feed or sitemap answered with no entry {self.empty_answers} times in a row"
        if self.last_article is None:
            return None
        quiet = now - self.last_article
        per_day = self.articles_30d / 30
        allowed = max(timedelta(days=2), timedelta(days=4 / per_day)) if per_day else timedelta(days=7)
        if quiet < allowed:
            return None
        pace = f"usually {per_day:.1f} a day" if per_day >= 1 else f"usually {self.articles_30d} in 30 days"
        return f"silent: no new article for {quiet.days} days ({pace}) although it answers"


@dataclass(frozen=True)
class PendingDigest:
    """A built digest waiting to be (re)sent: the stored message goes out as is."""

    id: int
    subscription: str
    recipient: str
    subject: str
    message: str
    attempts: int
    stories: int
    last_error: str | None


class Store:
    """One database (SQLite file or PostgreSQL URL), migrated to the newest schema on open."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: Engine = open_engine(url)
        migrate(self.engine)
        self.is_sqlite = self.engine.dialect.name == "sqlite"

    def close(self) -> None:
        self.engine.dispose()

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    # ---- sources and feeds ----------------------------------------------------------------------

    def sync_sources(self, sources: Iterable[Source]) -> None:
        """Make the sources table match the config (new sources added, changed ones updated)."""
        with self.session() as session, session.begin():
            existing = {row.name: row for row in session.scalars(select(SourceRow))}
            for source in sources:
                row = existing.get(source.name)
                if row is None:
                    session.add(
                        SourceRow(
                            name=source.name,
                            url=source.url,
                            region=source.region,
                            lang=source.lang,
                            created_at=utcnow(),
                        )
                    )
                else:
                    row.url, row.region, row.lang = source.url, source.region, source.lang

    def _source_ids(self, session: Session) -> dict[str, int]:
        return {name: id_ for id_, name in session.execute(select(SourceRow.id, SourceRow.name))}

    def known_feeds(self) -> dict[str, dict[str, list[str]]]:
        """Feeds and sitemaps found in earlier cycles, per source: {"feed": [...], "sitemap": [...]}."""
        found: dict[str, dict[str, list[str]]] = {}
        with self.session() as session:
            rows = session.execute(
                select(SourceRow.name, FeedRow.kind, FeedRow.url)
                .join(FeedRow, FeedRow.source_id == SourceRow.id)
                .where((FeedRow.last_status.is_(None)) | (FeedRow.last_status < 400))
            )
            for name, kind, url in rows:
                found.setdefault(name, {"feed": [], "sitemap": []})[kind].append(url)
        return found

    def feed_validators(self) -> dict[str, tuple[str | None, str | None]]:
        with self.session() as session:
            rows = session.execute(select(FeedRow.url, FeedRow.etag, FeedRow.last_modified))
            return {url: (etag, last_modified) for url, etag, last_modified in rows}

    def save_feed_states(self, states: Sequence[FeedState]) -> None:
        if not states:
            return
        with self.session() as session, session.begin():
            ids = self._source_ids(session)
            for state in states:
                row = session.scalar(select(FeedRow).where(FeedRow.url == state.url))
                if row is None:
                    row = FeedRow(url=state.url, kind=state.kind, source_id=ids[state.source])
                    session.add(row)
                if state.status is not None:
                    row.last_status = state.status
                    row.last_checked_at = utcnow()
                    row.etag, row.last_modified = state.etag, state.last_modified

    # ---- fetches --------------------------------------------------------------------------------

    def record_fetches(self, records: Sequence[FetchRecord]) -> None:
        if not records:
            return
        with self.session() as session, session.begin():
            ids = self._source_ids(session)
            session.add_all(
                FetchRow(
                    source_id=ids.get(record.source),
                    url=record.url,
                    kind=record.kind,
                    status=record.status,
                    bytes=record.bytes,
                    duration_ms=record.duration_ms,
                    outcome=record.outcome,
                    error=record.error,
                    fetched_at=_naive_utc(record.fetched_at),
                    items=record.items,
                )
                for record in records
            )

    def prune_fetches(self, older_than_days: int) -> int:
        cutoff = utcnow() - timedelta(days=older_than_days)
        with self.session() as session, session.begin():
            result = session.execute(delete(FetchRow).where(FetchRow.fetched_at < cutoff))
            return int(getattr(result, "rowcount", 0) or 0)

    # ---- articles -------------------------------------------------------------------------------

    def known_urls(self) -> set[str]:
        """Canonical URLs of every stored article, and the other URLs it was reached under: the crawl
        never fetches these again."""
        with self.session() as session:
            stored = set(session.scalars(select(ArticleRow.canonical_url)))
            return stored | set(session.scalars(select(ArticleAliasRow.canonical_url)))

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
            sources = self._source_ids(session)
            for item in batch:
                article_id = session.scalar(_STORED_URL, {"url": item.canonical_url})
                stored = article_id is None
                if article_id is None:
                    article_id = self._insert_article(session, sources[item.source], item)
                    searchable.append((article_id, item.article))
                self._save_aliases(session, article_id, item.aliases)
                ids.append(article_id if stored else None)
            self._index_for_search(session, searchable)
        return ids

    def save_article(
        self, source: str, canonical_url: str, article: Article, classification: Classification
    ) -> int | None:
        """One article: `save_articles` of a batch of one."""
        return self.save_articles([NewArticle(source, canonical_url, article, classification)])[0]

    def _insert_article(self, session: Session, source_id: int, item: NewArticle) -> int:
        article, classification = item.article, item.classification
        fetched_at = utcnow()
        article_id = session.execute(
            insert(_table(ArticleRow)).returning(_table(ArticleRow).c.id),
            {
                "source_id": source_id,
                "url": article.url,
                "canonical_url": item.canonical_url,
                "title": article.title,
                "text": article.text,
                "published_at": _naive_utc(article.date),
                "date_source": article.date_source,
                "author": article.author,
                "lang": article.lang,
                "content_hash": article.content_hash,
                "fetched_at": fetched_at,
            },
        ).scalar_one()
        session.execute(
            insert(_table(ClassificationRow)),
            {
                "article_id": article_id,
                "sse": classification.sse,
                "score": classification.score,
                "regions": json.dumps(classification.regions),
                "reasons": json.dumps(classification.reasons, ensure_ascii=False),
                "parts": json.dumps(classification.parts),
                "classified_at": fetched_at,
            },
        )
        if regions := list(dict.fromkeys(classification.regions)):
            session.execute(
                insert(_table(ArticleRegionRow)),
                [{"article_id": article_id, "region": region, "rank": rank} for rank, region in enumerate(regions)],
            )
        fingerprint = article.fingerprint or fingerprint_of(article.title, article.text)
        self._save_fingerprint(session, article_id, fingerprint)
        moment = _naive_utc(article.date) or fetched_at
        placed = _Placed(article_id, source_id, article.content_hash, moment, classification.sse)
        self._group(session, placed, fingerprint)
        return article_id

    def _index_for_search(self, session: Session, articles: Sequence[tuple[int, Article]]) -> None:
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
        if self.is_sqlite:
            session.execute(text("INSERT INTO articles_fts(rowid, title, text) VALUES (:id, :title, :text)"), rows)
        else:
            session.execute(
                insert(_table(ArticleSearchRow)),
                [{"article_id": row["id"], "body": f"{row['title']}\n{row['text']}"} for row in rows],
            )

    def _save_aliases(self, session: Session, article_id: int, aliases: Iterable[str]) -> None:
        """Remember other canonical URLs of an article (one already known, as an article or an alias, is
        left as it is)."""
        wanted = set(aliases)
        if not wanted:
            return
        taken = (
            select(ArticleRow.canonical_url)
            .where(ArticleRow.canonical_url.in_(wanted))
            .union(select(ArticleAliasRow.canonical_url).where(ArticleAliasRow.canonical_url.in_(wanted)))
        )
        if new := wanted - set(session.scalars(taken)):
            session.execute(
                insert(_table(ArticleAliasRow)),
                [{"canonical_url": url, "article_id": article_id} for url in sorted(new)],
            )

    # ---- syndicated stories ---------------------------------------------------------------------

    def _save_fingerprint(self, session: Session, article_id: int, fingerprint: Fingerprint) -> None:
        """Write the article's signature and band hashes (Core inserts: 86 rows an article, the ORM's unit
        of work cost more than the rest of save_article on the crawl benchmark)."""
        session.execute(
            insert(_table(ArticleFingerprintRow)),
            [
                {
                    "article_id": article_id,
                    "scheme": FINGERPRINT_SCHEME,
                    "signature": fingerprint.signature,
                    "figures": " ".join(sorted(fingerprint.figures)),
                }
            ],
        )
        session.execute(
            insert(_table(ArticleBandRow)),
            [
                {"article_id": article_id, "band": band, "hash": value}
                for band, value in enumerate(fingerprint.band_hashes)
            ],
        )

    def _group(self, session: Session, row: _Placed, fingerprint: Fingerprint) -> None:
        """Make `row` part of the story it copies, if any: the same text anywhere, or a near-duplicate
        from another site within DUPLICATE_WINDOW. Every copy points at the story's original, never at
        another copy. The original is the story's earliest published SSE article — or its earliest
        article when none is SSE: digests and counts read the original's classification, so an agency
        version classified otherwise must not hide the regional copy that is an SSE story — unless the
        story was already delivered in a digest (its entry is then kept, so no subscriber gets it twice)."""
        same_text = session.scalar(
            select(func.coalesce(ArticleRow.duplicate_of, ArticleRow.id))
            .where(ArticleRow.content_hash == row.content_hash, ArticleRow.id != row.id)
            .order_by(ArticleRow.id)
            .limit(1)
        )
        originals = {same_text} if same_text is not None else self._near_duplicate_originals(session, row, fingerprint)
        originals.discard(row.id)
        if not originals:
            return
        when = func.coalesce(ArticleRow.published_at, ArticleRow.fetched_at)
        original_id, original_when, original_sse = session.execute(
            select(ArticleRow.id, when, ClassificationRow.sse)
            .join(ClassificationRow, ClassificationRow.article_id == ArticleRow.id)
            .where(ArticleRow.id.in_(originals))
            .order_by(ClassificationRow.sse.desc(), when, ArticleRow.id)
            .limit(1)
        ).one()
        delivered = session.scalar(
            select(DigestItemRow.article_id).where(DigestItemRow.article_id == original_id).limit(1)
        )
        if (not row.sse, row.moment) < (not original_sse, original_when) and delivered is None:
            self._attach(session, original_id, row.id)
        else:
            self._attach(session, row.id, original_id)

    def _attach(self, session: Session, story: int, original: int) -> None:
        """`story` (an original, with the copies pointing at it) becomes a copy of `original`."""
        articles = _table(ArticleRow).c
        session.execute(
            update(_table(ArticleRow))
            .where((articles.id == story) | (articles.duplicate_of == story))
            .values(duplicate_of=original)
        )

    def _near_duplicate_originals(self, session: Session, row: _Placed, fingerprint: Fingerprint) -> set[int]:
        """The originals of the stories `row` is a rewritten copy of: articles of other sites, dated within
        DUPLICATE_WINDOW, sharing an LSH band with it and verified on the whole signature and figures.
        One site's own articles are never grouped this way: its follow-ups and weekly bulletins reuse its
        earlier paragraphs, yet are new stories for its readers (bench/bench_dedup.py lists such pairs)."""
        parameters: dict[str, Any] = {f"h{band}": value for band, value in enumerate(fingerprint.band_hashes)}
        parameters |= {
            "id": row.id,
            "source_id": row.source_id,
            "scheme": FINGERPRINT_SCHEME,
            "earliest": row.moment - DUPLICATE_WINDOW,
            "latest": row.moment + DUPLICATE_WINDOW,
        }
        candidates = session.execute(_CANDIDATE_COPIES, parameters).all()
        if not candidates:
            return set()
        verdicts = fingerprint.same_stories([(signature, figures) for _, _, signature, figures in candidates])
        return {
            duplicate_of or article_id
            for (article_id, duplicate_of, _, _), same in zip(candidates, verdicts, strict=True)
            if same
        }

    def backfill_fingerprints(self, limit: int | None = None) -> int:
        """Fingerprint the articles stored without one (before migration 0004) or with one of an older
        scheme, oldest first, at most `limit` of them, grouping each with the stories it copies as if it
        had just been stored; each in its own transaction, so an interrupted run keeps what it did.
        Returns how many were done. Run by each crawl cycle before it stores anything new, a bounded share
        at a time: a no-op query once everything is fingerprinted."""
        missing = (
            select(ArticleRow.id)
            .outerjoin(ArticleFingerprintRow, ArticleFingerprintRow.article_id == ArticleRow.id)
            .where((ArticleFingerprintRow.scheme.is_(None)) | (ArticleFingerprintRow.scheme != FINGERPRINT_SCHEME))
            .order_by(ArticleRow.id)
            .limit(limit)
        )
        with self.session() as session:
            ids = list(session.scalars(missing))
        for article_id in ids:
            with self.session() as session, session.begin():
                row = session.get(ArticleRow, article_id)
                assert row is not None
                fingerprint = fingerprint_of(row.title, row.text)
                session.execute(delete(ArticleBandRow).where(ArticleBandRow.article_id == row.id))
                session.execute(delete(ArticleFingerprintRow).where(ArticleFingerprintRow.article_id == row.id))
                self._save_fingerprint(session, row.id, fingerprint)
                if row.duplicate_of is None:
                    verdict = select(ClassificationRow.sse).where(ClassificationRow.article_id == row.id)
                    moment = row.published_at or row.fetched_at
                    placed = _Placed(row.id, row.source_id, row.content_hash, moment, bool(session.scalar(verdict)))
                    self._group(session, placed, fingerprint)
        return len(ids)

    def _story(self, session: Session, article: ArticleRow, classification: ClassificationRow) -> StoredStory:
        source = session.get(SourceRow, article.source_id)
        copies = session.execute(
            select(SourceRow.name, ArticleRow.url)
            .join(SourceRow, SourceRow.id == ArticleRow.source_id)
            .where(ArticleRow.duplicate_of == article.id)
            .order_by(ArticleRow.id)
        ).all()
        return StoredStory(
            article_id=article.id,
            title=article.title,
            url=article.url,
            source=source.name if source else "?",
            published_at=article.published_at,
            fetched_at=article.fetched_at,
            lang=article.lang,
            text=article.text,
            score=classification.score,
            sse=classification.sse,
            regions=json.loads(classification.regions),
            reasons=json.loads(classification.reasons),
            parts=json.loads(classification.parts),
            also_in=[(name, url) for name, url in copies],
        )

    def story(self, article_id: int) -> StoredStory | None:
        with self.session() as session:
            article = session.get(ArticleRow, article_id)
            classification = session.get(ClassificationRow, article_id)
            if article is None or classification is None:
                return None
            return self._story(session, article, classification)

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

    # ---- search ---------------------------------------------------------------------------------

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
                    stories.append(self._story(session, article, classification))
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

    # ---- health ---------------------------------------------------------------------------------

    def source_health(self) -> list[SourceHealth]:
        week_ago = utcnow() - timedelta(days=7)
        health = []
        with self.session() as session:
            for source in session.scalars(select(SourceRow).order_by(SourceRow.name)):
                fetches = session.execute(
                    select(FetchRow.outcome, FetchRow.fetched_at, FetchRow.error)
                    .where(FetchRow.source_id == source.id, FetchRow.kind != "article")
                    .order_by(FetchRow.fetched_at.desc(), FetchRow.id.desc())
                    .limit(200)
                ).all()
                failures = 0
                for outcome, _, _ in fetches:
                    if outcome in ("ok", "not_modified"):
                        break
                    failures += 1
                last_success = next((at for outcome, at, _ in fetches if outcome in ("ok", "not_modified")), None)
                answers = session.scalars(
                    select(FetchRow.items)
                    .where(
                        FetchRow.source_id == source.id,
                        FetchRow.kind.in_(("feed", "sitemap")),
                        FetchRow.outcome == "ok",
                    )
                    .order_by(FetchRow.fetched_at.desc(), FetchRow.id.desc())
                    .limit(20)
                )
                empty = 0
                for items in answers:
                    if items != 0:
                        break
                    empty += 1
                count = select(func.count(ArticleRow.id)).where(ArticleRow.source_id == source.id)
                last_article = session.scalar(
                    select(func.max(ArticleRow.fetched_at)).where(ArticleRow.source_id == source.id)
                )
                # the pace of the 30 days up to its last article, not of a window the silence is part of
                month_before = (last_article or utcnow()) - timedelta(days=30)
                health.append(
                    SourceHealth(
                        name=source.name,
                        last_success=last_success,
                        last_attempt=fetches[0][1] if fetches else None,
                        articles_7d=int(session.scalar(count.where(ArticleRow.fetched_at >= week_ago)) or 0),
                        articles_total=int(session.scalar(count) or 0),
                        consecutive_failures=failures,
                        last_error=next((error for outcome, _, error in fetches if error), None) if failures else None,
                        last_article=last_article,
                        articles_30d=int(session.scalar(count.where(ArticleRow.fetched_at >= month_before)) or 0),
                        empty_answers=empty,
                    )
                )
        return health

    # ---- digests --------------------------------------------------------------------------------

    def undelivered_stories(
        self,
        subscription: str,
        regions: Sequence[str],
        languages: Sequence[str],
        min_score: float,
        stored_before: datetime | None = None,
        limit: int | None = None,
    ) -> Backlog:
        """SSE stories this subscriber has not had in any digest yet, in the order they were stored (the
        oldest waiting first, so stories left out of a full digest lead the next one); newest published
        first among stories stored together. At most `limit`; `.total` counts them all."""
        already = select(DigestItemRow.article_id).where(DigestItemRow.subscription == subscription)
        query = (
            select(ArticleRow, ClassificationRow, func.count().over().label("total"))
            .join(ClassificationRow, ClassificationRow.article_id == ArticleRow.id)
            .where(
                ClassificationRow.sse.is_(True),
                ClassificationRow.score >= min_score,
                ArticleRow.duplicate_of.is_(None),
                ArticleRow.lang.in_(list(languages)),
                ArticleRow.id.not_in(already),
            )
            .order_by(
                ArticleRow.fetched_at,
                func.coalesce(ArticleRow.published_at, ArticleRow.fetched_at).desc(),
                ArticleRow.id,
            )
            .limit(limit)
        )
        if stored_before is not None:
            query = query.where(ArticleRow.fetched_at <= stored_before)
        if "all" not in regions:
            query = query.where(
                ArticleRow.id.in_(select(ArticleRegionRow.article_id).where(ArticleRegionRow.region.in_(list(regions))))
            )
        with self.session() as session:
            rows = session.execute(query).all()
            backlog = Backlog(self._story(session, article, classification) for article, classification, _ in rows)
            backlog.total = rows[0].total if rows else 0
            return backlog

    def _write_lock(self, connection: Connection) -> None:
        """Serialise digest creation between processes: SQLite's BEGIN IMMEDIATE takes the database's
        write lock before anything is read (other runs wait on busy_timeout); PostgreSQL locks the table
        against other writers for the transaction."""
        if self.is_sqlite:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("LOCK TABLE digests IN SHARE ROW EXCLUSIVE MODE")

    def create_digest(
        self,
        subscription: str,
        recipient: str,
        subject: str,
        message: str,
        article_ids: Sequence[int],
        due_at: datetime | None = None,
        created_at: datetime | None = None,
    ) -> int | None:
        """Claim `article_ids` for this subscriber in a new pending digest; None if another run got there
        first. Under the write lock: a scheduled digest (`due_at` set) is refused when one was already
        created since that due time, and the unique (subscription, article) pair refuses a story that is
        in another digest of this subscriber."""
        with self.engine.connect() as connection:
            self._write_lock(connection)
            try:
                with Session(bind=connection) as session:
                    if due_at is not None and session.scalar(_digest_since(subscription, due_at)):
                        connection.rollback()
                        return None
                    digest = DigestRow(
                        subscription=subscription,
                        recipient=recipient,
                        subject=subject,
                        message=message,
                        status="pending",
                        attempts=0,
                        created_at=created_at or utcnow(),
                    )
                    session.add(digest)
                    session.flush()
                    session.add_all(
                        DigestItemRow(digest_id=digest.id, article_id=article_id, subscription=subscription)
                        for article_id in article_ids
                    )
                    session.flush()
                    digest_id = digest.id
                connection.commit()
                return digest_id
            except IntegrityError:
                connection.rollback()
                return None

    def digest_created_since(self, subscription: str, since: datetime) -> bool:
        with self.session() as session:
            return bool(session.scalar(_digest_since(subscription, since)))

    def _pending_condition(self, now: datetime, stale_after: timedelta) -> ColumnElement[bool]:
        """Pending, or claimed by a run that died while sending (claimed longer than `stale_after` ago)."""
        return (DigestRow.status == "pending") | (
            (DigestRow.status == "sending") & (DigestRow.claimed_at < now - stale_after)
        )

    def pending_digests(self, stale_after: timedelta = STALE_CLAIM) -> list[PendingDigest]:
        """What `claim_pending_digests` would take, without claiming (for `rasd digest --dry-run`)."""
        with self.session() as session:
            rows = session.scalars(
                select(DigestRow).where(self._pending_condition(utcnow(), stale_after)).order_by(DigestRow.id)
            ).all()
            return [self._pending(session, row) for row in rows]

    def _pending(self, session: Session, row: DigestRow) -> PendingDigest:
        stories = session.scalar(select(func.count()).where(DigestItemRow.digest_id == row.id)) or 0
        return PendingDigest(
            row.id,
            row.subscription,
            row.recipient,
            row.subject,
            row.message,
            row.attempts,
            int(stories),
            row.last_error,
        )

    def claim_pending_digests(self, stale_after: timedelta = STALE_CLAIM) -> list[PendingDigest]:
        """Pending digests this run may send, each claimed by an atomic UPDATE (the first statement of
        its transaction, so it runs on a fresh snapshot under the write lock): two runs never get the
        same digest. A digest another run is sending is skipped unless that run died."""
        now = utcnow()
        claimed = []
        with self.session() as session:
            candidates = session.scalars(
                select(DigestRow.id).where(self._pending_condition(now, stale_after)).order_by(DigestRow.id)
            ).all()
        for digest_id in candidates:
            with self.session() as session, session.begin():
                result = session.execute(
                    update(DigestRow)
                    .where(DigestRow.id == digest_id, self._pending_condition(now, stale_after))
                    .values(status="sending", claimed_at=now, attempts=DigestRow.attempts + 1)
                )
                if getattr(result, "rowcount", 0) != 1:
                    continue
                row = session.get(DigestRow, digest_id)
                assert row is not None
                claimed.append(self._pending(session, row))
        return claimed

    def mark_sent(self, digest_id: int, delivered_to: str) -> None:
        with self.session() as session, session.begin():
            now = utcnow()
            session.execute(
                update(DigestRow)
                .where(DigestRow.id == digest_id)
                .values(status="sent", sent_at=now, delivered_to=delivered_to, last_error=None)
            )
            session.add(DeliveryRow(digest_id=digest_id, attempted_at=now, outcome="sent"))

    def mark_failed(self, digest_id: int, error: str) -> None:
        """Back to pending: the next `rasd digest` retries the very same message."""
        with self.session() as session, session.begin():
            session.execute(
                update(DigestRow).where(DigestRow.id == digest_id).values(status="pending", last_error=error)
            )
            session.add(DeliveryRow(digest_id=digest_id, attempted_at=utcnow(), outcome="failed", error=error))

    # ---- housekeeping ---------------------------------------------------------------------------

    def optimize(self) -> None:
        """Keep the file small and the planner's statistics fresh (daily housekeeping)."""
        if not self.is_sqlite:
            return
        with self.engine.connect() as connection:
            connection.execute(text("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')"))
            connection.execute(text("PRAGMA optimize"))
            connection.commit()
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM"))
