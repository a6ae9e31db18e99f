"""Each source's health for `rasd status`: its statements and what is made of their rows, whichever way they are
run — through the store's engine (`Store.source_health`), or on a store at the newest schema with the driver
alone, the standard library's sqlite3 or psycopg (`storage/direct.py`), so that `rasd status` need not import
SQLAlchemy (~0.3 s of CPU on SQLite, most of what it spent; ~0.8 s with its ORM and the store's models on
PostgreSQL). Standard library only.

The statements are SQL text: compiling select() constructs (a few hundred of them, one a source, and the health
select of five correlated subqueries through the ORM) cost each new process more than the database took to
answer. Each is index searches per source — `rasd status` reads as much at a million stored articles as at ten
thousand, except the counts of articles, which read a source's entries of ix_articles_source_fetched.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

# Runs one statement with its values (times as naive-UTC datetimes, which the runner binds as the store writes
# them) and gives its rows (none for a setting, `SET LOCAL`); a time in a row may come back as a datetime or as
# SQLite's text.
Run = Callable[[str, dict[str, object]], Sequence[Sequence[Any]]]


@dataclass(frozen=True)
class Silence:
    """Why a source that answers looks like it stopped producing: its feed or sitemap answered with no
    entry `empty_answers` times in a row, or no new article came for `quiet_days` against its pace over
    the 30 days up to its last one (`articles_30d`). Data: `rasd status` words it in the reader's language."""

    empty_answers: int = 0
    quiet_days: int = 0
    articles_30d: int = 0
    never_stored: bool = False  # it answers, yet not one article of it was ever stored

    @property
    def per_day(self) -> float:
        return self.articles_30d / 30


@dataclass(frozen=True)
class SourceHealth:
    """How a source has been doing, as `rasd status` shows it (times naive UTC, as stored)."""

    name: str
    last_success: datetime | None
    last_attempt: datetime | None
    articles_7d: int
    articles_total: int
    consecutive_failures: int  # failed cycles in a row, up to the last one
    last_error: str | None
    last_article: datetime | None = None  # when its newest article was stored
    articles_30d: int = 0  # in the 30 days up to its last article
    empty_answers: int = 0  # feeds/sitemaps that answered 200 with no entry, in a row, last first

    def silence(self, now: datetime) -> Silence | None:
        """Why the source looks like it stopped producing although it answers, or None.

        A site that moved its feed, broke its theme or was hacked keeps answering 200: no fetch fails, the
        articles just stop. Its own usual pace is the yardstick (a source that publishes twelve stories a
        day is silent after a day without one, a weekly after weeks): silent when nothing new came for four
        times its usual gap between stories (over the 30 days up to its last one), and at least two days; a feed or
        sitemap that keeps answering with no entry at all is named as such, and so is a source that answers but
        never gave an article."""
        if self.consecutive_failures or self.last_success is None:
            return None  # failing loudly: reported as a failure, not as silence
        if self.empty_answers >= 2:
            return Silence(empty_answers=self.empty_answers)
        if self.last_article is None:
            # A feed that answers a web page, a listing whose links lead nowhere: the site answers, so no
            # fetch counts as failed, and without this its row looked like a healthy source's.
            return Silence(never_stored=True)
        quiet = now - self.last_article
        per_day = self.articles_30d / 30
        allowed = max(timedelta(days=2), timedelta(days=4 / per_day)) if per_day else timedelta(days=7)
        if quiet < allowed:
            return None
        return Silence(quiet_days=quiet.days, articles_30d=self.articles_30d)


# Every source with its health, each column an index search (ix_articles_source_fetched, the partial index
# ix_fetches_source_answers, whose condition `kind != 'article'` is written out so that it is matched); the
# newest success read backwards up to the first one.
HEALTH = (
    "SELECT sources.id, sources.name, sources.failed_cycles, sources.last_failure,"
    " (SELECT count(*) FROM articles WHERE source_id = sources.id) AS articles_total,"
    " (SELECT count(*) FROM articles WHERE source_id = sources.id AND fetched_at >= :week_ago) AS articles_7d,"
    " (SELECT max(fetched_at) FROM articles WHERE source_id = sources.id) AS last_article,"
    " (SELECT max(fetched_at) FROM fetches WHERE source_id = sources.id AND kind != 'article') AS last_attempt,"
    " (SELECT fetched_at FROM fetches WHERE source_id = sources.id AND kind != 'article'"
    " AND outcome IN ('ok', 'not_modified') ORDER BY fetched_at DESC LIMIT 1) AS last_success"
    " FROM sources ORDER BY sources.name"
)


