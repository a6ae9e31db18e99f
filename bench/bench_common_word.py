"""A word in many stories, searched as the store grows: the plain walk newest first, which reads every match's
id before its page (`articles.id IN (SELECT rowid … MATCH …)`; on PostgreSQL with filters a hash of every
match), against the walk a window at a time (storage.reading.windowed), on the same store, in one process.

    .venv/bin/python bench/bench_common_word.py --dir /somewhere --sizes 100000,1000000
    .venv/bin/python bench/bench_common_word.py --dir /somewhere --url postgresql+psycopg://…/db{size}

The store is made in SQL, fast enough for a million (seconds to minutes, not hours): short titles, three words
in known shares — `commun` in a quarter of the articles (in every one of Site 2's, in half the SSE ones),
`cooperative` in 3 %, `rarement` in 0.6 % (more than a search sorts, storage.reading.SORTED, from ~850,000
articles on; all of them SSE) — 100 sources, 3,000 articles a day, publication dates up to ~1 day off their
fetch order and one article in twenty backfilled a year or more late, one in ten SSE in MA-09. The text is not
realistic (bench/bench_search.py's is): what is measured is what grows with the number of matches and of
articles, the index's lists of articles, not the words' shapes. Each query: the ids of both ways compared
(they must be the same), then the median wall ms of 5 runs of each, and on SQLite the virtual machine's steps
(thousands), on PostgreSQL the pages its statements touched (pg_stat_statements' shared blocks, when the server
loads it), which the machine's load does not change. `--words` and `--source` search a store filled otherwise
(bench_store_growth.py's, say: `--sizes` at or below what it holds adds nothing to it).
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sqlalchemy import text  # noqa: E402
from sqlalchemy.exc import DBAPIError  # noqa: E402

from rasd.storage import SearchFilters, Store, pg_search, reading  # noqa: E402
from rasd.storage.base import run_text  # noqa: E402
from rasd.storage.query_language import parse  # noqa: E402

WORDS = ("commun", "cooperative", "rarement")
FILTERS = [
    ("", SearchFilters()),
    ("--sse", SearchFilters(sse=True)),
    ("--region MA-09 --sse", SearchFilters(region="MA-09", sse=True)),
    ("--source 'Site 2'", SearchFilters(source="Site 2")),
]
SQLITE_FILL = """
WITH RECURSIVE n(i) AS (SELECT :first UNION ALL SELECT i + 1 FROM n WHERE i < :last)
INSERT INTO articles (id, source_id, url, canonical_url, title, text, published_at, date_source, lang,
                      content_hash, fetched_at)
SELECT i, 1 + i % 100, 'https://s.example/' || i, 'https://s.example/' || i,
       'titre ' || i || CASE WHEN i % 4 = 2 THEN ' commun' ELSE '' END
       || CASE WHEN i % 33 = 0 THEN ' cooperative' ELSE '' END || CASE WHEN i % 170 = 0 THEN ' rarement' ELSE '' END,
       'texte', strftime('%Y-%m-%d %H:%M:%f', '2020-01-01', (i * 28.8 - CASE WHEN i % 20 = 7
           THEN 86400 * (365 + abs(random()) % 700) ELSE abs(random()) % 86400 END) || ' seconds'),
       'meta', 'fr', printf('%064x', i), strftime('%Y-%m-%d %H:%M:%f', '2020-01-01', (i * 28.8) || ' seconds')
FROM n
"""
POSTGRES_FILL = """
INSERT INTO articles (id, source_id, url, canonical_url, title, text, published_at, date_source, lang,
                      content_hash, fetched_at)
SELECT i, 1 + i % 100, 'https://s.example/' || i, 'https://s.example/' || i,
       'titre ' || i || CASE WHEN i % 4 = 2 THEN ' commun' ELSE '' END
       || CASE WHEN i % 33 = 0 THEN ' cooperative' ELSE '' END || CASE WHEN i % 170 = 0 THEN ' rarement' ELSE '' END,
       'texte', timestamp '2020-01-01' + (i * 28.8) * interval '1 second' - CASE WHEN i % 20 = 7
           THEN (365 + floor(random() * 700)) * interval '1 day' ELSE floor(random() * 86400) * interval '1 second' END,
       'meta', 'fr', lpad(to_hex(i), 64, '0'), timestamp '2020-01-01' + (i * 28.8) * interval '1 second'
