"""Sources, their feeds and sitemaps, every fetch attempt, and each source's health for `rasd status`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import DateTime, Integer, String, bindparam, select, text
from sqlalchemy.orm import Session

from rasd.storage.base import StoreBase, naive_utc, utcnow
from rasd.storage.models import FeedRow, FetchRow, SourceRow

if TYPE_CHECKING:  # the crawler's records are read by attribute; importing the crawler would import Scrapy
    from rasd.config import Source
    from rasd.crawler import FeedState, FetchRecord


@dataclass(frozen=True)
class Silence:
    """Why a source that answers looks like it stopped producing: its feed or sitemap answered with no
    entry `empty_answers` times in a row, or no new article came for `quiet_days` against its pace over
    the 30 days up to its last one (`articles_30d`). Data: `rasd status` words it in the reader's language."""

    empty_answers: int = 0
    quiet_days: int = 0
    articles_30d: int = 0

    @property
    def per_day(self) -> float:
        return self.articles_30d / 30


@dataclass(frozen=True)
class SourceHealth:
    """How a source has been doing, as `rasd status` shows it (times naive UTC, as stored)."""

    name: str
    last_success: datetime | None
    last_attempt: datetime | None
    articles_7d: int
    articles_total: int
    consecutive_failures: int  # failed cycles in a row, up to the last one
    last_error: str | None
    last_article: datetime | None = None  # when its newest article was stored
    articles_30d: int = 0  # in the 30 days up to its last article
    empty_answers: int = 0  # feeds/sitemaps that answered 200 with no entry, in a row, last first

    def silence(self, now: datetime) -> Silence | None:
        """Why the source looks like it stopped producing although it answers, or None.

        A site that moved its feed, broke its theme or was hacked keeps answering 200: no fetch fails, the
        articles just stop. Its own usual pace is the yardstick (a source that publishes twelve stories a
        day is silent after a day without one, a weekly after weeks): silent when nothing new came for four
        times its usual gap between stories (over the 30 days up to its last one), and at least two days; a feed or
        sitemap that keeps answering with no entry at all is named as such."""
        if self.consecutive_failures or self.last_success is None:
            return None  # failing loudly: reported as a failure, not as silence
        if self.empty_answers >= 2:
            return Silence(empty_answers=self.empty_answers)
        if self.last_article is None:
            return None
        quiet = now - self.last_article
        per_day = self.articles_30d / 30
        allowed = max(timedelta(days=2), timedelta(days=4 / per_day)) if per_day else timedelta(days=7)
        if quiet < allowed:
            return None
        return Silence(quiet_days=quiet.days, articles_30d=self.articles_30d)


def source_ids(session: Session) -> dict[str, int]:
    """Source ids by name."""
    return {name: id_ for id_, name in session.execute(select(SourceRow.id, SourceRow.name))}


class SourcesMixin(StoreBase):
    """What the crawl records about sources, and what `rasd status` reads back."""

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
            ids = source_ids(session)
            for state in states:
                row = session.scalar(select(FeedRow).where(FeedRow.url == state.url))
                if row is None:
                    row = FeedRow(url=state.url, kind=state.kind, source_id=ids[state.source])
                    session.add(row)
                if state.status is not None:
                    row.last_status = state.status
                    row.last_checked_at = utcnow()
                    row.etag, row.last_modified = state.etag, state.last_modified

    def record_fetches(self, records: Sequence[FetchRecord]) -> None:
        if not records:
            return
        with self.session() as session, session.begin():
            ids = source_ids(session)
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
                    fetched_at=naive_utc(record.fetched_at),
                    items=record.items,
                )
                for record in records
            )

    def record_cycle(self, outcomes: Mapping[str, str | None]) -> None:
        """A cycle's verdict per source it fetched from: None when it worked (its count of failed cycles
        starts again), else why it failed (one more failed cycle in a row)."""
        if not outcomes:
            return
        with self.session() as session, session.begin():
            for source in session.scalars(select(SourceRow).where(SourceRow.name.in_(list(outcomes)))):
                failure = outcomes[source.name]
                source.failed_cycles = 0 if failure is None else source.failed_cycles + 1
                source.last_failure = failure if failure is not None else source.last_failure

    def source_health(self) -> list[SourceHealth]:
        """Every source's health in four statements whatever the number of sources (it was five a source:
        issue 16), each of them index searches per source — `rasd status` reads as much at a million
        stored articles as at ten thousand, except the counts of articles, which read a source's entries of
        ix_articles_source_fetched."""
        now = utcnow()
        with self.session() as session:
            sources = session.execute(_HEALTH, {"week_ago": now - timedelta(days=7)}).all()
            if not sources:
                return []
            # the pace of the 30 days up to its last article, not of a window the silence is part of
            month_before = {row.id: (row.last_article or now) - timedelta(days=30) for row in sources}
            paces = _articles_since(session, month_before)
            empty = _empty_answers(session, [row.id for row in sources])
        return [
            SourceHealth(
                name=row.name,
                last_success=row.last_success,
                last_attempt=row.last_attempt,
                articles_7d=int(row.articles_7d or 0),
                articles_total=int(row.articles_total or 0),
                consecutive_failures=row.failed_cycles,
                last_error=row.last_failure if row.failed_cycles else None,
                last_article=row.last_article,
                articles_30d=paces.get(row.id, 0),
                empty_answers=empty.get(row.id, 0),
            )
            for row in sources
        ]


