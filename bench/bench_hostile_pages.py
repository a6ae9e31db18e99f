"""How long hostile pages hold the crawler: a million links, a 10 MB single line, an entity-free huge feed.

    python bench/bench_hostile_pages.py

Times the crawler's own parsing functions on pages built in memory (the network cap, DOWNLOAD_MAXSIZE,
stops them at 5 MB by default; these figures are for a user who raised it). Prints figures; never fails.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rasd.crawler.discovery import MAX_FEED_ITEMS, MAX_PAGE_LINKS, UnsafeXml, page_links, parse_feed, parse_html
from rasd.extract import extract_article
from rasd.storage import utcnow


def timed(label: str, function: object, *args: object) -> object:
    start = time.perf_counter()
    result = function(*args)  # type: ignore[operator]
    print(f"{label}: {time.perf_counter() - start:.2f} s")
    return result


def main() -> None:
    links = "".join(f'<a href="/2026/11/{i}/story-number-{i}">s {i}</a>' for i in range(1_000_000))
    page = f"<html><body>{links}</body></html>".encode()
    print(f"million-link page: {len(page) / 1e6:.1f} MB")
    tree = timed("  lxml parse", parse_html, page)
    found = timed(f"  page_links (first {MAX_PAGE_LINKS})", page_links, tree, "http://x.ma/")
    print(f"  links kept: {len(found)}")  # type: ignore[arg-type]
    timed("  page_links unbounded (what the bound avoids)", page_links, tree, "http://x.ma/", 10**9)

    line = ("<html><body><p>" + "تعاونية " * 700_000 + "</p></body></html>").encode()
    print(f"single-line page: {len(line) / 1e6:.1f} MB")
    timed("  lxml parse", parse_html, line)
    timed("  extract_article", extract_article, line, "http://x.ma/a", utcnow())

    def feed(count: int) -> bytes:
        items = "".join(f"<item><title>t{i}</title><link>http://x.ma/a/{i}</link></item>" for i in range(count))
        return f'<?xml version="1.0"?><rss version="2.0"><channel>{items}</channel></rss>'.encode()

    print(f"feed of 50,000 items: {len(feed(50_000)) / 1e6:.1f} MB")
    try:
        timed("  parse_feed", parse_feed, feed(50_000), {}, "http://x.ma/feed")
    except UnsafeXml as error:
        print(f"  {error}")
    timed(f"  parse_feed of {MAX_FEED_ITEMS} items (the most accepted)", parse_feed, feed(MAX_FEED_ITEMS), {}, "")


if __name__ == "__main__":
    main()
