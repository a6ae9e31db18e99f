"""The crawl of a site serving pages of tests/pages/unseen14 as their servers do: a story in `<div>`s among
teasers that are each an `<article>`, a Weebly post dated "12/1/2026" (its month-first default), pages whose
bytes are UTF-8 under a `<meta>` naming windows-1256 (and the header too) or ISO-8859-1, an Arabic story dated
"٣ دجنبر ٢٠٢٦" — each stored with its title, its story's sentences and its published day — and, at two other
story addresses, a blog's page printing its three latest posts whole and a table of calls for tenders, which
are stored as no story."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.test_crawler_unseen12_pages import assert_stored_as_read, crawled_site

PAGES = Path(__file__).parent / "pages" / "unseen14"
CASES = {case["file"]: case for case in tomllib.loads((PAGES / "expectations.toml").read_text("utf-8"))["pages"]}
HTML = "text/html; charset=utf-8"
STORIES = {
    "teaserarticles_fr_16.html": HTML,
    "weebly_en_8.html": HTML,
    "meta1256_utf8_ar_14.html": "text/html; charset=windows-1256",  # a server repeating the page's lie
    "metalatin1_utf8_fr_15.html": HTML,
    "dejanbar_ar_13.html": HTML,
}
NO_STORY = {"fullposts_fr_3.html": HTML, "tenders_ar_28.html": HTML}


def test_pages_of_kinds_never_seen_are_stored_as_their_readers_read_them(sites: list[str], tmp_path: Path) -> None:
    served = {name: ((PAGES / name).read_bytes(), kind) for name, kind in {**STORIES, **NO_STORY}.items()}
    links, found = crawled_site(sites[0], tmp_path, served)

    for name in STORIES:
        assert links[name] in found, name
        assert_stored_as_read(CASES[name], found[links[name]], name)
    assert [name for name in NO_STORY if links[name] in found] == []
