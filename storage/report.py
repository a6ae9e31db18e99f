"""Counts for charts and the monthly report: SSE stories per week and region, per week and source.

Read from the view `sse_story_regions` (migration 0006: one row per SSE story and region, syndicated
copies counted once, `week` = the Monday, YYYY-MM-DD, on SQLite and PostgreSQL alike), only the stories
of the days asked for: a week that crosses the edge of a month counts only its days in that month. The
SQL is shared with `rasd browse`'s chart page, which runs it through Datasette.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import text

from rasd.storage.base import StoreBase

# The day of a story: its publication, else (undated) its fetching, as in the view's `week`. Compared with
# 'YYYY-MM-DD' strings, which sort before any time of that day on SQLite (ISO text) and are cast on PostgreSQL
# (`:until` apart from `:end`, which PostgreSQL types as text by its comparison with `week`).
_IN_RANGE = (
    " FROM sse_story_regions v JOIN articles a ON a.id = v.story_id"
    " WHERE v.week >= :first AND v.week < :end"
    " AND COALESCE(a.published_at, a.fetched_at) >= :start AND COALESCE(a.published_at, a.fetched_at) < :until"
)
BY_REGION = (
    "SELECT v.week, COALESCE(v.region, '') AS label, COUNT(*) AS stories"
    + _IN_RANGE
    + " GROUP BY v.week, v.region ORDER BY v.week, label"
)
BY_SOURCE = (
    "SELECT v.week, v.source AS label, COUNT(DISTINCT v.story_id) AS stories"
    + _IN_RANGE
    + " GROUP BY v.week, v.source ORDER BY v.week, label"
)
STORIES = (
    "SELECT v.story_id, MIN(COALESCE(a.published_at, a.fetched_at)) AS published_at, v.source, v.title, v.url"
    + _IN_RANGE
    + " GROUP BY v.story_id, v.source, v.title, v.url ORDER BY published_at DESC"
)

_SPAN = (
    "SELECT MIN(COALESCE(a.published_at, a.fetched_at)), MAX(COALESCE(a.published_at, a.fetched_at))"
    " FROM sse_story_regions v JOIN articles a ON a.id = v.story_id"
)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_bounds(start: date, end: date) -> dict[str, str]:
    """Parameters for the stories of the days [start, end), grouped by their weeks (a week crossing `start`
    or `end` holds only its days inside: a month's report never counts a story of the month before)."""
    first, last = start.isoformat(), end.isoformat()
    return {"first": monday(start).isoformat(), "end": last, "start": first, "until": last}


def weekly_counts(store: StoreBase, sql: str, start: date, end: date) -> list[tuple[str, str, int]]:
    """(week, label, stories) rows of BY_REGION or BY_SOURCE for the stories of the days [start, end)."""
    with store.session() as session:
        rows = session.execute(text(sql), week_bounds(start, end))
        return [(str(week), str(label), int(count)) for week, label, count in rows]


def stories_between(store: StoreBase, start: date, end: date) -> list[tuple[int, str, str, str, str]]:
    """(id, published — or fetched, undated —, source, title, url) of the SSE stories of the days [start, end)."""
    with store.session() as session:
        rows = session.execute(text(STORIES), week_bounds(start, end))
        return [
            (int(i), str(when or "")[:10], str(source), str(title), str(url)) for i, when, source, title, url in rows
        ]


def sse_months(store: StoreBase) -> tuple[str, str] | None:
    """The first and last month (YYYY-MM) with an SSE story in the store, None without any: what a report of
    an empty month tells its reader to ask for instead."""
    with store.session() as session:
        first, last = session.execute(text(_SPAN)).one()
    return None if first is None else (str(first)[:7], str(last)[:7])