FROM generate_series(:first, :last) AS i
"""


def fill(store: Store, size: int) -> None:
    """The store grown to `size` articles (from what it holds), 100,000 a transaction."""
    with store.engine.begin() as connection:
        if not connection.execute(text("SELECT count(*) FROM sources")).scalar():
            for s in range(100):
                connection.execute(
                    text("INSERT INTO sources (id, name, url, created_at) VALUES (:id, :name, :url, :at)"),
                    {"id": s + 1, "name": f"Site {s}", "url": f"https://s{s}.example/", "at": "2020-01-01"},
                )
        held = connection.execute(text("SELECT count(*) FROM articles")).scalar() or 0
    for first in range(held + 1, size + 1, 100_000):
        last = min(size, first + 99_999)
        span = {"first": first, "last": last}
        with store.engine.begin() as connection:
            connection.execute(text(SQLITE_FILL if store.is_sqlite else POSTGRES_FILL), span)
            connection.execute(
                text(
                    "INSERT INTO classifications (article_id, sse, score, regions, reasons, parts, classified_at)"
                    " SELECT id, id % 10 = 0, 0.5, CASE WHEN id % 10 = 0 THEN '[\"MA-09\"]' ELSE '[]' END, '[]', '{}',"
                    " fetched_at FROM articles WHERE id BETWEEN :first AND :last"
                ),
                span,
            )
            connection.execute(
                text(
                    "INSERT INTO article_regions (article_id, region, rank) SELECT id, 'MA-09', 0 FROM articles"
                    " WHERE id BETWEEN :first AND :last AND id % 10 = 0"
                ),
                span,
            )
            if store.is_sqlite:
                connection.execute(
                    text(
                        "INSERT INTO articles_fts (rowid, title, text, original)"
                        " SELECT id, ' ' || title || ' ', ' ' || text || ' ', '' FROM articles"
                        " WHERE id BETWEEN :first AND :last"
                    ),
                    span,
                )
            else:
                connection.execute(
                    text(
                        "INSERT INTO article_search (article_id, body) SELECT id, ' ' || title || ' texte '"
                        " FROM articles WHERE id BETWEEN :first AND :last"
                    ),
                    span,
                )
        print(f"  … {last:,} articles", flush=True)
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE" if store.is_sqlite else "VACUUM ANALYZE"))


def timed(work: Callable[[], list[int]], runs: int = 5) -> tuple[float, list[int]]:
    times, ids = [], []
    for _ in range(runs):
        start = time.perf_counter()
        ids = work()
        times.append(1000 * (time.perf_counter() - start))
    return statistics.median(times), ids


def sqlite_ways(path: Path, word: str, filters: SearchFilters, want: int) -> list[tuple[str, float, int, list[int]]]:
    """The plain walk and the windows on SQLite, through sqlite3 as `rasd search` reads the store: ms, VM
    steps (thousands), ids."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    steps = 0

    def step() -> int:
        nonlocal steps
        steps += 1
        return 0

    connection.set_progress_handler(step, 1000)

    def run(sql: str, values: dict[str, object]) -> list[Any]:
        return connection.execute(sql, values).fetchall()

    def plain() -> list[int]:
        sql, values = reading.newest_first_statement(word, filters, want)
        return [row[0] for row in run(sql, values)]

    def windows() -> list[int]:
        return reading._windows(run, word, filters, want)

    found = []
    for name, way in (("plain walk", plain), ("windows", windows)):
        steps = 0
        way()
        counted = steps
        ms, ids = timed(way)
        found.append((name, ms, counted, ids))
    connection.close()
    return found


