"""What `rasd search` and `rasd explain` read — a search's page of stories, one story, its readers' verdicts,
the labelled articles the classifier takes as references — as SQL text and what is made of its rows,
whichever way it is run: through the store's engine (`Store.search`, `Store.story`, `Store.label_history`,
`Store.labelled_articles`), or on a store at the newest schema with the driver alone — the standard library's
sqlite3, or psycopg on PostgreSQL (storage/direct.py) — so that these commands need not import SQLAlchemy
(~0.3 s of CPU, and its ORM ~0.1 s more). One text for both ways: tests/test_query_plans.py checks, through
the store, the statements the direct path sends. Standard library only.

SQLite's search statement is here (the query language itself is storage/query_language.py); PostgreSQL's,
a tsquery over `article_search`, is storage/pg_search.py, which shares the filters' conditions and the walk
newest first with SQLite's; the page of stories is read with the same statements on both.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol
from urllib.parse import unquote

from rasd.config.hosts import shown_hosts
from rasd.storage.health import Run, moment
from rasd.storage.query_language import SearchFilters, SearchHits, fts_expression, parse


@dataclass(frozen=True)
class Label:
    """One verdict as recorded."""

    article_id: int
    sse: bool
    region: str | None
    labelled_by: str
    labelled_at: datetime


@dataclass(frozen=True)
class LabelledArticle:
    """A stored article with its current verdict: what `rasd evaluate` re-classifies and what the
    classifier takes as a reference story."""

    label: Label
    title: str
    text: str
    lang: str
    source_region: str | None
    stored_sse: bool | None  # the classifier's decision when the article was stored (None: not classified)


@dataclass(frozen=True)
class StoredStory:
    """An SSE story as the digest and `rasd search` show it: one entry per syndicated story."""

    article_id: int
    title: str
    url: str
    source: str
    published_at: datetime | None
    fetched_at: datetime
    lang: str
    text: str
    score: float
    sse: bool
    regions: list[str]
    reasons: list[str]
    parts: dict[str, float]
    also_in: list[tuple[str, str]]  # (source name, url) of the syndicated copies
    reader: Label | None = None  # a reader's newest verdict on the story (any copy), which counts first
    copy_of: int | None = None  # the article this one is a syndicated copy of (its first copy, which lists it)

    @property
    def counted_sse(self) -> bool:
        """The verdict that counts: the reader's when there is one, else the classifier's."""
        return self.reader.sse if self.reader is not None else self.sse


class Found(list[StoredStory]):
    """The first stories matching a search, how many match in all, and the query's short words."""

    total: int = 0
    more: bool = False  # more than `total` match: they were not all counted (storage.reading.COUNTED)
    short_words: list[str] = []  # noqa: RUF012 - replaced per instance, never mutated


# When an article was published, or fetched when its date is unknown: what searches sort and filter on.
MOMENT = "coalesce(articles.published_at, articles.fetched_at)"
# A reader's newest verdict on the article's story (given on any copy) counts before the classifier's
# (storage.labels.effective_sse). The story's articles are found through their keys (the original's id and
# ix_articles_duplicate_of), then their labels through ix_labels_article_id: reading every label with its
# article for each article checked made `--sse` cost the labels' number times the matches'.
_STORY = "coalesce(articles.duplicate_of, articles.id)"
_COUNTED_SSE = (
    "coalesce((SELECT labels.sse FROM labels WHERE labels.article_id IN"
    f" (SELECT copies.id FROM articles AS copies WHERE copies.id = {_STORY}"
    f" UNION ALL SELECT copies.id FROM articles AS copies WHERE copies.duplicate_of = {_STORY})"
    " ORDER BY +labels.id DESC LIMIT 1), classifications.sse)"  # +: not by walking every label in id order
)
# Up to this many articles holding the query's words, a search reads them all, sorts them and counts them
# exactly: their rows cost less than walking the index for them. Beyond, it walks the articles newest first
# (ix_articles_moment) and stops at its page ("more than 5000 articles match"); with filters, once it has found
# one more than COUNTED ("more than 1000 articles match").
SORTED = 5000
COUNTED = 1000


