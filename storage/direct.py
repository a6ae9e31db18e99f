"""`rasd status` on an SQLite store at the newest schema, read with the standard library's sqlite3.

Importing SQLAlchemy costs ~0.3 s of CPU, and its ORM and the store's models ~0.1 s more: most of what a
`rasd status` spent, for statements that are SQL text already (storage/health.py). So a store that needs
nothing done first — an SQLite file whose schema is the newest shipped — is read directly, read-only, with
the same statements and the times bound as the store writes them. Anything else (no file, an older schema
to upgrade, PostgreSQL, an error of sqlite3) gives None, and the command opens the `Store` as before, which
upgrades it or says what is wrong.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Any

from rasd.storage.files import head_revision, read_only_uri, sqlite_file
from rasd.storage.health import SourceHealth, health_of
from rasd.storage.times import utcnow

# How the store writes a time in SQLite (SQLAlchemy's DateTime there): text, compared as text.
STORED_TIME = "%Y-%m-%d %H:%M:%S.%f"


def read_health(url: str) -> list[SourceHealth] | None:
    """Every source's health read directly from the SQLite store at `url`; None when it cannot be (above)."""
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
            bound = {key: _stored(value) for key, value in values.items()}
            return connection.execute(sql, bound).fetchall()

        return health_of(run, utcnow())
    except sqlite3.Error:
        return None
    finally:
        connection.close()


def _stored(value: object) -> object:
    return value.strftime(STORED_TIME) if isinstance(value, datetime) else value
