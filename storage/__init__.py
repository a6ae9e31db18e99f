"""Storage: SQLAlchemy models and queries over SQLite (WAL, FTS5) or PostgreSQL, migrated with Alembic."""

from rasd.storage.store import (
    EXPORT_FIELDS,
    Found,
    NewArticle,
    PendingDigest,
    SearchError,
    SearchFilters,
    SourceHealth,
    Store,
    StoredStory,
    export_records,
    readable_url,
    utcnow,
)

__all__ = [
    "EXPORT_FIELDS",
    "Found",
    "NewArticle",
    "PendingDigest",
    "SearchError",
    "SearchFilters",
    "SourceHealth",
    "Store",
    "StoredStory",
    "export_records",
    "readable_url",
    "utcnow",
]
