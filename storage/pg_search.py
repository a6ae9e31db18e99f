"""`rasd search` on PostgreSQL as SQL text: the query language (storage/query_language.py) written out as a
tsquery over `article_search` (the folded words, their GIN index), the choice between sorting every match,
walking newest first and walking a window at a time (storage/reading.py's `windowed`), and the settings a
search runs under. One text whichever way it is run: through the store's engine (`Store.search`,
storage/query.py's `search_ids`, `base.run_text`) or with psycopg alone on a store at the newest schema
(storage/direct.py), so that `rasd search` need not import SQLAlchemy. Standard library only.

Each statement's values are bound by name (`:name`); a tsquery is bound as text and cast, so the planner
sees it as a constant when it plans the statement for its values (`plan_cache_mode`, `prefer_the_index`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from rasd.storage.health import Run
from rasd.storage.query_language import AllOf, AnyOf, Node, ParsedQuery, SearchFilters, SearchHits, Term, parse
from rasd.storage.reading import COUNTED, MOMENT, SORTED, Walk, filter_conditions, no_words, where, windowed

# A word inside more stored words than this is searched with LIKE over the text instead. A tsquery of N
# alternatives costs N checks per candidate article in the GIN index (a three-letter fragment such as الم,
# inside 1,700 words of the corpus, took 6.6 s on 100,000 articles; LIKE, 2.9 s).
EXPANSION_LIMIT = 300
# The memory for one search's bitmap and sort: exact up to several million matches.
SEARCH_WORK_MEM = "64MB"
# A search with filters walks a window at a time (storage.reading.windowed) only when its words are in at least
# this share of the store's articles, by the planner's estimate (`_share`); a rarer word's matches are hashed once
# and the walk looks each article up in that hash (`_Windows.rest`), which costs less than checking each
# window's articles' words one by one (docs/performance.md, "Search as the store grows", 1,000,000 articles).
WINDOWS_SHARE = 0.1

# The verdict that counts for an article: its story's newest reader's verdict (given on any copy), else the
# classifier's (storage.labels.effective_sse).
_COUNTED_SSE = (
    "coalesce((SELECT labels.sse FROM labels JOIN articles AS copies ON copies.id = labels.article_id"
    " WHERE coalesce(copies.duplicate_of, copies.id) = coalesce(articles.duplicate_of, articles.id)"
    " ORDER BY labels.id DESC LIMIT 1), classifications.sse)"
)
_ORDER = f"ORDER BY {MOMENT} DESC, articles.id DESC"
_VOCABULARY = "SELECT search_words.word FROM search_words WHERE search_words.word LIKE :pattern LIMIT :cap"


@dataclass
class Words:
    """A query's words as a condition on `article_search` and its values (each tsquery or LIKE pattern bound
    by a name of its own)."""

    condition: str = ""
    values: dict[str, object] = field(default_factory=dict)

    def bind(self, value: object) -> str:
        name = f"words{len(self.values)}"
        self.values[name] = value
        return f":{name}"


def words_of(run: Run, parsed: ParsedQuery) -> Words:
    """The condition on `article_search` of a parsed query: a word inside Arabic words is looked up in the
    vocabulary (`search_words`) first, once for the whole search."""
    words = Words()
    words.condition = _tsquery(run, parsed.root, words)
    return words


def _joined(operator: str, parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else "(" + f" {operator} ".join(parts) + ")"


def _like(node: Node, words: Words) -> str:
    """A node as LIKE conditions over the folded text (`article_search.body`)."""
    if isinstance(node, Term):
        escaped = node.pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return f"article_search.body LIKE {words.bind(f'%{escaped}%')} ESCAPE '\\'"
    if isinstance(node, AnyOf):
        return _joined("OR", [_like(option, words) for option in node.options])
    kept = [_like(part, words) for part in node.keep]
    return _joined("AND", [*kept, *(f"NOT ({_like(part, words)})" for part in node.leave_out)])


def _lexeme(word: str) -> str:
    return "'" + word.replace("\\", "\\\\").replace("'", "''") + "'"


def _tsquery(run: Run, node: Node, words: Words) -> str:
    """A node as conditions on `article_search.words`."""
    if isinstance(node, AnyOf):
        return _joined("OR", [_tsquery(run, option, words) for option in node.options])
    if isinstance(node, AllOf):
        kept = [_tsquery(run, part, words) for part in node.keep]
        return _joined("AND", [*kept, *(f"NOT ({_tsquery(run, part, words)})" for part in node.leave_out)])
    pieces = node.pattern.split()
    start_open, end_open = not node.pattern.startswith(" "), not node.pattern.endswith(" ")
    parts = []
    for at, word in enumerate(pieces):
        starts_here = not (at == 0 and start_open)  # its first letter starts a stored word
        ends_here = not (at == len(pieces) - 1 and end_open)
        if starts_here:
            parts.append(_lexeme(word) + ("" if ends_here else ":*"))
            continue
        # Only an Arabic word of three letters or more starts open (_term): look it up in the vocabulary.
        pattern = "%" + word + ("" if ends_here else "%")
        stored = [row[0] for row in run(_VOCABULARY, {"pattern": pattern, "cap": EXPANSION_LIMIT + 1})]
        if len(stored) > EXPANSION_LIMIT:
            return _like(node, words)
        if not stored:
            return "false"
        parts.append("(" + " | ".join(_lexeme(one) for one in stored) + ")")
    return f"article_search.words @@ CAST({words.bind(' <-> '.join(parts))} AS TSQUERY)"


def _walking(words: Words, filters: SearchFilters) -> str:
    """The condition on `articles` of the query's words for a walk newest first."""
    if filters == SearchFilters():
        # Checked for each article as the walk reaches it: OFFSET 0 keeps PostgreSQL from turning the check
        # into a join over every match, which would read them all before the newest. Every article holding
        # the words matches, so the walk checks a few more than its page.
        return (
            "EXISTS (SELECT 1 FROM article_search WHERE article_search.article_id = articles.id"
            f" AND {words.condition} OFFSET 0)"
        )
    # With filters the walk may pass over many articles: the matches' ids are read from the GIN index once,
    # into a hash each article is looked up in (coalesce keeps PostgreSQL from making it a join), rather than
    # each article's words checked (~35 µs each, its tsvector read).
    matching = f"SELECT article_search.article_id FROM article_search WHERE {words.condition}"
    return f"coalesce(articles.id IN ({matching}), false)"


