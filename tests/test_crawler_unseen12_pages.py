"""The crawl of a site serving pages of tests/pages/unseen12 as their servers do: an ISO-8859-6 page and
a windows-1256 XHTML page (its encoding named only by its XML declaration) under Apache's default
`charset=UTF-8` header, a UTF-16 page under a bare `text/html`, and CMS pages whose standfirst, Drupal 7
date or comments the extraction reads (SPIP, Joomla K2, Drupal 7): each stored with its title, its story's
sentences in Arabic or French as written, and its published day."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path

from tests.conftest import run_rasd, write_config
from tests.sites import XML, homepage, route, rows, sources

PAGES = Path(__file__).parent / "pages" / "unseen12"
CASES = {case["file"]: case for case in tomllib.loads((PAGES / "expectations.toml").read_text("utf-8"))["pages"]}
SERVED = {  # the page and the Content-Type its server sends
    "iso88596_ar_12.html": "text/html; charset=UTF-8",
    "xmlprolog_ar_13.html": "application/xhtml+xml; charset=UTF-8",
    "utf16_fr_14.html": "text/html",
    "spip_fr_1.html": "text/html; charset=utf-8",
    "k2_fr_3.html": "text/html; charset=utf-8",
    "drupal7_fr_8.html": "text/html; charset=utf-8",
}


def crawled_site(base: str, tmp_path: Path, served: dict[str, tuple[bytes, str]]) -> tuple[dict[str, str], dict]:
    """Serve each page (name → its bytes and Content-Type) at a story address of `base` listed by its sitemap,
    crawl it with `rasd crawl`: each page's address, and what was stored (address → title, text, published)."""
    links = {name: f"{base}/actualites/story-{n}.html" for n, name in enumerate(served)}
    for name, link in links.items():
        route(link, 200, served[name][0], {"Content-Type": served[name][1]})
    urls = "".join(f"<url><loc>{link}</loc></url>" for link in links.values())
    route(f"{base}/sitemap.xml", 200, f"<urlset>{urls}</urlset>".encode(), XML)
    route(f"{base}/robots.txt", 200, f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n".encode())
    route(f"{base}/", 200, homepage(None, []))
    config = write_config(tmp_path, sources(("Unseen", base, "")))
    # the tests' 5 s download timeout is for servers that stall on purpose; these answer at once, and a loaded
    # machine (load 20 on 2 cores) had a page time out: a minute, so that only a broken answer can fail here
    written = config.read_text(encoding="utf-8")
    config.write_text(written.replace("download_timeout = 5\n", "download_timeout = 60\n"), encoding="utf-8")

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    found = {
        url: (title, text, published)
        for url, title, text, published in rows(
            tmp_path / "rasd.db", "SELECT url, title, text, published_at FROM articles"
        )
    }
    return links, found


def assert_stored_as_read(case: dict, stored: tuple, name: str) -> None:
    """A stored story (title, text, published) has its page's title, its sentences and not its chrome's, its day."""
    title, text, published = stored
    assert title == case["title"], name
    squeezed = " ".join(text.split())
    assert [s for s in case["must_contain"] if " ".join(s.split()) not in squeezed] == [], name
    assert [s for s in case["must_not_contain"] if " ".join(s.split()) in squeezed] == [], name
    day = published if isinstance(published, datetime) else datetime.fromisoformat(str(published))
    assert day.date() == date.fromisoformat(case["date"]), name


def test_pages_in_legacy_encodings_and_cms_pages_are_stored_as_their_readers_read_them(
    sites: list[str], tmp_path: Path
) -> None:
    served = {name: ((PAGES / name).read_bytes(), content_type) for name, content_type in SERVED.items()}
    links, found = crawled_site(sites[0], tmp_path, served)

    links["drupal7_fr_8.html"] = f"{sites[0]}/node/512"  # stored at its canonical address, as Drupal 7 prints it
    for name, link in links.items():
        assert link in found, name
        assert_stored_as_read(CASES[name], found[link], name)
