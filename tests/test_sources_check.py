"""`rasd sources check` against a small web of real servers on 127.0.0.31+, one host per site:

- Wordpress: advertises its RSS with `<link rel="alternate">` (and a comments feed, not a news feed),
  names a sitemap in robots.txt;
- Guessed feed: advertises nothing, but `/feed/` is a feed;
- Sitemap only: `/feed/` answers 200 with the homepage again (not a feed), robots.txt names a sitemap
  index whose newest child (the last page) lists the articles;
- Broken feed: its configured feed answers 404, its homepage advertises a working one;
- Refused and Silent: nothing listens / accepts and never answers;
- Foreign feed and Same site: a configured feed on another host, and two sources on one site, one of them
  configured with a feed its robots.txt disallows (refused, and said so);
- Moved: the homepage redirects to another site.

Plus: a feed advertised on a private address refused by the crawl's network guard, exit 1 when no source
answers, and config errors (duplicate name, bad region, unknown --source) as one line with exit 2.

Each check runs the real command in a subprocess (the reactor cannot be restarted in the test process).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.bidi import MARKS
from tests.conftest import REPO, run_rasd, write_config

TIMEOUT = 10  # [crawler] download_timeout: the silent site costs a few; the others answer within it under load
HTML = {"Content-Type": "text/html; charset=utf-8"}


@dataclass
class Site:
    """One host: its routes (path → status, headers, body) and whether it hangs."""

    routes: dict[str, tuple[int, dict[str, str], bytes]] = field(default_factory=dict)
    silent: bool = False


class SiteServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, site: Site, release: threading.Event) -> None:
        super().__init__((host, 0), Handler)
        self.site, self.release = site, release

    @property
    def base(self) -> str:
        return f"http://{self.server_address[0]!s}:{self.server_address[1]}"


class Handler(BaseHTTPRequestHandler):
    server: SiteServer

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.server.site.silent:
            self.server.release.wait(60)  # accepted, never answered
            return
        status, headers, body = self.server.site.routes.get(self.path, (404, HTML, b"<html>not found</html>"))
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def homepage(*head: str) -> tuple[int, dict[str, str], bytes]:
    links = "".join(head)
    body = f"<html><head><title>Accueil</title>{links}</head><body><h1>Actualités</h1></body></html>"
    return 200, HTML, body.encode()


def advert(href: str, kind: str = "application/rss+xml") -> str:
    return f'<link rel="alternate" type="{kind}" title="Flux" href="{href}">'


def rss(base: str, count: int) -> tuple[int, dict[str, str], bytes]:
    items = "".join(
        f"<item><title>Story {n}</title><link>{base}/2026/11/story-{n}/</link></item>" for n in range(count)
    )
    body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>Site</title>{items}</channel></rss>'
    return 200, {"Content-Type": "application/rss+xml"}, body.encode()


def urlset(base: str, count: int) -> tuple[int, dict[str, str], bytes]:
    urls = "".join(f"<url><loc>{base}/2026/11/story-{n}/</loc></url>" for n in range(count))
    body = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
    return 200, {"Content-Type": "application/xml"}, body.encode()


def sitemap_index(children: list[str]) -> tuple[int, dict[str, str], bytes]:
    entries = "".join(f"<sitemap><loc>{child}</loc></sitemap>" for child in children)
    body = f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'
    return 200, {"Content-Type": "application/xml"}, body.encode()


def robots(*sitemaps: str, disallow: str = "") -> tuple[int, dict[str, str], bytes]:
    lines = f"User-agent: *\nDisallow: {disallow}\n" + "".join(f"Sitemap: {url}\n" for url in sitemaps)
    return 200, {"Content-Type": "text/plain"}, lines.encode()


@dataclass
class Web:
    bases: dict[str, str]  # site name → http://127.0.0.N:PORT
    config: Path
    tmp: Path


def serve(sites: dict[str, Site], release: threading.Event) -> list[SiteServer]:
    servers = [SiteServer(f"127.0.0.{31 + n}", site, release) for n, site in enumerate(sites.values())]
    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    return servers


def refused_base() -> str:
    """An address where nothing listens: a port bound, then closed."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.39", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.39:{port}"


def source(name: str, url: str, *feeds: str) -> str:
    listed = ", ".join(f'"{feed}"' for feed in feeds)
    return f'[[sources]]\nname = "{name}"\nurl = "{url}"\n' + (f"feeds = [{listed}]\n" if feeds else "") + "\n"


SITES = ["Wordpress", "Guessed feed", "Sitemap only", "Broken feed", "Silent", "Foreign feed", "Moved", "Core sitemap"]


