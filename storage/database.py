"""Engine set-up: SQLite in WAL mode (readers never block the crawl), migrations applied on open.

Alembic is imported only when the schema is behind: every command opens the store, and importing Alembic
and loading its scripts cost ~0.1 s of a `rasd status` that otherwise answers in a few hundredths.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, ExceptionContext, make_url
from sqlalchemy.exc import SQLAlchemyError

from rasd.storage.unwritable import unwritable_file

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
_REVISION = re.compile(r"^(down_revision|revision)\s*(?::[^=]*)?=\s*['\"]?([\w-]+|None)['\"]?\s*$", re.MULTILINE)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def open_engine(url: str) -> Engine:
    """An engine for `url`, creating the SQLite file's folder; WAL and a busy timeout on SQLite. A full disk
    or a read-only database raises `Unwritable`, naming the file, in place of the driver's error."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    sqlite = parsed.get_backend_name() == "sqlite"
    where = str(Path(parsed.database or ":memory:").resolve()) if sqlite else _shown(parsed)
    event.listen(engine, "handle_error", lambda context: _unwritable(context, where))
    return engine


def _shown(parsed: URL) -> str:
    return f"the database {parsed.render_as_string(hide_password=True)}"


def _unwritable(context: ExceptionContext, where: str) -> None:
    if (error := unwritable_file(context.original_exception, where)) is not None:
        raise error from None


@cache
def head_revision() -> str | None:
    """The newest revision of the shipped migrations, read from their `revision`/`down_revision` lines;
    None when they do not form a single line of revisions (Alembic then decides)."""
    revisions, parents = set(), set()
    for script in (MIGRATIONS_DIR / "versions").glob("*.py"):
        found = dict((key, value) for key, value in _REVISION.findall(script.read_text(encoding="utf-8")))
        if "revision" not in found:
            return None
        revisions.add(found["revision"])
        parents.add(found.get("down_revision", "None"))
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


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
