"""What every part of the store shares: the engine and its sessions, and naive-UTC times.

The store's methods live in one module per concern (articles, duplicates, sources, digests, search,
housekeeping), each a mixin over `StoreBase`; `rasd.storage.store.Store` puts them together. Helpers that
several concerns need take a session and are plain functions, so no mixin depends on another.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import Connection, CursorResult, DateTime, Engine, Row, Table, TextClause, bindparam, text
from sqlalchemy.orm import Session

from rasd.storage.health import Run
from rasd.storage.models import Base
from rasd.storage.times import naive_utc, stored, utcnow

__all__ = ["StoreBase", "naive_utc", "run_text", "table", "utcnow"]  # the times are storage/times.py's


class StoreBase:
    """The engine of one database; `Store.__init__` opens and migrates it."""

    url: str
    engine: Engine
    is_sqlite: bool

    def close(self) -> None:
        self.engine.dispose()

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)


def run_text(session: Session) -> Run:
    """Runs SQL text through a session (storage/health.py, storage/reading.py: the statements that
    storage/direct.py also runs with sqlite3), times bound as the store writes them (SQLite compares them
    as text)."""

    def run(sql: str, values: dict[str, object]) -> list[Row[Any]]:
        dated = [bindparam(key, type_=DateTime) for key, value in values.items() if isinstance(value, datetime)]
        result = cast("CursorResult[Any]", session.execute(text(sql).bindparams(*dated), values))
        return list(result) if result.returns_rows else []  # a setting (SET LOCAL) gives no rows

    return run


def driver_rows(connection: Connection, statement: TextClause, values: dict[str, Any]) -> list[Any]:
    """The rows of a statement of SQL text that storing runs for every article: on SQLite through the driver
    itself, times bound as the store writes them; on PostgreSQL through SQLAlchemy. SQLAlchemy's execution
    path cost ~0.07 ms a statement (its parameters and rows processed in Python), ten times what SQLite took
    to find an article by its URL (bench/bench_storing.py)."""
    if connection.dialect.name == "sqlite":
        bound = {key: stored(value) for key, value in values.items()}
        return connection.connection.driver_connection.execute(statement.text, bound).fetchall()  # type: ignore[union-attr]
    return list(connection.execute(statement, values))


def table(model: type[Base]) -> Table:
    """A model's table, for Core statements (typed as a Table, which every model here maps)."""
    return cast(Table, model.__table__)