@pytest.fixture(scope="module")
def web(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Web]:
    sites = {name: Site() for name in SITES}
    release = threading.Event()
    servers = serve(sites, release)
    bases = {name: server.base for name, server in zip(SITES, servers, strict=True)}
    bases["Refused"] = refused_base()
    wp, guessed, sitemap, broken, foreign, moved, core = (bases[n] for n in SITES if n != "Silent")
    sites["Wordpress"].routes.update(
        {
            "/": homepage(advert("/feed/"), advert(f"{wp}/comments/feed/"), advert("/wp-json/", "application/json")),
            "/feed/": rss(wp, 3),
            "/robots.txt": robots(f"{wp}/wp-sitemap.xml"),
            "/wp-sitemap.xml": urlset(wp, 2),
        }
    )
    sites["Guessed feed"].routes.update({"/": homepage(), "/feed/": rss(guessed, 2)})
    sites["Sitemap only"].routes.update(
        {
            "/": homepage(),
            "/feed/": homepage(),
            "/robots.txt": robots(f"{sitemap}/sitemap_index.xml"),
            "/sitemap_index.xml": sitemap_index([f"{sitemap}/post-sitemap{n}.xml" for n in (1, 2, 3)]),
            "/post-sitemap3.xml": urlset(sitemap, 4),  # the newest of three pages (Yoast: the last)
        }
    )
    sites["Broken feed"].routes.update(
        {"/": homepage(advert(f"{broken}/feed/atom/", "application/atom+xml")), "/feed/atom/": rss(broken, 5)}
    )
    sites["Silent"].silent = True
    sites["Foreign feed"].routes.update(
        {
            "/": homepage(),
            "/region/": homepage(),
            "/feed/": rss(foreign, 1),
            "/private-feed/": rss(foreign, 1),
            "/robots.txt": robots(disallow="/private-feed/"),
            "/elsewhere/": homepage(advert(f"{wp}/feed/")),  # for the network-policy test
        }
    )
    sites["Moved"].routes.update(
        {"/": (301, {"Location": f"{wp}/"}, b""), "/for-now/": (302, {"Location": f"{wp}/"}, b"")}
    )
    # WordPress's own sitemap, named nowhere: robots.txt without a Sitemap line, no feed
    sites["Core sitemap"].routes.update(
        {
            "/": homepage(),
            "/robots.txt": robots(),
            "/wp-sitemap.xml": sitemap_index([f"{core}/wp-sitemap-posts-post-1.xml"]),
            "/wp-sitemap-posts-post-1.xml": urlset(core, 6),
        }
    )

    tmp = tmp_path_factory.mktemp("sources-check")
    config = write_config(
        tmp,
        source("Wordpress", f"{wp}/")
        + source("Guessed feed", f"{guessed}/")
        + source("Sitemap only", f"{sitemap}/")
        + source("Broken feed", f"{broken}/", f"{broken}/rss.xml")
        + source("Refused", f"{bases['Refused']}/")
        + source("Silent", f"{bases['Silent']}/", f"{bases['Silent']}/feed/")
        + source("Foreign feed", f"{foreign}/", f"{wp}/feed/")
        + source("Same site", f"{foreign}/region/", f"{foreign}/private-feed/")
        + source("Moved", f"{moved}/")
        + source("Core sitemap", f"{core}/"),
    )
    config.write_text(config.read_text().replace("download_timeout = 5", f"download_timeout = {TIMEOUT}"))
    assert "allow_private_networks = true" in config.read_text()
    yield Web(bases, config, tmp)
    release.set()
    for server in servers:
        server.shutdown()
        server.server_close()


def parse_report(text: str) -> tuple[dict[str, tuple[str, str]], str]:
    """{name: (status, details)} from the per-source lines, and the summary line."""
    lines = text.strip().splitlines()
    rows = {}
    for line in lines[:-1]:
        name, status, *details = re.split(r"\s{2,}", line, maxsplit=2)
        rows[name] = (status, details[0] if details else "")
    return rows, lines[-1]


