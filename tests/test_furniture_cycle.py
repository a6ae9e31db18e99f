"""Learned furniture through real crawl cycles: `rasd crawl` against tests/furniture_site.py served over
HTTP on 127.0.0.1 stores its first articles with the site's slogan; the next cycle learns it from them
and the new articles come without it."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import run_rasd, write_config
from tests.furniture_site import SIGNATURE, SITE, SLOGAN, page, story


class _Site:
    def __init__(self) -> None:
        self.published = list(range(6))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def _feed(self) -> bytes:
        items = "".join(
            f"<item><title>{story(i)[0]}</title><link>{self.base}news/{i}</link>"
            f"<pubDate>Wed, 05 Nov 2025 0{i % 10}:00:00 +0000</pubDate></item>"
            for i in self.published
        )
        channel = f"<channel><title>{SITE}</title>{items}</channel>"
        return f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0">{channel}</rss>'.encode()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                if self.path == "/feed.xml":
                    body, kind = site._feed(), "application/rss+xml"
                elif self.path.startswith("/news/") and int(self.path.rsplit("/", 1)[1]) in site.published:
                    body, kind = page(int(self.path.rsplit("/", 1)[1])), "text/html; charset=utf-8"
                elif self.path == "/":
                    body, kind = f"<html><body><a href='/feed.xml'>{SITE}</a></body></html>".encode(), "text/html"
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        return Handler


@pytest.fixture
def site() -> Iterator[_Site]:
    served = _Site()
    thread = threading.Thread(target=served.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        served.server.shutdown()
        served.server.server_close()
        thread.join()


def test_the_next_cycle_learns_the_sites_slogan_and_drops_it(site: _Site, tmp_path: Path) -> None:
    sources = f'[[sources]]\nname = "{SITE}"\nurl = "{site.base}"\nfeeds = ["{site.base}feed.xml"]\n'
    config = write_config(tmp_path, sources)
    db = tmp_path / "rasd.db"

    first = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    with sqlite3.connect(db) as connection:
        texts = [text for (text,) in connection.execute("SELECT text FROM articles ORDER BY id")]
    assert len(texts) == 6 and all(SLOGAN in text and SIGNATURE in text for text in texts)

    site.published += [6, 7]
    second = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    with sqlite3.connect(db) as connection:
        new = [text for (text,) in connection.execute("SELECT text FROM articles WHERE id > 6 ORDER BY id")]
        seen = dict(connection.execute("SELECT example, last_seen_at FROM source_furniture"))
    assert len(new) == 2
    assert sorted(new) == sorted("\n".join(story(index)[1]) for index in (6, 7))  # the paragraphs only
    assert seen[SLOGAN] is not None and seen[SIGNATURE] is not None  # the new pages still carried them

    shown = run_rasd("--config", str(config), "sources", "furniture", SITE, cwd=tmp_path)
    assert shown.returncode == 0, shown.stderr
    assert SLOGAN in shown.stdout
