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

`articles_fts` holds the folded title and text only (contentless: migration 0018): `rasd search`, `rasd
browse` (its search box, its canned query, and `MATCH rasd_match('…')` in a query written by hand on its SQL
page) fold the query with `fts_query` first and find every spelling; in the `sqlite3` shell a query is
typed folded (`MATCH 'تعاونيه'`, `MATCH 'cooperative'`: no hamza, ة as ه, no accents; case is folded by the
trigram tokenizer).

Standard library only (with the folding): `rasd search` reads an SQLite store at the newest schema without
SQLAlchemy (storage/reading.py writes SQLite's statement as SQL text; storage/query.py PostgreSQL's).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from rasd.config import Told, telling
from rasd.extract import normalize_for_matching

# Words as the index separates them: letters and digits of any script (punctuation and underscores split).
_WORD = re.compile(r"[^\W_]+")
_ARABIC = re.compile("[\u0600-\u06ff]")
# A query's pieces: a quoted phrase (closed or running to the end), a parenthesis, or a run of anything else.
_QUERY_PIECE = re.compile(r'"[^"]*"?|[()]|[^\s()"]+')
ARTICLE = "ال"  # the Arabic definite article, as the query's first word may begin with it
SHORT = 3  # the trigram index needs three characters; shorter words are searched with their edges


class SearchError(ValueError):
    """A search query that cannot be run: `told` is why (a `config.Told`, made with `telling.gettext` so that
    the catalogs hold it and the commands say it in the reader's language); `str()` is the English line."""

    def __init__(self, told: Told) -> None:
        self.told = told
        super().__init__(told)


def index_text(folded: str) -> str:
    """The indexed form of already folded text: its words, one space apart, a space at each end."""
    return _indexed(_WORD.findall(folded))


def _indexed(words: list[str]) -> str:
    """Words as the index holds them, one space apart and a space at each end: a word's edges visible to a
    substring index (" ess " is the word ESS, never the inside of "business")."""
    return " " + " ".join(words) + " "


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
    return fts_expression(parse(query))


def fts_expression(parsed: ParsedQuery) -> str:
    """`fts_query` of a query parsed already."""
    return "{title text} : " + _fts(parsed.root)


def is_arabic_indexed(word: str) -> bool:
    """Whether a folded word goes into PostgreSQL's vocabulary `search_words` (searched inside words)."""
    return len(word) >= SHORT and _ARABIC.search(word) is not None


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
    """The ids of the first matches, newest first, and how many match in all (or, with `more`, at least)."""

    ids: list[int]
    total: int
    short_words: list[str]
    more: bool = False  # more than `total` match: a search of many matches stops counting (storage.reading)


def index_rows(articles: Sequence[tuple[int, str, str]]) -> list[dict[str, Any]]:
    """Rows for the index from (id, folded title, folded text) of each article. The words of
    the title and of the text are found once: PostgreSQL's `body` is both lists of words, as `index_text` of
    the two joined by a space would find them again (a word never spans a space) — that second pass over
    the text was a third of this function's CPU in the crawl's main process (bench/bench_crawl.py)."""
    rows = []
    for article_id, folded_title, folded_text in articles:
        title_words, text_words = _WORD.findall(folded_title), _WORD.findall(folded_text)
        rows.append(
            {
                "id": article_id,
                "title": _indexed(title_words),
                "text": _indexed(text_words),
                "body": _indexed(title_words + text_words),
            }
        )
    return rows
