"""Near-duplicate grouping: copies of one story (the same text, or a dispatch rewritten by another site)
point at the story's original, found through the LSH bands of their MinHash signatures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from sqlalchemy import DateTime, TextClause, bindparam, delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from rasd.storage.base import StoreBase, driver_rows, table, utcnow
from rasd.storage.models import (
    ArticleBandRow,
    ArticleFingerprintRow,
    ArticleRow,
    ClassificationRow,
    DigestItemRow,
)

if TYPE_CHECKING:
    from rasd.extract import Fingerprint

# Copies of a dispatch are looked for among articles published (or, undated, fetched) within this time of
# each other: sites republish an agency story within days, regional weeklies up to a week or so later; a
# wider window only adds chances to join the next edition of a yearly fair or a monthly bulletin.
DUPLICATE_WINDOW = timedelta(days=14)
# Each band row carries its article's day: whole days since 1970 (UTC) of the date the window is measured on
# (published, else fetched). The lookup searches (band, hash, day) from the day DUPLICATE_WINDOW before the
# new article to the day after it: one range of the index per band, holding only the window's articles,
# not every article ever stored with that band hash — what made storing an article cost more the larger
# the store (issue 16: 2,400 candidates read per article at 64,000, the window applied only afterwards).
EPOCH = datetime(1970, 1, 1)
ONE_DAY = timedelta(days=1)
# Band rows are kept only while a new article can still match them (issue 16): the band index of a million
# articles was an 85-million-row tree whose random inserts made storing an article cost twice what it cost at
# 10,000. A story's copies are stored within days of each other, so the band rows of an article *stored* more
# than BAND_HORIZON ago (four windows) are deleted by `Store.prune_bands`, and the index holds the same
# ~180,000 articles' rows at a monitor's pace (3,000 a day) whatever the size of the store. Counted from when
# the article was stored (`fetched_at`), not from its date: a backfill of old stories (dates long ago,
# stored today) keeps its band rows for the copies stored with it or in the following weeks, and storing
# order is the order of ids, which the prune follows through article_bands' primary key (no other index).
# What is given up: a copy stored more than BAND_HORIZON after its original is no longer grouped with it by
# the near-duplicate lookup (an identical text still is, by its content hash). The fingerprint row is kept:
# `backfill_fingerprints` looks for work by scheme, and a pruned article is not unfingerprinted.
BAND_HORIZON = timedelta(days=60)
# Articles whose band rows one step of `Store.prune_bands` deletes (85 rows each): more than a cycle of a
# hundred sites stores, so one step a cycle keeps pace; seconds at a million stored articles.
BAND_PRUNE_STEP = 1_000


def day(moment: datetime) -> int:
    """The day `moment` (naive UTC) falls on, counted from 1970-01-01 (migration 0010 computes the same)."""
    return (moment - EPOCH) // ONE_DAY


# Candidate copies of a new article: other sources' articles sharing an LSH band hash with it, dated within
# the window, with their signatures. One index search per band, and the statement written out once: SQLite
# scans the whole table for a row-value `(band, hash) IN (VALUES …)`, and building the 85 searches as a
# SQLAlchemy expression for every article cost more than the rest of storing it (bench/bench_crawl.py).
# One SELECT a band joined by UNION ALL, not one WHERE of 85 ORed terms: on the WITHOUT ROWID table
# (migration 0018) SQLite's OR optimisation keeps each row it finds in a temporary index of the table's
# primary key, to return it once — 0.76 against 0.49 ms a lookup on 2,000 stored articles of
# bench/bench_crawl.py's web (on the rowid table before it, 0.49 either way); `IN` returns each id once anyway.
@cache
def band_rows() -> str:
    """The article ids of the band rows sharing one of the article's 85 (band, hash) within its window."""
    from rasd.extract import FINGERPRINT_BANDS

    return " UNION ALL ".join(
        f"SELECT article_id FROM article_bands WHERE band = {band} AND hash = :h{band} AND day BETWEEN :first AND :last"
        for band in range(FINGERPRINT_BANDS)
    )


def band_parameters(fingerprint: Fingerprint, moment: datetime) -> dict[str, Any]:
    """The values `band_rows` is bound to for an article of this fingerprint and date."""
    parameters: dict[str, Any] = {f"h{band}": value for band, value in enumerate(fingerprint.band_hashes)}
    return parameters | {"first": day(moment - DUPLICATE_WINDOW), "last": day(moment + DUPLICATE_WINDOW)}


@cache
def _candidate_copies() -> TextClause:
    """The statement, written once (on first use: the fingerprint module brings NumPy, which commands
    that only read the store do not need)."""
    return text(
        "SELECT a.id, a.duplicate_of, f.signature, f.figures FROM articles a"
        " JOIN article_fingerprints f ON f.article_id = a.id"
        " JOIN articles o ON o.id = COALESCE(a.duplicate_of, a.id)"  # the story's original
        f" WHERE a.id IN ({band_rows()})"
        " AND a.id != :id AND a.source_id != :source_id AND o.source_id != :source_id AND f.scheme = :scheme"
        " AND COALESCE(a.published_at, a.fetched_at) BETWEEN :earliest AND :latest"
    ).bindparams(  # the times bound as SQLAlchemy stores them
        bindparam("earliest", type_=DateTime), bindparam("latest", type_=DateTime)
    )


