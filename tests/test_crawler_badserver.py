"""Servers that misbehave in time and in where they send the crawler, each in a cycle with a healthy
source that must be stored whole: a server that accepts and never answers (recorded, retried and stored
the next cycle), one that trickles a byte every half second (cut by the download timeout), an article
redirected within its site (followed) or to another site (refused and recorded), and a redirect to a 404.

Real servers on 127.0.0.x; `[crawler] download_timeout = 1` keeps each cycle short."""

from __future__ import annotations

import gzip
import sqlite3
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest

from tests.conftest import run_rasd, write_config

TEXT = "نظمت تعاونية نسائية بإقليم تيزنيت معرضا لمنتوجات الأركان بدعم من المبادرة الوطنية للتنمية البشرية. " * 6
RSS = {"Content-Type": "application/rss+xml"}
TIMEOUT = 1.0
TRICKLE_SECONDS = 120  # how long the trickling server would go on if nobody cut it


def page(title: str) -> bytes:
    return (
        f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        f"<p>{title}. {TEXT}</p></article></body></html>"
    ).encode()


def rss(host: str, paths: list[str]) -> bytes:
    items = "".join(f"<item><title>{p}</title><link>{host}{p}</link></item>" for p in paths)
    return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()


class Web(BaseHTTPRequestHandler):
    """Routes per path; `silent` hosts accept and never answer while the flag is set."""

    routes: ClassVar[dict[str, tuple[int, dict[str, str], bytes]]] = {}
    hits: ClassVar[dict[str, int]] = {}
    silent: ClassVar[set[str]] = set()  # "host:port" that hang
    robots: ClassVar[dict[str, bytes]] = {}  # "host:port" → its robots.txt (default: allow all)
    streamed: ClassVar[dict[str, int]] = {}  # "host:port/path" → bytes of HTML streamed without a length
    sent: ClassVar[dict[str, int]] = {}  # what the streamed routes managed to send before the hang-up
    release: ClassVar[threading.Event] = threading.Event()
    failing: ClassVar[dict[str, int]] = {}  # "host:port/path" → how many more times it answers 500

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        key = f"{self.headers['Host']}{self.path}"
        self.hits[key] = self.hits.get(key, 0) + 1
        if self.headers["Host"] in self.silent:
            self.release.wait(60)  # accepted, never answered
            return
        if self.path == "/trickle-story-from-souss":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(10 * TRICKLE_SECONDS))
            self.end_headers()
            try:
                for _ in range(2 * TRICKLE_SECONDS):
                    if self.release.wait(0.5):
                        return
                    self.wfile.write(b" ")
                    self.wfile.flush()
            except OSError:  # the crawler hung up: what we want
                return
        if key in self.streamed:
            self._stream(key, self.streamed[key])
            return
        headers: dict[str, str] = {}
        if self.path == "/robots.txt":
            status, body = 200, self.robots.get(self.headers["Host"], b"User-agent: *\nAllow: /\n")
        else:
            status, headers, body = self.routes.get(key, (404, {}, b"not found"))
        if self.failing.get(key, 0) > 0:
            self.failing[key] -= 1
            status, headers, body = 500, {}, b"server error"
        if "ETag" in headers and self.headers["If-None-Match"] == headers["ETag"]:
            self.send_response(304)
            self.send_header("ETag", headers["ETag"])
            self.end_headers()
            return
        self.send_response(status)
        for name, value in {"Content-Type": "text/html; charset=utf-8", **headers}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _stream(self, key: str, size: int) -> None:
        """HTML generated on the fly (never held whole), without Content-Length, until `size` or hang-up."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Connection", "close")
        self.end_headers()
        chunk = ("<p>" + "تعاونية " * 4000 + "</p>\n").encode()
        self.sent[key] = 0
        try:
            self.wfile.write(b"<html><body>")
            while self.sent[key] < size:
                self.wfile.write(chunk)
                self.sent[key] += len(chunk)
        except OSError:  # the crawler hung up at its cap
            return


@pytest.fixture
def web() -> Iterator[list[str]]:
    """Five hosts on one port each: 127.0.0.21 (healthy), .22 (silent), .23 (trickle), .24 (redirects), .25
    (another site). Yields their base URLs."""
    Web.routes, Web.hits, Web.silent, Web.robots, Web.streamed, Web.sent = {}, {}, set(), {}, {}, {}
    Web.failing = {}
    Web.release = threading.Event()
    servers = [ThreadingHTTPServer((f"127.0.0.{21 + n}", 0), Web) for n in range(5)]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    bases = [f"http://{server.server_address[0]!s}:{server.server_address[1]}" for server in servers]
    healthy = bases[0]
    paths = ["/healthy-story-one-here", "/healthy-story-two-here"]
    Web.routes[healthy.removeprefix("http://") + "/feed/"] = (200, RSS, rss(healthy, paths))
    for n, path in enumerate(paths):
        Web.routes[healthy.removeprefix("http://") + path] = (200, {}, page(f"قصة سليمة رقم {n}"))
    yield bases
    Web.release.set()
    for server in servers:
        server.shutdown()
        server.server_close()


def source(name: str, base: str) -> str:
    return f'[[sources]]\nname = "{name}"\nurl = "{base}/"\nfeeds = ["{base}/feed/"]\n'


def config_for(tmp_path: Path, sources: str) -> Path:
    config = write_config(tmp_path, sources)
    config.write_text(config.read_text().replace("download_timeout = 5", f"download_timeout = {TIMEOUT}"))
    return config


def rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


def stored_paths(db: Path) -> set[str]:
    return {url.split("/", 3)[3] for (url,) in rows(db, "SELECT url FROM articles")}


HEALTHY = {"healthy-story-one-here", "healthy-story-two-here"}


def test_a_server_that_never_answers_is_recorded_and_retried_next_cycle(web: list[str], tmp_path: Path) -> None:
    healthy, silent = web[0], web[1]
    host = silent.removeprefix("http://")
    Web.silent.add(host)
    Web.routes[host + "/feed/"] = (200, RSS, rss(silent, ["/late-story-here-now"]))
    Web.routes[host + "/late-story-here-now"] = (200, {}, page("قصة متأخرة"))
    config = config_for(tmp_path, source("Healthy", healthy) + source("Silent", silent))
    db = tmp_path / "rasd.db"

    first = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert stored_paths(db) == HEALTHY
    errors = rows(db, f"SELECT outcome, error FROM fetches WHERE url LIKE '{silent}%' AND kind != 'robots'")
    # given up for the cycle once it let two requests go unanswered (crawler/budget.py)
    assert errors and all(outcome == "error" and error.startswith("not answering") for outcome, error in errors)
    assert "Silent: " in first.stderr and "not answering" in first.stderr

    Web.silent.clear()
    second = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert stored_paths(db) == HEALTHY | {"late-story-here-now"}


def test_a_trickling_server_is_cut_by_the_download_timeout(web: list[str], tmp_path: Path) -> None:
    healthy, slow = web[0], web[2]
    host = slow.removeprefix("http://")
    paths = ["/trickle-story-from-souss", "/quick-story-from-souss"]
    Web.routes[host + "/feed/"] = (200, RSS, rss(slow, paths))
    Web.routes[host + "/quick-story-from-souss"] = (200, {}, page("قصة سريعة"))
    config = config_for(tmp_path, source("Healthy", healthy) + source("Slow", slow))
    db = tmp_path / "rasd.db"

    started = time.monotonic()
    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path, timeout=TRICKLE_SECONDS)
    took = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert took < TRICKLE_SECONDS / 2, f"the cycle waited for the trickle ({took:.0f} s)"
    assert stored_paths(db) == HEALTHY | {"quick-story-from-souss"}
    ((outcome, error),) = set(rows(db, "SELECT outcome, error FROM fetches WHERE url LIKE '%/trickle-story%'"))
    assert (
        outcome == "error"
        and error == f"timed out: no complete answer within {TIMEOUT:g} s ([crawler] download_timeout)"
    ), error


def test_redirects_are_followed_within_the_site_only(web: list[str], tmp_path: Path) -> None:
    """Policy: an article may redirect within its site (followed, stored under where it landed, and not
    fetched again); a redirect to another site is refused and recorded, never stored under this source;
    a redirect that ends in a 404 is recorded with the URL it started from."""
    healthy, redirecting, other = web[0], web[3], web[4]
    host, other_host = redirecting.removeprefix("http://"), other.removeprefix("http://")
    announced = ["/moved-story-old-address", "/away-story-to-other-site", "/gone-story-old-address"]
    Web.routes[host + "/feed/"] = (200, RSS, rss(redirecting, announced))
    Web.routes[host + "/moved-story-old-address"] = (301, {"Location": "/2026/11/22/moved-story-new-home"}, b"")
    Web.routes[host + "/2026/11/22/moved-story-new-home"] = (200, {}, page("قصة انتقلت"))
    Web.routes[host + "/away-story-to-other-site"] = (302, {"Location": f"{other}/casino-page-here"}, b"")
    Web.routes[other_host + "/casino-page-here"] = (200, {}, page("صفحة موقع آخر"))
    Web.routes[host + "/gone-story-old-address"] = (302, {"Location": "/nowhere-now"}, b"")
    config = config_for(tmp_path, source("Healthy", healthy) + source("Redirects", redirecting))
    db = tmp_path / "rasd.db"

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert stored_paths(db) == HEALTHY | {"2026/11/22/moved-story-new-home"}
    assert Web.hits.get(other_host + "/casino-page-here", 0) == 0, "the off-site page was fetched"
    ((outcome, error),) = rows(db, "SELECT outcome, error FROM fetches WHERE url LIKE '%casino-page%'")
    assert outcome == "blocked" and error.startswith("off-site redirect: ") and "away-story" in error, error
    ((status, error),) = rows(db, "SELECT status, error FROM fetches WHERE url LIKE '%/nowhere-now'")
    assert status == 404 and error == f"HTTP 404 (redirected from {redirecting}/gone-story-old-address)", error

    again = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert Web.hits[host + "/moved-story-old-address"] == 1, "a stored article was fetched again under its old URL"
    assert Web.hits[host + "/gone-story-old-address"] == 2, "what failed is retried"


def test_robots_txt_holds_for_every_feed_of_a_source_requested_at_once(web: list[str], tmp_path: Path) -> None:
    """Four feeds of one site start together; robots.txt closes two of them and one article. Scrapy 2.19's
    own middleware let every request after the first through unchecked (crawler/robots.py)."""
    site = web[3]
    host = site.removeprefix("http://")
    Web.robots[host] = b"User-agent: *\nDisallow: /private/\nDisallow: /closed-story-here-now\n"
    feeds = ["/feed/", "/category/jihat/feed/", "/private/feed/", "/private/members/feed/"]
    for n, feed in enumerate(feeds):
        Web.routes[host + feed] = (200, RSS, rss(site, [f"/open-story-number-{n}", "/closed-story-here-now"]))
    for n in range(len(feeds)):
        Web.routes[host + f"/open-story-number-{n}"] = (200, {}, page(f"قصة مفتوحة {n}"))
    Web.routes[host + "/closed-story-here-now"] = (200, {}, page("قصة مغلقة"))
    listed = ", ".join(f'"{site}{feed}"' for feed in feeds)
    config = config_for(tmp_path, f'[[sources]]\nname = "Robots"\nurl = "{site}/"\nfeeds = [{listed}]\n')
    db = tmp_path / "rasd.db"

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    fetched = {path for key, n in Web.hits.items() if n and (path := key.removeprefix(host)) != key}
    assert not fetched & {"/private/feed/", "/private/members/feed/", "/closed-story-here-now"}, fetched
    assert stored_paths(db) == {"open-story-number-0", "open-story-number-1"}
    blocked = {url.removeprefix(site) for (url,) in rows(db, "SELECT url FROM fetches WHERE outcome = 'blocked'")}
    assert blocked >= {"/private/feed/", "/private/members/feed/"}, blocked


def test_a_50_mb_page_is_cut_at_the_cap_and_odd_encodings_keep_their_arabic(web: list[str], tmp_path: Path) -> None:
    """A page streamed without Content-Length that would go on for 50 MB is cut at `max_response_bytes`
    (the server sees the crawler hang up long before the end); ISO-8859-6 declared only in the page's
    `<meta>`, and windows-1256 under a header that claims UTF-8, are stored with their Arabic intact."""
    healthy, site = web[0], web[4]
    host = site.removeprefix("http://")
    paths = ["/huge-story-fifty-megabytes", "/iso-story-meta-charset", "/cp1256-story-lying-header"]
    Web.routes[host + "/feed/"] = (200, RSS, rss(site, paths))
    title_iso, title_1256 = "تعاونية للنسيج بالعيون", "تعاونية فلاحية بتارودانت"
    meta = b'<head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-6">'
    iso = page(title_iso).replace(b"<head>", meta).decode().encode("iso8859_6")
    Web.routes[host + paths[1]] = (200, {"Content-Type": "text/html"}, iso)
    lying = {"Content-Type": "text/html; charset=utf-8"}
    Web.routes[host + paths[2]] = (200, lying, page(title_1256).decode().encode("cp1256"))
    Web.streamed[host + paths[0]] = 50_000_000
    config = config_for(tmp_path, source("Healthy", healthy) + source("Odd", site))
    db = tmp_path / "rasd.db"

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert stored_paths(db) == HEALTHY | {paths[1].lstrip("/"), paths[2].lstrip("/")}
    texts = {url.removeprefix(site): text for url, text in rows(db, "SELECT url, text FROM articles")}
    for path, title in ((paths[1], title_iso), (paths[2], title_1256)):
        assert texts[path].startswith(title) and "المبادرة الوطنية للتنمية البشرية" in texts[path], texts[path][:80]
    ((outcome, error),) = rows(db, "SELECT outcome, error FROM fetches WHERE url LIKE '%/huge-story%'")
    assert outcome == "error" and error == "cut off: larger than download max size", error  # Scrapy says no more
    assert Web.sent[host + paths[0]] < 20_000_000, "the crawler read far more than its cap"


def test_a_feed_is_read_whole_again_while_an_article_it_announced_may_still_come(
    web: list[str], tmp_path: Path
) -> None:
    """A feed keeps its ETag only when the cycle fetched every article it announced, or met failures that
    would recur (a 404): after a 500 the next cycle reads the feed whole (not a 304) and stores the
    article; after that, a dead link alone does not cost the feed its 304, nor a request every cycle."""
    base = web[0]
    host = base.removeprefix("http://")
    paths = ["/healthy-story-one-here", "/dead-link-story-here", "/flaky-story-from-tiznit"]
    Web.routes[host + "/feed/"] = (200, {**RSS, "ETag": '"edition-1"'}, rss(base, paths))
    Web.routes[host + "/flaky-story-from-tiznit"] = (200, {}, page("قصة تعثر خادمها مرة"))
    Web.failing[host + "/flaky-story-from-tiznit"] = 2  # the request and the crawl's one retry
    config = config_for(tmp_path, source("Healthy", base))
    db = tmp_path / "rasd.db"
    for _ in range(3):
        assert run_rasd("--config", str(config), "crawl", cwd=tmp_path).returncode == 0
    assert stored_paths(db) == {"healthy-story-one-here", "flaky-story-from-tiznit"}
    feed_answers = [status for (status,) in rows(db, "SELECT status FROM fetches WHERE kind = 'feed' ORDER BY id")]
    assert feed_answers == [200, 200, 304], "read whole after the 500, then not modified"
    assert Web.hits[host + "/dead-link-story-here"] == 2, "the dead link is not asked for once the feed is 304"


def test_a_sitemap_index_is_read_again_when_one_of_its_sitemaps_failed(web: list[str], tmp_path: Path) -> None:
    """The index's own ETag would hide a child sitemap that answered 500: the next cycle would get a 304 for
    the index and never ask for the child again."""
    base = web[4]
    host = base.removeprefix("http://")
    xml = {"Content-Type": "application/xml"}
    namespace = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    index = f"<sitemapindex {namespace}><sitemap><loc>{base}/post-sitemap.xml</loc></sitemap></sitemapindex>"
    child = f"<urlset {namespace}><url><loc>{base}/2025/11/20/story-from-a-child-sitemap/</loc></url></urlset>"
    Web.routes[host + "/sitemap_index.xml"] = (200, {**xml, "ETag": '"index-1"'}, index.encode())
    Web.routes[host + "/post-sitemap.xml"] = (200, {**xml, "ETag": '"posts-1"'}, child.encode())
    Web.routes[host + "/2025/11/20/story-from-a-child-sitemap/"] = (200, {}, page("قصة من خريطة فرعية"))
    Web.failing[host + "/post-sitemap.xml"] = 2  # the request and the crawl's one retry
    config = config_for(
        tmp_path, f'[[sources]]\nname = "Mapped"\nurl = "{base}/"\nsitemaps = ["{base}/sitemap_index.xml"]\n'
    )
    db = tmp_path / "rasd.db"
    for _ in range(3):
        assert run_rasd("--config", str(config), "crawl", cwd=tmp_path).returncode == 0
    assert stored_paths(db) == {"2025/11/20/story-from-a-child-sitemap/"}
    index_answers = [s for (s,) in rows(db, "SELECT status FROM fetches WHERE url LIKE '%sitemap_index%' ORDER BY id")]
    assert index_answers == [200, 200, 304]


def test_a_gzip_sitemap_served_as_plain_text_is_unpacked_and_a_gzip_bomb_refused(
    web: list[str], tmp_path: Path
) -> None:
    """A sitemap stored as .xml.gz and served as it is (text/plain, no Content-Encoding) is read, as Scrapy's
    SitemapSpider reads one; one that unpacks past the protocol's 50 MB is one line, not a memory blow-up."""
    base = web[4]
    host = base.removeprefix("http://")
    namespace = 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"'
    urlset = f"<urlset {namespace}><url><loc>{base}/2025/11/21/story-from-a-gzip-sitemap/</loc></url></urlset>"
    Web.routes[host + "/sitemap.xml.gz"] = (200, {"Content-Type": "text/plain"}, gzip.compress(urlset.encode()))
    Web.routes[host + "/2025/11/21/story-from-a-gzip-sitemap/"] = (200, {}, page("قصة من خريطة مضغوطة"))
    bomb = gzip.compress(b"<urlset>" + b" " * (51 * 1024 * 1024), compresslevel=9)
    Web.routes[host + "/bomb.xml.gz"] = (200, {"Content-Type": "application/x-gzip"}, bomb)
    config = config_for(
        tmp_path,
        f'[[sources]]\nname = "Packed"\nurl = "{base}/"\nsitemaps = ["{base}/sitemap.xml.gz", "{base}/bomb.xml.gz"]\n',
    )
    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert stored_paths(tmp_path / "rasd.db") == {"2025/11/21/story-from-a-gzip-sitemap/"}
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: Packed")]
    assert len(warnings) == 1 and "a gzip-compressed sitemap that does not unpack" in warnings[0], result.stderr