def search_statement(run: Run, query: str, filters: SearchFilters, limit: int) -> tuple[str, dict[str, object]]:
    """The statement for the first `limit` ids matching `query` and `filters`, newest first, each with the number
    of matches in all (every match read and sorted: for a query of few matches), and its values (EXPLAIN it to
    see the plan). SearchError for a query that cannot be run."""
    return _sorted(words_of(run, parse(query)), filters, limit)


def _sorted(words: Words, filters: SearchFilters, limit: int) -> tuple[str, dict[str, object]]:
    # Materialized: the matches come from the GIN index first, whatever the planner guesses of their number.
    # It guesses 0.5 % of the store for a word it has no statistics on, and would then start from another
    # index (the articles newest first, the SSE ones) and check each article's words in turn: 1.2 s on
    # 100,000 articles for a word found in none, 1.4 s for a common word and --sse. The count rides along as
    # a window over all matches: the index is searched, and each candidate checked, once rather than once
    # for the count and again for the page (half the time on 100,000 articles, bench/bench_search.py).
    filtered, values = filter_conditions(filters, _COUNTED_SSE)
    conditions = ["articles.id IN (SELECT matching.article_id FROM matching)", *filtered]
    sql = (
        "WITH matching AS MATERIALIZED (SELECT article_search.article_id FROM article_search"
        f" WHERE {words.condition}) SELECT articles.id, count(*) OVER () FROM articles"
        f" WHERE {where(conditions)} {_ORDER} LIMIT :limit"
    )
    return sql, {**words.values, **values, "limit": limit}


def newest_first_statement(
    run: Run, query: str, filters: SearchFilters, limit: int, words: Words | None = None
) -> tuple[str, dict[str, object]]:
    """The statement for the first `limit` ids matching `query` and `filters` read newest first from
    ix_articles_moment (a source's, ix_articles_source_moment), each article's words checked as it is
    reached: it stops at the `limit`th match. For a query of many matches (storage.reading.COUNTED), or of
    none (the filters' newest). `words`: the query's, when the search has them already."""
    if words is None and not no_words(query):
        words = words_of(run, parse(query))
    filtered, values = filter_conditions(filters, _COUNTED_SSE)
    conditions = [*([_walking(words, filters)] if words is not None else []), *filtered]
    sql = f"SELECT articles.id FROM articles WHERE {where(conditions)} {_ORDER} LIMIT :limit"
    return sql, {**(words.values if words is not None else {}), **values, "limit": limit}


