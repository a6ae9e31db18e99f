"""Where an article may be redirected: within its own site, not to another one.

A news monitor follows an article's redirect to the same site or to its `www.`/mobile twin (a moved
permalink, `?p=123` to the pretty URL, http to https). A redirect to another domain — an expired site
parked on an ad network, a hijacked link, a syndication partner — would store another site's page under
this source, so it is refused and recorded instead (`blocked`, naming both URLs). Feeds, sitemaps and
homepages may follow a site that moved to a new domain: `rasd sources check` shows where they landed.
"""

from __future__ import annotations

from typing import Any

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request

from rasd.crawler.urls import same_site


class SameSiteArticleRedirects:
    """Downloader middleware. Scrapy sends every redirected request back through the middlewares with
    `redirect_urls` in its meta; the first hop is the URL the feed or listing announced."""

    def process_request(self, request: Request, spider: Any = None) -> None:
        hops = request.meta.get("redirect_urls")
        if hops and request.meta.get("kind") == "article" and not same_site(request.url, request.meta["site"]):
            raise IgnoreRequest(f"off-site redirect: {hops[0]} → {request.url} (not stored under this source)")