def test_a_feed_address_that_answers_a_web_page_is_said_and_the_site_is_walked_instead(
    web: list[str], tmp_path: Path
) -> None:
    """A feed moved or mistyped answers the site's page (well-formed XHTML, so it parsed as XML with no
    items): the crawl said nothing and stored nothing, every run. Now one warning line names it, and the
    homepage's article links are followed, as for a feed that fails."""
    base = web[4]
    host = base.removeprefix("http://")
    story = "/2025/11/22/story-behind-a-wrong-feed-address/"
    xhtml = (
        '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><head><title>Accueil</title></head>'
        f'<body><ul><li><a href="{base}{story}">قصة</a></li></ul></body></html>'
    ).encode()
    Web.routes[host + "/feed/"] = (200, {"Content-Type": "text/html; charset=utf-8"}, xhtml)
    Web.routes[host + "/"] = (200, {}, xhtml)
    Web.routes[host + story] = (200, {}, page("قصة وراء عنوان خلاصة خاطئ"))
    config = config_for(tmp_path, source("Moved", base))
    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: Moved")]
    assert len(warnings) == 1 and "not a feed: it answered <html>" in warnings[0], result.stderr
    assert stored_paths(tmp_path / "rasd.db") == {story.lstrip("/")}


def test_robots_txt_answering_a_server_error_closes_the_site_until_it_answers(web: list[str], tmp_path: Path) -> None:
    """RFC 9309 §2.3.1.4: a robots.txt that answers 5xx means complete disallow, not "allow all". Nothing of
    the site is asked for that cycle, one line says why, and the next cycle — robots.txt answering again —
    stores its articles (nothing lost: the feed was not read, so it is read whole)."""
    healthy, site = web[0], web[3]
    host = site.removeprefix("http://")
    Web.routes[host + "/feed/"] = (200, {**RSS, "ETag": '"v1"'}, rss(site, ["/story-behind-robots-here"]))
    Web.routes[host + "/story-behind-robots-here"] = (200, {}, page("قصة وراء روبوتس"))
    Web.failing[host + "/robots.txt"] = 2  # Scrapy asks twice (one retry)
    config = config_for(tmp_path, source("Healthy", healthy) + source("Closed", site))
    db = tmp_path / "rasd.db"

    first = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert stored_paths(db) == HEALTHY
    assert not {key for key in Web.hits if key.startswith(host) and not key.endswith("/robots.txt")}, Web.hits
    said = [line for line in first.stderr.splitlines() if "Closed" in line]
    assert len(said) == 1 and "robots.txt" in said[0] and "HTTP 500" in said[0], first.stderr
    assert "Traceback" not in first.stderr

    second = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert stored_paths(db) == HEALTHY | {"story-behind-robots-here"}


def test_a_refused_robots_txt_connection_is_one_line_in_the_daemons_log(web: list[str], tmp_path: Path) -> None:
    """Scrapy logs a robots.txt it could not download with its traceback; the daemon's log gets one line."""
    import socket

    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{probe.getsockname()[1]}"
    config = config_for(tmp_path, source("Healthy", web[0]) + source("Refusing", closed))

    result = run_rasd("--config", str(config), "--log-json", "crawl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    robots = [line for line in result.stderr.splitlines() if "robots.txt" in line]
    assert len(robots) == 1 and "refused" in robots[0].lower(), result.stderr
