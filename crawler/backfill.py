"""Backfill: a site's past articles, from the sitemaps that list its whole archive.

Every WordPress site (and most others) publishes a sitemap index whose children are post sitemaps, often
one per month, each with a `<lastmod>`. The backfill spider reads them like the crawl does (same Scrapy
settings: robots.txt, per-domain concurrency, delays, the network guard, the per-source page budget) but:
- child sitemaps that cannot hold an article modified since `since` are not fetched: an index `<lastmod>`
  before it, or a month in the child's address (`post-sitemap-2024-03.xml`, `?m=202403`) that ended before it;
- entries whose `<lastmod>` is before `since` are skipped (undated ones are fetched: extraction dates them);
- nothing is conditional and no validator is saved: the regular crawl's feed state is left as it was;
- no fallback to listing pages: a listing shows what is new, not the past.
Articles already stored are never fetched again, so a backfill stopped (Ctrl-C, budget reached) resumes
where it stopped when run again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy.http import Request, Response

from rasd.config import CrawlerSettings
from rasd.crawler.discovery import (
    CONVENTIONAL_SITEMAPS,
    MONTH_IN_URL,
    UnsafeXml,
    newest_children,
    parse_sitemap,
    robots_sitemaps,
    usual_places,
    w3c_moment,
)
from rasd.crawler.runner import run_spider
from rasd.crawler.spider import NewsSpider, empty_answer, own_articles, robots_outcome
from rasd.crawler.types import CrawlSink, SourcePlan
from rasd.crawler.urls import canonicalize_url

MAX_SITEMAPS = 2_000  # per source: monthly sitemaps of 150 years, or a few thousand paged ones


def _before(moment: datetime | None, since: datetime) -> bool:
    return moment is not None and moment < since


def month_ended_before(url: str, since: datetime) -> bool:
    """True when the address names a year and month (a month archive) that ended before `since`."""
    parts = urlsplit(url)
    match = MONTH_IN_URL.search(parts.path + "?" + parts.query)
    if match is None:
        return False
    year, month = int(match.group(1)), int(match.group(2))
    next_month = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=UTC)
    return next_month <= since


class BackfillSpider(NewsSpider):
    name = "rasd-backfill"
    # A backfill reads a site's archive at the polite pace for as long as its page budget allows: the
    # crawl's per-site time budget ([crawler] source_time_budget, crawler/budget.py) would cut every run.
    site_budget = False

    def __init__(
        self,
        plans: list[SourcePlan],
        sink: CrawlSink,
        since: datetime,
        planned: Callable[[str, int], None],
        **kwargs: Any,
    ) -> None:
        super().__init__(plans, {}, sink, **kwargs)
        self.since = since if since.tzinfo else since.replace(tzinfo=UTC)
        self.planned = planned  # (source, n): n more article pages will be fetched for it
        self.sitemaps: dict[str, int] = {plan.name: 0 for plan in plans}
        self.left_behind: dict[str, set[str]] = {}  # source → articles over the page budget, for next time

    def _first_requests(self, plan: SourcePlan) -> Iterator[Request]:
        if plan.sitemaps:
            for url in plan.sitemaps:
                yield self._sitemap(plan, url)
        else:
            robots = urljoin(plan.homepage, "/robots.txt")
            yield self._request(robots, "robots", plan, self.parse_backfill_robots)

    def _sitemap(self, plan: SourcePlan, url: str, guessed: bool = False) -> Request:
        self.sitemaps[plan.name] += 1
        return self._request(url, "sitemap", plan, self.parse_sitemap, guessed=guessed)

    def _fallback_to_listing(self, plan: SourcePlan, meta: dict[str, Any]) -> Iterator[Request]:
        return iter(())  # listing pages show the newest articles, not the archive

    def closed(self, reason: str) -> None:
        """No validator saved: the regular crawl's conditional requests are not the backfill's business."""

    def parse_backfill_robots(self, response: Response) -> Iterator[Request]:
        plan = self.plans[response.meta["source"]]
        self._record(response, outcome=robots_outcome(response))
        sitemaps = robots_sitemaps(response.body, response.url) if response.status == 200 else []
        for url in sitemaps or usual_places(plan.homepage, CONVENTIONAL_SITEMAPS):
            yield self._sitemap(plan, url, guessed=not sitemaps)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        plan = self.plans[response.meta["source"]]
        if response.status != 200 or empty_answer(response):
            # A usual place with no sitemap (4xx) is no failure: a site has one of the three at most. Each
            # missing one was warned about as a failed fetch, and counted in `rasd status`'s errors.
            missing = response.meta.get("guessed") and 400 <= response.status < 500
            self._record(response, outcome="ok" if missing else None)
            return
        try:
            sitemap = parse_sitemap(response.body, response.url)
        except UnsafeXml as error:
            self._record(response, outcome="error", error=str(error))
            return
        self._record(response, items=len(sitemap.entries) + len(sitemap.child_sitemaps))
        lastmod = sitemap.child_lastmod or {}
        for child in newest_children(sitemap):
            if _before(w3c_moment(lastmod.get(child)), self.since) or month_ended_before(child, self.since):
                continue
            if self.sitemaps[plan.name] < MAX_SITEMAPS:
                yield self._sitemap(plan, child)
        recent = [
            entry
            for entry in own_articles(sitemap.entries, plan, response)
            if (moment := w3c_moment(entry.published)) is None or moment >= self.since
        ]
        newest_first = sorted(recent, key=lambda entry: w3c_moment(entry.published) or self.since, reverse=True)
        announced = {canonicalize_url(entry.url) for entry in newest_first}
        stored = self.sink.stored(announced - self.scheduled)  # asked once: for the requests and what waits
        if queued := self._queue_articles(plan, newest_first, stored=stored):
            self.planned(plan.name, queued)
        yield from self._release()
        if waiting := announced - self.scheduled - stored:
            self.left_behind.setdefault(plan.name, set()).update(waiting)


async def backfill(
    plans: list[SourcePlan],
    settings: CrawlerSettings,
    sink: CrawlSink,
    since: datetime,
    planned: Callable[[str, int], None] = lambda source, n: None,
) -> dict[str, int]:
    """Fetch the articles each plan's sitemaps list since `since` (not stored yet, within the page budget);
    pages go to `sink` as they arrive. Returns, per source, how many articles the budget left for a next run."""
    left: dict[str, int] = {}

    class Spider(BackfillSpider):
        def closed(self, reason: str) -> None:
            left.update({name: len(urls - self.scheduled) for name, urls in self.left_behind.items()})

    await run_spider(Spider, settings, plans=plans, sink=sink, since=since, planned=planned)
    return {name: count for name, count in left.items() if count}
