"""The crawl of a site serving pages of tests/pages/unseen13 as their servers do: a Next.js app-router page
whose story is only in its flight rows, an ASP.NET ministry page (its `<title>` the module's name, its headline
in a label), a Google Docs page published to the web (its `<title>` the file's name), a Bootstrap portal's
Arabic dispatch dated only by the line under its `<h3>` headline — each stored with its title, its story's
sentences and its published day — and, at two other story addresses, a framework's error page and a web
server's default page, which are stored as no story."""

from __future__ import annotations

import tomllib
from datetime import date, datetime
from pathlib import Path

from tests.conftest import run_rasd, write_config
from tests.sites import XML, homepage, route, rows, sources

PAGES = Path(__file__).parent / "pages" / "unseen13"
CASES = {case["file"]: case for case in tomllib.loads((PAGES / "expectations.toml").read_text("utf-8"))["pages"]}
STORIES = ("nextapp_ar_5.html", "aspnet_ar_15.html", "gdocs_fr_20.html", "dateline_ar_6.html")
NO_STORY = ("servererror_27.html", "defaultpage_28.html")


def test_pages_of_kinds_never_seen_are_stored_as_their_readers_read_them(sites: list[str], tmp_path: Path) -> None:
    base = sites[0]
    links = {name: f"{base}/actualites/story-{n}.html" for n, name in enumerate((*STORIES, *NO_STORY))}
    for name, link in links.items():
        route(link, 200, (PAGES / name).read_bytes(), {"Content-Type": "text/html; charset=utf-8"})
    urls = "".join(f"<url><loc>{link}</loc></url>" for link in links.values())
    route(f"{base}/sitemap.xml", 200, f"<urlset>{urls}</urlset>".encode(), XML)
    route(f"{base}/robots.txt", 200, f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n".encode())
    route(f"{base}/", 200, homepage(None, []))
    config = write_config(tmp_path, sources(("Unseen", base, "")))
    # these pages answer at once: a minute's timeout, so that only a broken answer fails (as unseen12's test)
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
    for name in STORIES:
        case = CASES[name]
        assert links[name] in found, name
        title, text, published = found[links[name]]
        assert title == case["title"], name
        squeezed = " ".join(text.split())
        assert [s for s in case["must_contain"] if " ".join(s.split()) not in squeezed] == [], name
        assert [s for s in case["must_not_contain"] if " ".join(s.split()) in squeezed] == [], name
        day = published if isinstance(published, datetime) else datetime.fromisoformat(str(published))
        assert day.date() == date.fromisoformat(case["date"]), name
    assert [name for name in NO_STORY if links[name] in found] == []
