"""A digest's other channels: an Atom feed per subscription and push notifications through Apprise.

Each is rendered when the digest is built (its payload stored with it, like the email's message) and
delivered on its own (storage.channels): exactly once, retried alone when it fails, never holding back the
email or another channel.

Atom: `<feeds>/<subscription>.atom`, one entry per story (id stable per subscription and story, so a retry
after a crash replaces an entry instead of adding it twice), the newest `FEED_ENTRIES` kept, written to a
temporary file and renamed (a feed reader never sees half a file). Push: Apprise (one library for Telegram,
Slack, Matrix, ntfy, Discord, e-mail gateways, webhooks … by URL); `${VAR}` in a URL is read from the
environment when sending, so tokens stay out of the config and the database.
"""

from __future__ import annotations

import contextvars
import email.utils
import functools
import hashlib
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.etree import ElementTree as ET

import defusedxml.ElementTree as SafeET

from rasd.alerts import i18n
from rasd.alerts.delivery import DeliveryError
from rasd.alerts.render import StoryView, one_line, story_view
from rasd.classify import Evidence
from rasd.config import Told, telling
from rasd.storage import PendingChannel, StoredStory

if TYPE_CHECKING:  # the settings' types: a command reads kept settings without their validation (config/kept.py)
    from rasd.config import Settings, Subscription

ATOM = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FEED_ENTRIES = 200
PUSH_STORIES = 10  # a notification lists the first stories; the rest are counted
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
ET.register_namespace("", ATOM)


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "digest"


def feed_path(settings: Settings, subscription: Subscription) -> Path:
    """Generated from the subscription's name (never from web text)."""
    return Path(settings.feeds) / f"{slug(subscription.name)}-{_digest_of(subscription.name)}.atom"


def _digest_of(name: str) -> str:
    """A short stable tag that keeps two names with the same slug ("Souss" and "souss!") apart."""
    return hashlib.sha1(name.encode("utf-8")).hexdigest()[:6]


def _q(tag: str) -> str:
    return f"{{{ATOM}}}{tag}"


def _text(parent: ET.Element, tag: str, text: str, **attributes: str) -> ET.Element:
    element = ET.SubElement(parent, _q(tag), attributes)
    element.text = text
    return element


def atom_entries(
    subscription: Subscription, views: Sequence[StoryView], updated: datetime, why_text: Sequence[str]
) -> str:
    """The digest's stories as Atom entries (a feed document holding only them: the payload)."""
    feed = ET.Element(_q("feed"))
    for view, why in zip(views, why_text, strict=True):
        entry = ET.SubElement(feed, _q("entry"), {XML_LANG: view.lang})
        _text(entry, "id", f"tag:rasd.local,2026:{slug(subscription.name)}:{_digest_of(subscription.name)}:"
              f"article:{view.article_id}")  # fmt: skip
        _text(entry, "title", view.title)
        _text(entry, "updated", updated.isoformat())
        if view.published is not None:
            _text(entry, "published", view.published.isoformat())
        for source in view.sources:
            author = ET.SubElement(entry, _q("author"))
            _text(author, "name", source.name)
            if source.href:
                ET.SubElement(entry, _q("link"), {"rel": "alternate" if source is view.sources[0] else "related",
                                                   "href": source.href, "title": source.name})  # fmt: skip
        for region, _places in view.why.where:
            ET.SubElement(entry, _q("category"), {"term": region})
        _text(entry, "summary", view.excerpt_text, type="text")
        _text(entry, "content", f"{view.excerpt_text}\n\n{why}", type="text")
    return ET.tostring(feed, encoding="unicode")


def _entries_of(path: Path) -> list[ET.Element]:
    if not path.exists():
        return []
    try:
        root = SafeET.parse(path).getroot()
    except (ET.ParseError, SafeET.ParseError, OSError) as error:
        raise DeliveryError(f"atom {path}: the existing feed cannot be read ({error}); move it away") from None
    return root.findall(_q("entry"))


