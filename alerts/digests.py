"""Which digests are due, and their delivery exactly once per story and subscriber.

A digest is built in one transaction that claims its stories for the subscriber (storage's unique
(subscription, article) pair) under the database's write lock, then delivered; a failed delivery leaves
it pending with the error recorded, and the next run sends that same stored message before building
anything new.

Schedules: a daily or weekly subscription has one digest per slot (its last due time, in the settings'
time zone), holding the stories stored until that moment; a story stored later waits for the next slot.
An immediate subscription gets, at every run, the stories stored since its previous digest.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from rasd.alerts.channels import channel_deliveries, channel_named, deliver_channel
from rasd.alerts.checks import settings_problems
from rasd.alerts.delivery import DeliveryError, deliver
from rasd.alerts.render import period_label, render_digest
from rasd.alerts.why import as_told
from rasd.classify import Classifier, Evidence, Reference, load_classifier, similarity_settings
from rasd.config import telling
from rasd.storage import Store, StoredStory, utcnow

if TYPE_CHECKING:  # the settings' types: a command reads kept settings without their validation (config/kept.py)
    from rasd.classify import SimilaritySettings
    from rasd.config import Settings, Subscription
    from rasd.storage.digests import MadeDigest

_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_UTC = ZoneInfo("UTC")


@dataclass
class DigestReport:
    """What a `rasd digest` run did, one line per event for the user."""

    # Each delivery worded once, when it happened: "sent: name <email>: N stories → where", or, for a digest
    # written to the outbox as an .eml file (no [smtp] host), that it was not emailed, since nobody has
    # received it yet. The delivery's place is last, after "→ ".
    sent: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # another run built the same digest first
    planned: list[str] = field(default_factory=list)  # dry run: what would be sent
    stopped: bool = False  # the run was asked to stop before it had sent everything due
    unanswered: bool = False  # the mail server never greeted: the run's other digests wait for the next run
    # Of `failed`, the retries that failed as the attempt before them did, but the day's reminder (REMINDED_EVERY):
    # `rasd digest --quiet` leaves them unsaid (cron ran it every 5 minutes and mailed the same failure 288 times
    # a day while the mail server was down, newcomer13's trial); the exit code still says 1.
    repeated: list[str] = field(default_factory=list)

    def event_lines(self, quiet: bool = False) -> list[str]:
        """What was sent, failed (then, after a mail server that never greeted, that the others wait), skipped
        or planned, without the line saying the run stopped (each a `Told`: the command says it in the reader's
        language). `quiet`: the `repeated` failures left out, and with them the line that the others wait (a relay
        that never greets made it every 5 minutes, under a failure itself left unsaid)."""
        failed = [line for line in self.failed if not (quiet and line in self.repeated)]
        return (
            self.sent
            + [telling.gettext("FAILED: %(line)s", line=line) for line in failed]
            + (
                [telling.gettext("the other digests wait for the next run: the mail server did not answer")]
                if self.unanswered and (failed or not quiet)
                else []
            )
            + [telling.gettext("skipped: %(line)s", line=line) for line in self.skipped]
            + [telling.gettext("would send: %(line)s", line=line) for line in self.planned]
        )

    def lines(self, quiet: bool = False) -> list[str]:
        stopped = telling.gettext("stopped: the digests not sent yet are kept for the next run")
        return self.event_lines(quiet) + ([stopped] if self.stopped else [])


@dataclass(frozen=True)
class Slot:
    """The digest a subscription is due for now: its due time (None for immediate), the newest storage
    time it covers, and the local moment its subject names (the due time, or now)."""

    due: datetime | None  # naive UTC
    stored_before: datetime  # naive UTC
    moment: datetime  # aware, in the settings' zone
    frequency: str

    def period(self, language: str) -> str:
        """What the digest covers, in the reader's words ("mardi 1 décembre 2026")."""
        return period_label(self.frequency, self.moment, language)


