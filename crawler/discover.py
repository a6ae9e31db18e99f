"""What each site publishes about itself, asked once per source for `rasd sources check`.

The crawl discovers feeds quietly and falls back to listing pages when they fail; a user editing
`sources.toml` wants the opposite: every configured feed and sitemap fetched and judged (a configured feed
that answers 404 is the news), and what the homepage advertises (`<link rel="alternate">`), what `/feed/`
holds when nothing is advertised, the `Sitemap:` lines of robots.txt (or, when it names none, the usual
sitemap locations of WordPress and its SEO plugins) — each checked by parsing it, since
a page answering 200 at `/feed/` is often the homepage again. It runs under the crawl's own Scrapy settings
(`scrapy_settings`), so robots.txt, the User-Agent, timeouts, size caps, per-domain concurrency and the
private-network guard are the ones the crawl will meet; robots.txt is read by `crawler.robots.SharedRobotsTxt`
rather than Scrapy's own middleware, which lets some concurrent requests through unchecked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urljoin

import scrapy
from scrapy.crawler import AsyncCrawlerRunner
from scrapy.http import Request, Response
from twisted.python.failure import Failure

from rasd.config import CrawlerSettings, failures
from rasd.crawler.discovery import (
    CONVENTIONAL_SITEMAPS,
    UnsafeXml,
    feed_links,
    newest_children,
    page_links,
    parse_feed,
    parse_sitemap,
    robots_sitemaps,
    script_redirect,
    usual_places,
)
from rasd.crawler.runner import scrapy_settings
from rasd.crawler.spider import describe_failure, empty_answer, failure_cause, page_tree, source_request
from rasd.crawler.types import SourcePlan
from rasd.crawler.urls import canonicalize_url, looks_like_article, looks_like_listing, same_site

MAX_CHECKED = 5  # advertised feeds, or robots.txt sitemaps, checked per source; a homepage has one or two

Origin = Literal["configured", "advertised", "guessed", "robots.txt"]
_ORIGIN_ORDER: dict[str, int] = {"configured": 0, "advertised": 1, "guessed": 2, "robots.txt": 3}


@dataclass(frozen=True)
class FeedCheck:
    """One feed or sitemap fetched and parsed: where its URL came from and what it holds.

    `error` is None when it answered 200 and parsed; `items` is then the feed's entries or the sitemap's
    URLs. For a sitemap index, `child_sitemaps` counts its children and the newest child is fetched too
    (`child_items` or `child_error`), since an index of broken sitemaps gives the crawl nothing."""

    url: str
    kind: Literal["feed", "sitemap"]
    origin: Origin
    items: int = 0
    child_sitemaps: int = 0
    child_items: int | None = None
    child_error: str | None = None
    error: str | None = None
    landed: str | None = None  # where redirects ended, when on another site than the URL asked for

    @property
    def works(self) -> bool:
        """Answered, parsed, and has something for the crawl to read."""
        if self.error is not None:
            return False
        if self.child_sitemaps:
            return self.child_error is None and bool(self.child_items)
        return self.items > 0


@dataclass
class SourceDiscovery:
    """What one source's site answered. `checks` are in a stable order: configured, advertised, `/feed/`,
    robots.txt; within each, in the order the config, the page or robots.txt lists them."""

    name: str
    homepage: str
    homepage_error: str | None = None
    homepage_cause: str | None = None  # its failure's kind in words ("DNS lookup failed"), alike across sources
    homepage_landed: str | None = None  # the homepage redirects to another site (the source moved)
    homepage_moved: bool = False  # ... and every redirect on the way said so for good (301, 308): its new `url`
    robots_error: str | None = None  # robots.txt unreadable (a missing robots.txt is not an error)
    advertised_unchecked: int = 0  # feeds advertised beyond MAX_CHECKED
    # The homepage's links the crawl would follow without a feed or sitemap (crawler/spider.py `_listing`):
    # articles and section pages by their address (None: the homepage was not read)
    listing_links: int | None = None
    checks: list[FeedCheck] = field(default_factory=list)

    @property
    def reachable(self) -> bool:
        """The homepage answered, or at least one configured feed or sitemap did."""
        return self.homepage_error is None or any(c.works for c in self.checks if c.origin == "configured")

    def ordered(self) -> list[FeedCheck]:
        return sorted(self.checks, key=lambda check: (check.kind != "feed", _ORIGIN_ORDER[check.origin]))


def _http_error(response: Response) -> str | None:
    return None if response.status == 200 else f"HTTP {response.status}"


def _answer_error(response: Response) -> str | None:
    """What is wrong with a feed's or sitemap's answer before its XML is read: an HTTP status, or nothing
    at all (a 200 with no body, said as `rasd crawl` says it rather than as the parser's "no element found:
    line 1, column 0")."""
    return _http_error(response) or (failures.EMPTY_ANSWER if empty_answer(response) else None)


PERMANENT = (301, 308)  # a redirect's statuses that say "moved for good" (RFC 9110, 15.4)


def _landed(response: Response) -> str | None:
    """Where the answer came from, when redirects led to another site than the URL asked for."""
    asked = (response.meta.get("redirect_urls") or [response.url])[0]
    return None if same_site(response.url, asked) else response.url


class DiscoverySpider(scrapy.Spider):
    """Per source: the homepage, robots.txt and each configured feed and sitemap at once; then the feeds
    the homepage advertises (or `/feed/`), the sitemaps robots.txt names, and an index's newest child.
    Results are written into `reports` (one SourceDiscovery per plan, created up front so a source whose
    every request failed still has one)."""

    name = "rasd-discover"
    crawl_delay = False  # a handful of requests a site: robots.txt's Crawl-delay is not waited for (crawler/robots.py)

    def __init__(self, plans: list[SourcePlan], reports: dict[str, SourceDiscovery], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.plans = {plan.name: plan for plan in plans}
        self.reports = reports
        self.seen: dict[str, set[str]] = {plan.name: set() for plan in plans}
        for plan in plans:
            reports[plan.name] = SourceDiscovery(plan.name, plan.homepage)

    def _request(self, plan: SourcePlan, url: str, kind: str, callback: Any, **meta: Any) -> Request:
        # each URL is asked once per source by `_check`; robots.txt is fetched by two parties
        return source_request(plan, url, kind, callback, self.on_error, True, **meta)

    def _check(self, plan: SourcePlan, url: str, kind: Literal["feed", "sitemap"], origin: Origin) -> Iterator[Request]:
        """A request for a feed or sitemap not yet asked for this source (URLs compared canonically, so a
        configured `http://x/feed` and an advertised `https://www.x/feed/` are one), with its slot in
        `checks` reserved so the report keeps the order even when answers arrive out of it."""
        key = canonicalize_url(url)
        if key in self.seen[plan.name]:
            return
        self.seen[plan.name].add(key)
        report = self.reports[plan.name]
        report.checks.append(FeedCheck(url, kind, origin, error="no answer recorded"))
        yield self._request(plan, url, kind, self.parse_check, slot=len(report.checks) - 1)

    def _update(self, meta: dict[str, Any], **changes: Any) -> FeedCheck:
        checks = self.reports[meta["source"]].checks
        checks[meta["slot"]] = dataclasses.replace(checks[meta["slot"]], **changes)
        return checks[meta["slot"]]

    async def start(self) -> AsyncIterator[Request]:
        for plan in self.plans.values():
            yield self._request(plan, plan.homepage, "homepage", self.parse_homepage)
            yield self._request(plan, urljoin(plan.homepage, "/robots.txt"), "robots", self.parse_robots)
            for url in plan.feeds:
                for request in self._check(plan, url, "feed", "configured"):
                    yield request
            for url in plan.sitemaps:
                for request in self._check(plan, url, "sitemap", "configured"):
                    yield request

    def on_error(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]
        meta, error = request.meta, describe_failure(failure.value)
        report = self.reports[meta["source"]]
        if meta["kind"] == "homepage":
            report.homepage_error, report.homepage_cause = error, failure_cause(failure.value)
        elif meta["kind"] == "robots":
            report.robots_error = error
        elif meta["kind"] == "child":
            self._update(meta, child_error=error)
        else:
            self._update(meta, error=error)

    def parse_homepage(self, response: Response) -> Iterator[Request]:
        plan = self.plans[response.meta["source"]]
        report = self.reports[plan.name]
        report.homepage_landed = _landed(response)
        reasons = response.meta.get("redirect_reasons") or []
        report.homepage_moved = bool(reasons) and all(reason in PERMANENT for reason in reasons)
        tree = page_tree(response) if response.status == 200 else None
        if response.status != 200 or tree is None:
            report.homepage_error = _http_error(response) or "not an HTML page"
            return
        target = None if response.meta.get("script_redirect") else script_redirect(tree, response.url)
        if target and same_site(target, plan.homepage):  # what the crawl reads too
            yield self._request(plan, target, "homepage", self.parse_homepage, script_redirect=True)
            return
        links = page_links(tree, response.url)
        sites = (plan.homepage, response.url)  # the crawl reads a moved homepage's links on its new site too
        report.listing_links = sum(
            1 for url in links if any(looks_like_article(url, s) or looks_like_listing(url, s) for s in sites)
        )
        advertised = feed_links(tree, response.url)
        report.advertised_unchecked = max(0, len(advertised) - MAX_CHECKED)
        for url in advertised[:MAX_CHECKED]:
            yield from self._check(plan, url, "feed", "advertised")
        for url in [] if advertised else usual_places(response.url, ["/feed/"]):  # `/news/feed/`, then `/feed/`
            yield from self._check(plan, url, "feed", "guessed")

    def parse_robots(self, response: Response) -> Iterator[Request]:
        plan = self.plans[response.meta["source"]]
        if response.status >= 500:
            self.reports[plan.name].robots_error = _http_error(response)
        # No robots.txt is nothing wrong: no sitemaps announced there.
        announced = robots_sitemaps(response.body, response.url) if response.status == 200 else []
        for url in announced[:MAX_CHECKED]:
            yield from self._check(plan, url, "sitemap", "robots.txt")
        if not announced and not plan.sitemaps:
            for url in usual_places(plan.homepage, CONVENTIONAL_SITEMAPS):
                yield from self._check(plan, url, "sitemap", "guessed")

    def parse_check(self, response: Response) -> Iterator[Request]:
        meta = response.meta
        landed = _landed(response)
        if (error := _answer_error(response)) is not None:
            self._update(meta, error=error, landed=landed)
            return
        try:
            if meta["kind"] == "feed":
                headers = {str(name).lower(): str(value) for name, value in response.headers.to_unicode_dict().items()}
                entries = parse_feed(response.body, headers, response.url)
                self._update(meta, error=None, landed=landed, items=len(entries))
                return
            sitemap = parse_sitemap(response.body, response.url)
        except UnsafeXml as problem:
            self._update(meta, error=str(problem), landed=landed)
            return
        children = sitemap.child_sitemaps
        asked = response.request.url if response.request else response.url
        if children and not sitemap.entries and set(children) <= {response.url, asked}:
            self._update(meta, error=failures.SITEMAP_LISTS_ITSELF, landed=landed)  # as `rasd crawl` says it
            return
        above = (response.url, asked)
        others = [child for child in newest_children(sitemap) if child not in above]  # itself is no child
        self._update(meta, error=None, landed=landed, items=len(sitemap.entries), child_sitemaps=len(others))
        if others:
            plan = self.plans[meta["source"]]
            yield self._request(plan, others[0], "child", self.parse_child, slot=meta["slot"], above=above)

    def parse_child(self, response: Response) -> None:
        meta = response.meta
        if (error := _answer_error(response)) is not None:
            self._update(meta, child_error=error)
            return
        try:
            sitemap = parse_sitemap(response.body, response.url)
        except UnsafeXml as problem:
            self._update(meta, child_error=str(problem))
            return
        children = set(sitemap.child_sitemaps)
        asked = response.request.url if response.request else response.url
        if children and not sitemap.entries and children <= {response.url, asked, *meta.get("above", ())}:
            # an index listing back the one that led to it: "ok, 2 child sitemaps" for what gives nothing
            looped = not children <= {response.url, asked}
            self._update(meta, child_error=failures.SITEMAP_LOOP if looped else failures.SITEMAP_LISTS_ITSELF)
            return
        # A child that is itself an index counts its children: there is something to read further down.
        self._update(meta, child_error=None, child_items=len(sitemap.entries) + len(sitemap.child_sitemaps))


async def discover_sources(plans: list[SourcePlan], settings: CrawlerSettings) -> list[SourceDiscovery]:
    """Check the feeds and sitemaps of `plans` (all sources at once, per-domain concurrency as in the
    crawl); one SourceDiscovery per plan, in the plans' order. Run it on the asyncio reactor."""
    reports: dict[str, SourceDiscovery] = {}
    options = scrapy_settings(settings)
    runner = AsyncCrawlerRunner(options)
    await runner.crawl(DiscoverySpider, plans=plans, reports=reports)
    return [reports[plan.name] for plan in plans]
