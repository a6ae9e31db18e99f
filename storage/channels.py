"""A digest's other channels (Atom feed, push notification): each pending, claimed, sent or failed on its
own, like the email in `digests` — exactly once per channel, retried alone when it fails, never holding the
email or another channel back. Each attempt is a `deliveries` row naming its channel."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select, update

from rasd.storage.base import StoreBase, utcnow
from rasd.storage.models import DeliveryRow, DigestChannelRow, DigestItemRow, DigestRow
from rasd.storage.times import naive_utc

STALE_CHANNEL_CLAIM = timedelta(minutes=15)  # claimed longer ago than this: the run that claimed it died


@dataclass(frozen=True)
class PendingChannel:
    """One channel delivery of a built digest, as claimed for sending (or listed by a dry run)."""

    id: int
    digest_id: int
    channel: str  # atom | push
    target: str
    payload: str
    subscription: str
    stories: int
    last_error: str | None

    @property
    def name(self) -> str:
        """How reports and `deliveries.channel` name it: "atom feeds/souss.atom", "push json://host/"."""
        return f"{self.channel} {self.target}"


def new_channels(digest_id: int, channels: Sequence[tuple[str, str, str]]) -> Iterator[DigestChannelRow]:
    """Rows for a digest's other channels, pending (added in the digest's own transaction)."""
    for channel, target, payload in channels:
        yield DigestChannelRow(
            digest_id=digest_id, channel=channel, target=target, payload=payload, status="pending", attempts=0
        )


def _claimable(stale_after: timedelta, waiting: bool = False) -> ColumnElement[bool]:
    """Pending and not asked to wait (a service's Retry-After; `waiting`: those too), or claimed by a run that
    died."""
    now = utcnow()
    waited = DigestChannelRow.not_before.is_(None) | (DigestChannelRow.not_before <= now) | waiting
    return ((DigestChannelRow.status == "pending") & waited) | (
        (DigestChannelRow.status == "sending") & (DigestChannelRow.claimed_at < now - stale_after)
    )


class ChannelsMixin(StoreBase):
    """Claiming and recording the Atom and push deliveries of digests."""

    def _pending_channel(self, row: DigestChannelRow) -> PendingChannel:
        with self.session() as session:
            subscription = session.scalar(select(DigestRow.subscription).where(DigestRow.id == row.digest_id))
            stories = session.scalar(select(func.count()).where(DigestItemRow.digest_id == row.digest_id)) or 0
        return PendingChannel(
            row.id, row.digest_id, row.channel, row.target, row.payload, subscription or "?", stories, row.last_error
        )

    def pending_channels(self, stale_after: timedelta = STALE_CHANNEL_CLAIM) -> list[PendingChannel]:
        """What `claim_next_channel` would take, without claiming (for `rasd digest --dry-run`), and those
        waiting for the time a service asked for (their last error says until when)."""
        with self.session() as session:
            rows = session.scalars(
                select(DigestChannelRow).where(_claimable(stale_after, waiting=True)).order_by(DigestChannelRow.id)
            ).all()
        return [self._pending_channel(row) for row in rows]

    def claim_next_channel(self, after: int = 0, stale_after: timedelta = STALE_CHANNEL_CLAIM) -> PendingChannel | None:
        """The oldest pending channel delivery with an id above `after`, claimed by an atomic UPDATE: two
        runs never deliver the same one. One at a time, so a stop leaves the rest pending."""
        with self.session() as session:
            candidates = session.scalars(
                select(DigestChannelRow.id)
                .where(DigestChannelRow.id > after, _claimable(stale_after))
                .order_by(DigestChannelRow.id)
            ).all()
        for channel_id in candidates:
            with self.session() as session, session.begin():
                result = session.execute(
                    update(DigestChannelRow)
                    .where(DigestChannelRow.id == channel_id, _claimable(stale_after))
                    .values(status="sending", claimed_at=utcnow(), attempts=DigestChannelRow.attempts + 1)
                )
                if getattr(result, "rowcount", 0) != 1:
                    continue  # another run claimed it meanwhile
                row = session.get(DigestChannelRow, channel_id)
                assert row is not None
            return self._pending_channel(row)
        return None

    def mark_channel_sent(self, pending: PendingChannel) -> None:
        with self.session() as session, session.begin():
            now = utcnow()
            session.execute(
                update(DigestChannelRow)
                .where(DigestChannelRow.id == pending.id)
                .values(status="sent", sent_at=now, last_error=None, not_before=None)
            )
            sent = DeliveryRow(digest_id=pending.digest_id, attempted_at=now, outcome="sent", channel=pending.name)
            session.add(sent)

    def mark_channel_failed(self, pending: PendingChannel, error: str, not_before: datetime | None = None) -> None:
        """Back to pending: a later run delivers the same payload again — not before `not_before` (aware)
        when the service asked to wait (Retry-After)."""
        with self.session() as session, session.begin():
            session.execute(
                update(DigestChannelRow)
                .where(DigestChannelRow.id == pending.id)
                .values(status="pending", last_error=error, not_before=naive_utc(not_before))
            )
            session.add(
                DeliveryRow(
                    digest_id=pending.digest_id, attempted_at=utcnow(), outcome="failed", error=error,
                    channel=pending.name,
                )
            )  # fmt: skip
