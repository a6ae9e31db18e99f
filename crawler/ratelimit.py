"""A site that answers 429 Too Many Requests (or 503) with `Retry-After` is given the pause it asks for.

Scrapy's retry middleware asks again at once, whatever `Retry-After` says: a site asking for an hour got the
same request a few milliseconds later. `RetryAfter`, a downloader middleware placed before it on the way
back (it sees the answer first), follows RFC 9110 §10.2.3 instead, per host:

- a short pause (up to MAX_WAIT seconds), the host's first this cycle: the host's requests wait for it, then
  the one refused is asked once more;
- anything else — a longer pause, a second pause asked for while the host waits, or any pause asked for
  after it (the page asked once more refused again among them): the refused request is not asked again,
  and the host's other requests this cycle, those asleep for its pause at once, are refused with
  `RateLimited` (an `OutOfTime`: what was not fetched is fetched next cycle, nothing is lost). Both say
  the pause asked for, in one line.

One short pause a cycle, because the wait is spent inside Scrapy's downloader, where every request asleep
counts against CONCURRENT_REQUESTS: a host answering every page 429 renewed its pause each time and held
every other site's downloads for as long as its time budget. The wait comes before `SiteBudget`'s check
(crawler/budget.py), so a request waiting for the pause is still refused once its site's time is spent.

The waiting itself is `sleep` (asyncio's), given to the middleware so that a test can drive it.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any

from scrapy.crawler import Crawler
from scrapy.http import Request, Response
from scrapy.utils.httpobj import urlparse_cached

from rasd.config import failures
from rasd.crawler.budget import OutOfTime

MAX_WAIT = 10.0  # seconds of `Retry-After` a cycle waits for, once per host; a longer pause is left to the next cycle
_PAUSING = (429, 503)
RATE_LIMITED = "rate_limited"  # meta: the line saying why an answer was not asked again


class RateLimited(OutOfTime):
    """A request not sent because its site asked for a pause longer than a cycle waits (`Retry-After`)."""


def retry_after(response: Response, now: Callable[[], datetime] = lambda: datetime.now(UTC)) -> float | None:
    """The seconds a 429 or 503 answer's `Retry-After` asks for (a number, or an HTTP date), or None."""
    if response.status not in _PAUSING or not (value := response.headers.get("Retry-After")):
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        return max(0.0, (parsedate_to_datetime(text) - now()).total_seconds())
    except (TypeError, ValueError, IndexError):
        return None  # not a date either: Scrapy's own retry decides, as for an answer without the header


class RetryAfter:
    def __init__(
        self, sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.sleep = sleep
        self.clock = clock
        self.paused_until: dict[str, float] = {}  # host → when its short pause ends
        self.closed: dict[str, str] = {}  # host → why it is left for the next cycle
        self.closing: dict[str, asyncio.Event] = {}  # host → set once it is closed, for the requests asleep

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RetryAfter:
        return cls()

    async def process_request(self, request: Request, spider: Any = None) -> None:
        host = urlparse_cached(request).netloc
        if (wait := self.paused_until.get(host, 0.0) - self.clock()) > 0 and host not in self.closed:
            await self._wait(host, wait)
        if host in self.closed:  # before the wait, or while it lasted
            raise RateLimited(self.closed[host])

    async def _wait(self, host: str, seconds: float) -> None:
        """The host's pause, or less if the host is left for the next cycle meanwhile: a request asleep here
        holds one of Scrapy's CONCURRENT_REQUESTS, and is refused at once then."""
        closing = self.closing.setdefault(host, asyncio.Event())
        waits = [asyncio.ensure_future(self.sleep(seconds)), asyncio.ensure_future(closing.wait())]
        _, pending = await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
        for wait in pending:
            wait.cancel()

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        if (seconds := retry_after(response)) is None:
            return response
        host = urlparse_cached(request).netloc
        if seconds <= MAX_WAIT and host not in self.paused_until:
            self.paused_until[host] = self.clock() + seconds
            again = request.copy()
            again.meta[RATE_LIMITED] = failures.REFUSED_AFTER_PAUSE % {
                "status": response.status,
                "seconds": f"{seconds:g}",
            }
            again.dont_filter = True
            return again
        self.closed.setdefault(
            host, failures.GAVE_UP_RATE_LIMITED % {"seconds": f"{seconds:g}", "status": response.status}
        )
        if host in self.closing:
            self.closing[host].set()  # its requests asleep for the pause are refused now
        # the page asked once more keeps its own line (it says it was refused after the wait)
        request.meta.setdefault(RATE_LIMITED, self.closed[host])
        request.meta["dont_retry"] = True  # not before the pause: no retry at once
        return response
