"""Small news sites on loopback for crawl tests, one server per host (127.0.0.41 to .48): routes set per
test, pages that hang up unanswered, hits counted. The `sites` fixture is registered in conftest.py."""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

TEXT = "نظمت تعاونية نسائية بإقليم تيزنيت معرضا لمنتوجات الأركان بدعم من المبادرة الوطنية للتنمية البشرية. " * 6
RSS = {"Content-Type": "application/rss+xml"}
XML = {"Content-Type": "application/xml"}
HELD_SECONDS = 4  # under the tests' download timeout (5 s, tests/conftest.py)


def article(title: str) -> bytes:
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{title}. {TEXT}</p></article></body></html>"
    ).encode()


def rss(links: list[str]) -> bytes:
    items = "".join(f"<item><title>{link}</title><link>{link}</link></item>" for link in links)
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}</channel></rss>'.encode()


def homepage(feed: str | None, links: list[str]) -> bytes:
    advertised = f'<link rel="alternate" type="application/rss+xml" href="{feed}">' if feed else ""
    anchors = "".join(f'<li><a href="{link}">{link}</a></li>' for link in links)
    return f"<html><head><title>Home</title>{advertised}</head><body><ul>{anchors}</ul></body></html>".encode()


class Site(BaseHTTPRequestHandler):
    """Routes per "host:port/path": (status, headers, body); `dropped` paths close the connection unanswered,
    `hanging` hosts ("host:port") accept and never answer, `trickling` paths send a byte every 0.2 s — each
    until the test ends (`release`); `walled` hosts redirect every request without their cookie to itself,
    setting it (a consent or bot wall); an `after` path is answered once the path it names has been asked for
    (a 404 after HELD_SECONDS without: the crawl never asked); a `raw` path gets its bytes alone (another
    protocol's greeting, no HTTP); a `first` path gives its listed answers, one per
    request, before its route's; `asked_at` has the moment (time.monotonic) of each request of a path."""

    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {}
    dropped: ClassVar[set[str]] = set()
    hanging: ClassVar[set[str]] = set()
    trickling: ClassVar[set[str]] = set()
    walled: ClassVar[set[str]] = set()
    hits: ClassVar[dict[str, int]] = {}
    release: ClassVar[threading.Event] = threading.Event()
    after: ClassVar[dict[str, str]] = {}
    asked: ClassVar[threading.Condition] = threading.Condition()
    first: ClassVar[dict[str, list[tuple[int, dict[str, str], bytes]]]] = {}
    asked_at: ClassVar[dict[str, list[float]]] = {}
    raw: ClassVar[dict[str, bytes]] = {}  # paths answered with these bytes alone, then closed: not HTTP

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        key = f"{self.headers['Host']}{self.path}"
        with self.asked:
            self.hits[key] = self.hits.get(key, 0) + 1
            self.asked_at.setdefault(key, []).append(time.monotonic())
            self.asked.notify_all()
            if key in self.after and not self.asked.wait_for(lambda: self.after[key] in self.hits, HELD_SECONDS):
                self.routes[key] = (404, {}, b"the page it waited for was never asked for")
        if key in self.dropped:
            self.close_connection = True
            return
        if key in self.raw:
            self.wfile.write(self.raw[key])
            self.close_connection = True
            return
        if self.headers["Host"] in self.hanging:
            self.release.wait(300)
            return
        if key in self.trickling:
            self._trickle()
            return
        if self.headers["Host"] in self.walled and "consent=yes" not in (self.headers["Cookie"] or ""):
            self.send_response(302)
            self.send_header("Location", self.path)
            self.send_header("Set-Cookie", "consent=yes; Path=/; Max-Age=3600")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.first.get(key):
            status, headers, body = self.first[key].pop(0)
        elif self.path == "/robots.txt" and key not in self.routes:
            status, headers, body = 200, {"Content-Type": "text/plain"}, b"User-agent: *\nAllow: /\n"
        else:
            status, headers, body = self.routes.get(key, (404, {}, b"not found"))
        self.send_response(status)
        for name, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _trickle(self) -> None:
        self.send_response(200)
        self.send_header("Content-Length", "100000")
        self.end_headers()
        try:
            while not self.release.wait(0.2):
                self.wfile.write(b" ")
                self.wfile.flush()
        except OSError:  # the crawler hung up: what we want
            return


@pytest.fixture
def sites() -> Iterator[list[str]]:
    """Eight hosts, 127.0.0.41 to .48, one server each; yields their base URLs."""
    Site.routes, Site.dropped, Site.hanging, Site.trickling, Site.walled = {}, set(), set(), set(), set()
    Site.hits, Site.after, Site.first, Site.asked_at, Site.raw = {}, {}, {}, {}, {}
    Site.release = threading.Event()
    servers = [ThreadingHTTPServer((f"127.0.0.{41 + n}", 0), Site) for n in range(8)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield [f"http://{server.server_address[0]!s}:{server.server_address[1]}" for server in servers]
    Site.release.set()
    for server in servers:
        server.shutdown()
        server.server_close()


def closed_port() -> str:
    """A loopback address nothing listens on: connections to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.49", 0))
        return f"http://127.0.0.49:{probe.getsockname()[1]}"


def route(url: str, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
    Site.routes[url.removeprefix("http://")] = (status, headers or {}, body)


def stories(base: str, name: str, count: int) -> list[str]:
    """`count` article pages on `base`, served; their URLs."""
    links = [f"{base}/2026/11/2{n}/{name}-story-{n}" for n in range(count)]
    for n, link in enumerate(links):
        route(link, 200, article(f"{name} قصة رقم {n}"))
    return links


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def stored(db: Path) -> set[str]:
    return {url for (url,) in rows(db, "SELECT url FROM articles")}


def fetch(db: Path, url: str) -> tuple[str, str | None]:
    ((outcome, error),) = set(rows(db, f"SELECT outcome, error FROM fetches WHERE url = '{url}'"))
    return outcome, error


def sources(*entries: tuple[str, str, str]) -> str:
    """[[sources]] of (name, homepage, extra TOML line)."""
    return "".join(f'[[sources]]\nname = "{name}"\nurl = "{url}/"\n{extra}\n' for name, url, extra in entries)
