"""Sources, their feeds and sitemaps, every fetch attempt; each source's health for `rasd status` is
storage/health.py's, run here through the store's engine."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from rasd.storage.base import StoreBase, naive_utc, run_text, utcnow
from rasd.storage.health import SourceHealth, health_of
from rasd.storage.models import FeedRow, FetchRow, SourceRow

if TYPE_CHECKING:  # the crawler's records are read by attribute; importing the crawler would import Scrapy
    from rasd.config import Source
    from rasd.crawler import FeedState, FetchRecord


def source_ids(session: Session) -> dict[str, int]:
    """Source ids by name."""
    return {name: id_ for id_, name in session.execute(select(SourceRow.id, SourceRow.name))}


class SourcesMixin(StoreBase):
    """What the crawl records about sources, and what `rasd status` reads back."""

    def sync_sources(self, sources: Iterable[Source]) -> None:
        """Make the sources table match the config (new sources added, changed ones updated). A source whose
        address changed forgets the feeds and sitemaps found at the old one: the crawl finds them again at
        the new address, instead of reading the old site's feed as if nothing had changed."""
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
                    if row.url != source.url:
                        session.execute(delete(FeedRow).where(FeedRow.source_id == row.id))
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
        """Every source's health (storage/health.py), through this store's engine."""
        with self.session() as session:
            return health_of(run_text(session), utcnow())
