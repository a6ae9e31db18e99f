"""Storage: SQLAlchemy models and queries over SQLite (WAL, FTS5) or PostgreSQL, migrated with Alembic."""

from rasd.storage.store import NewArticle, PendingDigest, SearchError, SourceHealth, Store, StoredStory, utcnow

__all__ = ["NewArticle", "PendingDigest", "SearchError", "SourceHealth", "Store", "StoredStory", "utcnow"]
