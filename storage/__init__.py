"""Storage: SQLAlchemy models and queries over SQLite (WAL, FTS5) or PostgreSQL, migrated with Alembic."""

from rasd.storage.store import (
    Found,
    NewArticle,
    PendingDigest,
    SearchError,
    SearchFilters,
    SourceHealth,
    Store,
    StoredStory,
    readable_url,
    utcnow,
)

__all__ = [
    "Found",
    "NewArticle",
    "PendingDigest",
    "SearchError",
    "SearchFilters",
    "SourceHealth",
    "Store",
    "StoredStory",
    "readable_url",
    "utcnow",
]
