"""Structures real news sites have that the crawl had not met (fifth pass), each on its own loopback host:
listings with dated permalinks under their section, a calendar of day archives, `?nid=` and `?newsid=`
articles, session ids and `index.html` twins of one story; FeedBurner items, a JSON Feed, a robots.txt with
a byte-order mark, CRLF line ends and a lower-case `sitemap:` line. Every article is found once, under its
own address, and nothing else is fetched as an article."""

from __future__ import annotations

import asyncio
import json
from itertools import pairwise
from pathlib import Path

import pytest
from scrapy.http import Request, Response
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler

from rasd.config import CrawlerSettings
from rasd.crawler.budget import SiteBudget
from rasd.crawler.ratelimit import RATE_LIMITED, RateLimited, RetryAfter
from rasd.crawler.robots import MAX_CRAWL_DELAY, SharedRobotsTxt
from rasd.crawler.runner import scrapy_settings
from tests.conftest import run_rasd, write_config
from tests.sites import RSS, XML, Site, article, homepage, route, rows, rss, sources, stored, stories


def _asked(url: str) -> int:
    return Site.hits.get(url.removeprefix("http://"), 0)


def test_listings_give_each_story_once_under_its_own_address(sites: list[str], tmp_path: Path) -> None:
    sectioned, numbered, sessions, indexed = sites[:4]
    # dated permalinks under their section, beside a calendar widget's day, month and year archives
    dated = [f"{sectioned}/category/societe/2026/11/2{n}/cooperative-story-{n}" for n in range(2)]
    calendar = [f"/2026/11/{day:02d}/" for day in range(1, 29)] + ["/2026/11/", "/2026/", "/archives/2026/11/24"]
    for url in dated:
        route(url, 200, article(url))
    for day in calendar:
        route(f"{sectioned}{day}", 200, homepage(None, dated))
    route(f"{sectioned}/", 200, homepage(None, [*dated, *calendar]))
    # stories told apart by a query parameter courlan does not know (`nid`, `newsid`)
    numbered_links = [f"{numbered}/news.php?nid=78", f"{numbered}/news.php?nid=79", f"{numbered}/show.aspx?newsid=5"]
    for url in numbered_links:
        route(url, 200, article(url))
    route(f"{numbered}/", 200, homepage(None, numbered_links))
    # one story linked under two session ids, another with a PHP session id
    session_paths = ["/2026/11/20/session-story;jsessionid=AAA111", "/2026/11/20/session-story;jsessionid=BBB222"]
    session_paths.append("/2026/11/21/other-session-story?PHPSESSID=ccc333")
    for path in session_paths:
        route(f"{sessions}{path}", 200, article(path.split(";")[0].split("?")[0]))
    route(f"{sessions}/", 200, homepage(None, session_paths))
    # a story linked as its directory and as the directory's index.html
    route(f"{indexed}/2026/11/25/index-story/", 200, article("index story"))
    route(f"{indexed}/2026/11/25/index-story/index.html", 200, article("index story"))
    route(f"{indexed}/", 200, homepage(None, ["/2026/11/25/index-story/", "/2026/11/25/index-story/index.html"]))
    names = ("Sectioned", "Numbered", "Sessions", "Indexed")
    config = write_config(tmp_path, sources(*((name, base, "") for name, base in zip(names, sites, strict=False))))

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert stored(tmp_path / "rasd.db") == {
        *dated,
        *numbered_links,
        f"{sessions}/2026/11/20/session-story",
        f"{sessions}/2026/11/21/other-session-story",
        f"{indexed}/2026/11/25/index-story/",
    }, result.stderr
    assert not [day for day in calendar if _asked(f"{sectioned}{day}")]  # no archive fetched as a story
    assert _asked(f"{indexed}/2026/11/25/index-story/index.html") == 0
    assert _asked(f"{sessions}{session_paths[1]}") == 0
    assert not [line for line in result.stderr.splitlines() if line.startswith("warning:")], result.stderr


