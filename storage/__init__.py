"""Storage: SQLAlchemy models and queries over SQLite (WAL, FTS5) or PostgreSQL, migrated with Alembic."""

from rasd.storage.store import (
    EXPORT_FIELDS,
    Found,
    Label,
    LabelledArticle,
    NewArticle,
    PendingDigest,
    SearchError,
    SearchFilters,
    SourceHealth,
    Store,
    StoredStory,
    TrialStory,
    UnknownArticle,
    export_records,
    readable_url,
    utcnow,
)

__all__ = [
    "EXPORT_FIELDS",
    "Found",
    "Label",
    "LabelledArticle",
    "NewArticle",
    "PendingDigest",
    "SearchError",
    "SearchFilters",
    "SourceHealth",
    "Store",
    "StoredStory",
    "TrialStory",
    "UnknownArticle",
    "export_records",
    "readable_url",
    "utcnow",
]
