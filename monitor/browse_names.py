"""What `rasd browse` calls the store's tables, views and columns in the reader's language.

The names stay the schema's (a researcher's SQL, the CSV and JSON exports, the address of a page use them);
the pages show the reader's word for each, with the name itself as the heading's tooltip. Messages of the
contexts `table` and `column`, so that `make catalogs` finds them and a word meaning one thing as a column
("source") can be worded apart from the same English elsewhere. A name without a word here (a hidden
table's column, a query a researcher wrote) is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from gettext import NullTranslations

from markupsafe import Markup, escape

from rasd.config import Told, telling

TABLE_NAMES: dict[str, Told] = {
    "articles": telling.pgettext("table", "articles"),
    "stories": telling.pgettext("table", "stories"),
    "sse_stories": telling.pgettext("table", "SSE stories"),
    "sse_story_regions": telling.pgettext("table", "SSE stories by region"),
    "story_sources": telling.pgettext("table", "a story's sources"),
    "story_verdicts": telling.pgettext("table", "readers' verdict per story"),
    "classifications": telling.pgettext("table", "classifier's verdicts"),
    "article_regions": telling.pgettext("table", "regions of each article"),
    "sources": telling.pgettext("table", "sources"),
    "source_health": telling.pgettext("table", "source health"),
    "fetches": telling.pgettext("table", "fetches"),
    "feeds": telling.pgettext("table", "feeds and sitemaps"),
    "digests": telling.pgettext("table", "digests"),
    "digest_items": telling.pgettext("table", "stories of each digest"),
    "deliveries": telling.pgettext("table", "deliveries"),
    "labels": telling.pgettext("table", "readers' verdicts"),
}

COLUMN_NAMES: dict[str, Told] = {
    "id": telling.pgettext("column", "id"),
    "article_id": telling.pgettext("column", "article"),
    "story_id": telling.pgettext("column", "story"),
    "source_id": telling.pgettext("column", "source"),
    "source": telling.pgettext("column", "source"),
    "name": telling.pgettext("column", "name"),
    "url": telling.pgettext("column", "address"),
    "canonical_url": telling.pgettext("column", "canonical address"),
    "title": telling.pgettext("column", "title"),
    "text": telling.pgettext("column", "text"),
    "author": telling.pgettext("column", "author"),
    "lang": telling.pgettext("column", "language"),
    "published_at": telling.pgettext("column", "published (UTC)"),
    "published_utc": telling.pgettext("column", "published (UTC)"),
    "date_source": telling.pgettext("column", "date read from"),
    "fetched_at": telling.pgettext("column", "stored (UTC)"),
    "content_hash": telling.pgettext("column", "text fingerprint"),
    "duplicate_of": telling.pgettext("column", "copy of"),
    "is_original": telling.pgettext("column", "first copy"),
    "story_articles": telling.pgettext("column", "copies of the story"),
    "story_sources": telling.pgettext("column", "sites that carried it"),
    "reader_region": telling.pgettext("column", "region for the reader"),
    "week": telling.pgettext("column", "week"),
    "sse": telling.pgettext("column", "SSE"),
    "score": telling.pgettext("column", "score"),
    "region": telling.pgettext("column", "region"),
    "region_name": telling.pgettext("column", "region name"),
    "regions": telling.pgettext("column", "regions"),
    "rank": telling.pgettext("column", "rank"),
    "reasons": telling.pgettext("column", "reasons"),
    "parts": telling.pgettext("column", "score's parts"),
    "classified_at": telling.pgettext("column", "classified (UTC)"),
    "classifier_sse": telling.pgettext("column", "SSE for the classifier"),
    "reader_sse": telling.pgettext("column", "SSE for the reader"),
    "labelled_by": telling.pgettext("column", "verdict by"),
    "labelled_at": telling.pgettext("column", "verdict given (UTC)"),
    "label": telling.pgettext("column", "verdict"),
    "stories": telling.pgettext("column", "stories"),
    "articles": telling.pgettext("column", "articles"),
    "created_at": telling.pgettext("column", "created (UTC)"),
    "failed_cycles": telling.pgettext("column", "failed cycles in a row"),
    "last_failure": telling.pgettext("column", "last failure"),
    "last_article_utc": telling.pgettext("column", "last article (UTC)"),
    "last_success": telling.pgettext("column", "last success (UTC)"),
    "last_success_utc": telling.pgettext("column", "last success (UTC)"),
    "last_attempt": telling.pgettext("column", "last attempt (UTC)"),
    "failed_fetches": telling.pgettext("column", "failed fetches"),
    "fetches": telling.pgettext("column", "fetches"),
    "kind": telling.pgettext("column", "kind"),
    "status": telling.pgettext("column", "status"),
    "outcome": telling.pgettext("column", "outcome"),
    "error": telling.pgettext("column", "error"),
    "items": telling.pgettext("column", "entries"),
    "bytes": telling.pgettext("column", "bytes"),
    "duration_ms": telling.pgettext("column", "duration (ms)"),
    "subscription": telling.pgettext("column", "subscription"),
    "recipient": telling.pgettext("column", "recipient"),
    "subject": telling.pgettext("column", "subject"),
    "attempts": telling.pgettext("column", "attempts"),
    "last_error": telling.pgettext("column", "last error"),
    "claimed_at": telling.pgettext("column", "claimed (UTC)"),
    "sent_at": telling.pgettext("column", "sent (UTC)"),
    "delivered_to": telling.pgettext("column", "delivered to"),
    "q": telling.pgettext("column", "words searched"),  # the search query's parameter
}


# Datasette's filter operators that are words (its "=", "≥", … are left as they are), by their key in the
# page's address (`?source__contains=…`), and the kinds of facet it suggests beside a column's name.
LOOKUP_WORDS: dict[str, Told] = {
    "contains": telling.pgettext("filter", "contains"),
    "endswith": telling.pgettext("filter", "ends with"),
    "startswith": telling.pgettext("filter", "starts with"),
    "like": telling.pgettext("filter", "like (SQL LIKE)"),
    "notlike": telling.pgettext("filter", "not like (SQL LIKE)"),
    "glob": telling.pgettext("filter", "matches the pattern (SQL GLOB)"),
    "in": telling.pgettext("filter", "is one of"),
    "notin": telling.pgettext("filter", "is none of"),
    "arraycontains": telling.pgettext("filter", "list contains"),
    "arraynotcontains": telling.pgettext("filter", "list does not contain"),
    "date": telling.pgettext("filter", "on the day"),
    "isnull": telling.pgettext("filter", "has no value (null)"),
    "notnull": telling.pgettext("filter", "has a value (not null)"),
    "isblank": telling.pgettext("filter", "is empty"),
    "notblank": telling.pgettext("filter", "is not empty"),
}
# Datasette's error messages a reader meets (an address mistyped, a row or table gone), by their English.
ERROR_WORDS: dict[str, Told] = {
    "404": telling.pgettext("browse error", "There is no page at this address"),
    "Database not found": telling.pgettext("browse error", "Database not found"),
    "Table not found": telling.pgettext("browse error", "Table not found"),
    "Record not found": telling.pgettext("browse error", "Row not found"),
    "No data": telling.pgettext("browse error", "No data"),
    "Invalid SQL": telling.pgettext("browse error", "Invalid SQL"),
    "Permission denied": telling.pgettext("browse error", "Permission denied"),
    "Database is immutable": telling.pgettext("browse error", "The store is read-only here"),
    "Database download is forbidden": telling.pgettext("browse error", "Downloading the store is not allowed"),
    "You do not have permission to view this table": telling.pgettext(
        "browse error", "You do not have permission to view this table"
    ),
    "You do not have permission to view this query": telling.pgettext(
        "browse error", "You do not have permission to view this query"
    ),
    "You do not have permission to view this database": telling.pgettext(
        "browse error", "You do not have permission to view this database"
    ),
}
FACET_KINDS: dict[str, Told] = {
    "date": telling.pgettext("facet", "by day"),
    "array": telling.pgettext("facet", "by item of the list"),
}


def described(
    catalog: NullTranslations,
    operators: dict[str, tuple[str, bool]],
    column: Callable[[str], str],
    selections: Iterable[tuple[str, str, str]],
    search: str,
    order: tuple[str | None, str | None],
    html: bool = True,
) -> str:
    """What a table page shows, in the reader's words, where Datasette writes English ("where source contains
    "Tiznit" sorted by published_at descending"): the words searched, each filter (its column's name, its
    operator, its value), the order. `operators`: each lookup's words and whether it takes no value. As HTML
    (escaped, each value in `<bdi>`), or as plain text for the page's title."""
    safe: Callable[[str], str] = (lambda text: str(escape(text))) if html else str
    value_of: Callable[[str], str] = (lambda value: f"<bdi>{escape(value)}</bdi>") if html else str
    bits = []
    if search:
        bits.append(safe(catalog.gettext("words searched: %(words)s")) % {"words": value_of(search)})
    for name, lookup, value in selections:
        words, no_value = operators.get(lookup, (lookup, False))
        bits.append(" ".join([safe(column(name)), safe(words), *([] if no_value else [value_of(value)])]))
    result = safe(catalog.gettext(", ")).join(bits)
    if bits:
        result = safe(catalog.gettext("where %(conditions)s")) % {"conditions": result}
    sort, sort_desc = order
    if sort or sort_desc:
        by = (
            catalog.gettext("sorted by %(column)s, descending")
            if sort_desc
            else catalog.gettext("sorted by %(column)s")
        )
        ordered = safe(by) % {"column": safe(column(sort or sort_desc or ""))}
        result = f"{result} {ordered}" if result else ordered
    return Markup(result) if html else result