def prefer_the_index(run: Run) -> None:
    """Until the search's hits are read (`_settings_back`): read the matches through the GIN index even for a word in a
    quarter of the store. The planner then prefers reading article_search whole and checking each row's
    words, not counting that each tsvector must first be fetched from its TOAST table: 420 ms instead of
    ~40 ms at 20,000 articles (bench/bench_search.py). A term that no index answers (LIKE, EXPANSION_LIMIT)
    is still read whole: the setting only makes a scan the last resort. And enough memory for the bitmap of
    a common word's matches to stay exact: with the server's default (4 MB) it turned lossy at a million
    articles (66,015 of 128,864 pages), and every row of a lossy page was checked again from its TOAST
    tsvector: the largest part of the 6.8–7.6 s a search of المغرب took. And each statement planned for its
    own values: psycopg prepares a statement sent five times on one connection, and PostgreSQL's generic
    plan of a window's page (its moments and ids unknown) read the whole store — 7 s a window instead of
    ~0.1 (bench/bench_common_word.py, 100,000 articles)."""
    run("SET LOCAL enable_seqscan = off", {})
    run(f"SET LOCAL work_mem = '{SEARCH_WORK_MEM}'", {})
    run("SET LOCAL plan_cache_mode = force_custom_plan", {})


# The settings a search's hits are read under (`prefer_the_index`, and `enable_sort` for a walk).
_SEARCH_SETTINGS = ("enable_seqscan", "work_mem", "plan_cache_mode", "enable_sort")


def _settings_back(run: Run) -> None:
    """The server's own settings again for the rest of the transaction, once the hits are read: the page's
    statements that follow in it (storage.reading.found: the stories, their copies) are planned as any other.
    Left on, `enable_sort = off` made the copies' statement (`duplicate_of IN (…) ORDER BY id`) walk the
    whole articles key rather than sort the few rows its index gives: 1.6 s of the server's CPU for a
    search of المغرب at a million articles, 0.2 ms after."""
    for name in _SEARCH_SETTINGS:
        run(f"SET LOCAL {name} TO DEFAULT", {})


def _many(run: Run, words: Words, most: int) -> bool:
    """Whether more than `most` articles hold the query's words (filters aside), read from the index."""
    matching = f"SELECT article_search.article_id FROM article_search WHERE {words.condition} LIMIT :most"
    rows = run(f"SELECT count(*) FROM ({matching}) AS held", {**words.values, "most": most + 1})
    return int(rows[0][0] or 0) > most


def search_hits(run: Run, query: str, filters: SearchFilters, limit: int) -> SearchHits:
    """The articles matching `query` and `filters` on PostgreSQL: the first `limit` ids, newest first, and the
    count — exact when SORTED articles at most hold its words, else "more than"; a query of no words, the
    filters' newest counted up to COUNTED (as storage.reading.search_hits on SQLite). Runs in the search's
    own transaction, under the settings of `prefer_the_index`, which it gives back at its end."""
    prefer_the_index(run)
    hits = _hits(run, query, filters, limit)
    _settings_back(run)  # not after a failure: the transaction then takes no statement, and ends
    return hits


def _hits(run: Run, query: str, filters: SearchFilters, limit: int) -> SearchHits:
    if no_words(query):  # the newest articles the filters keep, counted up to COUNTED
        return _counted_walk(run, query, None, filters, limit)
    parsed = parse(query)
    words = words_of(run, parsed)
    sorted_up_to = max(SORTED, limit)
    if _many(run, words, sorted_up_to):
        # The walk, not a sort of every match: PostgreSQL would sort a quarter of the store to keep 20.
        run("SET LOCAL enable_sort = off", {})
        if filters == SearchFilters():  # every article holding the words matches: more than SORTED
            sql, values = newest_first_statement(run, query, filters, limit, words)
            return SearchHits([row[0] for row in run(sql, values)], sorted_up_to, parsed.short_words, more=True)
        return _counted_walk(run, query, words, filters, limit)
    # No row means no match (the page always starts at the first).
    sql, values = _sorted(words, filters, limit)
    rows = run(sql, values)
    return SearchHits([row[0] for row in rows], int(rows[0][1]) if rows else 0, parsed.short_words)


