"""Site structures real news sites have and the crawl had not met, each on its own loopback host: a large
sitemap index listing its oldest children first, a sitemap with tag and category pages beside the articles,
feeds that are gzipped without saying so, whose items are not all the site's own or carry a guid that is not
an address, and homepages whose links are raw UTF-8 Arabic slugs, `index.php?id=` articles and `?page=2`
listings, a cookie wall. Every article is found once and nothing else is stored."""

from __future__ import annotations

import gzip
from pathlib import Path
from urllib.parse import quote

from rasd.crawler.discovery import newest_children, parse_sitemap
from rasd.crawler.spider import MAX_CHILD_SITEMAPS
from tests.conftest import run_rasd, write_config
from tests.sites import RSS, XML, Site, article, fetch, homepage, route, rows, rss, sources, stored, stories


def _urlset(links: list[str], lastmod: str = "") -> bytes:
    urls = "".join(f"<url><loc>{link}</loc>{lastmod}</url>" for link in links)
    return f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'.encode()


def _robots(base: str, sitemap: str) -> None:
    route(f"{base}/robots.txt", 200, f"User-agent: *\nAllow: /\nSitemap: {base}{sitemap}\n".encode())


def test_a_sitemap_index_is_read_from_its_newest_children_and_its_tag_pages_are_not_stored(
    sites: list[str], tmp_path: Path
) -> None:
    monthly, tagged = sites[:2]
    # WordPress, Yoast and monthly archives list the oldest child first: the newest is the last of 40
    months = [(2023 + n // 12, n % 12 + 1) for n in range(40)]
    children = [f"{monthly}/sitemap-posts-{year}-{month:02d}.xml" for year, month in months]
    index = "".join(
        f"<sitemap><loc>{child}</loc><lastmod>{year}-{month:02d}-28</lastmod></sitemap>"
        for child, (year, month) in zip(children, months, strict=True)
    )
    route(f"{monthly}/sitemap_index.xml", 200, f"<sitemapindex>{index}</sitemapindex>".encode(), XML)
    for child in children[:-1]:
        route(child, 200, _urlset([]), XML)
    newest = stories(monthly, "newest", 3)
    route(children[-1], 200, _urlset(newest), XML)
    _robots(monthly, "/sitemap_index.xml")
    route(f"{monthly}/", 200, homepage(None, []))
    # a sitemap that lists the site's sections, tags, author and homepage beside its articles
    articles = stories(tagged, "tagged", 3)
    listings = [f"{tagged}/category/societe/", f"{tagged}/tag/cooperatives/", f"{tagged}/author/admin/", f"{tagged}/"]
    for listing in listings:
        route(listing, 200, homepage(None, articles))
    route(f"{tagged}/sitemap.xml", 200, _urlset(articles + listings), XML)
    _robots(tagged, "/sitemap.xml")
    config = write_config(tmp_path, sources(("Monthly", monthly, ""), ("Tagged", tagged, "")))

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert stored(tmp_path / "rasd.db") == set(newest + articles), result.stderr
    assert Site.hits.get(children[0].removeprefix("http://")) is None  # the oldest month is not read
    assert not [line for line in result.stderr.splitlines() if line.startswith("warning:")], result.stderr
    # `rasd sources check` judges the index by the child the crawl reads
    check = run_rasd("--config", str(config), "sources", "check", "--source", "Monthly", cwd=tmp_path)
    assert "(40 child sitemaps, the newest with 3 URLs, robots.txt)" in check.stdout, check.stdout + check.stderr


def test_a_wordpress_index_without_lastmod_reads_its_posts_before_its_tag_pages() -> None:
    """WordPress core's wp-sitemap.xml gives no <lastmod>; a news site has more tag pages than post pages.
    By page number alone, the crawl's five children were all tag sitemaps (their entries all left out as tag
    pages), and `rasd sources check` called a tag sitemap the newest child (review9)."""
    site = "https://site.ma/"
    children = (
        [f"{site}wp-sitemap-posts-post-{n}.xml" for n in (1, 2, 3)]
        + [f"{site}wp-sitemap-posts-page-1.xml", f"{site}wp-sitemap-taxonomies-category-1.xml"]
        + [f"{site}wp-sitemap-taxonomies-post_tag-{n}.xml" for n in range(1, 9)]
        + [f"{site}wp-sitemap-users-1.xml"]
    )
    index = (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<sitemap><loc>{child}</loc></sitemap>" for child in children)
        + "</sitemapindex>"
    )
    read = newest_children(parse_sitemap(index.encode(), site + "wp-sitemap.xml"))[:MAX_CHILD_SITEMAPS]
    assert read[:3] == [f"{site}wp-sitemap-posts-post-{n}.xml" for n in (3, 2, 1)], read


def test_the_crawl_reads_a_wordpress_index_whose_tag_sitemaps_outnumber_its_post_sitemaps(
    sites: list[str], tmp_path: Path
) -> None:
    """The same index crawled for real: its newest posts are in wp-sitemap-posts-post-3.xml, never read."""
    base = sites[0]
    posts = [f"{base}/wp-sitemap-posts-post-{n}.xml" for n in (1, 2, 3)]
    tags = [f"{base}/wp-sitemap-taxonomies-post_tag-{n}.xml" for n in range(1, 9)]
    index = "".join(f"<sitemap><loc>{child}</loc></sitemap>" for child in posts + tags)
    route(f"{base}/wp-sitemap.xml", 200, f"<sitemapindex>{index}</sitemapindex>".encode(), XML)
    for child in posts[:2]:
        route(child, 200, _urlset([]), XML)
    newest = stories(base, "newest", 3)
    route(posts[2], 200, _urlset(newest), XML)
    for n, child in enumerate(tags):
        route(child, 200, _urlset([f"{base}/tag/tag-{n}/"]), XML)
    _robots(base, "/wp-sitemap.xml")
    route(f"{base}/", 200, homepage(None, []))
    config = write_config(tmp_path, sources(("Press", base, "")))

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert stored(tmp_path / "rasd.db") == set(newest), result.stderr
    check = run_rasd("--config", str(config), "sources", "check", "--source", "Press", cwd=tmp_path)
    assert "(11 child sitemaps, the newest with 3 URLs, robots.txt)" in check.stdout, check.stdout + check.stderr


def test_feeds_gzipped_without_saying_so_with_name_guids_or_other_sites_items_give_only_their_articles(
    sites: list[str], tmp_path: Path
) -> None:
    packed, named, aggregator, elsewhere = sites[2:6]
    own = {}
    for base, name in ((packed, "packed"), (named, "named"), (aggregator, "aggregator")):
        route(f"{base}/", 200, homepage(f"{base}/feed/", []))
        own[base] = stories(base, name, 2)
    # a feed stored gzipped and served as it is: no Content-Encoding
    route(f"{packed}/feed/", 200, gzip.compress(rss(own[packed])), RSS)
    # guids that are names, not addresses (isPermaLink="false"), the one without a <link> left out
    items = "".join(
        f'<item><title>t</title><link>{link}</link><guid isPermaLink="false">{n}</guid></item>'
        for n, link in enumerate(own[named])
    )
    items += '<item><title>t</title><guid isPermaLink="false">98765</guid></item>'
    route(f"{named}/feed/", 200, f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode())
    # an aggregator's items: its own and another site's (another source's articles, not this one's)
    route(f"{aggregator}/feed/", 200, rss(own[aggregator] + stories(elsewhere, "elsewhere", 2)), RSS)
    config = write_config(
        tmp_path, sources(("Packed", packed, ""), ("Named", named, ""), ("Aggregator", aggregator, ""))
    )
    db = tmp_path / "rasd.db"

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert stored(db) == {url for links in own.values() for url in links}, result.stderr
    assert fetch(db, f"{packed}/feed/") == ("ok", None)
    assert not rows(db, "SELECT url FROM fetches WHERE url LIKE '%98765%'")
    assert not any(elsewhere.removeprefix("http://") in key for key in Site.hits)
    assert not [line for line in result.stderr.splitlines() if line.startswith("warning:")], result.stderr


def test_a_homepage_listing_of_raw_arabic_slugs_php_ids_and_query_pages_gives_every_article(
    sites: list[str], tmp_path: Path
) -> None:
    base, wall = sites[6:8]
    slug = "تعاونية-نسائية-بتيزنيت-تنظم-معرضا-للأركان"
    found = {
        f"{base}/{quote(slug)}": f"/{slug}",  # raw UTF-8 in a page that declares it only in its HTTP header
        f"{base}/index.php?id=77": "/index.php?id=77",
        f"{base}/news.php?lang=ar&nid=78": "news.php?lang=ar&nid=78",
    }
    for url in found:
        route(url, 200, article(url))
    route(f"{base}/", 200, homepage(None, [*found.values(), "/?page=2"]))
    route(f"{base}/?page=2", 200, homepage(None, ["/index.php?id=79"]))
    route(f"{base}/index.php?id=79", 200, article("79"))
    # a cookie wall: every page redirects to itself setting a cookie, and answers once it comes back
    Site.walled.add(wall.removeprefix("http://"))
    walled = stories(wall, "walled", 2)
    route(f"{wall}/", 200, homepage(None, walled))
    config = write_config(tmp_path, sources(("Listing", base, ""), ("Wall", wall, "")))

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert stored(tmp_path / "rasd.db") == {*found, f"{base}/index.php?id=79", *walled}, result.stderr
    assert not [line for line in result.stderr.splitlines() if line.startswith("warning:")], result.stderr


def test_a_homepage_that_is_a_script_redirect_is_followed_to_the_real_one(sites: list[str], tmp_path: Path) -> None:
    base = sites[0]
    links = stories(base, "scripted", 2)
    stub = b'<html><head><script>window.location.href = "/ar/index.html";</script></head><body>...</body></html>'
    route(f"{base}/", 200, stub)
    route(f"{base}/ar/index.html", 200, homepage(None, links))
    config = write_config(tmp_path, sources(("Scripted", base, "")))

    result = run_rasd("--config", str(config), "crawl", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert stored(tmp_path / "rasd.db") == set(links), result.stderr
