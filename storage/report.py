"""Counts for charts and the monthly report: SSE stories per week and region, per week and source.

Read from the view `sse_story_regions` (migration 0006: one row per SSE story and region, syndicated
copies counted once, `week` = the Monday, YYYY-MM-DD, on SQLite and PostgreSQL alike), only the stories
of the days asked for: a week that crosses the edge of a month counts only its days in that month. The
SQL is shared with `rasd browse`'s chart page, which runs it through Datasette.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

from sqlalchemy import text

from rasd.storage.base import StoreBase
from rasd.storage.times import local_midnight

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


def stories_between(
    store: StoreBase, start: date, end: date, zone: tzinfo = UTC
) -> list[tuple[int, str, str, str, str]]:
    """(id, day published — or fetched, undated —, source, title, url) of the SSE stories of the reader's days
    [start, end) in `zone` (the config's `timezone`), each dated by its day there."""
    bounds = {
        "first": (monday(start) - timedelta(days=7)).isoformat(),  # the view's UTC weeks, around the local days
        "end": (end + timedelta(days=7)).isoformat(),
        "start": _utc_bound(start, zone),
        "until": _utc_bound(end, zone),
    }
    with store.session() as session:
        rows = session.execute(text(STORIES), bounds)
        return [
            (int(i), _local(when, zone).isoformat(), str(source), str(title), str(url))
            for i, when, source, title, url in rows
        ]


# Each SSE story's row of the view with its moment, for the reader's days: grouped by the week of its local day in
# Python (`local_weeks`), where the view's `week` is the Monday of its UTC day.
MOMENTS = (
    "SELECT v.story_id, COALESCE(a.published_at, a.fetched_at) AS moment, COALESCE(v.region, '') AS region, v.source"
    " FROM sse_story_regions v JOIN articles a ON a.id = v.story_id"
    " WHERE COALESCE(a.published_at, a.fetched_at) >= :start AND COALESCE(a.published_at, a.fetched_at) < :until"
)


def _utc_bound(day: date, zone: tzinfo) -> str:
    """The start of the reader's `day` in `zone`, as the store keeps times (naive UTC), written as SQLite keeps them
    and PostgreSQL reads a timestamp."""
    return f"{local_midnight(datetime.combine(day, time()), zone):%Y-%m-%d %H:%M:%S}"


def _local(moment: object, zone: tzinfo) -> date:
    stored = moment if isinstance(moment, datetime) else datetime.fromisoformat(str(moment))
    return stored.replace(tzinfo=UTC).astimezone(zone).date()


def local_bounds(start: date, end: date, zone: tzinfo) -> dict[str, str]:
    """MOMENTS' parameters for the reader's days [start, end) in `zone`."""
    return {"start": _utc_bound(start, zone), "until": _utc_bound(end, zone)}


def local_weeks(
    rows: Iterable[Sequence[Any]], zone: tzinfo
) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, int]]]:
    """MOMENTS' rows (story, moment, region, source) as BY_REGION's and BY_SOURCE's (week, label, stories), each
    story in the week of its day in `zone`: a story of 00:30 on Monday 6 October in Casablanca (23:30 on Sunday UTC)
    is that week's."""
    regions: Counter[tuple[str, str]] = Counter()
    sources: dict[tuple[str, str], set[int]] = {}
    for story, moment, region, source in rows:
        week = monday(_local(moment, zone)).isoformat()
        regions[(week, str(region))] += 1
        sources.setdefault((week, str(source)), set()).add(int(story))
    by_region = [(week, label, n) for (week, label), n in sorted(regions.items())]
    by_source = [(week, label, len(stories)) for (week, label), stories in sorted(sources.items())]
    return by_region, by_source


def local_counts(
    store: StoreBase, start: date, end: date, zone: tzinfo
) -> tuple[list[tuple[str, str, int]], list[tuple[str, str, int]]]:
    """BY_REGION's and BY_SOURCE's (week, label, stories) rows for the reader's days [start, end) in `zone` (the
    config's `timezone`): a story published at 00:30 on 1 October in Casablanca (23:30 on 30 September UTC) is
    October's, in the week of its Moroccan Monday, as the digests and `rasd search` date it."""
    with store.session() as session:
        return local_weeks(session.execute(text(MOMENTS), local_bounds(start, end, zone)), zone)


def sse_months(store: StoreBase) -> tuple[str, str] | None:
    """The first and last month (YYYY-MM) with an SSE story in the store, None without any: what a report of
    an empty month tells its reader to ask for instead."""
    with store.session() as session:
        first, last = session.execute(text(_SPAN)).one()
    return None if first is None else (str(first)[:7], str(last)[:7])
