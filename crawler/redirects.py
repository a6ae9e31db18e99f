"""Where an article may be redirected: within its own site, not to another one.

A news monitor follows an article's redirect to the same site or to its `www.`/mobile twin (a moved
permalink, `?p=123` to the pretty URL, http to https). A redirect to another domain — an expired site
parked on an ad network, a hijacked link, a syndication partner — would store another site's page under
this source, so it is refused and recorded instead (`blocked`, naming both URLs). Feeds, sitemaps and
homepages may follow a site that moved to a new domain: `rasd sources check` shows where they landed.

A cookie wall — a page that sets a cookie and redirects to itself, answering once the cookie comes back (a
consent or bot check) — is passed as a browser passes it: the cookies a redirect sets go with its next
hops on the same host. Rasd keeps no cookie jar: nothing is sent to a site beyond one request's redirects.
"""

from __future__ import annotations

from http.cookies import CookieError, SimpleCookie
from typing import Any

from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request, Response

from rasd.config import failures
from rasd.crawler.urls import same_site


class SameSiteArticleRedirects:
    """Downloader middleware. Scrapy sends every redirected request back through the middlewares with
    `redirect_urls` in its meta; the first hop is the URL the feed or listing announced."""

    def process_request(self, request: Request, spider: Any = None) -> None:
        hops = request.meta.get("redirect_urls")
        if hops and request.meta.get("kind") == "article" and not same_site(request.url, request.meta["site"]):
            raise IgnoreRequest(failures.OFF_SITE_REDIRECT % {"start": hops[0], "url": request.url})


class CookieWallRedirects:
    """Downloader middleware, before Scrapy's redirect middlewares (their `process_response` comes after
    this one's): the cookies an answer sets are added to its request, which the redirect copies — on the same
    host only (Scrapy drops a Cookie header on a redirect to another host)."""

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        if not (set_cookies := response.headers.getlist("Set-Cookie")):
            return response
        jar = SimpleCookie()
        for header in [request.headers.get("Cookie") or b"", *set_cookies]:
            try:
                jar.load(header.decode("latin-1"))
            except CookieError:  # a malformed cookie is left out, as a browser leaves it
                continue
        if jar:
            request.headers["Cookie"] = "; ".join(f"{name}={morsel.coded_value}" for name, morsel in jar.items())
        return response