# `group`'s statements, built once: built for each article, the SQLAlchemy expressions cost more than the
# statements' execution (bench/bench_store_growth.py).
_SAME_TEXT = text(
    "SELECT COALESCE(duplicate_of, id) FROM articles WHERE content_hash = :content_hash AND id != :id"
    " ORDER BY id LIMIT 1"
)
_DELIVERED = select(DigestItemRow.article_id).where(DigestItemRow.article_id == bindparam("id")).limit(1)


@dataclass(frozen=True)
class Placed:
    """A stored article as the near-duplicate grouping sees it: when it was published (or fetched), and
    whether it is an SSE story."""

    id: int
    source_id: int
    content_hash: str
    moment: datetime
    sse: bool


def save_fingerprint(
    session: Session, article_id: int, fingerprint: Fingerprint, moment: datetime, placed: Placed | None = None
) -> None:
    """Write the article's signature and band hashes, with the day of `moment` (its date, published or
    else fetched); `placed`: the article grouped with the story it copies (`group`) between the two. Core
    inserts: 86 rows an article, the ORM's unit of work cost more than the rest of save_article on the crawl
    benchmark. The lookup runs before the article's own band rows are in the index: it never read them back
    (85 index entries an article, excluded by id), and the leaves it reads are the ones its rows go into."""
    signature, bands = fingerprint_values(article_id, fingerprint, moment)
    connection = session.connection()  # Core statements: the ORM's execution path adds only its own cost
    connection.execute(insert(table(ArticleFingerprintRow)), [signature])
    if placed is not None:
        group(session, placed, fingerprint)
    insert_bands(session, bands)


