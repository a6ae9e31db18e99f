"""Times as the store keeps them: naive UTC (SQLite has no time zones). Standard library only: `rasd status`
reads an SQLite store without SQLAlchemy (`storage/direct.py`)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo


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


def local_midnight(day: datetime, zone: tzinfo) -> datetime:
    """The start of the reader's day `day` (a date typed as YYYY-MM-DD, in the config's `timezone`) as the
    store keeps times: naive UTC. `--since 2025-10-01` in Casablanca starts at 2025-09-30 23:00 UTC (UTC+1),
    at 2025-10-01 00:00 UTC in Ramadan (UTC+0): the day the digests, the xlsx export and `rasd search` show."""
    return day.replace(hour=0, minute=0, second=0, microsecond=0, tzinfo=zone).astimezone(UTC).replace(tzinfo=None)


def local_day_after(day: datetime, zone: tzinfo) -> datetime:
    """The end of the reader's day `day` (the start of the next local day) as naive UTC: `--until`'s bound."""
    return local_midnight(day + timedelta(days=1), zone)


def local_day(moment: datetime, zone: tzinfo) -> str:
    """A stored time (naive UTC) as the reader's day, YYYY-MM-DD in `zone`."""
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return f"{moment.astimezone(zone):%Y-%m-%d}"