def write_feed(path: Path, payload: str, subscription: str, language: str, updated: datetime) -> str:
    """Merge the payload's entries into the feed file (same id: replaced), newest first, atomically."""
    new = SafeET.fromstring(payload).findall(_q("entry"))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        by_id: dict[str, ET.Element] = {}
        for entry in [*new, *_entries_of(path)]:
            key = entry.findtext(_q("id")) or ""
            by_id.setdefault(key, entry)
        ordered = sorted(by_id.values(), key=lambda e: e.findtext(_q("updated")) or "", reverse=True)
        feed = ET.Element(_q("feed"), {XML_LANG: language})
        _text(feed, "id", f"tag:rasd.local,2026:{slug(subscription)}:{_digest_of(subscription)}")
        _text(feed, "title", f"Rasd — {one_line(subscription)}")
        _text(feed, "updated", max((e.findtext(_q("updated")) or "" for e in ordered), default=updated.isoformat()))
        author = ET.SubElement(feed, _q("author"))
        _text(author, "name", "Rasd")
        _text(feed, "generator", "Rasd")
        feed.extend(ordered[:FEED_ENTRIES])
        temporary = path.with_name(path.name + ".part")
        try:
            ET.ElementTree(feed).write(temporary, encoding="utf-8", xml_declaration=True)
            temporary.replace(path)
        finally:
            temporary.unlink(missing_ok=True)
    except OSError as error:
        raise DeliveryError(f"atom {path}: {type(error).__name__}: {error.strerror or error}") from None
    return str(path)


def push_payload(subject: str, views: Sequence[StoryView], more: int, language: str) -> str:
    """A notification: the digest's subject, then one line per story (title and address) for the first
    PUSH_STORIES, then how many of this digest's stories are not listed and how many (`more`) wait for the
    next digest; in the reader's language.

    Each line starts with the reader's direction mark (RLM for Arabic, LRM for French) and isolates
    nothing. A push body is plain text, laid out by the receiving app: one that takes a line's direction
    from its first strong letter (the Unicode rule) skips what is inside FSI…PDI, so an isolated Arabic
    title left an Arabic reader's line to its address, left to right; one that takes the message's from its
    first letter turned a French reader's message with an Arabic title first right to left; and apps or
    fonts that predate FSI/PDI show them as boxes. The marks are older and set the line as the reader
    reads; the address after the title starts with Latin `https`, so the title needs no isolating
    (docs/architecture.md).
    """
    mark = i18n.direction_mark(language)
    lines = [f"{mark}• {view.title} — {view.sources[0].shown}" for view in views[:PUSH_STORIES]]
    ngettext = i18n.translations(language).ngettext
    unlisted = len(views) - PUSH_STORIES
    if unlisted > 0:
        lines.append(
            mark
            + ngettext(
                "%(num)d more story of this digest is not listed here.",
                "%(num)d more stories of this digest are not listed here.",
                unlisted,
            )
            % {"num": unlisted}
        )
    if more > 0:
        lines.append(
            mark
            + ngettext(
                "%(num)d more matching story is waiting: it leads your next digest.",
                "%(num)d more matching stories are waiting: they lead your next digest.",
                more,
            )
            % {"num": more}
        )
    return json.dumps({"title": subject, "body": "\n".join(lines)}, ensure_ascii=False)


def resolve(url: str) -> str:
    """An Apprise URL with each ${VAR} replaced from the environment (DeliveryError naming a missing one)."""
    missing = [name for name in _VARIABLE.findall(url) if not os.environ.get(name)]
    if missing:
        variable = "$" + missing[0]
        raise DeliveryError(telling.gettext("%(variable)s is empty", variable=variable))
    return _VARIABLE.sub(lambda match: os.environ[match.group(1)], url)


def push_check(url: str) -> str | None:
    """Apprise's own check of a URL (its service known, its parts valid); the problem, or None."""
    import apprise

    try:
        resolved = resolve(url)
    except DeliveryError as error:
        return str(error)
    return None if apprise.Apprise().add(resolved) else str(_NOT_ACCEPTED)


