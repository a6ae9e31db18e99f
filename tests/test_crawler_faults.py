"""Servers that break in the ways a real site does, each kind on its own loopback host: a feed that is
malformed, empty, gone, or thousands of items long; a sitemap that does not parse; an answer with no body;
redirects that end in a failure. What a reader relies on: a new source still gets its articles in its first
cycle (from its listing pages), every failure is recorded with a reason a person can read and act on, and
what failed is fetched again next cycle."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from scrapy.http import Response

from rasd.crawler.spider import robots_outcome
from tests.conftest import run_rasd, write_config
from tests.sites import (
    RSS,
    XML,
    Site,
    article,
    closed_port,
    fetch,
    homepage,
    route,
    rows,
    rss,
    sources,
    stored,
    stories,
)


def test_a_new_source_whose_discovered_feed_is_broken_gets_its_articles_in_its_first_cycle(
    sites: list[str], tmp_path: Path
) -> None:
    malformed, empty, gone, sitemap = sites[:4]
    expected: set[str] = set()
    for base, feed in ((malformed, f"{malformed}/feed/"), (empty, f"{empty}/feed/"), (gone, f"{closed_port()}/feed/")):
        links = stories(base, base.rsplit(".", 1)[1].split(":")[0], 5)
        route(f"{base}/", 200, homepage(feed, links))
        expected |= set(links)
    route(f"{malformed}/feed/", 200, b'<?xml version="1.0"?><rss><channel><item><title>cut', RSS)
    route(f"{empty}/feed/", 200, b"", RSS)
    links = stories(sitemap, "sitemap", 5)
    route(f"{sitemap}/", 200, homepage(None, links))
    route(f"{sitemap}/robots.txt", 200, f"User-agent: *\nAllow: /\nSitemap: {sitemap}/news.xml\n".encode())
    route(f"{sitemap}/news.xml", 200, b"<urlset><url><loc>unclosed", XML)
    expected |= set(links)
    config = write_config(
        tmp_path,
        sources(("Malformed", malformed, ""), ("Empty", empty, ""), ("Gone", gone, ""), ("Sitemap", sitemap, "")),
    )
    db = tmp_path / "rasd.db"

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert stored(db) == expected, result.stderr
    assert str(fetch(db, f"{malformed}/feed/")[1]).startswith("malformed XML")
    assert fetch(db, f"{empty}/feed/") == ("error", "empty answer: HTTP 200 with no content")
    assert str(fetch(db, f"{sitemap}/news.xml")[1]).startswith("malformed XML")
    # the homepage was read once: its listing came from the answer already in hand
    assert all(Site.hits[f"{base.removeprefix('http://')}/"] == 1 for base in (malformed, empty, sitemap))


def test_a_feed_of_ten_thousand_items_is_read_up_to_the_limit(sites: list[str], tmp_path: Path) -> None:
    base = sites[4]
    links = stories(base, "newest", 5)  # the newest, first in the feed; the rest an archive of dead links
    archive = [f"{base}/2019/01/01/archived-{n}" for n in range(9_995)]
    route(f"{base}/", 200, homepage(f"{base}/feed/", []))
    route(f"{base}/feed/", 200, rss(links + archive), RSS)
    config = write_config(tmp_path, sources(("Archive", base, "")), extra="")
    config.write_text(config.read_text().replace("[crawler]\n", "[crawler]\nmax_pages_per_source = 8\n"))
    db = tmp_path / "rasd.db"

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert stored(db) == set(links), result.stderr
    ((outcome, items),) = rows(db, f"SELECT outcome, items FROM fetches WHERE url = '{base}/feed/'")
    assert (outcome, items) == ("ok", 1000)


def test_an_answer_with_no_body_is_a_recorded_failure_fetched_again_next_cycle(
    sites: list[str], tmp_path: Path
) -> None:
    base = sites[5]
    links = stories(base, "blank", 3)
    route(links[0], 200, b"")  # the server answered 200 and nothing
    route(f"{base}/feed/", 200, rss(links), RSS)
    route(f"{base}/", 200, homepage(None, []))
    config = write_config(tmp_path, sources(("Blank", base, f'feeds = ["{base}/feed/"]')))
    db = tmp_path / "rasd.db"

    first = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert first.returncode == 0, first.stderr
    assert stored(db) == set(links[1:])
    assert fetch(db, links[0]) == ("error", "empty answer: HTTP 200 with no content")
    assert "Blank: 1 failed fetch: empty answer: HTTP 200 with no content" in first.stderr

    route(links[0], 200, article("blank قصة رقم 0"))
    second = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert second.returncode == 0, second.stderr
    assert stored(db) == set(links)


def test_a_site_without_robots_txt_is_crawled_without_a_failure_said(sites: list[str], tmp_path: Path) -> None:
    """Many small sites have no robots.txt: its 404 means "everything allowed" (RFC 9309), not a failed fetch
    to warn about every cycle and count against the source in `rasd status`."""
    base = sites[6]
    links = stories(base, "norobots", 3)
    route(f"{base}/", 200, homepage(None, links))
    route(f"{base}/robots.txt", 404, b"not found")
    config = write_config(tmp_path, sources(("No robots", base, "")))
    db = tmp_path / "rasd.db"

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert stored(db) == set(links)
    assert "failed" not in result.stderr, result.stderr
    assert rows(db, "SELECT outcome, status FROM fetches WHERE kind = 'robots'") == [("ok", 404)]
    status = run_rasd("--config", str(config), "status", cwd=tmp_path)
    assert status.returncode == 0, status.stderr
    (line,) = [line for line in status.stdout.splitlines() if line.startswith("No robots")]
    assert line.split()[-1] == "0", status.stdout  # no failed cycle


@pytest.mark.parametrize(("status", "outcome"), [(404, "ok"), (410, "ok"), (403, "ok"), (429, None), (503, None)])
def test_robots_txt_missing_is_no_failure_but_rate_limited_is(status: int, outcome: str | None) -> None:
    """Any 4xx to robots.txt is "unavailable", everything allowed (RFC 9309), except 429: the site asks the
    crawl to slow down, it has not said it has no rules (was "ok" with the rest)."""
    assert robots_outcome(Response("https://site.ma/robots.txt", status=status)) == outcome


def test_a_failure_after_redirects_names_the_url_the_feed_or_config_announced(sites: list[str], tmp_path: Path) -> None:
    base = sites[6]
    refused = closed_port()
    moved, cut = f"{base}/2026/11/20/moved-story", f"{base}/2026/11/20/new-address-story"
    route(f"{base}/", 200, homepage(None, []))
    route(f"{base}/old-feed", 301, b"", {"Location": f"{refused}/feed"})  # the site moved to a dead host
    route(f"{base}/feed/", 200, rss([moved]), RSS)
    route(moved, 301, b"", {"Location": cut})
    Site.dropped.add(cut.removeprefix("http://"))  # hangs up without answering
    config = write_config(tmp_path, sources(("Moved", base, f'feeds = ["{base}/old-feed", "{base}/feed/"]')))
    db = tmp_path / "rasd.db"

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    feed_errors = [error for (error,) in rows(db, f"SELECT error FROM fetches WHERE url LIKE '{refused}%'")]
    assert feed_errors and all(f"(redirected from {base}/old-feed)" in e for e in feed_errors), feed_errors
    article_errors = [error for (error,) in rows(db, f"SELECT error FROM fetches WHERE url = '{cut}'")]
    assert article_errors and all(f"(redirected from {moved})" in e for e in article_errors), article_errors
    assert f"(redirected from {base}/old-feed)" in result.stderr and f"(redirected from {moved})" in result.stderr


def test_a_failure_reads_as_one_line_without_repeated_words() -> None:
    from scrapy.exceptions import DownloadConnectionRefusedError
    from twisted.internet.error import ConnectionRefusedError, DNSLookupError

    from rasd.crawler.spider import describe_failure

    # the network guard's message, inside Twisted's, inside the crawl's label: each said "DNS lookup failed"
    lookup = DNSLookupError("DNS lookup failed for news.example.ma: [Errno -3] Temporary failure in name resolution")
    assert describe_failure(lookup) == (
        "DNS lookup failed for news.example.ma: [Errno -3] Temporary failure in name resolution"
    )
    assert describe_failure(ConnectionRefusedError("111: Connection refused")) == "connection refused"
    refused = DownloadConnectionRefusedError("Connection was refused by other side: 111: Connection refused.")
    assert describe_failure(refused) == "connection refused"


def test_when_most_sources_fail_alike_one_line_says_so_and_status_still_lists_each(
    sites: list[str], tmp_path: Path
) -> None:
    base = sites[7]
    links = stories(base, "alive", 2)
    route(f"{base}/feed/", 200, rss(links), RSS)
    dead = [(f"Dead {n}", f"http://news-{n}.rasd-test.invalid", "") for n in range(6)]
    config = write_config(tmp_path, sources(*dead, ("Alive", base, f'feeds = ["{base}/feed/"]')))

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "crawled 7 sources" in result.stdout and "2 new articles" in result.stdout
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert warnings == [
        "warning: network unreachable? 6 of 7 sources failed with DNS errors (no site name could be looked up: "
        "check this machine's network connection and DNS); `rasd status` lists each source"
    ], result.stderr
    status = run_rasd("--config", str(config), "status", cwd=tmp_path)
    for name, url, _ in dead:
        (line,) = [line for line in status.stdout.splitlines() if line.startswith(name)]
        assert "DNS lookup failed" in line and url.removeprefix("http://") in line, line


def crawler_settings(config: Path, **values: float) -> None:
    """Set `[crawler]` keys of a test config."""
    text = config.read_text()
    for key, value in values.items():
        text = re.sub(rf"(?m)^{key} = .*\n", "", text).replace("[crawler]\n", f"[crawler]\n{key} = {value}\n")
    config.write_text(text)


def test_a_server_that_never_answers_is_given_up_after_two_pages_and_flagged(sites: list[str], tmp_path: Path) -> None:
    healthy, dead = sites[0], sites[1]
    links = stories(healthy, "healthy", 2)
    route(f"{healthy}/feed/", 200, rss(links), RSS)
    Site.hanging.add(dead.removeprefix("http://"))
    config = write_config(
        tmp_path,
        sources(("Healthy", healthy, f'feeds = ["{healthy}/feed/"]'), ("Dead", dead, f'feeds = ["{dead}/feed/"]')),
    )
    crawler_settings(config, download_timeout=1)
    db = tmp_path / "rasd.db"

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert stored(db) == set(links)
    # robots.txt (asked twice: Scrapy retries it) and the feed got no answer: the homepage is not asked
    # for, nor is the feed again — before, each was asked twice, at a download timeout each
    asked = {key: n for key, n in Site.hits.items() if key.startswith(dead.removeprefix("http://"))}
    assert sum(asked.values()) <= 3 and f"{dead.removeprefix('http://')}/" not in asked, asked
    ((error,),) = rows(db, f"SELECT error FROM fetches WHERE url = '{dead}/' AND kind = 'listing'")
    assert error.startswith("not answering: 2 requests in a row got no answer"), error

    # `rasd status` counts failed cycles, not failed fetches, and says why
    assert run_rasd("--config", str(config), "crawl", cwd=tmp_path).returncode == 0
    status = run_rasd("--config", str(config), "status", cwd=tmp_path).stdout
    assert failing(status, "Dead") == ("2", "not answering: 2 requests in a row got no answer"), status
    assert failing(status, "Healthy") == ("0", ""), status
    # in the reader's language, Rasd's own words included (they were English inside a French line)
    french = run_rasd("--config", str(config), "status", cwd=tmp_path, env={"RASD_LANG": "fr"}).stdout
    assert failing(french, "Dead") == ("2", "ne répond pas : 2 requêtes de suite sans réponse "), french


def failing(status: str, source: str) -> tuple[str, str]:
    """A source's `failing` column in `rasd status`, and the start of its note (up to the first `;`)."""
    (line,) = [line for line in status.splitlines() if line.startswith(source + " ")]
    count, _, note = line.partition("←")
    return count.split()[-1], note.strip().split(";")[0]


