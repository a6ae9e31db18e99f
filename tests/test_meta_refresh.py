"""A page's `<meta http-equiv="refresh">` is followed as Scrapy follows it, and reading it no longer decodes the
whole page (crawler.redirects.MetaRefreshOnHead): Scrapy's own middleware decoded every HTML answer whole
for its first 4,096 characters, on the crawl's reactor thread, and kept the text with the answer."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse, Request
from scrapy.utils.test import get_crawler

from rasd.crawler.redirects import MetaRefreshOnHead
from tests.conftest import run_rasd, write_config
from tests.sites import RSS, article, route, rss, sources, stored

FILLER = "<p>" + "جمعية تعاونية نسائية في سوس تطلق مشروعا جديدا. " * 40 + "</p>"  # ~4 KB of Arabic a paragraph


def page(head: str, paragraphs: int = 25, charset: str = "utf-8") -> bytes:
    return f"<html><head>{head}</head><body>{FILLER * paragraphs}</body></html>".encode(charset)


CASES = {
    "refresh": page('<meta http-equiv="refresh" content="0; url=/2026/11/20/moved-story">'),
    "refresh under a base": page('<base href="https://other.example/news/"><meta http-equiv="Refresh" content="1;x">'),
    "too slow a refresh": page('<meta http-equiv="refresh" content="500; url=/2026/11/20/moved-story">'),
    "no refresh": page("<title>قصة</title>"),
    "refresh past the characters read": page(FILLER * 2 + '<meta http-equiv="refresh" content="0; url=/x">'),
    "refresh in a script": page('<script><meta http-equiv="refresh" content="0; url=/x"></script>'),
    "undeclared windows-1256": page('<meta http-equiv="refresh" content="0; url=/عربي">', charset="cp1256"),
    "short page": page('<meta http-equiv="refresh" content="0; url=/2026/11/20/moved-story">', paragraphs=1),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_refresh_is_read_as_scrapy_reads_it_without_decoding_the_whole_page(name: str) -> None:
    crawler = get_crawler(settings_dict={"METAREFRESH_MAXDELAY": 100})
    ours, scrapys = MetaRefreshOnHead.from_crawler(crawler), MetaRefreshMiddleware.from_crawler(crawler)
    url, body = "https://site.example/2026/11/19/old-story", CASES[name]
    # the charset in the header, as most servers send it; a page that declares none is read whole to guess it
    declared = {} if name.startswith("undeclared") else {"Content-Type": "text/html; charset=utf-8"}
    request = Request(url)
    answer = HtmlResponse(url, body=body, headers=declared, request=request)
    expected = scrapys.process_response(Request(url), HtmlResponse(url, body=body, headers=declared, request=request))
    got = ours.process_response(request, answer)
    if isinstance(expected, Request):
        assert isinstance(got, Request)
        assert (got.url, got.meta["redirect_urls"]) == (expected.url, expected.meta["redirect_urls"])
    else:
        assert got is answer
    if declared and len(body) > 20_000:
        assert answer._cached_ubody is None  # the page was not decoded whole (Scrapy kept its text)


def test_an_article_behind_a_meta_refresh_is_stored_where_it_leads(sites: list[str], tmp_path: Path) -> None:
    base = sites[0]
    old, new = f"{base}/2026/11/19/old-story", f"{base}/2026/11/20/moved-story"
    route(f"{base}/feed/", 200, rss([old]), RSS)
    route(old, 200, page('<meta http-equiv="refresh" content="0; url=/2026/11/20/moved-story">'))
    route(new, 200, article("تعاونية نسائية في سوس تطلق مشروعا جديدا"))
    config = write_config(tmp_path, sources(("Souss", base, f'feeds = ["{base}/feed/"]')))
    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert stored(tmp_path / "rasd.db") == {new}
