"""Digest rendering: one multipart email (plain text + HTML) per subscriber and period, in the reader's
language (``Subscription.language``: its catalog's words, dates, direction).

Everything in a story comes from the web, so the HTML template autoescapes it all, only http(s) links
become links, and control and bidi characters are removed from web text. Every fragment whose direction
may differ from the text around it (a title, a source name, a place, a matched word, a date) is isolated:
``<bdi>`` or ``dir="auto"`` in HTML, FSI…PDI in the text part — there only a fragment that holds letters of
the other direction than the reader's (``i18n.isolate``) —, so a mixed Arabic/Latin line keeps its words and
numbers in order. Each story is laid out in its own direction, the reader's text in theirs.
The Subject header carries no FSI/PDI (see ``digest_subject``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from email.header import Header
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urlsplit
from zoneinfo import ZoneInfo

from babel.dates import get_timezone_location

from rasd.alerts import i18n
from rasd.alerts.i18n import isolate
from rasd.alerts.why import Why, explain, region_name
from rasd.classify import Evidence, matched_spans
from rasd.config.hosts import shown_hosts
from rasd.storage import StoredStory

if TYPE_CHECKING:  # the settings' types: a command reads kept settings without their validation (config/kept.py)
    from rasd.config import Subscription

EXCERPT_CHARS = 320  # two or three lines in the HTML part
# C0 controls and DEL, the bidi embeddings/overrides/isolates and marks a hostile title could use to
# reorder the text around it: web text is isolated by the templates, never by itself.
_CONTROL = re.compile(r"[\x00-\x1f\x7f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]+")
# A sentence ends at . ! ? … or the Arabic question mark, with closing quotes or brackets, then a space.
_SENTENCE_END = re.compile(r"[.!?؟…][\"'»”’)\]]*(?=\s)")
_UNSAFE_IN_IRI = re.compile(r"[\s\x00-\x1f\x7f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffd]")
_HREF_SAFE = ":/?#[]@!$&'()*+,;=%~"
_UTC = ZoneInfo("UTC")


def one_line(text: str) -> str:
    """No CR/LF, other control or bidi-control characters: web text never breaks out of a line."""
    return _CONTROL.sub(" ", text).strip()


def safe_href(url: str) -> str | None:
    """A link target only for http(s) URLs (`javascript:` and `data:` stay text), percent-encoded."""
    url = one_line(url)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    netloc = parts.netloc
    if not netloc.isascii():  # an internationalised domain: its ASCII (punycode) form
        try:
            netloc = (parts.hostname or "").encode("idna").decode("ascii")
            netloc += f":{parts.port}" if parts.port else ""
        except (UnicodeError, ValueError):
            return None
    return quote(parts._replace(netloc=netloc).geturl(), safe=_HREF_SAFE)


def shown_url(url: str) -> str:
    """A URL as a reader reads it: percent-escapes decoded (an IRI, "…/تعاونية-نسائية"), unless decoding
    would show spaces, controls or broken bytes, which stay encoded; its site's name as a person types it
    (config.hosts: `تعاونية.ma`, not `xn--mgbeb4d6clp.ma`; the link itself keeps the ASCII form, safe_href)."""
    url = one_line(url)
    decoded = unquote(url, errors="replace")
    return shown_hosts(url if _UNSAFE_IN_IRI.search(decoded) else decoded)


def excerpt(text: str, title: str = "", limit: int = EXCERPT_CHARS) -> str:
    """The story's opening in whole sentences (at most ``limit`` characters), without a first line that
    only repeats the title; a first sentence longer than that is cut at a word and marked "…"."""
    first, _, rest = text.strip().partition("\n")
    if title and rest and one_line(first) == title:
        text = rest
    flat = one_line(" ".join(text.split()))
    if len(flat) <= limit:
        return flat
    cut = 0
    for end in _SENTENCE_END.finditer(flat):
        if end.end() > limit:
            break
        cut = end.end()
    if cut:
        return flat[:cut]
    return flat[:limit].rsplit(" ", 1)[0] + " …"


def highlighted(text: str, words: frozenset[str]) -> list[tuple[str, bool]]:
    """``text`` in pieces, each marked True where it holds the matched SSE vocabulary."""
    pieces, at = [], 0
    for start, end in matched_spans(text, words):
        if start > at:
            pieces.append((text[at:start], False))
        pieces.append((text[start:end], True))
        at = end
    if at < len(text):
        pieces.append((text[at:], False))
    return pieces


@dataclass(frozen=True)
class Source:
    name: str
    href: str | None
    shown: str  # the URL as read


@dataclass(frozen=True)
class StoryView:
    """A story as every channel shows it: web text cleaned, in the reader's language around it."""

    title: str
    href: str | None
    sources: list[Source]
    date: str
    excerpt: list[tuple[str, bool]]
    excerpt_text: str
    why: Why
    also_regions: list[str]
    lang: str
    dir: str
    article_id: int = 0
    published: datetime | None = None  # aware UTC: published, else found