def _conditions(
    query: str, filters: SearchFilters, ids: list[int] | None = None, between: bool = False
) -> tuple[list[str], dict[str, object], list[str]]:
    """SQLite's conditions for the articles matching `query` (or among `ids`, the articles found holding its
    words already; with no query, every article) and `filters`, their values, the query's short words;
    `between`: only the matches whose ids are from :lowest to :highest are read from the index (FTS5 seeks
    to them in each term's list of articles). SearchError for a query that cannot be run."""
    conditions: list[str] = []
    values: dict[str, object] = {}
    short_words: list[str] = []
    if not no_words(query):
        parsed = parse(query)
        ranged = " AND rowid BETWEEN :lowest AND :highest" if between else ""
        conditions = [f"articles.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH :match{ranged})"]
        values, short_words = {"match": fts_expression(parsed)}, parsed.short_words
    if ids is not None:  # not searched twice
        conditions, values = ["articles.id IN (SELECT value FROM json_each(:ids))"], {"ids": json.dumps(ids)}
    filtered, bound = filter_conditions(filters, _COUNTED_SSE)
    return conditions + filtered, {**values, **bound}, short_words


def filter_conditions(filters: SearchFilters, counted_sse: str) -> tuple[list[str], dict[str, object]]:
    """The conditions on `articles` of a search's filters, and their values, on either database; `counted_sse`:
    the verdict that counts for an article (a reader's on its story before the classifier's), as the database's
    planner reads it best (SQLite's `_COUNTED_SSE`, PostgreSQL's in storage/pg_search.py)."""
    conditions: list[str] = []
    values: dict[str, object] = {}
    if filters.region is not None:
        conditions.append(
            "EXISTS (SELECT * FROM article_regions WHERE article_regions.article_id = articles.id"
            " AND article_regions.region = :region)"
        )
        values["region"] = filters.region
    if filters.since is not None:
        conditions.append(f"{MOMENT} >= :since")
        values["since"] = filters.since
    if filters.until is not None:
        conditions.append(f"{MOMENT} < :until")
        values["until"] = filters.until
    if filters.source is not None:
        conditions.append("articles.source_id = (SELECT sources.id FROM sources WHERE sources.name = :source)")
        values["source"] = filters.source
    if filters.lang is not None:
        conditions.append("articles.lang = :lang")
        values["lang"] = filters.lang
    if filters.sse is not None:
        conditions.append(
            "EXISTS (SELECT * FROM classifications WHERE classifications.article_id = articles.id"
            f" AND {counted_sse} = :sse)"
        )
        values["sse"] = filters.sse
    return conditions, values


def where(conditions: list[str]) -> str:
    """A WHERE clause of `conditions` (none: every article; `true`, which both databases take)."""
    return " AND ".join(conditions) or "true"


def no_words(query: str) -> bool:
    """Whether a search names no word at all (`rasd search --sse`): it lists the newest articles the filters
    keep, rather than asking for a query."""
    return not query.strip()


def search_statement(
    query: str, filters: SearchFilters, limit: int, ids: list[int] | None = None
) -> tuple[str, dict[str, object], list[str]]:
    """SQLite's statement for the first `limit` ids matching `query` (among `ids`, when given: the articles
    holding its words) and `filters`, newest first, each with the number of matches in all (all of them read
    and sorted: for a query of few matches); its values; and the query's short words. SearchError for a query
    that cannot be run."""
    conditions, values, short_words = _conditions(query, filters, ids)
    # The count rides along as a window over all matches: the index is searched, and each candidate
    # checked, once rather than once for the count and again for the page (half the time on 100,000
    # articles, bench/bench_search.py).
    sql = (
        f"SELECT articles.id, count(*) OVER () FROM articles WHERE {where(conditions)}"
        f" ORDER BY {MOMENT} DESC, articles.id DESC LIMIT :limit"
    )
    return sql, {**values, "limit": limit}, short_words


def _walk_index(filters: SearchFilters) -> str:
    """The index a walk newest first reads: ix_articles_moment, or a source's part of ix_articles_source_moment."""
    return "ix_articles_source_moment" if filters.source is not None else "ix_articles_moment"