def _counted_walk(run: Run, query: str, words: Words | None, filters: SearchFilters, limit: int) -> SearchHits:
    """The first `limit` matches read newest first, counted up to COUNTED (or `limit`): "more than" beyond."""
    counted = max(COUNTED, limit)
    if words is None:
        sql, values = newest_first_statement(run, query, filters, counted + 1)
        ids = [row[0] for row in run(sql, values)]
        short_words: list[str] = []
    else:
        walk = Windows(run, words, filters)
        if share(run, words) >= WINDOWS_SHARE:
            ids = windowed(walk, counted + 1, spread(run))
        else:  # the plain walk: the matches' ids hashed once, each article walked looked up in it
            ids = walk.rest(None, counted + 1)
        short_words = parse(query).short_words
    return SearchHits(ids[:limit], min(len(ids), counted), short_words, more=len(ids) > counted)


def share(run: Run, words: Words) -> float:
    """The share of the store's articles holding the query's words, as PostgreSQL's planner estimates it from
    ANALYZE's statistics of `article_search.words` (its most common words and their frequencies): the search's
    statement is planned, no row is read. A store never analysed counts as all matching (the windows)."""
    matching = f"SELECT article_search.article_id FROM article_search WHERE {words.condition}"
    plan = run(f"EXPLAIN (FORMAT JSON) {matching}", words.values)[0][0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    held = run("SELECT reltuples FROM pg_class WHERE oid = 'article_search'::regclass", {})[0][0] or 0
    return float(plan[0]["Plan"]["Plan Rows"]) / held if held > 0 else 1.0


def spread(run: Run) -> int:
    """A quarter of the span of the store's ids: a window of the walk spanning more is read as a plain walk."""
    first = run("SELECT min(articles.id) FROM articles", {})[0][0] or 0
    last = run("SELECT max(articles.id) FROM articles", {})[0][0] or 0
    return (last - first) // 4


class Windows(Walk):
    """storage.reading.Windows on PostgreSQL: the walk reads ix_articles_moment (a source's part of
    ix_articles_source_moment); a window's matches are those of the words' GIN bitmap within the key's range of
    article_search, not the hash of every match that the plain walk with filters builds (~270,000 rows read
    at a million articles for a word in a quarter of them)."""

    def __init__(self, run: Run, words: Words, filters: SearchFilters) -> None:
        super().__init__(run, filters, "FROM articles")
        self.words = words

    def reach(self, before: object | None, count: int) -> tuple[object | None, int | None, int | None]:
        # the moment of the `count`th article walked, then the ids from it on (those of its moment after it too)
        low = self._moment_of(before, count)
        # OFFSET 0: the window read from ix_articles_moment, then its ids' ends — not min(id) walked up the key
        # until an article of the window comes (most of the store, for the newest window)
        conditions, values = self._within(before, low)
        window = f"SELECT articles.id AS id FROM articles WHERE {where(conditions)} OFFSET 0"
        lowest, highest = self.run(f"SELECT min(window_.id), max(window_.id) FROM ({window}) AS window_", values)[0]
        return low, lowest, highest

    def page(self, before: object | None, low: object | None, lowest: int, highest: int, limit: int) -> list[int]:
        matching = (
            "articles.id IN (SELECT article_search.article_id FROM article_search"
            f" WHERE article_search.article_id BETWEEN :lowest AND :highest AND {self.words.condition})"
        )
        filtered, values = filter_conditions(self.filters, _COUNTED_SSE)
        conditions, bound = self._within(before, low)
        sql = (
            f"SELECT articles.id FROM articles WHERE {where([matching, *filtered, *conditions])} {_ORDER} LIMIT :limit"
        )
        bound |= {"lowest": lowest, "highest": highest, "limit": limit}
        return [row[0] for row in self.run(sql, {**self.words.values, **values, **bound})]

    def rest(self, before: object | None, limit: int) -> list[int]:
        filtered, values = filter_conditions(self.filters, _COUNTED_SSE)
        conditions, bound = self._within(before, None)
        walked = [_walking(self.words, self.filters), *filtered, *conditions]
        sql = f"SELECT articles.id FROM articles WHERE {where(walked)} {_ORDER} LIMIT :limit"
        return [row[0] for row in self.run(sql, {**self.words.values, **values, **bound, "limit": limit})]
