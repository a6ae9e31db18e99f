"""`rasd status`, `search` and `explain` on a store at the newest schema, read with the driver alone: the
standard library's sqlite3 on SQLite, psycopg on PostgreSQL.

Importing SQLAlchemy costs ~0.3 s of CPU, and its ORM and the store's models ~0.1 s more (on PostgreSQL, with
its dialect, ~0.85 s in all on this machine): most of what these commands spent, for statements that are SQL
text (storage/health.py, storage/reading.py, storage/pg_search.py) which the `Store` runs through its engine
too. So a store that needs nothing done first — an SQLite file, or a PostgreSQL database (`postgresql://` or
`postgresql+psycopg://`, which the `Store` opens with psycopg), whose schema is the newest shipped — is read
directly, read-only, with the same statements and values. Anything else (no file, an older schema to
upgrade, another driver, a server that refuses, a URL option psycopg does not take, any error of the driver)
gives None, and the command opens the `Store` as before, which upgrades it or says what is wrong. A search
query that cannot be run raises SearchError, as the `Store` would.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any, TypeVar

from rasd.storage.files import head_revision, read_only_uri, sqlite_file
from rasd.storage.health import Run, SourceHealth, health_of
from rasd.storage.times import stored, utcnow

if TYPE_CHECKING:  # `rasd status` needs neither the query language nor the stories' statements
    from rasd.storage import reading
    from rasd.storage.query_language import SearchFilters

T = TypeVar("T")
# Read with psycopg: the URLs the `Store` opens with it (storage/database.py makes `postgresql://` psycopg's).
_PSYCOPG = ("postgresql+psycopg://", "postgresql://")


def read_health(url: str) -> list[SourceHealth] | None:
    """Every source's health read directly from the store at `url`; None when it cannot be (above)."""
    return _read(url, lambda run, _: health_of(run, utcnow()))


def read_search(url: str, query: str, filters: SearchFilters, limit: int) -> reading.Found | None:
    """`rasd search` read directly from the store at `url` (`Store.search`); None when it cannot be."""
    from rasd.storage import reading

    def search(run: Run, postgresql: bool) -> reading.Found:
        if postgresql:
            from rasd.storage import pg_search

            return reading.found(run, pg_search.search_hits(run, query, filters, limit))
        return reading.search(run, query, filters, limit)

    return _read(url, search)


def read_explain(url: str, article_id: int) -> reading.Explained | None:
    """What `rasd explain` reads, directly from the store at `url` (`Store.explained`); None when it cannot be."""
    from rasd.storage import reading

    return _read(url, lambda run, _: reading.explained(run, article_id))


def _read(url: str, work: Callable[[Run, bool], T]) -> T | None:
    """`work` done on the store at `url` with its driver alone, read-only (its `Run`, and whether the store is
    PostgreSQL); None when it cannot be (above)."""
    if url.startswith(_PSYCOPG):
        return _read_postgresql(url, work)
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

        return work(run, False)
    except sqlite3.Error:
        return None
    finally:
        connection.close()


def _read_postgresql(url: str, work: Callable[[Run, bool], T]) -> T | None:
    """`work` done on the PostgreSQL database at `url` with psycopg, in one read-only transaction; None when
    psycopg is not installed, cannot connect or take the URL, the schema is not the newest, or a statement fails
    (the `Store` then says why, or upgrades)."""
    head = head_revision()
    if head is None:
        return None
    try:
        import psycopg
    except ImportError:  # installed without the `postgres` extra: the Store says so
        return None
    try:
        # libpq reads the same URL (user, password, host, port, database, its options) once the driver is named
        connection = psycopg.connect("postgresql://" + url.split("://", 1)[1])
    except psycopg.Error:
        return None
    try:
        connection.read_only = True
        found = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        if found is None or found[0] != head:
            return None

        def run(sql: str, values: dict[str, object]) -> list[Any]:
            cursor = connection.execute(_pyformat(sql), values)
            return cursor.fetchall() if cursor.description is not None else []  # a setting gives no rows

        return work(run, True)
    except psycopg.Error:
        return None
    finally:
        connection.close()


# A bind by name as SQLAlchemy's `text()` reads it (not `::type`, not an escaped `\:`)
_BIND = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")


@cache
def _pyformat(sql: str) -> str:
    """A statement's `:name` binds as psycopg takes them, `%(name)s` (a `%` of the text doubled): translated once
    a statement."""
    return _BIND.sub(r"%(\1)s", sql.replace("%", "%%"))
