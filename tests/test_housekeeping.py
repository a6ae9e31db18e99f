"""Housekeeping on a real SQLite file does bounded work (issue 16): the whole file is rewritten (VACUUM) only
when a fifth of it is free pages, and the search index keeps answering after its segments are merged."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

from rasd.config import Source
from rasd.crawler.types import FetchRecord
from rasd.storage import Store, utcnow


def _pages(path: Path) -> tuple[int, int]:
    with sqlite3.connect(path) as db:
        return db.execute("PRAGMA page_count").fetchone()[0], db.execute("PRAGMA freelist_count").fetchone()[0]


def _store_with_fetches(path: Path, old: int, recent: int) -> Store:
    store = Store(f"sqlite:///{path}")
    store.sync_sources([Source(name="Tiznit Info", url="https://tiznit.example/")])
    now = utcnow()
    records = [
        FetchRecord(
            source="Tiznit Info",
            url=f"https://tiznit.example/{n}",
            kind="article",
            outcome="error",
            status=None,
            error="timed out: " + "x" * 400,  # a long error line: each record fills a share of a page
            fetched_at=now - timedelta(days=200 if n < old else 1),
        )
        for n in range(old + recent)
    ]
    store.record_fetches(records)
    return store


def test_housekeeping_leaves_the_file_alone_when_little_of_it_is_free(tmp_path: Path) -> None:
    path = tmp_path / "rasd.db"
    store = _store_with_fetches(path, old=300, recent=5_000)  # pruning frees ~6% of the file
    assert store.prune_fetches(90) == 300
    store.optimize()
    pages, free = _pages(path)
    assert free > 0  # the freed pages are kept for new rows, not given back by rewriting the file
    store.optimize()
    assert _pages(path) == (pages, free)


def test_housekeeping_compacts_the_file_when_much_of_it_is_free(tmp_path: Path) -> None:
    path = tmp_path / "rasd.db"
    store = _store_with_fetches(path, old=4_000, recent=1_000)  # pruning frees ~80% of the file
    before, _ = _pages(path)
    assert store.prune_fetches(90) == 4_000
    store.optimize()
    after, free = _pages(path)
    assert free == 0 and after < before * 0.5
