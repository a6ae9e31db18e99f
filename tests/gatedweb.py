"""Servers on loopback whose answers the test can hold, so that it puts a signal at a chosen moment by
waiting for the evidence that the process got there, never by sleeping.

`GatedSite`, a small news site: a request for a held path is seen (an event the test waits for) and
answered only once the test releases it. A homepage naming its RSS feed, robots.txt allowing all, the
feed announcing `articles` stories, and each story's page, in Arabic and French, long enough to be one.

`held_smtp`, an aiosmtpd server that holds every session at RCPT TO (nothing accepted yet) until released."""

from __future__ import annotations

import asyncio
import email
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from email import policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller

HOLD_LIMIT = 120.0  # seconds a held answer waits at most, so a failing test never leaves a thread behind

AR = (
    "نظمت تعاونية نسائية بإقليم {n} معرضا لمنتوجات الأركان والعسل بدعم من المبادرة الوطنية للتنمية البشرية، "
    "في إطار برنامج الاقتصاد الاجتماعي والتضامني الذي يرافق التعاونيات في التسويق والتكوين. "
)
FR = (
    "La coopérative agricole n°{n} de la région a présenté ses produits du terroir au salon régional de "
    "l'économie sociale et solidaire, avec l'appui de l'Office du développement de la coopération. "
)


class GatedSite:
    """One site on 127.0.0.`host`; `hold(path)` before the crawl, `release(path)` when the test is ready."""

    def __init__(self, host: int, articles: int = 6) -> None:
        self.paths = [f"/news/{n:02d}-story/" for n in range(1, articles + 1)]
        self.requests: list[str] = []  # every path asked for, in order
        self.answered: list[str] = []  # paths whose whole answer was written
        self._lock = threading.Lock()
        self._held: dict[str, threading.Event] = {}
        self._seen: dict[str, threading.Event] = {}
        self._server = ThreadingHTTPServer((f"127.0.0.{host}", 0), self._handler())
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.{host}:{self._server.server_address[1]}/"

    # ---- what the test does ------------------------------------------------------------------------

    def hold(self, path: str) -> None:
        self._held[path] = threading.Event()

    def release(self, path: str | None = None) -> None:
        """Let a held answer (or, with no path, every one) go."""
        for held, event in self._held.items():
            if path is None or held == path:
                event.set()

    def wait_seen(self, path: str, timeout: float = 60.0) -> None:
        assert self._seen_event(path).wait(timeout), f"the crawler never asked for {path}: {self.requests}"

    def article_url(self, path: str) -> str:
        return self.url + path.lstrip("/")

    def sources_toml(self, name: str = "Souss Gate") -> str:
        return f'[[sources]]\nname = "{name}"\nurl = "{self.url}"\nlang = "ar"\nregion = "MA-09"\n'

    @contextmanager
    def serving(self) -> Iterator[GatedSite]:
        thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self.release()
            self._server.shutdown()
            self._server.server_close()
            thread.join(timeout=5)

    # ---- the site ----------------------------------------------------------------------------------

    def _seen_event(self, path: str) -> threading.Event:
        with self._lock:
            return self._seen.setdefault(path, threading.Event())

    def _page(self, path: str) -> tuple[int, str, bytes]:
        if path == "/":
            links = "".join(f'<li><a href="{p}">story {p}</a></li>' for p in self.paths)
            return (
                200,
                "text/html; charset=utf-8",
                (
                    '<html><head><title>Souss Gate</title><link rel="alternate" type="application/rss+xml" '
                    f'href="/feed/"></head><body><ul>{links}</ul></body></html>'
                ).encode(),
            )
        if path == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nAllow: /\n"
        if path == "/feed/":
            items = "".join(
                f"<item><title>Story {p}</title><link>{self.article_url(p)}</link>"
                f"<pubDate>Mon, {30 - n:02d} Nov 2026 09:00:00 GMT</pubDate></item>"
                for n, p in enumerate(self.paths)
            )
            body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Souss</title>{items}</channel></rss>'
            return 200, "application/rss+xml", body.encode()
        if path in self.paths:
            n = self.paths.index(path) + 1
            title = f"تعاونية رقم {n} في معرض الاقتصاد الاجتماعي والتضامني"
            text = (AR.format(n=n) * 3) + (FR.format(n=n) * 2)
            return (
                200,
                "text/html; charset=utf-8",
                (
                    f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
                    f"<p>{text}</p><p>{AR.format(n=n + 100)}</p></article></body></html>"
                ).encode(),
            )
        return 404, "text/html", b"<html><body>not found</body></html>"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                path = self.path.split("?", 1)[0]
                with site._lock:
                    site.requests.append(path)
                site._seen_event(path).set()
                if path in site._held:
                    site._held[path].wait(HOLD_LIMIT)
                status, content_type, body = site._page(path)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:  # the crawler hung up
                    return
                with site._lock:
                    site.answered.append(path)

        return Handler


class HeldAtRecipient:
    """aiosmtpd handler: holds every session at RCPT TO until `release` is set; keeps what it accepts."""

    def __init__(self) -> None:
        self.holding = threading.Event()
        self.release = threading.Event()
        self.received: list[EmailMessage] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        self.holding.set()
        await asyncio.get_running_loop().run_in_executor(None, self.release.wait, HOLD_LIMIT)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = email.message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        return "250 2.0.0 OK"


@contextmanager
def held_smtp(handler: Any = None) -> Iterator[tuple[Any, int]]:
    """An aiosmtpd server on 127.0.0.1 with `handler` (a HeldAtRecipient unless given; it has a `release`
    event, set at the end); yields the handler and the port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    handler = handler or HeldAtRecipient()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        handler.release.set()
        controller.stop()
