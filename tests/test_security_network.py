"""No requests to private networks by default, proved against real servers on loopback.

The hostile web is served on 127.0.0.5 (the one host the tests exempt with `[crawler] allow_hosts`, as a
user would for an intranet site) and, with the same pages, on 127.0.0.1 and [::1] — the "internal"
servers a hostile feed, sitemap, link or redirect tries to reach. `allow_private_networks` stays off, so
every other private address must be refused; each server logs what reached it, and the internal ones must
log nothing. Every internal page says INTERNAL-SECRET, which must never reach the database.
"""

from __future__ import annotations

import contextlib
import socket
import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import REPO, run_rasd, write_config

Route = tuple[int, dict[str, str], bytes]
HOSTILE = "127.0.0.5"

SENTENCES = [
    "La coopérative agricole de Tiznit a présenté ses produits au salon régional de l'économie sociale.",
    "Les membres de la coopérative, des femmes de la région, ont vendu de l'huile d'argan et du miel.",
    "Le pôle régional de l'économie sociale et solidaire accompagne quarante coopératives cette année.",
    "Les projets générateurs de revenus financés par l'INDH ont été exposés aux visiteurs du salon.",
    "Une formation à la commercialisation en ligne sera proposée aux coopératives en décembre prochain.",
]


def article(title: str, text: str = "") -> bytes:
    paragraphs = "".join(f"<p>{text} {sentence}</p>" for sentence in SENTENCES)
    head = f"<html><head><title>{title}</title></head>"
    return f"{head}<body><article><h1>{title}</h1>{paragraphs}</article></body></html>".encode()


class HostileWeb:
    """One set of routes served on 127.0.0.5, 127.0.0.1 and [::1] (same port); logs every request."""

    def __init__(self) -> None:
        self.routes: dict[str, Route | Callable[[str], Route]] = {}
        self.log: list[tuple[str, str]] = []  # (server address, path)
        self.servers: list[ThreadingHTTPServer] = []
        self.port = 0

    def url(self, path: str, host: str = HOSTILE) -> str:
        host = f"[{host}]" if ":" in host else host
        return f"http://{host}:{self.port}{path}"

    def _handler(self, address: str) -> type[BaseHTTPRequestHandler]:
        web = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                web.log.append((address, self.path))
                route = web.routes.get(self.path.split("?", 1)[0])
                if route is None:
                    status, headers, body = 404, dict[str, str](), b"not found"
                elif callable(route):
                    status, headers, body = route(address)
                else:
                    status, headers, body = route
                if address != HOSTILE:
                    body = article("INTERNAL-SECRET", "INTERNAL-SECRET")
                self.send_response(status)
                for name, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
                    self.send_header(name, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                pass

        return Handler

    def __enter__(self) -> HostileWeb:
        for address in (HOSTILE, "127.0.0.1", "::1"):

            class Server(ThreadingHTTPServer):
                address_family = socket.AF_INET6 if ":" in address else socket.AF_INET
                daemon_threads = True

            server = Server((address, self.port), self._handler(address))
            self.port = server.server_address[1]
            threading.Thread(target=server.serve_forever, daemon=True).start()
            self.servers.append(server)
        return self

    def __exit__(self, *exc: object) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def internal_hits(self) -> list[tuple[str, str]]:
        return [(address, path) for address, path in self.log if address != HOSTILE]


@pytest.fixture
def web() -> Iterator[HostileWeb]:
    with HostileWeb() as hostile:
        yield hostile


def guarded_config(tmp_path: Path, sources: str, crawler_extra: str = "") -> Path:
    """The tests' config with the private-network refusal ON, 127.0.0.5 exempted."""
    config = write_config(tmp_path, sources)
    text = config.read_text(encoding="utf-8").replace(
        "allow_private_networks = true\n",
        f'allow_private_networks = false\nallow_hosts = ["{HOSTILE}"]\n{crawler_extra}',
    )
    config.write_text(text, encoding="utf-8")
    return config


def rows(db: Path, sql: str, *params: object) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql, params).fetchall()


def fetch_outcomes(db: Path) -> dict[str, tuple[str, str | None]]:
    return {url: (outcome, error) for url, outcome, error in rows(db, "SELECT url, outcome, error FROM fetches")}