def health_of(run: Run, now: datetime) -> list[SourceHealth]:
    """Every source's health in four statements whatever the number of sources (it was five a source: issue 16)."""
    sources = run(HEALTH, {"week_ago": now - timedelta(days=7)})
    if not sources:
        return []
    last_articles = {row[0]: moment(row[6]) for row in sources}
    # the pace of the 30 days up to its last article, not of a window the silence is part of
    month_before = {source: (last or now) - timedelta(days=30) for source, last in last_articles.items()}
    paces = _articles_since(run, month_before)
    empty = _empty_answers(run, [row[0] for row in sources])
    return [
        SourceHealth(
            name=name,
            last_success=moment(last_success),
            last_attempt=moment(last_attempt),
            articles_7d=int(week or 0),
            articles_total=int(total or 0),
            consecutive_failures=failed,
            last_error=failure if failed else None,
            last_article=last_articles[source],
            articles_30d=paces.get(source, 0),
            empty_answers=empty.get(source, 0),
        )
        for source, name, failed, failure, total, week, _, last_attempt, last_success in sources
    ]


def moment(value: datetime | str | None) -> datetime | None:
    """A time of a row: as it came (PostgreSQL, a typed column), or SQLite's text of it read back."""
    return datetime.fromisoformat(value) if isinstance(value, str) else value


def _union(term: str, count: int) -> str:
    """`term` (with {n} where each source's bind names go) once for each of `count` sources, UNION ALL."""
    return " UNION ALL ".join(term.format(n=n) for n in range(count))


def _articles_since(run: Run, since: Mapping[int, datetime], per_statement: int = 400) -> dict[int, int]:
    """Articles of each source fetched since its own moment, in statements of a few hundred sources (SQLite's
    limit on a compound SELECT is 500 terms): each a search of ix_articles_source_fetched."""
    counts: dict[int, int] = {}
    pairs = list(since.items())
    for start in range(0, len(pairs), per_statement):
        chunk = pairs[start : start + per_statement]
        term = "SELECT :source{n} AS source, count(*) FROM articles"
        term += " WHERE source_id = :source{n} AND fetched_at >= :since{n}"
        values: dict[str, object] = {f"source{n}": source for n, (source, _) in enumerate(chunk)}
        values |= {f"since{n}": when for n, (_, when) in enumerate(chunk)}
        counts.update((source, int(count or 0)) for source, count in run(_union(term, len(chunk)), values))
    return counts


def _empty_answers(run: Run, sources: Sequence[int], per_statement: int = 400) -> dict[int, int]:
    """Per source, how many of its newest feed and sitemap answers (up to 20) in a row had no entry: each
    source's 20 newest answers read from the index, in statements of a few hundred sources (SQLite's
    limit on a compound SELECT is 500 terms)."""
    empty: dict[int, int] = {}
    for start in range(0, len(sources), per_statement):
        chunk = sources[start : start + per_statement]
        term = (
            "SELECT * FROM (SELECT source_id, items, fetched_at, id FROM fetches WHERE source_id = :source{n}"
            " AND kind != 'article' AND kind IN ('feed', 'sitemap') AND outcome = 'ok'"
            " ORDER BY fetched_at DESC, id DESC LIMIT 20) AS newest{n}"
        )
        newest = f"SELECT source_id, items FROM ({_union(term, len(chunk))}) AS answers"
        values: dict[str, object] = {f"source{n}": source for n, source in enumerate(chunk)}
        rows = run(f"{newest} ORDER BY source_id, fetched_at DESC, id DESC", values)
        broken: set[int] = set()
        for source, items in rows:
            if source in broken:
                continue
            if items != 0:
                broken.add(source)
            else:
                empty[source] = empty.get(source, 0) + 1
    return empty
