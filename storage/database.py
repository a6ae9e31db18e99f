"""Engine set-up: SQLite in WAL mode (readers never block the crawl), migrations applied on open.

Alembic is imported only when the schema is behind: every command opens the store, and importing Alembic
and loading its scripts cost ~0.1 s of a `rasd status` that otherwise answers in a few hundredths.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.exc import SQLAlchemyError

from rasd.config import telling
from rasd.storage.files import MIGRATIONS_DIR, head_revision, read_only_uri, shipped_revisions
from rasd.storage.unwritable import Newer, unwritable_file

# The page cache of a connection that may write, in KiB (SQLite's default is 2 MB). Storing an article
# touches pages all over the store — the band index's 85 random leaves, the search index's segments as
# FTS5 merges them — and with 2 MB most were read again from the file at each transaction: 312 reads
# (1.3 MB) and 294 writes (0.64 MB) an article, 2,000 articles of bench/bench_crawl.py's web stored 16 a
# transaction (/proc/self/io). With 8 MB, and 64 articles a transaction (monitor.cycle.STORE_BATCH), 94
# reads (0.39 MB) and 127 writes (0.33 MB); 16 MB halved the reads again but added 8 MB more to the crawl's
# process, whose tree peaks near issue 16's 300 MB at 8,000 pages. SQLite fills the cache only with pages
# it touches: a command that reads a few rows stays as small as before.
WRITING_CACHE_KIB = 8 * 1024


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute(f"PRAGMA cache_size=-{WRITING_CACHE_KIB}")  # negative: KiB, not pages
    cursor.close()


class SchemaBehind(Exception):
    """A store opened read-only whose schema is older than this Rasd's: it cannot be migrated there."""

    def __init__(self, url: str, found: str | None, head: str) -> None:
        super().__init__(
            telling.gettext(
                "%(path)s is read-only and its schema is older than this Rasd's (revision %(found)s, needs "
                "%(head)s): open it once where it can be written (any rasd command upgrades it)",
                path=url.removeprefix("sqlite:///"),
                found=found or "none",
                head=head,
            )
        )


def _sqlite_reading_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA query_only=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def open_engine(url: str, read_only: bool = False) -> Engine:
    """An engine for `url`, creating the SQLite file's folder; WAL and a busy timeout on SQLite. A full disk
    or a read-only database raises `Unwritable`, naming the file, in place of the driver's error.
    `read_only` (SQLite): the existing file opened by `read_only_uri`, with no write even attempted."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and read_only and parsed.database:
        uri = read_only_uri(Path(parsed.database))
        engine = create_engine(
            "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)
        )
        event.listen(engine, "connect", _sqlite_reading_pragmas)
    elif parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            try:
                Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:  # a full or read-only disk, a file where the folder should be
                raise unwritable_file(error, parsed.database) or error from None
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = _postgresql_engine(parsed)
    where = _where(parsed)
    answered: list[bool] = []  # whether a connection was made: a failure after it is a server gone mid-run
    event.listen(engine, "connect", lambda *_: answered.append(True) if not answered else None)
    event.listen(engine, "handle_error", lambda context: _unwritable(context, where, bool(answered)))
    return engine


def _where(parsed: URL) -> str:
    """The store as a line names it: the SQLite file's full path, or "the database URL" without password."""
    if parsed.get_backend_name() == "sqlite":
        return str(Path(parsed.database or ":memory:").resolve())
    return _shown(parsed)


def _postgresql_engine(parsed: URL) -> Engine:
    """PostgreSQL through psycopg 3 whatever SQLAlchemy's default driver for ``postgresql://`` (psycopg2
    before 2.1); a missing driver (Rasd installed without its ``postgres`` extra) is a one-line config error."""
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except ImportError as error:
        from rasd.config import ConfigError

        raise ConfigError(
            f"storage.url: PostgreSQL needs the {error.name or 'psycopg'} driver, which is not installed: "
            "pip install 'rasd[postgres]'"
        ) from None


def _shown(parsed: URL) -> str:
    return telling.gettext("the database %(url)s", url=parsed.render_as_string(hide_password=True))


def _unwritable(context: ExceptionContext, where: str, lost: bool) -> None:
    if (error := unwritable_file(context.original_exception, where, lost)) is not None:
        raise error from None


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for a new database (or one Alembic never stamped)."""
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        return None


def refuse_newer(engine: Engine, found: str | None) -> None:
    """Raise `Newer` when `found`, the store's revision, is none of the shipped migrations': a newer Rasd
    wrote the store, and Alembic would fail on it with a traceback ("Can't locate revision")."""
    known = shipped_revisions()
    if found is not None and known is not None and found not in known:
        raise Newer(_where(engine.url), found, head_revision())


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; a no-op when it is already there. A store of a newer Rasd
    is refused (`Newer`), left as it was."""
    head = head_revision()
    found = current_revision(engine)
    if head is not None and found == head:
        return
    refuse_newer(engine, found)
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            # One transaction for every step, taken at once: Python's sqlite3 begins one only before an
            # INSERT or UPDATE, so each migration's first CREATE or DROP was committed on its own, and a
            # kill before the version's UPDATE left a half-migrated store no later command could open (the
            # step run again: "no such index", a traceback). IMMEDIATE: a second process migrating the same
            # store waits for this one, then finds it at the newest revision.
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
