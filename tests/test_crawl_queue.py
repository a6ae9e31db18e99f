"""Announced articles wait in the spider, not in Scrapy's queue (issue 16: memory flat as the web grows):
Scrapy is handed MAX_ARTICLES_IN_SCRAPY article requests at a time, one source after another, and one more
as each ends; a crawl still fetches every article its feeds announce."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import Collection
from pathlib import Path

from scrapy.http import Request, TextResponse

from rasd.crawler.spider import LARGE_LIST_BYTES, LISTS_AT_FIRST, MAX_ARTICLES_IN_SCRAPY, NewsSpider
from rasd.crawler.types import FeedState, FetchedPage, FetchRecord, SourcePlan
from tests.conftest import run_rasd, write_config
from tests.sites import RSS, XML, Site, article, homepage, route, rows, rss, sources, stored, stories


class Sink:
    def __init__(self) -> None:
        self.pages: list[FetchedPage] = []

    def stored(self, urls: Collection[str]) -> set[str]:
        return set()

    def page(self, page: FetchedPage) -> None:
        self.pages.append(page)

    def fetch(self, record: FetchRecord) -> None:
        pass

    def feed(self, state: FeedState) -> None:
        pass


def _feed_answer(spider: NewsSpider, plan: SourcePlan, count: int) -> list[Request]:
    links = [f"{plan.homepage}2026/11/{n}/story-{n}" for n in range(count)]
    request = Request(f"{plan.homepage}feed/", meta={"source": plan.name, "kind": "feed", "site": plan.homepage})
    answer = TextResponse(request.url, body=rss(links), headers=RSS, request=request)
    return list(spider.parse_feed(answer))


def test_scrapy_holds_a_few_dozen_article_requests_and_gets_one_more_as_each_ends() -> None:
    first = SourcePlan("Souss", "http://souss.example/", feeds=("http://souss.example/feed/",), max_pages=300)
    second = SourcePlan("Tadla", "http://tadla.example/", feeds=("http://tadla.example/feed/",), max_pages=300)
    sink = Sink()
    spider = NewsSpider([first, second], {}, sink)

    handed = _feed_answer(spider, first, 200) + _feed_answer(spider, second, 200)

    assert len(handed) == MAX_ARTICLES_IN_SCRAPY < 200
    assert sum(len(queue) for queue in spider.waiting.values()) == 400 - MAX_ARTICLES_IN_SCRAPY
    # every announced article counts as unfetched until its answer: a stop now loses none of them
    assert sum(len(urls) for urls in spider.unfetched.values()) == 400

    done = handed[0]
    answer = TextResponse(done.url, body=article("قصة"), headers={"Content-Type": "text/html"}, request=done)
    more = list(spider.parse_article(answer))
    assert [request.meta["kind"] for request in more] == ["article"]
    assert len(sink.pages) == 1
    # the two sources' articles alternate once both feeds are in
    assert Counter(request.meta["source"] for request in more + _released(spider, 9)) == {"Souss": 5, "Tadla": 5}


def _released(spider: NewsSpider, count: int) -> list[Request]:
    spider.in_scrapy -= count  # as if `count` more had ended
    return list(spider._release())


def test_a_feed_announcing_more_articles_than_scrapy_holds_is_fetched_whole(sites: list[str], tmp_path: Path) -> None:
    big, small = sites[:2]
    expected: set[str] = set()
    for base, name, count in ((big, "big", MAX_ARTICLES_IN_SCRAPY * 2 + 7), (small, "small", 12)):
        links = stories(base, name, count)
        route(f"{base}/", 200, homepage(f"{base}/feed/", []))
        route(f"{base}/feed/", 200, rss(links), RSS)
        expected |= set(links)
    config = write_config(tmp_path, sources(("Big", big, ""), ("Small", small, "")))
    config.write_text(config.read_text().replace("[crawler]\n", "[crawler]\nmax_pages_per_source = 500\n"))

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert stored(tmp_path / "rasd.db") == expected, result.stderr


def test_feeds_are_handed_to_scrapy_two_at_first_and_more_while_they_answer_small() -> None:
    """A feed Scrapy holds is downloaded whole and kept until read: all of a cycle's feeds handed at once were
    the main process's peak (bench/bench_crawl.py: 12 feeds of 3.3 MB at 8,000 pages). Two go at first, one
    more after each small answer, and after a large one two at a time again; every feed is read."""
    plans = [
        SourcePlan(f"Site {n}", f"http://site{n}.example/", feeds=(f"http://site{n}.example/feed/",), max_pages=900)
        for n in range(8)
    ]
    spider = NewsSpider(plans, {}, Sink())
    feeds = [plan.feeds[0] for plan in plans]

    async def first() -> list[Request]:
        return [request async for request in spider.start()]

    held = {request.url: request for request in asyncio.run(first())}
    assert list(held) == feeds[:LISTS_AT_FIRST] == feeds[:2]
    # a small feed answers: room for one more, so two are handed
    assert _answer_feed(spider, held.pop(feeds[0]), 3, held) == feeds[2:4]
    # a large one: two at a time again — three were held, so none is handed until the next ends
    assert _answer_feed(spider, held.pop(feeds[1]), 4500, held) == []
    assert _answer_feed(spider, held.pop(feeds[2]), 4500, held) == feeds[4:5]
    while held:
        assert len(held) == spider.lists_in_scrapy <= LISTS_AT_FIRST
        _answer_feed(spider, held.pop(min(held)), 4500, held)
    assert spider.lists_in_scrapy == 0 and not spider.lists_waiting
    assert len(spider.scheduled) == 3 + 7 * 900  # every feed read, its articles queued (900 a source)


def _answer_feed(spider: NewsSpider, request: Request, articles: int, held: dict[str, Request]) -> list[str]:
    """The feed `request` answered with `articles` links (4,500: a large feed, ~560 KB); the feeds handed then (put in
    `held`)."""
    body = rss([f"{request.meta['site']}2026/11/{n}/story-{n}" for n in range(articles)])
    assert (len(body) >= LARGE_LIST_BYTES) == (articles >= 4500), len(body)
    answer = TextResponse(request.url, body=body, headers=RSS, request=request)
    handed = [request for request in spider.parse_feed(answer) if request.meta["kind"] == "feed"]
    held |= {request.url: request for request in handed}
    return [request.url for request in handed]


def _large(xml: str) -> bytes:
    """A sitemap of LARGE_LIST_BYTES or more: after it Scrapy holds two feeds or sitemaps at a time again."""
    return xml.replace("?>", "?><!--" + " " * LARGE_LIST_BYTES + "-->", 1).encode()


def _urlset(links: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{link}</loc></url>" for link in links)
    return _large(f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>')


def test_a_sitemap_named_twice_frees_its_place_and_keeps_its_index_304(sites: list[str], tmp_path: Path) -> None:
    """robots.txt names an index and two of its children: the index's own requests for those two are dropped
    by Scrapy's duplicate filter (no callback, no errback). They held two of the two places until the crawl
    went idle, so the third child waited; here an article of the first child is answered only once the third
    child has been asked for, so without a freed place the crawl never went idle and lost that article. And a
    dropped child counted as unfetched for the index, whose validators were saved empty every cycle."""
    base = sites[0]
    first, second, third = (f"{base}/{name}-sitemap.xml" for name in ("first", "second", "third"))
    held, later = stories(base, "atlas", 2)
    route(f"{base}/", 200, homepage(None, []))
    index_url = f"{base}/sitemap_index.xml"
    route(f"{base}/robots.txt", 200, f"Sitemap: {index_url}\nSitemap: {first}\nSitemap: {second}\n".encode())
    children = "".join(f"<sitemap><loc>{url}</loc></sitemap>" for url in (first, second, third))
    index = f'<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{children}</sitemapindex>'
    route(index_url, 200, _large(index), {**XML, "ETag": '"index-1"'})
    route(first, 200, _urlset([held]), XML)
    route(second, 200, _urlset([]), XML)
    route(third, 200, _urlset([later]), XML)
    Site.after[held.removeprefix("http://")] = third.removeprefix("http://")
    config = write_config(tmp_path, sources(("Atlas", base, "")))

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert stored(tmp_path / "rasd.db") == {held, later}, result.stderr
    assert rows(tmp_path / "rasd.db", f"SELECT etag FROM feeds WHERE url = '{index_url}'") == [('"index-1"',)]
