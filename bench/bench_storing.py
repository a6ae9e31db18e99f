"""Storing alone: what `Store.save_articles` costs an article, apart from the crawl around it.

    .venv/bin/python bench/bench_storing.py prepare ARTICLES.pickle [--pages 2000 --sites 20]
    .venv/bin/python bench/bench_storing.py store ARTICLES.pickle STORE.db [--batch 64]

`prepare` extracts and classifies every article page of bench/crawlweb.py's generated web (the very bytes the
crawl benchmark serves) in this one process, as the crawl's worker does, and pickles the `NewArticle`s with
their sources. `store` writes them into a fresh SQLite store in batches as the crawl does
(`monitor.cycle.STORE_BATCH`) and prints the CPU (user, system) and `/proc/self/io` bytes and calls of the
storing alone, per article, and the store's size by table. Run `store` under `valgrind --tool=cachegrind
--cache-sim=no` for a deterministic count: the pickle is made once, so two checkouts (another's `.venv`
running this file) store the same articles, and bench/compare_stores.py compares the two stores.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sqlite3
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))


def prepare(args: argparse.Namespace) -> None:
    from crawlweb import CrawlWeb  # type: ignore[import-not-found]

    from rasd.classify import load_classifier
    from rasd.config import Source
    from rasd.crawler import canonicalize_url
    from rasd.extract import extract_article
    from rasd.storage import NewArticle

    web = CrawlWeb(sites=args.sites, pages=args.pages)
    for app in web.apps:
        app.prerender()
    classifier = load_classifier(seeds_dir=Path(__file__).resolve().parents[1] / "seeds")
    by_home = {site.url: site for site in web.sites}
    sources = [Source(name=s.name, url=s.url, region=s.region, lang=s.lang) for s in web.sites]
    items = []
    fetched_at = datetime.now(UTC)
    for url, body in web.article_pages():
        site = next(site for home, site in by_home.items() if url.startswith(home))
        article = extract_article(body, url, fetched_at)
        if article is None:
            continue
        classification = classifier.classify(article.title, article.text, article.lang, site.region)
        items.append(NewArticle(site.name, canonicalize_url(url), article, classification))
    Path(args.articles).write_bytes(pickle.dumps((sources, items)))
    print(f"{len(items)} articles of {args.pages} pages pickled to {args.articles}")


def io_counts() -> dict[str, int]:
    lines = Path("/proc/self/io").read_text().split("\n")
    return {key: int(value) for key, value in (line.split(": ") for line in lines if line)}


def store(args: argparse.Namespace) -> None:
    from rasd.storage import Store

    sources, items = pickle.loads(Path(args.articles).read_bytes())
    items = items[: args.limit]
    database = Path(args.store)
    for leftover in (database, Path(f"{database}-wal"), Path(f"{database}-shm")):
        leftover.unlink(missing_ok=True)
    target = Store(f"sqlite:///{database}")
    target.sync_sources(sources)
    # warm: SQLAlchemy's statements compiled, the fingerprint module imported, as in a crawl's first batch
    before_io, before = io_counts(), os.times()
    started = time.perf_counter()
    for start in range(0, len(items), args.batch):
        target.save_articles(items[start : start + args.batch])
    after, after_io = os.times(), io_counts()
    wall = time.perf_counter() - started
    count = max(1, len(items))
    user, system = (after.user - before.user) / count * 1000, (after.system - before.system) / count * 1000
    print(f"{count} articles stored, {args.batch} a transaction, {wall:.1f} s of wall time")
    print(f"CPU an article: {user + system:.2f} ms (user {user:.2f}, system {system:.2f})")
    for key in ("syscr", "syscw", "read_bytes", "write_bytes", "rchar", "wchar"):
        print(f"  {key} an article: {(after_io[key] - before_io[key]) / count:,.0f}")
    target.engine.dispose()
    with sqlite3.connect(database) as connection:
        try:
            sizes = connection.execute(
                "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY SUM(pgsize) DESC LIMIT 14"
            ).fetchall()
        except sqlite3.OperationalError:  # an SQLite without the dbstat table
            sizes = []
    for name, size in sizes:
        print(f"  {name}: {size / 1e6:.2f} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    making = commands.add_parser("prepare")
    making.add_argument("articles")
    making.add_argument("--pages", type=int, default=2000)
    making.add_argument("--sites", type=int, default=20)
    storing = commands.add_parser("store")
    storing.add_argument("articles")
    storing.add_argument("store")
    storing.add_argument("--batch", type=int, default=64)
    storing.add_argument("--limit", type=int, help="store only the first LIMIT (0: the start-up alone, to subtract)")
    args = parser.parse_args()
    prepare(args) if args.command == "prepare" else store(args)


if __name__ == "__main__":
    main()
