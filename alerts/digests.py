"""Which digests are due, and their delivery exactly once per story and subscriber.

A digest is built in one transaction that claims its stories for the subscriber (storage's unique
(subscription, article) pair), then delivered; a failed delivery leaves it pending with the error
recorded, and the next run sends that same message before building anything new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from alerts.delivery import DeliveryError, deliver
from alerts.render import render_digest
from classify import DEFAULT_THRESHOLD
from config import Settings, Subscription
from storage import Store, utcnow

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


@dataclass
class DigestReport:
    """What a `rasd digest` run did, one line per event for the user."""

    sent: list[str] = field(default_factory=list)  # "name → where (N stories)"
    failed: list[str] = field(default_factory=list)
    planned: list[str] = field(default_factory=list)  # dry run: what would be sent

    def lines(self) -> list[str]:
        return (
            [f"sent: {line}" for line in self.sent]
            + [f"FAILED: {line}" for line in self.failed]
            + [f"would send: {line}" for line in self.planned]
        )


def last_due_time(subscription: Subscription, now: datetime, zone: ZoneInfo) -> datetime | None:
    """The most recent moment (naive UTC) the subscription's schedule fell due; None for immediate."""
    if subscription.frequency == "immediate":
        return None
    local_now = now.replace(tzinfo=ZoneInfo("UTC")).astimezone(zone)
    due = local_now.replace(
        hour=subscription.time.hour, minute=subscription.time.minute, second=0, microsecond=0
    )
    if subscription.frequency == "weekly":
        due -= timedelta(days=(due.weekday() - _WEEKDAYS.index(subscription.day)) % 7)
        if due > local_now:
            due -= timedelta(days=7)
    elif due > local_now:
        due -= timedelta(days=1)
    return due.astimezone(ZoneInfo("UTC")).replace(tzinfo=None)


def is_due(subscription: Subscription, last_digest: datetime | None, now: datetime, zone: ZoneInfo) -> bool:
    due = last_due_time(subscription, now, zone)
    return due is None or last_digest is None or last_digest < due


def _min_score(subscription: Subscription, settings: Settings) -> float:
    if subscription.min_score is not None:
        return subscription.min_score
    return settings.classifier.threshold if settings.classifier.threshold is not None else DEFAULT_THRESHOLD


def _send_pending(store: Store, settings: Settings, report: DigestReport) -> None:
    for pending in store.claim_pending_digests():
        try:
            where = deliver(pending.message, pending.id, settings.smtp, Path(settings.outbox))
        except DeliveryError as error:
            store.mark_failed(pending.id, str(error))
            report.failed.append(f"{pending.subscription} <{pending.recipient}>: {error} (kept, will retry)")
        else:
            store.mark_sent(pending.id, where)
            report.sent.append(f"{pending.subscription} <{pending.recipient}> → {where}")


def run_digests(
    store: Store, settings: Settings, config_hint: str, now: datetime | None = None, dry_run: bool = False
) -> DigestReport:
    """Retry what failed before, then build and deliver every digest that is due."""
    now = now or utcnow()
    zone = ZoneInfo(settings.timezone)
    report = DigestReport()
    if not dry_run:
        _send_pending(store, settings, report)
    for subscription in settings.subscriptions:
        if not is_due(subscription, store.last_digest_time(subscription.name), now, zone):
            continue
        stories = store.undelivered_stories(
            subscription.name, subscription.regions, subscription.languages, _min_score(subscription, settings)
        )
        if not stories:
            continue
        chosen, more = stories[: subscription.max_stories], len(stories) - subscription.max_stories
        if dry_run:
            titles = "; ".join(story.title[:60] for story in chosen[:5])
            report.planned.append(f"{subscription.name} <{subscription.email}>: {len(chosen)} stories ({titles})")
            continue
        message = render_digest(
            subscription, chosen, max(more, 0), now.replace(tzinfo=ZoneInfo("UTC")), settings.smtp.sender, config_hint
        )
        created = store.create_digest(
            subscription.name, subscription.email, str(message["Subject"]), message.as_string(),
            [story.article_id for story in chosen],
        )
        if created is None:
            report.failed.append(f"{subscription.name}: another run is building this digest; skipped")
    if not dry_run:
        _send_pending(store, settings, report)
    return report