def test_feedburner_items_a_json_feed_and_a_robots_txt_with_a_byte_order_mark(sites: list[str], tmp_path: Path) -> None:
    burned, jsoned, marked = sites[4:7]
    # FeedBurner: each item's <link> is its redirector on another host, the story is `feedburner:origLink`
    burned_links = stories(burned, "burned", 2)
    items = "".join(
        f"<item><title>t</title><link>http://feedproxy.google.com/~r/site/~3/x{n}/</link>"
        f"<feedburner:origLink>{link}</feedburner:origLink></item>"
        for n, link in enumerate(burned_links)
    )
    feed = f'<rss version="2.0" xmlns:feedburner="http://rssnamespace.org/feedburner/ext/1.0"><channel>{items}</channel></rss>'
    route(f"{burned}/feed/", 200, feed.encode(), RSS)
    route(f"{burned}/", 200, homepage(f"{burned}/feed/", []))
    # a JSON Feed (jsonfeed.org), advertised as application/feed+json
    json_links = stories(jsoned, "jsoned", 2)
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "t",
        "items": [
            {"id": link, "url": link, "title": "t", "date_published": "2026-11-25T10:00:00+01:00"}
            for link in json_links
        ],
    }
    route(f"{jsoned}/feed.json", 200, json.dumps(document).encode(), {"Content-Type": "application/feed+json"})
    advertised = f'<link rel="alternate" type="application/feed+json" href="{jsoned}/feed.json">'
    route(f"{jsoned}/", 200, f"<html><head>{advertised}</head><body></body></html>".encode())
    # robots.txt saved by a Windows editor: a byte-order mark, CRLF, its sitemap named on the first line
    marked_links = stories(marked, "marked", 2)
    private = f"{marked}/private/2026/11/25/not-for-robots"
    route(f"{marked}/sitemap.xml", 200, _urlset([*marked_links, private]), XML)
    robots = f"\ufeffsitemap: {marked}/sitemap.xml\r\nUser-agent: *\r\nDisallow: /private/\r\n"
    route(f"{marked}/robots.txt", 200, robots.encode(), {"Content-Type": "text/plain"})
    route(f"{marked}/", 200, homepage(None, []))
    config = write_config(tmp_path, sources(("Burned", burned, ""), ("Jsoned", jsoned, ""), ("Marked", marked, "")))

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert stored(tmp_path / "rasd.db") == {*burned_links, *json_links, *marked_links}, result.stderr
    assert _asked(private) == 0
    assert not rows(tmp_path / "rasd.db", "SELECT url FROM fetches WHERE url LIKE '%feedproxy%'")
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [f"warning: Marked: 1 failed fetch: Forbidden by robots.txt (article {private})"], result.stderr
    check = run_rasd("--config", str(config), "sources", "check", cwd=tmp_path)
    assert f"feed {jsoned}/feed.json (2 items, advertised)" in check.stdout, check.stdout + check.stderr
    assert f"sitemap {marked}/sitemap.xml (3 URLs, robots.txt)" in check.stdout, check.stdout + check.stderr


def _urlset(links: list[str]) -> bytes:
    urls = "".join(f"<url><loc>{link}</loc></url>" for link in links)
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


def test_a_site_asking_for_a_pause_gets_it_and_nothing_it_announced_is_lost(sites: list[str], tmp_path: Path) -> None:
    """429 Too Many Requests with Retry-After: a short pause is waited for, then the page is asked once more; a
    long one leaves the site for the next cycle, saying so, where Scrapy's retry asked again at once."""
    paused, limited = sites[:2]
    paused_links = stories(paused, "paused", 2)
    route(f"{paused}/feed/", 200, rss(paused_links), RSS)
    route(f"{paused}/", 200, homepage(f"{paused}/feed/", []))
    Site.first[paused_links[0].removeprefix("http://")] = [(429, {"Retry-After": "3"}, b"slow down")]
    limited_links = stories(limited, "limited", 2)
    route(f"{limited}/feed/", 200, rss(limited_links), RSS)
    route(f"{limited}/", 200, homepage(f"{limited}/feed/", limited_links))
    Site.first[f"{limited}/feed/".removeprefix("http://")] = [(429, {"Retry-After": "3600"}, b"come back later")]
    config = write_config(tmp_path, sources(("Paused", paused, ""), ("Limited", limited, "")))

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert stored(tmp_path / "rasd.db") == set(paused_links), result.stderr
    first, again = Site.asked_at[paused_links[0].removeprefix("http://")]
    assert again - first >= 3  # the pause it asked for, not Scrapy's retry at once
    assert _asked(f"{limited}/feed/") == 1
    assert not [link for link in limited_links if _asked(link)]  # the homepage's links wait for the next cycle
    pause = "rate limited: the site asked for a pause of 3600 s (HTTP 429, Retry-After); the rest is left for the next"
    assert f"warning: Limited: 3 failed fetches: {pause}" in result.stderr, result.stderr
    assert "Paused" not in result.stderr, result.stderr

    again_result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert again_result.returncode == 0, again_result.stderr
    assert stored(tmp_path / "rasd.db") == {*paused_links, *limited_links}, again_result.stderr


