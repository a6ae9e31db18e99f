"""Storage: SQLAlchemy models and queries over SQLite (WAL, FTS5) or PostgreSQL, migrated with Alembic."""

from storage.store import PendingDigest, SearchError, SourceHealth, Store, StoredStory, utcnow

__all__ = ["PendingDigest", "SearchError", "SourceHealth", "Store", "StoredStory", "utcnow"]
