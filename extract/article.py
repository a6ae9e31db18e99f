"""One HTML page to one clean article: text, title, date (with its origin), author, language."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import trafilatura
from lxml import etree
from lxml import html as lxml_html

from extract.boilerplate import strip_boilerplate
from extract.dates import parse_iso, parse_visible_date, structured_date, trusted_guess, url_date
from extract.fingerprint import Fingerprint, fingerprint_of
from extract.normalize import detect_language, normalize_for_matching

# Chosen by bench/bench_extract.py (13 pages of tests/pages + 18 demo web pages, Arabic/French/English,
# trafilatura 2.3.1, one process): 377 pages per CPU second against 215 for bare_extraction's defaults,
# 263 for the former {no comments, favor_precision, no tables} and 213 for trafilatura.extract(); every
# must-keep snippet kept (tables included: no tables lost a figures table, recall 0.954); 5 furniture
# lines before extract.boilerplate's rules (7 for the defaults, fast or favor_recall), 0 after.
# favor_recall+fast was as fast (381) but leaked more; comments are never part of the story.
_EXTRACTION_OPTIONS: dict[str, Any] = {"include_comments": False, "favor_precision": True, "fast": True}
MIN_TEXT_CHARS = 120


@dataclass(frozen=True)
class Article:
    url: str
    title: str
    text: str
    date: datetime | None
    date_source: str | None  # json-ld | meta:… | time-element | feed | sitemap | visible | url | guess
    author: str | None
    lang: str  # ar | fr | en | und
    site_name: str | None
    content_hash: str
    # For near-duplicate stories (extract.fingerprint); None when built without one (storage makes it).
    fingerprint: Fingerprint | None = None

    def as_json(self) -> dict[str, str | None]:
        """The `rasd extract --json` object (DESIGN.md's command-line contract)."""
        return {
            "url": self.url,
            "title": self.title,
            "text": self.text,
            "date": self.date.isoformat() if self.date else None,
            "date_source": self.date_source,
            "author": self.author,
            "lang": self.lang,
            "site_name": self.site_name,
            "content_hash": self.content_hash,
        }


def content_hash(text: str) -> str:
    """Same text after normalisation → same hash, whatever the spelling variants."""
    return hashlib.sha256(normalize_for_matching(text).encode("utf-8")).hexdigest()


def _parse_tree(page: bytes) -> lxml_html.HtmlElement | None:
    try:
        return lxml_html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return None


def _header_text(tree: lxml_html.HtmlElement) -> str:
    """Where a visible publication date sits: the article's header or date element, not the sidebar."""
    nodes = tree.xpath(
        "//*[contains(@class,'entry-meta') or contains(@class,'post-meta') or contains(@class,'date')"
        " or contains(@class,'time') or self::time][not(ancestor::*[contains(@class,'comment')])]"
    )
    return " ".join(" ".join(node.itertext()) for node in nodes[:6])


def _pick_date(
    tree: lxml_html.HtmlElement | None,
    url: str,
    fetched_at: datetime,
    hint_date: str | None,
    hint_source: str | None,
    guessed: str | None,
) -> tuple[datetime | None, str | None]:
    if tree is not None and (found := structured_date(tree)):
        return found
    if hint_date and (announced := parse_iso(hint_date) or parse_visible_date(hint_date, fetched_at)):
        return announced, hint_source or "feed"
    if tree is not None and (visible := parse_visible_date(_header_text(tree), fetched_at)):
        return visible, "visible"
    if from_url := url_date(url):
        return from_url, "url"
    if guess := trusted_guess(guessed):
        return guess, "guess"
    return None, None


def extract_article(
    page: bytes,
    url: str,
    fetched_at: datetime,
    *,
    hint_title: str | None = None,
    hint_date: str | None = None,
    hint_date_source: str | None = None,
    extra_boilerplate: Iterable[str] = (),
) -> Article | None:
    """The article on `page` (raw bytes: trafilatura detects windows-1256 better than a lying header),
    or None when the page holds no article text. `hint_date` is the date a feed or sitemap announced,
    as written there (Arabic pubDates included)."""
    document = trafilatura.bare_extraction(page, url=url, with_metadata=True, **_EXTRACTION_OPTIONS)
    if document is None:
        return None
    data = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    raw_text = str(data.get("text") or "")
    lang = detect_language(raw_text)
    title = str(hint_title or data.get("title") or "").strip()
    text = strip_boilerplate(raw_text, lang, extra_boilerplate)
    if title and text.startswith(title):
        text = text[len(title) :].lstrip()
    if len(text) < MIN_TEXT_CHARS:
        return None
    tree = _parse_tree(page)
    date, date_source = _pick_date(tree, url, fetched_at, hint_date, hint_date_source, data.get("date"))
    return Article(
        url=url,
        title=title or text.splitlines()[0][:200],
        text=text,
        date=date,
        date_source=date_source,
        author=(str(data["author"]).strip() or None) if data.get("author") else None,
        lang=detect_language(title + "\n" + text),
        site_name=str(data["sitename"]) if data.get("sitename") else None,
        content_hash=content_hash(text),
        fingerprint=fingerprint_of(title, text),
    )
