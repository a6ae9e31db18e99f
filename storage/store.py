"""The store: every read and write the other stages need, as plain methods over SQLAlchemy sessions.

`Store` is assembled from one mixin per concern — articles, near-duplicate grouping, sources and
fetches, digests, search, housekeeping — each in its own module; add a concern as a new module and a
new base here. All queries use bound parameters. Times are naive UTC in the database (SQLite has no
time zones).
"""

from __future__ import annotations

from rasd.storage.articles import ArticlesMixin, NewArticle
from rasd.storage.channels import ChannelsMixin, PendingChannel
from rasd.storage.database import SchemaBehind, current_revision, migrate, open_engine, refuse_newer
from rasd.storage.digests import STALE_CLAIM, Backlog, DigestsMixin, PendingDigest
from rasd.storage.duplicates import DUPLICATE_WINDOW, DuplicatesMixin
from rasd.storage.export import FIELDS as EXPORT_FIELDS
from rasd.storage.export import export_records
from rasd.storage.files import cannot_write, head_revision, sqlite_file
from rasd.storage.furniture import Furniture, FurnitureMixin
from rasd.storage.health import Silence, SourceHealth
from rasd.storage.housekeeping import HousekeepingMixin
from rasd.storage.labels import LabelsMixin, TrialStory, UnknownArticle
from rasd.storage.query_language import SearchError, SearchFilters
from rasd.storage.reading import Found, Label, LabelledArticle, StoredStory, readable_url
from rasd.storage.search import SearchMixin
from rasd.storage.sources import SourcesMixin
from rasd.storage.unwritable import Newer

__all__ = [
    "DUPLICATE_WINDOW",
    "EXPORT_FIELDS",
    "STALE_CLAIM",
    "Backlog",
    "Found",
    "Furniture",
    "Label",
    "LabelledArticle",
    "NewArticle",
    "PendingChannel",
    "PendingDigest",
    "SchemaBehind",
    "SearchError",
    "SearchFilters",
    "Silence",
    "SourceHealth",
    "Store",
    "StoredStory",
    "TrialStory",
    "UnknownArticle",
    "export_records",
    "readable_url",
]


class Store(
    ArticlesMixin,
    DuplicatesMixin,
    SourcesMixin,
    DigestsMixin,
    ChannelsMixin,
    SearchMixin,
    HousekeepingMixin,
    LabelsMixin,
    FurnitureMixin,
):
    """One database (SQLite file or PostgreSQL URL), migrated to the newest schema on open."""

    def __init__(self, url: str, read_only: bool = False) -> None:
        """`read_only`: an existing SQLite store opened for reading only (a read-only mount or file), not
        migrated: `SchemaBehind` when it is older than this Rasd's schema."""
        self.url = url
        self.engine = open_engine(url, read_only)
        try:
            if read_only:
                head, found = head_revision(), current_revision(self.engine)
                refuse_newer(self.engine, found)  # a newer Rasd's store: that, not "older", is what to say
                if head is not None and found != head:
                    raise SchemaBehind(url, found, head)
            else:
                migrate(self.engine)
        except (SchemaBehind, Newer):
            self.engine.dispose()
            raise
        self.is_sqlite = self.engine.dialect.name == "sqlite"

    @classmethod
    def for_reading(cls, url: str) -> Store:
        """The store for a command that only reads it (`rasd status`, `search`, `explain`, `export`…): as
        usual when it can be written (an older schema is upgraded first), else — an SQLite file on a
        read-only mount, or one the user may not write — opened read-only, so reading needs no write."""
        if (path := sqlite_file(url)) is not None and cannot_write(path):
            return cls(url, read_only=True)
        return cls(url)