def rss(links: list[str]) -> bytes:
    items = "".join(f"<item><title>Story {i}</title><link>{link}</link></item>" for i, link in enumerate(links))
    return f'<?xml version="1.0"?><rss version="2.0"><channel><title>F</title>{items}</channel></rss>'.encode()


XML = {"Content-Type": "application/xml"}
SLUG = "/2026/11/22/cooperative-story-{}"


def test_feed_sitemap_links_and_redirects_to_private_addresses_are_blocked(web: HostileWeb, tmp_path: Path) -> None:
    port = web.port
    private = {
        "loopback": f"http://127.0.0.1:{port}{SLUG.format(1)}",
        "localhost name": f"http://localhost:{port}{SLUG.format(2)}",
        "IPv6 loopback": f"http://[::1]:{port}{SLUG.format(3)}",
        "IPv4-mapped IPv6": f"http://[::ffff:127.0.0.1]:{port}{SLUG.format(4)}",
        "decimal IPv4": f"http://2130706433:{port}{SLUG.format(5)}",
        "cloud metadata": "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
        "RFC 1918": "http://10.1.2.3/2026/11/22/x",
        "RFC 1918 b": "http://192.168.1.1/2026/11/22/x",
        "CGNAT": "http://100.64.0.1/2026/11/22/x",
        "multicast": "http://224.0.0.1/2026/11/22/x",
        "IPv6 unique local": "http://[fd00::1]/2026/11/22/x",
        "IPv6 link-local": "http://[fe80::1]/2026/11/22/x",
        "unspecified": f"http://0.0.0.0:{port}{SLUG.format(6)}",
    }
    ok_article = web.url(SLUG.format("allowed"))
    web.routes[SLUG.format("allowed")] = (200, {}, article("Allowed cooperative story"))
    redirects = {
        "/r/loopback": web.url(SLUG.format(7), "127.0.0.1"),
        "/r/metadata": "http://169.254.169.254/latest/meta-data/",
        "/r/ipv6": web.url(SLUG.format(8), "::1"),
        "/r/file": "file:///etc/passwd",
        "/r/js": "javascript:alert(1)",
        "/2026/11/22/listing-link-redirect": web.url(SLUG.format(9), "127.0.0.1"),
    }
    for path, target in redirects.items():
        web.routes[path] = (302, {"Location": target}, b"")
    web.routes["/feed.xml"] = (
        200,
        XML,
        rss([ok_article, *private.values(), "file:///etc/passwd", *(web.url(p) for p in list(redirects)[:5])]),
    )
    sitemap_urls = [web.url(SLUG.format(10), "127.0.0.1"), "http://169.254.169.254/sitemap-entry"]
    locs = "".join(f"<url><loc>{u}</loc></url>" for u in sitemap_urls)
    web.routes["/sitemap.xml"] = (
        200,
        XML,
        f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>'.encode(),
    )
    web.routes["/links/"] = (200, {}, b'<html><body><a href="/2026/11/22/listing-link-redirect">x</a></body></html>')
    sources = (
        f'[[sources]]\nname = "Feed"\nurl = "{web.url("/")}"\nfeeds = ["{web.url("/feed.xml")}"]\n'
        f'[[sources]]\nname = "Map"\nurl = "{web.url("/map/")}"\nsitemaps = ["{web.url("/sitemap.xml")}"]\n'
        f'[[sources]]\nname = "Links"\nurl = "{web.url("/links/")}"\n'
    )
    config = guarded_config(tmp_path, sources)
    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr

    assert web.internal_hits() == []  # nothing reached the internal servers
    db = tmp_path / "rasd.db"
    outcomes = fetch_outcomes(db)
    # Feed items and sitemap entries on another host than the source's are another site's (an aggregator's):
    # left out before any request. Where one is asked for all the same, the guard refuses it.
    for url in [*private.values(), *sitemap_urls]:
        assert url not in outcomes or outcomes[url][0] == "blocked", (url, outcomes[url])
    # The source's own addresses that redirect to private ones: asked for, and the redirect refused.
    for url in (t for t in redirects.values() if t.startswith("http")):
        assert url in outcomes, f"{url} not recorded"
        outcome, error = outcomes[url]
        assert outcome == "blocked", (url, outcome, error)
        assert error and "non-public address" in error, error
    # file: never becomes a request: a feed item with it is skipped, a redirect to it is not followed
    assert not [url for url in outcomes if not url.startswith("http")]
    assert outcomes[web.url("/r/file")] == (
        "http_error",
        "redirected to something that is not a web address: HTTP 302 → file:///etc/passwd",
    )
    # Scrapy's "Missing scheme in request url: javascript:alert(1)" was the English after it (faults14 sweep)
    assert outcomes[web.url("/r/js")][1] == "redirected to something that is not a web address: javascript:alert(1)"
    # the exempt host works, and nothing internal was stored
    assert outcomes[ok_article][0] == "ok"
    assert [title for (title,) in rows(db, "SELECT title FROM articles")] == ["Story 0"]  # the allowed item
    assert not rows(db, "SELECT id FROM articles WHERE text LIKE '%INTERNAL-SECRET%' OR text LIKE '%root:%'")


