"""The crawl of a site serving pages of tests/pages/unseen13 as their servers do: a Next.js app-router page
whose story is only in its flight rows, an ASP.NET ministry page (its `<title>` the module's name, its headline
in a label), a Google Docs page published to the web (its `<title>` the file's name), a Bootstrap portal's
Arabic dispatch dated only by the line under its `<h3>` headline — each stored with its title, its story's
sentences and its published day — and, at two other story addresses, a framework's error page and a web
server's default page, which are stored as no story."""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.test_crawler_unseen12_pages import assert_stored_as_read, crawled_site

PAGES = Path(__file__).parent / "pages" / "unseen13"
CASES = {case["file"]: case for case in tomllib.loads((PAGES / "expectations.toml").read_text("utf-8"))["pages"]}
STORIES = ("nextapp_ar_5.html", "aspnet_ar_15.html", "gdocs_fr_20.html", "dateline_ar_6.html")
NO_STORY = ("servererror_27.html", "defaultpage_28.html")
NAMES = (*STORIES, *NO_STORY)


def test_pages_of_kinds_never_seen_are_stored_as_their_readers_read_them(sites: list[str], tmp_path: Path) -> None:
    html = "text/html; charset=utf-8"
    links, found = crawled_site(sites[0], tmp_path, {name: ((PAGES / name).read_bytes(), html) for name in NAMES})

    for name in STORIES:
        assert links[name] in found, name
        assert_stored_as_read(CASES[name], found[links[name]], name)
    assert [name for name in NO_STORY if links[name] in found] == []