def last_due_time(subscription: Subscription, now: datetime, zone: tzinfo) -> datetime:
    """The most recent moment (aware, in `zone`) a daily or weekly schedule fell due; `now` is naive UTC."""
    local_now = now.replace(tzinfo=_UTC).astimezone(zone)
    due = local_now.replace(hour=subscription.time.hour, minute=subscription.time.minute, second=0, microsecond=0)
    if subscription.frequency == "weekly":
        due -= timedelta(days=(due.weekday() - _WEEKDAYS.index(subscription.day)) % 7)
        if due > local_now:
            due -= timedelta(days=7)
    elif due > local_now:
        due -= timedelta(days=1)
    return due


def current_slot(subscription: Subscription, now: datetime, zone: tzinfo) -> Slot:
    if subscription.frequency == "immediate":
        return Slot(None, now, now.replace(tzinfo=_UTC).astimezone(zone), "immediate")
    due = last_due_time(subscription, now, zone)
    naive_due = due.astimezone(_UTC).replace(tzinfo=None)
    return Slot(naive_due, naive_due, due, subscription.frequency)


def _min_score(subscription: Subscription) -> float:
    """The score a story needs besides being SSE: the subscription's own `min_score`, else none — being SSE
    is the classifier's decision, its threshold included, and a story its trained second opinion retained
    scores just under that threshold (it was flagged, counted, and never sent while the threshold was asked
    for here too)."""
    return subscription.min_score if subscription.min_score is not None else 0.0


def _who(subscription: str, recipient: str) -> str:
    return f"{subscription} <{recipient}>"


def _send_pending(
    store: Store, settings: Settings, report: DigestReport, stop: threading.Event | None, after: int = 0
) -> int:
    """Each pending digest above id `after` claimed just before it is sent, so that a stop leaves the rest
    pending; returns the last id tried, so that a later call in the same run tries only newer digests (a
    failing digest is attempted once per run, not once before and once after the new ones are built). A mail
    server that accepted the connection and never greeted ends the sending (`report.unanswered`): each other
    digest would wait [smtp] timeout for nothing; they stay pending for the next run."""
    last = after
    while (
        not _stopping(stop, report)
        and not report.unanswered
        and (pending := store.claim_next_digest(after=last)) is not None
    ):
        last = pending.id
        who = _who(pending.subscription, pending.recipient)
        try:
            # recorded as sent the moment the server has it, before QUIT (alerts.delivery._smtp_send)
            where = deliver(
                pending.message,
                pending.id,
                settings.smtp,
                Path(settings.outbox),
                stop,
                accepted=partial(store.mark_sent, pending.id),
            )
        except DeliveryError as error:
            store.mark_failed(pending.id, str(error))
            report.failed.append(_failed(who, pending.id, error))
            if pending.last_error == str(error) and (pending.attempts - 1) % REMINDED_EVERY:
                report.repeated.append(report.failed[-1])
            # a relay that never greets: each other digest of the run waited [smtp] timeout for nothing
            report.unanswered = report.unanswered or error.unanswered
        else:
            delivered = _sent(who, pending.stories, where)
            report.sent.append(
                telling.gettext("sent: %(line)s", line=delivered)
                if settings.smtp.host
                else telling.gettext("written to the outbox, not emailed (no [smtp] host): %(line)s", line=delivered)
            )
    return last


# A digest that keeps failing the same way is said again, under --quiet, once every this many attempts: a day of
# `rasd digest --quiet` every 5 minutes, as deploy/crontab.example runs it
REMINDED_EVERY = 288


def _failed(who: str, digest: int, error: DeliveryError) -> str:
    return telling.gettext(
        "%(who)s: digest #%(id)d: %(error)s (kept, will retry)", who=who, id=digest, error=error.args[0]
    )


def _sent(who: str, stories: int, where: str) -> str:
    return telling.ngettext(
        "%(who)s: %(num)d story → %(where)s", "%(who)s: %(num)d stories → %(where)s", stories, who=who, where=where
    )


def _stopping(stop: threading.Event | None, report: DigestReport) -> bool:
    if stop is not None and stop.is_set():
        report.stopped = True
    return report.stopped


