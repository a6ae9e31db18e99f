"""The search query language (storage/query_language.py) written out as SQLAlchemy statements: PostgreSQL's
tsquery over `article_search` and the SQLite index's rows; SQLite's search statement is SQL text
(storage/reading.py), which `rasd search` also runs without SQLAlchemy."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, Text, and_, cast, exists, false, func, literal, not_, or_, select, text
from sqlalchemy.orm import Session

from rasd.storage.base import run_text
from rasd.storage.labels import effective_sse
from rasd.storage.models import (
    ArticleRegionRow,
    ArticleRow,
    ArticleSearchRow,
    ClassificationRow,
    SearchWordRow,
    SourceRow,
)
from rasd.storage.query_language import AllOf, AnyOf, Node, ParsedQuery, SearchFilters, SearchHits, Term, parse
from rasd.storage.reading import COUNTED, SORTED, no_words, search_hits, windowed

# PostgreSQL: a word inside more stored words than this is searched with LIKE over the text instead. A
# tsquery of N alternatives costs N checks per candidate article in the GIN index (a three-letter
# fragment such as الم, inside 1,700 words of the corpus, took 6.6 s on 100,000 articles; LIKE, 2.9 s).
EXPANSION_LIMIT = 300


def _like(node: Node, column: Any) -> ColumnElement[bool]:
    if isinstance(node, Term):
        escaped = node.pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return column.like(f"%{escaped}%", escape="\\")  # type: ignore[no-any-return]
    if isinstance(node, AnyOf):
        return or_(*(_like(option, column) for option in node.options))
    return and_(*(_like(part, column) for part in node.keep), *(not_(_like(part, column)) for part in node.leave_out))


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsquery(session: Session, node: Node) -> ColumnElement[bool]:
    """A node as conditions on `article_search.words` (see the module's docstring)."""
    if isinstance(node, AnyOf):
        return or_(*(_tsquery(session, option) for option in node.options))
    if isinstance(node, AllOf):
        return and_(
            *(_tsquery(session, part) for part in node.keep),
            *(not_(_tsquery(session, part)) for part in node.leave_out),
        )
    words = node.pattern.split()
    start_open, end_open = not node.pattern.startswith(" "), not node.pattern.endswith(" ")
    parts = []
    for at, word in enumerate(words):
        starts_here = not (at == 0 and start_open)  # its first letter starts a stored word
        ends_here = not (at == len(words) - 1 and end_open)
        if starts_here:
            parts.append(_lexeme(word) + ("" if ends_here else ":*"))
            continue
        # Only an Arabic word of three letters or more starts open (_term): look it up in the vocabulary.
        pattern = "%" + word + ("" if ends_here else "%")
        stored = session.scalars(
            select(SearchWordRow.word).where(SearchWordRow.word.like(pattern)).limit(EXPANSION_LIMIT + 1)
        ).all()
        if len(stored) > EXPANSION_LIMIT:
            return _like(node, ArticleSearchRow.__table__.c.body)
        if not stored:
            return false()
        parts.append("(" + " | ".join(_lexeme(one) for one in stored) + ")")
    from sqlalchemy.dialects.postgresql import TSQUERY  # PostgreSQL's only: not imported for SQLite's stores

    tsquery = cast(literal(" <-> ".join(parts), Text()), TSQUERY)
    return ArticleSearchRow.__table__.c.words.bool_op("@@")(tsquery)  # type: ignore[no-any-return]


def _conditions(
    session: Session, parsed: ParsedQuery | None, filters: SearchFilters, walking: bool = False
) -> list[ColumnElement[bool]]:
    """The conditions on `articles` of a search: the articles matching the query read first from the GIN index
    (or, `walking` newest first, each article's words checked as it is reached), then the filters. No query
    (None): the filters' only."""
    article = ArticleRow.__table__.c
    if parsed is None:
        return _filtered(filters)
    words = _tsquery(session, parsed.root)
    search = ArticleSearchRow.__table__.c
    if walking and filters == SearchFilters():
        # Checked for each article as the walk reaches it: OFFSET 0 keeps PostgreSQL from turning the check
        # into a join over every match, which would read them all before the newest. Every article holding
        # the words matches, so the walk checks a few more than its page.
        conditions: list[ColumnElement[bool]] = [
            exists(select(literal(1)).where(search.article_id == article.id, words).offset(0))
        ]
    elif walking:
        # With filters the walk may pass over many articles: the matches' ids are read from the GIN index
        # once, into a hash each article is looked up in (coalesce keeps PostgreSQL from making it a join),
        # rather than each article's words checked (~35 µs each, its tsvector read).
        conditions = [func.coalesce(article.id.in_(select(search.article_id).where(words)), false())]
    else:
        # Materialized: the matches come from the GIN index first, whatever the planner guesses of their
        # number. It guesses 0.5 % of the store for a word it has no statistics on, and would then start
        # from another index (the articles newest first, the SSE ones) and check each article's words in
        # turn: 1.2 s on 100,000 articles for a word found in none, 1.4 s for a common word and --sse.
        matching = select(ArticleSearchRow.article_id).where(words)
        conditions = [article.id.in_(select(matching.cte("matching").prefix_with("MATERIALIZED")))]
    return conditions + _filtered(filters)


def _filtered(filters: SearchFilters) -> list[ColumnElement[bool]]:
    """The conditions on `articles` of a search's filters."""
    article = ArticleRow.__table__.c
    conditions: list[ColumnElement[bool]] = []
    moment = func.coalesce(article.published_at, article.fetched_at)
    if filters.region is not None:
        regions = ArticleRegionRow.__table__.c
        conditions.append(exists().where(regions.article_id == article.id, regions.region == filters.region))
    if filters.since is not None:
        conditions.append(moment >= filters.since)
    if filters.until is not None:
        conditions.append(moment < filters.until)
    if filters.source is not None:
        source = select(SourceRow.id).where(SourceRow.name == filters.source).scalar_subquery()
        conditions.append(article.source_id == source)
    if filters.lang is not None:
        conditions.append(article.lang == filters.lang)
    if filters.sse is not None:  # a reader's verdict on the story counts before the classifier's
        verdict = ClassificationRow.__table__.c
        counted = effective_sse(ArticleRow.__table__, verdict.sse)
        conditions.append(exists().where(verdict.article_id == article.id, counted == literal(filters.sse)))
    return conditions


def search_statement(
    session: Session, query: str, filters: SearchFilters, limit: int
) -> tuple[Select[Any], ParsedQuery]:
    """PostgreSQL's statement for the first `limit` matching ids, newest first (EXPLAIN it to see the plan);
    SQLite's is SQL text (storage.reading.search_statement)."""
    parsed = parse(query)
    article = ArticleRow.__table__.c
    moment = func.coalesce(article.published_at, article.fetched_at)
    conditions = _conditions(session, parsed, filters)
    return select(article.id).where(*conditions).order_by(moment.desc(), article.id.desc()).limit(limit), parsed


# PostgreSQL's memory for one search's bitmap and sort: exact up to several million matches.
SEARCH_WORK_MEM = "64MB"


def prefer_the_index(session: Session) -> None:
    """PostgreSQL, for the rest of the search's transaction: read the matches through the GIN index even
    for a word in a quarter of the store. The planner then prefers reading article_search whole and
    checking each row's words, not counting that each tsvector must first be fetched from its TOAST
    table: 420 ms instead of ~40 ms at 20,000 articles (bench/bench_search.py). A term that no index
    answers (LIKE, EXPANSION_LIMIT) is still read whole: the setting only makes a scan the last resort.
    And enough memory for the bitmap of a common word's matches to stay exact: with the server's default
    (4 MB) it turned lossy at a million articles (66,015 of 128,864 pages), and every row of a lossy page
    was checked again from its TOAST tsvector: the largest part of the 6.8–7.6 s a search of المغرب took."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL enable_seqscan = off"))
        session.execute(text(f"SET LOCAL work_mem = '{SEARCH_WORK_MEM}'"))
        # Each statement planned for its own values: psycopg prepares a statement sent five times on one
        # connection, and PostgreSQL's generic plan of a window's page (its moments and ids unknown) read the
        # whole store — 7 s a window instead of ~0.1 (bench/bench_common_word.py, 100,000 articles).
        session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))


def newest_first_statement(session: Session, query: str, filters: SearchFilters, limit: int) -> Select[Any]:
    """PostgreSQL's statement for the first `limit` matching ids read newest first from ix_articles_moment (a
    source's, ix_articles_source_moment), each article's words checked as it is reached: it stops at the
    `limit`th match. For a query of many matches (storage.reading.COUNTED), or none (the filters' newest)."""
    parsed = None if no_words(query) else parse(query)
    article = ArticleRow.__table__.c
    moment = func.coalesce(article.published_at, article.fetched_at)
    conditions = _conditions(session, parsed, filters, walking=True)
    return select(article.id).where(*conditions).order_by(moment.desc(), article.id.desc()).limit(limit)


def _many(session: Session, parsed: ParsedQuery, most: int) -> bool:
    """Whether more than `most` articles hold the query's words (filters aside), read from the index."""
    matching = select(ArticleSearchRow.article_id).where(_tsquery(session, parsed.root)).limit(most + 1)
    return (session.scalar(select(func.count()).select_from(matching.subquery())) or 0) > most


def search_ids(session: Session, query: str, filters: SearchFilters, limit: int) -> SearchHits:
    """The articles matching `query` and `filters`: the first `limit` ids, newest first, and the count —
    exact when SORTED articles at most hold its words, else "more than"; a query of no words, the filters'
    newest counted up to COUNTED (storage.reading.search_hits)."""
    if session.get_bind().dialect.name == "sqlite":
        return search_hits(run_text(session), query, filters, limit)
    prefer_the_index(session)
    sorted_up_to = max(SORTED, limit)
    if no_words(query):  # the newest articles the filters keep, counted up to COUNTED
        return _counted_walk(session, query, filters, limit, [])
    if _many(session, parse(query), sorted_up_to):
        # The walk, not a sort of every match: PostgreSQL would sort a quarter of the store to keep 20.
        session.execute(text("SET LOCAL enable_sort = off"))
        short_words = parse(query).short_words
        if filters == SearchFilters():  # every article holding the words matches: more than SORTED
            ids = list(session.scalars(newest_first_statement(session, query, filters, limit)))
            return SearchHits(ids, sorted_up_to, short_words, more=True)
        return _counted_walk(session, query, filters, limit, short_words)
    first, parsed = search_statement(session, query, filters, limit)
    # The count rides along as a window over all matches: the index is searched, and each candidate
    # checked, once rather than once for the count and again for the page (half the time on 100,000
    # articles, bench/bench_search.py). No row means no match (the page always starts at the first).
    rows = session.execute(first.add_columns(func.count().over())).all()
    return SearchHits([row[0] for row in rows], int(rows[0][1]) if rows else 0, parsed.short_words)


def _counted_walk(
    session: Session, query: str, filters: SearchFilters, limit: int, short_words: list[str]
) -> SearchHits:
    """The first `limit` matches read newest first, counted up to COUNTED (or `limit`): "more than" beyond."""
    counted = max(COUNTED, limit)
    if no_words(query):
        ids = list(session.scalars(newest_first_statement(session, query, filters, counted + 1)))
    else:
        walk = _Windows(session, parse(query), filters)
        if _share(session, walk.parsed) >= WINDOWS_SHARE:
            ids = windowed(walk, counted + 1, _spread(session))
        else:  # the plain walk: the matches' ids hashed once, each article walked looked up in it
            ids = walk.rest(None, counted + 1)
    return SearchHits(ids[:limit], min(len(ids), counted), short_words, more=len(ids) > counted)


# PostgreSQL: a search with filters walks a window at a time (storage.reading.windowed) only when its words are in
# at least this share of the store's articles, by the planner's estimate (`_share`); a rarer word's matches are
# hashed once and the walk looks each article up in that hash (`_Windows.rest`), which costs less than checking
# each window's articles' words one by one (docs/performance.md, "Search as the store grows", 1,000,000 articles).
WINDOWS_SHARE = 0.1


def _share(session: Session, parsed: ParsedQuery) -> float:
    """The share of the store's articles holding the query's words, as PostgreSQL's planner estimates it from
    ANALYZE's statistics of `article_search.words` (its most common words and their frequencies): the search's
    statement is planned, no row is read. A store never analysed counts as all matching (the windows)."""
    matching = select(ArticleSearchRow.article_id).where(_tsquery(session, parsed.root))
    compiled = matching.compile(dialect=session.get_bind().dialect)
    plan: Any = session.connection().exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params).scalar()
    held = session.scalar(text("SELECT reltuples FROM pg_class WHERE oid = 'article_search'::regclass")) or 0
    return float(plan[0]["Plan"]["Plan Rows"]) / held if held > 0 else 1.0


def _spread(session: Session) -> int:
    """A quarter of the span of the store's ids: a window of the walk spanning more is read as a plain walk."""
    article = ArticleRow.__table__.c
    first = session.scalar(select(func.min(article.id))) or 0
    last = session.scalar(select(func.max(article.id))) or 0
    return (last - first) // 4


class _Windows:
    """storage.reading.Windows on PostgreSQL: the walk reads ix_articles_moment (a source's part of
    ix_articles_source_moment); a window's matches are those of the words' GIN bitmap within the key's range of
    article_search, not the hash of every match that the plain walk with filters builds (~270,000 rows read
    at a million articles for a word in a quarter of them)."""

    def __init__(self, session: Session, parsed: ParsedQuery, filters: SearchFilters) -> None:
        self.session, self.parsed, self.filters = session, parsed, filters
        article = ArticleRow.__table__.c
        self.id, self.moment = article.id, func.coalesce(article.published_at, article.fetched_at)
        # what bounds the walk itself: the source, the dates; the other filters are checked on the matches
        self.scope = _filtered(SearchFilters(source=filters.source, since=filters.since, until=filters.until))

    def _within(self, before: object | None, low: object | None) -> list[ColumnElement[bool]]:
        return [
            *self.scope,
            *([self.moment < before] if before is not None else []),
            *([self.moment >= low] if low is not None else []),
        ]

    def reach(self, before: object | None, count: int) -> tuple[object | None, int | None, int | None]:
        # the moment of the `count`th article walked, then the ids from it on (those of its moment after it too)
        walked = select(self.moment).where(*self._within(before, None))
        low = self.session.scalar(walked.order_by(self.moment.desc(), self.id.desc()).limit(1).offset(count - 1))
        # OFFSET 0: the window read from ix_articles_moment, then its ids' ends — not min(id) walked up the key
        # until an article of the window comes (most of the store, for the newest window)
        window = select(self.id.label("id")).where(*self._within(before, low)).offset(0).subquery()
        lowest, highest = self.session.execute(select(func.min(window.c.id), func.max(window.c.id))).one()
        return low, lowest, highest

    def page(self, before: object | None, low: object | None, lowest: int, highest: int, limit: int) -> list[int]:
        search = ArticleSearchRow.__table__.c
        words = _tsquery(self.session, self.parsed.root)
        matching = select(search.article_id).where(search.article_id.between(lowest, highest), words)
        conditions = [self.id.in_(matching), *_filtered(self.filters), *self._within(before, low)]
        walked = select(self.id).where(*conditions).order_by(self.moment.desc(), self.id.desc()).limit(limit)
        return list(self.session.scalars(walked))

    def rest(self, before: object | None, limit: int) -> list[int]:
        conditions = _conditions(self.session, self.parsed, self.filters, walking=True) + self._within(before, None)
        walked = select(self.id).where(*conditions).order_by(self.moment.desc(), self.id.desc()).limit(limit)
        return list(self.session.scalars(walked))


# The folded title and text only: the index is contentless and has no column as shown (migration 0018).
INSERT_FTS = text("INSERT INTO articles_fts(rowid, title, text) VALUES (:id, :title, :text)")
