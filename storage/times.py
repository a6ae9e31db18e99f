"""Times as the store keeps them: naive UTC (SQLite has no time zones). Standard library only: `rasd status`
reads an SQLite store without SQLAlchemy (`storage/direct.py`)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def naive_utc(value: datetime | None) -> datetime | None:
    if value is None or value.tzinfo is None:
        return value
    return value.astimezone(UTC).replace(tzinfo=None)


# How the store writes a time in SQLite (SQLAlchemy's DateTime there): text, compared as text.
STORED_TIME = "%Y-%m-%d %H:%M:%S.%f"


def stored(value: object) -> object:
    """A value bound as the store writes it in SQLite: a time as STORED_TIME's text, anything else as it is."""
    return value.strftime(STORED_TIME) if isinstance(value, datetime) else value
