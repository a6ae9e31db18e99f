"""A search's ids through the store's engine: SQLite's statements (storage/reading.py) or PostgreSQL's
(storage/pg_search.py), SQL text both, run through the session (`base.run_text`) — the same text that
storage/direct.py runs with the driver alone on a store at the newest schema."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from rasd.storage import pg_search
from rasd.storage.base import run_text
from rasd.storage.query_language import SearchFilters, SearchHits
from rasd.storage.reading import search_hits


def search_ids(session: Session, query: str, filters: SearchFilters, limit: int) -> SearchHits:
    """The articles matching `query` and `filters`: the first `limit` ids, newest first, and the count —
    exact when SORTED articles at most hold its words, else "more than"; a query of no words, the filters'
    newest counted up to COUNTED (storage.reading.search_hits, storage.pg_search.search_hits)."""
    if session.get_bind().dialect.name == "sqlite":
        return search_hits(run_text(session), query, filters, limit)
    return pg_search.search_hits(run_text(session), query, filters, limit)


# The folded title and text only: the index is contentless and has no column as shown (migration 0018).
INSERT_FTS = text("INSERT INTO articles_fts(rowid, title, text) VALUES (:id, :title, :text)")