@dataclass(frozen=True)
class _Group:
    label: str
    stories: list[StoryView]


def _local(when: datetime, zone: tzinfo) -> datetime:
    """Stored times are naive UTC; digests show them in the settings' time zone."""
    return when.replace(tzinfo=_UTC).astimezone(zone)


def story_view(story: StoredStory, evidence: Evidence, zone: tzinfo, language: str) -> StoryView:
    if story.published_at is not None:
        date = i18n.when(_local(story.published_at, zone), language)
    else:
        date = i18n.translations(language).gettext("found %(date)s") % {
            "date": i18n.when(_local(story.fetched_at, zone), language)
        }
    sources = [Source(one_line(story.source), safe_href(story.url), shown_url(story.url))]
    sources += [Source(one_line(name), safe_href(url), shown_url(url)) for name, url in story.also_in]
    title = one_line(story.title) or i18n.translations(language).gettext("(untitled)")
    opening = excerpt(story.text, title)
    return StoryView(
        title=title,
        href=safe_href(story.url),
        sources=sources,
        date=date,
        excerpt=highlighted(opening, evidence.words),
        excerpt_text=opening,
        why=explain(evidence, story.regions, language),
        also_regions=[region_name(code, language) for code in story.regions[1:]],
        lang=story.lang if story.lang in ("ar", "fr", "en") else "und",
        dir="rtl" if story.lang == "ar" else "ltr",
        article_id=story.article_id,
        published=(story.published_at or story.fetched_at).replace(tzinfo=_UTC),
    )


def _groups(
    stories: Sequence[StoredStory], evidence: Mapping[int, Evidence], zone: tzinfo, language: str
) -> list[_Group]:
    """Stories grouped by their main region (regions in code order, national last), newest first."""
    by_region: dict[str, list[StoredStory]] = {}
    for story in stories:
        by_region.setdefault(story.regions[0] if story.regions else "", []).append(story)
    groups = []
    for code in sorted(by_region, key=lambda c: (c == "", c)):
        ordered = sorted(by_region[code], key=lambda s: s.published_at or s.fetched_at, reverse=True)
        views = [story_view(s, evidence.get(s.article_id, Evidence()), zone, language) for s in ordered]
        groups.append(_Group(label=region_name(code, language), stories=views))
    return groups


def period_label(frequency: str, moment: datetime, language: str) -> str:
    """What a digest covers, in the reader's words; ``moment`` is the local due time (or now)."""
    if frequency == "immediate":
        return i18n.when(moment, language)
    if frequency == "daily":
        return i18n.day(moment, language)
    return i18n.translations(language).gettext("week to %(day)s") % {"day": i18n.day(moment, language)}


