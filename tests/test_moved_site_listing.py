"""A site without feed or sitemap that moved to another domain (newcomer13's trial): its old address
redirects every page to the new one, whose homepage lists the stories. A feed on the new domain was followed
already (crawler.urls.announced_article); the homepage's listing was read against the old domain, so no link
was an article of the source's and every crawl stored nothing, with nothing said. Real `rasd crawl` and
`rasd sources check` against two loopback servers."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from tests.conftest import run_rasd, write_config

STORY = (
    "<html><head><title>{title}</title></head><body><article><h1>{title}</h1><p>Une coopérative féminine de "
    "Taliouine, dans la région Souss-Massa, a ouvert un atelier de conditionnement du safran avec le soutien de "
    "l'Initiative nationale pour le développement humain. Les adhérentes vendent désormais sous leur propre "
    "marque et préparent le salon régional de l'économie sociale et solidaire.</p></article></body></html>"
)
SLUGS = ("une-cooperative-de-safran-ouvre-son-atelier", "le-salon-regional-de-l-ess-attend-120-cooperatives")


class Moved(BaseHTTPRequestHandler):
    new = ""  # the new domain's base, set once it listens
    moved = True  # False: the old address still serves the site itself

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if not Moved.moved:
            New.do_GET(self)  # type: ignore[arg-type]
            return
        self.send_response(301)
        self.send_header("Location", self.new + self.path)
        self.send_header("Content-Length", "0")
        self.end_headers()


class New(BaseHTTPRequestHandler):
    later: tuple[str, ...] = ()  # stories published since the move

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        slugs = SLUGS + New.later
        if self.path == "/":
            links = "".join(f'<li><a href="/2026/12/04/{slug}/">{slug}</a></li>' for slug in slugs)
            body = f"<html><body><h1>Souss Hebdo</h1><ul>{links}</ul></body></html>"
        elif any(self.path == f"/2026/12/04/{slug}/" for slug in slugs):
            body = STORY.format(title=self.path.strip("/").rsplit("/", 1)[-1].replace("-", " ").capitalize())
        else:
            self.send_response(404)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        data = body.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def old_address() -> Iterator[str]:
    new = ThreadingHTTPServer(("127.0.0.42", 0), New)
    old = ThreadingHTTPServer(("127.0.0.41", 0), Moved)
    Moved.new = f"http://127.0.0.42:{new.server_address[1]}"
    for server in (new, old):
        threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.41:{old.server_address[1]}/"
    Moved.moved, New.later = True, ()
    for server in (new, old):
        server.shutdown()
        server.server_close()


def test_a_site_that_moved_without_a_feed_has_its_listing_read_where_it_landed(
    old_address: str, tmp_path: Path
) -> None:
    config = write_config(tmp_path, f'[[sources]]\nname = "Souss Hebdo"\nurl = "{old_address}"\n')
    crawl = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert crawl.returncode == 0, crawl.stderr
    with sqlite3.connect(tmp_path / "rasd.db") as db:
        urls = sorted(row[0] for row in db.execute("SELECT url FROM articles"))
    assert len(urls) == 2 and all(url.startswith("http://127.0.0.42:") for url in urls), (urls, crawl.stdout)
    check = run_rasd("--config", str(config), "sources", "check", cwd=tmp_path)
    assert "the crawl will store nothing" not in check.stdout, check.stdout
    assert "homepage moved for good to http://127.0.0.42:" in check.stdout, check.stdout  # the url to write


def test_a_site_that_moved_has_the_stories_stored_from_its_old_address_not_stored_again(
    old_address: str, tmp_path: Path
) -> None:
    """newcomer14's week: crawled at its old address, then moved with the same paths, every story of the site
    was stored a second time from the new domain — twice in `rasd search`, the export and its 7-day count."""
    Moved.moved = False
    config = write_config(tmp_path, f'[[sources]]\nname = "Souss Hebdo"\nurl = "{old_address}"\n')
    before = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert before.returncode == 0, before.stderr
    Moved.moved, New.later = True, ("une-cooperative-de-miel-ouvre-a-tata",)
    after = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert after.returncode == 0, after.stderr
    with sqlite3.connect(tmp_path / "rasd.db") as db:
        urls = sorted(row[0] for row in db.execute("SELECT url FROM articles"))
    old = [url for url in urls if url.startswith("http://127.0.0.41:")]
    moved = [url.rsplit("/", 2)[-2] for url in urls if url not in old]
    assert len(old) == 2 and moved == [New.later[0]], (urls, after.stdout)


def test_a_section_that_redirects_to_another_site_does_not_make_that_site_s_stories_the_source_s(
    sites: list[str], tmp_path: Path
) -> None:
    """Only the homepage's landing is the source's new site: a section page of the source that redirects to a
    partner's site (its shop, a regional portal) had that site's stories stored as the source's own, and sent in
    its digests, once links were read against the site each listing page landed on."""
    from tests.sites import route

    source, partner = sites[0], sites[1]
    own = f"{source}/2026/12/04/{SLUGS[0]}/"
    links = f'<a href="{own}">a</a><a href="/rubrique/partenaires/">p</a>'
    route(f"{source}/", 200, f"<html><body>{links}</body></html>".encode())
    route(own, 200, STORY.format(title="Une coopérative de safran ouvre son atelier").encode())
    route(f"{source}/rubrique/partenaires/", 301, b"", {"Location": f"{partner}/"})
    theirs = f"{partner}/2026/12/04/{SLUGS[1]}/"
    route(f"{partner}/", 200, f'<html><body><a href="{theirs}">b</a></body></html>'.encode())
    route(theirs, 200, STORY.format(title="Le salon régional de l'ESS attend 120 coopératives").encode())
    config = write_config(tmp_path, f'[[sources]]\nname = "Souss Hebdo"\nurl = "{source}/"\n')

    crawl = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert crawl.returncode == 0, crawl.stderr
    with sqlite3.connect(tmp_path / "rasd.db") as db:
        urls = sorted(row[0] for row in db.execute("SELECT url FROM articles"))
    assert urls == [own], urls
