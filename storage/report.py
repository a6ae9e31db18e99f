"""Counts for charts and the monthly report: SSE stories per week and region, per week and source.

Read from the view `sse_story_regions` (migration 0006: one row per SSE story and region, syndicated
copies counted once, `week` = the Monday, YYYY-MM-DD, on SQLite and PostgreSQL alike). The SQL is shared
with `rasd browse`'s chart page, which runs it through Datasette.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import text

from rasd.storage.base import StoreBase

BY_REGION = (
    "SELECT week, COALESCE(region, '') AS label, COUNT(*) AS stories FROM sse_story_regions"
    " WHERE week >= :first AND week < :end GROUP BY week, region ORDER BY week, label"
)
BY_SOURCE = (
    "SELECT week, source AS label, COUNT(DISTINCT story_id) AS stories FROM sse_story_regions"
    " WHERE week >= :first AND week < :end GROUP BY week, source ORDER BY week, label"
)
STORIES = (
    "SELECT story_id, MIN(published_at) AS published_at, source, title, url FROM sse_story_regions"
    " WHERE week >= :first AND week < :end GROUP BY story_id, source, title, url ORDER BY published_at DESC"
)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_bounds(start: date, end: date) -> dict[str, str]:
    """Parameters for the weeks that overlap [start, end): from the Monday of `start`'s week."""
    return {"first": monday(start).isoformat(), "end": end.isoformat()}


def weekly_counts(store: StoreBase, sql: str, start: date, end: date) -> list[tuple[str, str, int]]:
    """(week, label, stories) rows of BY_REGION or BY_SOURCE for the weeks overlapping [start, end)."""
    with store.session() as session:
        rows = session.execute(text(sql), week_bounds(start, end))
        return [(str(week), str(label), int(count)) for week, label, count in rows]


def stories_between(store: StoreBase, start: date, end: date) -> list[tuple[int, str, str, str, str]]:
    """(id, published, source, title, url) of the SSE stories of the weeks overlapping [start, end)."""
    with store.session() as session:
        rows = session.execute(text(STORIES), week_bounds(start, end))
        return [
            (int(i), str(when or "")[:10], str(source), str(title), str(url)) for i, when, source, title, url in rows
        ]