def test_a_site_in_a_folder_has_its_feed_and_sitemaps_looked_for_there(sites: list[str], tmp_path: Path) -> None:
    """WordPress installed at /news/: its feed is /news/feed/ and its sitemaps /news/wp-sitemap.xml, while
    robots.txt (at the host's root) names none. `rasd sources check` and the backfill looked at the root only."""
    base = sites[7]
    links = [f"{base}/news/2026/11/2{n}/folder-story-{n}" for n in range(2)]
    for link in links:
        route(link, 200, article(link))
    route(f"{base}/news/", 200, homepage(None, []))
    route(f"{base}/news/feed/", 200, rss(links), RSS)
    index = f"<sitemapindex><sitemap><loc>{base}/news/wp-sitemap-posts-post-1.xml</loc></sitemap></sitemapindex>"
    route(f"{base}/news/wp-sitemap.xml", 200, index.encode(), XML)
    route(f"{base}/news/wp-sitemap-posts-post-1.xml", 200, _urlset(links), XML)
    config = write_config(tmp_path, sources(("Folder", f"{base}/news", "")))

    check = run_rasd("--config", str(config), "sources", "check", cwd=tmp_path)
    result = run_rasd("--config", str(config), "backfill", "--since", "2026-01-01", cwd=tmp_path)

    assert f"feed {base}/news/feed/ (2 items, guessed)" in check.stdout, check.stdout + check.stderr
    assert "wp-si" in check.stdout and "(1 child sitemap, the newest with 2 URLs, guessed)" in check.stdout
    assert result.returncode == 0, result.stderr
    assert stored(tmp_path / "rasd.db") == set(links), result.stdout + result.stderr


def test_a_crawl_delay_in_robots_txt_is_kept_between_requests(sites: list[str], tmp_path: Path) -> None:
    """`Crawl-delay: 2`: Scrapy read it and did nothing with it; the configured delay (none in tests) and
    AutoThrottle set the pace. Every request to the host comes at least the delay after the one before (a
    lower bound the crawl guarantees; the margin is for the loopback's delivery, not for speed)."""
    base = sites[3]
    links = _delayed_site(base, "delayed", 2)
    config = write_config(tmp_path, sources(("Delayed", base, "")))

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert stored(tmp_path / "rasd.db") == set(links), result.stderr
    moments = sorted(moment for moments in Site.asked_at.values() for moment in moments)
    assert len(moments) >= 5  # robots.txt twice, the homepage, the sitemap, two stories
    assert min(later - earlier for earlier, later in pairwise(moments)) >= 1.5, moments


def test_a_crawl_delay_longer_than_the_sites_time_leaves_the_rest_for_the_next_cycle(
    sites: list[str], tmp_path: Path
) -> None:
    """Crawl-delay: 3 with 4 s of site time: the homepage and robots.txt (0 s, 3 s) fit, the sitemap's turn
    (6 s at the soonest) does not. The time budget is checked as a request is queued, before its wait in
    the host's slot: without this refusal the sitemap and its stories waited there past the budget."""
    base = sites[5]
    _delayed_site(base, "unhurried", 3)
    config = write_config(tmp_path, sources(("Unhurried", base, "")))
    config.write_text(config.read_text().replace("[crawler]\n", "[crawler]\nsource_time_budget = 4\n"))

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert _asked(f"{base}/sitemap.xml") == 0 and not stored(tmp_path / "rasd.db"), result.stderr
    assert "out of time: robots.txt asks for 3 s between requests (Crawl-delay)" in result.stderr, result.stderr


def _refused(url: str, seconds: str) -> tuple[Request, Response]:
    request = Request(url)
    return request, Response(url, status=429, headers={"Retry-After": seconds}, request=request)


async def _turns() -> None:
    """A few turns of the event loop, no time: what was ready to run has run."""
    for _ in range(10):
        await asyncio.sleep(0)


