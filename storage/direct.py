"""`rasd status`, `search` and `explain` on an SQLite store at the newest schema, read with the standard
library's sqlite3.

Importing SQLAlchemy costs ~0.3 s of CPU, and its ORM and the store's models ~0.1 s more: most of what these
commands spent, for statements that are SQL text (storage/health.py, storage/reading.py) which the `Store`
runs through its engine too. So a store that needs nothing done first — an SQLite file whose schema is the
newest shipped — is read directly, read-only, with the same statements and the times bound as the store
writes them. Anything else (no file, an older schema to upgrade, PostgreSQL, an error of sqlite3) gives None,
and the command opens the `Store` as before, which upgrades it or says what is wrong. A search query that
cannot be run raises SearchError, as the `Store` would.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from rasd.storage.files import head_revision, read_only_uri, sqlite_file
from rasd.storage.health import Run, SourceHealth, health_of
from rasd.storage.times import stored, utcnow

if TYPE_CHECKING:  # `rasd status` needs neither the query language nor the stories' statements
    from rasd.storage import reading
    from rasd.storage.query_language import SearchFilters

T = TypeVar("T")


def read_health(url: str) -> list[SourceHealth] | None:
    """Every source's health read directly from the SQLite store at `url`; None when it cannot be (above)."""
    return _read(url, lambda run: health_of(run, utcnow()))


def read_search(url: str, query: str, filters: SearchFilters, limit: int) -> reading.Found | None:
    """`rasd search` read directly from the SQLite store at `url` (`Store.search`); None when it cannot be."""
    from rasd.storage import reading

    return _read(url, lambda run: reading.search(run, query, filters, limit))


def read_explain(url: str, article_id: int) -> reading.Explained | None:
    """What `rasd explain` reads, directly from the SQLite store at `url` (`Store.explained`); None when it
    cannot be."""
    from rasd.storage import reading

    return _read(url, lambda run: reading.explained(run, article_id))


def _read(url: str, work: Callable[[Run], T]) -> T | None:
    """`work` done on the SQLite store at `url` through sqlite3, read-only; None when it cannot be (above)."""
    path = sqlite_file(url)
    head = head_revision()
    if path is None or head is None or not path.is_file():
        return None
    try:
        connection = sqlite3.connect(read_only_uri(path), uri=True, timeout=30)
    except sqlite3.Error:
        return None
    try:
        found = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        if found is None or found[0] != head:
            return None

        def run(sql: str, values: dict[str, object]) -> list[Any]:
            bound = {key: stored(value) for key, value in values.items()}
            return connection.execute(sql, bound).fetchall()

        return work(run)
    except sqlite3.Error:
        return None
    finally:
        connection.close()
