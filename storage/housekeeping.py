"""Daily upkeep: old fetch records pruned, the search index merged, the planner's statistics refreshed,
the file compacted."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, text

from rasd.storage.base import StoreBase, utcnow
from rasd.storage.models import FetchRow


class HousekeepingMixin(StoreBase):
    """`rasd housekeeping`."""

    def prune_fetches(self, older_than_days: int) -> int:
        cutoff = utcnow() - timedelta(days=older_than_days)
        with self.session() as session, session.begin():
            result = session.execute(delete(FetchRow).where(FetchRow.fetched_at < cutoff))
            return int(getattr(result, "rowcount", 0) or 0)

    def optimize(self) -> None:
        """Keep the file small and the planner's statistics fresh (daily housekeeping)."""
        if not self.is_sqlite:
            return
        with self.engine.connect() as connection:
            connection.execute(text("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')"))
            connection.execute(text("PRAGMA optimize"))
            connection.commit()
        with self.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            connection.execute(text("VACUUM"))