def test_a_trickling_server_is_cut_at_its_time_budget_and_the_rest_of_the_cycle_goes_on(
    sites: list[str], tmp_path: Path
) -> None:
    healthy, slow = sites[0], sites[2]
    links = stories(healthy, "healthy", 2)
    route(f"{healthy}/feed/", 200, rss(links), RSS)
    slow_links = [f"{slow}/2026/11/2{n % 10}/slow-story-{n}" for n in range(12)]
    Site.trickling.update(link.removeprefix("http://") for link in slow_links)
    route(f"{slow}/feed/", 200, rss(slow_links), RSS)
    config = write_config(
        tmp_path,
        sources(("Healthy", healthy, f'feeds = ["{healthy}/feed/"]'), ("Slow", slow, f'feeds = ["{slow}/feed/"]')),
    )
    # each page would take the whole minute of the download timeout: twelve of them, two at a time, retried,
    # would hold the cycle for twelve minutes; the site's budget is three seconds
    crawler_settings(config, download_timeout=60, source_time_budget=3)
    db = tmp_path / "rasd.db"

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path, timeout=50)

    assert result.returncode == 0, result.stderr
    assert stored(db) == set(links)
    errors = [error for (error,) in rows(db, f"SELECT error FROM fetches WHERE url LIKE '{slow}/2026/%'")]
    assert errors and all(e.startswith(("timed out", "out of time", "not answering")) for e in errors), errors
    assert "Slow: " in result.stderr
    # its feed answered, but no page of it came: a failed cycle, flagged in `rasd status`
    status = run_rasd("--config", str(config), "status", cwd=tmp_path).stdout
    count, note = failing(status, "Slow")
    assert count == "1" and note.startswith(("timed out", "out of time", "not answering")), status