def digest_subject(subscription: Subscription, shown: int, more: int, period: str, isolating: bool = False) -> str:
    """The digest's subject. Plain (``isolating=False``) for the Subject header and every place it is
    shown as a line of its own — mail lists, notification banners, terminal clients, `rasd digest`'s
    output — where FSI/PDI are not reliably rendered (terminals and several mail clients' subject lines show
    them as boxes or stray marks) and the line's direction is its first strong letter, the catalog's; the
    subscription's name isolated inside the message's own HTML title and heading and text part."""
    language = subscription.language
    name = one_line(subscription.name)
    values = {
        "shown": shown,
        "num": shown + more,
        "name": isolate(name, language) if isolating else name,
        "period": period,
    }
    if more:
        template = i18n.translations(language).ngettext(
            "Rasd: %(shown)d of %(num)d SSE story for %(name)s — %(period)s",
            "Rasd: %(shown)d of %(num)d SSE stories for %(name)s — %(period)s",
            shown + more,
        )
    else:
        template = i18n.translations(language).ngettext(
            "Rasd: %(num)d SSE story for %(name)s — %(period)s",
            "Rasd: %(num)d SSE stories for %(name)s — %(period)s",
            shown,
        )
    return template % values


def _schedule(subscription: Subscription, language: str) -> str:
    time = f"{subscription.time:%H:%M}"
    if subscription.frequency == "immediate":
        return i18n.translations(language).gettext("as soon as stories are stored")
    if subscription.frequency == "daily":
        return i18n.translations(language).gettext("every day at %(time)s") % {"time": time}
    weekday = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday").index(subscription.day)
    day_name = i18n.locale(language).days["format"]["wide"][weekday]
    return i18n.translations(language).gettext("every %(day)s at %(time)s") % {"day": day_name, "time": time}


def render_digest(
    subscription: Subscription,
    stories: Sequence[StoredStory],
    more: int,
    period: str,
    now: datetime,
    zone: tzinfo,
    sender: str,
    evidence: Callable[[StoredStory], Evidence] | None = None,
) -> EmailMessage:
    """The digest email for `stories` (already chosen and capped) in the subscriber's language; `more`
    counts the matching stories left for the next digest. `now` is aware; `period` names what the digest
    covers (``period_label``); `evidence` gives a story's classifier evidence, from which its plain-words
    "why" and its highlighted words come."""
    language = subscription.language
    facts = {story.article_id: evidence(story) if evidence else Evidence() for story in stories}
    subject = digest_subject(subscription, len(stories), more, period)
    contact = parseaddr(sender)[1] or sender
    context = {
        "subject": digest_subject(subscription, len(stories), more, period, isolating=True),
        "language": language,
        "dir": i18n.direction(language),
        "count": len(stories),
        "city": get_timezone_location(zone, locale=i18n.locale(language), return_city=True),
        "groups": _groups(stories, facts, zone, language),
        "more": more,
        "schedule": _schedule(subscription, language),
        "name": one_line(subscription.name),
        "contact": contact,
    }
    message = EmailMessage()
    # Encoded by email.header: Python 3.11's folder for the modern policy drops the space at a fold
    # between two encoded words ("الاقتصاد الاجتماعي" arrived as "الاقتصادالاجتماعي"); a header stored
    # raw, in lines under 78 characters, is sent as it is.
    message.set_raw("Subject", Header(subject, "utf-8", header_name="Subject").encode())
    message["From"] = sender
    message["To"] = subscription.email
    message["Date"] = format_datetime(now)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "rasd.local"
    message["Message-ID"] = make_msgid(domain=domain)  # kept with the stored message: a resend has the same
    list_id = re.sub(r"[^a-z0-9]+", "-", subscription.name.lower()).strip("-") or "digest"
    message["List-Id"] = f"Rasd {one_line(subscription.name)} <{list_id}.rasd.local>"
    environment = i18n.environment(language)
    # base64: 7-bit safe on any relay (no 8BITMIME needed) and compact for Arabic text.
    message.set_content(environment.get_template("digest.txt.j2").render(context), cte="base64")
    message.add_alternative(environment.get_template("digest.html.j2").render(context), subtype="html", cte="base64")
    message["Content-Language"] = language  # after the content: set_content drops Content-* headers
    return message