def test_without_any_exemption_a_disguised_loopback_source_is_refused(web: HostileWeb, tmp_path: Path) -> None:
    """`127.1` is not an address the config check recognises, but it resolves to 127.0.0.1: refused when fetched."""
    web.routes["/feed.xml"] = (200, XML, rss([web.url(SLUG.format(1))]))
    config = write_config(tmp_path, f'[[sources]]\nname = "Short"\nurl = "http://127.1:{web.port}/"\n')
    config.write_text(
        config.read_text(encoding="utf-8").replace("allow_private_networks = true", "allow_private_networks = false")
    )
    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert "Traceback" not in result.stderr
    assert web.log == []
    ((outcome, error),) = rows(tmp_path / "rasd.db", "SELECT outcome, error FROM fetches")
    assert outcome == "blocked" and "127.1 resolves to non-public address 127.0.0.1" in error


@pytest.mark.parametrize(
    ("key", "url", "host"),
    [
        ("url", "http://127.0.0.1:8080/", "127.0.0.1"),
        ("feeds[0]", "http://[::1]/feed", "::1"),
        ("sitemaps[0]", "http://169.254.169.254/sitemap.xml", "169.254.169.254"),
        ("url", "http://10.0.0.7/", "10.0.0.7"),
    ],
)
def test_a_private_source_address_is_a_config_error(tmp_path: Path, key: str, url: str, host: str) -> None:
    field = key.split("[")[0]
    value = f'"{url}"' if field == "url" else f'["{url}"]'
    extra = "" if field == "url" else 'url = "https://example.ma/"\n'
    config = tmp_path / "rasd.toml"
    config.write_text(f'[[sources]]\nname = "Intranet"\n{extra}{field} = {value}\n', encoding="utf-8")
    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip() == (
        f"rasd: config error: {config}: sources[0].{key}: {host} "
        "is a private or loopback address; set [crawler] allow_private_networks = true (or list it in allow_hosts) "
        "to crawl it"
    )


def test_rasd_extract_applies_the_same_policy_to_the_url_and_each_redirect(web: HostileWeb, tmp_path: Path) -> None:
    web.routes[SLUG.format("ok")] = (200, {}, article("Allowed page for extract"))
    web.routes["/r/loopback"] = (302, {"Location": web.url(SLUG.format(1), "127.0.0.1")}, b"")
    web.routes["/r/metadata"] = (301, {"Location": "http://169.254.169.254/latest/meta-data/"}, b"")
    web.routes["/r/file"] = (302, {"Location": "file:///etc/passwd"}, b"")
    config = guarded_config(tmp_path, "")
    cases = {
        web.url(SLUG.format(1), "127.0.0.1"): "127.0.0.1 resolves to non-public address 127.0.0.1",
        f"http://localhost:{web.port}{SLUG.format(1)}": "localhost resolves to non-public address",
        web.url(SLUG.format(1), "::1"): "::1 resolves to non-public address ::1",
        web.url("/r/loopback"): "127.0.0.1 resolves to non-public address",
        web.url("/r/metadata"): "169.254.169.254 resolves to non-public address",
        web.url("/r/file"): "Redirection to url 'file:///etc/passwd' is not allowed",  # urllib's own refusal
    }
    for url, reason in cases.items():
        result = run_rasd("--config", str(config), "extract", url, "--json", cwd=tmp_path)
        assert result.returncode == 1, (url, result.stdout)
        assert result.stderr.startswith(f"error: {url}: ") and reason in result.stderr, result.stderr
        assert len(result.stderr.splitlines()) == 1
        assert "Traceback" not in result.stderr and "root:" not in result.stdout
    allowed = run_rasd("--config", str(config), "extract", web.url(SLUG.format("ok")), "--json", cwd=tmp_path)
    assert allowed.returncode == 0 and "Allowed page for extract" in allowed.stdout, allowed.stderr
    assert web.internal_hits() == []