def newest_first_statement(query: str, filters: SearchFilters, limit: int) -> tuple[str, dict[str, object]]:
    """SQLite's statement for the first `limit` ids matching `query` and `filters`, read newest first from
    ix_articles_moment (a source's, ix_articles_source_moment): it stops at the `limit`th match, whatever
    the number of matches, reading no article's row but theirs (the index holds the source, the language
    and the story). For a query of many matches, or of none (the filters' newest). SearchError for a query
    that cannot be run."""
    conditions, values, _ = _conditions(query, filters)
    index = _walk_index(filters)
    sql = (
        f"SELECT articles.id FROM articles INDEXED BY {index} WHERE {where(conditions)}"
        f" ORDER BY {MOMENT} DESC, articles.id DESC LIMIT :limit"
    )
    return sql, {**values, "limit": limit}


# A search of many matches walks the articles newest first a window of them at a time: the window's first
# WINDOW articles (with those of the same moment), then twice as many, and so on until its page is full —
# unless the matches found so far say that more than FAR articles are still to walk: each window reads its
# part of the index twice, and the plain walk, reading every match's id once (more than SORTED), is then
# cheaper (bench/bench_common_word.py: a word in 0.6 % of a million articles, in SSE stories only, took
# 6.4 M virtual machine steps a window at a time against 1.4 M).
WINDOW = 2000
FAR = 4 * SORTED


class Windows(Protocol):
    """What `windowed` asks of a database: the walk's statements, SQLite's (`_SqliteWindows`) or PostgreSQL's
    (storage.pg_search). `before` and `low` are moments (None: no bound): a window holds the articles from `low`
    on and before `before`, those the walk reaches (the source's, within the dates asked for)."""

    def reach(self, before: object | None, count: int) -> tuple[object | None, int | None, int | None]:
        """Where a window of `count` articles walked before `before` reaches back to — the moment of its last
        (None: it holds every article left) — and the lowest and highest id of its articles, those of that
        moment after its `count`th included (None, None: no article is left)."""

    def page(self, before: object | None, low: object | None, lowest: int, highest: int, limit: int) -> list[int]:
        """The window's first `limit` matches, newest first, read from the matches whose ids are from `lowest`
        to `highest`."""

    def rest(self, before: object | None, limit: int) -> list[int]:
        """The first `limit` matches walked before `before`, as a plain walk reads them (every match's id first)."""


def windowed(windows: Windows, want: int, spread: int) -> list[int]:
    """The first `want` matches, newest first, read a window at a time (WINDOW): the window's moments and its
    lowest and highest id read from the walked index alone, then only its matches, those whose ids lie between
    (FTS5 seeks to them in each term's list of articles; PostgreSQL intersects the words' GIN bitmap with the
    key's range) in the order asked for. A plain walk reads every match's id first (`articles.id IN (SELECT
    rowid … MATCH …)`), which grows with the store: ~0.45 s at a million for a word in a quarter of the
    articles on SQLite, where the windows read the matches of the newest few thousand articles. The same ids
    (tests/test_search_windows.py: articles stored out of their dates' order, backfilled, at one moment).
    Each window reads its part of the index twice, so a walk that must go far (filters few matches meet) is
    left to the plain walk once a window would hold more than `spread` articles, or the matches found so far
    say more than FAR (or `spread`) articles are still to walk, or a window spans more than `spread` ids (articles
    stored long after their date, a backfill, widen a window's ids and what is read with them): it then costs
    about what it did."""
    found: list[int] = []
    window, before, walked = WINDOW, None, 0
    while len(found) < want:
        # the articles still to walk at the matches' pace so far: more than FAR, the plain walk is cheaper
        if window > spread or walked * (want - len(found)) > min(FAR, spread) * max(len(found), 1):
            return found + windows.rest(before, want - len(found))
        low, lowest, highest = windows.reach(before, window)
        if lowest is None or highest is None:
            break
        if highest - lowest > spread:
            return found + windows.rest(before, want - len(found))
        found += windows.page(before, low, lowest, highest, want - len(found))
        if low is None:
            break
        window, before, walked = 2 * window, low, walked + window
    return found


