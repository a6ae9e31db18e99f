"""Digests: the stories each subscriber still waits for, claimed in a digest the moment it is built,
and each delivery attempt."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, func, or_, select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rasd.storage.base import StoreBase, run_text, utcnow
from rasd.storage.channels import new_channels
from rasd.storage.labels import rejected_articles
from rasd.storage.models import (
    ArticleRegionRow,
    ArticleRow,
    ClassificationRow,
    DeliveryRow,
    DigestItemRow,
    DigestRow,
)
from rasd.storage.reading import StoredStory, stories

# A digest claimed for sending longer ago than this was claimed by a run that died; it is sent again.
STALE_CLAIM = timedelta(minutes=15)
# A subscriber waits for the stories stored within this time before the digest (weekly digests are the
# slowest: four of them could be missed): a story older than that, never sent — the subscriber joined later,
# or full digests left it out for a month — is old news, found by `rasd search`, not pushed. The bound lets
# the query read the backlog's days through ix_articles_fetched_at instead of every original article ever
# stored (issue 16: the query's cost grew with the store).
BACKLOG = timedelta(days=30)

# Each subscription's latest digest, one subscription after the other through ix_digests_subscription (a skip
# scan written out): grouping every digest ever made by its subscription read the table whole on PostgreSQL
# (tests/test_command_plans.py, `rasd digest` with nothing due).
_LATEST = text(
    "WITH RECURSIVE seen(subscription) AS (SELECT min(digests.subscription) FROM digests"
    " UNION ALL SELECT (SELECT min(digests.subscription) FROM digests WHERE digests.subscription > seen.subscription)"
    " FROM seen WHERE seen.subscription IS NOT NULL)"
    " SELECT (SELECT max(digests.id) FROM digests WHERE digests.subscription = seen.subscription)"
    " FROM seen WHERE seen.subscription IS NOT NULL"
)


class Backlog(list[StoredStory]):
    """The first stories waiting for a subscriber, and how many wait in all."""

    total: int = 0


@dataclass(frozen=True)
class PendingDigest:
    """A built digest waiting to be (re)sent: the stored message goes out as is."""

    id: int
    subscription: str
    recipient: str
    subject: str
    message: str
    attempts: int
    stories: int
    last_error: str | None


@dataclass(frozen=True)
class MadeDigest:
    """A subscription's latest digest: when it was made and where it went (an .eml path of the outbox, or
    the `smtp://host:port` it was sent to), for a run that has nothing new to send."""

    subscription: str
    recipient: str
    created_at: datetime
    status: str  # pending | sending | sent
    delivered_to: str | None


def _digest_since(subscription: str, since: datetime, until: datetime) -> Select[Any]:
    """A digest of this subscription created at or after `since` and not after `until` (now): the
    schedule's slot is taken. One created after now was made while the clock ran ahead (set back since,
    as NTP does to a machine that booted with a wrong clock): it took every daily slot until the clock
    caught up with it, and the subscriber got nothing for those days, without a word."""
    return (
        select(DigestRow.id)
        .where(DigestRow.subscription == subscription, DigestRow.created_at >= since, DigestRow.created_at <= until)
        .limit(1)
    )


class DigestsMixin(StoreBase):
    """Building, claiming and delivering digests."""

    def undelivered_stories(
        self,
        subscription: str,
        regions: Sequence[str],
        languages: Sequence[str],
        min_score: float,
        stored_before: datetime | None = None,
        limit: int | None = None,
        topics: Sequence[str] = (),
        had_as: Sequence[str] = (),
    ) -> Backlog:
        """SSE stories this subscriber has not had in any digest yet (nor under `had_as`: the names its
        address had digests under before it was renamed, alerts.digests.earlier_names), stored within BACKLOG before
        `stored_before` (or now), in the order they were stored (the
        oldest waiting first, so stories left out of a full digest lead the next one); newest published
        first among stories stored together. At most `limit`; `.total` counts them all. With `topics`, only
        the stories about one of them (`classifications.topics`: config.topics.story_topics, migration 0020)."""
        had = DigestItemRow.subscription == subscription
        if had_as:
            had = DigestItemRow.subscription.in_([subscription, *had_as])
        already = select(DigestItemRow.article_id).where(had)
        query = (
            select(ArticleRow, ClassificationRow, func.count().over().label("total"))
            .join(ClassificationRow, ClassificationRow.article_id == ArticleRow.id)
            .where(
                ClassificationRow.sse.is_(True),
                ClassificationRow.score >= min_score,
                # an original; written so that no index answers it: SQLite's statistics (ids, mostly
                # distinct) made "duplicate_of IS NULL" look selective, and it read every original article
                func.coalesce(ArticleRow.duplicate_of, 0) == 0,
                ArticleRow.lang.in_(list(languages)),
                ArticleRow.id.not_in(already),
                ArticleRow.id.not_in(rejected_articles()),  # a reader said "not SSE" (rasd label)
            )
            .order_by(
                ArticleRow.fetched_at,
                func.coalesce(ArticleRow.published_at, ArticleRow.fetched_at).desc(),
                ArticleRow.id,
            )
            .limit(limit)
        )
        query = query.where(ArticleRow.fetched_at >= (stored_before or utcnow()) - BACKLOG)
        if stored_before is not None:
            query = query.where(ArticleRow.fetched_at <= stored_before)
        if "all" not in regions:
            query = query.where(
                ArticleRow.id.in_(select(ArticleRegionRow.article_id).where(ArticleRegionRow.region.in_(list(regions))))
            )
        if topics:  # a name among the space-separated ones: " cooperatives indh " holds " indh "
            spaced = " " + func.coalesce(ClassificationRow.topics, "") + " "
            query = query.where(or_(*(spaced.like(f"% {topic} %") for topic in topics)))
        with self.session() as session:
            rows = session.execute(query).all()
            backlog = Backlog(stories(run_text(session), [article.id for article, _, _ in rows]))
            backlog.total = rows[0].total if rows else 0
            return backlog

    def stored_evidence(self, article_ids: Sequence[int]) -> dict[int, str]:
        """The evidence stored with these articles' classifications (`classify.Evidence.as_json`), by id;
        an article classified before it was stored (revision 0018) is not in it."""
        query = select(ClassificationRow.article_id, ClassificationRow.evidence).where(
            ClassificationRow.article_id.in_(list(article_ids)), ClassificationRow.evidence.is_not(None)
        )
        with self.session() as session:
            return {article_id: evidence for article_id, evidence in session.execute(query) if evidence}

    def _write_lock(self, connection: Connection) -> None:
        """Serialise digest creation between processes: SQLite's BEGIN IMMEDIATE takes the database's
        write lock before anything is read (other runs wait on busy_timeout); PostgreSQL locks the table
        against other writers for the transaction."""
        if self.is_sqlite:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("LOCK TABLE digests IN SHARE ROW EXCLUSIVE MODE")

    def create_digest(
        self,
        subscription: str,
        recipient: str,
        subject: str,
        message: str,
        article_ids: Sequence[int],
        due_at: datetime | None = None,
        created_at: datetime | None = None,
        channels: Sequence[tuple[str, str, str]] = (),
    ) -> int | None:
        """Claim `article_ids` for this subscriber in a new pending digest; None if another run got there
        first. Under the write lock: a scheduled digest (`due_at` set) is refused when one was already
        created since that due time, and the unique (subscription, article) pair refuses a story that is
        in another digest of this subscriber. `channels`: (channel, target, payload) of its other
        deliveries (Atom, push), pending in the same transaction (storage.channels sends them)."""
        with self.engine.connect() as connection:
            self._write_lock(connection)
            try:
                with Session(bind=connection) as session:
                    created_at = created_at or utcnow()
                    if due_at is not None and session.scalar(_digest_since(subscription, due_at, created_at)):
                        connection.rollback()
                        return None
                    digest = DigestRow(
                        subscription=subscription,
                        recipient=recipient,
                        subject=subject,
                        message=message,
                        status="pending",
                        attempts=0,
                        created_at=created_at,
                    )
                    session.add(digest)
                    session.flush()
                    session.add_all(
                        DigestItemRow(digest_id=digest.id, article_id=article_id, subscription=subscription)
                        for article_id in article_ids
                    )
                    session.add_all(new_channels(digest.id, channels))
                    session.flush()
                    digest_id = digest.id
                connection.commit()
                return digest_id
            except IntegrityError:
                connection.rollback()
                return None

    def last_digests(self) -> list[MadeDigest]:
        """Each subscription's latest digest, by subscription name."""
        with self.session() as session:
            latest = session.scalars(_LATEST).all()
            query = select(DigestRow).where(DigestRow.id.in_(latest)).order_by(DigestRow.subscription)
            return [
                MadeDigest(row.subscription, row.recipient, row.created_at, row.status, row.delivered_to)
                for row in session.scalars(query)
            ]

    def digest_created_since(self, subscription: str, since: datetime, now: datetime) -> bool:
        with self.session() as session:
            return bool(session.scalar(_digest_since(subscription, since, now)))

    def _pending_condition(self, now: datetime, stale_after: timedelta) -> ColumnElement[bool]:
        """Pending, or claimed by a run that died while sending (claimed longer than `stale_after` ago).
        The `!= 'sent'` term is the condition of the partial index ix_digests_unsent, which holds the few
        unsent digests: without it SQLite read every digest ever sent, each with its whole message."""
        return (DigestRow.status != "sent") & (
            (DigestRow.status == "pending")
            | ((DigestRow.status == "sending") & (DigestRow.claimed_at < now - stale_after))
        )

    def pending_digests(self, stale_after: timedelta = STALE_CLAIM) -> list[PendingDigest]:
        """What `claim_pending_digests` would take, without claiming (for `rasd digest --dry-run`)."""
        with self.session() as session:
            rows = session.scalars(
                select(DigestRow).where(self._pending_condition(utcnow(), stale_after)).order_by(DigestRow.id)
            ).all()
            return [self._pending(session, row) for row in rows]

    def _pending(self, session: Session, row: DigestRow) -> PendingDigest:
        stories = session.scalar(select(func.count()).where(DigestItemRow.digest_id == row.id)) or 0
        return PendingDigest(
            row.id,
            row.subscription,
            row.recipient,
            row.subject,
            row.message,
            row.attempts,
            int(stories),
            row.last_error,
        )

    def claim_next_digest(self, after: int = 0, stale_after: timedelta = STALE_CLAIM) -> PendingDigest | None:
        """The oldest pending digest with an id above `after`, claimed by an atomic UPDATE (the first
        statement of its transaction, so it runs on a fresh snapshot under the write lock): two runs never
        get the same digest. A digest another run is sending is skipped unless that run died. One at a
        time, so that a run asked to stop between two sends leaves the rest pending and unclaimed, not
        claimed and never tried (they sat in `sending` for STALE_CLAIM after a stop: issue 17)."""
        now = utcnow()
        with self.session() as session:
            candidates = session.scalars(
                select(DigestRow.id)
                .where(DigestRow.id > after, self._pending_condition(now, stale_after))
                .order_by(DigestRow.id)
            ).all()
        for digest_id in candidates:
            with self.session() as session, session.begin():
                result = session.execute(
                    update(DigestRow)
                    .where(DigestRow.id == digest_id, self._pending_condition(now, stale_after))
                    .values(status="sending", claimed_at=now, attempts=DigestRow.attempts + 1)
                )
                if getattr(result, "rowcount", 0) != 1:
                    continue  # another run claimed it meanwhile
                row = session.get(DigestRow, digest_id)
                assert row is not None
                return self._pending(session, row)
        return None

    def claim_pending_digests(self, stale_after: timedelta = STALE_CLAIM) -> list[PendingDigest]:
        """Every pending digest this run may send, claimed (`claim_next_digest` one after the other)."""
        claimed: list[PendingDigest] = []
        while (digest := self.claim_next_digest(claimed[-1].id if claimed else 0, stale_after)) is not None:
            claimed.append(digest)
        return claimed

    def mark_sent(self, digest_id: int, delivered_to: str) -> None:
        with self.session() as session, session.begin():
            now = utcnow()
            session.execute(
                update(DigestRow)
                .where(DigestRow.id == digest_id)
                .values(status="sent", sent_at=now, delivered_to=delivered_to, last_error=None)
            )
            session.add(DeliveryRow(digest_id=digest_id, attempted_at=now, outcome="sent"))

    def mark_failed(self, digest_id: int, error: str) -> None:
        """Back to pending: the next `rasd digest` retries the very same message."""
        with self.session() as session, session.begin():
            session.execute(
                update(DigestRow).where(DigestRow.id == digest_id).values(status="pending", last_error=error)
            )
            session.add(DeliveryRow(digest_id=digest_id, attempted_at=utcnow(), outcome="failed", error=error))
