"""Datasette plugin for `rasd browse`: Datasette's search box and the `search` canned query fold the
query as `rasd search` does (storage.query), so `تعاونية` finds `تعاونيه` and `ESS` only the word.

Datasette writes a table's `?_search=` as `MATCH escape_fts(:search)`, `escape_fts` being an SQL function
it registers on every connection; registered after it (trylast), ours takes its place. `rasd_match(q)` is
the same for canned queries. A query that cannot be searched (`NOT fes` alone) matches nothing.
"""

from __future__ import annotations

import sqlite3

from datasette import hookimpl

from rasd.storage.query import SearchError, fts_query

# A pattern no indexed text holds (the index never contains control characters): "no match".
NOTHING = '{title text} : "\x01\x01\x01"'


def folded_match(query: str | None) -> str:
    """The FTS5 expression for a user's query over the folded columns of `articles_fts`."""
    try:
        return fts_query(query or "")
    except SearchError:
        return NOTHING


@hookimpl(trylast=True)
def prepare_connection(conn: sqlite3.Connection) -> None:
    conn.create_function("escape_fts", 1, folded_match, deterministic=True)
    conn.create_function("rasd_match", 1, folded_match, deterministic=True)
