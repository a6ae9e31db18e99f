"""A callback that raised, as its page's failed fetch.

A spider callback's exception — Rasd failing on an answer the site sent, where it should have refused it in
words (urllib's "Invalid IPv6 URL" for one link of a feed was one) — was logged by Scrapy with its traceback
and the rest of that answer lost unsaid: no fetch recorded, the feed's other stories never asked for, and
`rasd crawl` saying "no source could be fetched" of a site that answered. `CallbackMishaps`, a spider
middleware, hands it to the spider's `callback_failed`, which records it as the page's failure (said in the
cycle's summary, listed by `rasd status`), leaves the page to be fetched again next cycle and goes on as for
a feed or sitemap that failed: the homepage's links instead.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from scrapy.crawler import Crawler
from scrapy.http import Response

log = logging.getLogger(__name__)


class CallbackMishaps:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CallbackMishaps:
        return cls(crawler)

    def process_spider_exception(self, response: Response, exception: Exception) -> Iterable[Any] | None:
        handler = getattr(self.crawler.spider, "callback_failed", None)
        if handler is None:
            return None
        # the daemon's log; `rasd crawl` says it in its summary, from the fetch record
        log.info("reading %s failed: %s: %s", response.url, type(exception).__name__, exception)
        return handler(response, exception)
