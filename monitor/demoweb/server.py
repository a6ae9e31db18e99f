"""The demo web's HTTP side: one `ThreadingHTTPServer` per site, each on its own 127.0.0.x address.

Separate addresses make Scrapy (and the crawler's per-domain rules) treat the sites as distinct domains.
Everything a site answers is decided by `SiteApp.respond`, a plain function of the request, so the routing
can be read (and tested) without sockets; the handler only moves bytes.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import sys
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from rasd.monitor.demoweb.content import Article, SiteSpec, load_content, make_article, slugify
from rasd.monitor.demoweb.render import STATIC_PAGES, Listing, SiteRenderer

# How often each site's serving thread looks for a stop request: `stop()` waits for each site in turn, and
# with socketserver's default (0.5 s) a Ctrl-C to `rasd demo --serve` took two seconds of polling alone.
STOP_POLL_SECONDS = 0.05


@dataclass(frozen=True)
class DemoSite:
    """A demo site as a config's `[[sources]]` entry sees it."""

    name: str
    url: str  # homepage, e.g. "http://127.0.0.11:43127/"
    lang: str  # "ar" or "fr"
    region: str | None  # ISO 3166-2:MA code, None for a national site
    kind: str  # how articles are discoverable: "rss", "atom", "sitemap", "listing"


@dataclass(frozen=True)
class DemoStory:
    """A published story and its ground truth, for tests to assert against."""

    site: str
    path: str
    url: str
    title: str
    lang: str
    sse: bool
    regions: tuple[str, ...]
    published: str  # ISO date, Moroccan time


@dataclass
class Reply:
    """What a site answers to one request."""

    status: int
    body: bytes = b""
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)


XML = "application/xml; charset=utf-8"
FEED_TYPES = {"rss": "application/rss+xml; charset=UTF-8", "atom": "application/atom+xml; charset=UTF-8"}


