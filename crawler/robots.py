"""robots.txt for every request that waits for it, not only the first (a fix for Scrapy 2.19).

Scrapy's `RobotsTxtMiddleware` downloads a host's robots.txt once and parks the other requests to that
host on one Twisted Deferred until it is parsed. Each waiting request turns that Deferred into an asyncio
future (`maybe_deferred_to_future`), which adds a callback that returns None: the first waiter gets the
parser, every later one gets None — "no robots.txt, allow all". Measured here: with a homepage, robots.txt
and a feed requested at once, the feed that robots.txt disallows was fetched. `rasd sources check` asks
for several URLs of a host at once, and so does a crawl of a source with several feeds or sitemaps
(tests/test_crawler_badserver.py); both use this middleware (crawler.runner.scrapy_settings).

The subclass shares one asyncio task per host among the waiters instead; every one gets the parser.

Two more departures from Scrapy's middleware:
- A robots.txt answering a server error (5xx, after Scrapy's retry) is complete disallow, as RFC 9309
  §2.3.1.4 says, where Scrapy parsed the error page and allowed all: every request to the host is refused
  with `RobotsUnavailable`, which names the status, and the spider treats it as a failure the next cycle
  may not meet (the feeds it refused are read whole again then; each cycle asks for robots.txt afresh).
  A robots.txt that cannot be downloaded at all (a refused connection, DNS) is still "allow all", as in
  Scrapy: the host's own requests then fail with their own error, which says more than a refusal would.
- A `Crawl-delay` (not in RFC 9309, but written by many sites and honoured by Bing and Yandex) is the
  least time between two requests to the host when it is longer than the configured delay: its download
  slot's delay, without Scrapy's random shortening of it, and AutoThrottle does not lower it. Scrapy reads
  the line (`ProtegoRobotParser.crawl_delay`) and does nothing with it: a site asking for 10 s got two
  requests at once. It is capped at MAX_CRAWL_DELAY (a site asking for 3600 s would hold a backfill, which
  has no time budget, for hours), and not kept by `rasd sources check`, which asks for a handful of URLs
  (its spider's `crawl_delay = False`): Crawl-delay: 20 made the check of one site take two minutes.
- That download failure is logged by Scrapy with its traceback (thirty lines in the daemon's log for a
  refused connection); `_OneLine` keeps the message, which says it all, and names robots.txt.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.downloadermiddlewares.robotstxt import logger as scrapy_robots_logger
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response
from scrapy.robotstxt import RobotParser
from scrapy.utils.httpobj import urlparse_cached

from rasd.config import failures
from rasd.crawler.budget import OutOfTime

MAX_CRAWL_DELAY = 30.0  # seconds: the longest Crawl-delay kept between two requests to a host


class RobotsUnavailable(IgnoreRequest):
    """A request refused because its host's robots.txt answered a server error (RFC 9309 §2.3.1.4)."""


class _ServerError(RobotParser):
    """What a robots.txt answering 5xx allows: nothing."""

    def __init__(self, status: int) -> None:
        self.status = status

    @classmethod
    def from_crawler(cls, crawler: Any, robotstxt_body: bytes) -> _ServerError:  # never built from a body
        raise NotImplementedError

    def allowed(self, url: str | bytes, user_agent: str | bytes) -> bool:
        return False


class _OneLine(logging.Filter):
    """Scrapy's "Error downloading <request>" for a robots.txt, without the traceback, naming robots.txt."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.msg == "Error downloading %(request)s: %(f_exception)s":
            record.msg = "robots.txt not read for %(request)s (allowed, as Scrapy does): %(f_exception)s"
            record.exc_info, record.exc_text = None, None
            if isinstance(record.args, dict) and isinstance(error := record.args.get("f_exception"), BaseException):
                from rasd.crawler.spider import describe_failure  # imports this module

                # in words: "secure connection (TLS) failed: wrong version number", not a list of Failures' repr
                record.args = {**record.args, "f_exception": describe_failure(error)}
        return True


_ONE_LINE = _OneLine()


class SharedRobotsTxt(RobotsTxtMiddleware):
    """Drop-in for `scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware` (asyncio reactor only)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lookups: dict[str, asyncio.Task[Any]] = {}
        # Crawl-delay: per download slot, when its first and its next request may go (time.monotonic)
        self._first_turn: dict[str, float] = {}
        self._next_turn: dict[str, float] = {}
        self._crawl_delay = getattr(self.crawler.spidercls, "crawl_delay", True)  # not `rasd sources check`'s
        site_budget = getattr(self.crawler.spidercls, "site_budget", False)  # the crawl's, not the backfill's
        self._budget = self.crawler.settings.getfloat("RASD_SOURCE_TIME_BUDGET") if site_budget else None
        scrapy_robots_logger.addFilter(_ONE_LINE)  # once: the same filter is not added twice

    async def robot_parser(self, request: Request) -> Any:
        netloc = urlparse_cached(request).netloc
        if netloc not in self._lookups:
            self._lookups[netloc] = asyncio.ensure_future(super().robot_parser(request))
        # shield: a waiter cancelled (its download timed out) must not cancel the lookup the others share
        return await asyncio.shield(self._lookups[netloc])

    async def _parse_robots(self, response: Response, netloc: str, request: Request) -> None:
        if response.status < 500:
            await super()._parse_robots(response, netloc, request)
            return
        waiting = self._parsers[netloc]  # Scrapy's Deferred, as in its own _parse_robots
        self._parsers[netloc] = closed = _ServerError(response.status)
        waiting.callback(closed)  # type: ignore[union-attr]

    def process_request_2(self, rp: RobotParser | None, request: Request) -> None:
        if isinstance(rp, _ServerError):
            raise RobotsUnavailable(failures.ROBOTS_SERVER_ERROR % {"status": rp.status})
        super().process_request_2(rp, request)
        if self._crawl_delay and rp is not None and (seconds := rp.crawl_delay(self._robotstxt_useragent or "*")):
            self._keep_crawl_delay(request, min(seconds, MAX_CRAWL_DELAY))

    def _keep_crawl_delay(self, request: Request, seconds: float) -> None:
        """The host's download slot waits `seconds` between requests, at least (robots.txt's Crawl-delay). A
        request whose turn would come after the site's time this cycle (crawler/budget.py, whose check is
        made before the slot's wait) is refused now, as out of time: queued, it held the cycle."""
        key, slot = self.crawler.engine.downloader._get_slot(request)  # the slot the request is queued in next
        now = time.monotonic()
        turn = max(self._next_turn.get(key, now), now)
        started = self._first_turn.setdefault(key, turn)
        if self._budget is not None and turn - started > self._budget:
            raise OutOfTime(failures.GAVE_UP_CRAWL_DELAY % {"seconds": f"{seconds:g}", "budget": f"{self._budget:g}"})
        self._next_turn[key] = turn + seconds
        request.meta["autothrottle_dont_adjust_delay"] = True
        if slot.delay < seconds or slot.jitter:
            slot.delay, slot.jitter = max(slot.delay, seconds), 0.0


ROBOTS_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "rasd.crawler.robots.SharedRobotsTxt": 100,  # where Scrapy's own sits (DOWNLOADER_MIDDLEWARES_BASE)
}