def namer(names: dict[str, Told], catalog: NullTranslations, mark: Callable[[str], str] = str) -> dict[str, str]:
    """Each name's word in the catalog's language, `mark`ed."""
    return {name: mark(catalog.pgettext(told.context or "", told.message)) for name, told in names.items()}


# A Latin run of an Arabic text: from a Latin letter or digit (with the dots, dashes, slashes it starts with:
# ".atom", "--lang") to the last one before an Arabic letter, a bracket, Arabic punctuation or a bidi mark
# the catalog already holds, spaces and signs inside kept ("ISO 3166-2:MA", "MA-01 … MA-12").
_LATIN_RUN = re.compile(
    r"[-.$~/]*[A-Za-z0-9](?:[^\u0600-\u06ff()\[\]\u200e\u200f\u202a-\u202e\u2066-\u2069]*[A-Za-z0-9])?"
)
LRI, PDI = "\u2066", "\u2069"


def isolated_latin(text: str) -> str:
    """Each Latin run of `text` (one holding a Latin letter) isolated left to right (LRI…PDI, as `<bdi
    dir="ltr">` would, in a text Datasette escapes): in an Arabic line "ISO 3166-2:MA" was drawn
    "MA:3166-2 ISO", "(MA-01 … MA-12)" as "(MA-12 … MA-01)"."""
    return _LATIN_RUN.sub(lambda run: f"{LRI}{run[0]}{PDI}" if re.search("[A-Za-z]", run[0]) else run[0], text)


def latin_kept(language: str) -> Callable[[str], str]:
    """How a text in the reader's language is shown on a page: in Arabic with its Latin runs isolated."""
    from rasd.alerts.i18n import direction

    return isolated_latin if direction(language) == "rtl" else str