# Every source with its health, each column an index search (ix_articles_source_fetched, the partial index
# ix_fetches_source_answers, whose condition `kind != 'article'` is written out so that it is matched); the
# newest success read backwards up to the first one. SQL text, as the two statements below: compiling the
# select() with five correlated subqueries, through the ORM, cost each `rasd status` more than answering it.
_HEALTH = (
    text(
        "SELECT sources.id, sources.name, sources.failed_cycles, sources.last_failure,"
        " (SELECT count(*) FROM articles WHERE source_id = sources.id) AS articles_total,"
        " (SELECT count(*) FROM articles WHERE source_id = sources.id AND fetched_at >= :week_ago) AS articles_7d,"
        " (SELECT max(fetched_at) FROM articles WHERE source_id = sources.id) AS last_article,"
        " (SELECT max(fetched_at) FROM fetches WHERE source_id = sources.id AND kind != 'article') AS last_attempt,"
        " (SELECT fetched_at FROM fetches WHERE source_id = sources.id AND kind != 'article'"
        " AND outcome IN ('ok', 'not_modified') ORDER BY fetched_at DESC LIMIT 1) AS last_success"
        " FROM sources ORDER BY sources.name"
    )
    .bindparams(bindparam("week_ago", type_=DateTime))
    .columns(
        id=Integer,
        name=String,
        failed_cycles=Integer,
        last_failure=String,
        articles_total=Integer,
        articles_7d=Integer,
        last_article=DateTime,
        last_attempt=DateTime,
        last_success=DateTime,
    )
)


# The two statements below are one search per source, joined by UNION ALL. They are written as SQL text:
# SQLAlchemy compiling a few hundred select() constructs anew in each process cost `rasd status` twice the
# time the database took to answer them. The binds are typed, so times are stored and compared alike.


def _union(term: str, count: int) -> str:
    """`term` (with {n} where each source's bind names go) once for each of `count` sources, UNION ALL."""
    return " UNION ALL ".join(term.format(n=n) for n in range(count))


def _articles_since(session: Session, since: Mapping[int, datetime], per_statement: int = 400) -> dict[int, int]:
    """Articles of each source fetched since its own moment, in statements of a few hundred sources (SQLite's
    limit on a compound SELECT is 500 terms): each a search of ix_articles_source_fetched."""
    counts: dict[int, int] = {}
    pairs = list(since.items())
    for start in range(0, len(pairs), per_statement):
        chunk = pairs[start : start + per_statement]
        term = "SELECT :source{n} AS source, count(*) FROM articles"
        term += " WHERE source_id = :source{n} AND fetched_at >= :since{n}"
        counted = text(_union(term, len(chunk))).bindparams(
            *(bindparam(f"since{n}", type_=DateTime) for n in range(len(chunk)))
        )
        values: dict[str, object] = {f"source{n}": source for n, (source, _) in enumerate(chunk)}
        values |= {f"since{n}": moment for n, (_, moment) in enumerate(chunk)}
        counts.update((source, int(count or 0)) for source, count in session.execute(counted, values))
    return counts


def _empty_answers(session: Session, sources: Sequence[int], per_statement: int = 400) -> dict[int, int]:
    """Per source, how many of its newest feed and sitemap answers (up to 20) in a row had no entry: each
    source's 20 newest answers read from the index, in statements of a few hundred sources (SQLite's
    limit on a compound SELECT is 500 terms)."""
    empty: dict[int, int] = {}
    for start in range(0, len(sources), per_statement):
        chunk = sources[start : start + per_statement]
        term = (
            "SELECT * FROM (SELECT source_id, items, fetched_at, id FROM fetches WHERE source_id = :source{n}"
            " AND kind != 'article' AND kind IN ('feed', 'sitemap') AND outcome = 'ok'"
            " ORDER BY fetched_at DESC, id DESC LIMIT 20) AS newest{n}"
        )
        newest = f"SELECT source_id, items FROM ({_union(term, len(chunk))}) AS answers"
        rows = session.execute(
            text(f"{newest} ORDER BY source_id, fetched_at DESC, id DESC"),
            {f"source{n}": source for n, source in enumerate(chunk)},
        )
        broken: set[int] = set()
        for source, items in rows:
            if source in broken:
                continue
            if items != 0:
                broken.add(source)
            else:
                empty[source] = empty.get(source, 0) + 1
    return empty