class SiteApp:
    """One site's articles and how every URL on it answers, WordPress-style."""

    def __init__(self, spec: SiteSpec, home: str, articles: list[Article]) -> None:
        self.spec = spec
        self.home = home
        self.renderer = SiteRenderer(spec, home)
        self.lock = threading.Lock()
        self._articles = sorted(articles, key=lambda a: a.published, reverse=True)
        # feeds and sitemaps change only when a story is added: their Last-Modified moves then
        self.changed = max((a.modified for a in articles), default=datetime(2025, 1, 1, tzinfo=UTC))
        self.changed = self.changed.astimezone(UTC).replace(microsecond=0)

    def articles(self) -> list[Article]:
        """The current articles, newest first (a copy: requests render while `add` may run)."""
        with self.lock:
            return list(self._articles)

    def add(self, article: Article) -> None:
        with self.lock:
            if any(a.id == article.id or a.path == article.path for a in self._articles):
                raise ValueError(f"{self.spec.name} already has an article with id {article.id} or that URL")
            self._articles = sorted([*self._articles, article], key=lambda a: a.published, reverse=True)
            now = datetime.now(UTC).replace(microsecond=0)
            self.changed = max(now, self.changed + timedelta(seconds=1))

    # ---- routing ---------------------------------------------------------------------------------

    def respond(self, target: str, headers: Any) -> Reply:
        """The reply to `GET target`, conditional GET included for feeds and sitemaps."""
        parts = urlsplit(target)
        path = unquote(parts.path)
        reply = self._route(path, parse_qs(parts.query))
        if reply.status == 404 and path != "/":  # WordPress's redirect_canonical: the slash or its absence
            twin = path[:-1] if path.endswith("/") else path + "/"
            if self._route(twin, {}).status == 200:
                location = parts.path[:-1] if path.endswith("/") else parts.path + "/"
                return Reply(301, headers={"Location": location + (f"?{parts.query}" if parts.query else "")})
        if reply.status == 404:
            return self._html(404, self.renderer.not_found(self.articles()))
        if "ETag" in reply.headers:
            return self._conditional(reply, headers)
        return reply

    def _route(self, path: str, query: dict[str, list[str]]) -> Reply:
        site, articles = self.spec, self.articles()
        if path == "/" and "p" in query:
            article = next((a for a in articles if str(a.id) == query["p"][0]), None)
            if article is None:
                return Reply(404)
            if article.plain_permalink:
                return self._html(200, self.renderer.article(article, articles))
            return Reply(301, headers={"Location": self.renderer.url(article)})
        if path == "/robots.txt":
            return Reply(200, self.renderer.robots().encode(), "text/plain; charset=utf-8")
        if (page := _paged(path, "/")) is not None:
            return self._listing(Listing(site.masthead, articles, page, 0, ""), articles)
        if match := re.fullmatch(r"/category/([^/]+)/(.*)", path):
            slug, rest = match.groups()
            page = _paged("/" + rest, "/")
            if slug not in site.categories or page is None:
                return Reply(404)
            chosen = [a for a in articles if a.category == slug]
            return self._listing(Listing(site.categories[slug], chosen, page, 0, f"category/{slug}/"), articles)
        if match := re.fullmatch(r"/author/([^/]+)/(.*)", path):
            slug, rest = match.groups()
            page = _paged("/" + rest, "/")
            chosen = [a for a in articles if a.author and slugify(a.author, a.lang) == slug]
            if not chosen or page is None:
                return Reply(404)
            return self._listing(Listing(chosen[0].author or "", chosen, page, 0, f"author/{slug}/"), articles)
        if site.kind == "rss" and path == "/feed/":
            return self._cached(self.renderer.rss(articles), FEED_TYPES["rss"])
        if site.kind == "rss" and path == "/comments/feed/":
            return self._cached(self.renderer.comments_rss(articles), FEED_TYPES["rss"])
        if site.kind == "atom" and path == "/feed/atom/":
            return self._cached(self.renderer.atom(articles), FEED_TYPES["atom"])
        if site.kind == "sitemap" and path == "/sitemap_index.xml":
            return self._cached(self.renderer.sitemap_index(articles), XML)
        if site.kind == "sitemap" and path == "/post-sitemap.xml":
            return self._cached(self.renderer.post_sitemap(articles), XML)
        if site.kind == "sitemap" and path == "/news-sitemap.xml":
            return self._cached(self.renderer.news_sitemap(articles), XML)
        if path.strip("/") in STATIC_PAGES and path.endswith("/"):
            return self._html(200, self.renderer.static(path.strip("/"), articles))
        for article in articles:
            if not article.plain_permalink and unquote(article.path) == path:
                return self._html(200, self.renderer.article(article, articles))
        return Reply(404)

    def _listing(self, listing: Listing, articles: list[Article]) -> Reply:
        """A page of the homepage or of a category; past the last page is a 404, as on WordPress."""
        items, per_page = listing.items, self.spec.per_page
        pages = max(1, math.ceil(len(items) / per_page))
        if listing.page > pages:
            return Reply(404)
        start = (listing.page - 1) * per_page
        page = Listing(listing.heading, items[start : start + per_page], listing.page, pages, listing.base)
        return self._html(200, self.renderer.listing(page, articles))

    def _html(self, status: int, text: str) -> Reply:
        """HTML in the site's charset; characters it cannot encode become numeric references."""
        body = text.encode(_codec(self.spec.charset), errors="xmlcharrefreplace")
        return Reply(status, body, f"text/html; charset={self.spec.charset}")

    def _cached(self, text: str, content_type: str) -> Reply:
        """Feeds and sitemaps carry validators so the crawler's conditional GET can get a 304."""
        body = text.encode("utf-8")
        etag = '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
        headers = {"ETag": etag, "Last-Modified": format_datetime(self.changed, usegmt=True)}
        return Reply(200, body, content_type, headers)

    def _conditional(self, reply: Reply, headers: Any) -> Reply:
        """RFC 9110: If-None-Match wins over If-Modified-Since when both are sent."""
        not_modified = Reply(304, headers=dict(reply.headers), content_type="")
        if_none_match = headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return not_modified if "*" in tags or reply.headers["ETag"] in tags else reply
        if_modified_since = headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                since = parsedate_to_datetime(if_modified_since)
            except (TypeError, ValueError):
                return reply
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            if self.changed <= since:
                return not_modified
        return reply


def _paged(path: str, prefix: str) -> int | None:
    """1 for `prefix`, n for `prefix` + "page/n/", None for anything else."""
    if path == prefix:
        return 1
    match = re.fullmatch(re.escape(prefix) + r"page/([1-9][0-9]*)/", path)
    return int(match[1]) if match else None


def _codec(charset: str) -> str:
    return {"windows-1256": "cp1256"}.get(charset.lower(), charset)


class _SiteServer(ThreadingHTTPServer):
    """A site's listening socket and the `SiteApp` its requests go to."""

    daemon_threads = True  # a stuck client must not keep the process alive
    app: SiteApp
    log_requests = False

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A crawler stopped mid-download (Ctrl-C, SIGTERM, a timeout) closes its connections: the reply then
        meets a closed socket. That is the crawler's stop, said in one line by rasd, not the demo web's
        error: socketserver printed a traceback under it. Any other error still shows."""
        if isinstance(sys.exc_info()[1], ConnectionError):  # BrokenPipeError, ConnectionResetError …
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    """Moves one request to its site's `SiteApp` and the reply back; logs only when asked to."""

    server: _SiteServer

    def version_string(self) -> str:
        return "Apache"  # what most of the sites it imitates answer

    def do_GET(self) -> None:
        self._answer(send_body=True)

    def do_HEAD(self) -> None:
        self._answer(send_body=False)

    def _answer(self, send_body: bool) -> None:
        try:
            reply = self.server.app.respond(self.path, self.headers)
        except Exception as error:  # a bug in the demo must show, not hang the crawler
            reply = Reply(500, f"demo web error: {error!r}".encode(), "text/plain; charset=utf-8")
        self.send_response(reply.status)
        if reply.content_type:
            self.send_header("Content-Type", reply.content_type)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply.body)))
        self.end_headers()
        if send_body and reply.body:
            self.wfile.write(reply.body)

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.log_requests:
            super().log_message(format, *args)


