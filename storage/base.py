"""What every part of the store shares: the engine and its sessions, and naive-UTC times.

The store's methods live in one module per concern (articles, duplicates, sources, digests, search,
housekeeping), each a mixin over `StoreBase`; `rasd.storage.store.Store` puts them together. Helpers that
several concerns need take a session and are plain functions, so no mixin depends on another.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, cast

from sqlalchemy import DateTime, Engine, Row, Table, bindparam, text
from sqlalchemy.orm import Session

from rasd.storage.health import Run
from rasd.storage.models import Base
from rasd.storage.times import naive_utc, utcnow

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
        return list(session.execute(text(sql).bindparams(*dated), values))

    return run


def table(model: type[Base]) -> Table:
    """A model's table, for Core statements (typed as a Table, which every model here maps)."""
    return cast(Table, model.__table__)
