"""The crawl against a site whose article addresses sometimes answer with a page that holds no story — a bot
check in the story's place, a consent wall, a month's archive, a section's page 2, search results, a moved
story's refresh page (tests/pages/unseen has each page): none of them is stored, while the site's real
stories beside them are, and the moved story is stored once, at the address its refresh leads to."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import run_rasd, write_config
from tests.sites import XML, homepage, route, sources, stored, stories

PAGES = Path(__file__).parent / "pages" / "unseen"
NO_STORY = (
    "challenge_en_1.html",
    "challenge_fr_2.html",
    "consentwall_fr_1.html",
    "archive_ar_2.html",
    "listpage2_fr_1.html",
    "search_ar_2.html",
    "section_ar_2.html",
)


def test_pages_that_hold_no_story_are_not_stored_and_the_real_stories_beside_them_are(
    sites: list[str], tmp_path: Path
) -> None:
    base = sites[0]
    real = stories(base, "souss", 3)
    # each no-story page at an address the sitemap announces as an article's, as a CDN or a cache serves it
    walled = [f"{base}/2026/11/1{n}/cooperative-story-{n}" for n in range(len(NO_STORY))]
    for link, name in zip(walled, NO_STORY, strict=True):
        route(link, 200, (PAGES / name).read_bytes())
    moved = f"{base}/2026/11/19/old-address-of-the-first-story"
    refreshing = (PAGES / "redirect_ar_2.html").read_text(encoding="utf-8")  # "3;URL='…'" to another site's
    route(moved, 200, refreshing.replace("https://www.souss24.example/news/45127.html", real[0]).encode())
    urls = "".join(f"<url><loc>{link}</loc></url>" for link in [*real, *walled, moved])
    route(f"{base}/sitemap.xml", 200, f"<urlset>{urls}</urlset>".encode(), XML)
    route(f"{base}/robots.txt", 200, f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n".encode())
    route(f"{base}/", 200, homepage(None, []))
    config = write_config(tmp_path, sources(("Souss", base, "")))

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert stored(tmp_path / "rasd.db") == set(real), result.stderr