def test_a_host_gets_one_short_pause_a_cycle() -> None:
    """A host answering every page 429 with `Retry-After: 5` renewed its pause on each answer, and the requests
    asleep for it in Scrapy's downloader (up to all 32 of CONCURRENT_REQUESTS) held every other site's. Now
    the first short pause is waited for, and a second one asked for while it lasts, or after it, leaves the
    host for the next cycle; a request asleep for the pause is refused at once then, not when it ends.
    Driven by the middleware's clock and sleep, not by seconds (the sleep given here never ends)."""
    now = 0.0
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)
        await asyncio.Event().wait()

    limiter = RetryAfter(sleep, lambda: now)

    async def cycle() -> None:
        nonlocal now
        request, answer = _refused("http://slow.test/a", "5")
        again = limiter.process_response(request, answer)
        assert isinstance(again, Request) and again.meta[RATE_LIMITED] == "HTTP 429 after waiting 5 s (Retry-After)"
        asleep = asyncio.ensure_future(limiter.process_request(again))
        await _turns()
        assert waits == [5.0]
        second, answer = _refused("http://slow.test/b", "5")  # answered while the host waits
        assert limiter.process_response(second, answer) is answer and second.meta["dont_retry"]
        assert second.meta[RATE_LIMITED].startswith("rate limited: the site asked for a pause of 5 s (HTTP 429")
        await _turns()
        assert asleep.done()  # the host was left for the next cycle while this request slept: it wakes now
        with pytest.raises(RateLimited):
            await asleep
        with pytest.raises(RateLimited):
            await limiter.process_request(Request("http://slow.test/c"))
        # after its pause, a host asking for another one is left for the next cycle too
        request, answer = _refused("http://after.test/a", "5")
        assert isinstance(limiter.process_response(request, answer), Request)
        now = 11.0
        await limiter.process_request(Request("http://after.test/b"))  # the pause is over: no wait
        request, answer = _refused("http://after.test/b", "5")
        assert limiter.process_response(request, answer) is answer
        with pytest.raises(RateLimited):
            await limiter.process_request(Request("http://after.test/c"))
        # more than 10 s is not waited for at all
        request, answer = _refused("http://long.test/a", "25")
        assert limiter.process_response(request, answer) is answer
        assert waits == [5.0]

    asyncio.run(cycle())


def test_the_pause_comes_before_the_site_budget_and_is_seen_before_scrapys_retry() -> None:
    """Downloader middlewares run in their order on the way out, the other way back: `RetryAfter` sees a 429
    before Scrapy's RetryMiddleware asks again at once, and waits before `SiteBudget` checks the site's time
    (after it, a request went out up to the whole pause past the site's time)."""
    settings = scrapy_settings(CrawlerSettings())
    middlewares = {**settings["DOWNLOADER_MIDDLEWARES_BASE"], **settings["DOWNLOADER_MIDDLEWARES"]}
    chain = [load_object(path) for path in build_component_list(middlewares)]
    retry = next(index for index, cls in enumerate(chain) if cls.__name__ == "RetryMiddleware")
    assert retry < chain.index(RetryAfter) < chain.index(SiteBudget)


def test_a_crawl_delay_is_capped_and_not_kept_by_the_sources_check() -> None:
    """Crawl-delay: 3600 would hold a backfill (no site time budget) for hours between two pages; `rasd
    sources check`, a handful of requests, waited out any Crawl-delay (20 s made one site's check 125 s)."""
    from rasd.crawler.backfill import BackfillSpider
    from rasd.crawler.discover import DiscoverySpider

    kept: list[float] = []

    class Watched(SharedRobotsTxt):
        def _keep_crawl_delay(self, request: Request, seconds: float) -> None:
            kept.append(seconds)

    parser = load_object("scrapy.robotstxt.ProtegoRobotParser")(b"User-agent: *\nCrawl-delay: 3600\n", None)
    for spider in (BackfillSpider, DiscoverySpider):
        crawler = get_crawler(spider, {"ROBOTSTXT_OBEY": True, "RASD_SOURCE_TIME_BUDGET": 60})
        Watched(crawler).process_request_2(parser, Request("http://delayed.test/page"))
    assert kept == [MAX_CRAWL_DELAY] == [30.0]


def _delayed_site(base: str, name: str, delay: int) -> list[str]:
    """Two stories in a sitemap that robots.txt names, with a Crawl-delay; their URLs."""
    links = stories(base, name, 2)
    route(f"{base}/sitemap.xml", 200, _urlset(links), XML)
    robots = f"User-agent: *\nCrawl-delay: {delay}\nAllow: /\nSitemap: {base}/sitemap.xml\n"
    route(f"{base}/robots.txt", 200, robots.encode(), {"Content-Type": "text/plain"})
    route(f"{base}/", 200, homepage(None, []))
    return links
