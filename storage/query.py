"""The search query language: one language, one folding, whichever door a reader comes in by.

The index holds each article's title and text folded by extract.normalize (Arabic spelling variants,
Latin accents, case) with its words separated by single spaces and a space at each end, so that a word's
edges are visible to a substring index: " ess " is the word ESS, never the inside of "business". On SQLite
the index is the FTS5 table `articles_fts` (trigram tokenizer: substring matching, which Arabic needs for
its attached و/ب/ل/ال). On PostgreSQL it is `article_search.words`, a tsvector of the same words under a
GIN index (migration 0014): each term becomes a tsquery — a whole word `'ess'`, a prefix `'coop':*`, a
phrase `'economie' <-> 'sociale'` — and a word that may start inside a stored word (an Arabic word of
three letters or more, the first word of an Arabic phrase) becomes the stored words that contain it (or
end with it), looked up in the vocabulary `search_words`, so both databases find the same articles.

A query is parsed here once and written out for either database, so both answer the same thing:
- words are ANDed; `OR` between alternatives; `NOT word` or `-word` leaves out; `( )` group;
- "a phrase" matches those words in that order;
- a Latin or numeric word matches whole words only; `word*` matches words starting with it;
- an Arabic word of three letters or more matches inside words too (its clitics: والتعاونية,
  للتعاونية), and one that begins with the article ال is searched without it, since ل + ال is written
  لل (التنمية finds للتنمية); shorter words, in either script, match as whole words.

`articles_fts` also holds the title and text as shown (column `original`), so a query typed by hand in the
`sqlite3` shell or in Datasette finds the articles spelt as typed (the trigram tokenizer folds case);
`rasd search`, `rasd browse` (its search box and canned query) fold the query with `fts_query` first and
find every spelling.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import unquote

from sqlalchemy import ColumnElement, Select, Text, and_, cast, exists, false, func, literal, not_, or_, select, text
from sqlalchemy.orm import Session

from rasd.config import Told, telling
from rasd.extract import normalize_for_matching
from rasd.storage.labels import effective_sse
from rasd.storage.models import (
    ArticleRegionRow,
    ArticleRow,
    ArticleSearchRow,
    ClassificationRow,
    SearchWordRow,
    SourceRow,
)

# Words as the index separates them: letters and digits of any script (punctuation and underscores split).
_WORD = re.compile(r"[^\W_]+")
_ARABIC = re.compile("[\u0600-\u06ff]")
# A query's pieces: a quoted phrase (closed or running to the end), a parenthesis, or a run of anything else.
_QUERY_PIECE = re.compile(r'"[^"]*"?|[()]|[^\s()"]+')
ARTICLE = "ال"  # the Arabic definite article, as the query's first word may begin with it
SHORT = 3  # the trigram index needs three characters; shorter words are searched with their edges
# PostgreSQL: a word inside more stored words than this is searched with LIKE over the text instead. A
# tsquery of N alternatives costs N checks per candidate article in the GIN index (a three-letter
# fragment such as الم, inside 1,700 words of the corpus, took 6.6 s on 100,000 articles; LIKE, 2.9 s).
EXPANSION_LIMIT = 300


class SearchError(ValueError):
    """A search query that cannot be run: `told` is why (a `config.Told`, made with `telling.gettext` so that
    the catalogs hold it and the commands say it in the reader's language); `str()` is the English line."""

    def __init__(self, told: Told) -> None:
        self.told = told
        super().__init__(told)


def index_text(folded: str) -> str:
    """The indexed form of already folded text: its words, one space apart, a space at each end."""
    return " " + " ".join(_WORD.findall(folded)) + " "


@dataclass(frozen=True)
class Term:
    """A word or a phrase of the query, as the pattern the indexed text must contain."""

    pattern: str


@dataclass(frozen=True)
class AllOf:
    keep: tuple[Node, ...]
    leave_out: tuple[Node, ...] = ()


@dataclass(frozen=True)
class AnyOf:
    options: tuple[Node, ...]


Node = Term | AllOf | AnyOf


@dataclass
class ParsedQuery:
    """A parsed query, and the short words in it (a result-less search says how they were searched)."""

    root: Node
    short_words: list[str] = field(default_factory=list)


# French words that end in -s or -x in the singular already, folded (no accents): "cours" is not the plural of
# "cour" (a search for "cours" found every "Cour des comptes" story), nor "fonds" of "fond".
_SINGULAR_IN_S = frozenset({
    "cours", "concours", "parcours", "discours", "secours", "recours", "temps", "fonds", "corps", "poids", "fois",
    "mois", "prix", "choix", "voix", "paix", "croix", "taux", "pays", "avis", "bras", "repas", "propos", "tapis",
    "souris", "dos", "sens", "velours", "progres", "proces", "succes", "acces", "exces", "deces",
})  # fmt: skip


def inflections(word: str) -> list[str]:
    """A folded word and the forms of it that a reader means too: French (and English) singular and plural
    (coopérative, coopératives; social, sociaux; réseau, réseaux), the Arabic feminine's singular, sound
    plural and the form before a suffix (تعاونية, تعاونيات, تعاونيتان). Arabic clitics (و، ب، ل، ال) need
    nothing here: an Arabic word is found inside longer words already. Short words are left as they are (ess,
    les, fes), and so are words ending in -ss, -us, -is (press is not the plural of "pres") and French words that
    end in -s or -x in the singular (`_SINGULAR_IN_S`: cours, fonds, temps, prix …)."""
    if _ARABIC.search(word):
        for ending in ("ات", "ه"):
            stem = word.removesuffix(ending)
            if stem != word and len(stem) >= SHORT:
                return [word, *(stem + other for other in ("ه", "ات", "ت") if stem + other != word)]
        return [word]
    if len(word) < 4 or not word.isalpha():
        return [word]
    singulars = [word]
    if word.endswith("aux") and not word.endswith("eaux") and len(word) > 5:
        singulars.append(word[:-3] + "al")
    elif (
        word.endswith(("s", "x"))
        and not word.endswith(("ss", "us", "is"))
        and len(word) > 4
        and word not in _SINGULAR_IN_S
    ):
        singulars.append(word[:-1])
    forms = []
    for singular in singulars:
        forms.append(singular)
        if not singular.endswith(("s", "x", "z")):
            forms.append(singular + ("x" if singular.endswith(("eau", "au", "eu")) else "s"))
        if singular.endswith("al"):
            forms.append(singular[:-2] + "aux")
    return list(dict.fromkeys(forms))


ALTERNATIVES = 8  # a phrase's words are inflected while the alternatives stay this few (each one is a lookup)


def _term(piece: str, short_words: list[str]) -> Node | None:
    """A phrase or word as an index pattern, or the patterns of its inflections (a quoted word or phrase
    and a prefix word* are searched as written); None when it has no letter or digit (a lone `+`)."""
    prefix = piece.endswith("*") and not piece.startswith('"')
    words = _WORD.findall(normalize_for_matching(piece.strip('"')))
    if not words:
        return None
    short_words.extend(word for word in words if len(word) < SHORT)
    if _ARABIC.search(words[0]) and words[0].startswith(ARTICLE) and len(words[0]) - len(ARTICLE) >= SHORT:
        # The article is searched inside words without its ال: with ل it is written لل (للتنمية), so
        # التنمية must find للتنمية as well as التنمية, والتنمية, بالتنمية.
        words[0] = words[0][len(ARTICLE) :]
    spellings: list[list[str]] = [[]]
    for at, word in enumerate(words):
        inflected = inflections(word) if not piece.startswith('"') and not (prefix and at == len(words) - 1) else [word]
        if len(spellings) * len(inflected) > ALTERNATIVES:
            inflected = [word]
        spellings = [[*spelling, form] for spelling in spellings for form in inflected]
    terms = [_pattern(spelling, prefix, piece) for spelling in spellings]
    return terms[0] if len(terms) == 1 else AnyOf(tuple(terms))


def _pattern(words: list[str], prefix: bool, piece: str) -> Term:
    first, last = words[0], words[-1]
    left = " " if not _ARABIC.search(first) or len(first) < SHORT else ""
    right = "" if prefix or (_ARABIC.search(last) and len(last) >= SHORT) else " "
    pattern = left + " ".join(words) + right
    if len(pattern) < SHORT:
        raise SearchError(
            telling.gettext(
                "%(piece)s is too short to search for: give at least two letters before the *", piece=repr(piece)
            )
        )
    return Term(pattern)


class _Parser:
    """Recursive descent over the query's pieces: OR binds loosest, then AND (implied), then NOT."""

    def __init__(self, query: str) -> None:
        self.pieces = _QUERY_PIECE.findall(query)
        self.at = 0
        self.short_words: list[str] = []

    def peek(self) -> str | None:
        return self.pieces[self.at] if self.at < len(self.pieces) else None

    def any_of(self) -> Node | None:
        options = []
        while True:
            option = self.all_of()
            if option is not None:
                options.append(option)
            if self.peek() != "OR":
                break
            self.at += 1
        if not options:
            return None
        return options[0] if len(options) == 1 else AnyOf(tuple(options))

    def all_of(self) -> Node | None:
        keep: list[Node] = []
        leave_out: list[Node] = []
        while (piece := self.peek()) is not None and piece not in ("OR", ")"):
            self.at += 1
            if piece == "AND":
                continue
            negated = piece == "NOT"
            if negated:
                piece = self.peek()
                if piece is None or piece in ("OR", ")", "AND", "NOT"):
                    raise SearchError(telling.gettext("NOT must be followed by the word or phrase to leave out"))
                self.at += 1
            elif piece.startswith("-") and len(piece) > 1:
                negated, piece = True, piece[1:]
            node = self.group() if piece == "(" else _term(piece, self.short_words)
            if node is not None:
                (leave_out if negated else keep).append(node)
        if leave_out and not keep:
            raise SearchError(
                telling.gettext("NOT only leaves words out: say what to look for too (cooperative NOT fes)")
            )
        if not keep:
            return None
        if len(keep) == 1 and not leave_out:
            return keep[0]
        return AllOf(tuple(keep), tuple(leave_out))

    def group(self) -> Node | None:
        inner = self.any_of()
        if self.peek() == ")":
            self.at += 1  # an unclosed group closes at the end of the query
        return inner


def parse(query: str) -> ParsedQuery:
    """Parse a query (see the module's docstring); SearchError when there is nothing to search for."""
    parser = _Parser(query)
    root = parser.any_of()
    while parser.peek() == ")":  # a stray closing parenthesis: ignore it and read on
        parser.at += 1
        more = parser.any_of()
        if more is not None:
            root = more if root is None else AllOf((root, more))
    if root is None:
        raise SearchError(
            telling.gettext('nothing to search for in %(query)s: give a word, a "phrase" or a word*', query=repr(query))
        )
    return ParsedQuery(root, parser.short_words)


def _fts(node: Node) -> str:
    if isinstance(node, Term):
        return '"' + node.pattern + '"'
    if isinstance(node, AnyOf):
        return "(" + " OR ".join(_fts(option) for option in node.options) + ")"
    kept = " AND ".join(_fts(part) for part in node.keep)
    return "(" + kept + "".join(f" NOT {_fts(part)}" for part in node.leave_out) + ")"


def fts_query(query: str) -> str:
    """The FTS5 MATCH expression for a query over the folded columns of `articles_fts`."""
    return "{title text} : " + _fts(parse(query).root)


def _like(node: Node, column: Any) -> ColumnElement[bool]:
    if isinstance(node, Term):
        escaped = node.pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        return column.like(f"%{escaped}%", escape="\\")  # type: ignore[no-any-return]
    if isinstance(node, AnyOf):
        return or_(*(_like(option, column) for option in node.options))
    return and_(*(_like(part, column) for part in node.keep), *(not_(_like(part, column)) for part in node.leave_out))


def is_arabic_indexed(word: str) -> bool:
    """Whether a folded word goes into PostgreSQL's vocabulary `search_words` (searched inside words)."""
    return len(word) >= SHORT and _ARABIC.search(word) is not None


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


@dataclass(frozen=True)
class SearchFilters:
    """What a search is narrowed to; None means any. Dates are naive UTC, on the publication date (the
    fetch date for an article without one); `until` is exclusive."""

    region: str | None = None
    since: datetime | None = None
    until: datetime | None = None
    source: str | None = None
    lang: str | None = None
    sse: bool | None = None


@dataclass(frozen=True)
class SearchHits:
    """The ids of the first matches, newest first, and how many match in all."""

    ids: list[int]
    total: int
    short_words: list[str]


def _conditions(session: Session, parsed: ParsedQuery, filters: SearchFilters) -> list[ColumnElement[bool]]:
    article = ArticleRow.__table__.c
    if session.get_bind().dialect.name == "sqlite":
        matching = text("SELECT rowid FROM articles_fts WHERE articles_fts MATCH :match").bindparams(
            match="{title text} : " + _fts(parsed.root)
        )
        conditions: list[ColumnElement[bool]] = [article.id.in_(matching)]
    else:
        # Materialized: the matches come from the GIN index first, whatever the planner guesses of their
        # number. It guesses 0.5 % of the store for a word it has no statistics on, and would then start
        # from another index (the articles newest first, the SSE ones) and check each article's words in
        # turn: 1.2 s on 100,000 articles for a word found in none, 1.4 s for a common word and --sse.
        matching_pg = select(ArticleSearchRow.article_id).where(_tsquery(session, parsed.root))
        conditions = [article.id.in_(select(matching_pg.cte("matching").prefix_with("MATERIALIZED")))]
    moment = func.coalesce(article.published_at, article.fetched_at)
    if filters.region is not None:
        regions = ArticleRegionRow.__table__.c
        conditions.append(exists().where(regions.article_id == article.id, regions.region == filters.region))
    if filters.since is not None:
        conditions.append(moment >= filters.since)
    if filters.until is not None:
        conditions.append(moment < filters.until)
    if filters.source is not None:
        conditions.append(article.source_id.in_(select(SourceRow.id).where(SourceRow.name == filters.source)))
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
    """The statement for the first `limit` matching ids, newest first (EXPLAIN it to see the plan)."""
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


def search_ids(session: Session, query: str, filters: SearchFilters, limit: int) -> SearchHits:
    """The articles matching `query` and `filters`: the first `limit` ids, newest first, and the count."""
    first, parsed = search_statement(session, query, filters, limit)
    prefer_the_index(session)
    # The count rides along as a window over all matches: the index is searched, and each candidate
    # checked, once rather than once for the count and again for the page (half the time on 100,000
    # articles, bench/bench_search.py). No row means no match (the page always starts at the first).
    rows = session.execute(first.add_columns(func.count().over())).all()
    return SearchHits([row[0] for row in rows], int(rows[0][1]) if rows else 0, parsed.short_words)


def index_rows(articles: Sequence[tuple[int, str, str, str, str]]) -> list[dict[str, Any]]:
    """Rows for the index from (id, title, text, folded title, folded text) of each article."""
    return [
        {
            "id": article_id,
            "title": index_text(folded_title),
            "text": index_text(folded_text),
            "original": f"{title}\n{body}",
            "body": index_text(f"{folded_title} {folded_text}"),
        }
        for article_id, title, body, folded_title, folded_text in articles
    ]


INSERT_FTS = text("INSERT INTO articles_fts(rowid, title, text, original) VALUES (:id, :title, :text, :original)")


def readable_url(url: str) -> str:
    """A URL with its percent-encoded non-ASCII characters (Arabic slugs) decoded, as browsers show it;
    escapes of ASCII characters (%20, %2F, %3F) stay as they are, so the result still opens the page."""

    def decode(match: re.Match[str]) -> str:
        decoded = unquote(match.group(), errors="strict") if _decodable(match.group()) else match.group()
        return decoded if all(ord(ch) > 127 and ch.isprintable() for ch in decoded) else match.group()

    return re.sub(r"(?:%[89A-Fa-f][0-9A-Fa-f])+", decode, url)


def _decodable(escaped: str) -> bool:
    try:
        bytes.fromhex(escaped.replace("%", "")).decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