def insert_bands(session: Session, bands: list[dict[str, Any]]) -> None:
    """The article_bands rows `fingerprint_values` made (85 an article), by the driver itself: SQLAlchemy's
    executemany of dictionaries built and checked each row's parameters (0.41 against 0.24 ms of CPU an
    article's 85 rows on SQLite, bench/bench_crawl.py: a tenth of storing one); PostgreSQL's by COPY."""
    rows = [(band["article_id"], band["band"], band["hash"], band["day"]) for band in bands]
    if not rows:  # a transaction of articles stored before the horizon (bench/bench_store_growth.py)
        return
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("INSERT INTO article_bands (article_id, band, hash, day) VALUES (?, ?, ?, ?)", rows)
        return
    cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor.copy("COPY article_bands (article_id, band, hash, day) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def fingerprint_values(
    article_id: int, fingerprint: Fingerprint, moment: datetime
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The article_fingerprints row and the article_bands rows `save_fingerprint` writes (public for the
    bulk fill of bench/bench_store_growth.py)."""
    from rasd.extract import FINGERPRINT_SCHEME

    signature = {
        "article_id": article_id,
        "scheme": FINGERPRINT_SCHEME,
        "signature": fingerprint.signature,
        "figures": " ".join(sorted(fingerprint.figures)),
    }
    when = day(moment)
    bands = [
        {"article_id": article_id, "band": band, "hash": value, "day": when}
        for band, value in enumerate(fingerprint.band_hashes)
    ]
    return signature, bands


def group(session: Session, row: Placed, fingerprint: Fingerprint) -> None:
    """Make `row` part of the story it copies, if any: the same text anywhere, or a near-duplicate
    from another site within DUPLICATE_WINDOW. Every copy points at the story's original, never at
    another copy. The original is the story's earliest published SSE article — or its earliest
    article when none is SSE: digests and counts read the original's classification, so an agency
    version classified otherwise must not hide the regional copy that is an SSE story — unless the
    story was already delivered in a digest (its entry is then kept, so no subscriber gets it twice)."""
    connection = session.connection()
    same = driver_rows(connection, _SAME_TEXT, {"content_hash": row.content_hash, "id": row.id})
    same_text = same[0][0] if same else None
    originals = {same_text} if same_text is not None else near_duplicate_originals(session, row, fingerprint)
    originals.discard(row.id)
    if not originals:
        return
    when = func.coalesce(ArticleRow.published_at, ArticleRow.fetched_at)
    original_id, original_when, original_sse = session.execute(
        select(ArticleRow.id, when, ClassificationRow.sse)
        .join(ClassificationRow, ClassificationRow.article_id == ArticleRow.id)
        .where(ArticleRow.id.in_(originals))
        .order_by(ClassificationRow.sse.desc(), when, ArticleRow.id)
        .limit(1)
    ).one()
    delivered = connection.execute(_DELIVERED, {"id": original_id}).scalar()
    if (not row.sse, row.moment) < (not original_sse, original_when) and delivered is None:
        attach(session, original_id, row.id)
    else:
        attach(session, row.id, original_id)


def attach(session: Session, story: int, original: int) -> None:
    """`story` (an original, with the copies pointing at it) becomes a copy of `original`."""
    articles = table(ArticleRow).c
    session.execute(
        update(table(ArticleRow))
        .where((articles.id == story) | (articles.duplicate_of == story))
        .values(duplicate_of=original)
    )


def near_duplicate_originals(session: Session, row: Placed, fingerprint: Fingerprint) -> set[int]:
    """The originals of the stories `row` is a rewritten copy of: articles of other sites, dated within
    DUPLICATE_WINDOW, sharing an LSH band with it and verified on the whole signature and figures.
    One site's own articles are never grouped this way: its follow-ups and weekly bulletins reuse its
    earlier paragraphs, yet are new stories for its readers (bench/bench_dedup.py lists such pairs)."""
    from rasd.extract import FINGERPRINT_SCHEME

    parameters = band_parameters(fingerprint, row.moment) | {
        "id": row.id,
        "source_id": row.source_id,
        "scheme": FINGERPRINT_SCHEME,
        "earliest": row.moment - DUPLICATE_WINDOW,
        "latest": row.moment + DUPLICATE_WINDOW,
    }
    candidates = driver_rows(session.connection(), _candidate_copies(), parameters)
    if not candidates:
        return set()
    verdicts = fingerprint.same_stories([(signature, figures) for _, _, signature, figures in candidates])
    return {
        duplicate_of or article_id
        for (article_id, duplicate_of, _, _), same in zip(candidates, verdicts, strict=True)
        if same
    }


class DuplicatesMixin(StoreBase):
    """Fingerprints of articles stored before the current scheme; band rows past BAND_HORIZON."""

    def prune_bands(self, now: datetime | None = None, limit: int = BAND_PRUNE_STEP) -> int:
        """One step: delete the band rows of the `limit` oldest articles holding some, once all of them were
        stored before `now` (default: the current time) less BAND_HORIZON, in one transaction; returns how
        many articles' rows were deleted (0: the oldest step is not past the horizon yet). Bounded whatever
        the store's size: ids are given in storing order, so the step is the range of `limit` ids from the
        oldest article holding band rows (one search of article_bands' primary key), their storing times
        read by the articles' primary key, their rows deleted by article_bands'. Whole steps only: run once by
        each crawl cycle, a step is due about every `limit` articles stored, one transaction for all their rows
        (at the bounded index's size a step of 16 cost about as much an article, ~2 ms of CPU,
        bench/bench_band_prune.py)."""
        cutoff = (now or utcnow()) - BAND_HORIZON
        with self.session() as session, session.begin():
            oldest = session.scalar(select(func.min(ArticleBandRow.article_id)))
            if oldest is None:
                return 0
            articles = session.execute(
                select(ArticleRow.id, ArticleRow.fetched_at).where(
                    ArticleRow.id >= oldest, ArticleRow.id < oldest + limit
                )
            ).all()
            if any(stored >= cutoff for _, stored in articles):
                return 0
            session.execute(
                delete(ArticleBandRow).where(
                    ArticleBandRow.article_id >= oldest, ArticleBandRow.article_id < oldest + limit
                )
            )
        return len(articles)

    def backfill_fingerprints(self, limit: int | None = None) -> int:
        """Fingerprint the articles whose fingerprint is of another scheme than today's — including the
        placeholder (scheme '') migration 0007 gave articles stored before 0004 — oldest first, at most
        `limit` of them, grouping each with the stories it copies as if it had just been stored; each in its
        own transaction, so an interrupted run keeps what it did. Returns how many were done. Run by each
        crawl cycle before it stores anything new, a bounded share at a time: once everything is
        fingerprinted, two empty searches of ix_article_fingerprints_scheme (`!=` uses no index). In the
        index's order — placeholders first, each scheme's oldest first — without an ORDER BY: to sort,
        SQLite's planner scanned the whole table instead of the index."""
        from rasd.extract import FINGERPRINT_SCHEME, fingerprint_of

        scheme = ArticleFingerprintRow.scheme
        missing = (
            select(ArticleFingerprintRow.article_id)
            .where((scheme < FINGERPRINT_SCHEME) | (scheme > FINGERPRINT_SCHEME))
            .limit(limit)
        )
        with self.session() as session:
            ids = list(session.scalars(missing))
        for article_id in ids:
            with self.session() as session, session.begin():
                row = session.get(ArticleRow, article_id)
                assert row is not None
                fingerprint = fingerprint_of(row.title, row.text)
                session.execute(delete(ArticleBandRow).where(ArticleBandRow.article_id == row.id))
                session.execute(delete(ArticleFingerprintRow).where(ArticleFingerprintRow.article_id == row.id))
                moment = row.published_at or row.fetched_at
                placed = None
                if row.duplicate_of is None:
                    verdict = select(ClassificationRow.sse).where(ClassificationRow.article_id == row.id)
                    placed = Placed(row.id, row.source_id, row.content_hash, moment, bool(session.scalar(verdict)))
                save_fingerprint(session, row.id, fingerprint, moment, placed)
        return len(ids)
