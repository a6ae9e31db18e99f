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
from urllib.parse import urlsplit, urlunsplit

from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Request, Response

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


class LoginlessRedirects:
    """Downloader middleware, before Scrapy's redirect middlewares (as CookieWallRedirects): a redirect to an
    address with a login in it (`Location: http://editor:secret@site.ma/story`) is followed without the login,
    as `urls.absolute` reads such links in feeds and pages. Scrapy refused it ("invalid hostname"): said as a
    redirect "to something that is not a web address" with the password in the line, the story lost every
    cycle (faults13 sweep)."""

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        location = response.headers.get("Location")
        if location is None or not 300 <= response.status < 400 or b"@" not in location:
            return response
        parts = urlsplit(location.decode("latin-1"))
        if "@" not in parts.netloc:  # an @ in the path or the query
            return response
        without = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
        headers = response.headers.copy()
        headers["Location"] = without.encode("latin-1")
        return response.replace(headers=headers)


META_REFRESH_CHARS = 4_096  # what Scrapy's `get_meta_refresh` and `get_base_url` read of a page's text
# Bytes that hold that many characters in any encoding of at most four bytes a character (UTF-8, UTF-16, UTF-32,
# the CJK ones), and some more: the characters cut at the end are past the ones read.
HEAD_BYTES = 4 * META_REFRESH_CHARS + 64


class MetaRefreshOnHead(MetaRefreshMiddleware):
    """Scrapy's `MetaRefreshMiddleware` (same setting, same place) handed the start of an HTML answer. Scrapy's
    reads a page's first 4,096 characters for a `<meta http-equiv="refresh">` and its `<base href>`, but
    decodes the whole page to get them (`response.text`, kept with the response): ~0.1–0.3 ms an article page
    on the reactor thread (bench/bench_crawl.py). The start is decoded in the page's own encoding, as Scrapy
    reads it from the whole page (`response.encoding`), so the check reads the same characters; a start that
    decodes to too few of them (an encoding of more than four bytes a character) is not used."""

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Request | Response:
        if not isinstance(response, HtmlResponse) or len(response.body) <= HEAD_BYTES:
            return super().process_response(request, response)
        head = response.replace(body=response.body[:HEAD_BYTES], encoding=response.encoding)
        if len(head.text) <= META_REFRESH_CHARS + 8:
            return super().process_response(request, response)
        answer = super().process_response(request, head)
        return response if answer is head else answer
