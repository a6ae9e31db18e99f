"""Storage: SQLAlchemy models and queries over SQLite (WAL, FTS5) or PostgreSQL, migrated with Alembic."""

from rasd.storage.report import BY_REGION, BY_SOURCE, stories_between, week_bounds, weekly_counts
from rasd.storage.store import (
    EXPORT_FIELDS,
    Found,
    Label,
    LabelledArticle,
    NewArticle,
    PendingChannel,
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
from rasd.storage.unwritable import Unwritable

__all__ = [
    "BY_REGION",
    "BY_SOURCE",
    "EXPORT_FIELDS",
    "Found",
    "Label",
    "LabelledArticle",
    "NewArticle",
    "PendingChannel",
    "PendingDigest",
    "SearchError",
    "SearchFilters",
    "SourceHealth",
    "Store",
    "StoredStory",
    "TrialStory",
    "UnknownArticle",
    "Unwritable",
    "export_records",
    "readable_url",
    "stories_between",
    "utcnow",
    "week_bounds",
    "weekly_counts",
]