def _evidence(
    store: Store, settings: Settings, references: Callable[[], Sequence[Reference]]
) -> Callable[[StoredStory], Evidence]:
    """Each story's classifier evidence, for its plain-words "why": as stored with its classification
    (`classifications.evidence`, the crawl's own), told with the lexicon's similarity settings. A story
    classified before evidence was stored (revision 0018) is classified again with the configured lexicon,
    gazetteer and seeds, and the readers' verdicts (`references`, read on first use): loading that
    classifier and its first story cost a digest about a second. Nothing is loaded before it is needed."""
    classifier: list[Classifier] = []
    similarity: list[SimilaritySettings] = []

    def evidence(story: StoredStory) -> Evidence:
        if story.article_id in known:
            return known[story.article_id]
        stored = store.stored_evidence([story.article_id]).get(story.article_id)
        if stored is not None:
            if not similarity:
                similarity.append(similarity_settings())
            known[story.article_id] = as_told(Evidence.from_json(stored), similarity[0])
            return known[story.article_id]
        if not classifier:
            classifier.append(
                load_classifier(
                    seeds_dir=Path(settings.classifier.seeds_dir),
                    threshold=settings.classifier.threshold,
                    references=references(),
                )
            )
        found = classifier[0].classify(story.title, story.text, story.lang).evidence
        known[story.article_id] = as_told(found, classifier[0].lexicon.similarity)
        return known[story.article_id]

    known: dict[int, Evidence] = {}
    return evidence


def _plan_lines(stories: list[StoredStory]) -> list[str]:
    """A planned digest's stories, one line each: `[MA-09] title (source)`."""
    return [
        telling.gettext(
            "[%(region)s] %(title)s (%(source)s)",
            region=story.regions[0] if story.regions else telling.gettext("national"),
            title=story.title[:90],
            source=story.source,
        )
        for story in stories
    ]


def earlier_names(settings: Settings, made: Sequence[MadeDigest]) -> dict[str, tuple[str, ...]]:
    """For each configured subscription, the names no longer in the config that had digests sent to its
    address: the names it had before it was renamed. A renamed subscription is a new one for the store, and
    its first digest re-sent every story of the last 30 days its reader had already had under the old name
    (newcomer14's trial: `rasd digest --check` asks to rename a subscription whose regions changed; the new
    name's first digest, at once, held the week's 10 stories already mailed); the stories had under those
    names are left out of its digests."""
    configured = {subscription.name for subscription in settings.subscriptions}
    return {
        subscription.name: tuple(
            digest.subscription
            for digest in made
            if digest.recipient == subscription.email and digest.subscription not in configured
        )
        for subscription in settings.subscriptions
    }


def waiting_stories(
    store: Store, subscription: Subscription, now: datetime | None = None, had_as: Sequence[str] = ()
) -> int:
    """How many SSE stories the subscription's next digest would carry if it were made now (its regions,
    languages, topics and score, none it has had, under this name or `had_as`): what `rasd digest` tells a
    reader whose daily digest is hours away, who otherwise saw only "no digest due" and could not tell
    whether the evening's would hold anything."""
    stored_before = now or utcnow()
    waiting = store.undelivered_stories(
        subscription.name,
        subscription.regions,
        subscription.languages,
        _min_score(subscription),
        stored_before=stored_before,
        limit=1,
        topics=subscription.topics,
        had_as=had_as,
    )
    return waiting.total