class Walk:
    """What bounds a walk newest first through the articles, whatever the database: the source and the dates
    asked for, read from the walked index (the other filters are checked on a window's matches), and a window's
    moments. `walked`: the FROM clause of the walk."""

    def __init__(self, run: Run, filters: SearchFilters, walked: str) -> None:
        self.run, self.filters, self.walked = run, filters, walked
        self.order = f"ORDER BY {MOMENT} DESC, articles.id DESC"
        bounds = SearchFilters(source=filters.source, since=filters.since, until=filters.until)
        self.scope, self.bound = filter_conditions(bounds, "")  # no verdict among them

    def _within(self, before: object | None, low: object | None) -> tuple[list[str], dict[str, object]]:
        conditions, values = list(self.scope), dict(self.bound)
        if before is not None:
            conditions.append(f"{MOMENT} < :before")
            values["before"] = before
        if low is not None:
            conditions.append(f"{MOMENT} >= :low")
            values["low"] = low
        return conditions, values

    def _moment_of(self, before: object | None, count: int) -> object | None:
        """The moment of the `count`th article walked before `before` (None: fewer are left)."""
        conditions, values = self._within(before, None)
        walked = f"{self.walked} WHERE {where(conditions)} {self.order}"
        edge = self.run(f"SELECT {MOMENT} {walked} LIMIT 1 OFFSET :skip", {**values, "skip": count - 1})
        return edge[0][0] if edge else None


class _SqliteWindows(Walk):
    """`Windows` on SQLite: the walk reads ix_articles_moment (a source's part of ix_articles_source_moment)."""

    def __init__(self, run: Run, query: str, filters: SearchFilters) -> None:
        super().__init__(run, filters, f"FROM articles INDEXED BY {_walk_index(filters)}")
        self.query = query

    def reach(self, before: object | None, count: int) -> tuple[object | None, int | None, int | None]:
        # the moment of the `count`th article walked, then the ids from it on (those of its moment after it too)
        low = self._moment_of(before, count)
        conditions, values = self._within(before, low)
        span = f"SELECT min(articles.id), max(articles.id) {self.walked} WHERE {where(conditions)}"
        lowest, highest = self.run(span, values)[0]
        return low, lowest, highest

    def page(self, before: object | None, low: object | None, lowest: int, highest: int, limit: int) -> list[int]:
        matching, values, _ = _conditions(self.query, self.filters, between=True)
        conditions, bound = self._within(before, low)
        sql = f"SELECT articles.id {self.walked} WHERE {where(matching + conditions)} {self.order} LIMIT :limit"
        rows = self.run(sql, {**values, **bound, "lowest": lowest, "highest": highest, "limit": limit})
        return [row[0] for row in rows]

    def rest(self, before: object | None, limit: int) -> list[int]:
        matching, values, _ = _conditions(self.query, self.filters)
        conditions, bound = self._within(before, None)
        sql = f"SELECT articles.id {self.walked} WHERE {where(matching + conditions)} {self.order} LIMIT :limit"
        return [row[0] for row in self.run(sql, {**values, **bound, "limit": limit})]


