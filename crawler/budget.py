"""A time budget per site, and a site that stops answering given up for the cycle.

Without them one bad server sets the length of the whole cycle: a server that accepts connections and never
answers costs `download_timeout` twice (Scrapy retries once) for robots.txt, the feed, the homepage the crawl
falls back to and every article; one that trickles its pages just under the timeout costs that for each of
up to `max_pages_per_source` pages. The other sources finish early and the cycle waits.

`SiteBudget`, a downloader middleware placed after the retry middleware (so it sees every timeout, retries
included, before the retry is decided), keys each request by its host:

- after `NOT_ANSWERING_AFTER` different URLs of a host got no answer (timed out, or the connection closed
  unanswered), with no answer in between, the host's remaining requests are refused for this cycle;
- from the first request to a host, `[crawler] source_time_budget` seconds: each download's timeout is cut to
  what is left, and once it is spent the remaining requests are refused.

A refusal is `OutOfTime`: the spider records it as a failure (not as a `blocked` fetch) and treats what was
not fetched like a timeout, so the feed is read whole again next cycle and nothing it announced is lost.
"""

from __future__ import annotations

import time
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DownloadTimeoutError, IgnoreRequest, NotConfigured
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.error import TCPTimedOutError, TimeoutError
from twisted.web.client import ResponseNeverReceived

from rasd.config import failures

NOT_ANSWERING_AFTER = 2  # pages of a host that got no answer in a row before it is given up for the cycle
_NO_ANSWER = (DownloadTimeoutError, TimeoutError, TCPTimedOutError, ResponseNeverReceived)


class OutOfTime(IgnoreRequest):
    """A request not sent because its site used up its time this cycle; the message says why."""


class SiteBudget:
    def __init__(self, budget: float, clock: Any = time.monotonic) -> None:
        self.budget = budget
        self.clock = clock
        self.started: dict[str, float] = {}
        self.unanswered: dict[str, set[str]] = {}  # host → URLs that got no answer since its last answer

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SiteBudget:
        if not getattr(crawler.spidercls, "site_budget", False):
            # Off for a spider that must judge every URL it was given (`rasd sources check`). No message:
            # Scrapy logs a NotConfigured's message as a warning, and the check's report would carry it.
            raise NotConfigured
        return cls(crawler.settings.getfloat("RASD_SOURCE_TIME_BUDGET"))

    def process_request(self, request: Request, spider: Any = None) -> None:
        host = urlparse_cached(request).netloc
        if len(self.unanswered.get(host, ())) >= NOT_ANSWERING_AFTER:
            raise OutOfTime(failures.GAVE_UP_NOT_ANSWERING % {"count": NOT_ANSWERING_AFTER})
        left = self.started.setdefault(host, self.clock()) + self.budget - self.clock()
        if left <= 0:
            raise OutOfTime(failures.GAVE_UP_OUT_OF_TIME % {"seconds": f"{self.budget:g}"})
        timeout = request.meta.get("download_timeout")
        request.meta["download_timeout"] = left if timeout is None else min(float(timeout), left)

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        self.unanswered.pop(urlparse_cached(request).netloc, None)
        return response

    def process_exception(self, request: Request, exception: Exception, spider: Any = None) -> None:
        if isinstance(exception, _NO_ANSWER):
            # URLs, not attempts: one dead page and its retry do not give up a site that answers the rest
            self.unanswered.setdefault(urlparse_cached(request).netloc, set()).add(request.url)
