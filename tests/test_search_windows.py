"""A search of many matches (a word in a large share of the stories) shows the same newest matches in the same
order however the store's ids and dates relate — articles fetched out of their dates' order, backfilled years
late, several at one moment, some without a date — while reading only the newest articles' matches: on SQLite
it walks the articles newest first a window at a time (storage.reading._windows), and what it runs does not
grow with the store (counted in SQLite's virtual machine steps, not seconds)."""

from __future__ import annotations

import json
import random
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from sqlalchemy import insert, text

from rasd.config import Source
from rasd.storage import SearchFilters, Store, direct, pg_search, reading
from rasd.storage.base import table
from rasd.storage.models import ArticleRegionRow, ArticleRow, ClassificationRow
from rasd.storage.query_language import index_rows
from rasd.storage.search import write_index_rows

SOURCES = ["Souss", "Oriental", "Fes"]
START = datetime(2024, 1, 1)
COMMON, RARE = "cooperative", "oliviers"  # in two articles of three; in one of seven
MIDDLE = "argan"  # in one of thirty


def _when(rnd: random.Random, i: int) -> tuple[datetime | None, datetime]:
    """An article's publication date and fetch time: mostly in the order of the ids, a few days off either way;
    one in ten backfilled (published a year or more before it was fetched); one in fifteen without a date
    (its fetch time counts); runs of several at the very same moment."""
    fetched = START + timedelta(hours=6 * i) + timedelta(minutes=rnd.randrange(300))
    if i % 15 == 0:
        return None, fetched
    if rnd.random() < 0.1:
        return fetched - timedelta(days=rnd.randrange(365, 1000)), fetched
    if i % 11 < 3:  # three in a row at one moment
        return START + timedelta(hours=6 * (i - i % 11)), fetched
    return fetched - timedelta(hours=rnd.randrange(-72, 96)), fetched


def fill(store: Store, count: int, seed: int = 12) -> list[dict[str, Any]]:
    """`count` articles with shuffled ids (inserted in that order, with those ids), their classification,
    region and search entry as the store writes them; the articles' rows, for the expected answers."""
    store.sync_sources([Source(name=name, url=f"https://{name.lower()}.example/") for name in SOURCES])
    rnd = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for i in range(1, count + 1):
        published, fetched = _when(rnd, i)
        words = [COMMON] if i % 3 else []
        words += [RARE] if i % 7 == 0 else []
        words += [MIDDLE] if i % 30 == 0 else []
        rows.append(
            {
                "id": i,
                "source": SOURCES[rnd.randrange(len(SOURCES))],
                "title": f"titre {i} " + " ".join(words),
                "text": "un texte sur la region " * 3,
                "published_at": published,
                "fetched_at": fetched,
                "lang": "fr" if i % 4 else "ar",
                "sse": i % 5 == 0,
                "region": "MA-09" if i % 2 else "MA-03",
            }
        )
    order = list(rows)
    rnd.shuffle(order)  # stored in no particular order
    with store.engine.begin() as connection:
        ids: dict[str, int] = dict(connection.exec_driver_sql("SELECT name, id FROM sources").all())
        connection.execute(
            insert(table(ArticleRow)),
            [
                {
                    "id": row["id"],
                    "source_id": ids[row["source"]],
                    "url": f"https://x.example/{row['id']}",
                    "canonical_url": f"https://x.example/{row['id']}",
                    "title": row["title"],
                    "text": row["text"],
                    "published_at": row["published_at"],
                    "date_source": None if row["published_at"] is None else "meta",
                    "lang": row["lang"],
                    "content_hash": f"{row['id']:064x}",
                    "fetched_at": row["fetched_at"],
                }
                for row in order
            ],
        )
        connection.execute(
            insert(table(ClassificationRow)),
            [
                {
                    "article_id": row["id"],
                    "sse": row["sse"],
                    "score": 0.5,
                    "regions": json.dumps([row["region"]]),
                    "reasons": "[]",
                    "parts": "{}",
                    "classified_at": row["fetched_at"],
                }
                for row in order
            ],
        )
        connection.execute(
            insert(table(ArticleRegionRow)),
            [{"article_id": row["id"], "region": row["region"], "rank": 0} for row in order],
        )
        indexed = index_rows([(r["id"], r["title"], r["text"]) for r in order])
        write_index_rows(connection, store.is_sqlite, indexed)
    return rows


def expected(rows: list[dict[str, Any]], word: str, filters: SearchFilters) -> list[int]:
    """Every match of `word` and `filters`, newest first (the moment, then the id), worked out from the rows."""

    def kept(row: dict[str, Any]) -> bool:
        moment = row["published_at"] or row["fetched_at"]
        return (
            word in row["title"].split()
            and (filters.source is None or row["source"] == filters.source)
            and (filters.region is None or row["region"] == filters.region)
            and (filters.sse is None or row["sse"] == filters.sse)
            and (filters.lang is None or row["lang"] == filters.lang)
            and (filters.since is None or moment >= filters.since)
            and (filters.until is None or moment < filters.until)
        )

    matching = [row for row in rows if kept(row)]
    matching.sort(key=lambda row: (row["published_at"] or row["fetched_at"], row["id"]), reverse=True)
    return [row["id"] for row in matching]