def send_push(url: str, payload: str) -> str:
    """One notification through Apprise; returns the URL as configured (no secrets)."""
    import apprise

    message = json.loads(payload)
    try:
        resolved = resolve(url)
    except DeliveryError as error:
        raise _push_failed(url, error.args[0]) from None
    sender = apprise.Apprise()
    if not sender.add(resolved):
        raise _push_failed(url, _NOT_ACCEPTED)
    # Apprise's own words only (its default format put a timestamp and "WARNING" inside the reader's line),
    # each after its level: its debug lines are read too, as only they tell a timeout from a refusal
    with apprise.LogCapture(level=apprise.logging.DEBUG, fmt="%(levelno)d %(message)s") as log, _answers() as heard:
        delivered = sender.notify(title=message["title"], body=message["body"])
    if not delivered:
        refusal = _not_delivered(url, log.getvalue())
        if (wait := _wait_asked(heard, _now())) is not None:
            raise _asked_to_wait(refusal, wait)
        raise refusal
    return channel_named("push", url)


def _not_delivered(url: str, logged_text: str) -> DeliveryError:
    """Why Apprise did not deliver a push, from what it logged (`LEVEL message` lines)."""
    import apprise

    logged = [line.split(" ", 1) for line in logged_text.splitlines() if line[:2].isdigit() and " " in line]
    if (unreached := _unreached(text for _, text in logged)) is not None:
        return _push_failed(url, unreached)
    said = [one_line(text) for level, text in logged if int(level) >= apprise.logging.WARNING and text.strip()]
    if said and _RATE_LIMITED.search(said[-1]):  # "Failed to send JSON POST notification: error=429."
        return _push_failed(url, _SLOW_DOWN)
    if not said:
        return _push_failed(url, telling.gettext("the service did not accept the notification"))
    reason = said[-1]
    for name in _VARIABLE.findall(url):  # a secret quoted back by a service's error stays out of logs
        reason = reason.replace(os.environ[name], f"${{{name}}}")
    return _push_failed(url, reason)


# A service's Retry-After (429 Too Many Requests, 503 Unavailable) is honoured up to a day: a push is not tried
# again before the time it names. Apprise reads no answer's headers, so the answers of its requests are heard
# under it, at requests' transport (HTTPAdapter.send), within this push's context only (a context variable:
# Apprise runs the service on a worker thread with a copy of the caller's context). Before, the push was tried
# again at every digest check (5 minutes under `rasd run`), whatever the wait asked (faults14 sweep).
MAX_WAIT = timedelta(days=1)
_hearing: contextvars.ContextVar[list[tuple[int, str | None]] | None] = contextvars.ContextVar("heard", default=None)


@contextmanager
def _answers() -> Iterator[list[tuple[int, str | None]]]:
    """The (status, Retry-After) of each HTTP answer received through `requests` in the block's context."""
    from requests.adapters import HTTPAdapter

    if not getattr(HTTPAdapter.send, "rasd_hears", False):
        HTTPAdapter.send = _heard_through(HTTPAdapter.send)  # type: ignore[method-assign]
    heard: list[tuple[int, str | None]] = []
    token = _hearing.set(heard)
    try:
        yield heard
    finally:
        _hearing.reset(token)