def postgres_ways(
    store: Store, word: str, filters: SearchFilters, want: int
) -> list[tuple[str, float, int, list[int]]]:
    """The plain walk and the windows on PostgreSQL, with the settings of a search (prefer_the_index, and
    enable_sort off as for a search of many matches): ms, 0, ids."""

    def within(work: Callable[[Any], list[int]]) -> Callable[[], list[int]]:
        def done() -> list[int]:
            with store.session() as session, session.begin():
                pg_search.prefer_the_index(run_text(session))
                session.execute(text("SET LOCAL enable_sort = off"))
                return work(session)

        return done

    def plain(session: Any) -> list[int]:
        run = run_text(session)
        sql, values = pg_search.newest_first_statement(run, word, filters, want)
        return [row[0] for row in run(sql, values)]

    def windows(session: Any) -> list[int]:
        run = run_text(session)
        words = pg_search.words_of(run, parse(word))
        return reading.windowed(pg_search.Windows(run, words, filters), want, pg_search.spread(run))

    found = []
    for name, way in (("plain walk", plain), ("windows", windows)):
        within(way)()
        blocks = read_blocks(store, within(way))
        ms, ids = timed(within(way))
        found.append((name, ms, blocks, ids))
    return found


def read_blocks(store: Store, work: Callable[[], list[int]]) -> int:
    """PostgreSQL: the shared buffers' pages (8 KB, found in memory or read) that the statements of one run of
    `work` touched, from pg_stat_statements (when the server loads it; 0 otherwise) — a count the machine's load
    does not change, as SQLite's steps."""
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        try:
            connection.execute(text("SELECT pg_stat_statements_reset()"))
        except DBAPIError:  # not loaded: no count
            return 0
    work()
    with store.engine.connect() as connection:
        return int(
            connection.execute(
                text(
                    "SELECT sum(shared_blks_hit + shared_blks_read) FROM pg_stat_statements"
                    " WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())"
                    " AND query NOT LIKE '%pg_stat_statements%'"
                )
            ).scalar()
            or 0
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, required=True, help="the SQLite stores (DIR/SIZE.db), kept")
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--url", help="PostgreSQL instead: an existing database a size, {size} in the URL naming it")
    parser.add_argument("--words", default=",".join(WORDS), help="the words searched (a common, a middling, a rare)")
    parser.add_argument("--source", default="Site 2", help="the source of the searches with --source")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    for size in [int(size) for size in args.sizes.split(",")]:
        url = args.url.replace("{size}", str(size)) if args.url else f"sqlite:///{args.dir / f'{size}.db'}"
        store = Store(url)
        started = time.perf_counter()
        fill(store, size)
        print(f"{size:,} articles on {url.partition(':')[0]} (made in {time.perf_counter() - started:.0f} s)")
        for word in args.words.split(","):
            if not store.is_sqlite:  # the planner's estimate the search chooses its way by (pg_search.WINDOWS_SHARE)
                with store.session() as session:
                    run = run_text(session)
                    share = pg_search.share(run, pg_search.words_of(run, parse(word)))
                print(f"  {word}: in {share:.1%} of the articles by the planner's estimate", flush=True)
            for said, filters in FILTERS:
                if filters.source is not None:
                    said, filters = f"--source '{args.source}'", SearchFilters(source=args.source)
                want = 20 if filters == SearchFilters() else reading.COUNTED + 1
                ways = (
                    sqlite_ways(args.dir / f"{size}.db", word, filters, want)
                    if store.is_sqlite
                    else postgres_ways(store, word, filters, want)
                )
                same = "same ids" if ways[0][3] == ways[1][3] else "IDS DIFFER"
                print(
                    f"  search {word} {said:<22} ({len(ways[0][3]):>4} ids, {same}): "
                    + " · ".join(
                        f"{name} {ms:7.1f} ms" + (f" {steps:,}k steps" if store.is_sqlite else f" {steps:,} pages")
                        for name, ms, steps, _ in ways
                    ),
                    flush=True,
                )
        store.close()


if __name__ == "__main__":
    main()