@pytest.fixture(scope="module")
def report(web: Web) -> tuple[dict[str, tuple[str, str]], str]:
    result = run_rasd("--config", str(web.config), "sources", "check", cwd=web.tmp, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    print(result.stdout)  # shown by pytest -s, or with a failure
    return parse_report(result.stdout)


def test_every_source_gets_one_line_in_config_order_and_a_summary(report, web: Web) -> None:
    rows, summary = report
    assert [(name, status) for name, (status, _) in rows.items()] == [
        ("Wordpress", "ok"),
        ("Guessed feed", "ok"),
        ("Sitemap only", "ok"),
        ("Broken feed", "warn"),
        ("Refused", "FAIL"),
        ("Silent", "FAIL"),
        ("Foreign feed", "warn"),
        ("Same site", "warn"),
        ("Moved", "warn"),
        ("Core sitemap", "ok"),
    ]
    assert re.fullmatch(r"checked 10 sources in [\d.]+s: 4 ok, 4 with findings, 2 unreachable", summary), summary


def test_advertised_feed_and_robots_sitemap_are_checked(report, web: Web) -> None:
    wp = web.bases["Wordpress"]
    assert report[0]["Wordpress"][1] == (
        f"feed {wp}/feed/ (3 items, advertised) · sitemap {wp}/wp-sitemap.xml (2 URLs, robots.txt)"
    )


def test_a_sitemap_robots_txt_does_not_name_is_found_where_wordpress_puts_it(report, web: Web) -> None:
    core = web.bases["Core sitemap"]
    assert report[0]["Core sitemap"] == (
        "ok",
        f"sitemap {core}/wp-sitemap.xml (1 child sitemap, the newest with 6 URLs, guessed) · "
        "no feed advertised, none at /feed/ (HTTP 404)",
    )


def test_feed_is_guessed_at_slash_feed_only_when_it_parses(report, web: Web) -> None:
    rows = report[0]
    assert rows["Guessed feed"][1] == f"feed {web.bases['Guessed feed']}/feed/ (2 items, guessed)"
    sitemap = web.bases["Sitemap only"]
    details = rows["Sitemap only"][1]
    assert details.startswith(
        f"sitemap {sitemap}/sitemap_index.xml (3 child sitemaps, the newest with 4 URLs, robots.txt) · "
        "no feed advertised, none at /feed/ ("
    ), details
    assert f"feed {sitemap}/feed/ (" not in details


def test_a_configured_feed_that_404s_is_reported_with_what_works(report, web: Web) -> None:
    broken = web.bases["Broken feed"]
    assert report[0]["Broken feed"][1] == (
        f"feed {broken}/rss.xml (configured): HTTP 404 · feed {broken}/feed/atom/ (5 items, advertised)"
    )


def test_unreachable_sites_say_why(report) -> None:
    rows = report[0]
    assert rows["Refused"][1].startswith("homepage: connection refused"), rows["Refused"]
    silent = rows["Silent"][1]
    assert silent.startswith("homepage: timed out") and "(configured): timed out" in silent, silent


def test_findings_about_the_list_itself(report, web: Web) -> None:
    rows = report[0]
    foreign, wp = web.bases["Foreign feed"], web.bases["Wordpress"]
    host = foreign.removeprefix("http://").split(":")[0]
    assert rows["Foreign feed"][1].startswith(
        f"config: same site as source 'Same site' ({host}) · "
        f"config: feed {wp}/feed/ is on another host than the homepage ({host}) · "
        f"feed {wp}/feed/ (3 items, configured)"
    ), rows["Foreign feed"][1]
    assert rows["Same site"][1] == (
        f"config: same site as source 'Foreign feed' ({host}) · "
        # fetched anyway under Scrapy 2.19's own robots.txt middleware (crawler/robots.py)
        f"feed {foreign}/private-feed/ (configured): Forbidden by robots.txt · "
        f"feed {foreign}/feed/ (1 item, guessed)"
    )


def test_a_homepage_that_moved_to_another_site_is_reported(report, web: Web) -> None:
    """Moved for good (301): the address to write in the config, which the reader had to work out."""
    wp = web.bases["Wordpress"]
    assert report[0]["Moved"][1] == (
        f'homepage moved for good to {wp}/: write url = "{wp}/" in its entry · feed {wp}/feed/ (3 items, advertised)'
    )


def test_a_homepage_redirected_for_now_or_for_good_is_said_in_the_readers_language(web: Web, tmp_path: Path) -> None:
    """A temporary redirect (302) is where the homepage goes today, not an address to write; the moved one's
    line in French and Arabic names the setting as it is written."""
    moved, wp = web.bases["Moved"], web.bases["Wordpress"]
    config = write_config(tmp_path, source("Moved", f"{moved}/") + source("For now", f"{moved}/for-now/"))
    config.write_text(config.read_text().replace("download_timeout = 5", f"download_timeout = {TIMEOUT}"))
    french = run_rasd("--config", str(config), "sources", "check", cwd=tmp_path, timeout=120, env={"RASD_LANG": "fr"})
    assert french.returncode == 0, french.stdout + french.stderr
    rows, _ = parse_report(french.stdout)
    assert (
        f'la page d’accueil redirige définitivement vers {wp}/ : écrivez url = "{wp}/" dans son entrée · '
        in rows["Moved"][1]
    ), rows["Moved"]
    assert f"la page d’accueil redirige vers {wp}/ · " in rows["For now"][1], rows["For now"]
    assert "écrivez" not in rows["For now"][1]
    arabic = run_rasd("--config", str(config), "sources", "check", cwd=tmp_path, timeout=120, env={"RASD_LANG": "ar"})
    line = next(line for line in arabic.stdout.translate(MARKS).splitlines() if "Moved" in line)
    assert f'الصفحة الرئيسية انتقلت نهائيًا إلى {wp}/: اكتب url = "{wp}/" في مدخل هذا المصدر' in line, line


def test_discovery_follows_the_crawl_network_policy(web: Web, tmp_path: Path) -> None:
    """With private networks refused and only the site's own host allowed, a feed it advertises on
    another private address is refused by the crawl's guard, and said so."""
    foreign, wp = web.bases["Foreign feed"], web.bases["Wordpress"]
    host = foreign.removeprefix("http://").split(":")[0]
    config = write_config(tmp_path, source("Elsewhere", f"{foreign}/elsewhere/"))
    text = config.read_text().replace(
        "allow_private_networks = true", f'allow_private_networks = false\nallow_hosts = ["{host}"]'
    )
    config.write_text(text)
    result = run_rasd("--config", str(config), "sources", "check", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    rows, _ = parse_report(result.stdout)
    wp_host = wp.removeprefix("http://").split(":")[0]
    assert rows["Elsewhere"] == (
        "warn",
        f"feed {wp}/feed/ (advertised): blocked: {wp_host} resolves to non-public address {wp_host} "
        "(set [crawler] allow_private_networks or allow_hosts to crawl it) · "
        # its homepage links to nothing, so no listing page can stand in for the refused feed either
        "no working feed or sitemap, and the homepage links to no page the crawl takes for an article or a "
        "section (its addresses carry no date, number or long name): the crawl will store nothing of this site; "
        'write its feed\'s or sitemap\'s address in its entry, feeds = ["…"] or sitemaps = ["…"] · '
        # in the homepage's folder first (a site installed there), then at the root
        "no sitemap in robots.txt, none at /elsewhere/wp-sitemap.xml, /elsewhere/sitemap_index.xml, "
        "/elsewhere/sitemap.xml, /wp-sitemap.xml, /sitemap_index.xml, /sitemap.xml",
    ), rows


def test_a_site_without_feed_whose_links_the_crawl_would_not_follow_is_told_it_will_store_nothing(
    tmp_path: Path,
) -> None:
    """Two sites without feed or sitemap (newcomer13's trial): one whose homepage links its stories by short
    names (`/news/2026/taawuniya-assal.html`: no date, number or long slug — the crawl's listing reading
    takes none for an article), one whose links carry a date. The first was told "the crawl will read
    listing pages" and then stored nothing, cycle after cycle, with nothing said; now the check says so and
    what to write. The second keeps the old line."""
    short = "".join(f'<li><a href="/news/2026/{slug}.html">{slug}</a></li>' for slug in ("taawuniya-assal", "taqs"))
    dated = '<li><a href="/2026/12/04/une-cooperative-de-safran-ouvre-son-atelier/">Safran</a></li>'
    sites = {"Short links": Site(), "Dated links": Site()}
    sites["Short links"].routes["/"] = (200, HTML, f"<html><body><ul>{short}</ul></body></html>".encode())
    sites["Dated links"].routes["/"] = (200, HTML, f"<html><body><ul>{dated}</ul></body></html>".encode())
    release = threading.Event()
    servers = serve(sites, release)
    try:
        config = write_config(
            tmp_path, "".join(source(name, f"{server.base}/") for name, server in zip(sites, servers, strict=True))
        )
        result = run_rasd("--config", str(config), "sources", "check", cwd=tmp_path)
        french = run_rasd(
            "--config",
            str(config),
            "sources",
            "check",
            "--source",
            "Short links",
            cwd=tmp_path,
            env={"RASD_LANG": "fr"},
        )
    finally:
        release.set()
        for server in servers:
            server.shutdown()
            server.server_close()
    assert result.returncode == 0, result.stdout + result.stderr
    rows, _ = parse_report(result.stdout)
    assert rows["Short links"][1].startswith(
        "no working feed or sitemap, and the homepage links to no page the crawl takes for an article or a section"
    ), rows
    assert (
        "the crawl will store nothing of this site; write its feed's or sitemap's address in its entry, feeds = [\"…\"]"
        in rows["Short links"][1]
    )
    assert rows["Dated links"][1].startswith("no working feed or sitemap: the crawl will read listing pages · "), rows
    assert "la collecte n’enregistrera rien de ce site" in french.stdout, french.stdout + french.stderr


def test_toml_lists_only_what_was_found_and_works(web: Web) -> None:
    chosen = ["Wordpress", "Guessed feed", "Sitemap only", "Broken feed", "Refused", "Core sitemap"]
    result = run_rasd(
        "--config", str(web.config), "sources", "check", "--toml", *(f"--source={n}" for n in chosen), cwd=web.tmp
    )
    assert result.returncode == 0, result.stderr
    rows, summary = parse_report(result.stderr)  # the report goes to stderr, so stdout is only TOML
    assert list(rows) == chosen and "6 sources" in summary
    wp, guessed, sitemap, broken = (web.bases[name] for name in chosen[:4])
    core = web.bases["Core sitemap"]
    assert tomllib.loads(result.stdout) == {
        "sources": [
            {"name": "Wordpress", "url": f"{wp}/", "feeds": [f"{wp}/feed/"], "sitemaps": [f"{wp}/wp-sitemap.xml"]},
            {"name": "Guessed feed", "url": f"{guessed}/", "feeds": [f"{guessed}/feed/"]},
            {"name": "Sitemap only", "url": f"{sitemap}/", "sitemaps": [f"{sitemap}/sitemap_index.xml"]},
            # the configured feed that 404s is left out: what is listed answered today
            {"name": "Broken feed", "url": f"{broken}/", "feeds": [f"{broken}/feed/atom/"]},
            {"name": "Core sitemap", "url": f"{core}/", "sitemaps": [f"{core}/wp-sitemap.xml"]},
        ]
    }


def test_exit_1_when_no_source_answers(tmp_path: Path) -> None:
    config = write_config(tmp_path, source("Refused", f"{refused_base()}/"))
    result = run_rasd("--config", str(config), "sources", "check", cwd=tmp_path)
    assert result.returncode == 1
    rows, summary = parse_report(result.stdout)
    assert rows["Refused"][0] == "FAIL" and rows["Refused"][1].startswith("homepage: connection refused"), rows
    assert summary.endswith(": 0 ok, 0 with findings, 1 unreachable"), summary
    assert result.stderr.strip() == "error: no source could be reached"


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        (
            '[[sources]]\nname = "Nowhere"\nurl = "https://x.example/"\nregion = "MA-13"\n',
            "sources[0].region: 'MA-13' is not a region: did you mean MA-03 Fès-Meknès · فاس مكناس | MA-01 "
            "Tanger-Tétouan-Al Hoceïma · طنجة تطوان الحسيمة | MA-12 Dakhla-Oued Ed-Dahab · الداخلة وادي الذهب? "
            "Write its code (MA-01 … MA-12) or its French or Arabic name; `rasd regions` lists them all",
        ),
        (
            source("Known", "https://x.example/"),
            "no source in the config is named 'Unknown': did you mean 'Known'? (rasd sources list)",
        ),
    ],
)
def test_config_errors_are_one_line_and_exit_2_before_any_request(tmp_path: Path, entries: str, message: str) -> None:
    config = write_config(tmp_path, entries)
    result = run_rasd("--config", str(config), "sources", "check", "--source", "Unknown", cwd=tmp_path)
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.strip().endswith(message) and len(result.stderr.strip().splitlines()) == 1, result.stderr


NO_NETWORK = ("unshare", "--user", "--map-root-user", "--net")


def test_no_network_is_said_in_one_line_as_a_crawl_says_it(tmp_path: Path) -> None:
    """A machine with no network: after the source lines, the line `rasd crawl` gives for it, not only
    "no source could be reached". The command runs in a network namespace of its own with no interface
    up (`unshare --net`, as an unprivileged user namespace), so every lookup fails at once, as on a machine
    without network — not after the resolver's delay, which under load could pass for a timeout."""
    dead = "".join(source(f"Dead {n}", f"http://news-{n}.rasd-test.invalid/") for n in range(4))
    config = write_config(tmp_path, dead)
    result = subprocess.run(
        [*NO_NETWORK, sys.executable, "-m", "rasd.monitor", "--config", str(config), "sources", "check"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "warning: network unreachable? 4 of 4 sources failed with DNS errors (no site name could be looked up: "
        "check this machine's network connection and DNS)",
        "error: no source could be reached",
    ], result.stderr