def _heard_through(send: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(send)
    def sending(*args: Any, **kwargs: Any) -> Any:
        response = send(*args, **kwargs)
        if (heard := _hearing.get()) is not None:
            heard.append((response.status_code, response.headers.get("Retry-After")))
        return response

    sending.rasd_hears = True  # type: ignore[attr-defined]
    return sending


def _wait_asked(heard: Sequence[tuple[int, str | None]], now: datetime) -> timedelta | None:
    """The wait the last answer's Retry-After asks for (seconds, or an HTTP date), at most MAX_WAIT; None when
    it asks for none (absent, unreadable, in the past)."""
    if not heard or not (value := (heard[-1][1] or "").strip()):
        return None
    if value.isdigit():
        seconds = float(value)
    else:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = (when if when.tzinfo else when.replace(tzinfo=UTC)).timestamp() - now.timestamp()
    # bounded before timedelta is made: a wait of more than ~2.7 million years (20 digits) raised OverflowError
    return timedelta(seconds=min(seconds, MAX_WAIT.total_seconds())) if seconds > 0 else None


def _asked_to_wait(error: DeliveryError, wait: timedelta) -> DeliveryError:
    """`error`, with the time before which the push is not tried again (DeliveryError.not_before)."""
    until = (_now() + wait).replace(microsecond=0)
    told = telling.gettext(
        "%(failure)s; not tried again before %(time)s UTC, as the service asked (Retry-After: %(seconds)s s)",
        failure=error.args[0],
        time=f"{until:%Y-%m-%d %H:%M:%S}",
        seconds=f"{wait.total_seconds():.0f}",
    )
    waiting = DeliveryError(told)
    waiting.not_before = until
    return waiting


def channel_named(channel: str, target: str) -> str:
    """A digest's other channel as the reports name it — "push json://host/", "atom /…/feeds/souss.atom", as the
    store's `deliveries.channel` does — a `Told`: an Arabic or French reader's `rasd digest` said "push" and
    "atom" in English in their lines ("و‎push‎ json://…"); their words are "إشعار", "notification", "flux Atom"."""
    if channel == "push":
        return telling.gettext("push %(url)s", url=target)
    return telling.gettext("atom %(path)s", path=target)


_NOT_ACCEPTED = telling.gettext("Apprise does not accept this URL (unknown service or bad form)")
# A webhook, Telegram, Slack or ntfy answering 429 (Too Many Requests): Apprise's "Failed to send JSON POST
# notification: error=429." told a French or Arabic reader nothing, in English. Kept and tried again by the
# next run, as any failed push (faults13 sweep).
_RATE_LIMITED = re.compile(r"\berror=429\b|\b429\b.*Too Many Requests", re.IGNORECASE)
_SLOW_DOWN = telling.gettext(
    "the service takes no more notifications for now (HTTP 429, too many requests): it asks Rasd to wait"
)
_READ_TIMEOUT = re.compile(r"Read timed out\. \(read timeout=([\d.]+)\)")


def _unreached(logged: Iterable[str]) -> Told | None:
    """A service that did not answer in time, or refused the connection, in the reader's words: Apprise
    says "A Connection error occurred sending JSON notification to …" for both (in English, in a French or
    Arabic reader's line), and only its debug line ("Socket Exception: … Read timed out.") tells which."""
    for line in logged:
        if not line.startswith("Socket Exception:"):
            continue
        if (timed_out := _READ_TIMEOUT.search(line)) is not None:
            seconds = f"{float(timed_out[1]):g}"
            return telling.gettext("no answer within %(seconds)s s: the service is slow or down", seconds=seconds)
        if "Connection refused" in line:
            return telling.gettext("connection refused: nothing answers at this address; is the service running?")
    return None


def _push_failed(url: str, reason: str) -> DeliveryError:
    """The failure of one push, a `Told`: said in the reader's language by `rasd digest` (the service's own
    words as it gave them), English in the store and the log."""
    return DeliveryError(telling.gettext("push %(url)s: %(reason)s", url=url, reason=reason))


def channel_deliveries(
    subscription: Subscription,
    settings: Settings,
    stories: Sequence[StoredStory],
    more: int,
    subject: str,
    now: datetime,
    zone: tzinfo,
    evidence: Callable[[StoredStory], Evidence],
) -> list[tuple[str, str, str]]:
    """(channel, target, payload) of the digest's other channels, rendered with it; `now` is aware."""
    if not (subscription.atom or subscription.notify):
        return []
    language = subscription.language
    views = [story_view(story, evidence(story), zone, language) for story in stories]
    deliveries = []
    if subscription.atom:
        why = i18n.environment(language).get_template("why.txt.j2")
        texts = [why.render(story=view).strip("\n") for view in views]
        entries = atom_entries(subscription, views, now, texts)
        deliveries.append(("atom", str(feed_path(settings, subscription)), entries))
    deliveries += [("push", url, push_payload(subject, views, more, language)) for url in subscription.notify]
    return deliveries


def deliver_channel(pending: PendingChannel, settings: Settings) -> str:
    """Deliver one claimed channel delivery; returns where it went, DeliveryError when it could not."""
    if pending.channel == "push":
        return send_push(pending.target, pending.payload)
    language = next((s.language for s in settings.subscriptions if s.name == pending.subscription), "und")
    written = write_feed(Path(pending.target), pending.payload, pending.subscription, language, _now())
    return channel_named("atom", written)


def _now() -> datetime:
    return datetime.now(UTC)
