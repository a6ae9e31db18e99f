"""The tables, named for people who open the database with `sqlite3` or Datasette.

Dates are stored as UTC. Lists (regions, reasons) are JSON text so a row reads whole in the shell;
`article_regions` repeats the regions as rows so "stories about MA-09" is a plain join.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    Computed,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import UserDefinedType

# PARTIAL: nothing here names SQLAlchemy's PostgreSQL dialect — neither its types nor a `postgresql_where`,
# whose validation imports the dialect with all its drivers: ~0.06 s of CPU that every command paid, on an
# SQLite store too (issue 16). The schema is the migrations' (0007 makes both partial indexes partial on
# PostgreSQL as well); these models say what the queries read.


class TSVector(UserDefinedType[str]):
    """PostgreSQL's `tsvector` (see PARTIAL): the column is computed by the database (migration 0014) and
    never read, so its name in DDL is all the type does."""

    cache_ok = True

    def get_col_spec(self, **_kw: object) -> str:
        return "TSVECTOR"


class Base(DeclarativeBase):
    pass


class SourceRow(Base):
    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    url: Mapped[str] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(String(5))
    lang: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    failed_cycles: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # in a row, up to now
    last_failure: Mapped[str | None] = mapped_column(Text)  # why its last failed cycle failed


class FeedRow(Base):
    """A feed or sitemap URL and the validators for its next conditional GET."""

    __tablename__ = "feeds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    url: Mapped[str] = mapped_column(Text, unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # feed | sitemap
    etag: Mapped[str | None] = mapped_column(Text)
    last_modified: Mapped[str | None] = mapped_column(Text)
    last_checked_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_status: Mapped[int | None] = mapped_column(Integer)


class FetchRow(Base):
    """Every HTTP attempt and how it ended: the record `rasd status` and debugging read."""

    __tablename__ = "fetches"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    url: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))  # robots | feed | sitemap | listing | article
    status: Mapped[int | None] = mapped_column(Integer)
    bytes: Mapped[int] = mapped_column(Integer, default=0)
    duration_ms: Mapped[int] = mapped_column(Integer, default=0)
    outcome: Mapped[str] = mapped_column(String(16))  # ok | not_modified | http_error | error | blocked
    error: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    items: Mapped[int | None] = mapped_column(Integer)  # entries a feed or sitemap announced

    __table_args__ = (
        Index("ix_fetches_source_time", "source_id", "fetched_at"),
        # `rasd status` reads a source's feed, sitemap, listing and robots.txt answers, not its article pages.
        # Partial on both databases (migration 0007); only SQLite's condition is named here (see PARTIAL).
        Index("ix_fetches_source_answers", "source_id", "fetched_at", sqlite_where=text("kind != 'article'")),
    )


# When an article was published, or fetched when its date is unknown: what searches order by (`text` is a
# column's name inside ArticleRow).
_MOMENT = text("coalesce(published_at, fetched_at)")


class ArticleRow(Base):
    __tablename__ = "articles"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"))
    url: Mapped[str] = mapped_column(Text)
    canonical_url: Mapped[str] = mapped_column(Text, unique=True)
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    date_source: Mapped[str | None] = mapped_column(String(32))
    author: Mapped[str | None] = mapped_column(Text)
    lang: Mapped[str] = mapped_column(String(8))
    content_hash: Mapped[str] = mapped_column(String(64), index=True)
    fetched_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    # The first article of a syndicated story; NULL when this article is the story's own first copy.
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("articles.id"), index=True)

    __table_args__ = (
        Index("ix_articles_source_fetched", "source_id", "fetched_at"),  # rasd status, per source
        # rasd search, newest first (migration 0017)
        Index("ix_articles_moment", _MOMENT, "id", "source_id", "lang", "duplicate_of"),
        Index("ix_articles_source_moment", "source_id", _MOMENT, "id", "lang", "duplicate_of"),
    )


class ArticleAliasRow(Base):
    """Another canonical URL under which a stored article was reached (the announced `?p=123` of an
    article stored under its permalink): known as stored, never fetched again."""

    __tablename__ = "article_aliases"

    canonical_url: Mapped[str] = mapped_column(Text, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)


class ArticleFingerprintRow(Base):
    """The MinHash signature and stated figures of an article (extract.fingerprint), to find its copies."""

    __tablename__ = "article_fingerprints"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), primary_key=True)
    scheme: Mapped[str] = mapped_column(String(40), index=True)  # another scheme than today's is recomputed
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    figures: Mapped[str] = mapped_column(Text)  # space-separated


class ArticleBandRow(Base):
    """One LSH band hash of an article's signature: articles sharing a (band, hash) are candidate copies."""

    __tablename__ = "article_bands"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), primary_key=True)
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    hash: Mapped[int] = mapped_column(BigInteger)
    # the day of the article's date (storage.duplicates.day): the lookup reads only the window's rows
    day: Mapped[int | None] = mapped_column(Integer)

    # article_id last: the lookup is answered from the index alone (migration 0016); on SQLite the rows are
    # kept in their primary key's B-tree, not in a rowid table beside it (migration 0018)
    __table_args__ = (
        Index("ix_article_bands_lookup", "band", "hash", "day", "article_id"),
        {"sqlite_with_rowid": False},
    )


