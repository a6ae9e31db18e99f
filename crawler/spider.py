"""The news spider: feeds first, then sitemaps, then listing pages; only articles not yet stored.

Per source: configured or remembered feeds are read with a conditional GET; a source with none has its
homepage read for `<link rel="alternate">` feeds, then robots.txt for sitemaps, and as a last resort its
homepage and category pages for article links. Every response and every failure becomes a FetchRecord,
so a bad server is reported and the rest of the cycle goes on.
"""

from __future__ import annotations

import re
import zlib
from collections import deque
from collections.abc import AsyncIterator, Callable, Collection, Iterable, Iterator
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Self
from urllib.parse import urljoin, urlsplit, urlunsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import (
    CannotResolveHostError,
    DontCloseSpider,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import Request, Response
from twisted.internet.error import ConnectionRefusedError as TwistedConnectionRefused
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure
from twisted.web.client import ResponseNeverReceived

from rasd.config import failures
from rasd.crawler.budget import OutOfTime
from rasd.crawler.discovery import (
    UNDATED,
    Entry,
    UnsafeXml,
    canonical_link,
    feed_links,
    newest_children,
    page_links,
    parse_feed,
    parse_html,
    parse_sitemap,
    robots_sitemaps,
    script_redirect,
    w3c_moment,
)
from rasd.crawler.ratelimit import RATE_LIMITED
from rasd.crawler.robots import RobotsUnavailable
from rasd.crawler.stopping import CrawlStopped
from rasd.crawler.types import CrawlSink, FeedState, FetchedPage, FetchRecord, SourcePlan
from rasd.crawler.urls import (
    announced_article,
    canonicalize_url,
    clean_url,
    looks_like_article,
    looks_like_listing,
    same_domain,
    same_site,
)

MAX_LISTING_PAGES = 12  # per source and cycle: categories and their second pages
MAX_CHILD_SITEMAPS = 5
# Article requests handed to Scrapy and not ended yet: twice CONCURRENT_REQUESTS keeps its downloader full;
# the other announced articles wait in the spider, a few hundred bytes each instead of a Request's ~2.3 KB.
MAX_ARTICLES_IN_SCRAPY = 64
# Feeds and sitemaps handed to Scrapy at once (issue 16: memory flat as the web grows). Every one it holds is
# downloaded whole and kept until its callback has read it; handed all at once, a cycle held all of them —
# the main process's peak, 12 feeds of 3.3 MB on the 8,000-page benchmark. Two at first, one more each time
# one answers small (a 304, an ordinary feed: a cycle of many sources reads them side by side as before),
# back to two after a large one, so large lists are read about two at a time whatever their number.
LISTS_AT_FIRST = 2
MAX_LISTS_IN_SCRAPY = 16
LARGE_LIST_BYTES = 512 * 1024
LISTS = ("feed", "sitemap")
_HELD_LIST = "rasd_list_room"  # meta of a feed or sitemap request handed by `_release_lists`


def _now() -> datetime:
    return datetime.now(UTC)


def _before_the_move(canonical: str, homepage: str) -> str | None:
    """The canonical address `canonical` had on the source's own site (its homepage's scheme and host, the same
    path and query), for an address on another domain — where a source that moved now publishes; None for one
    on the source's site or its editions (`fr.site.ma`), which are pages of their own."""
    if same_domain(canonical, homepage):
        return None
    here, home = urlsplit(canonical), urlsplit(homepage)
    return canonicalize_url(urlunsplit((home.scheme, home.netloc, here.path, here.query, "")))


def _header(response: Response, name: str) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


# Network failures as a reader of `rasd status` or `rasd sources check` wants them named.
_FAILURES: dict[type[BaseException], str] = {
    DownloadTimeoutError: failures.TIMED_OUT,
    DownloadConnectionRefusedError: failures.CONNECTION_REFUSED,
    ConnectionRefusedError: failures.CONNECTION_REFUSED,
    TwistedConnectionRefused: failures.CONNECTION_REFUSED,
    CannotResolveHostError: failures.DNS_FAILED,
    DNSLookupError: failures.DNS_FAILED,
    ResponseDataLossError: failures.CUT_MID_ANSWER,
    ResponseNeverReceived: failures.CLOSED_BEFORE_ANSWER,
    DownloadFailedError: failures.DOWNLOAD_FAILED,
    # Scrapy cancels a streamed answer that passes DOWNLOAD_MAXSIZE with no message (an announced
    # Content-Length over the cap says so itself). (A stopped crawl does not cancel: Scrapy lets the
    # downloads in flight finish and drops the requests not sent.)
    DownloadCancelledError: failures.TOO_LARGE,
}


def failure_cause(error: BaseException | None) -> str:
    """What went wrong, in words, without the detail: "DNS lookup failed", "timed out", ... — the same for
    every source that failed the same way, so a cycle can say that most sources failed alike."""
    if error is None:
        return failures.NO_ERROR
    if isinstance(error, OutOfTime):
        return str(error).split(":", 1)[0]  # failures.NOT_ANSWERING, failures.OUT_OF_TIME
    if _unpacked_too_large(error) is not None:
        return failures.TOO_LARGE
    if isinstance(error, IgnoreRequest):
        return failures.REFUSED
    if _tls_reason(error) is not None:
        return failures.TLS_FAILED
    if _not_http(error) is not None:
        return failures.NOT_HTTP
    if _damaged_compression(error):
        return failures.DAMAGED_COMPRESSION
    if isinstance(error, ValueError):  # the requests Rasd makes are addresses (urls.absolute): a Location's
        return failures.REDIRECTED_TO_NO_ADDRESS
    return next((text for kind, text in _FAILURES.items() if isinstance(error, kind)), type(error).__name__)


def _tls_reason(error: BaseException) -> str | None:
    """OpenSSL's reason for a handshake that failed ("wrong version number", "certificate verify failed"),
    from the failures Twisted wraps (`ResponseNeverReceived.reasons`, under Scrapy's DownloadFailedError);
    None when no TLS error is among them. Scrapy's own words were the list's repr: "[<twisted.python.failure.
    Failure OpenSSL.SSL.Error: [('SSL routines', '', 'wrong version number')]>]"."""
    from OpenSSL.SSL import Error as TLSError

    for reason in _wrapped(error):
        if isinstance(reason, TLSError):
            details = reason.args[0] if reason.args and isinstance(reason.args[0], list) else []
            words = [str(detail[-1]) for detail in details if isinstance(detail, tuple) and detail and detail[-1]]
            return "; ".join(dict.fromkeys(words)) or str(reason) or "?"
    return None


def _wrapped(error: BaseException) -> Iterator[BaseException | None]:
    """`error`, the errors it was raised from, and the failures Twisted wraps in each (`.reasons`)."""
    seen: BaseException | None = error
    while seen is not None:
        yield seen
        yield from (getattr(failure, "value", None) for failure in getattr(seen, "reasons", None) or [])
        seen = seen.__cause__


def _not_http(error: BaseException) -> str | None:
    """The first bytes of an answer that is not HTTP at all (an SSH or SMTP greeting on the port: Twisted's
    ParseError "non-integer status code" or "wrong number of parts", among the failures it wraps), quoted;
    None for any other failure. Scrapy's words were the list's repr, "[<twisted.python.failure.Failure
    twisted.web._newclient.ParseError: ('non-integer status code', b'SSH-2.0-OpenSSH_9.2')>]"."""
    from twisted.web._newclient import ParseError

    for reason in _wrapped(error):
        if isinstance(reason, ParseError):
            data = reason.args[1] if len(reason.args) > 1 else b""
            start = data.decode("latin-1") if isinstance(data, bytes) else str(data)
            return repr(start.strip()[:80])
    return None


_UNPACKED = re.compile(r"\((\d+) B compressed, \d+ B decompressed so far\) exceeded DOWNLOAD_MAXSIZE \((\d+) B\)")


def _unpacked_too_large(error: BaseException) -> str | None:
    """A compression bomb (a few kilobytes of gzip, deflate, brotli or zstd that unpack past the size cap) in
    Rasd's words, from the numbers of Scrapy's HttpCompressionMiddleware's message; None for others."""
    if isinstance(error, IgnoreRequest) and (unpacked := _UNPACKED.search(str(error))):
        return failures.TOO_LARGE_UNPACKED % {"size": unpacked[1], "limit": unpacked[2]}
    return None


def _damaged_compression(error: BaseException) -> bool:
    """A compressed body the decompressor refused: zlib's error (gzip, deflate), brotli's, zstandard's."""
    return isinstance(error, zlib.error) or type(error).__module__.split(".")[0].lstrip("_") in (
        "brotli",
        "brotlicffi",
        "zstandard",
    )


# How many redirects a request follows (Scrapy's REDIRECT_MAX_TIMES, crawler.runner's settings).
REDIRECT_MAX_TIMES = 5
_NO_RESULTS = re.compile(r"no results for hostname lookup: (\S+)")
_TOOK_LONGER = re.compile(r"took longer than ([\d.]+) seconds")
_LARGER = re.compile(r"(\d+) bytes which is larger than download max size \((\d+)\)")


def _plain_words(error: BaseException) -> str | None:
    """A timeout or an answer over the size cap in Rasd's words, with the setting that decides it, from the
    numbers in Scrapy's message (its own words name the URL again and end in `<GET …>`); None for others."""
    text = str(error)
    if isinstance(error, DownloadTimeoutError) and (took := _TOOK_LONGER.search(text)):
        return failures.TIMED_OUT_AFTER % {"seconds": f"{float(took[1]):g}"}
    if larger := _LARGER.search(text):
        return failures.TOO_LARGE_SIZE % {"size": larger[1], "limit": larger[2]}
    return None


def describe_failure(error: BaseException | None) -> str:
    """One readable line for a failed request: what went wrong in words, then the library's detail —
    once: Twisted's message repeats its own class's words and the guard's repeats them again, which read
    `DNS lookup failed: DNS lookup failed: DNS lookup failed for …`."""
    if error is None:
        return failure_cause(error)
    if (unpacked := _unpacked_too_large(error)) is not None:
        return unpacked
    if isinstance(error, IgnoreRequest):
        if str(error) == "max redirections reached":  # Scrapy's RedirectMiddleware
            return failures.TOO_MANY_REDIRECTS % {"count": REDIRECT_MAX_TIMES}
        return str(error) or "request refused"  # robots.txt, the network guard, an off-site redirect
    if (said_plainly := _plain_words(error)) is not None:
        return said_plainly
    if (tls := _tls_reason(error)) is not None:
        return (failures.CAUSE_DETAIL % {"cause": failures.TLS_FAILED, "detail": tls})[:500]
    if (start := _not_http(error)) is not None:
        return failures.CAUSE_DETAIL % {"cause": failures.NOT_HTTP, "detail": start}
    if _damaged_compression(error):
        return failures.DAMAGED_COMPRESSION
    label = failure_cause(error)
    detail = "" if isinstance(error, ResponseNeverReceived) else str(error).strip().rstrip(".")
    if label == failures.DNS_FAILED and (unknown := _NO_RESULTS.search(detail)):  # Twisted's own lookup's words
        return failures.dns_failed(unknown[1], detail)
    said = {label.lower(), (type(error).__doc__ or "").strip().rstrip(".").lower()} - {""}
    while prefix := next((p for p in said if detail.lower().startswith(p + ":")), None):
        detail = detail[len(prefix) + 1 :].lstrip()
    if not detail or detail.rsplit(": ", 1)[-1].lower() == label.lower():  # "…: 111: Connection refused"
        return label
    if detail.lower().startswith(label.lower()):  # "DNS lookup failed for host: …" says it already
        return detail[:500]
    return (failures.CAUSE_DETAIL % {"cause": label, "detail": detail})[:500]


def _transient(status: int) -> bool:
    """An HTTP answer the next cycle may not get again: server errors, a timeout, rate limiting."""
    return status >= 500 or status in (408, 429)


def _redirected_from(error: str, meta: dict[str, Any]) -> str:
    """`error (redirected from URL)` when the answer or the failure came after redirects, so the error names
    the URL the feed or config announced, not only the last hop."""
    hops = meta.get("redirect_urls") or []
    return failures.REDIRECTED_FROM % {"failure": error, "url": hops[0]} if hops else error


def page_tree(response: Response) -> Any:
    """The lxml tree of an HTML answer, read in the encoding its header or itself declares (`parse_html`)."""
    return parse_html(response.body, _header(response, "Content-Type"))


def empty_answer(response: Response) -> bool:
    """A 200 with no body: a server that broke mid-deploy, a cache serving nothing. A failure to record
    (and to try again next cycle), not a page to extract; an empty robots.txt is a normal one (allows all)."""
    return response.status == 200 and not response.body and response.meta.get("kind") != "robots"


def response_record(
    response: Response, outcome: str | None = None, error: str | None = None, items: int | None = None
) -> FetchRecord:
    """The FetchRecord of an answer; `outcome` from the status unless given."""
    status = response.status
    if outcome is None and empty_answer(response):
        outcome, error = "error", _redirected_from(failures.EMPTY_ANSWER, response.meta)
    if outcome is None:
        outcome = "ok" if status < 300 else ("not_modified" if status == 304 else "http_error")
    if outcome == "http_error" and error is None:
        # a 429 or 503 given its Retry-After pause, or left for the next cycle for it (crawler/ratelimit.py)
        paused = response.meta.get(RATE_LIMITED) if status in (429, 503) else None
        error = paused or _redirected_from(_http_error(response), response.meta)
    return FetchRecord(
        source=response.meta["source"],
        url=response.url,
        kind=response.meta["kind"],
        outcome=outcome,
        status=status,
        bytes=len(response.body),
        duration_ms=int(1000 * float(response.meta.get("download_latency", 0.0))),
        error=error,
        fetched_at=_now(),
        items=items,
    )


def _http_error(response: Response) -> str:
    """`HTTP 404`; a redirect Scrapy did not follow, its Location being no web address (ftp://, a mail
    address), said so with it: "HTTP 301" alone told a reader nothing."""
    status = response.status
    location = _header(response, "Location") if 300 <= status < 400 else None
    if location:
        detail = f"HTTP {status} → {location.strip()[:200]}"
        return failures.CAUSE_DETAIL % {"cause": failures.REDIRECTED_TO_NO_ADDRESS, "detail": detail}
    return f"HTTP {status}"


def robots_outcome(response: Response) -> str | None:
    """A site without robots.txt (404, or any 4xx: RFC 9309 §2.3.1.3) allows everything: nothing failed.
    None: the outcome of any other answer, 429 among them (the site asks the crawl to slow down)."""
    return "ok" if 400 <= response.status < 500 and response.status != 429 else None


def failure_record(request: Request, failure: Failure) -> FetchRecord:
    """The FetchRecord of a request that got no answer (or was refused before it was sent)."""
    error = failure.value
    described = describe_failure(error)
    if (hops := request.meta.get("redirect_urls")) and hops[0] not in described:  # an off-site redirect names it
        described = _redirected_from(described, request.meta)
    return FetchRecord(
        source=request.meta["source"],
        url=request.url,
        kind=request.meta["kind"],
        outcome="blocked" if isinstance(error, IgnoreRequest) and failure_cause(error) == failures.REFUSED else "error",
        error=described,
        fetched_at=_now(),
        cause=failure_cause(error),
    )


def own_articles(entries: Iterable[Entry], plan: SourcePlan, response: Response) -> list[Entry]:
    """The entries of a feed or sitemap that are this source's articles (`announced_article`)."""
    return [entry for entry in entries if announced_article(entry.url, plan.homepage, response.url)]


def source_request(
    plan: SourcePlan, url: str, kind: str, callback: Any, errback: Any, dont_filter: bool, **meta: Any
) -> Request:
    """A request on behalf of a source: `meta` names the source, what is asked for (`kind`) and the site
    (for the same-site redirect rule, crawler/redirects.py), as every middleware and callback expects."""
    return Request(
        url,
        callback=callback,
        errback=errback,
        meta={"source": plan.name, "kind": kind, "site": plan.homepage, **meta},
        dont_filter=dont_filter,
    )


class NewsSpider(scrapy.Spider):
    name = "rasd-news"
    site_budget = True  # each site within its time and given up when it stops answering (crawler/budget.py)

    def __init__(
        self,
        plans: list[SourcePlan],
        validators: dict[str, tuple[str | None, str | None]],
        sink: CrawlSink,
        stopping: Callable[[], bool] = lambda: False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.stopping = stopping  # True once the process is asked to stop: no first request is sent then
        self.plans = {plan.name: plan for plan in plans}
        self.validators = validators
        self.sink = sink
        self.scheduled: set[str] = set()
        self.article_budget = {plan.name: plan.max_pages for plan in plans}
        self.homepage_keys = {plan.name: canonicalize_url(plan.homepage) for plan in plans}
        self.listing_budget = {plan.name: MAX_LISTING_PAGES for plan in plans}
        self.listed: set[str] = set()
        # A feed's or sitemap's validators are kept until the crawl ends and saved only if every article it
        # announced was fetched: otherwise the next cycle's conditional GET would get a 304 and never see
        # the articles a stop, a failure or the page budget left behind.
        self.validators_seen: dict[str, FeedState] = {}
        # feed or sitemap URL → what it announced that is not fetched: asked for and not answered yet,
        # failed in a way the next cycle may not meet, or over the page budget
        self.unfetched: dict[str, set[str]] = {}
        self.parent_sitemap: dict[str, str] = {}  # child sitemap that answered → the index that named it
        self.fallen_back: set[str] = set()  # sources whose listing pages are read because a feed failed
        # Announced articles not handed to Scrapy yet, per source: (entry, canonical URL, feed or sitemap)
        self.waiting: dict[str, deque[tuple[Entry, str, str | None]]] = {}
        self.in_scrapy = 0  # article requests handed to Scrapy and not ended
        self.lists_waiting: deque[Request] = deque()  # feed and sitemap requests not handed to Scrapy yet
        self.lists_in_scrapy = 0
        self.list_room = LISTS_AT_FIRST  # how many feeds and sitemaps Scrapy may hold now

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.on_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.on_dropped, signal=signals.request_dropped)
        return spider

    # ---- requests -------------------------------------------------------------------------------

    def _request(self, url: str, kind: str, plan: SourcePlan, callback: Any, **meta: Any) -> Request:
        # Articles are deduplicated by `self.scheduled`; Scrapy's own filter would silently drop the
        # second hop of a redirect loop (no errback, so no FetchRecord).
        # A listing page is asked once by `_listing` and `_fallback_to_listing`; filtered, a homepage that
        # redirects to itself (a cookie wall: Rasd sends no cookie) vanished without a word.
        dont_filter = kind in ("feed", "robots", "article", "listing")
        return source_request(plan, url, kind, callback, self.on_error, dont_filter, **meta)

    def _conditional(self, url: str, kind: str, plan: SourcePlan, callback: Any, **meta: Any) -> Request:
        request = self._request(url, kind, plan, callback, **meta)
        etag, last_modified = self.validators.get(url, (None, None))
        if etag:
            request.headers["If-None-Match"] = etag
        if last_modified:
            request.headers["If-Modified-Since"] = last_modified
        return request

    async def start(self) -> AsyncIterator[Request]:
        for plan in self.plans.values():
            for request in self._first_requests(plan):
                if self.stopping():
                    return
                yield request

    def _first_requests(self, plan: SourcePlan) -> Iterator[Request]:
        if plan.feeds:
            yield from self._lists(self._conditional(url, "feed", plan, self.parse_feed) for url in plan.feeds)
        elif plan.sitemaps:
            yield from self._lists(self._conditional(url, "sitemap", plan, self.parse_sitemap) for url in plan.sitemaps)
        else:
            yield self._request(plan.homepage, "listing", plan, self.parse_homepage, discover=True)

    def _lists(self, requests: Iterable[Request]) -> Iterator[Request]:
        """Feed and sitemap requests queued, and the ones Scrapy has room for (`list_room`)."""
        self.lists_waiting.extend(requests)
        yield from self._release_lists()

    def _release_lists(self) -> Iterator[Request]:
        while self.lists_waiting and self.lists_in_scrapy < self.list_room:
            self.lists_in_scrapy += 1
            request = self.lists_waiting.popleft()
            request.meta[_HELD_LIST] = True  # kept through redirects and retries, as all of `meta`
            yield request

    def _list_ended(self, meta: dict[str, Any], size: int) -> Iterator[Request]:
        """A feed or sitemap request `_release_lists` handed ended (its callback or errback), its answer
        `size` bytes long (0 for none): more room after a small one, the first room again after a large
        one; the next ones. (A backfill's sitemaps are not held back: crawler/backfill.py.)"""
        if not meta.get(_HELD_LIST):
            return
        self.lists_in_scrapy -= 1
        grown = min(self.list_room + 1, MAX_LISTS_IN_SCRAPY)
        self.list_room = LISTS_AT_FIRST if size >= LARGE_LIST_BYTES else grown
        yield from self._release_lists()

    def _article_requests(
        self,
        plan: SourcePlan,
        entries: Iterable[Entry],
        announced_by: str | None = None,
        stored: Collection[str] | None = None,
    ) -> Iterator[Request]:
        """Announced articles queued (`_queue_articles`), and the requests Scrapy has room for."""
        self._queue_articles(plan, entries, announced_by, stored)
        yield from self._release()

    def _queue_articles(
        self,
        plan: SourcePlan,
        entries: Iterable[Entry],
        announced_by: str | None = None,
        stored: Collection[str] | None = None,
    ) -> int:
        """Queue the announced articles not stored yet, within the source's page budget; returns how many.
        `announced_by`: the feed or sitemap that listed them (None for a listing page); `stored`: which of
        them the sink said are stored, when the caller asked already (else it is asked here). A queued
        article counts as announced and unfetched from here on (`_announced`): a crawl stopped before its
        request was made leaves its feed to be read whole next cycle."""
        announced = [(entry, canonicalize_url(entry.url)) for entry in entries]
        if stored is None:
            stored = self.sink.stored({canonical for _, canonical in announced} - self.scheduled)
        # A site that moved to another domain: its pages keep their paths there, and each one stored from the
        # old address was stored again from the new (newcomer14's week: every story of it twice in search, the
        # export and its 7-day count). The address on the source's own site stands for it.
        before = {canonical: old for _, canonical in announced if (old := _before_the_move(canonical, plan.homepage))}
        moved = self.sink.stored(set(before.values())) if before else set()
        queued = 0
        for entry, canonical in announced:
            if canonical in stored or canonical in self.scheduled or before.get(canonical) in moved:
                continue
            if self.article_budget[plan.name] <= 0:
                if announced_by:
                    self.unfetched.setdefault(announced_by, set()).add(canonical)
                break
            self.article_budget[plan.name] -= 1
            self.scheduled.add(canonical)
            self._announced(announced_by, canonical)
            self.waiting.setdefault(plan.name, deque()).append((entry, canonical, announced_by))
            queued += 1
        return queued

    def _release(self) -> Iterator[Request]:
        """Requests for queued articles while Scrapy holds fewer than MAX_ARTICLES_IN_SCRAPY, one source after
        another, so that every site's downloads go on side by side."""
        while self.waiting and self.in_scrapy < MAX_ARTICLES_IN_SCRAPY:
            source = next(iter(self.waiting))
            queue = self.waiting.pop(source)
            entry, canonical, announced_by = queue.popleft()
            if queue:
                self.waiting[source] = queue  # to the back of the line
            self.in_scrapy += 1
            meta = {"entry": entry, "canonical": canonical, **self._announced(announced_by, canonical)}
            yield self._request(entry.url, "article", self.plans[source], self.parse_article, **meta)

    def _article_ended(self) -> Iterator[Request]:
        self.in_scrapy -= 1
        yield from self._release()

    def on_idle(self) -> None:
        """Scrapy has nothing left to do: the queued articles it has room for go to its engine (a request
        that ended without reaching a callback or an errback would otherwise hold its place forever)."""
        if not (self.waiting or self.lists_waiting) or self.stopping():
            return
        self.in_scrapy = self.lists_in_scrapy = 0  # idle: none is in Scrapy's hands
        for request in [*self._release_lists(), *self._release()]:
            self.crawler.engine.crawl(request)
        raise DontCloseSpider

    def on_dropped(self, request: Request) -> None:
        """Scrapy's duplicate filter dropped a request: a sitemap named twice (in robots.txt and by a sitemap
        index, say), which the request that went first reads. Neither its callback nor its errback runs, so
        its room among the feeds and sitemaps Scrapy holds is freed here (it stayed taken until the crawl went
        idle, and the lists after it waited), and it no longer counts as unfetched for the index that named it
        (which kept that index from its 304 every cycle)."""
        if request.meta.get("kind") not in LISTS:
            return
        self._answered(request.meta, retry=False)
        for more in self._list_ended(request.meta, 0):
            self.crawler.engine.crawl(more)

    def _announced(self, parent: str | None, key: str) -> dict[str, Any]:
        """The meta of a request for something a feed or sitemap announced (an article, a child sitemap),
        tracked until it is answered (`_answered`)."""
        if parent is None:
            return {}
        self.unfetched.setdefault(parent, set()).add(key)
        return {"announced_by": parent, "announced_key": key}

    def _answered(self, meta: dict[str, Any], retry: bool) -> None:
        """A request `_announced` ended; `retry`: it failed in a way the next cycle may not meet (a 5xx,
        408 or 429, a timeout, a refused or cut connection), so it stays unfetched and its feed or sitemap
        is read whole again (a robots.txt answering 5xx too: crawler/robots.py). A 404, a robots.txt refusal or
        an off-site redirect would fail the same way every cycle:
        those keep the feed's validators, or a dead link would cost its feed the 304 for as long as it
        stays listed, and a request every cycle."""
        if (parent := meta.get("announced_by")) and not retry:
            self.unfetched.get(parent, set()).discard(meta.get("announced_key"))

    def closed(self, reason: str) -> None:
        """Scrapy calls this when the crawl ends, stopped or not: the validators of the feeds and sitemaps
        whose announced articles were all fetched are saved; the others are saved empty, so the next cycle
        reads them whole and fetches what is missing (a sitemap index with them)."""
        left_behind = {url for url in self.validators_seen if self.unfetched.get(url)}
        for url in list(left_behind):
            while (url := self.parent_sitemap.get(url, "")) and url not in left_behind:
                left_behind.add(url)
        for url, state in self.validators_seen.items():
            self.sink.feed(replace(state, etag=None, last_modified=None) if url in left_behind else state)

    # ---- bookkeeping ----------------------------------------------------------------------------

    def _record(
        self, response: Response, outcome: str | None = None, error: str | None = None, items: int | None = None
    ) -> None:
        self.sink.fetch(response_record(response, outcome, error, items))

    def on_error(self, failure: Failure) -> Iterator[Request]:
        request = failure.request  # type: ignore[attr-defined]
        if isinstance(failure.value, CrawlStopped):  # not sent: no fetch, and left unfetched for the next cycle
            return
        if request.meta["kind"] == "article":
            yield from self._article_ended()
        elif request.meta["kind"] in LISTS:
            yield from self._list_ended(request.meta, 0)
        self.sink.fetch(failure_record(request, failure))
        # refused (robots.txt, the guard, off-site), over the size cap: the next cycle would fail alike
        permanent = isinstance(failure.value, IgnoreRequest | DownloadCancelledError) and not isinstance(
            failure.value, OutOfTime | RobotsUnavailable
        )
        self._answered(request.meta, retry=not permanent)
        if request.meta["kind"] in ("feed", "sitemap"):
            yield from self._fallback_to_listing(self.plans[request.meta["source"]], request.meta)

    def callback_failed(self, response: Response, error: Exception) -> list[Request]:
        """A callback that raised on `response` (crawler/mishaps.py): a failed fetch saying so, the page left
        for the next cycle (its feed or sitemap read whole again), the homepage's links for a feed or sitemap."""
        if isinstance(error, CrawlStopped):
            return []
        meta = response.meta
        detail = f"{type(error).__name__}: {error}"[:300]
        self._record(response, outcome="error", error=failures.UNREADABLE % {"detail": detail})
        if (parent := meta.get("announced_by")) in self.unfetched and (key := meta.get("announced_key")):
            self.unfetched[parent].add(key)
        if meta.get("kind") in ("feed", "sitemap") and (plan := self.plans.get(meta.get("source", ""))):
            return list(self._fallback_to_listing(plan, meta))
        return []

    def _fallback_to_listing(self, plan: SourcePlan, meta: dict[str, Any]) -> Iterator[Request]:
        """When a feed or sitemap fails, the homepage still lists the newest articles (once per source and
        cycle). A homepage read this cycle already — it advertised the feed, or had robots.txt read for
        sitemaps — is in `meta` and listed as it is: asking for it again was dropped by Scrapy's duplicate
        filter, and a new source whose discovered feed was broken got nothing until its second cycle."""
        if plan.name in self.fallen_back:
            return
        self.fallen_back.add(plan.name)
        homepage: Response | None = meta.get("homepage")
        if homepage is not None and (tree := page_tree(homepage)) is not None:
            yield from self._listing(plan, homepage, tree, depth=0)
            return
        yield self._request(plan.homepage, "listing", plan, self.parse_homepage, discover=False)

    # ---- callbacks ------------------------------------------------------------------------------

    def parse_homepage(self, response: Response) -> Iterator[Request]:
        plan = self.plans[response.meta["source"]]
        self._record(response)
        if response.status != 200:
            return
        tree = page_tree(response)
        if tree is None:
            return
        target = None if response.meta.get("script_redirect") else script_redirect(tree, response.url)
        if target and same_site(target, plan.homepage):  # the site's real homepage, once
            discover = response.meta.get("discover", False)
            yield self._request(target, "listing", plan, self.parse_homepage, discover=discover, script_redirect=True)
            return
        if response.meta.get("discover"):
            feeds = feed_links(tree, response.url)
            if feeds:
                for url in feeds:
                    self.sink.feed(FeedState(plan.name, url, "feed", None))
                yield from self._lists(
                    self._conditional(url, "feed", plan, self.parse_feed, homepage=response) for url in feeds
                )
                return
            robots = urljoin(response.url, "/robots.txt")
            yield self._request(robots, "robots", plan, self.parse_robots, homepage=response)
            return
        yield from self._listing(plan, response, tree, depth=0)

    def parse_robots(self, response: Response) -> Iterator[Request]:
        plan = self.plans[response.meta["source"]]
        self._record(response, outcome=robots_outcome(response))
        sitemaps = robots_sitemaps(response.body, response.url) if response.status == 200 else []
        homepage: Response = response.meta["homepage"]
        for url in sitemaps:
            self.sink.feed(FeedState(plan.name, url, "sitemap", None))
        yield from self._lists(
            self._conditional(url, "sitemap", plan, self.parse_sitemap, homepage=homepage) for url in sitemaps
        )
        if not sitemaps and (tree := page_tree(homepage)) is not None:
            yield from self._listing(plan, homepage, tree, depth=0)

    def _listing(self, plan: SourcePlan, response: Response, tree: Any, depth: int) -> Iterator[Request]:
        """Article links of a listing page; from the homepage and its categories, one more level of
        listing pages (categories, `/page/2/`), within the source's listing budget."""
        links = page_links(tree, response.url)
        # On the source's site, or on the site its homepage redirected to: a site that moved to a new domain
        # without a feed had every link of its new homepage read as another site's (newcomer13's trial). That
        # site only, carried down to its sections: a section redirecting to a partner's site is not the source's
        moved = response.meta.get("moved_to") if depth else None
        if depth == 0 and not same_site(response.url, plan.homepage):
            moved = response.url
        sites = (plan.homepage,) if moved is None else (plan.homepage, moved)
        articles = [Entry(url=url) for url in links if any(looks_like_article(url, site) for site in sites)]
        yield from self._article_requests(plan, articles)
        if depth >= 2:
            return
        for url in (url for url in links if any(looks_like_listing(url, site) for site in sites)):
            if self.listing_budget[plan.name] <= 0:
                return
            if url in self.listed:
                continue
            self.listing_budget[plan.name] -= 1
            self.listed.add(url)
            yield self._request(url, "listing", plan, self.parse_listing, listing_depth=depth + 1, moved_to=moved)

    def parse_listing(self, response: Response) -> Iterator[Request]:
        plan = self.plans[response.meta["source"]]
        self._record(response)
        tree = page_tree(response) if response.status == 200 else None
        if tree is not None:
            yield from self._listing(plan, response, tree, depth=response.meta["listing_depth"])

    def _remember_validators(self, response: Response, kind: str) -> str:
        """Hold the feed's or sitemap's validators for `closed`; returns the URL they are kept under."""
        url = response.request.url if response.request else response.url
        if parent := response.meta.get("announced_by"):
            self.parent_sitemap[url] = parent
        self.validators_seen[url] = FeedState(
            source=response.meta["source"],
            url=url,
            kind=kind,
            status=response.status,
            etag=_header(response, "ETag"),
            last_modified=_header(response, "Last-Modified"),
        )
        return url

    def parse_feed(self, response: Response) -> Iterator[Request]:
        yield from self._list_ended(response.meta, len(response.body))
        yield from self._read_feed(response)

    def _read_feed(self, response: Response) -> Iterator[Request]:
        plan = self.plans[response.meta["source"]]
        if response.status == 304:
            self._record(response)
            return
        if response.status != 200 or empty_answer(response):
            self._record(response)
            yield from self._fallback_to_listing(plan, response.meta)
            return
        headers = {k.decode("latin-1").lower(): v[0].decode("latin-1") for k, v in response.headers.items() if v}
        try:
            entries = parse_feed(response.body, headers, response.url)
        except UnsafeXml as error:
            self._record(response, outcome="error", error=str(error))
            yield from self._fallback_to_listing(plan, response.meta)
            return
        self._record(response, items=len(entries))
        feed = self._remember_validators(response, "feed")
        yield from self._article_requests(plan, own_articles(entries, plan, response), announced_by=feed)

    def parse_sitemap(self, response: Response) -> Iterator[Request]:
        yield from self._list_ended(response.meta, len(response.body))
        yield from self._read_sitemap(response)

    def _read_sitemap(self, response: Response) -> Iterator[Request]:
        plan = self.plans[response.meta["source"]]
        self._answered(response.meta, retry=_transient(response.status))  # a child of a sitemap index
        if response.status == 304:
            self._record(response)
            return
        if response.status != 200 or empty_answer(response):
            self._record(response)
            yield from self._fallback_to_listing(plan, response.meta)
            return
        try:
            sitemap = parse_sitemap(response.body, response.url)
        except UnsafeXml as error:
            self._record(response, outcome="error", error=str(error))
            yield from self._fallback_to_listing(plan, response.meta)
            return
        # newest first; once each: a child named twice would be dropped by Scrapy's filter with its place in
        # `unfetched` shared with the first (`on_dropped`); the index itself is not its own child, nor is an
        # index it was reached from (A lists B, B lists A: B's A was dropped by Scrapy's filter, unsaid)
        itself = {response.url, response.request.url if response.request else response.url}
        above = (*response.meta.get("sitemaps_above", ()), *itself)
        children = [child for child in dict.fromkeys(newest_children(sitemap)) if child not in above]
        if sitemap.child_sitemaps and not children and not sitemap.entries:
            # an index listing only itself (or those above it) gave nothing, and said nothing, every cycle: a
            # failure, the homepage's listing read instead
            looped = not set(sitemap.child_sitemaps) <= itself
            failure = failures.SITEMAP_LOOP if looped else failures.SITEMAP_LISTS_ITSELF
            self._record(response, outcome="error", error=failure)
            yield from self._fallback_to_listing(plan, response.meta)
            return
        children = children[:MAX_CHILD_SITEMAPS]
        self._record(response, items=len(sitemap.entries) + len(sitemap.child_sitemaps))
        here = self._remember_validators(response, "sitemap")
        homepage = {"homepage": response.meta["homepage"]} if "homepage" in response.meta else {}
        yield from self._lists(
            self._conditional(
                child,
                "sitemap",
                plan,
                self.parse_sitemap,
                **self._announced(here, child),
                **homepage,
                sitemaps_above=above,
            )
            for child in children
        )
        articles = own_articles(sitemap.entries, plan, response)
        newest_first = sorted(articles, key=lambda e: w3c_moment(e.published) or UNDATED, reverse=True)
        yield from self._article_requests(plan, newest_first, announced_by=here)

    def parse_article(self, response: Response) -> Iterator[Request]:
        self._record(response)
        empty = empty_answer(response)
        self._answered(response.meta, retry=_transient(response.status) or empty)
        yield from self._article_ended()
        if response.status != 200 or empty:
            return
        plan = self.plans[response.meta["source"]]
        entry: Entry = response.meta["entry"]
        # Each address's canonical form once (courlan's normalisation is the costly part): the announced
        # URL's is in the request's meta; the answer's URL and the page's canonical link are most often it.
        keys = {entry.url: response.meta["canonical"]}
        here = keys[response.url] = keys.get(response.url) or canonicalize_url(response.url)
        url, key = response.url, here
        if (link := self._canonical_of(response, plan, keys)) is not None:
            url, key = link
        self.scheduled.add(key)  # the same article announced under its canonical URL is not fetched again
        aliases = {response.meta["canonical"], here} - {key}
        self.sink.page(
            FetchedPage(
                source=plan.name,
                url=clean_url(url),
                canonical_url=key,
                status=response.status,
                body=response.body,
                content_type=_header(response, "Content-Type") or "",
                fetched_at=_now(),
                hint_title=entry.title,
                hint_date=entry.published,
                hint_date_origin=entry.date_origin,
                aliases=tuple(sorted(aliases)),
            )
        )

    def _canonical_of(self, response: Response, plan: SourcePlan, keys: dict[str, str]) -> tuple[str, str] | None:
        """The page's `<link rel="canonical">` and its canonical form, when it can be trusted as the article's
        own URL: on the same site (a canonical on another domain marks syndication — the copy stays this
        source's article), and not the homepage or a section page (some CMSs put the homepage on every page).
        `keys`: the canonical forms known already, by address."""
        link = canonical_link(response.body, response.url, _header(response, "Content-Type"))
        if link is None or not same_site(link, plan.homepage) or looks_like_listing(link, plan.homepage):
            return None
        key = keys[link] if link in keys else canonicalize_url(link)
        if key == self.homepage_keys[plan.name]:
            return None
        return link, key
