"""Digest rendering: one multipart email (plain text + HTML) per subscriber and period.

Everything in a story comes from the web, so the HTML template autoescapes it all and only http(s)
links become links; Arabic stories are laid out right-to-left and French ones left-to-right in the
same message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import urlsplit

from jinja2 import Environment, PackageLoader, select_autoescape

from config import REGION_NAMES, Subscription
from storage import StoredStory

EXCERPT_CHARS = 320
_environment = Environment(
    loader=PackageLoader("alerts", "templates"),
    autoescape=select_autoescape(["html.j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")


def safe_href(url: str) -> str | None:
    """A link target only for http(s) URLs: `javascript:` and `data:` stay text."""
    return url if urlsplit(url.strip()).scheme in ("http", "https") else None


def one_line(text: str) -> str:
    """No CR/LF or other control characters: web text never breaks out of a header or a line."""
    return _CONTROL.sub(" ", text).strip()


def excerpt(text: str, limit: int = EXCERPT_CHARS) -> str:
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[:limit].rsplit(" ", 1)[0]
    return cut + " …"


@dataclass(frozen=True)
class _StoryView:
    title: str
    url: str
    href: str | None
    sources: list[tuple[str, str | None]]
    date: str
    excerpt: str
    reasons: list[str]
    score: str
    lang: str
    dir: str


@dataclass(frozen=True)
class _Group:
    label: str
    stories: list[_StoryView]


def _view(story: StoredStory) -> _StoryView:
    when = story.published_at or story.fetched_at
    sources = [(one_line(story.source), safe_href(story.url))]
    sources += [(one_line(name), safe_href(url)) for name, url in story.also_in]
    return _StoryView(
        title=one_line(story.title),
        url=one_line(story.url),
        href=safe_href(story.url),
        sources=sources,
        date=when.strftime("%Y-%m-%d %H:%M"),
        excerpt=excerpt(story.text),
        reasons=[one_line(reason) for reason in story.reasons],
        score=f"score {story.score:.2f}",
        lang=story.lang if story.lang in ("ar", "fr", "en") else "und",
        dir="rtl" if story.lang == "ar" else "ltr",
    )


def _groups(stories: Sequence[StoredStory]) -> list[_Group]:
    """Stories grouped by their main region (regions in code order, national last), newest first."""
    by_region: dict[str, list[StoredStory]] = {}
    for story in stories:
        by_region.setdefault(story.regions[0] if story.regions else "", []).append(story)
    groups = []
    for code in sorted(by_region, key=lambda c: (c == "", c)):
        french, arabic = REGION_NAMES.get(code, ("National / non localisé", "وطني"))
        label = f"{code} {french} · {arabic}" if code else f"{french} · {arabic}"
        ordered = sorted(by_region[code], key=lambda s: s.published_at or s.fetched_at, reverse=True)
        groups.append(_Group(label=label, stories=[_view(s) for s in ordered]))
    return groups


def digest_subject(subscription: Subscription, count: int, period_start: datetime, period_end: datetime) -> str:
    noun = "story" if count == 1 else "stories"
    if period_start.date() == period_end.date():
        period = period_end.strftime("%d %b %Y")
    else:
        period = f"{period_start:%d %b} – {period_end:%d %b %Y}"
    return one_line(f"Rasd: {count} SSE {noun} for {subscription.name} ({period})")


def render_digest(
    subscription: Subscription,
    stories: Sequence[StoredStory],
    more: int,
    now: datetime,
    sender: str,
    config_hint: str,
) -> EmailMessage:
    """The digest email for `stories` (already chosen and capped); `more` counts those left out."""
    dates = [s.published_at or s.fetched_at for s in stories]
    subject = digest_subject(subscription, len(stories) + more, min(dates, default=now), max(dates, default=now))
    context = {
        "subject": subject,
        "intro": f"{len(stories)} stories about the social and solidarity economy, newest first, by region.",
        "groups": _groups(stories),
        "more": more,
        "footer": (
            f"You receive this digest as subscription “{subscription.name}” ({subscription.frequency}). "
            f"To change or stop it, edit or remove its [[subscriptions]] entry in {config_hint}."
        ),
    }
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = subscription.email
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(domain="rasd.local")
    list_id = re.sub(r"[^a-z0-9]+", "-", subscription.name.lower()).strip("-") or "digest"
    message["List-Id"] = f"Rasd {one_line(subscription.name)} <{list_id}.rasd.local>"
    message.set_content(_environment.get_template("digest.txt.j2").render(context))
    message.add_alternative(_environment.get_template("digest.html.j2").render(context), subtype="html")
    return message
