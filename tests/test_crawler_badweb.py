"""Bad servers on 127.0.0.1 in one cycle: a 404, a 500 that recovers, a malformed feed, a site closed by
robots.txt, a windows-1256 page without a charset header, an ISO-8859-6 page with one, a redirect loop, and
one article announced under two URLs. The cycle goes on, the good articles are stored with their Arabic
intact, and what failed is retried (and stored) by the next cycle."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from tests.conftest import run_rasd, write_config

TEXT = "أطلقت تعاونية نسائية بإقليم تيزنيت مشروعا جديدا لتثمين منتوج الأركان بدعم من المبادرة الوطنية. " * 6


ANNOUNCED = ("ok-1256", "flaky", "gone", "iso", "loop", "ok-1256?utm_source=fb#top")


def _article(title: str, encoding: str = "cp1256") -> bytes:
    page = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>{TEXT}</p>"
    return (page + "</article></body></html>").encode(encoding)


class BadWeb(BaseHTTPRequestHandler):
    """Routes: /feed/ announcing a good, a flaky (500 then 200) and a gone (404) article; /broken-feed/
    malformed XML; robots.txt closing the whole site when asked for as localhost."""

    hits: ClassVar[dict[str, int]] = {}

    def log_message(self, *args: object) -> None:  # quiet test output
        pass

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        host = f"http://{self.headers['Host']}"
        self.hits[self.path] = self.hits.get(self.path, 0) + 1
        if self.path == "/robots.txt":
            closed = self.headers["Host"].startswith("localhost")
            self._send(200, b"User-agent: *\nDisallow: /\n" if closed else b"User-agent: *\nAllow: /\n", "text/plain")
        elif self.path == "/feed/":
            items = "".join(f"<item><title>{n}</title><link>{host}/{n}</link></item>" for n in ANNOUNCED)
            self._send(
                200,
                f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode(),
                "application/rss+xml",
            )
        elif self.path == "/broken-feed/":
            self._send(200, b'<?xml version="1.0"?><rss><channel><item><link>x</lin', "application/rss+xml")
        elif self.path == "/ok-1256":
            self._send(200, _article("تعاونية الأركان بتيزنيت"), "text/html")  # no charset: bytes only
        elif self.path == "/iso":
            self._send(200, _article("تعاونية بالعيون", "iso8859_6"), "text/html; charset=ISO-8859-6")
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path == "/flaky" and self.hits[self.path] > 2:  # 500 for the first cycle (and its retry)
            self._send(200, _article("تعاونية فلاحية بأكادير"), "text/html; charset=windows-1256")
        elif self.path == "/flaky":
            self._send(500, b"server error", "text/plain")
        else:
            self._send(404, b"not found", "text/plain")


@pytest.fixture
def badweb() -> Iterator[int]:
    BadWeb.hits = {}
    server = ThreadingHTTPServer(("127.0.0.1", 0), BadWeb)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server.server_address[1]
    server.shutdown()


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def test_bad_servers_do_not_stop_the_cycle_and_failures_are_retried(badweb: int, tmp_path: Path) -> None:
    port = badweb
    sources = (
        f'[[sources]]\nname = "Good"\nurl = "http://127.0.0.1:{port}/"\nfeeds = ["http://127.0.0.1:{port}/feed/"]\n'
        f'[[sources]]\nname = "Broken"\nurl = "http://127.0.0.2:{port}/"\n'
        f'feeds = ["http://127.0.0.2:{port}/broken-feed/"]\n'
        f'[[sources]]\nname = "Closed"\nurl = "http://localhost:{port}/"\nfeeds = ["http://localhost:{port}/feed/"]\n'
    )
    config = write_config(tmp_path, sources)
    db = tmp_path / "rasd.db"

    first = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    stored = {url.rsplit("/", 1)[1]: text for url, text in _rows(db, "SELECT url, text FROM articles")}
    assert set(stored) == {"ok-1256", "iso"}, "one copy of the article announced under two URLs"
    assert all("تعاونية نسائية بإقليم تيزنيت" in text for text in stored.values())
    (loop_error,) = _rows(db, "SELECT error FROM fetches WHERE url LIKE '%/loop'")[-1:]
    assert loop_error[0] and "redirect" in loop_error[0].lower(), loop_error
    outcomes = {(url.rsplit(":", 1)[1], outcome) for url, outcome in _rows(db, "SELECT url, outcome FROM fetches")}
    assert (f"{port}/gone", "http_error") in outcomes and (f"{port}/flaky", "http_error") in outcomes
    errors = _rows(db, "SELECT error FROM fetches WHERE url LIKE '%broken-feed%'")
    assert errors and all(error for (error,) in errors), errors
    closed = _rows(db, "SELECT outcome, error FROM fetches WHERE url LIKE 'http://localhost%'")
    assert closed and all(outcome == "blocked" and "robots" in error.lower() for outcome, error in closed), closed

    second = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    stored_again = {url.rsplit("/", 1)[1] for (url,) in _rows(db, "SELECT url FROM articles")}
    assert stored_again == {"ok-1256", "iso", "flaky"}, "the failed article is retried, the stored one kept"
    assert BadWeb.hits["/ok-1256"] == 1, "an article already stored is not fetched again"


CANONICAL = "/2026/11/22/argan-cooperative-story/"


class TwinWeb(BaseHTTPRequestHandler):
    """One article under two URLs (`/?p=77` and its permalink, which the page names as canonical), a copy
    whose canonical is on another site, a page whose canonical is the homepage (a CMS mistake), and a page
    announced with tracking parameters."""

    hits: ClassVar[dict[str, int]] = {}
    pages: ClassVar[dict[str, tuple[str, str | None]]] = {}  # path → (title, canonical href)

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        path = self.path.split("#", 1)[0]
        route = path.split("?utm", 1)[0].split("&utm", 1)[0]
        self.hits[route] = self.hits.get(route, 0) + 1
        host = f"http://{self.headers['Host']}"
        if route == "/feed/":
            announced = [
                "/?p=77",
                CANONICAL + "?utm_source=rss#respond",
                "/syndicated-copy-story-here",
                "/homepage-canonical-story-here",
                "/story?id=5&utm_medium=feed&fbclid=x#comments",
            ]
            items = "".join(
                f"<item><title>t</title><link>{host}{a.replace('&', '&amp;')}</link></item>" for a in announced
            )
            body = f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()
            content_type = "application/rss+xml"
        elif route in self.pages:
            title, canonical = self.pages[route]
            link = f'<link rel="canonical" href="{canonical}">' if canonical else ""
            text = f"{title}. {TEXT}"
            html = f"<html><head><title>{title}</title>{link}</head><body><article><h1>{title}</h1><p>{text}</p>"
            body, content_type = (html + "</article></body></html>").encode(), "text/html; charset=utf-8"
        else:
            body, content_type = b"User-agent: *\nAllow: /\n" if route == "/robots.txt" else b"", "text/plain"
        self.send_response(200 if body or route == "/robots.txt" else 404)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def test_an_article_is_stored_under_its_canonical_url_and_clean_url(tmp_path: Path) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), TwinWeb)
    port = server.server_address[1]
    TwinWeb.hits = {}
    TwinWeb.pages = {
        "/?p=77": ("تعاونية الأركان", CANONICAL),  # relative canonical: the permalink
        CANONICAL: ("تعاونية الأركان", f"http://127.0.0.1:{port}{CANONICAL}"),
        "/syndicated-copy-story-here": ("مقال منقول", "https://original.example/2026/11/22/story"),
        "/homepage-canonical-story-here": ("تعاونية للكسكس", f"http://127.0.0.1:{port}/"),
        "/story?id=5": ("تعاونية للعسل", None),
    }
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        config = write_config(
            tmp_path,
            f'[[sources]]\nname = "Twins"\nurl = "http://127.0.0.1:{port}/"\n'
            f'feeds = ["http://127.0.0.1:{port}/feed/"]\n',
        )
        db = tmp_path / "rasd.db"
        first = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
        assert first.returncode == 0, first.stderr
        base = f"http://127.0.0.1:{port}"
        stored = dict(_rows(db, "SELECT url, canonical_url FROM articles"))
        assert stored == {
            base + CANONICAL: f"https://127.0.0.1:{port}{CANONICAL.rstrip('/')}",  # once, under its canonical
            base + "/syndicated-copy-story-here": f"https://127.0.0.1:{port}/syndicated-copy-story-here",
            base + "/homepage-canonical-story-here": f"https://127.0.0.1:{port}/homepage-canonical-story-here",
            base + "/story?id=5": f"https://127.0.0.1:{port}/story?id=5",  # tracking gone, id kept
        }, stored

        second = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
        assert second.returncode == 0, second.stderr
        assert len(_rows(db, "SELECT id FROM articles")) == 4
        article_hits = {path: n for path, n in TwinWeb.hits.items() if path in TwinWeb.pages}
        assert article_hits == dict.fromkeys(TwinWeb.pages, 1), "the second cycle fetched a stored article again"
    finally:
        server.shutdown()