class DemoWeb:
    """The bundled demo web: four Moroccan news sites served on 127.0.0.x for `rasd demo` and the tests.

    Site i binds 127.0.0.(first_host + i) on `port` (0: the OS picks one per site). The sockets are bound
    when the object is made, so `sites` and `sources_toml()` are known before `start()`; `stop()` closes
    them. Use it as a context manager.
    """

    def __init__(self, first_host: int = 10, port: int = 0, log_requests: bool = False) -> None:
        specs, articles = load_content()
        if not 1 <= first_host <= 254 - len(specs):
            raise ValueError(f"first_host {first_host} leaves no room for {len(specs)} sites in 127.0.0.x")
        self.sites: list[DemoSite] = []
        self.stories: list[DemoStory] = []
        self._apps: dict[str, SiteApp] = {}
        self._servers: list[_SiteServer] = []
        self._threads: list[threading.Thread] = []
        try:
            for offset, spec in enumerate(specs):
                host = f"127.0.0.{first_host + offset}"
                server = _SiteServer((host, port), _Handler)
                server.log_requests = log_requests
                self._servers.append(server)
                home = f"http://{host}:{server.server_address[1]}/"
                own = [a for a in articles if a.site == spec.name]
                app = SiteApp(spec, home, own)
                server.app = app
                self._apps[spec.name] = app
                self.sites.append(DemoSite(spec.name, home, spec.lang, spec.region, spec.kind))
                self.stories += [self._story(app, a) for a in own]
        except BaseException:
            self.stop()
            raise

    @staticmethod
    def _story(app: SiteApp, article: Article) -> DemoStory:
        return DemoStory(
            site=article.site,
            path=article.path,
            url=app.home + article.path.lstrip("/"),
            title=article.title,
            lang=article.lang,
            sse=article.sse,
            regions=article.regions,
            published=article.published.date().isoformat(),
        )

    def start(self) -> DemoWeb:
        """Serve every site from a daemon thread (they die with the process if stop() is never called)."""
        if self._threads:
            return self
        for server in self._servers:
            thread = threading.Thread(
                target=server.serve_forever, args=(STOP_POLL_SECONDS,), name=f"demoweb-{server.app.spec.name}"
            )
            thread.daemon = True
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        """Stop serving and free the addresses; safe to call twice."""
        for server, thread in zip(self._servers, self._threads, strict=False):
            server.shutdown()
            thread.join(timeout=5)
        for server in self._servers:
            server.server_close()
        self._servers, self._threads = [], []

    def __enter__(self) -> DemoWeb:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.stop()

    def sources_toml(self) -> str:
        """`[[sources]]` tables for a Rasd config: name, url, lang, region; feeds and sitemaps are left to
        discovery, which is what the demo exercises."""
        blocks = ["# The bundled demo web (monitor.demoweb), served on loopback"]
        for site in self.sites:
            fields = {"name": site.name, "url": site.url, "lang": site.lang, "region": site.region}
            lines = ["[[sources]]"] + [f"{key} = {_toml(value)}" for key, value in fields.items() if value]
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks) + "\n"

    def add_story(self, site_name: str, story: dict[str, Any]) -> DemoStory:
        """Publish a story now: it appears on the homepage, in category pages, the feed and the sitemaps.

        `story` takes the keys of a `[[stories]]` table in stories.toml; only `title` and `body` (a string
        with blank-line paragraphs, or a list of paragraphs) are required. `category` may be a slug or its
        label; `published` defaults to now, `id` to the site's highest plus one.
        """
        app = self._apps.get(site_name)
        if app is None:
            raise KeyError(f"no demo site named {site_name!r}; sites: {sorted(self._apps)}")
        fields = {k: v for k, v in story.items() if k != "site"}
        next_id = max((a.id for a in app.articles()), default=100) + 1
        article = make_article(app.spec, fields, default_id=next_id)
        app.add(article)
        demo_story = self._story(app, article)
        self.stories.append(demo_story)
        return demo_story


def _toml(value: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)