FILTERS = [
    SearchFilters(),
    SearchFilters(source="Oriental"),
    SearchFilters(region="MA-09", sse=True),
    SearchFilters(lang="ar"),
    SearchFilters(since=START + timedelta(days=200), until=START + timedelta(days=400)),
    SearchFilters(source="Fes", since=START + timedelta(days=100)),
]


@pytest.fixture
def small_limits() -> Any:
    """A search of more than 40 matches walks (SORTED), counts up to 25 with filters (COUNTED), in windows
    starting at 16 articles (WINDOW): the walk's every turn on a store of a few thousand articles."""
    with (
        mock.patch.object(reading, "SORTED", 40),
        mock.patch.object(pg_search, "SORTED", 40),
        mock.patch.object(reading, "COUNTED", 25),
        mock.patch.object(pg_search, "COUNTED", 25),
        mock.patch.object(reading, "WINDOW", 16),
    ):
        yield


@pytest.mark.parametrize("filters", FILTERS, ids=lambda f: repr(f).replace("SearchFilters", ""))
def test_a_common_word_shows_the_newest_matches_in_order_whatever_the_ids(
    database_url: str, small_limits: Any, filters: SearchFilters
) -> None:
    store = Store(database_url)
    rows = fill(store, 1500)
    for word in (COMMON, RARE):
        matching = expected(rows, word, filters)
        assert len(expected(rows, word, SearchFilters())) > 40  # more hold the word than a search sorts: walked
        for limit in (1, 20, 30):
            found = store.search(word, limit=limit, filters=filters)
            assert [story.article_id for story in found] == matching[:limit], (word, limit)
            if filters == SearchFilters():
                assert (found.total, found.more) == (max(40, limit), True)
            else:
                counted = max(25, limit)
                assert (found.total, found.more) == (min(len(matching), counted), len(matching) > counted)
        # `rasd search` reads a store at the newest schema with the driver alone, sqlite3 or psycopg
        # (storage/direct.py): the same page and count
        read = direct.read_search(database_url, word, filters, 20)
        assert read is not None and [story.article_id for story in read] == matching[:20]
        through_store = store.search(word, limit=20, filters=filters)
        assert (read.total, read.more) == (through_store.total, through_store.more), word
    store.close()


def _steps(path: Path, word: str) -> int:
    """SQLite's virtual machine steps (in thousands) for `rasd search WORD` as storage/direct.py runs it."""
    steps = 0

    def step() -> int:
        nonlocal steps
        steps += 1
        return 0

    connect = sqlite3.connect

    def counted(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        connection = connect(*args, **kwargs)
        connection.set_progress_handler(step, 1000)
        return connection

    with mock.patch("sqlite3.connect", counted):
        found = direct.read_search(f"sqlite:///{path}", word, SearchFilters(), 20)
    assert found is not None and len(found) == 20 and found.more
    return steps


def test_a_common_word_reads_as_much_in_a_store_three_times_larger(tmp_path: Path) -> None:
    """A word in two articles of three, searched in 9,000 and in 27,000 articles: the page is read from the newest
    articles' matches, not from every match's id (which made the search of a word in a quarter of a million
    articles 0.45 s, growing with the store)."""
    steps = []
    for count in (9_000, 27_000):
        path = tmp_path / f"{count}.db"
        store = Store(f"sqlite:///{path}")
        fill(store, count)
        store.close()
        steps.append(_steps(path, COMMON))
    # the search reads up to SORTED (5,000) matches' ids to know there are more: the same in both stores
    assert steps[1] < 1.15 * steps[0], steps


def test_postgresql_walks_in_windows_only_a_word_in_a_large_share_of_the_store(
    postgres_admin_url: str, small_limits: Any
) -> None:
    """On PostgreSQL a window at a time costs less than the plain walk only for a word in a large share of the
    store (storage.pg_search.WINDOWS_SHARE, by the planner's estimate after ANALYZE): a word in one article of thirty,
    more than a search sorts, with filters, is read by the plain walk; a word in two of three, a window at a time.
    The same page either way."""
    from tests.postgres import new_database

    store = Store(new_database(postgres_admin_url))
    rows = fill(store, 1500)
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("ANALYZE"))
    filters = SearchFilters(sse=True)
    for word, in_windows in ((COMMON, True), (MIDDLE, False)):
        assert len(expected(rows, word, SearchFilters())) > 40  # walked, not sorted
        with mock.patch.object(pg_search, "windowed", wraps=reading.windowed) as windowed:
            found = store.search(word, limit=20, filters=filters)
        assert [story.article_id for story in found] == expected(rows, word, filters)[:20], word
        assert windowed.called is in_windows, word
    store.close()