RESOLVER_SCRIPT = """
import sys
from rasd.crawler import install_asyncio_reactor
reactor = install_asyncio_reactor()
from twisted.internet.endpoints import HostnameEndpoint, connectProtocol
from twisted.internet.protocol import Protocol
from rasd.crawler.guard import NetworkPolicy, install_public_only_resolver

port, exempt = int(sys.argv[1]), sys.argv[2:]
install_public_only_resolver(reactor, NetworkPolicy.of(False, exempt))
outcome = []
d = connectProtocol(HostnameEndpoint(reactor, "localhost", port), Protocol())
d.addCallbacks(lambda p: (outcome.append("connected"), p.transport.loseConnection()),
               lambda f: outcome.append(f"{f.type.__name__}: {f.value}"))
d.addBoth(lambda _: reactor.stop())
reactor.run()
print(outcome[0])
"""


@pytest.mark.parametrize(("exempt", "expected"), [([], "DNSLookupError"), (["localhost"], "connected")])
def test_the_connection_itself_resolves_to_public_addresses_only(
    web: HostileWeb, exempt: list[str], expected: str
) -> None:
    """Against DNS rebinding: the reactor's own lookup (the one the connection uses, after the guard's
    check) drops private answers, so `localhost` — which resolves only to loopback — cannot be reached."""
    import subprocess

    result = subprocess.run(
        [sys.executable, "-c", RESOLVER_SCRIPT, str(web.port), *exempt],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.stdout.startswith(expected), result.stdout + result.stderr


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2001:4860:4860::8888", True),
        ("::ffff:8.8.8.8", True),
        ("127.0.0.1", False),
        ("0.0.0.0", False),
        ("10.0.0.1", False),
        ("172.16.5.4", False),
        ("192.168.0.1", False),
        ("100.64.0.1", False),  # CGNAT
        ("169.254.169.254", False),  # cloud metadata
        ("224.0.0.1", False),
        ("::1", False),
        ("fd00:ec2::254", False),  # unique local (AWS metadata over IPv6)
        ("fe80::1%eth0", False),
        ("ff02::1", False),
        ("::ffff:127.0.0.1", False),  # IPv4-mapped
        ("2002:7f00:1::", False),  # 6to4 wrapping 127.0.0.1
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 wrapping 169.254.169.254
        ("2001:0:4136:e378:8000:63bf:3fff:fdd2", False),  # Teredo
    ],
)
def test_which_addresses_count_as_public(address: str, public: bool) -> None:
    from rasd.crawler import is_public_ip

    assert is_public_ip(address) is public


def test_a_host_is_looked_up_once_a_minute_and_refused_every_time(monkeypatch: pytest.MonkeyPatch) -> None:
    """The guard refuses every request to a host that resolves to a private address, but asks the resolver
    once for all of them (issue 16: a lookup per request was a thread hop and a getaddrinfo each); a
    minute later it asks again."""
    import asyncio

    from scrapy.exceptions import IgnoreRequest
    from scrapy.http import Request

    from rasd.crawler import guard

    lookups: list[str] = []
    real = guard.resolve

    def counted(host: str) -> list[str]:
        lookups.append(host)
        return real(host)

    monkeypatch.setattr(guard, "resolve", counted)
    middleware = guard.PrivateNetworkGuard(guard.NetworkPolicy.of(False, ()))

    async def refusals(paths: list[str]) -> list[str]:
        reasons = []
        for path in paths:
            with pytest.raises(IgnoreRequest) as refused:
                await middleware.process_request(Request(f"http://localhost:8/{path}"))
            reasons.append(str(refused.value))
        return reasons

    reasons = asyncio.run(refusals(["a", "b", "c"]))
    assert len(set(reasons)) == 1 and "localhost resolves to non-public address" in reasons[0]
    assert lookups == ["localhost"]
    middleware.looked_up = {host: (when - 61, found) for host, (when, found) in middleware.looked_up.items()}
    asyncio.run(refusals(["d"]))
    assert lookups == ["localhost", "localhost"]
