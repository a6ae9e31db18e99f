"""Daily upkeep: old fetch records pruned, the search index merged, the planner's statistics refreshed,
the file compacted when much of it is free."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, text

from rasd.storage.base import StoreBase, utcnow
from rasd.storage.models import FetchRow

# VACUUM rewrites the whole file (minutes for a store of a million articles): only when this share is free.
VACUUM_WHEN_FREE = 0.2


class HousekeepingMixin(StoreBase):
    """`rasd housekeeping`."""

    def prune_fetches(self, older_than_days: int) -> int:
        cutoff = utcnow() - timedelta(days=older_than_days)
        with self.session() as session, session.begin():
            result = session.execute(delete(FetchRow).where(FetchRow.fetched_at < cutoff))
            return int(getattr(result, "rowcount", 0) or 0)

    def optimize(self) -> None:
        """Daily upkeep of an SQLite file, in work bounded whatever the store's size (issue 16: it grew from
        3.6 to 33 s between 1,000 and 64,000 articles): a bounded merge of the search index's segments (FTS5's
        'optimize' rewrote the whole index every day; its automerge keeps the segment count down between
        runs), the planner's statistics refreshed from a sample (`analysis_limit`), the WAL truncated, and
        VACUUM — which rewrites the whole file — only when a fifth of it is free pages (pruned fetches, a
        deleted source); otherwise SQLite reuses the free pages for new rows anyway. PostgreSQL's autovacuum
        does this there."""
        if not self.is_sqlite:
            return
        with self.engine.connect() as connection:
            connection.execute(
                text("INSERT INTO articles_fts(articles_fts, rank) VALUES ('merge', :pages)"), {"pages": 500}
            )
            connection.execute(text("PRAGMA analysis_limit = 1000"))
            connection.execute(text("PRAGMA optimize"))
            connection.commit()
            pages = connection.execute(text("PRAGMA page_count")).scalar() or 0
            free = connection.execute(text("PRAGMA freelist_count")).scalar() or 0
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            if free > pages * VACUUM_WHEN_FREE:
                connection.execute(text("VACUUM"))
            connection.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))