def run_digests(
    store: Store,
    settings: Settings,
    now: datetime | None = None,
    dry_run: bool = False,
    stop: threading.Event | None = None,
    references: Callable[[], Sequence[Reference]] = tuple,
) -> DigestReport:
    """Retry what failed before, then build and deliver every digest that is due. A dry run builds the
    same digests and reports them, and writes nothing. `stop` (set from another thread or a signal
    handler: the daemon or `rasd digest` asked to stop): no further digest is built or claimed, and an
    SMTP session in progress is cut after `delivery.STOP_GRACE_SECONDS`; what is not sent stays pending.
    `references`: the readers' verdicts for the classifier that explains each story (read when needed)."""
    now = now or utcnow()  # naive UTC
    zone = ZoneInfo(settings.timezone)
    report = DigestReport()
    evidence = _evidence(store, settings, references)
    tried = 0
    if dry_run:
        report.failed += [
            telling.gettext("%(channel)s: %(problem)s", channel=check.channel, problem=check.problem)
            for check in settings_problems(settings)
        ]
        for pending in store.pending_digests():
            report.planned.append(
                telling.gettext(
                    "%(who)s: retry of digest #%(id)d (%(stories)s, %(why)s): %(subject)s",
                    who=_who(pending.subscription, pending.recipient),
                    id=pending.id,
                    stories=telling.ngettext("%(num)d story", "%(num)d stories", pending.stories),
                    why=_why_pending(pending.last_error),
                    subject=pending.subject,
                )
            )
    else:
        tried = _send_pending(store, settings, report, stop)
    renamed = earlier_names(settings, store.last_digests())
    for subscription in settings.subscriptions:
        if _stopping(stop, report):
            break
        slot = current_slot(subscription, now, zone)
        if slot.due is not None and store.digest_created_since(subscription.name, slot.due, now):
            continue
        stories = store.undelivered_stories(
            subscription.name,
            subscription.regions,
            subscription.languages,
            _min_score(subscription),
            stored_before=slot.stored_before,
            limit=subscription.max_stories,
            topics=subscription.topics,
            had_as=renamed[subscription.name],
        )
        if not stories:
            continue
        more = stories.total - len(stories)
        message = render_digest(
            subscription,
            stories,
            more,
            slot.period(subscription.language),
            now.replace(tzinfo=_UTC),
            zone,
            settings.smtp.sender,
            evidence,
        )
        who = _who(subscription.name, subscription.email)
        channels = channel_deliveries(
            subscription, settings, stories, more, str(message["Subject"]), now.replace(tzinfo=_UTC), zone, evidence
        )
        if dry_run:
            also: list[str] = [
                telling.gettext("and %(channel)s", channel=channel_named(c, t)) for c, t, _ in channels
            ]
            following = tuple(_plan_lines(stories) + also)
            planned = telling.gettext("%(who)s: %(subject)s", following, who=who, subject=str(message["Subject"]))
            report.planned.append(planned)
            continue
        created = store.create_digest(
            subscription.name,
            subscription.email,
            str(message["Subject"]),
            message.as_string(),
            [story.article_id for story in stories],
            due_at=slot.due,
            created_at=now,
            channels=channels,
        )
        if created is None:
            report.skipped.append(telling.gettext("%(who)s: another run built this digest first", who=who))
    if not dry_run:
        _send_pending(store, settings, report, stop, after=tried)
        _send_channels(store, settings, report, stop)
    else:
        report.planned += [
            telling.gettext(
                "%(who)s: retry of %(channel)s for digest #%(id)d (%(why)s)",
                who=pending.subscription,
                channel=channel_named(pending.channel, pending.target),
                id=pending.digest_id,
                why=_why_pending(pending.last_error),
            )
            for pending in store.pending_channels()
        ]
    return report


def _why_pending(last_error: str | None) -> str:
    """Why a digest (or a channel's delivery) built by an earlier run is still to be sent."""
    if last_error is None:
        return telling.gettext("not tried yet: no error recorded, the run that built it stopped before sending it")
    return telling.gettext("last error: %(error)s", error=last_error)


def _send_channels(store: Store, settings: Settings, report: DigestReport, stop: threading.Event | None) -> None:
    """Every pending Atom and push delivery, each claimed just before it is tried and recorded on its
    own: one that fails stays pending for the next run and holds nothing else back."""
    last = 0
    while not _stopping(stop, report) and (pending := store.claim_next_channel(after=last)) is not None:
        last = pending.id
        try:
            where = deliver_channel(pending, settings)
        except DeliveryError as error:
            store.mark_channel_failed(pending, str(error), error.not_before)
            report.failed.append(_failed(pending.subscription, pending.digest_id, error))
        else:
            store.mark_channel_sent(pending)
            report.sent.append(
                telling.gettext("sent: %(line)s", line=_sent(pending.subscription, pending.stories, where))
            )