class ArticleSearchRow(Base):
    """Normalised title and text for PostgreSQL's search (SQLite uses the FTS5 table articles_fts), and
    its words as a tsvector the database computes (migration 0014)."""

    __tablename__ = "article_search"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    words: Mapped[str] = mapped_column(TSVector(), Computed("to_tsvector('simple'::regconfig, body)", persisted=True))


class SearchWordRow(Base):
    """PostgreSQL: each Arabic word of three letters or more the store holds, to search inside words."""

    __tablename__ = "search_words"

    word: Mapped[str] = mapped_column(Text, primary_key=True)


class ClassificationRow(Base):
    __tablename__ = "classifications"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), primary_key=True)
    sse: Mapped[bool] = mapped_column(Boolean, index=True)
    score: Mapped[float] = mapped_column(Float)
    regions: Mapped[str] = mapped_column(Text)  # JSON list of ISO 3166-2:MA codes
    reasons: Mapped[str] = mapped_column(Text)  # JSON list of strings
    parts: Mapped[str] = mapped_column(Text)  # JSON object: the score's components
    classified_at: Mapped[datetime] = mapped_column(DateTime)
    # the topics of the story's SSE words, space-separated ("cooperatives indh": config/topics.py), for a
    # subscription's `topics`; NULL: classified before they were stored (filled by the first digest needing them)
    topics: Mapped[str | None] = mapped_column(Text, nullable=True)
    # JSON: what the classification rests on (classify.Evidence.as_json), the digest's "why"; NULL before 0018
    evidence: Mapped[str | None] = mapped_column(Text, nullable=True)


class LabelRow(Base):
    """A reader's verdict on a story (`rasd label`). Never updated: the newest row of an article is its
    verdict, the older ones its history."""

    __tablename__ = "labels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), index=True)
    sse: Mapped[bool] = mapped_column(Boolean)
    region: Mapped[str | None] = mapped_column(String(5))  # ISO 3166-2:MA, or NULL when not given
    labelled_by: Mapped[str] = mapped_column(String(200))
    labelled_at: Mapped[datetime] = mapped_column(DateTime)


class ArticleRegionRow(Base):
    __tablename__ = "article_regions"

    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), primary_key=True)
    region: Mapped[str] = mapped_column(String(5), primary_key=True, index=True)
    rank: Mapped[int] = mapped_column(Integer)


class DigestRow(Base):
    """One email for one subscriber. Its stories are claimed in `digest_items` the moment it is built,
    so a story can never enter two digests of the same subscriber; the rendered message is kept so a
    retry sends exactly what failed."""

    __tablename__ = "digests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    subscription: Mapped[str] = mapped_column(String(200), index=True)
    recipient: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)  # the whole RFC 5322 message
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending | sending | sent
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    delivered_to: Mapped[str | None] = mapped_column(Text)  # "smtp://host:port" or the .eml path

    __table_args__ = (  # the few digests not sent yet (Store.pending_digests): partial on both (0007, PARTIAL)
        Index("ix_digests_unsent", "id", sqlite_where=text("status != 'sent'")),
    )


class DigestItemRow(Base):
    __tablename__ = "digest_items"

    digest_id: Mapped[int] = mapped_column(ForeignKey("digests.id"), primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id"), primary_key=True)
    subscription: Mapped[str] = mapped_column(String(200))

    __table_args__ = (
        UniqueConstraint("subscription", "article_id", name="uq_digest_items_once"),
        Index("ix_digest_items_article", "article_id"),  # was the story's original delivered already?
    )


class DeliveryRow(Base):
    """Each attempt to deliver a digest, successful or not."""

    __tablename__ = "deliveries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest_id: Mapped[int] = mapped_column(ForeignKey("digests.id"), index=True)
    attempted_at: Mapped[datetime] = mapped_column(DateTime)
    outcome: Mapped[str] = mapped_column(String(16))  # sent | failed
    error: Mapped[str | None] = mapped_column(Text)
    channel: Mapped[str | None] = mapped_column(Text)  # "atom /path", "push json://…"; NULL: the email


class DigestChannelRow(Base):
    """A digest's delivery on one more channel (an Atom feed, a push notification): its own state, so a
    channel that fails is retried alone and never holds the email or the other channels back. `payload`
    is what the channel delivers, rendered with the digest (Atom entries, or a notification's text)."""

    __tablename__ = "digest_channels"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    digest_id: Mapped[int] = mapped_column(ForeignKey("digests.id"), index=True)
    channel: Mapped[str] = mapped_column(String(16))  # atom | push
    target: Mapped[str] = mapped_column(Text)  # the feed's path, or the Apprise URL as configured (${VAR} kept)
    payload: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending | sending | sent
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    # a service's Retry-After (429, 503): not tried again before this time (UTC); NULL: at the next run
    not_before: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (UniqueConstraint("digest_id", "channel", "target", name="uq_digest_channels_once"),)
