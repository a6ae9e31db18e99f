"""Digest rendering: one multipart email (plain text + HTML) per subscriber and period.

Everything in a story comes from the web, so the HTML template autoescapes it all, only http(s) links
become links, and control and bidi-override characters are removed from web text; Arabic stories are
laid out right-to-left and French ones left-to-right in the same message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from jinja2 import Environment, PackageLoader, select_autoescape

from rasd.config import REGION_NAMES, Subscription
from rasd.storage import StoredStory

EXCERPT_CHARS = 280  # two or three lines in the HTML part
_environment = Environment(
    loader=PackageLoader("rasd.alerts", "templates"),
    autoescape=select_autoescape(["html.j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
# C0 controls and DEL, and the bidi embeddings/overrides/isolates a hostile title could use to reorder
# the text around it (each story's HTML is isolated by its dir attribute; the plain text is not).
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u202a-\u202e\u2066-\u2069]+")
_UTC = ZoneInfo("UTC")


def safe_href(url: str) -> str | None:
    """A link target only for http(s) URLs: `javascript:` and `data:` stay text."""
    return url if urlsplit(url.strip()).scheme in ("http", "https") else None


def one_line(text: str) -> str:
    """No CR/LF, other control or bidi-override characters: web text never breaks out of a line."""
    return _CONTROL.sub(" ", text).strip()


def excerpt(text: str, title: str = "", limit: int = EXCERPT_CHARS) -> str:
    """The story's opening, cut at a word, without a first line that only repeats the title."""
    first, _, rest = text.strip().partition("\n")
    if title and rest and one_line(first) == title:
        text = rest
    flat = one_line(" ".join(text.split()))
    if len(flat) <= limit:
        return flat
    return flat[:limit].rsplit(" ", 1)[0] + " …"


def region_label(code: str) -> str:
    french, arabic = REGION_NAMES.get(code, ("National / non localisé", "وطني"))
    return f"{code} {french} · {arabic}" if code else f"{french} · {arabic}"


@dataclass(frozen=True)
class _StoryView:
    title: str
    url: str
    href: str | None
    sources: list[tuple[str, str | None]]
    date: str
    excerpt: str
    reasons: list[str]
    also_regions: str
    score: str
    lang: str
    dir: str


@dataclass(frozen=True)
class _Group:
    label: str
    stories: list[_StoryView]


def _local(when: datetime, zone: tzinfo) -> datetime:
    """Stored times are naive UTC; digests show them in the settings' time zone."""
    return when.replace(tzinfo=_UTC).astimezone(zone)


def _view(story: StoredStory, zone: tzinfo) -> _StoryView:
    if story.published_at is not None:
        date = f"{_local(story.published_at, zone):%Y-%m-%d %H:%M}"
    else:
        date = f"found {_local(story.fetched_at, zone):%Y-%m-%d %H:%M}"
    sources = [(one_line(story.source), safe_href(story.url))]
    sources += [(one_line(name), safe_href(url)) for name, url in story.also_in]
    title = one_line(story.title) or "(untitled)"
    return _StoryView(
        title=title,
        url=one_line(story.url),
        href=safe_href(story.url),
        sources=sources,
        date=date,
        excerpt=excerpt(story.text, title),
        reasons=[one_line(reason) for reason in story.reasons],
        also_regions=", ".join(story.regions[1:]),
        score=f"score {story.score:.2f}",
        lang=story.lang if story.lang in ("ar", "fr", "en") else "und",
        dir="rtl" if story.lang == "ar" else "ltr",
    )


def _groups(stories: Sequence[StoredStory], zone: tzinfo) -> list[_Group]:
    """Stories grouped by their main region (regions in code order, national last), newest first."""
    by_region: dict[str, list[StoredStory]] = {}
    for story in stories:
        by_region.setdefault(story.regions[0] if story.regions else "", []).append(story)
    groups = []
    for code in sorted(by_region, key=lambda c: (c == "", c)):
        ordered = sorted(by_region[code], key=lambda s: s.published_at or s.fetched_at, reverse=True)
        groups.append(_Group(label=region_label(code), stories=[_view(s, zone) for s in ordered]))
    return groups


def digest_subject(subscription: Subscription, shown: int, more: int, period: str) -> str:
    count = f"{shown} of {shown + more}" if more else str(shown)
    noun = "story" if shown + more == 1 else "stories"
    return one_line(f"Rasd: {count} SSE {noun} for {subscription.name} — {period}")


def render_digest(
    subscription: Subscription,
    stories: Sequence[StoredStory],
    more: int,
    period: str,
    now: datetime,
    zone: tzinfo,
    sender: str,
    config_hint: str,
) -> EmailMessage:
    """The digest email for `stories` (already chosen and capped); `more` counts the matching stories
    left for the next digest. `now` is aware; `period` names what the digest covers."""
    subject = digest_subject(subscription, len(stories), more, period)
    schedule = {
        "immediate": "as soon as stories are stored",
        "daily": f"daily at {subscription.time:%H:%M}",
        "weekly": f"every {subscription.day} at {subscription.time:%H:%M}",
    }[subscription.frequency]
    context = {
        "subject": subject,
        "intro": (
            f"{len(stories)} {'story' if len(stories) == 1 else 'stories'} about the social and solidarity "
            f"economy, by region, newest first. Times are {zone}."
        ),
        "groups": _groups(stories, zone),
        "more": more,
        "footer": (
            f"You receive this digest ({schedule}) as subscription “{subscription.name}” of the Rasd news "
            f"monitor. To change it (regions, languages, minimum score, frequency) or to stop it, ask the "
            f"person who runs Rasd to edit or remove the [[subscriptions]] entry named “{subscription.name}” "
            f"in {config_hint}."
        ),
    }
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = subscription.email
    message["Date"] = format_datetime(now)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "rasd.local"
    message["Message-ID"] = make_msgid(domain=domain)  # kept with the stored message: a resend has the same
    list_id = re.sub(r"[^a-z0-9]+", "-", subscription.name.lower()).strip("-") or "digest"
    message["List-Id"] = f"Rasd {one_line(subscription.name)} <{list_id}.rasd.local>"
    # base64: 7-bit safe on any relay (no 8BITMIME needed) and compact for Arabic text.
    message.set_content(_environment.get_template("digest.txt.j2").render(context), cte="base64")
    message.add_alternative(
        _environment.get_template("digest.html.j2").render(context), subtype="html", cte="base64"
    )
    return message