def _windows(run: Run, query: str, filters: SearchFilters, want: int) -> list[int]:
    """The first `want` ids matching `query` (which names words) and `filters` on SQLite, newest first
    (`windowed`), a window spanning more than a quarter of the store's ids read as a plain walk."""
    # each by itself: SQLite reads a min() or a max() alone from an end of the table, both at once from all of it
    first, last = (run(f"SELECT {end}(rowid) FROM articles", {})[0][0] or 0 for end in ("min", "max"))
    return windowed(_SqliteWindows(run, query, filters), want, (last - first) // 4)


def _holding(run: Run, match: str, most: int) -> list[int] | None:
    """The articles holding the query's words (the index's rows, filters aside); None when more than `most`."""
    ids = [row[0] for row in run(_HOLDING, {"match": match, "cap": most + 1})]
    return ids if len(ids) <= most else None


_HOLDING = "SELECT rowid FROM articles_fts WHERE articles_fts MATCH :match LIMIT :cap"


def search_hits(run: Run, query: str, filters: SearchFilters, limit: int) -> SearchHits:
    """The articles of an SQLite store matching `query` and `filters`: the first `limit` ids, newest first,
    and the count — exact for a query whose words SORTED articles hold at most, else "more than" (`more`):
    SORTED without filters, COUNTED (or `limit`) with; a query of no words (`rasd search --sse`), the newest
    articles the filters keep, counted up to COUNTED. No row means no match (the page always starts at
    the first)."""
    if no_words(query):  # the newest articles the filters keep, counted up to COUNTED
        return _counted_walk(run, query, filters, limit, [])
    _, values, short_words = _conditions(query, filters)
    sorted_up_to = max(SORTED, limit)
    holding = _holding(run, str(values["match"]), sorted_up_to)
    if holding is not None:
        sql, values, short_words = search_statement(query, filters, limit, holding)
        rows = run(sql, values)
        return SearchHits([row[0] for row in rows], int(rows[0][1]) if rows else 0, short_words)
    if filters == SearchFilters():  # every article holding the words matches: more than SORTED
        return SearchHits(_windows(run, query, filters, limit), sorted_up_to, short_words, more=True)
    return _counted_walk(run, query, filters, limit, short_words)


def _counted_walk(run: Run, query: str, filters: SearchFilters, limit: int, short_words: list[str]) -> SearchHits:
    """The first `limit` matches read newest first, counted up to COUNTED (or `limit`): "more than" beyond."""
    counted = max(COUNTED, limit)
    if no_words(query):
        sql, values = newest_first_statement(query, filters, counted + 1)
        ids = [row[0] for row in run(sql, values)]
    else:
        ids = _windows(run, query, filters, counted + 1)
    return SearchHits(ids[:limit], min(len(ids), counted), short_words, more=len(ids) > counted)


def found(run: Run, hits: SearchHits) -> Found:
    """A search's page of stories, in the order of its hits."""
    page = Found(stories(run, hits.ids))
    page.total, page.more, page.short_words = hits.total, hits.more, hits.short_words
    return page


def search(run: Run, query: str, filters: SearchFilters, limit: int) -> Found:
    """`rasd search` on an SQLite store (storage.query_language: folded, with OR, NOT, "phrases", word*)."""
    return found(run, search_hits(run, query, filters, limit))


def _listed(name: str, values: Collection[int]) -> tuple[str, dict[str, object]]:
    """Bind names for a list of values (`:name0, :name1, …`), as text for `IN (…)`, and the values."""
    bound = {f"{name}{at}": value for at, value in enumerate(values)}
    return ", ".join(f":{key}" for key in bound), dict(bound)


_STORIES = (
    "SELECT articles.id, articles.title, articles.url, sources.name, articles.published_at, articles.fetched_at,"
    " articles.lang, articles.text, articles.duplicate_of, classifications.score, classifications.sse,"
    " classifications.regions, classifications.reasons, classifications.parts"
    " FROM articles JOIN classifications ON classifications.article_id = articles.id"
    " LEFT JOIN sources ON sources.id = articles.source_id WHERE articles.id IN ({ids})"
)
_COPIES = (
    "SELECT articles.duplicate_of, sources.name, articles.url FROM articles"
    " JOIN sources ON sources.id = articles.source_id WHERE articles.duplicate_of IN ({ids}) ORDER BY articles.id"
)


def stories(run: Run, ids: Sequence[int]) -> list[StoredStory]:
    """Articles as the digest, `rasd search` and `rasd explain` show them, in the order of `ids` (one not
    stored or not classified left out), with their syndicated copies and their readers' verdicts: three
    statements whatever their number (a digest of thirty stories is not sixty more queries)."""
    if not ids:
        return []
    listed, values = _listed("id", ids)
    rows = {row[0]: row for row in run(_STORIES.format(ids=listed), values)}
    copies: dict[int, list[tuple[str, str]]] = {}
    for original, name, url in run(_COPIES.format(ids=listed), values):
        copies.setdefault(original, []).append((name, url))
    readers = story_readers(run, {row[8] or row[0] for row in rows.values()})
    return [_story(rows[i], copies, readers) for i in ids if i in rows]


def _story(row: Sequence[Any], copies: dict[int, list[tuple[str, str]]], readers: dict[int, Label]) -> StoredStory:
    article_id, title, url, source, published_at, fetched_at, lang, text, duplicate_of, score, sse = row[:11]
    regions, reasons, parts = (json.loads(value) for value in row[11:14])
    return StoredStory(
        article_id=article_id,
        title=title,
        url=url,
        source=source or "?",
        published_at=moment(published_at),
        fetched_at=moment(fetched_at),  # type: ignore[arg-type]  # never null
        lang=lang,
        text=text,
        score=score,
        sse=bool(sse),
        regions=regions,
        reasons=reasons,
        parts=parts,
        also_in=copies.get(article_id, []),
        reader=readers.get(duplicate_of or article_id),
        copy_of=duplicate_of,
    )


def story(run: Run, article_id: int) -> StoredStory | None:
    """One stored article as `rasd explain` shows it; None when the store has no such (classified) article."""
    found = stories(run, [article_id])
    return found[0] if found else None


_LABEL = "labels.article_id, labels.sse, labels.region, labels.labelled_by, labels.labelled_at"


def _label(row: Sequence[Any]) -> Label:
    article_id, sse, region, labelled_by, labelled_at = row[:5]
    return Label(article_id, bool(sse), region, labelled_by, moment(labelled_at))  # type: ignore[arg-type]


def story_readers(run: Run, story_ids: Collection[int]) -> dict[int, Label]:
    """The newest reader's verdict on each of `story_ids` (first copies' ids), given on any of its copies,
    in one statement: a digest's or an export batch's stories at once, not one query a story."""
    if not story_ids:
        return {}
    listed, values = _listed("story", story_ids)
    newest: dict[int, Label] = {}
    for row in run(
        f"SELECT {_LABEL}, coalesce(copies.duplicate_of, copies.id) FROM labels"
        " JOIN articles AS copies ON copies.id = labels.article_id"
        f" WHERE coalesce(copies.duplicate_of, copies.id) IN ({listed}) ORDER BY labels.id",
        values,
    ):
        newest[row[5]] = _label(row)  # in id order: the newest stays
    return newest


def label_history(run: Run, article_id: int) -> list[Label]:
    """Every verdict on one article's story — given on it or on any syndicated copy of it, since a verdict
    on a copy keeps the whole story out of digests (`rejected_articles`) — oldest first."""
    first = run("SELECT coalesce(duplicate_of, id) FROM articles WHERE id = :id", {"id": article_id})
    if not first:
        return []
    story_of = "SELECT articles.id FROM articles WHERE articles.id = :first OR articles.duplicate_of = :first"
    rows = run(
        f"SELECT {_LABEL} FROM labels WHERE labels.article_id IN ({story_of}) ORDER BY labels.id",
        {"first": first[0][0]},
    )
    return [_label(row) for row in rows]


def labelled_articles(run: Run) -> list[LabelledArticle]:
    """Every labelled article with its current verdict (its newest), in the order they were first stored."""
    rows = run(
        f"SELECT {_LABEL}, articles.title, articles.text, articles.lang, sources.region, classifications.sse"
        " FROM labels JOIN articles ON articles.id = labels.article_id"
        " JOIN sources ON sources.id = articles.source_id"
        " LEFT OUTER JOIN classifications ON classifications.article_id = articles.id"
        " WHERE labels.id IN (SELECT max(labels.id) FROM labels GROUP BY labels.article_id)"
        " ORDER BY articles.id",
        {},
    )
    return [
        LabelledArticle(_label(row), row[5], row[6], row[7], row[8], None if row[9] is None else bool(row[9]))
        for row in rows
    ]


@dataclass(frozen=True)
class Explained:
    """What `rasd explain` reads of a story: the story (None: no such article), its readers' verdicts, and
    the labelled articles the classifier takes as references."""

    story: StoredStory | None
    history: list[Label]
    labelled: list[LabelledArticle]


def explained(run: Run, article_id: int) -> Explained:
    """What `rasd explain` reads of one article."""
    found = story(run, article_id)
    if found is None:
        return Explained(None, [], [])
    return Explained(found, label_history(run, article_id), labelled_articles(run))


def readable_url(url: str) -> str:
    """A URL with its percent-encoded non-ASCII characters (Arabic slugs) decoded, as browsers show it, and
    its site's name as a person types it (`تعاونية.ma`, not `xn--mgbeb4d6clp.ma`: config.hosts); escapes of
    ASCII characters (%20, %2F, %3F) stay as they are, so the result still opens the page."""

    def decode(match: re.Match[str]) -> str:
        decoded = unquote(match.group(), errors="strict") if _decodable(match.group()) else match.group()
        return decoded if all(ord(ch) > 127 and ch.isprintable() for ch in decoded) else match.group()

    return shown_hosts(re.sub(r"(?:%[89A-Fa-f][0-9A-Fa-f])+", decode, url))  # and its site's name as typed


def _decodable(escaped: str) -> bool:
    try:
        bytes.fromhex(escaped.replace("%", "")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
