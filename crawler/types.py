"""What the crawler is given (a plan per source) and what it hands on (pages, fetch records, feed state)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True)
class SourcePlan:
    """One site to visit this cycle; `feeds`/`sitemaps` empty means: discover them from the homepage."""

    name: str
    homepage: str
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    max_pages: int = 200


@dataclass(frozen=True)
class FetchedPage:
    """An article page as downloaded: raw bytes (extraction decodes them) plus what announced it."""

    source: str
    url: str  # the clean URL to store and show: the page's own canonical link, or where redirects ended
    canonical_url: str  # the key "already stored?" is asked with (see crawler.spider.NewsSpider.parse_article)
    status: int
    body: bytes
    content_type: str
    fetched_at: datetime
    hint_title: str | None = None
    hint_date: str | None = None
    hint_date_origin: str | None = None
    # Other canonical URLs this page was reached under (the announced URL, where a redirect started) when
    # the page names another canonical: stored as aliases so the next cycle does not fetch them again.
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class FetchRecord:
    """One HTTP attempt and its outcome: ok | not_modified | http_error | error | blocked."""

    source: str
    url: str
    kind: str  # robots | feed | sitemap | listing | article
    outcome: str
    status: int | None = None
    bytes: int = 0
    duration_ms: int = 0
    error: str | None = None
    fetched_at: datetime = field(default_factory=datetime.now)
    items: int | None = None  # entries a feed or sitemap announced, article links a listing page held
    # A failure's kind in words ("DNS lookup failed", "timed out"), alike for every source that failed the
    # same way: what the cycle's summary groups by (not stored; `error` has the detail).
    cause: str | None = None


@dataclass(frozen=True)
class FeedState:
    """A feed or sitemap found or re-read, with the validators for the next conditional GET."""

    source: str
    url: str
    kind: str  # feed | sitemap
    status: int | None
    etag: str | None = None
    last_modified: str | None = None


class CrawlSink(Protocol):
    """Where the spider hands its results; the monitor implements it (extract → classify → store)."""

    def page(self, page: FetchedPage) -> None: ...

    def fetch(self, record: FetchRecord) -> None: ...

    def feed(self, state: FeedState) -> None: ...

    def stored(self, urls: Collection[str]) -> set[str]:
        """Which of these canonical article URLs are stored already (never fetched again): asked for each
        feed, sitemap or listing page's articles, so that the crawl holds no list of every stored URL."""
        ...
