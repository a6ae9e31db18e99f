"""robots.txt for every request that waits for it, not only the first (a fix for Scrapy 2.19).

Scrapy's `RobotsTxtMiddleware` downloads a host's robots.txt once and parks the other requests to that
host on one Twisted Deferred until it is parsed. Each waiting request turns that Deferred into an asyncio
future (`maybe_deferred_to_future`), which adds a callback that returns None: the first waiter gets the
parser, every later one gets None — "no robots.txt, allow all". Measured here: with a homepage, robots.txt
and a feed requested at once, the feed that robots.txt disallows was fetched. `rasd sources check` asks
for several URLs of a host at once, and so does a crawl of a source with several feeds or sitemaps
(tests/test_crawler_badserver.py); both use this middleware (crawler.runner.scrapy_settings).

The subclass shares one asyncio task per host among the waiters instead; every one gets the parser.
"""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.http import Request
from scrapy.utils.httpobj import urlparse_cached


class SharedRobotsTxt(RobotsTxtMiddleware):
    """Drop-in for `scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware` (asyncio reactor only)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._lookups: dict[str, asyncio.Task[Any]] = {}

    async def robot_parser(self, request: Request) -> Any:
        netloc = urlparse_cached(request).netloc
        if netloc not in self._lookups:
            self._lookups[netloc] = asyncio.ensure_future(super().robot_parser(request))
        # shield: a waiter cancelled (its download timed out) must not cancel the lookup the others share
        return await asyncio.shield(self._lookups[netloc])


ROBOTS_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "rasd.crawler.robots.SharedRobotsTxt": 100,  # where Scrapy's own sits (DOWNLOADER_MIDDLEWARES_BASE)
}
