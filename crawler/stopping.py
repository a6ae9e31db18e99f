"""Stopping this process's crawls early (SIGTERM to the daemon or to `rasd crawl`), in a bounded time.

A stop ends each crawl with what has arrived: the downloads on the wire finish (each bounded by
`download_timeout`) and are stored; nothing else is sent — neither the requests still in Scrapy's
scheduler nor the ones already handed to its downloader and waiting there for the politeness delay.
Those last ones Scrapy would still send after its own stop, one delay apart: up to CONCURRENT_REQUESTS
of them, minutes under AutoThrottle with a slow site. What is not fetched counts as not seen, so the
next cycle fetches it (and the feeds that announced it are read whole again).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from twisted.python.failure import Failure

_running: set[Crawler] = set()  # this process's crawls in progress (crawler.runner.crawl)
_stopped_by: int | None = None  # the signal that asked the crawls to stop


class CrawlStopped(IgnoreRequest):
    """The request was not sent: the crawl was asked to stop. Not a failure of the site."""


def stop_requested() -> bool:
    return _stopped_by is not None


def stopped_by() -> int | None:
    """The signal that stopped this process's crawls (for the summary of a cycle cut short), or None."""
    return _stopped_by


@contextmanager
def stoppable(crawler: Crawler) -> Iterator[None]:
    """While the block runs (the crawl), `stop_crawls` reaches `crawler`."""
    _running.add(crawler)
    try:
        yield
    finally:
        _running.discard(crawler)


def stop_crawls(signum: int) -> asyncio.Future[Any]:
    """Ask this process's crawls to stop early, because of signal `signum`. Done before it returns:
    nothing more is sent — no request leaves a download queue or reaches one, and a crawl that has not
    started yet (the signal came while the cycle was still preparing) sends none. The future it returns
    is done when the crawls in progress have ended: the answers on the wire are in and handed on."""
    global _stopped_by
    if _stopped_by is None:
        _stopped_by = signum
    # Only a crawl whose engine runs is stopped through Scrapy. Crawler.stop_async before that (the crawler
    # made, its spider still opening) stops nothing but clears the crawler's `crawling` flag, and the
    # engine's own close when its spider falls idle goes through that same stop_async, which then did
    # nothing: the crawl never ended and `rasd crawl` hung with the crawl lock held (issue 17). Such a
    # crawl's spider sees `stop_requested` instead, sends no request, falls idle and closes as usual.
    # (`_engine`: how Scrapy says to look at the engine before the crawl has started.)
    running = [crawler for crawler in _running if crawler._engine is not None and crawler._engine.running]
    for crawler in running:
        _drop_waiting_downloads(crawler)
    return asyncio.gather(*(crawler.stop_async() for crawler in running))


def _drop_waiting_downloads(crawler: Crawler) -> None:
    """Fail the requests waiting in the downloader's per-site queues with CrawlStopped. Requests that
    reach a queue later are refused by StopGate, which sits between the middlewares and the queues."""
    for slot in crawler.engine.downloader.slots.values():
        while slot.queue:
            request, waiting = slot.queue.popleft()
            waiting.errback(Failure(CrawlStopped(f"not sent: the crawl was stopped ({request.url})")))


class StopGate:
    """Downloader middleware, innermost: once a stop is requested, no request goes on to the download
    queues (one that waited for robots.txt, or came out of a retry or a redirect while stopping)."""

    def process_request(self, request: Request, spider: Any = None) -> None:
        if _stopped_by is not None:
            raise CrawlStopped(f"not sent: the crawl was stopped ({request.url})")


STOP_GATE = {"rasd.crawler.stopping.StopGate": 1000}  # after every middleware of DOWNLOADER_MIDDLEWARES_BASE