def test_a_source_given_a_new_address_is_crawled_there_not_through_the_old_sites_feed(
    sites: list[str], tmp_path: Path
) -> None:
    old, new = sites[:2]
    old_links = stories(old, "old", 3)
    route(f"{old}/", 200, homepage(f"{old}/feed/", old_links))
    route(f"{old}/feed/", 200, rss(old_links), RSS)
    new_links = stories(new, "new", 3)
    route(f"{new}/", 200, homepage(None, new_links))
    db = tmp_path / "rasd.db"
    config = write_config(tmp_path, sources(("Moved", old, "")))
    assert run_rasd("--config", str(config), "crawl", cwd=tmp_path).returncode == 0
    assert stored(db) == set(old_links)

    config = write_config(tmp_path, sources(("Moved", new, "")))
    moved = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert moved.returncode == 0, moved.stderr
    assert stored(db) == set(old_links) | set(new_links)
    assert rows(db, f"SELECT COUNT(*) FROM fetches WHERE url = '{old}/feed/'") == [(1,)], "the old feed not read again"

    config = write_config(tmp_path, sources(("Moved", closed_port(), "")))
    dead = run_rasd("--config", str(config), "crawl", cwd=tmp_path)
    assert dead.returncode == 1 and "no source could be fetched" in dead.stderr, dead.stderr
