"""`rasd status`, `search` and `explain` on a PostgreSQL store at the newest schema read it with psycopg alone
(storage/direct.py), without SQLAlchemy: the same statements as the `Store` (storage/health.py,
storage/reading.py, storage/pg_search.py), and the same health, stories, counts, verdicts and references from
both, on the tests' PostgreSQL server over the matrix of searches test_direct_reads.py runs on SQLite; the
commands import no SQLAlchemy; anything else (an older schema, a server that refuses, a URL option psycopg does
not take, another driver) is left to the `Store`."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import psycopg
import pytest

from rasd.config import Source
from rasd.crawler import FetchRecord
from rasd.storage import SearchFilters, Store, read_explain, read_health, read_search, utcnow
from tests.conftest import write_config
from tests.test_direct_reads import (
    fill_stories,
    test_a_query_that_cannot_run_says_why_as_the_store_does,
    test_every_search_reads_the_same_through_sqlite3_as_through_the_store,
    test_explain_reads_the_same_through_sqlite3_as_through_the_store,
)
from tests.test_startup import _rasd

# The SQLite twin's checks, here on the `stored` PostgreSQL store below (pytest finds fixtures where a test runs).
test_every_search_reads_the_same_through_psycopg_as_through_the_store = (
    test_every_search_reads_the_same_through_sqlite3_as_through_the_store
)
test_explain_reads_the_same_through_psycopg_as_through_the_store = (
    test_explain_reads_the_same_through_sqlite3_as_through_the_store
)
test_a_query_that_cannot_run_says_why_through_psycopg_as_the_store_does = (
    test_a_query_that_cannot_run_says_why_as_the_store_does
)
del test_every_search_reads_the_same_through_sqlite3_as_through_the_store
del test_explain_reads_the_same_through_sqlite3_as_through_the_store
del test_a_query_that_cannot_run_says_why_as_the_store_does


@pytest.fixture(scope="module")
def stored(postgres_admin_url: str) -> tuple[str, dict[str, int]]:
    """A PostgreSQL store with the SQLite twin's stories, copy and verdicts, and its sources' fetches."""
    from tests.postgres import new_database

    url = new_database(postgres_admin_url)
    store = Store(url)
    ids = fill_stories(store)
    now = utcnow()
    feed: dict[str, Any] = {"kind": "feed", "fetched_at": now}
    records = [
        FetchRecord("Tiznit Info", "https://tiznit.example/feed/", outcome="ok", status=200, items=12, **feed),
        FetchRecord("Tiznit Info", "https://tiznit.example/feed/", outcome="ok", status=200, items=0, **feed),
        FetchRecord(
            "Fes Presse", "https://fes.example/feed/", outcome="http_error", status=500, error="HTTP 500", **feed
        ),
    ]
    store.record_fetches(records)
    store.record_cycle({"Fes Presse": "HTTP 500 (feed)", "Tiznit Info": None})
    store.close()
    return url, ids


def test_status_reads_the_same_through_psycopg_as_through_the_store(stored: tuple[str, dict[str, int]]) -> None:
    url, _ = stored
    store = Store(url)
    try:
        direct = read_health(url)
        assert direct is not None and direct == store.source_health()
    finally:
        store.close()
    failing = {health.name: health.consecutive_failures for health in direct if health.consecutive_failures}
    assert failing == {"Fes Presse": 1}
    assert all(health.articles_total for health in direct if health.name in ("Fes Presse", "Tiznit Info"))


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_what_psycopg_cannot_read_is_left_to_the_store(
    postgres_admin_url: str, stored: tuple[str, dict[str, int]]
) -> None:
    from tests.postgres import new_database

    url, ids = stored
    assert read_search(url, "تعاونية", SearchFilters(), 20) is not None
    host = url.split("@", 1)[1].split("/", 1)[0]
    refused = url.replace(host, f"127.0.0.1:{_closed_port()}")
    for elsewhere in (
        refused,  # nothing listens: the Store says the server cannot be reached
        url + "?no_such_option=1",  # an option psycopg does not take
        url.replace("postgresql+psycopg://", "postgresql+asyncpg://"),  # another driver
    ):
        assert read_search(elsewhere, "تعاونية", SearchFilters(), 20) is None, elsewhere
        assert read_health(elsewhere) is None
        assert read_explain(elsewhere, ids["copy"]) is None
    # `postgresql://` is psycopg's too (storage/database.py)
    assert read_health(url.replace("postgresql+psycopg://", "postgresql://")) is not None
    # a schema to upgrade: the Store does it
    older = new_database(postgres_admin_url)
    Store(older).close()
    with psycopg.connect(older.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0015'")
    assert read_health(older) is None
    assert read_search(older, "تعاونية", SearchFilters(), 20) is None
    assert read_explain(older, ids["copy"]) is None
    # a database Rasd never created (no alembic_version): the Store creates it
    assert read_health(new_database(postgres_admin_url)) is None


def test_status_search_and_explain_on_postgresql_import_no_sqlalchemy(
    stored: tuple[str, dict[str, int]], tmp_path: Path
) -> None:
    """Each paid ~0.85 s of CPU importing SQLAlchemy, its ORM and the store's models before its first statement."""
    url, ids = stored
    sources = "".join(
        f'[[sources]]\nname = "{source.name}"\nurl = "{source.url}"\n'
        for source in (
            Source(name="Tiznit Info", url="https://tiznit.example/"),
            Source(name="Fes Presse", url="https://fes.example/"),
        )
    )
    config = write_config(tmp_path, sources)
    config.write_text(
        config.read_text(encoding="utf-8").replace(f"sqlite:///{tmp_path / 'rasd.db'}", url), encoding="utf-8"
    )
    for args, expected in [
        (("status",), "Fes Presse"),
        (("search", "تعاونيه"), "تعاونية نسائية بتيزنيت"),
        (("search", "--sse", "--region", "MA-09"), "7 articles match"),
        (("explain", str(ids["تعاونية نسائية بتيزنيت"])), "amina"),
    ]:
        result, loaded = _rasd("--config", str(config), *args, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert expected in result.stdout, result.stdout
        assert "sqlalchemy" not in loaded, f"rasd {' '.join(args)} imported SQLAlchemy on PostgreSQL"
        assert "psycopg" in loaded  # read, not left to a store that was never opened


def test_the_daemons_files_are_named_for_a_server_database_without_sqlalchemy() -> None:
    """`rasd status` names the daemon's state file after the database (monitor.lock.database_files): from a
    server's URL as SQLAlchemy's make_url reads it (the same files whichever reads it), without importing it."""
    from sqlalchemy.engine import make_url

    from rasd.monitor.lock import _server_database

    for url in (
        "postgresql+psycopg://postgres@127.0.0.1:5432/rasd",
        "postgresql://reader:p%40ss:word@[::1]:05432/my%20db?sslmode=require",
        "postgresql+psycopg://db.example/rasd",
        "postgresql+psycopg:///rasd?host=/run/postgresql",
        "postgresql://reader@:0/rasd",
        "mysql+pymysql://reader@host/rasd",
    ):
        read = make_url(url)
        assert (
            _server_database(url)
            == f"{read.get_backend_name()}://{read.host or ''}:{read.port or ''}/{read.database or ''}"
        )
