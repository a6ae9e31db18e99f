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

from rasd.storage.files import MIGRATIONS_DIR, head_revision, read_only_uri
from rasd.storage.unwritable import unwritable_file


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class SchemaBehind(Exception):
    """A store opened read-only whose schema is older than this Rasd's: it cannot be migrated there."""

    def __init__(self, url: str, found: str | None, head: str) -> None:
        where = url.removeprefix("sqlite:///")
        super().__init__(
            f"{where} is read-only and its schema is older than this Rasd's (revision {found or 'none'}, "
            f"needs {head}): open it once where it can be written (any rasd command upgrades it)"
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
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = _postgresql_engine(parsed)
    sqlite = parsed.get_backend_name() == "sqlite"
    where = str(Path(parsed.database or ":memory:").resolve()) if sqlite else _shown(parsed)
    event.listen(engine, "handle_error", lambda context: _unwritable(context, where))
    return engine


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
    return f"the database {parsed.render_as_string(hide_password=True)}"


def _unwritable(context: ExceptionContext, where: str) -> None:
    if (error := unwritable_file(context.original_exception, where)) is not None:
        raise error from None


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at; None for a new database (or one Alembic never stamped)."""
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        return None


def migrate(engine: Engine) -> None:
    """Bring the schema to the newest revision; a no-op when it is already there."""
    head = head_revision()
    if head is not None and current_revision(engine) == head:
        return
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
